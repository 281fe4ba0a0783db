"""The live chat's queue in the staff JSON API: the list, taking (one wins,
with or without the name the resident sees), "still here", ending, whether
it is open and closed days; the holder's chat: its messages and the
conversation before it (redacted), sending and typing; login, CSRF and
unknown chats as for every route."""
import asyncio
import datetime
import time

from rasa.shared.core.events import BotUttered, UserUttered

from bot.answer_store import audit
from bot.answer_store.times import LOCAL_TIME, now
from bot.config import LiveChatSettings
from bot.live_chat.hours import OpeningHours
from bot.web.keys import LIVE_CHAT
from tests.conversations import days_ago, session, turn, write_conversations
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


# --- the holder's chat: reading, writing, typing ----------------------------------------------


async def taken_by(who, answer_store, sender="web-1", **body) -> int:
    chat = answer_store.live_chats.request(sender, "socketio", "da")
    await ok(await send(who, "POST", f"/admin/api/live/{chat.id}/take", body or None))
    return chat.id


async def test_taking_with_the_first_name_the_resident_sees(staff, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    taken = await ok(await send(staff, "POST", f"/admin/api/live/{chat.id}/take", {"shown_name": "  Mette  "}))
    assert (taken["shown_name"], taken["channel_name"], taken["language_name"]) == ("Mette", "Chat på hjemmesiden",
                                                                                    "Dansk")
    assert answer_store.live_chats.get(chat.id).shown_name == "Mette"
    other = answer_store.live_chats.request("web-2", "gatewayapi", "ar")
    refused = await send(staff, "POST", f"/admin/api/live/{other.id}/take", {"shown_name": "M" * 41})
    assert refused.status == 400 and "40 tegn" in (await refused.json())["fejl"]
    assert answer_store.live_chats.get(other.id).status == "waiting"
    wrong = await send(staff, "POST", f"/admin/api/live/{other.id}/take", {"shown_name": 7})
    assert wrong.status == 400 and "'shown_name'" in (await wrong.json())["fejl"]
    nameless = await ok(await send(staff, "POST", f"/admin/api/live/{other.id}/take", {}))
    assert (nameless["shown_name"], nameless["channel_name"], nameless["language_name"]) == (None, "SMS", "Arabisk")


async def test_the_holder_sends_and_reads_the_messages(staff, answer_store):
    chat_id = await taken_by(staff, answer_store)
    sent = await ok(await send(staff, "POST", f"/admin/api/live/{chat_id}/send",
                               {"text": "  Hej, hvad kan jeg gøre? \n"}))
    assert (sent["kind"], sent["text"]) == ("staff", "Hej, hvad kan jeg gøre?")
    answer = answer_store.live_chats.resident_wrote(chat_id, "Jeg mangler en vaskekælder")
    body = await ok(await staff.client.get(f"/admin/api/live/{chat_id}"))
    assert (body["id"], body["status"], body["mine"]) == (chat_id, "taken", True)
    assert [(m["kind"], m["text"]) for m in body["messages"]] == [
        ("notice", "Borgeren fik besked: en medarbejder skriver nu."), ("staff", "Hej, hvad kan jeg gøre?"),
        ("resident", "Jeg mangler en vaskekælder")]
    assert body["conversation"] == []  # no conversation store yet
    newer = await ok(await staff.client.get(f"/admin/api/live/{chat_id}", params={"after": str(sent["id"])}))
    assert [m["id"] for m in newer["messages"]] == [answer.id]
    assert (await staff.client.get(f"/admin/api/live/{chat_id}", params={"after": "-1"})).status == 400
    assert answer_store.live_chats.get(chat_id).staff_messages == 1


async def test_empty_and_too_long_messages_are_refused_in_danish(staff, answer_store):
    chat_id = await taken_by(staff, answer_store)
    for text, says in (("", "Skriv en besked"), (" \n\t ", "Skriv en besked"),
                       ("x" * 2001, "højst være 2.000 tegn i en besked")):
        refused = await send(staff, "POST", f"/admin/api/live/{chat_id}/send", {"text": text})
        assert refused.status == 400 and says in (await refused.json())["fejl"], text[:10]
    assert (await send(staff, "POST", f"/admin/api/live/{chat_id}/send", {"text": "x" * 2000})).status == 200
    assert (await send(staff, "POST", f"/admin/api/live/{chat_id}/send", {"besked": "hej"})).status == 400
    assert answer_store.live_chats.get(chat_id).staff_messages == 1


async def test_only_the_holder_reads_writes_and_types(staff, admin, answer_store):
    chat_id = await taken_by(staff, answer_store)
    for method, path, body in (("GET", "", None), ("POST", "/send", {"text": "Hej"}), ("POST", "/typing", None)):
        refused = await send(admin, method, f"/admin/api/live/{chat_id}{path}", body)
        assert refused.status == 409, path
        assert (await refused.json())["fejl"] == "bo har allerede taget samtalen."
    assert answer_store.live_chats.get(chat_id).staff_messages == 0
    typing = await send(staff, "POST", f"/admin/api/live/{chat_id}/typing")
    assert typing.status == 204
    assert [o.message.kind for o in answer_store.live_chats.outbox()][-1] == "typing"
    await ok(await send(staff, "POST", f"/admin/api/live/{chat_id}/end"))
    for method, path, body in (("GET", "", None), ("POST", "/send", {"text": "Hej"}), ("POST", "/typing", None)):
        ended = await send(staff, method, f"/admin/api/live/{chat_id}{path}", body)
        assert ended.status == 409 and "slut" in (await ended.json())["fejl"], path
    for method, path in (("GET", ""), ("POST", "/typing")):
        assert (await send(staff, method, f"/admin/api/live/999{path}")).status == 404


async def test_the_conversation_so_far_is_redacted_as_in_the_inbox(staff, answer_store, conversations_dir):
    conversations_dir.mkdir()
    t = days_ago(0.01)
    write_conversations(conversations_dir / "conversations.db", {
        "web-1": session(t) + turn("hej jeg hedder Fatima Hassan, ring på 22 33 44 55", "greet", t + 1)
        + [BotUttered("Vælg et emne", data={"buttons": [{"title": "Job", "payload": "/ask_job_help"}]},
                      timestamp=t + 2),
           UserUttered("/ask_job_help", timestamp=t + 3),
           BotUttered("Ring til Rikke på 30 54 83 43 eller til dig selv på 22 33 44 55.", timestamp=t + 4),
           # Written to the staff member: among the chat's messages, not here.
           UserUttered("skrevet til medarbejderen", timestamp=time.time() + 60)],
        "web-2": session(t) + turn("en anden samtale", "greet", t + 1),
    })
    chat_id = await taken_by(staff, answer_store)
    answer_store.live_chats.resident_wrote(chat_id, "skrevet til medarbejderen")
    body = await ok(await staff.client.get(f"/admin/api/live/{chat_id}"))
    assert [(turn["from"], turn["text"]) for turn in body["conversation"]] == [
        ("resident", "hej jeg hedder [fjernet], ring på [fjernet]"),
        ("assistant", "Et svar."),
        ("assistant", "Vælg et emne"),
        ("resident", "Trykkede på »Job«"),
        ("assistant", "Ring til Rikke på 30 54 83 43 eller til dig selv på [fjernet]."),
    ]
    assert all(datetime.datetime.fromisoformat(turn["at"]).tzinfo for turn in body["conversation"])


async def test_a_conversation_store_that_cannot_be_read_leaves_the_chat_usable(staff, answer_store, conversations_dir):
    conversations_dir.mkdir()
    (conversations_dir / "conversations.db").write_text("ikke en database")
    chat_id = await taken_by(staff, answer_store)
    body = await ok(await staff.client.get(f"/admin/api/live/{chat_id}"))
    assert body["conversation"] is None and body["messages"]
