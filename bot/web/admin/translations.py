"""An entry's translations: the staff pages and the JSON API.

Staff write a translation (name, summary, details, and title and hours where
the Danish has them), confirm one that is "Skal tjekkes" ("Stadig rigtig") and
delete one. Each is a change to the entry in the answer store: a new version
in its history, checked like any other change, with an audit-log line naming
the language (never the text). Login and the CSRF and origin checks come from
``auth.staff_only``.
"""
from typing import Optional, Sequence

from aiohttp import web

from bot.answer_store import AnswerStore, EditConflict, NotFound, StoredEntry
from bot.answer_store.errors import TranslationNotFound
from bot.answer_store.times import danish_time
from bot.knowledge.model import KnowledgeError, Problem
from bot.knowledge.schema import MAX_LENGTHS, TRANSLATED_FIELDS, Entry
from bot.language.texts import language_name
from bot.web.admin import translation_forms as tf
from bot.web.admin.api import NUMBER, ApiError, Field, api_handler, read_body
from bot.web.admin.auth import staff
from bot.web.admin.openapi_parts import (
    CHANGE, ENTRY_PATH, MAX_NUMBER, NUMBER as NUMBER_SCHEMA, VERSION_FIELD, change_operation, error_responses,
    json_body, object_schema, ok_response, optional, read_operation, text_schema,
)
from bot.web.admin.pages import entry_page, query_number, render
from bot.web.admin.translation_forms import LANGUAGES
from bot.web.keys import ANSWER_STORE

NOT_SAVED = "Oversættelsen er ikke gemt. Ret dette og prøv igen:"
NOT_CHANGED = "Oversættelsen er ikke ændret"
HELP = {
    "name": "Postens navn på sproget. Lad feltet stå tomt, hvis navnet er det samme som på dansk.",
    "summary": f"Det svar, borgerne får først. Højst {MAX_LENGTHS['summary']} tegn.",
    "details": f"Vises, når borgeren beder om at høre mere. Højst {MAX_LENGTHS['details']} tegn.",
    "title": f"Kontaktens titel på sproget. Højst {MAX_LENGTHS['title']} tegn.",
    "hours": f"Åbningstiderne på sproget. Højst {MAX_LENGTHS['hours']} tegn.",
}


def _store(request: web.Request) -> AnswerStore:
    return request.app[ANSWER_STORE]


def _user(request: web.Request) -> str:
    return staff(request).user.name


def _page_stored(request: web.Request) -> StoredEntry:
    try:
        return _store(request).entries.get(request.match_info["id"])
    except NotFound:
        raise web.HTTPNotFound() from None


def _page_language(request: web.Request) -> str:
    language = request.match_info["language"]
    if language not in LANGUAGES:
        raise web.HTTPNotFound()
    return language


def _changed_meanwhile(error: EditConflict) -> str:
    return (f"Posten er blevet ændret af {error.changed_by} ({danish_time(error.changed_at)}), mens du så på den. "
            "Herunder ser du den nyeste udgave. Prøv igen, hvis det stadig er rigtigt.")


# --- pages ----------------------------------------------------------------------------------


def _translation_page(request: web.Request, stored: StoredEntry, language: str, values: dict, version: int,
                      problems: Sequence[Problem] = (), conflict: Optional[str] = None,
                      status: int = 200) -> web.Response:
    entry = stored.entry
    shown = next((row for row in tf.rows(entry) if row["language"] == language), None)
    return render(
        request, "admin/translation.html", status=status, section="svar",
        stored=stored, language=language, title=tf.language_title(language, in_sentence=True),
        dir=tf.direction(language),
        values=values, version=version, fields=tf.form_fields(entry, values), help=HELP,
        danish=tf.danish_texts(entry), shown=shown, errors=tf.field_problems(problems, language),
        problems=tf.problem_items(problems, language), alert=NOT_SAVED, conflict=conflict,
    )


async def translation_page(request: web.Request) -> web.Response:
    stored, language = _page_stored(request), _page_language(request)
    existing = (stored.data.get("translations") or {}).get(language)
    return _translation_page(request, stored, language, tf.values_from_translation(existing), stored.version)


async def save_translation_page(request: web.Request) -> web.Response:
    stored, language = _page_stored(request), _page_language(request)
    post = await request.post()
    values, version = tf.values_from_post(post), query_number(post.get("version"))
    try:
        _store(request).entries.set_translation(stored.id, language, values, version, _user(request))
    except KnowledgeError as error:
        return _translation_page(request, stored, language, values, version, problems=error.problems, status=400)
    except EditConflict as error:
        return _translation_page(request, _page_stored(request), language, values, version, conflict=str(error),
                                 status=409)
    raise web.HTTPSeeOther(f"/admin/entries/{stored.id}?oversat=1")


async def _change_page(request: web.Request, change, notice: str) -> web.Response:
    """Confirm or delete a translation from the entry page, then back to it."""
    stored, language = _page_stored(request), _page_language(request)
    post = await request.post()
    try:
        change(_store(request).entries)(stored.id, language, query_number(post.get("version")), _user(request))
    except TranslationNotFound:
        raise web.HTTPNotFound() from None
    except EditConflict as error:
        return entry_page(request, _page_stored(request), items=[{"text": _changed_meanwhile(error), "href": None}],
                          alert=NOT_CHANGED, status=409)
    except KnowledgeError as error:
        items = [{"text": problem.message, "href": None} for problem in error.problems]
        return entry_page(request, _page_stored(request), items=items, alert=NOT_CHANGED, status=400)
    raise web.HTTPSeeOther(f"/admin/entries/{stored.id}?{notice}=1")


async def confirm_translation_page(request: web.Request) -> web.Response:
    return await _change_page(request, lambda entries: entries.confirm_translation, "bekraeftet")


async def delete_translation_page(request: web.Request) -> web.Response:
    return await _change_page(request, lambda entries: entries.remove_translation, "oversaettelse_slettet")


# --- API ------------------------------------------------------------------------------------

OPTIONAL_TEXT = Field(lambda value: value is None or isinstance(value, str), "en tekst eller null", required=False)
TEXT_FIELD = Field(lambda value: isinstance(value, str), "en tekst")


def _api_language(request: web.Request) -> str:
    language = request.match_info["language"]
    if language not in LANGUAGES:
        raise ApiError(404, f"Sproget '{language}' kan ikke vælges. Brug en af: {', '.join(LANGUAGES)}.")
    return language


def translation_json(entry: Entry, language: str) -> dict:
    translation = entry.translations[language]
    return {
        "language": language, "language_name": language_name(language),
        "current": entry.translation_is_current(language),
        **{field: getattr(translation, field) for field in TRANSLATED_FIELDS},
        "written_for": translation.written_for, "checked_by": translation.checked_by,
        "checked_on": translation.checked_on.isoformat() if translation.checked_on else None,
    }


def translations_json(stored: StoredEntry) -> dict:
    entry = stored.entry
    return {"id": stored.id, "version": stored.version, "danish_fingerprint": entry.danish_fingerprint(),
            "translations": [translation_json(entry, code) for code in LANGUAGES if code in entry.translations]}


def _version_parameter(request: web.Request) -> int:
    value = request.query.get("version", "")
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_NUMBER:
        raise ApiError(400, f"Parameteren 'version' skal være et helt tal fra 1 til {MAX_NUMBER}.")
    return int(value)


@api_handler()
async def list_translations(request: web.Request) -> web.Response:
    return web.json_response(translations_json(_store(request).entries.get(request.match_info["id"])))


@api_handler()
async def put_translation(request: web.Request) -> web.Response:
    language = _api_language(request)
    body = await read_body(request, version=NUMBER, summary=TEXT_FIELD,
                           **{field: OPTIONAL_TEXT for field in TRANSLATED_FIELDS if field != "summary"})
    texts = {field: body.get(field) for field in TRANSLATED_FIELDS}
    stored = _store(request).entries.set_translation(request.match_info["id"], language, texts, body["version"],
                                                     _user(request))
    return web.json_response(translations_json(stored))


@api_handler()
async def confirm_translation(request: web.Request) -> web.Response:
    language = _api_language(request)
    body = await read_body(request, version=NUMBER)
    stored = _store(request).entries.confirm_translation(request.match_info["id"], language, body["version"],
                                                         _user(request))
    return web.json_response(translations_json(stored))


@api_handler()
async def delete_translation(request: web.Request) -> web.Response:
    language = _api_language(request)
    stored = _store(request).entries.remove_translation(request.match_info["id"], language,
                                                        _version_parameter(request), _user(request))
    return web.json_response(translations_json(stored))


# --- the API's description -------------------------------------------------------------------

# A translation's texts: the same limits as the Danish.
TEXTS = {
    "name": optional(text_schema("name", "Postens navn på sproget (udelades: det danske navn).")),
    "summary": text_schema("summary", "Svaret i kort form, på sproget."),
    "details": optional(text_schema("details", "Mere at fortælle, på sproget.")),
    "title": optional(text_schema("title", "Kontaktens titel, på sproget.")),
    "hours": optional(text_schema("hours", "Åbningstiderne, på sproget.")),
}
LANGUAGE_CODE = {"type": "string", "enum": list(LANGUAGES),
                 "description": "Sprogkoden: en, ar, tr, so, ur, fa, pl, uk eller ti."}
LANGUAGE_PATH = ENTRY_PATH + [{"name": "language", "in": "path", "required": True, "schema": LANGUAGE_CODE}]
CHECKED = {
    "written_for": {"type": "string", "nullable": True,
                    "description": "Fingeraftryk af den danske tekst, oversættelsen er skrevet (eller tjekket) til."},
    "checked_by": {"type": "string", "nullable": True, "description": "Medarbejderen, der skrev eller tjekkede den."},
    "checked_on": {"type": "string", "format": "date", "nullable": True, "description": "Hvornår."},
}
TRANSLATION = object_schema({
    "language": LANGUAGE_CODE,
    "language_name": {"type": "string", "description": "Sprogets navn på sproget selv, fx العربية."},
    "current": {"type": "boolean", "description": "Skrevet til den danske tekst, som den er nu. Er den ikke det "
                                                  "(skal tjekkes), får borgerne den danske tekst."},
    **{field: {**schema, "nullable": True} for field, schema in TEXTS.items()},
    **CHECKED,
}, required=("language", "language_name", "current", *TRANSLATED_FIELDS, *CHECKED))
TRANSLATIONS = object_schema({
    "id": {"type": "string"}, "version": NUMBER_SCHEMA,
    "danish_fingerprint": {"type": "string", "description": "Fingeraftryk af postens danske tekst, som den er nu."},
    "translations": {"type": "array", "items": TRANSLATION},
}, required=("id", "version", "danish_fingerprint", "translations"),
    description="Postens oversættelser. 'version' skal sendes med, når en oversættelse ændres.")

OPENAPI_PATHS = {
    "/admin/api/entries/{id}/translations": {"get": read_operation(
        "Postens oversættelser, og om hver passer til den danske tekst, som den er nu", {
            **ok_response("Oversættelserne.", TRANSLATIONS), **error_responses("NotFound"),
        }, ENTRY_PATH, operationId="list_translations")},
    "/admin/api/entries/{id}/translations/{language}": {
        "put": change_operation(
            "Skriv eller ret oversættelsen til et sprog (gælder for den danske tekst, som den er nu)",
            json_body({**VERSION_FIELD, **TEXTS}, ("version", "summary")), {
                **ok_response("Oversættelsen er gemt som en ny version af posten.", TRANSLATIONS),
                **error_responses("NotFound", "Conflict", "Problems"),
            }, LANGUAGE_PATH, operationId="put_translation"),
        "delete": read_operation(
            "Slet oversættelsen til et sprog (borgerne får den danske tekst)", {
                **ok_response("Oversættelsen er slettet (en ny version af posten).", TRANSLATIONS),
                **error_responses("BadRequest", "Forbidden", "NotFound", "Conflict", "Problems"),
            }, LANGUAGE_PATH + [{"name": "version", "in": "query", "required": True,
                                 "schema": NUMBER_SCHEMA,
                                 "description": "Den version, ændringen bygger på."}],
            operationId="delete_translation", security=CHANGE),
    },
    "/admin/api/entries/{id}/translations/{language}/confirm": {"post": change_operation(
        "Oversættelsen er stadig rigtig for den danske tekst, som den er nu (\"Stadig rigtig\")",
        json_body(VERSION_FIELD, ("version",)), {
            **ok_response("Oversættelsen gælder igen (en ny version af posten).", TRANSLATIONS),
            **error_responses("NotFound", "Conflict", "Problems"),
        }, LANGUAGE_PATH, operationId="confirm_translation")},
}


def translation_data_schema() -> dict:
    """A translation inside an entry's data (``EntryData.translations``)."""
    return {**object_schema({**TEXTS, **CHECKED}, required=("summary",)), "additionalProperties": False}
