"""Cross-cutting concerns: one error path, and headers every response gets."""
import logging
from typing import Optional

import aiohttp_jinja2
import sqlalchemy as sa
from aiohttp import web

from bot.errors import AssistantError, code_for, error_body
from bot.web.contact import fallback_contact

logger = logging.getLogger(__name__)

# What a resident or web editor reads when something goes wrong, by status.
ERROR_MESSAGES = {
    400: ("Det kan ikke bruges", "Det, der blev sendt, kan ikke bruges. Gå tilbage, og prøv igen."),
    403: ("Ingen adgang", "Det har du ikke adgang til. Kun en administrator kan gøre det."),
    404: ("Siden findes ikke", "Adressen findes ikke. Tjek, at den er skrevet rigtigt."),
    405: ("Det kan siden ikke", "Siden kan ikke bruges på den måde."),
    413: ("Det er for stort", "Det, du sendte, er for stort. En fil med svar må højst fylde 2 MB."),
    500: ("Der skete en fejl", "Der skete en fejl hos os. Prøv igen om lidt, eller ring til {name} på {phone}."),
    # A store that cannot be used now: disk full, database locked or unreachable. It passes by itself.
    503: ("Prøv igen om lidt", "Lige nu kan vi ikke gemme eller hente data. Det, der allerede er gemt, er ikke "
                               "væk. Prøv igen om lidt. Bliver det ved, så ring til {name} på {phone}."),
}


def _error_response(request: web.Request, status: int, error: Optional[AssistantError] = None) -> web.Response:
    title, message = ERROR_MESSAGES.get(status, ERROR_MESSAGES[500])
    contact = fallback_contact(request.app)
    message = error.message if error is not None else message.format(name=contact.name, phone=contact.phone)
    if (request.path.startswith("/admin/api/") or request.path.startswith("/health")
            or "text/html" not in request.headers.get("Accept", "text/html")):
        code = error.code if error is not None else code_for(status)
        return web.json_response(error_body(message, code), status=status)
    return error_page(request, title, message, status)


def error_page(request: web.Request, title: str, message: str, status: int) -> web.Response:
    """The Danish error page (for residents and staff alike), with whom to call."""
    return aiohttp_jinja2.render_template(
        "error.html", request, {"title": title, "message": message, "contact": fallback_contact(request.app)},
        status=status,
    )


@web.middleware
async def error_pages(request: web.Request, handler):
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return _error_response(request, error.status)
    except AssistantError as error:  # one of ours that no handler answered: its own status and message
        logger.error("%s on %s: %s", type(error).__name__, request.path, error.code)
        return _error_response(request, error.status, error)
    except sa.exc.OperationalError as error:
        # Disk full, database locked, server down: no trace (a URL could hold a password), and 503,
        # since trying again later works. The transaction was rolled back: nothing saved is lost.
        logger.error("The database could not be used on %s (%s).", request.path, _reason(error))
        return _error_response(request, 503)
    except Exception:  # noqa: BLE001 - a resident sees a page, the log gets the trace
        logger.exception("Unexpected error on %s", request.path)
        return _error_response(request, 500)


def _reason(error: sa.exc.OperationalError) -> str:
    """SQLite's own reason ("database or disk is full", "database is locked"); else the error's type."""
    reason = str(error.orig) if error.orig is not None else ""
    return reason if reason in _SQLITE_REASONS else type(error.orig or error).__name__


_SQLITE_REASONS = {"database or disk is full", "database is locked", "disk I/O error", "unable to open database file"}


@web.middleware
async def security_headers(request: web.Request, handler):
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.path.startswith("/widget/"):
        # Embedded on other sites: always revalidate, so a fix reaches every page at once.
        response.headers["Cache-Control"] = "no-cache"
    return response
