"""Entries to check ("Skal tjekkes") in the staff JSON API: the list and "Stadig rigtigt".

``GET /admin/api/reviews`` lists the active entries that are overdue or due
within ``days`` (14), the logged-in staff member's own first, then the one
due longest first, each with its owner, review date, why it is listed and its
last change. ``POST /admin/api/reviews/{id}/checked`` marks an entry checked
without changing its text (``EntryStore.mark_checked``): a new version, in the
history and the audit log in the staff member's name. The rules are in
``bot.answer_store.review_dates``; login and the CSRF check come from
``auth.staff_only`` as for every other route.
"""
from aiohttp import web

from bot.answer_store import AnswerStore, DueEntry
from bot.answer_store.review_dates import NOTICE_DAYS, STATES
from bot.answer_store.times import danish_today
from bot.insights import MAX_DAYS
from bot.knowledge.schema import KINDS, MAX_LENGTHS
from bot.web.admin.api import NUMBER as NUMBER_FIELD
from bot.web.admin.api import ApiError, api_handler, entry_json, query_number, read_body
from bot.web.admin.auth import staff
from bot.web.admin.openapi_parts import (
    ENTRY_PATH, NUMBER, TIMESTAMP, VERSION_FIELD, change_operation, error_responses, json_body, object_schema,
    ok_response, read_operation, ref,
)
from bot.web.keys import ANSWER_STORE


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def due_entry_json(item: DueEntry) -> dict:
    change = item.last_change
    return {
        "id": item.id, "name": item.name, "kind": item.kind, "version": item.version, "owner": item.owner,
        "mine": item.mine, "review_due": item.review_due.isoformat() if item.review_due else None,
        "state": item.state,
        "reasons": [{"code": reason.code, "text": reason.text, "sentence": reason.sentence, "phrase": reason.phrase}
                    for reason in item.reasons],
        "last_change": {"version": change.version, "action": change.action, "changed_at": change.changed_at.isoformat(),
                        "changed_by": change.changed_by, "fields": change.fields},
    }


@api_handler()
async def list_due(request: web.Request) -> web.Response:
    days = query_number(request, "days", default=NOTICE_DAYS, highest=MAX_DAYS)
    owner = request.query.get("owner", "").strip() or None
    if owner is not None and len(owner) > MAX_LENGTHS["owner"]:
        raise ApiError(400, f"Parameteren 'owner' må højst have {MAX_LENGTHS['owner']} tegn.")
    today = danish_today()
    listed = _store(request).review_dates.due(today, days, user=staff(request).user.name, owner=owner)
    return web.json_response({
        "today": today.isoformat(), "days": days,
        **{state: sum(1 for item in listed if item.state == state) for state in STATES},
        "entries": [due_entry_json(item) for item in listed],
    })


@api_handler()
async def mark_checked(request: web.Request) -> web.Response:
    body = await read_body(request, version=NUMBER_FIELD)
    stored = _store(request).entries.mark_checked(request.match_info["id"], body["version"], staff(request).user.name)
    return web.json_response(entry_json(stored))


# --- the API's description --------------------------------------------------------------------

COUNT = {"type": "integer", "minimum": 0}
DATE = {"type": "string", "format": "date"}
STATE = {"type": "string", "enum": list(STATES),
         "description": "overdue: tjekdatoen er overskredet, eller teksten (eller slutdatoen) nævner en dato, "
                        "der er gået; due: tjekdatoen er i dag eller inden for de næste 'days' dage."}
REASON = object_schema({
    "code": {"type": "string", "enum": ["review_date_passed", "review_date_soon", "no_review_date",
                                        "end_date_passed", "date_in_text_passed"]},
    "text": {"type": "string", "description": "Hvorfor posten skal tjekkes, på dansk."},
    "sentence": {"type": "string", "nullable": True,
                 "description": "Sætningen i teksten, der nævner en dato, der er gået (ellers null)."},
    "phrase": {"type": "string", "nullable": True,
               "description": "Datoen, som den står i teksten, fx '31. august 2025' (ellers null)."},
}, ("code", "text", "sentence", "phrase"))
DUE_ENTRY = object_schema({
    "id": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)},
    "version": {**NUMBER, "description": "Postens version; sendes med, når den markeres som tjekket."},
    "owner": {"type": "string", "nullable": True, "description": "Medarbejderen eller teamet, der ejer posten."},
    "mine": {"type": "boolean", "description": "Posten ejes af den, der er logget ind."},
    "review_due": {**DATE, "nullable": True, "description": "Tjekdatoen: posten skal tjekkes senest denne dag."},
    "state": STATE,
    "reasons": {"type": "array", "minItems": 1, "items": REASON},
    "last_change": object_schema({
        "version": NUMBER, "action": {"type": "string"}, "changed_at": TIMESTAMP, "changed_by": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "string"},
                   "description": "Felterne, der blev ændret i den seneste version."},
    }, ("version", "action", "changed_at", "changed_by", "fields")),
}, required=("id", "name", "kind", "version", "owner", "mine", "review_due", "state", "reasons", "last_change"))

OPENAPI_PATHS = {
    "/admin/api/reviews": {"get": read_operation(
        "Skal tjekkes: poster, hvis tjekdato er overskredet eller nær (egne poster først, derefter de ældste)", {
            **ok_response("Posterne.", object_schema({
                "today": DATE, "days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
                "overdue": {**COUNT, "description": "Poster, der er overskredet."},
                "due": {**COUNT, "description": "Poster, der skal tjekkes inden for 'days' dage."},
                "entries": {"type": "array", "items": DUE_ENTRY},
            }, ("today", "days", "overdue", "due", "entries"))),
            **error_responses("BadRequest"),
        }, parameters=[
            {"name": "days", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": NOTICE_DAYS},
             "description": "Medtag poster, der skal tjekkes inden for så mange dage."},
            {"name": "owner", "in": "query", "schema": {"type": "string", "maxLength": MAX_LENGTHS["owner"]},
             "description": "Kun denne ejers poster (store og små bogstaver er lige gode)."},
        ], operationId="list_due_reviews")},
    "/admin/api/reviews/{id}/checked": {"post": change_operation(
        "Stadig rigtigt: markér posten som tjekket uden at ændre teksten (tjekdatoen rykkes frem)",
        json_body(VERSION_FIELD, ("version",)), {
            **ok_response("Posten er tjekket (en ny version med ny tjekdato).", ref("schemas", "StoredEntry")),
            **error_responses("NotFound", "Conflict", "Problems"),
        }, ENTRY_PATH, operationId="mark_checked")},
}
