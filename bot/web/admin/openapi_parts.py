"""Pieces of the staff API's OpenAPI 3.0.3 document, shared by every module that describes paths.

No imports of the modules that use them, so any of them can build its paths
(``OPENAPI_PATHS``) and ``openapi.document()`` can gather them all.
"""
import re

from bot.knowledge.schema import ID_PATTERN, MAX_LENGTHS

MAX_NUMBER = 2**31 - 1  # versions and limits fit a database integer


def ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def object_schema(properties: dict, required=(), description: str = "") -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def text_schema(field: str, description: str) -> dict:
    return {"type": "string", "minLength": 1, "maxLength": MAX_LENGTHS[field], "description": description}


def optional(schema: dict) -> dict:
    return {**schema, "nullable": True}


NUMBER = {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER}
TIMESTAMP = {"type": "string", "format": "date-time"}
ENTRY_ID = {"type": "string", "pattern": ID_PATTERN.pattern,
            "description": "Små bogstaver a-z, tal og _ (2-60 tegn), fx 'faelles_fremtid'."}


def error_response(description: str, schema: str = "Error") -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("schemas", schema)}}}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def json_body(properties: dict, required=()) -> dict:
    return {"required": True, "content": json_content(object_schema(properties, required))}


def ok_response(description: str, schema: dict, status: str = "200", **extra) -> dict:
    return {status: {"description": description, "content": json_content(schema), **extra}}


def error_responses(*names: str) -> dict:
    codes = {"BadRequest": "400", "Unauthorized": "401", "Forbidden": "403", "NotFound": "404",
             "Conflict": "409", "Problems": "422", "StaffRefused": "422", "TooLarge": "413"}
    return {codes[name]: ref("responses", name) for name in ("Unauthorized",) + names}


CHANGE = [{"staffSession": [], "csrfToken": []}]
ENTRY_PATH = [ref("parameters", "EntryId")]
VERSION_FIELD = {"version": {**NUMBER, "description": "Den version, ændringen bygger på."}}


def read_operation(summary: str, responses: dict, parameters=None, **extra) -> dict:
    operation = {"summary": summary, "responses": responses, **extra}
    if parameters:
        operation["parameters"] = parameters
    return operation


def change_operation(summary: str, body: dict, responses: dict, parameters=None, **extra) -> dict:
    return {**read_operation(summary, {**responses, **error_responses("BadRequest", "Forbidden", "TooLarge")}, parameters, **extra),
            "requestBody": body, "security": CHANGE}




def pattern_of(compiled: "re.Pattern") -> str:
    """A Python pattern as an OpenAPI (ECMA-262) pattern, which has no flags:
    under IGNORECASE each letter becomes both cases ("a" -> "[Aa]", "[a-z]" -> "[a-zA-Z]")."""
    pattern = compiled.pattern
    if not compiled.flags & re.IGNORECASE:
        return pattern
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            elif re.fullmatch(r"[a-z]-[a-z]", pattern[i:i + 3]):
                out.append(pattern[i:i + 3] + pattern[i:i + 3].upper())
                i += 3
                continue
            elif char.isalpha():
                char = char + char.swapcase()
        elif char == "[":
            in_class = True
        elif char.isalpha():
            char = f"[{char}{char.swapcase()}]"
        out.append(char)
        i += 1
    return "".join(out)
