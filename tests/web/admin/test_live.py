"""The live chat's queue in the staff JSON API: the list, taking (one wins),
"still here", ending; login, CSRF and unknown chats as for every route."""
import asyncio

from bot.answer_store import audit
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
