"""The live chat's queue in the staff JSON API ("Live samtaler").

``GET /admin/api/live`` lists the waiting and taken chats, oldest request
first, with how long each has waited and its place in the queue;
``POST /admin/api/live/{id}/take`` assigns one to the logged-in staff member
(two at once: one wins, the other gets 409 naming who has it), optionally
with the first name the resident will see;
``GET /admin/api/live/{id}`` is the holder's view of the chat: its messages
(``?after=`` only the newer ones) and the conversation before it;
``POST /admin/api/live/{id}/send`` and ``/typing`` are the holder writing;
``POST /admin/api/live/{id}/seen`` is the staff page saying it is still
there (without it for the grace period the chat goes back to the queue);
``POST /admin/api/live/{id}/end`` hands the conversation back to the
assistant. The list also says whether the live chat is open
(``LIVE_CHAT_HOURS`` and the days staff closed, ``POST
/admin/api/live/closed-days``). The rules are in
``bot.answer_store.live_chats``; login, the CSRF and origin checks come from
``auth.staff_only`` as for every other route. The staff pages
(``live_pages``) and streams (``live_events``) use the helpers here, so all
three say the same.
"""
import asyncio
import datetime
from typing import Optional

from aiohttp import web

from bot.answer_store import AnswerStore, LiveChat, LiveChatNotFound, LiveChatTaken
from bot.answer_store.live_chats import (
    ENDED_BY_LABELS, MAX_MESSAGE_CHARS, MAX_SHOWN_NAME, NOTICE, RESIDENT, STAFF, STATUSES, TAKEN,
    WAITING, LiveChatStore,
)
from bot.answer_store.times import danish_today
from bot.insights import ConversationsUnavailable
from bot.live_chat.status import Availability, availability
from bot.web.admin.api import FLAG, TEXT, ApiError, address_number, api_handler, read_body
from bot.web.admin.auth import staff
from bot.web.admin.live_conversation import ASSISTANT, conversation_so_far
from bot.web.admin.live_conversation import RESIDENT as FROM_RESIDENT
from bot.web.admin.live_view import live_chat_json, message_json
from bot.web.admin.openapi_parts import (
    MAX_NUMBER, NUMBER, TIMESTAMP, change_operation, error_response, error_responses, json_body, json_content,
    object_schema, ok_response, read_operation,
)
from bot.web.keys import ANSWER_STORE, INSIGHTS, LIVE_CHAT

NO_TEXT = "Skriv en besked, før du sender."
NAME_TOO_LONG = f"Fornavnet må højst være {MAX_SHOWN_NAME} tegn."


def danish_count(count: int) -> str:
    """2000 as Danes write it: 2.000."""
    return f"{count:,}".replace(",", ".")


def too_long(length: int) -> str:
    return (f"Beskeden er for lang: {danish_count(length)} tegn. Der må højst være "
            f"{danish_count(MAX_MESSAGE_CHARS)} tegn i en besked.")


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _user(request: web.Request) -> str:
    return staff(request).user.name


def chat_id(request: web.Request) -> int:
    return address_number(request, LiveChatNotFound)


# --- shared with the pages and the streams ---------------------------------------------------


def opening_json(state: Availability) -> dict:
    """Whether the live chat is open now, its hours, when it opens next and the days staff closed."""
    return {"open": state.open, "hours": state.hours.describe(),
            "next_opening": state.next_opening.isoformat() if state.next_opening else None,
            "closed_days": sorted(day.isoformat() for day in state.closed_days)}


def queue_json(store: LiveChatStore, state: Availability, user: str) -> dict:
    """The queue as ``user`` sees it (GET /admin/api/live); ``state``: ``bot.live_chat.status.availability``."""
    chats = store.open_chats()
    waiting = [c for c in chats if c.status == WAITING]
    places = {chat.id: place for place, chat in enumerate(waiting, start=1)}
    return {
        "live_chat": opening_json(state),
        "waiting": len(waiting), "taken": len(chats) - len(waiting),
        "chats": [live_chat_json(chat, user, places.get(chat.id)) for chat in chats],
    }


def holders_chat(store: LiveChatStore, chat_id: int, user: str) -> LiveChat:
    """The chat, when ``user`` has it; LiveChatTaken (409, naming who has it) otherwise."""
    chat = store.get(chat_id)
    if chat.status != TAKEN or chat.staff_name != user:
        raise LiveChatTaken(chat_id, chat.staff_name if chat.status == TAKEN else None)
    return chat


def checked_text(text: str) -> str:
    """A staff message as it is sent (without outer blanks); ApiError (400) when empty or too long."""
    text = text.strip()
    if not text:
        raise ApiError(400, NO_TEXT)
    if len(text) > MAX_MESSAGE_CHARS:
        raise ApiError(400, too_long(len(text)))
    return text


def checked_shown_name(name: Optional[str]) -> Optional[str]:
    name = " ".join((name or "").split())
    if len(name) > MAX_SHOWN_NAME:
        raise ApiError(400, NAME_TOO_LONG)
    return name or None


def read_conversation(request: web.Request, chat: LiveChat) -> Optional[list]:
    """The conversation until the resident's first message to the staff member
    (``live_conversation.Turn``: one written just as the chat was taken is still
    shown), or None when it cannot be read now."""
    store = _store(request)
    knowledge = store.knowledge_store().current()
    public = {value for entry in knowledge.entries.values() for value in (entry.phone, entry.email) if value}
    first = next((m for m in store.live_chats.messages(chat.id) if m.kind == RESIDENT), None)
    try:
        return conversation_so_far(request.app[INSIGHTS].conversations, chat.sender_id, public,
                                   before=first.created_at if first else None)
    except ConversationsUnavailable:
        return None


def _after(request: web.Request) -> int:
    value = request.query.get("after", "")
    if value == "":
        return 0
    if not value.isascii() or not value.isdigit() or int(value) > MAX_NUMBER:
        raise ApiError(400, f"Parameteren 'after' skal være et helt tal fra 0 til {MAX_NUMBER}.")
    return int(value)


# --- handlers ----------------------------------------------------------------------------------


@api_handler()
async def list_live(request: web.Request) -> web.Response:
    store = _store(request).live_chats
    return web.json_response(queue_json(store, availability(store, request.app[LIVE_CHAT].hours), _user(request)))


@api_handler()
async def close_day(request: web.Request) -> web.Response:
    body = await read_body(request, date=TEXT, closed=FLAG)
    try:
        day = datetime.date.fromisoformat(body["date"])
    except ValueError:
        raise ApiError(400, "Feltet 'date' skal være en dato som 2026-12-24.") from None
    if day < danish_today():
        raise ApiError(400, "Dagen er gået. Vælg i dag eller en dag, der kommer.")
    store = _store(request).live_chats
    store.close_day(day, _user(request), body["closed"])
    return web.json_response(opening_json(availability(store, request.app[LIVE_CHAT].hours)))


@api_handler()
async def get_chat(request: web.Request) -> web.Response:
    after = _after(request)
    store, user = _store(request).live_chats, _user(request)
    chat = holders_chat(store, chat_id(request), user)
    turns = read_conversation(request, chat)
    return web.json_response({
        **live_chat_json(chat, user),
        "messages": [message_json(message) for message in store.messages(chat.id, after)],
        "conversation": [turn.json() for turn in turns] if turns is not None else None,
    })


@api_handler()
async def take(request: web.Request) -> web.Response:
    # The body is optional: without one the resident sees no name.
    body = await read_body(request, shown_name=TEXT.optional()) if (await request.read()).strip() else {}
    shown_name = checked_shown_name(body.get("shown_name"))
    user = _user(request)
    return web.json_response(live_chat_json(_store(request).live_chats.take(chat_id(request), user, shown_name), user))


@api_handler()
async def send(request: web.Request) -> web.Response:
    body = await read_body(request, text=TEXT)
    text = checked_text(body["text"])
    # Off the event loop: the streams of every staff member are served by the same loop.
    message = await asyncio.to_thread(_store(request).live_chats.send, chat_id(request), _user(request), text)
    return web.json_response(message_json(message))


@api_handler()
async def typing(request: web.Request) -> web.Response:
    await asyncio.to_thread(_store(request).live_chats.typing, chat_id(request), _user(request))
    return web.Response(status=204)


@api_handler()
async def seen(request: web.Request) -> web.Response:
    user = _user(request)
    store, number = _store(request).live_chats, chat_id(request)
    store.seen(number, user)
    return web.json_response(live_chat_json(store.get(number), user))


@api_handler()
async def end(request: web.Request) -> web.Response:
    user = _user(request)
    return web.json_response(live_chat_json(_store(request).live_chats.end(chat_id(request), user), user))


# --- the API's description ----------------------------------------------------------------

STATUS = {"type": "string", "enum": list(STATUSES),
          "description": "waiting: i køen; taken: en medarbejder skriver med borgeren; ended: slut."}
CHAT_PROPERTIES = {
    "id": NUMBER,
    "status": STATUS,
    "channel": {"type": "string", "description": "Hvor borgeren skriver: socketio (chat), rest, gatewayapi, twilio."},
    "language": {"type": "string", "description": "Samtalens sprog (da, en, ar, ...)."},
    "channel_name": {"type": "string", "description": "Kanalen på dansk: Chat på hjemmesiden, SMS, Chat (REST)."},
    "language_name": {"type": "string", "description": "Sproget på dansk, fx Arabisk."},
    "requested_at": {**TIMESTAMP, "description": "Hvornår borgeren bad om at skrive med en medarbejder."},
    "waited_seconds": {"type": "integer", "minimum": 0,
                       "description": "Hvor længe borgeren har ventet (til samtalen blev taget)."},
    "position": {"type": "integer", "minimum": 1, "nullable": True,
                 "description": "Pladsen i køen (1 er den næste); null, når samtalen ikke venter."},
    "staff_name": {"type": "string", "nullable": True, "description": "Medarbejderen, der har samtalen."},
    "mine": {"type": "boolean", "description": "Den, der er logget ind, har samtalen."},
    "shown_name": {"type": "string", "nullable": True,
                   "description": "Det fornavn, borgeren ser; null: borgeren ser »Medarbejder«."},
    "staff_messages": {"type": "integer", "minimum": 0, "description": "Antal beskeder fra medarbejderen."},
    "ended_by": {"type": "string", "nullable": True, "enum": [*ENDED_BY_LABELS, None],
                 "description": "Hvem der afsluttede: staff, resident (skrev stop), waited_too_long eller stale "
                                "(stod åben i over et døgn)."},
}
CHAT_REQUIRED = ("id", "status", "channel", "language", "channel_name", "language_name", "requested_at",
                 "waited_seconds", "position", "staff_name", "mine", "shown_name", "staff_messages", "ended_by")
CHAT_SCHEMA = object_schema(CHAT_PROPERTIES, CHAT_REQUIRED,
                            description="En borger, der venter på eller skriver med en medarbejder.")
MESSAGE_SCHEMA = object_schema({
    "id": NUMBER,
    "kind": {"type": "string", "enum": [RESIDENT, STAFF, NOTICE],
             "description": "resident: fra borgeren; staff: fra medarbejderen; notice: besked til borgeren om "
                            "samtalen (teksten siger på dansk, hvad borgeren fik at vide)."},
    "text": {"type": "string"},
    "created_at": TIMESTAMP,
}, ("id", "kind", "text", "created_at"), description="En besked i den live samtale.")
TURN_SCHEMA = object_schema({
    "from": {"type": "string", "enum": [FROM_RESIDENT, ASSISTANT]},
    "text": {"type": "string", "description": "Uden personoplysninger, som i indbakken."},
    "at": TIMESTAMP,
}, ("from", "text", "at"), description="En besked fra samtalen med chatbotten, før borgeren bad om en medarbejder.")
OPENING = object_schema({
    "open": {"type": "boolean", "description": "Live chatten er åben nu."},
    "hours": {"type": "string", "description": "Åbningstiderne på dansk, fx 'mandag-torsdag kl. 9-15'."},
    "next_opening": {**TIMESTAMP, "nullable": True,
                     "description": "Hvornår den åbner næste gang (nu, når den er åben); null: aldrig."},
    "closed_days": {"type": "array", "items": {"type": "string", "format": "date"},
                    "description": "Dage fra i dag, som en medarbejder har lukket."},
}, ("open", "hours", "next_opening", "closed_days"), description="Hvornår borgerne kan skrive med en medarbejder.")
QUEUE_SCHEMA = object_schema({
    "live_chat": OPENING,
    "waiting": {"type": "integer", "minimum": 0}, "taken": {"type": "integer", "minimum": 0},
    "chats": {"type": "array", "items": CHAT_SCHEMA},
}, ("live_chat", "waiting", "taken", "chats"))
CHAT_PATH = [{"name": "id", "in": "path", "required": True, "schema": {**NUMBER, "description": "Samtalens nummer."}}]
NOT_FOUND = {"404": error_response("Samtalen findes ikke.")}
TAKEN_ERROR = {"409": error_response("En anden medarbejder har samtalen, eller den er slut (fejlen siger hvem).")}


def _change(summary: str, done: str, operation_id: str, body: Optional[dict] = None) -> dict:
    """A change of one chat: the chat's number in the address says which; ``body`` when it takes one."""
    operation = change_operation(summary, body, {**ok_response(done, CHAT_SCHEMA), **NOT_FOUND, **TAKEN_ERROR},
                                 CHAT_PATH, operationId=operation_id)
    if body is None:
        del operation["requestBody"]
    return operation


OPTIONAL_NAME = {"required": False, "content": json_content(object_schema({
    "shown_name": {"type": "string", "maxLength": MAX_SHOWN_NAME,
                   "description": "Dit fornavn, som borgeren ser det (frivilligt; uden det ser borgeren "
                                  "»Medarbejder«)."},
}))}
TYPING = change_operation("Jeg skriver: borgeren ser, at en medarbejder skriver", None, {
    "204": {"description": "Borgeren får det at vide."}, **NOT_FOUND, **TAKEN_ERROR}, CHAT_PATH,
    operationId="live_chat_typing")
del TYPING["requestBody"]

OPENAPI_PATHS = {
    "/admin/api/live": {"get": read_operation("Live samtaler: borgere, der venter, og samtaler, der er taget", {
        **ok_response("Køen.", QUEUE_SCHEMA), **error_responses(),
    }, operationId="list_live_chats")},
    "/admin/api/live/closed-days": {"post": change_operation(
        "Luk live chatten en dag (eller åbn den igen), uanset åbningstiderne",
        json_body({"date": {"type": "string", "format": "date", "description": "Dagen, i dag eller senere."},
                   "closed": {"type": "boolean", "description": "true: lukket; false: åben igen."}},
                  ("date", "closed")),
        {**ok_response("Sådan er live chatten nu.", OPENING), **error_responses()}, operationId="close_live_chat_day")},
    "/admin/api/live/{id}": {"get": read_operation(
        "Din live samtale: beskederne og samtalen med chatbotten før den (kun for den, der har samtalen)", {
            **ok_response("Samtalen.", object_schema({
                **CHAT_PROPERTIES,
                "messages": {"type": "array", "items": MESSAGE_SCHEMA,
                             "description": "Beskederne, ældste først (med after: kun de nyere)."},
                "conversation": {"type": "array", "items": TURN_SCHEMA, "nullable": True,
                                 "description": "Samtalen med chatbotten indtil nu; null: den kan ikke læses "
                                                "lige nu."},
            }, CHAT_REQUIRED + ("messages", "conversation"))),
            **error_responses("BadRequest"), **NOT_FOUND, **TAKEN_ERROR,
        }, CHAT_PATH + [{"name": "after", "in": "query", "description": "Kun beskeder efter denne besked.",
                         "schema": {"type": "integer", "minimum": 0, "maximum": MAX_NUMBER}}],
        operationId="get_live_chat")},
    "/admin/api/live/{id}/take": {"post": _change(
        "Tag samtalen: chatbotten holder pause, og du skriver med borgeren", "Samtalen er din.", "take_live_chat",
        OPTIONAL_NAME)},
    "/admin/api/live/{id}/send": {"post": change_operation(
        "Send en besked til borgeren (kun den, der har samtalen)",
        json_body({"text": {"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE_CHARS,
                            "description": f"Beskeden, højst {MAX_MESSAGE_CHARS} tegn."}}, ("text",)),
        {**ok_response("Beskeden er sendt.", MESSAGE_SCHEMA), **NOT_FOUND, **TAKEN_ERROR}, CHAT_PATH,
        operationId="send_live_message")},
    "/admin/api/live/{id}/typing": {"post": TYPING},
    "/admin/api/live/{id}/seen": {"post": _change(
        "Jeg er her stadig (sendes jævnligt, mens samtalen er åben)", "Noteret.", "live_chat_seen")},
    "/admin/api/live/{id}/end": {"post": _change(
        "Afslut: samtalen går tilbage til chatbotten", "Samtalen er slut.", "end_live_chat")},
}
