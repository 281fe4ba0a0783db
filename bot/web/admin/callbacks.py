"""Residents' requests to be called back: a page for staff and the JSON API.

Staff see every request, newest first, call the resident (the number is a
``tel:`` link), and mark the request taken ("Jeg tager den") and done
("Færdig"). Login and the CSRF check on changes come from ``auth.staff_only``;
every status change is in the audit log. Requests are deleted after the
retention period (``bot.privacy.retention``).
"""
from functools import wraps
from typing import Optional

from aiohttp import web

from bot.answer_store import AnswerStore, CallbackNotFound, CallbackRequest
from bot.answer_store.callbacks import DONE, NEW, STATUSES, TAKEN, spaced_phone
from bot.insights.labels import channel_label
from bot.web.admin.api import TEXT, ApiError, address_number, api_handler, read_body
from bot.web.admin.auth import json_error, staff
from bot.web.admin.openapi_parts import (
    NUMBER, TIMESTAMP, change_operation, error_response, error_responses, json_body, object_schema,
    ok_response, read_operation,
)
from bot.web.admin.pages import render
from bot.web.keys import ANSWER_STORE, PRIVACY

# How staff read a status and a channel.
STATUS_LABELS = {NEW: "Ny", TAKEN: "Taget", DONE: "Færdig"}
FILTERS = ((None, "Alle"), (NEW, "Nye"), (TAKEN, "Taget"), (DONE, "Færdige"))
NOTICES = {
    TAKEN: "Du har taget opringningen. Husk at trykke »Færdig«, når du har ringet.",
    DONE: "Opringningen er markeret som færdig.",
    NEW: "Opringningen er sat tilbage til ny.",
}
UNKNOWN_STATUS = f"Feltet 'status' skal være en af: {', '.join(STATUSES)}."


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _request_id(request: web.Request) -> int:
    return address_number(request, CallbackNotFound)


def _status_filter(value: Optional[str]) -> Optional[str]:
    if value in (None, ""):
        return None
    if value not in STATUSES:
        raise ApiError(400, f"Parameteren 'status' skal være en af: {', '.join(STATUSES)}.")
    return value


# --- page ---------------------------------------------------------------------------------


async def callbacks_page(request: web.Request) -> web.Response:
    shown = request.query.get("status") or None
    if shown not in STATUSES:
        shown = None
    notice = NOTICES.get(request.query.get("opdateret", ""))
    return render(
        request, "admin/callbacks.html", section="callbacks",
        requests=_store(request).callbacks.list(shown), shown=shown, filters=FILTERS,
        statuses=STATUS_LABELS, channel_label=channel_label, phone=spaced_phone,
        days=f"{request.app[PRIVACY].retention_days:g}", messages=[notice] if notice else [],
    )


async def set_status_page(request: web.Request) -> web.Response:
    status = (await request.post()).get("status")
    if status not in STATUSES:
        raise web.HTTPBadRequest()
    try:
        _store(request).callbacks.set_status(_request_id(request), status, staff(request).user.name)
    except CallbackNotFound:
        raise web.HTTPNotFound() from None
    raise web.HTTPSeeOther(f"/admin/callbacks?opdateret={status}")


# --- API ----------------------------------------------------------------------------------


def callback_json(callback: CallbackRequest) -> dict:
    return {"id": callback.id, "created_at": callback.created_at.isoformat(), "first_name": callback.first_name,
            "phone": callback.phone, "topic": callback.topic, "channel": callback.channel,
            "status": callback.status, "handled_by": callback.handled_by,
            "updated_at": callback.updated_at.isoformat()}


def _not_found(handler):
    """An unknown request (or an id no request can have) is 404, in Danish."""

    @wraps(handler)
    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except CallbackNotFound as error:
            return json_error(404, str(error))

    return handle


@_not_found
@api_handler()
async def list_callbacks(request: web.Request) -> web.Response:
    status = _status_filter(request.query.get("status"))
    return web.json_response({"callbacks": [callback_json(c) for c in _store(request).callbacks.list(status)]})


@_not_found
@api_handler()
async def set_status(request: web.Request) -> web.Response:
    request_id = _request_id(request)
    body = await read_body(request, status=TEXT)
    if body["status"] not in STATUSES:
        raise ApiError(400, UNKNOWN_STATUS)
    changed = _store(request).callbacks.set_status(request_id, body["status"], staff(request).user.name)
    return web.json_response(callback_json(changed))


# --- the API's description ----------------------------------------------------------------

STATUS = {"type": "string", "enum": list(STATUSES),
          "description": "new: ingen har taget den; taken: en medarbejder ringer; done: færdig."}
CALLBACK = object_schema({
    "id": NUMBER,
    "created_at": {**TIMESTAMP, "description": "Hvornår beboeren bad om at blive ringet op."},
    "first_name": {"type": "string", "description": "Beboerens fornavn."},
    "phone": {"type": "string", "pattern": "^[0-9]{8}$", "description": "Dansk telefonnummer, 8 cifre."},
    "topic": {"type": "string", "description": "Hvad det drejer sig om, med beboerens ord."},
    "channel": {"type": "string", "description": "Hvor beboeren skrev: socketio (chat), rest, gatewayapi, twilio."},
    "status": STATUS,
    "handled_by": {"type": "string", "nullable": True, "description": "Medarbejderen, der tog den."},
    "updated_at": TIMESTAMP,
}, required=("id", "created_at", "first_name", "phone", "topic", "channel", "status", "handled_by", "updated_at"),
    description="Et ønske om at blive ringet op. Slettes automatisk efter opbevaringsperioden.")
NOT_FOUND = {"404": error_response("Opringningen findes ikke (den kan være slettet).")}

OPENAPI_PATHS = {
    "/admin/api/callbacks": {"get": read_operation("Beboernes ønsker om at blive ringet op, nyeste først", {
        **ok_response("Ønskerne.", object_schema({"callbacks": {"type": "array", "items": CALLBACK}}, ("callbacks",))),
        **error_responses("BadRequest"),
    }, [{"name": "status", "in": "query", "schema": STATUS, "description": "Kun ønsker med denne status."}],
        operationId="list_callbacks")},
    "/admin/api/callbacks/{id}/status": {"post": change_operation(
        "Sæt status på et ønske: taken (jeg tager den), done (færdig) eller new (tilbage til ny)",
        json_body({"status": STATUS}, ("status",)), {
            **ok_response("Status er ændret.", CALLBACK), **NOT_FOUND,
        }, [{"name": "id", "in": "path", "required": True, "schema": {**NUMBER, "description": "Ønskets nummer."}}],
        operationId="set_callback_status")},
}
