"""The OpenAPI 3.0.3 description of the staff JSON API (served at ``/admin/api/openapi.json``).

Built from the same facts the answer store checks (kinds, text lengths, the
id pattern, the password length), so the description follows the rules.
"""
from bot.answer_store.exchange import MAX_IMPORT_BYTES
from bot.answer_store.staff import MIN_PASSWORD_LENGTH, NAME_PATTERN
from bot.knowledge.schema import ID_PATTERN, KINDS, MAX_LENGTHS
from bot.web.admin.auth import COOKIE

MAX_NUMBER = 2**31 - 1  # versions and limits fit a database integer
USER_NAME_PATTERN = f"^{NAME_PATTERN.pattern}$"


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _object(properties: dict, required=(), description: str = "") -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def _text(field: str, description: str) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": MAX_LENGTHS[field], "description": description}


def _optional(schema: dict) -> dict:
    return {**schema, "nullable": True}


NUMBER = {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER}
TIMESTAMP = {"type": "string", "format": "date-time"}
ENTRY_ID = {"type": "string", "pattern": ID_PATTERN.pattern,
            "description": "Små bogstaver a-z, tal og _ (2-60 tegn), fx 'faelles_fremtid'."}


def entry_data(strict: bool) -> dict:
    """An entry's fields. ``strict``: what a change must look like (patterns, no unknown fields);
    otherwise what the API returns (already checked, empty fields left out)."""
    entry_id = ENTRY_ID if strict else {"type": "string"}
    properties = {
        "id": entry_id,
        "kind": {"type": "string", "enum": list(KINDS), "description": "Postens type."},
        "name": _text("name", "Navnet, som beboerne kender det."),
        "aliases": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": MAX_LENGTHS["alias"]},
                    "description": "Andre navne, beboerne kan bruge."},
        "intent": _optional({"type": "string", "description": "Spørgsmålstypen, posten besvarer."}),
        "summary": _text("summary", "Svaret i kort form."),
        "details": _optional(_text("details", "Mere at fortælle, når beboeren spørger videre.")),
        "url": _optional({"type": "string", "description": "Et link, der begynder med https://."}),
        "contact": _optional({**entry_id, "description": "Id på kontakten, beboeren henvises til."}),
        "related": {"type": "array", "items": entry_id, "description": "Id'er på poster, der hører til."},
        "work_areas": {"type": "array", "items": entry_id, "description": "Id'er på indsatsområder."},
        "title": _optional(_text("title", "Kontaktens titel.")),
        "phone": _optional({"type": "string", "description": "Dansk telefonnummer med 8 cifre, fx 56 67 67 67."}),
        "email": _optional({"type": "string", "description": "E-mailadresse, fx navn@koege.dk."}),
        "address": _optional(_text("address", "Adresse.")),
        "hours": _optional(_text("hours", "Åbningstider.")),
        "fallback_contact": {"type": "boolean", "description": "Standardkontakten (præcis én kontakt)."},
        "ends": _optional({"type": "string", "format": "date", "description": "Sidste dag, fx 2025-08-31."}),
        "source": _text("source", "Hvor oplysningerne kommer fra."),
    }
    schema = _object(properties, required=("id", "kind", "name", "summary", "source"))
    if strict:
        schema["example"] = {"id": "vuggestue_aabent_hus", "kind": "faq", "name": "Åbent hus i vuggestuen",
                             "summary": "Vuggestuen holder åbent hus hver torsdag kl. 15-17.",
                             "source": "Opslag fra vuggestuen"}
        properties["url"]["pattern"] = r"^[Hh][Tt][Tt][Pp][Ss]://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$"
        properties["email"]["pattern"] = r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$"
        properties["phone"]["pattern"] = r"^(\+45 ?)?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2}$"
        schema["additionalProperties"] = False
    return schema


SCHEMAS = {
    "EntryData": entry_data(strict=True),
    "StoredEntryData": entry_data(strict=False),
    "EntrySummary": _object({
        "id": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)}, "name": {"type": "string"},
        "version": NUMBER, "retired": {"type": "boolean"}, "updated_at": TIMESTAMP, "updated_by": {"type": "string"},
    }, required=("id", "kind", "name", "version", "retired", "updated_at", "updated_by")),
    "StoredEntry": _object({
        "id": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)},
        "data": ref("schemas", "StoredEntryData"), "version": NUMBER, "retired": {"type": "boolean"},
        "updated_at": TIMESTAMP, "updated_by": {"type": "string"},
    }, required=("id", "kind", "data", "version", "retired", "updated_at", "updated_by"),
        description="En post, som den er gemt nu. 'version' skal sendes med, når posten ændres."),
    "EntryVersion": _object({
        "version": NUMBER,
        "action": {"type": "string", "enum": ["seeded", "created", "edited", "retired", "restored", "imported"]},
        "changed_at": TIMESTAMP, "changed_by": {"type": "string"}, "retired": {"type": "boolean"},
        "data": ref("schemas", "StoredEntryData"),
    }, required=("version", "action", "changed_at", "changed_by", "retired", "data")),
    "ExportFile": _object({"entries": {"type": "array", "items": ref("schemas", "StoredEntryData")}}, ("entries",),
                          description="Alle gældende poster (YAML)."),
    "ImportFile": _object({
        "kind": {"type": "string", "enum": list(KINDS), "description": "Typen for poster uden 'kind'."},
        "entries": {"type": "array", "minItems": 1, "items": ref("schemas", "EntryData")},
    }, ("entries",), description="Samme format som eksporten; også en fil fra data/knowledge (kind + entries)."),
    "Problem": _object({
        "post": {"type": "string", "nullable": True, "description": "Postens id (eller nummer i filen)."},
        "felt": {"type": "string", "nullable": True, "description": "Feltet, fejlen er i."},
        "besked": {"type": "string", "description": "Hvad der er galt, og hvordan det rettes."},
    }, required=("post", "felt", "besked")),
    "Error": _object({"fejl": {"type": "string", "description": "Hvad der gik galt, på dansk."}}, required=("fejl",)),
    "Problems": _object({
        "fejl": {"type": "string"}, "problemer": {"type": "array", "items": ref("schemas", "Problem")},
    }, required=("fejl",), description="Ændringen er afvist; intet er gemt."),
    "Conflict": _object({
        "fejl": {"type": "string"}, "nuvaerende_version": NUMBER,
    }, required=("fejl", "nuvaerende_version"), description="En anden har gemt posten imens; intet er gemt."),
    "Preview": _object({
        "text": {"type": "string", "description": "Svaret, en beboer ville få."},
        "buttons": {"type": "array", "items": {"type": "string"}, "description": "Knapperne under svaret."},
    }, required=("text", "buttons")),
    "ImportResult": _object({
        "oprettet": {"type": "integer", "minimum": 0}, "aendret": {"type": "integer", "minimum": 0},
        "uaendret": {"type": "integer", "minimum": 0},
    }, required=("oprettet", "aendret", "uaendret")),
    "StaffUser": _object({
        "name": {"type": "string"}, "is_admin": {"type": "boolean"}, "active": {"type": "boolean"},
        "created_at": TIMESTAMP,
    }, required=("name", "is_admin", "active", "created_at")),
    "AuditRecord": _object({
        "at": TIMESTAMP, "user": {"type": "string"}, "action": {"type": "string"},
        "entry_id": {"type": "string", "nullable": True}, "details": {"type": "string"},
    }, required=("at", "user", "action", "entry_id", "details")),
}


def _error(description: str, schema: str = "Error") -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("schemas", schema)}}}


RESPONSES = {
    "BadRequest": _error("Anmodningen kan ikke læses: ikke JSON, ikke et objekt, et felt mangler "
                         "eller har en forkert type."),
    "Unauthorized": _error("Ikke logget ind (ingen eller udløbet session)."),
    "Forbidden": _error("Mangler CSRF-token, eller kun en administrator må gøre det."),
    "NotFound": _error("Posten findes ikke."),
    "Conflict": _error("Posten er ændret af en anden siden 'version'.", "Conflict"),
    "Problems": _error("Ændringen er afvist (ugyldige svardata); intet er gemt.", "Problems"),
    "StaffRefused": _error("Medarbejderkontoen kan ikke oprettes eller ændres."),
    "TooLarge": _error("Indholdet er for stort."),
}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _body(properties: dict, required=()) -> dict:
    return {"required": True, "content": _json(_object(properties, required))}


def _ok(description: str, schema: dict, status: str = "200", **extra) -> dict:
    return {status: {"description": description, "content": _json(schema), **extra}}


def _errors(*names: str) -> dict:
    codes = {"BadRequest": "400", "Unauthorized": "401", "Forbidden": "403", "NotFound": "404",
             "Conflict": "409", "Problems": "422", "StaffRefused": "422", "TooLarge": "413"}
    return {codes[name]: ref("responses", name) for name in ("Unauthorized",) + names}


CHANGE = [{"staffSession": [], "csrfToken": []}]
ENTRY_PATH = [ref("parameters", "EntryId")]
VERSION_FIELD = {"version": {**NUMBER, "description": "Den version, ændringen bygger på."}}


def _read(summary: str, responses: dict, parameters=None, **extra) -> dict:
    operation = {"summary": summary, "responses": responses, **extra}
    if parameters:
        operation["parameters"] = parameters
    return operation


def _change(summary: str, body: dict, responses: dict, parameters=None, **extra) -> dict:
    return {**_read(summary, {**responses, **_errors("BadRequest", "Forbidden", "TooLarge")}, parameters, **extra),
            "requestBody": body, "security": CHANGE}


PATHS = {
    "/admin/api/openapi.json": {"get": _read(
        "Denne beskrivelse af API'et", {**_ok("OpenAPI-dokumentet.", {"type": "object"}), **_errors()},
        operationId="openapi_document")},
    "/admin/api/entries": {
        "get": _read("Alle poster (kort), evt. søgt og filtreret", {
            **_ok("Posterne, sorteret efter type og navn.",
                  _object({"entries": {"type": "array", "items": ref("schemas", "EntrySummary")}}, ("entries",))),
            **_errors("BadRequest"),
        }, parameters=[
            {"name": "q", "in": "query", "schema": {"type": "string"},
             "description": "Søgeord; en post findes, når alle ordene står i den."},
            {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(KINDS)},
             "description": "Kun poster af denne type."},
            {"name": "include_retired", "in": "query", "schema": {"type": "boolean", "default": True},
             "description": "Medtag udgåede poster (standard: ja)."},
        ], operationId="list_entries"),
        "post": _change("Opret en post", _body({"data": ref("schemas", "EntryData")}, ("data",)), {
            **_ok("Posten er oprettet (version 1).", ref("schemas", "StoredEntry"), "201", headers={
                "Location": {"description": "Postens adresse i API'et.", "schema": {"type": "string"}}}),
            **_errors("Problems"),
        }, operationId="create_entry"),
    },
    "/admin/api/entries/{id}": {
        "get": _read("Én post med alle felter", {
            **_ok("Posten.", ref("schemas", "StoredEntry")), **_errors("NotFound")},
            ENTRY_PATH, operationId="get_entry"),
        "put": _change("Gem en ændret post", _body(
            {**VERSION_FIELD, "data": ref("schemas", "EntryData")}, ("version", "data")), {
            **_ok("Posten er gemt som en ny version.", ref("schemas", "StoredEntry")),
            **_errors("NotFound", "Conflict", "Problems"),
        }, ENTRY_PATH, operationId="update_entry"),
    },
    "/admin/api/entries/{id}/retire": {"post": _change(
        "Lad en post udgå (beboerne hører ikke mere om den; historikken bevares)",
        _body(VERSION_FIELD, ("version",)), {
            **_ok("Posten er udgået.", ref("schemas", "StoredEntry")),
            **_errors("NotFound", "Conflict", "Problems"),
        }, ENTRY_PATH, operationId="retire_entry")},
    "/admin/api/entries/{id}/restore": {"post": _change(
        "Gør en tidligere version gældende igen (som en ny version)",
        _body({**VERSION_FIELD, "to_version": {**NUMBER, "description": "Versionen, der skal gælde igen."}},
              ("version", "to_version")), {
            **_ok("Versionen gælder igen.", ref("schemas", "StoredEntry")),
            **_errors("NotFound", "Conflict", "Problems"),
        }, ENTRY_PATH, operationId="restore_entry")},
    "/admin/api/entries/{id}/history": {"get": _read("Postens versioner, nyeste først", {
        **_ok("Versionerne.", _object({"versions": {"type": "array", "items": ref("schemas", "EntryVersion")}},
                                      ("versions",))),
        **_errors("NotFound"),
    }, ENTRY_PATH, operationId="entry_history")},
    "/admin/api/preview": {"post": _change(
        "Se svaret, en beboer ville få, hvis posten blev gemt (intet gemmes)",
        _body({"data": ref("schemas", "EntryData"),
               "entry_id": {"type": "string", "description": "Id på posten, der redigeres (udelades for en ny)."}},
              ("data",)), {
            **_ok("Svaret.", ref("schemas", "Preview")), **_errors("Problems"),
        }, operationId="preview")},
    "/admin/api/export": {"get": _read("Alle gældende poster som YAML-fil", {
        "200": {"description": "svardata.yml",
                "headers": {"Content-Disposition": {"description": "attachment; filename=\"svardata.yml\"",
                                                    "schema": {"type": "string"}}},
                "content": {"application/yaml": {"schema": ref("schemas", "ExportFile")}}},
        **_errors(),
    }, operationId="export_entries")},
    "/admin/api/import": {"post": _change(
        "Indlæs en YAML-fil (samme format som eksporten): alt eller intet",
        {"required": True, "description": f"Filen (højst {MAX_IMPORT_BYTES // 1_000_000} MB).", "content": {
            "application/yaml": {"schema": ref("schemas", "ImportFile")},
            "text/plain": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": _object({"file": {"type": "string", "format": "binary"}}, ("file",))},
        }}, {
            **_ok("Filen er indlæst.", ref("schemas", "ImportResult")), **_errors("Problems"),
        }, operationId="import_entries")},
    "/admin/api/users": {
        "get": _read("Medarbejderne (kun administratorer)", {
            **_ok("Medarbejderne.", _object({"users": {"type": "array", "items": ref("schemas", "StaffUser")}},
                                            ("users",))),
            **_errors("Forbidden"),
        }, operationId="list_users"),
        "post": _change("Opret en medarbejder (kun administratorer)", _body({
            "name": {"type": "string", "pattern": USER_NAME_PATTERN},
            "password": {"type": "string", "minLength": MIN_PASSWORD_LENGTH},
            "is_admin": {"type": "boolean", "default": False},
        }, ("name", "password")), {
            **_ok("Medarbejderen er oprettet.", ref("schemas", "StaffUser"), "201"), **_errors("StaffRefused"),
        }, operationId="add_user"),
    },
    "/admin/api/users/{name}/active": {"post": _change(
        "Åbn eller luk en medarbejders konto (kun administratorer; en lukket konto logges ud)",
        _body({"active": {"type": "boolean"}}, ("active",)), {
            **_ok("Kontoen er ændret.", ref("schemas", "StaffUser")), **_errors("StaffRefused"),
        }, [ref("parameters", "UserName")], operationId="set_user_active")},
    "/admin/api/audit": {"get": _read("De seneste hændelser i loggen (kun administratorer)", {
        **_ok("Hændelserne, nyeste først.",
              _object({"records": {"type": "array", "items": ref("schemas", "AuditRecord")}}, ("records",))),
        **_errors("BadRequest", "Forbidden"),
    }, [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 200},
         "description": "Højst så mange hændelser."}], operationId="audit_log")},
}


def document() -> dict:
    # Imported here: their path descriptions are built from the helpers above.
    from bot.web.admin import callbacks, insights

    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Køge-assistentens administration",
            "version": "1.0",
            "description": (
                "Svardata, historik, eksport og import, medarbejdere og log for Køge-assistenten. "
                "Log ind på /admin/login; sessionen ligger i cookien, og enhver ændring skal have "
                "sessionens CSRF-token i headeren X-CSRF-Token. Fejl har en dansk tekst i 'fejl'."
            ),
        },
        "security": [{"staffSession": []}],
        "paths": {**PATHS, **callbacks.OPENAPI_PATHS, **insights.OPENAPI_PATHS},
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
