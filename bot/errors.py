"""The one base of every error this project raises on purpose.

Each says three things: ``status`` (the HTTP status when it reaches a web
surface), ``message`` (Danish, for the staff member or resident who reads
it) and ``code`` (stable and machine-readable, for API clients). Every JSON
error, on every surface, has the same shape: ``error_body`` below.
"""
from typing import Any, Dict, Optional


class AssistantError(Exception):
    status: int = 500
    code: str = "intern_fejl"
    message: str = "Der skete en fejl hos os. Prøv igen om lidt."

    def __init__(self, message: Optional[str] = None, *, status: Optional[int] = None, code: Optional[str] = None):
        if message is not None:
            self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        super().__init__(self.message)


def error_body(message: str, code: str, **extra: Any) -> Dict[str, Any]:
    """The JSON of an error: ``{"fejl": Danish message, "kode": machine code, ...details}``."""
    return {"fejl": message, "kode": code, **extra}


# Machine codes for errors that are not exceptions of ours (HTTP statuses of the web app).
STATUS_CODES = {
    400: "ugyldig_anmodning",
    401: "ikke_logget_ind",
    403: "ingen_adgang",
    404: "findes_ikke",
    405: "metode_ikke_tilladt",
    409: "konflikt",
    413: "for_stor",
    422: "afvist",
    429: "for_mange",
    500: "intern_fejl",
    503: "utilgaengelig",
}


def code_for(status: int) -> str:
    return STATUS_CODES.get(status, STATUS_CODES[500])
