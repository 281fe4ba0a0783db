"""The live chat's queue in the staff JSON API: the list, taking (one wins),
"still here", ending, whether it is open and closed days; login, CSRF and
unknown chats as for every route."""
import asyncio
import datetime

from bot.answer_store import audit
from bot.answer_store.times import LOCAL_TIME, now
from bot.config import LiveChatSettings
from bot.live_chat.hours import OpeningHours
from bot.web.keys import LIVE_CHAT
from tests.web.admin.test_api import ok, send


async def queue(who) -> dict:
    return await ok(await who.client.get("/admin/api/live"))


async def test_the_queue_lists_waiting_chats_in_order_with_their_place(staff, answer_store):
    first = answer_store.live_chats.request("web-1", "socketio", "da")
    second = answer_store.live_chats.request("sms-1", "gatewayapi", "ar")
    body = await queue(staff)
    assert (body["waiting"], body["taken"]) == (2, 0)
    assert [(c["id"], c["position"], c["channel"], c["language"]) for c in body["chats"]] == [
        (first.id, 1, "socketio", "da"), (second.id, 2, "gatewayapi", "ar")]
    assert body["chats"][0]["waited_seconds"] >= 0 and body["chats"][0]["staff_name"] is None


async def test_taking_a_chat_makes_it_mine_and_the_other_is_told_who(staff, admin, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    taken = await ok(await send(staff, "POST", f"/admin/api/live/{chat.id}/take"))
    assert (taken["status"], taken["mine"], taken["position"]) == ("taken", True, None)
    refused = await send(admin, "POST", f"/admin/api/live/{chat.id}/take")
    assert refused.status == 409
    body = await refused.json()
    assert body["kode"] == "allerede_taget" and taken["staff_name"] in body["fejl"]
    assert (await queue(admin))["chats"][0]["mine"] is False


async def test_two_staff_taking_at_once_one_wins(staff, admin, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    responses = await asyncio.gather(*(send(who, "POST", f"/admin/api/live/{chat.id}/take") for who in (staff, admin)))
    assert sorted(r.status for r in responses) == [200, 409]
    assert [r.action for r in audit.recent(answer_store.engine)].count("live_taken") == 1


async def test_seen_and_end_only_for_the_holder(staff, admin, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    await ok(await send(staff, "POST", f"/admin/api/live/{chat.id}/take"))
    await ok(await send(staff, "POST", f"/admin/api/live/{chat.id}/seen"))
    assert (await send(admin, "POST", f"/admin/api/live/{chat.id}/end")).status == 409
    ended = await ok(await send(staff, "POST", f"/admin/api/live/{chat.id}/end"))
    assert (ended["status"], ended["ended_by"]) == ("ended", "staff")
    assert (await queue(staff))["chats"] == []
    gone = await send(staff, "POST", f"/admin/api/live/{chat.id}/seen")
    assert gone.status == 409 and "slut" in (await gone.json())["fejl"]


async def test_unknown_chats_login_and_csrf(staff, app_client, answer_store):
    for chat_id in ("999", "0", "abc", "٣"):
        response = await send(staff, "POST", f"/admin/api/live/{chat_id}/take")
        assert response.status == 404, chat_id
        assert (await response.json())["kode"] == "findes_ikke"
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    assert (await send(staff, "POST", f"/admin/api/live/{chat.id}/take", csrf=False)).status == 403
    assert answer_store.live_chats.get(chat.id).status == "waiting"
    assert (await app_client.get("/admin/api/live")).status == 401


async def test_the_list_says_whether_the_live_chat_is_open_and_staff_close_a_day(staff, app_client, answer_store):
    app_client.app[LIVE_CHAT] = LiveChatSettings(hours=OpeningHours.parse("always"))
    today = now().astimezone(LOCAL_TIME).date()
    opening = (await queue(staff))["live_chat"]
    assert (opening["open"], opening["hours"], opening["closed_days"]) == (True, "hele døgnet", [])
    closed = await ok(await send(staff, "POST", "/admin/api/live/closed-days",
                                 {"date": today.isoformat(), "closed": True}))
    assert closed["open"] is False and closed["closed_days"] == [today.isoformat()]
    assert closed["next_opening"].startswith((today + datetime.timedelta(days=1)).isoformat())
    assert [r.action for r in audit.recent(answer_store.engine)][0] == "live_day_closed"
    reopened = await ok(await send(staff, "POST", "/admin/api/live/closed-days",
                                   {"date": today.isoformat(), "closed": False}))
    assert reopened["open"] is True and reopened["closed_days"] == []
    for body, says in (({"date": "2020-01-01", "closed": True}, "gået"), ({"date": "24/12", "closed": True}, "dato"),
                       ({"date": today.isoformat(), "closed": "ja"}, "closed")):
        refused = await send(staff, "POST", "/admin/api/live/closed-days", body)
        assert refused.status == 400 and says in (await refused.json())["fejl"]


async def test_off_by_default(staff):
    opening = (await queue(staff))["live_chat"]
    assert (opening["open"], opening["hours"], opening["next_opening"]) == (False, "lukket", None)
