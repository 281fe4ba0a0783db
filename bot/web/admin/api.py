"""The staff JSON API under ``/admin/api/``, described by ``/admin/api/openapi.json``.

Every handler reads and checks its input with ``read_body`` and leaves the
answers to refused changes to ``api_handler``: a wrong request is 400, an
unknown entry 404, a stale version 409 and a change the answer data does not
allow 422 with the problems, all with a Danish ``fejl``. Every change is made
in the logged-in staff member's name and lands in the audit log.
"""
import json
from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable, Dict, Optional

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from bot.answer_store import AnswerStore, EditConflict, StaffUser, StoredEntry, audit
from bot.answer_store.entries import EntryVersion
from bot.answer_store.exchange import export_yaml, import_yaml
from bot.errors import AssistantError, code_for
from bot.knowledge.model import KnowledgeError
from bot.knowledge.schema import KINDS
from bot.web.admin.auth import ADMIN_ONLY, error_response, json_error, require_admin, staff
from bot.web.admin.openapi_parts import MAX_NUMBER
from bot.web.admin.preview import preview_reply
from bot.web.keys import ANSWER_STORE

NOT_SAVED = "Ændringen er ikke gemt. Ret det, der står under 'problemer', og prøv igen."
NOT_IMPORTED = "Filen er ikke indlæst, og intet er ændret. Ret det, der står under 'problemer', og prøv igen."


class ApiError(AssistantError):
    """A request the API refuses, with its status and a Danish message."""

    def __init__(self, status: int, message: str, code: Optional[str] = None):
        super().__init__(message, status=status, code=code or code_for(status))


# --- reading requests ---------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of a JSON body: how to check it and how to name the right kind in Danish."""

    accepts: Callable[[Any], bool]
    described: str
    required: bool = True

    def optional(self) -> "Field":
        return Field(self.accepts, self.described, required=False)


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_NUMBER


NUMBER = Field(_is_number, f"et helt tal fra 1 til {MAX_NUMBER}")
OBJECT = Field(lambda value: isinstance(value, dict), "en samling af felter (et JSON-objekt)")
TEXT = Field(lambda value: isinstance(value, str), "en tekst")
FLAG = Field(lambda value: isinstance(value, bool), "true eller false")


async def read_body(request: web.Request, **fields: Field) -> Dict[str, Any]:
    """The request's JSON object, with each named field present (unless optional) and of the right kind.

    Fields not named are ignored. Raises ``ApiError`` (400) with a Danish message; a body
    over the app's size limit is refused by aiohttp (413, worded by ``error_pages``).
    """
    try:
        body = json.loads(await request.read())
    except (ValueError, RecursionError):
        raise ApiError(400, "Indholdet kan ikke læses som JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Indholdet skal være et JSON-objekt med felter, fx {\"version\": 3}.")
    for name, field in fields.items():
        if name not in body:
            if field.required:
                raise ApiError(400, f"Feltet '{name}' mangler.")
        elif not field.accepts(body[name]):
            raise ApiError(400, f"Feltet '{name}' skal være {field.described}.")
    return body


def query_flag(request: web.Request, name: str, default: bool) -> bool:
    value = request.query.get(name)
    if value is None or value == "":
        return default
    if value.lower() not in ("true", "false"):
        raise ApiError(400, f"Parameteren '{name}' skal være true eller false.")
    return value.lower() == "true"


def query_number(request: web.Request, name: str, default: int, highest: int) -> int:
    value = request.query.get(name)
    if value is None or value == "":
        return default
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= highest:
        raise ApiError(400, f"Parameteren '{name}' skal være et helt tal fra 1 til {highest}.")
    return int(value)


# --- answering ----------------------------------------------------------------------------


def problems_response(error: KnowledgeError, message: str = NOT_SAVED) -> web.Response:
    """A refused change (422): what is wrong, per entry and field, in Danish."""
    problems = [{"post": p.entry, "felt": p.field, "besked": p.message} for p in error.problems]
    return json_error(422, message, KnowledgeError.code, problemer=problems)


def address_number(request: web.Request, unknown: Callable[[str], Exception]) -> int:
    """The number in the address (``{id}``); one that cannot exist raises ``unknown(value)``."""
    value = request.match_info["id"]
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_NUMBER:
        raise unknown(value)
    return int(value)


def api_handler(refused: str = NOT_SAVED):
    """Turns what the store refuses into Danish JSON errors; ``refused`` heads a 422's problems."""

    def decorate(handler):
        @wraps(handler)
        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except web.HTTPForbidden:  # require_admin
                return json_error(403, ADMIN_ONLY)
            except KnowledgeError as error:
                return problems_response(error, refused)
            except EditConflict as error:
                return error_response(error, nuvaerende_version=error.version)
            except AssistantError as error:
                return error_response(error)

        return handle

    return decorate


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _user(request: web.Request) -> str:
    return staff(request).user.name


def _entry_state(stored: StoredEntry) -> dict:
    return {"id": stored.id, "kind": stored.kind, "version": stored.version, "retired": stored.retired,
            "updated_at": stored.updated_at.isoformat(), "updated_by": stored.updated_by}


def entry_summary(stored: StoredEntry) -> dict:
    return {**_entry_state(stored), "name": stored.name}


def entry_json(stored: StoredEntry) -> dict:
    return {**_entry_state(stored), "data": stored.data}


def version_json(version: EntryVersion) -> dict:
    return {"version": version.version, "action": version.action, "changed_at": version.changed_at.isoformat(),
            "changed_by": version.changed_by, "retired": version.retired, "data": version.data}


def user_json(user: StaffUser) -> dict:
    return {"name": user.name, "is_admin": user.is_admin, "active": user.active,
            "created_at": user.created_at.isoformat()}


# --- entries ------------------------------------------------------------------------------


@api_handler()
async def list_entries(request: web.Request) -> web.Response:
    include_retired = query_flag(request, "include_retired", default=True)
    kind = request.query.get("kind", "")
    if kind and kind not in KINDS:
        raise ApiError(400, f"Ukendt type '{kind}'. Brug en af: {', '.join(KINDS)}.")
    entries = _store(request).entries
    text = request.query.get("q", "").strip()
    found = entries.search(text, include_retired) if text else entries.all(include_retired)
    return web.json_response({"entries": [entry_summary(s) for s in found if not kind or s.kind == kind]})


@api_handler()
async def get_entry(request: web.Request) -> web.Response:
    return web.json_response(entry_json(_store(request).entries.get(request.match_info["id"])))


@api_handler()
async def create_entry(request: web.Request) -> web.Response:
    body = await read_body(request, data=OBJECT)
    stored = _store(request).entries.create(body["data"], _user(request))
    return web.json_response(entry_json(stored), status=201,
                             headers={"Location": f"/admin/api/entries/{stored.id}"})


@api_handler()
async def update_entry(request: web.Request) -> web.Response:
    body = await read_body(request, version=NUMBER, data=OBJECT)
    entries, entry_id, data = _store(request).entries, request.match_info["id"], body["data"]
    if "translations" not in data:  # left out: kept as stored (they have their own routes)
        kept = entries.get(entry_id).data.get("translations")
        data = {**data, "translations": kept} if kept else data
    stored = entries.update(entry_id, data, body["version"], _user(request))
    return web.json_response(entry_json(stored))


@api_handler()
async def retire_entry(request: web.Request) -> web.Response:
    body = await read_body(request, version=NUMBER)
    stored = _store(request).entries.retire(request.match_info["id"], body["version"], _user(request))
    return web.json_response(entry_json(stored))


@api_handler()
async def restore_entry(request: web.Request) -> web.Response:
    body = await read_body(request, version=NUMBER, to_version=NUMBER)
    stored = _store(request).entries.restore(request.match_info["id"], body["to_version"], body["version"],
                                             _user(request))
    return web.json_response(entry_json(stored))


@api_handler()
async def entry_history(request: web.Request) -> web.Response:
    versions = _store(request).entries.history(request.match_info["id"])
    return web.json_response({"versions": [version_json(v) for v in versions]})


@api_handler(refused="Posten kan ikke vises, som den er. Ret det, der står under 'problemer'.")
async def preview(request: web.Request) -> web.Response:
    body = await read_body(request, data=OBJECT, entry_id=TEXT.optional())
    reply = preview_reply(_store(request).entries, body["data"], body.get("entry_id") or None)
    return web.json_response({"text": reply.text, "buttons": reply.buttons})


# --- export and import ----------------------------------------------------------------------


async def export_entries(request: web.Request) -> web.Response:
    return web.Response(text=export_yaml(_store(request).entries), content_type="application/yaml",
                        charset="utf-8", headers={"Content-Disposition": 'attachment; filename="svardata.yml"'})


async def _uploaded_file(request: web.Request) -> bytes:
    """The file of a form upload (field ``file``), else the whole body (YAML, whatever its content type)."""
    if request.content_type != "multipart/form-data":
        return await request.read()
    try:
        upload = (await request.post()).get("file")
    except (ValueError, HttpProcessingError):
        raise ApiError(400, "Formularen kan ikke læses.") from None
    if isinstance(upload, web.FileField):
        return upload.file.read()
    if isinstance(upload, str):
        return upload.encode("utf-8")
    if isinstance(upload, (bytes, bytearray)):
        return bytes(upload)
    raise ApiError(400, "Vælg en fil (formularfeltet 'file').")


@api_handler(refused=NOT_IMPORTED)
async def import_entries(request: web.Request) -> web.Response:
    counts = import_yaml(_store(request).entries, await _uploaded_file(request), _user(request))
    return web.json_response({"oprettet": counts["created"], "aendret": counts["changed"],
                              "uaendret": counts["unchanged"]})


# --- staff accounts and audit log (administrators) ------------------------------------------------


@api_handler()
async def list_users(request: web.Request) -> web.Response:
    require_admin(request)
    return web.json_response({"users": [user_json(u) for u in _store(request).staff.list()]})


@api_handler()
async def add_user(request: web.Request) -> web.Response:
    require_admin(request)
    body = await read_body(request, name=TEXT, password=TEXT, is_admin=FLAG.optional())
    user = _store(request).staff.add(body["name"].strip(), body["password"], body.get("is_admin", False),
                                     by=_user(request))
    return web.json_response(user_json(user), status=201)


@api_handler()
async def set_user_active(request: web.Request) -> web.Response:
    require_admin(request)
    body = await read_body(request, active=FLAG)
    name = request.match_info["name"]
    if name == _user(request) and not body["active"]:
        raise ApiError(422, "Du kan ikke lukke din egen konto. Bed en anden administrator om det.")
    return web.json_response(user_json(_store(request).staff.set_active(name, body["active"], by=_user(request))))


@api_handler()
async def audit_log(request: web.Request) -> web.Response:
    require_admin(request)
    records = audit.recent(_store(request).engine, limit=query_number(request, "limit", default=200, highest=1000))
    return web.json_response({"records": [
        {"at": r.at.isoformat(), "user": r.user_name, "action": r.action, "entry_id": r.entry_id,
         "details": r.details}
        for r in records
    ]})


# --- the API's own description ---------------------------------------------------------------------
