"""The live chat's queue in the staff JSON API ("Live samtaler").

``GET /admin/api/live`` lists the waiting and taken chats, oldest request
first, with how long each has waited and its place in the queue;
``POST /admin/api/live/{id}/take`` assigns one to the logged-in staff member
(two at once: one wins, the other gets 409 naming who has it);
``POST /admin/api/live/{id}/seen`` is the staff page saying it is still
there (without it for the grace period the chat goes back to the queue);
``POST /admin/api/live/{id}/end`` hands the conversation back to the
assistant. The list also says whether the live chat is open
(``LIVE_CHAT_HOURS`` and the days staff closed, ``POST
/admin/api/live/closed-days``). The rules are in
``bot.answer_store.live_chats``; login, the CSRF and origin checks come from
``auth.staff_only`` as for every other route.
"""
import datetime

from aiohttp import web

from bot.answer_store import AnswerStore, LiveChat, LiveChatNotFound
from bot.answer_store.live_chats import BY_RESIDENT, BY_STAFF, STATUSES, WAITED_TOO_LONG, WAITING
from bot.answer_store.times import danish_today, now
from bot.web.admin.api import FLAG, TEXT, ApiError, address_number, api_handler, read_body
from bot.web.admin.auth import staff
from bot.web.admin.openapi_parts import (
    NUMBER, TIMESTAMP, change_operation, error_response, error_responses, json_body, object_schema, ok_response,
    read_operation,
)
from bot.web.keys import ANSWER_STORE, LIVE_CHAT

def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _chat_id(request: web.Request) -> int:
    return address_number(request, LiveChatNotFound)


def live_chat_json(chat: LiveChat, user: str, position=None) -> dict:
    return {
        "id": chat.id, "status": chat.status, "channel": chat.channel, "language": chat.language,
        "requested_at": chat.requested_at.isoformat(),
        "waited_seconds": int(((chat.taken_at or now()) - chat.requested_at).total_seconds()),
        "position": position, "staff_name": chat.staff_name, "mine": chat.staff_name == user,
        "staff_messages": chat.staff_messages, "ended_by": chat.ended_by,
    }


def opening_json(request: web.Request) -> dict:
    """Whether the live chat is open now, its hours, when it opens next and the days staff closed."""
    hours, moment = request.app[LIVE_CHAT].hours, now()
    closed = _store(request).live_chats.closed_days(danish_today())
    opening = hours.next_opening(moment, closed)
    return {"open": hours.is_open(moment, closed), "hours": hours.describe(),
            "next_opening": opening.isoformat() if opening else None,
            "closed_days": sorted(day.isoformat() for day in closed)}


@api_handler()
async def list_live(request: web.Request) -> web.Response:
    user = staff(request).user.name
    chats = _store(request).live_chats.open_chats()
    waiting = [c for c in chats if c.status == WAITING]
    places = {chat.id: place for place, chat in enumerate(waiting, start=1)}
    return web.json_response({
        "live_chat": opening_json(request),
        "waiting": len(waiting), "taken": len(chats) - len(waiting),
        "chats": [live_chat_json(chat, user, places.get(chat.id)) for chat in chats],
    })


@api_handler()
async def close_day(request: web.Request) -> web.Response:
    body = await read_body(request, date=TEXT, closed=FLAG)
    try:
        day = datetime.date.fromisoformat(body["date"])
    except ValueError:
        raise ApiError(400, "Feltet 'date' skal være en dato som 2026-12-24.") from None
    if day < danish_today():
        raise ApiError(400, "Dagen er gået. Vælg i dag eller en dag, der kommer.")
    _store(request).live_chats.close_day(day, staff(request).user.name, body["closed"])
    return web.json_response(opening_json(request))


@api_handler()
async def take(request: web.Request) -> web.Response:
    user = staff(request).user.name
    return web.json_response(live_chat_json(_store(request).live_chats.take(_chat_id(request), user), user))


@api_handler()
async def seen(request: web.Request) -> web.Response:
    user = staff(request).user.name
    chat_id = _chat_id(request)
    _store(request).live_chats.seen(chat_id, user)
    return web.json_response(live_chat_json(_store(request).live_chats.get(chat_id), user))


@api_handler()
async def end(request: web.Request) -> web.Response:
    user = staff(request).user.name
    return web.json_response(live_chat_json(_store(request).live_chats.end(_chat_id(request), user), user))


# --- the API's description ----------------------------------------------------------------

STATUS = {"type": "string", "enum": list(STATUSES),
          "description": "waiting: i køen; taken: en medarbejder skriver med borgeren; ended: slut."}
CHAT_SCHEMA = object_schema({
    "id": NUMBER,
    "status": STATUS,
    "channel": {"type": "string", "description": "Hvor borgeren skriver: socketio (chat), rest, gatewayapi, twilio."},
    "language": {"type": "string", "description": "Samtalens sprog (da, en, ar, ...)."},
    "requested_at": {**TIMESTAMP, "description": "Hvornår borgeren bad om at skrive med en medarbejder."},
    "waited_seconds": {"type": "integer", "minimum": 0,
                       "description": "Hvor længe borgeren har ventet (til samtalen blev taget)."},
    "position": {"type": "integer", "minimum": 1, "nullable": True,
                 "description": "Pladsen i køen (1 er den næste); null, når samtalen ikke venter."},
    "staff_name": {"type": "string", "nullable": True, "description": "Medarbejderen, der har samtalen."},
    "mine": {"type": "boolean", "description": "Den, der er logget ind, har samtalen."},
    "staff_messages": {"type": "integer", "minimum": 0, "description": "Antal beskeder fra medarbejderen."},
    "ended_by": {"type": "string", "nullable": True, "enum": [BY_STAFF, BY_RESIDENT, WAITED_TOO_LONG, None],
                 "description": "Hvem der afsluttede: staff, resident (skrev stop) eller waited_too_long."},
}, required=("id", "status", "channel", "language", "requested_at", "waited_seconds", "position", "staff_name",
             "mine", "staff_messages", "ended_by"),
    description="En borger, der venter på eller skriver med en medarbejder.")
OPENING = object_schema({
    "open": {"type": "boolean", "description": "Live chatten er åben nu."},
    "hours": {"type": "string", "description": "Åbningstiderne på dansk, fx 'mandag-torsdag kl. 9-15'."},
    "next_opening": {**TIMESTAMP, "nullable": True,
                     "description": "Hvornår den åbner næste gang (nu, når den er åben); null: aldrig."},
    "closed_days": {"type": "array", "items": {"type": "string", "format": "date"},
                    "description": "Dage fra i dag, som en medarbejder har lukket."},
}, ("open", "hours", "next_opening", "closed_days"), description="Hvornår borgerne kan skrive med en medarbejder.")
CHAT_PATH = [{"name": "id", "in": "path", "required": True, "schema": {**NUMBER, "description": "Samtalens nummer."}}]
NOT_FOUND = {"404": error_response("Samtalen findes ikke.")}
TAKEN = {"409": error_response("En anden medarbejder har samtalen, eller den er slut (fejlen siger hvem).")}


def _change(summary: str, done: str, operation_id: str) -> dict:
    """A change without a body: the chat's number in the address says it all."""
    operation = change_operation(summary, None, {**ok_response(done, CHAT_SCHEMA), **NOT_FOUND, **TAKEN}, CHAT_PATH,
                                 operationId=operation_id)
    del operation["requestBody"]
    return operation


OPENAPI_PATHS = {
    "/admin/api/live": {"get": read_operation("Live samtaler: borgere, der venter, og samtaler, der er taget", {
        **ok_response("Køen.", object_schema({
            "live_chat": OPENING,
            "waiting": {"type": "integer", "minimum": 0}, "taken": {"type": "integer", "minimum": 0},
            "chats": {"type": "array", "items": CHAT_SCHEMA},
        }, ("live_chat", "waiting", "taken", "chats"))),
        **error_responses(),
    }, operationId="list_live_chats")},
    "/admin/api/live/closed-days": {"post": change_operation(
        "Luk live chatten en dag (eller åbn den igen), uanset åbningstiderne",
        json_body({"date": {"type": "string", "format": "date", "description": "Dagen, i dag eller senere."},
                   "closed": {"type": "boolean", "description": "true: lukket; false: åben igen."}},
                  ("date", "closed")),
        {**ok_response("Sådan er live chatten nu.", OPENING), **error_responses()}, operationId="close_live_chat_day")},
    "/admin/api/live/{id}/take": {"post": _change(
        "Tag samtalen: chatbotten holder pause, og du skriver med borgeren", "Samtalen er din.", "take_live_chat")},
    "/admin/api/live/{id}/seen": {"post": _change(
        "Jeg er her stadig (sendes jævnligt, mens samtalen er åben)", "Noteret.", "live_chat_seen")},
    "/admin/api/live/{id}/end": {"post": _change(
        "Afslut: samtalen går tilbage til chatbotten", "Samtalen er slut.", "end_live_chat")},
}
