"""The "Live samtaler" pages, driven as a browser without JavaScript would
(read the form, post it, follow the redirect), and their server-sent event
streams read as a browser's EventSource reads them."""
import asyncio
import json
import re
import time
from typing import Optional, Tuple

import aiohttp
import pytest
import sqlalchemy as sa

from bot.answer_store import tables
from bot.config import LiveChatSettings
from bot.live_chat.hours import OpeningHours
from bot.web.admin.auth import COOKIE
from bot.web.admin import live_events
from bot.web.admin.live_events import OPEN_STREAMS
from bot.web.keys import LIVE_CHAT
from tests.web.admin.test_api import ok, send
from tests.web.admin.test_pages import OWN_SCRIPT, changed, read_form, text_of


async def page(who, path: str, status: int = 200) -> str:
    response = await who.client.get(path)
    html = await response.text()
    assert response.status == status, html
    return html


async def post_form(who, path: str, action: str, **values):
    """The form on ``path`` posting to ``action``, with ``values`` filled in, posted (no redirect followed)."""
    fields = changed(read_form(await page(who, path), action), **values)
    return await who.client.post(action, data=fields, allow_redirects=False)


def redirected_to(response, location: str) -> None:
    assert response.status == 303, response.status
    assert response.headers["Location"] == location


# --- the queue ---------------------------------------------------------------------------------


async def test_the_queue_shows_waiting_chats_in_order_and_who_has_the_others(staff, admin, answer_store):
    first = answer_store.live_chats.request("web-1", "socketio", "da")
    second = answer_store.live_chats.request("sms-1", "gatewayapi", "ar")
    other = answer_store.live_chats.request("rest-1", "rest", "en")
    await ok(await send(admin, "POST", f"/admin/api/live/{other.id}/take"))
    html = await page(staff, "/admin/live")
    text = text_of(html)
    assert "Live samtaler (2 venter)" in text  # the menu
    waiting = html[html.index('id="live-waiting"'):html.index('id="live-none-waiting"')]
    assert waiting.index(f'id="live-chat-{first.id}"') < waiting.index(f'id="live-chat-{second.id}"')
    assert f'class="take" data-chat="{first.id}"' in waiting
    assert re.search(r"Nr\. 1 venter under 1 min Chat på hjemmesiden Dansk", text_of(waiting))
    assert re.search(r"Nr\. 2 venter under 1 min SMS Arabisk", text_of(waiting))
    assert "Dit fornavn (vises for borgeren, frivilligt)" in text
    taken = html[html.index('id="live-taken"'):html.index('id="live-none-taken"')]
    assert "anna har samtalen" in text_of(taken) and "Chat (REST)" in text_of(taken)
    assert f'href="/admin/live/{other.id}" hidden' in taken  # "Åbn" only for one's own
    assert "Live chatten er slået fra" in text
    assert '<meta http-equiv="refresh" content="30">' in html  # inside <noscript>
    assert "<script" not in OWN_SCRIPT.sub("", html) and "style=" not in html
    own = text_of(await page(admin, "/admin/live"))
    assert "Du har samtalen" in own and "Åbn din samtale" in own


async def test_taking_through_the_form_opens_the_chat(staff, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    response = await post_form(staff, "/admin/live", f"/admin/live/{chat.id}/take", shown_name="Mette")
    redirected_to(response, f"/admin/live/{chat.id}")
    stored = answer_store.live_chats.get(chat.id)
    assert (stored.status, stored.staff_name, stored.shown_name) == ("taken", "bo", "Mette")
    html = await page(staff, f"/admin/live/{chat.id}")
    text = text_of(html)
    assert "Du skriver med borgeren. Borgeren ser dig som »Mette«." in text
    assert 'id="live-send"' in html and 'name="text"' in html and 'id="live-end"' in html
    assert '<li class="live-message notice" data-id="' in html
    assert "Borgeren fik besked: en medarbejder skriver nu." in text
    assert "Samtalen indtil nu" in text
    assert f'data-events="/admin/live/{chat.id}/events?after=' in html
    assert "<script" not in OWN_SCRIPT.sub("", html) and "style=" not in html


async def test_a_name_that_is_too_long_takes_nothing(staff, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    response = await post_form(staff, "/admin/live", f"/admin/live/{chat.id}/take", shown_name="M" * 41)
    assert response.status == 400
    assert "Fornavnet må højst være 40 tegn." in await response.text()
    assert answer_store.live_chats.get(chat.id).status == "waiting"


@pytest.mark.parametrize("from_page", ["the queue", "the chat's page"])
async def test_a_second_staff_member_is_told_who_took_it_first(staff, admin, answer_store, from_page):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    path = "/admin/live" if from_page == "the queue" else f"/admin/live/{chat.id}"
    fields = read_form(await page(staff, path), f"/admin/live/{chat.id}/take")
    await ok(await send(admin, "POST", f"/admin/api/live/{chat.id}/take"))
    response = await staff.client.post(f"/admin/live/{chat.id}/take", data=fields, allow_redirects=False)
    assert response.status == 409
    html = await response.text()
    assert '<p id="live-problem">anna har allerede taget samtalen.</p>' in html
    assert "Du fik ikke samtalen" in html and "anna har samtalen" in text_of(html)
    assert answer_store.live_chats.get(chat.id).staff_name == "anna"


async def test_a_form_without_the_csrf_token_takes_nothing(staff, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    response = await staff.client.post(f"/admin/live/{chat.id}/take", data={"shown_name": "Bo"})
    assert response.status == 403
    assert answer_store.live_chats.get(chat.id).status == "waiting"


# --- the chat ------------------------------------------------------------------------------------


async def taken(who, answer_store) -> int:
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    await ok(await send(who, "POST", f"/admin/api/live/{chat.id}/take"))
    return chat.id


async def test_a_message_sent_through_the_form_reaches_the_store_and_the_page(staff, answer_store):
    chat_id = await taken(staff, answer_store)
    answer_store.live_chats.resident_wrote(chat_id, "Hvornår har I åbent? <script>alert(1)</script>")
    response = await post_form(staff, f"/admin/live/{chat_id}", f"/admin/live/{chat_id}/send",
                               text="Vi har åbent til kl. 15.")
    redirected_to(response, f"/admin/live/{chat_id}")
    assert [(m.kind, m.text) for m in answer_store.live_chats.messages(chat_id)][-1] == (
        "staff", "Vi har åbent til kl. 15.")
    html = await page(staff, f"/admin/live/{chat_id}")
    assert re.search(r'<li class="live-message from-resident" data-id="\d+">', html)
    assert re.search(r'<li class="live-message from-staff" data-id="\d+">', html)
    assert "Vi har åbent til kl. 15." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert 'id="live-text"' in html and "></textarea>" in html  # emptied after sending


@pytest.mark.parametrize("text, says", [
    ("   ", "Skriv en besked, før du sender."),
    ("x" * 2001, "Der må højst være 2.000 tegn i en besked."),
])
async def test_an_empty_or_too_long_message_is_not_sent_and_kept_in_the_form(staff, answer_store, text, says):
    chat_id = await taken(staff, answer_store)
    response = await post_form(staff, f"/admin/live/{chat_id}", f"/admin/live/{chat_id}/send", text=text)
    assert response.status == 400
    html = await response.text()
    assert says in html and 'aria-invalid="true"' in html
    assert f">{text}</textarea>" in html
    assert answer_store.live_chats.get(chat_id).staff_messages == 0


async def test_ending_through_the_form_hands_back_to_the_assistant(staff, answer_store):
    chat_id = await taken(staff, answer_store)
    response = await post_form(staff, f"/admin/live/{chat_id}", f"/admin/live/{chat_id}/end")
    redirected_to(response, "/admin/live?afsluttet=1")
    chat = answer_store.live_chats.get(chat_id)
    assert (chat.status, chat.ended_by) == ("ended", "staff")
    assert "Samtalen er afsluttet. Borgeren er tilbage hos chatbotten." in text_of(
        await page(staff, "/admin/live?afsluttet=1"))
    html = await page(staff, f"/admin/live/{chat_id}")
    assert "Samtalen er slut." in text_of(html) and 'id="live-send"' not in html


async def test_only_the_holder_sees_what_is_written(staff, admin, answer_store):
    chat_id = await taken(staff, answer_store)
    answer_store.live_chats.resident_wrote(chat_id, "Mit hemmelige spørgsmål")
    html = await page(admin, f"/admin/live/{chat_id}")
    assert "bo har samtalen." in text_of(html)
    assert "Mit hemmelige spørgsmål" not in html and 'id="live-send"' not in html
    for action in ("send", "end"):
        response = await admin.client.post(f"/admin/live/{chat_id}/{action}",
                                           data={"csrf_token": admin.csrf, "text": "Hej"}, allow_redirects=False)
        assert response.status == 409
        assert "bo har allerede taget samtalen." in await response.text()
    assert answer_store.live_chats.get(chat_id).status == "taken"
    assert (await admin.client.get("/admin/live/999", headers={"Accept": "text/html"})).status == 404


async def test_closing_and_opening_the_day(staff, app_client, answer_store):
    app_client.app[LIVE_CHAT] = LiveChatSettings(hours=OpeningHours.parse("always"))
    html = await page(staff, "/admin/live")
    assert "Live chatten er åben nu." in text_of(html) and "Åbningstider: hele døgnet." in text_of(html)
    response = await post_form(staff, "/admin/live", "/admin/live/closed-today")
    redirected_to(response, "/admin/live?lukket=1")
    text = text_of(await page(staff, "/admin/live?lukket=1"))
    assert "Live chatten er lukket i dag. Den åbner igen i morgen kl. 0." in text and "Åbn igen i dag" in text
    response = await post_form(staff, "/admin/live", "/admin/live/closed-today")
    redirected_to(response, "/admin/live?aabnet=1")
    assert "Live chatten er åben nu." in text_of(await page(staff, "/admin/live"))


# --- the streams ---------------------------------------------------------------------------------


async def next_event(response, timeout: float = 3.0) -> Tuple[str, dict, Optional[str]]:
    """The next event of a text/event-stream: (name, data, id); comments and "retry" skipped."""

    async def read():
        name, data, event_id = "message", None, None
        while True:
            line = (await response.content.readline()).decode("utf-8")
            if not line:
                raise EOFError("the stream ended")
            line = line.rstrip("\n")
            if not line:
                if data is not None:
                    return name, json.loads(data), event_id
            elif not line.startswith((":", "retry:")):
                field, _, value = line.partition(": ")
                name, data, event_id = (value, data, event_id) if field == "event" else \
                    (name, value, event_id) if field == "data" else (name, data, value)

    return await asyncio.wait_for(read(), timeout)


async def event_named(response, name: str, timeout: float = 3.0) -> Tuple[dict, Optional[str]]:
    ends = time.monotonic() + timeout
    while True:
        got, data, event_id = await next_event(response, max(0.01, ends - time.monotonic()))
        if got == name:
            return data, event_id


def seen_at(answer_store, chat_id: int):
    with answer_store.engine.connect() as connection:
        return connection.execute(sa.select(tables.live_chats.c.staff_seen_at)
                                  .where(tables.live_chats.c.id == chat_id)).scalar_one()


async def test_the_chat_stream_brings_the_residents_messages_but_does_not_say_seen(staff, answer_store):
    # "Seen" comes from the browser (admin-live.js): a half-dead connection keeps a stream
    # looking alive for minutes, and the resident would wait for a staff member who is gone.
    chat_id = await taken(staff, answer_store)
    last = answer_store.live_chats.messages(chat_id)[-1].id
    before = seen_at(answer_store, chat_id)
    await asyncio.sleep(0.05)
    async with staff.client.get(f"/admin/live/{chat_id}/events?after={last}") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        chat, _ = await event_named(response, "chat")
        assert (chat["status"], chat["mine"]) == ("taken", True)
        assert chat["status_text"].startswith("Du skriver med borgeren.")
        assert seen_at(answer_store, chat_id) == before
        written = answer_store.live_chats.resident_wrote(chat_id, "Er der nogen?")
        message, event_id = await event_named(response, "message")
        assert (message["kind"], message["text"], event_id) == ("resident", "Er der nogen?", str(written.id))
        answer_store.live_chats.give_up(answer_store.live_chats.open_for("web-1"))  # the resident wrote "stop"
        left, _ = await event_named(response, "message")
        assert (left["kind"], left["text"]) == ("notice", "Borgeren skrev stop og er tilbage hos chatbotten.")
        ended, _ = await event_named(response, "chat")
        assert ended["status"] == "ended" and "borgeren stoppede" in ended["status_text"]
        with pytest.raises(EOFError):  # an ended chat has nothing more to say
            await next_event(response)


async def test_a_reconnecting_browser_continues_after_the_last_message_it_got(staff, answer_store):
    chat_id = await taken(staff, answer_store)
    first = answer_store.live_chats.resident_wrote(chat_id, "Første")
    answer_store.live_chats.resident_wrote(chat_id, "Anden")
    async with staff.client.get(f"/admin/live/{chat_id}/events?after=0",
                                headers={"Last-Event-ID": str(first.id)}) as response:
        message, _ = await event_named(response, "message")
        assert message["text"] == "Anden"


async def test_another_staff_members_stream_says_who_has_it_and_nothing_written(staff, admin, answer_store):
    chat_id = await taken(staff, answer_store)
    answer_store.live_chats.resident_wrote(chat_id, "Hemmeligt")
    async with admin.client.get(f"/admin/live/{chat_id}/events") as response:
        name, chat, _ = await next_event(response)
        assert (name, chat["status_text"], chat["mine"]) == ("chat", "bo har samtalen.", False)
        with pytest.raises(asyncio.TimeoutError):
            await next_event(response, timeout=0.6)


async def test_the_queue_stream_sends_the_queue_when_it_changes(staff, answer_store):
    async with staff.client.get("/admin/live/events") as response:
        assert response.status == 200
        queue, _ = await event_named(response, "queue")
        assert (queue["waiting"], queue["chats"]) == (0, [])
        opening, _ = await event_named(response, "opening")
        assert opening == {"open": False, "text": "Live chatten er slået fra. Borgerne får ikke tilbudt at "
                                                  "skrive med en medarbejder."}
        with pytest.raises(asyncio.TimeoutError):  # nothing changed: nothing sent
            await next_event(response, timeout=0.6)
        chat = answer_store.live_chats.request("web-1", "socketio", "ar")
        queue, _ = await event_named(response, "queue")
        assert [(c["id"], c["position"], c["channel_name"], c["language_name"]) for c in queue["chats"]] == [
            (chat.id, 1, "Chat på hjemmesiden", "Arabisk")]


async def test_the_pages_and_streams_need_a_login(app_client, answer_store):
    chat = answer_store.live_chats.request("web-1", "socketio", "da")
    for path in ("/admin/live", f"/admin/live/{chat.id}", "/admin/live/events", f"/admin/live/{chat.id}/events"):
        response = await app_client.get(path, headers={"Accept": "text/event-stream"}, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"].startswith("/admin/login?next=")


async def test_a_stream_ends_with_the_login_and_keeps_the_connection_alive_meanwhile(staff, app_client,
                                                                                     answer_store, monkeypatch):
    monkeypatch.setattr(live_events, "KEEP_ALIVE_SECONDS", 0.2)
    monkeypatch.setattr(live_events, "SESSION_CHECK_SECONDS", 0.2)
    chat_id = await taken(staff, answer_store)
    async with staff.client.get(f"/admin/live/{chat_id}/events") as response:
        await event_named(response, "chat")
        line = await asyncio.wait_for(response.content.readline(), 2)
        assert line == b": still here\n"
        token = staff.client.session.cookie_jar.filter_cookies(app_client.make_url("/admin"))[COOKIE].value
        answer_store.staff.end_session(token, "bo")  # logged out in another tab
        with pytest.raises(EOFError):
            while True:
                await next_event(response)


async def test_the_holders_stream_shows_the_last_notice_when_staff_end_the_chat(staff, answer_store):
    chat_id = await taken(staff, answer_store)
    async with staff.client.get(f"/admin/live/{chat_id}/events") as response:
        await event_named(response, "chat")
        await ok(await send(staff, "POST", f"/admin/api/live/{chat_id}/end"))  # from another tab, say
        notice, _ = await event_named(response, "message")
        assert notice == {**notice, "kind": "notice",
                          "text": "Borgeren fik besked: samtalen er slut, og chatbotten svarer igen."}
        ended, _ = await event_named(response, "chat")
        assert ended["status_text"] == "Samtalen er slut. Borgeren er tilbage hos chatbotten."


async def test_a_stream_ends_when_the_browser_goes_away(staff, app_client, answer_store):
    chat_id = await taken(staff, answer_store)
    response = await staff.client.get(f"/admin/live/{chat_id}/events")
    await event_named(response, "chat")
    assert len(app_client.app[OPEN_STREAMS]) == 1
    response.close()
    for _ in range(40):
        if not app_client.app[OPEN_STREAMS]:
            break
        await asyncio.sleep(0.05)
    assert not app_client.app[OPEN_STREAMS]


async def test_the_streams_end_when_the_app_shuts_down(staff, app_client, answer_store):
    chat_id = await taken(staff, answer_store)
    cookie = staff.client.session.cookie_jar.filter_cookies(app_client.make_url("/admin"))[COOKIE].value
    # A browser of its own, so the test client closing its responses is not what ends the streams.
    async with aiohttp.ClientSession(cookies={COOKIE: cookie}) as browser:
        queue = await browser.get(app_client.make_url("/admin/live/events"))
        chat = await browser.get(app_client.make_url(f"/admin/live/{chat_id}/events"))
        await event_named(queue, "queue")
        await event_named(chat, "chat")
        started = time.monotonic()
        await app_client.server.close()
        assert time.monotonic() - started < 5  # not the 60 s aiohttp waits for a handler that hangs on
        for response in (queue, chat):
            with pytest.raises((EOFError, aiohttp.ClientPayloadError)):
                while True:
                    await next_event(response)
    assert not app_client.app[OPEN_STREAMS]
