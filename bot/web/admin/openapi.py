"""The OpenAPI 3.0.3 description of the staff JSON API (served at ``/admin/api/openapi.json``).

Built from the same facts the answer store checks (kinds, text lengths, the
id pattern, the password length), so the description follows the rules.
"""
from aiohttp import web

from bot.answer_store.exchange import MAX_IMPORT_BYTES
from bot.answer_store.staff import MIN_PASSWORD_LENGTH, NAME_PATTERN
from bot.knowledge.schema import EMAIL_PATTERN, KINDS, MAX_LENGTHS, PHONE_PATTERN, URL_PATTERN
from bot.web.admin import callbacks, fixed_texts, insights, live, review_dates, translations
from bot.web.admin.auth import COOKIE
from bot.web.admin.openapi_parts import (
    ENTRY_ID, ENTRY_PATH, NUMBER, TIMESTAMP, VERSION_FIELD, change_operation, error_response, error_responses,
    json_body, object_schema, ok_response, optional, pattern_of, read_operation, ref, text_schema,
)

USER_NAME_PATTERN = f"^{NAME_PATTERN.pattern}$"
# Every error's JSON (bot.errors.error_body).
ERROR_FIELDS = {
    "fejl": {"type": "string", "description": "Hvad der gik galt, på dansk."},
    "kode": {"type": "string", "description": "Fejlens kode til programmer, fx 'findes_ikke'."},
}


def entry_data(strict: bool) -> dict:
    """An entry's fields. ``strict``: what a change must look like (patterns, no unknown fields);
    otherwise what the API returns (already checked, empty fields left out)."""
    entry_id = ENTRY_ID if strict else {"type": "string"}
    properties = {
        "id": entry_id,
        "kind": {"type": "string", "enum": list(KINDS), "description": "Postens type."},
        "name": text_schema("name", "Navnet, som beboerne kender det."),
        "aliases": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTHS["alias"]},
                    "description": "Andre navne, beboerne kan bruge."},
        "intent": optional({"type": "string", "description": "Spørgsmålstypen, posten besvarer."}),
        "summary": text_schema("summary", "Svaret i kort form."),
        "details": optional(text_schema("details", "Mere at fortælle, når beboeren spørger videre.")),
        "url": optional({"type": "string", "description": "Et link, der begynder med https://."}),
        "contact": optional({**entry_id, "description": "Id på kontakten, beboeren henvises til."}),
        "related": {"type": "array", "items": entry_id, "description": "Id'er på poster, der hører til."},
        "work_areas": {"type": "array", "items": entry_id, "description": "Id'er på indsatsområder."},
        "title": optional(text_schema("title", "Kontaktens titel.")),
        "phone": optional({"type": "string", "description": "Dansk telefonnummer med 8 cifre, fx 56 67 67 67."}),
        "email": optional({"type": "string", "description": "E-mailadresse, fx navn@koege.dk."}),
        "address": optional(text_schema("address", "Adresse.")),
        "hours": optional(text_schema("hours", "Åbningstider.")),
        "fallback_contact": {"type": "boolean", "description": "Standardkontakten (præcis én kontakt)."},
        "ends": optional({"type": "string", "format": "date", "description": "Sidste dag, fx 2025-08-31."}),
        "source": text_schema("source", "Hvor oplysningerne kommer fra."),
        "owner": optional({**text_schema("owner", "Medarbejderen (brugernavn) eller teamet, der holder posten "
                                                  "opdateret. Udelades: som gemt (en ny post: den, der opretter)."),
                           **({"pattern": "^[^\\r\\n\\t]*$"} if strict else {})}),
        "review_due": optional({"type": "string", "format": "date", "description": (
            "Tjekdatoen: posten skal tjekkes senest denne dag. Udelades den eller er den uændret, "
            "rykkes den frem, når teksten ændres (som standard 6 måneder; det kan afhænge af typen).")}),
        "translations": {
            "type": "object", "description": (
                "Oversættelser efter sprogkode. En oversættelse uden 'written_for' gælder for den danske tekst, "
                "der sendes med. Udelades feltet ved PUT, beholder posten sine oversættelser."),
            "properties": {code: ref("schemas", "TranslationData" if strict else "StoredTranslationData")
                           for code in translations.LANGUAGES},
        },
    }
    if strict:
        properties["translations"]["additionalProperties"] = False
    schema = object_schema(properties, required=("id", "kind", "name", "summary", "source"))
    if strict:
        schema["example"] = {"id": "vuggestue_aabent_hus", "kind": "faq", "name": "Åbent hus i vuggestuen",
                             "summary": "Vuggestuen holder åbent hus hver torsdag kl. 15-17.",
                             "source": "Opslag fra vuggestuen"}
        # The validator's own patterns (bot/knowledge/schema.py), so the two cannot drift apart.
        for field, pattern in (("url", URL_PATTERN), ("email", EMAIL_PATTERN), ("phone", PHONE_PATTERN)):
            properties[field]["pattern"] = pattern_of(pattern)
        schema["additionalProperties"] = False
    return schema


SCHEMAS = {
    "EntryData": entry_data(strict=True),
    "StoredEntryData": entry_data(strict=False),
    "TranslationData": translations.translation_data_schema(),
    "StoredTranslationData": {"type": "object", "description": "En oversættelse, som den er gemt."},
    "EntrySummary": object_schema({
        "id": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)}, "name": {"type": "string"},
        "version": NUMBER, "retired": {"type": "boolean"}, "updated_at": TIMESTAMP, "updated_by": {"type": "string"},
    }, required=("id", "kind", "name", "version", "retired", "updated_at", "updated_by")),
    "StoredEntry": object_schema({
        "id": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)},
        "data": ref("schemas", "StoredEntryData"), "version": NUMBER, "retired": {"type": "boolean"},
        "updated_at": TIMESTAMP, "updated_by": {"type": "string"},
    }, required=("id", "kind", "data", "version", "retired", "updated_at", "updated_by"),
        description="En post, som den er gemt nu. 'version' skal sendes med, når posten ændres."),
    "EntryVersion": object_schema({
        "version": NUMBER,
        "action": {"type": "string", "enum": ["seeded", "created", "edited", "retired", "restored", "imported",
                                               "checked", "review_added", "translated", "translation_checked",
                                               "translation_removed"]},
        "changed_at": TIMESTAMP, "changed_by": {"type": "string"}, "retired": {"type": "boolean"},
        "data": ref("schemas", "StoredEntryData"),
    }, required=("version", "action", "changed_at", "changed_by", "retired", "data")),
    "ExportFile": object_schema({"entries": {"type": "array", "items": ref("schemas", "StoredEntryData")}}, ("entries",),
                          description="Alle gældende poster (YAML)."),
    "ImportFile": object_schema({
        "kind": {"type": "string", "enum": list(KINDS), "description": "Typen for poster uden 'kind'."},
        "entries": {"type": "array", "minItems": 1, "items": ref("schemas", "EntryData")},
    }, ("entries",), description="Samme format som eksporten; også en fil fra data/knowledge (kind + entries)."),
    "Problem": object_schema({
        "post": {"type": "string", "nullable": True, "description": "Postens id (eller nummer i filen)."},
        "felt": {"type": "string", "nullable": True, "description": "Feltet, fejlen er i."},
        "besked": {"type": "string", "description": "Hvad der er galt, og hvordan det rettes."},
    }, required=("post", "felt", "besked")),
    "Error": object_schema(ERROR_FIELDS, required=("fejl", "kode")),
    "Problems": object_schema({
        **ERROR_FIELDS, "problemer": {"type": "array", "items": ref("schemas", "Problem")},
    }, required=("fejl", "kode"), description="Ændringen er afvist; intet er gemt."),
    "Conflict": object_schema({
        **ERROR_FIELDS, "nuvaerende_version": NUMBER,
    }, required=("fejl", "kode", "nuvaerende_version"), description="En anden har gemt posten imens; intet er gemt."),
    "Preview": object_schema({
        "text": {"type": "string", "description": "Svaret, en beboer ville få."},
        "buttons": {"type": "array", "items": {"type": "string"}, "description": "Knapperne under svaret."},
    }, required=("text", "buttons")),
    "ImportResult": object_schema({
        "oprettet": {"type": "integer", "minimum": 0}, "aendret": {"type": "integer", "minimum": 0},
        "uaendret": {"type": "integer", "minimum": 0},
    }, required=("oprettet", "aendret", "uaendret")),
    "StaffUser": object_schema({
        "name": {"type": "string"}, "is_admin": {"type": "boolean"}, "active": {"type": "boolean"},
        "created_at": TIMESTAMP,
    }, required=("name", "is_admin", "active", "created_at")),
    "AuditRecord": object_schema({
        "at": TIMESTAMP, "user": {"type": "string"}, "action": {"type": "string"},
        "entry_id": {"type": "string", "nullable": True}, "details": {"type": "string"},
    }, required=("at", "user", "action", "entry_id", "details")),
}


RESPONSES = {
    "BadRequest": error_response("Anmodningen kan ikke læses: ikke JSON, ikke et objekt, et felt mangler "
                         "eller har en forkert type."),
    "Unauthorized": error_response("Ikke logget ind (ingen eller udløbet session)."),
    "Forbidden": error_response("Mangler CSRF-token, eller kun en administrator må gøre det."),
    "NotFound": error_response("Posten findes ikke."),
    "Conflict": error_response("Posten er ændret af en anden siden 'version'.", "Conflict"),
    "Problems": error_response("Ændringen er afvist (ugyldige svardata); intet er gemt.", "Problems"),
    "StaffRefused": error_response("Medarbejderkontoen kan ikke oprettes eller ændres."),
    "TooLarge": error_response("Indholdet er for stort."),
}


PATHS = {
    "/admin/api/openapi.json": {"get": read_operation(
        "Denne beskrivelse af API'et", {**ok_response("OpenAPI-dokumentet.", {"type": "object"}), **error_responses()},
        operationId="openapi_document")},
    "/admin/api/entries": {
        "get": read_operation("Alle poster (kort), evt. søgt og filtreret", {
            **ok_response("Posterne, sorteret efter type og navn.",
                  object_schema({"entries": {"type": "array", "items": ref("schemas", "EntrySummary")}}, ("entries",))),
            **error_responses("BadRequest"),
        }, parameters=[
            {"name": "q", "in": "query", "schema": {"type": "string"},
             "description": "Søgeord; en post findes, når alle ordene står i den."},
            {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(KINDS)},
             "description": "Kun poster af denne type."},
            {"name": "include_retired", "in": "query", "schema": {"type": "boolean", "default": True},
             "description": "Medtag udgåede poster (standard: ja)."},
        ], operationId="list_entries"),
        "post": change_operation("Opret en post", json_body({"data": ref("schemas", "EntryData")}, ("data",)), {
            **ok_response("Posten er oprettet (version 1).", ref("schemas", "StoredEntry"), "201", headers={
                "Location": {"description": "Postens adresse i API'et.", "schema": {"type": "string"}}}),
            **error_responses("Problems"),
        }, operationId="create_entry"),
    },
    "/admin/api/entries/{id}": {
        "get": read_operation("Én post med alle felter", {
            **ok_response("Posten.", ref("schemas", "StoredEntry")), **error_responses("NotFound")},
            ENTRY_PATH, operationId="get_entry"),
        "put": change_operation("Gem en ændret post", json_body(
            {**VERSION_FIELD, "data": ref("schemas", "EntryData")}, ("version", "data")), {
            **ok_response("Posten er gemt som en ny version.", ref("schemas", "StoredEntry")),
            **error_responses("NotFound", "Conflict", "Problems"),
        }, ENTRY_PATH, operationId="update_entry"),
    },
    "/admin/api/entries/{id}/retire": {"post": change_operation(
        "Lad en post udgå (beboerne hører ikke mere om den; historikken bevares)",
        json_body(VERSION_FIELD, ("version",)), {
            **ok_response("Posten er udgået.", ref("schemas", "StoredEntry")),
            **error_responses("NotFound", "Conflict", "Problems"),
        }, ENTRY_PATH, operationId="retire_entry")},
    "/admin/api/entries/{id}/restore": {"post": change_operation(
        "Gør en tidligere version gældende igen (som en ny version)",
        json_body({**VERSION_FIELD, "to_version": {**NUMBER, "description": "Versionen, der skal gælde igen."}},
              ("version", "to_version")), {
            **ok_response("Versionen gælder igen.", ref("schemas", "StoredEntry")),
            **error_responses("NotFound", "Conflict", "Problems"),
        }, ENTRY_PATH, operationId="restore_entry")},
    "/admin/api/entries/{id}/history": {"get": read_operation("Postens versioner, nyeste først", {
        **ok_response("Versionerne.", object_schema({"versions": {"type": "array", "items": ref("schemas", "EntryVersion")}},
                                      ("versions",))),
        **error_responses("NotFound"),
    }, ENTRY_PATH, operationId="entry_history")},
    "/admin/api/preview": {"post": change_operation(
        "Se svaret, en beboer ville få, hvis posten blev gemt (intet gemmes)",
        json_body({"data": ref("schemas", "EntryData"),
               "entry_id": {"type": "string", "description": "Id på posten, der redigeres (udelades for en ny)."}},
              ("data",)), {
            **ok_response("Svaret.", ref("schemas", "Preview")), **error_responses("Problems"),
        }, operationId="preview")},
    "/admin/api/export": {"get": read_operation("Alle gældende poster som YAML-fil", {
        "200": {"description": "svardata.yml",
                "headers": {"Content-Disposition": {"description": "attachment; filename=\"svardata.yml\"",
                                                    "schema": {"type": "string"}}},
                "content": {"application/yaml": {"schema": ref("schemas", "ExportFile")}}},
        **error_responses(),
    }, operationId="export_entries")},
    "/admin/api/import": {"post": change_operation(
        "Indlæs en YAML-fil (samme format som eksporten): alt eller intet",
        {"required": True, "description": f"Filen (højst {MAX_IMPORT_BYTES // 1_000_000} MB).", "content": {
            "application/yaml": {"schema": ref("schemas", "ImportFile")},
            "text/plain": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": object_schema({"file": {"type": "string", "format": "binary"}}, ("file",))},
        }}, {
            **ok_response("Filen er indlæst.", ref("schemas", "ImportResult")), **error_responses("Problems"),
        }, operationId="import_entries")},
    "/admin/api/users": {
        "get": read_operation("Medarbejderne (kun administratorer)", {
            **ok_response("Medarbejderne.", object_schema({"users": {"type": "array", "items": ref("schemas", "StaffUser")}},
                                            ("users",))),
            **error_responses("Forbidden"),
        }, operationId="list_users"),
        "post": change_operation("Opret en medarbejder (kun administratorer)", json_body({
            "name": {"type": "string", "pattern": USER_NAME_PATTERN},
            "password": {"type": "string", "minLength": MIN_PASSWORD_LENGTH},
            "is_admin": {"type": "boolean", "default": False},
        }, ("name", "password")), {
            **ok_response("Medarbejderen er oprettet.", ref("schemas", "StaffUser"), "201"), **error_responses("StaffRefused"),
        }, operationId="add_user"),
    },
    "/admin/api/users/{name}/active": {"post": change_operation(
        "Åbn eller luk en medarbejders konto (kun administratorer; en lukket konto logges ud)",
        json_body({"active": {"type": "boolean"}}, ("active",)), {
            **ok_response("Kontoen er ændret.", ref("schemas", "StaffUser")), **error_responses("StaffRefused"),
        }, [ref("parameters", "UserName")], operationId="set_user_active")},
    "/admin/api/audit": {"get": read_operation("De seneste hændelser i loggen (kun administratorer)", {
        **ok_response("Hændelserne, nyeste først.",
              object_schema({"records": {"type": "array", "items": ref("schemas", "AuditRecord")}}, ("records",))),
        **error_responses("BadRequest", "Forbidden"),
    }, [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 200},
         "description": "Højst så mange hændelser."}], operationId="audit_log")},
}


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Køge-assistentens administration",
            "version": "1.0",
            "description": (
                "Svardata, historik, tjekdatoer, eksport og import, medarbejdere og log for Køge-assistenten. "
                "Log ind på /admin/login; sessionen ligger i cookien, og enhver ændring skal have "
                "sessionens CSRF-token i headeren X-CSRF-Token. Fejl har en dansk tekst i 'fejl' og en kode i 'kode'."
            ),
        },
        "security": [{"staffSession": []}],
        "paths": {**PATHS, **translations.OPENAPI_PATHS, **callbacks.OPENAPI_PATHS, **insights.OPENAPI_PATHS,
                  **review_dates.OPENAPI_PATHS, **fixed_texts.OPENAPI_PATHS, **live.OPENAPI_PATHS},
        "components": {
            "securitySchemes": {
                "staffSession": {"type": "apiKey", "in": "cookie", "name": COOKIE,
                                 "description": "Sessionen fra log ind på /admin/login."},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token",
                              "description": "Sessionens CSRF-token; kræves ved alt, der ændrer noget."},
            },
            "parameters": {
                "EntryId": {"name": "id", "in": "path", "required": True, "schema": ENTRY_ID,
                            "example": "helhedsplanen"},
                "UserName": {"name": "name", "in": "path", "required": True,
                             "schema": {"type": "string", "pattern": USER_NAME_PATTERN}},
            },
            "schemas": SCHEMAS,
            "responses": RESPONSES,
        },
    }


async def openapi_document(request: web.Request) -> web.Response:
    return web.json_response(document())
