"""The "Live samtaler" pages: the queue, and the chat a staff member has taken.

Plain forms that work without JavaScript, as the other admin pages: each
change posts the session's CSRF token and redirects (303) with a notice
chosen by a query flag; one that did not work shows the page again with why
(another staff member took the chat first: 409 naming who). With JavaScript
(``admin-live.js``) the queue and the messages update by themselves from the
streams in ``live_events``, and messages go through the JSON API.

Only the staff member who has a chat sees what is written in it, and the
conversation before it (redacted as in the inbox).
"""
from typing import Optional

from aiohttp import web

from bot.answer_store import AnswerStore, LiveChat, LiveChatTaken
from bot.answer_store.live_chats import MAX_MESSAGE_CHARS, MAX_SHOWN_NAME, TAKEN, WAITING
from bot.answer_store.times import danish_today
from bot.language.texts import danish_name
from bot.live_chat.status import availability
from bot.web.admin.api import ApiError
from bot.web.admin.auth import staff
from bot.web.admin.live import chat_id, checked_shown_name, checked_text, danish_count, queue_json, read_conversation
from bot.web.admin.live_view import WAIT_WORDS, channel_name, message_view, opening_text, status_text, wait_text
from bot.web.admin.pages import render
from bot.web.keys import ANSWER_STORE, LIVE_CHAT

# Shown after a change that worked, chosen by a flag in the address (?afsluttet=1). A chat just
# taken needs none: its page says so at the top.
NOTICES = {
    "afsluttet": "Samtalen er afsluttet. Borgeren er tilbage hos chatbotten.",
    "lukket": "Live chatten er lukket resten af dagen. Borgerne får tilbudt at blive ringet op i stedet.",
    "aabnet": "Live chatten er åben igen i dag, inden for åbningstiderne.",
}
NOT_TAKEN = "Du fik ikke samtalen"
NOT_SENT = "Beskeden er ikke sendt"
NOT_ENDED = "Samtalen er ikke afsluttet"


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _user(request: web.Request) -> str:
    return staff(request).user.name


def _notices(request: web.Request) -> list:
    return [text for flag, text in NOTICES.items() if request.query.get(flag) == "1"]


def _row(chat: dict) -> dict:
    """A chat of the queue as the page lists it."""
    return {**chat, "wait": wait_text(chat["waited_seconds"], done=chat["status"] != WAITING)}


# --- the queue -------------------------------------------------------------------------------


def _queue_page(request: web.Request, problem: Optional[dict] = None, status: int = 200) -> web.Response:
    """``problem``: why a change did nothing ({"title", "text"})."""
    store, hours = _store(request).live_chats, request.app[LIVE_CHAT].hours
    state = availability(store, hours)
    queue = queue_json(store, state, _user(request))
    rows = [_row(chat) for chat in queue["chats"]]
    return render(
        request, "admin/live.html", status=status, section="live", messages=_notices(request), problem=problem,
        opening={"text": opening_text(state), "hours": state.hours.describe(), "offered": state.offered,
                 "closed_today": danish_today() in state.closed_days},
        waiting=[row for row in rows if row["status"] == WAITING],
        taken=[row for row in rows if row["status"] == TAKEN],
        max_name=MAX_SHOWN_NAME, wait_words=WAIT_WORDS,
    )


async def live_page(request: web.Request) -> web.Response:
    return _queue_page(request)


async def close_today_page(request: web.Request) -> web.Response:
    closed = (await request.post()).get("closed")
    if closed not in ("0", "1"):
        raise web.HTTPBadRequest()
    _store(request).live_chats.close_day(danish_today(), _user(request), closed == "1")
    raise web.HTTPSeeOther("/admin/live?lukket=1" if closed == "1" else "/admin/live?aabnet=1")


async def take_page(request: web.Request) -> web.Response:
    number = chat_id(request)
    shown_name = (await request.post()).get("shown_name")
    try:
        name = checked_shown_name(shown_name if isinstance(shown_name, str) else None)
        _store(request).live_chats.take(number, _user(request), name)
    except (ApiError, LiveChatTaken) as error:
        return _queue_page(request, {"title": NOT_TAKEN, "text": error.message}, status=error.status)
    raise web.HTTPSeeOther(f"/admin/live/{number}")


# --- one chat --------------------------------------------------------------------------------


def _chat_page(request: web.Request, chat: LiveChat, problem: Optional[dict] = None, send_error: str = "",
               typed: str = "", status: int = 200) -> web.Response:
    """``problem``: why a change did nothing; ``send_error``: what is wrong with the message typed."""
    user = _user(request)
    store = _store(request).live_chats
    mine = chat.status == TAKEN and chat.staff_name == user
    position = store.position(chat.id) if chat.status == WAITING else None
    messages = [message_view(message) for message in store.messages(chat.id)] if mine else []
    turns = read_conversation(request, chat) if mine else None
    return render(
        request, "admin/live_chat.html", status=status, section="live", messages=_notices(request),
        problem=problem, send_error=send_error, chat=chat, mine=mine, status_text=status_text(chat, user, position),
        channel_name=channel_name(chat.channel), language_name=danish_name(chat.language),
        live_messages=messages, last_id=messages[-1]["id"] if messages else 0,
        conversation=[turn.view() for turn in turns] if turns is not None else None,
        typed=typed, max_chars=MAX_MESSAGE_CHARS, max_chars_text=danish_count(MAX_MESSAGE_CHARS),
        max_name=MAX_SHOWN_NAME, grace=f"{request.app[LIVE_CHAT].grace_seconds:g}",
    )


async def chat_page(request: web.Request) -> web.Response:
    store, user = _store(request).live_chats, _user(request)
    chat = store.get(chat_id(request))
    if chat.status == TAKEN and chat.staff_name == user:
        store.seen(chat.id, user)  # the page is there: a reload counts as much as the stream
    return _chat_page(request, chat)


async def send_page(request: web.Request) -> web.Response:
    store, user, number = _store(request).live_chats, _user(request), chat_id(request)
    text = (await request.post()).get("text")
    text = text if isinstance(text, str) else ""
    try:
        store.send(number, user, checked_text(text))
    except ApiError as error:
        return _chat_page(request, store.get(number), send_error=error.message, typed=text, status=error.status)
    except LiveChatTaken as error:
        return _chat_page(request, store.get(number), {"title": NOT_SENT, "text": error.message}, status=error.status)
    raise web.HTTPSeeOther(f"/admin/live/{number}")


async def end_page(request: web.Request) -> web.Response:
    store, number = _store(request).live_chats, chat_id(request)
    try:
        store.end(number, _user(request))
    except LiveChatTaken as error:
        return _chat_page(request, store.get(number), {"title": NOT_ENDED, "text": error.message},
                          status=error.status)
    raise web.HTTPSeeOther("/admin/live?afsluttet=1")
