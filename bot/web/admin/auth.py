"""Who may use the staff admin: login, logout, sessions and CSRF checks.

Everything under ``/admin`` needs a logged-in, active staff member, except the
login page itself. Every request that changes something must carry the
session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``).
Failed login attempts are rate-limited per address and per user name, and
recorded in the audit log.
"""
import asyncio
import hmac
import logging
from http.cookies import CookieError
from typing import Optional
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from bot.answer_store import StaffSession
from bot.errors import AssistantError, code_for, error_body
from bot.privacy.rate_limit import RateLimiter
from bot.web.keys import ANSWER_STORE
from bot.web.middlewares import error_page

logger = logging.getLogger(__name__)

COOKIE = "koege_staff"
STAFF = "staff_session"  # request key: the StaffSession
LOGIN_PATH = "/admin/login"
PUBLIC_PATHS = {LOGIN_PATH, "/admin/static/admin.css"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOGIN_LIMITER = web.AppKey("login_limiter", RateLimiter)

NOT_LOGGED_IN = "Du er ikke logget ind. Log ind og prøv igen."
BAD_CSRF = "Siden er for gammel, eller anmodningen kom ikke fra administrationen. Genindlæs siden og prøv igen."
ADMIN_ONLY = "Kun en administrator kan gøre det."


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/admin/api/")


def json_error(status: int, message: str, code: Optional[str] = None, **extra) -> web.Response:
    return web.json_response(error_body(message, code or code_for(status), **extra), status=status)


def error_response(error: AssistantError, **extra) -> web.Response:
    """One of our errors as the API's JSON (the one shape: ``bot.errors.error_body``)."""
    return json_error(error.status, error.message, error.code, **extra)


def staff(request: web.Request) -> StaffSession:
    return request[STAFF]


def _cookie_secure(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"


def set_session_cookie(request: web.Request, response: web.StreamResponse, token: str, max_age: int) -> None:
    response.set_cookie(COOKIE, token, max_age=max_age, path="/admin", httponly=True, samesite="Strict",
                        secure=_cookie_secure(request))


def _same_origin(request: web.Request) -> bool:
    """A browser names the page a request came from; it must be ours (as this
    server, or as the proxy in front of it names it)."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    ours = {request.host, request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()}
    return urlsplit(origin).netloc in ours - {""}


def csrf_ok(request: web.Request, session: StaffSession, form_token: Optional[str]) -> bool:
    sent = request.headers.get("X-CSRF-Token") or form_token or ""
    return _same_origin(request) and hmac.compare_digest(sent.encode(), session.csrf_token.encode())


async def _form_token(request: web.Request) -> Optional[str]:
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            token = (await request.post()).get("csrf_token")
            return token if isinstance(token, str) else None
        except (ValueError, HttpProcessingError):  # a malformed form carries no token
            return None
    return None


@web.middleware
async def staff_only(request: web.Request, handler):
    if not (request.path == "/admin" or request.path.startswith("/admin/")):
        return await handler(request)
    response = await _checked(request, handler)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return response


def _session_token(request: web.Request) -> Optional[str]:
    try:
        return request.cookies.get(COOKIE)
    except CookieError:  # a malformed Cookie header carries no session
        return None


async def _checked(request: web.Request, handler):
    if request.path in PUBLIC_PATHS:
        return await handler(request)
    session = request.app[ANSWER_STORE].staff.session(_session_token(request))
    if session is None:
        if wants_json(request):
            return json_error(401, NOT_LOGGED_IN)
        target = request.path_qs if request.method in SAFE_METHODS else "/admin"
        raise web.HTTPSeeOther(f"{LOGIN_PATH}?next={quote(target, safe='')}")
    if request.method not in SAFE_METHODS and not csrf_ok(request, session, await _form_token(request)):
        logger.warning("Refused a change without a valid CSRF token on %s", request.path)
        if wants_json(request):
            return json_error(403, BAD_CSRF)
        return error_page(request, "Ændringen er ikke gemt", BAD_CSRF, 403)
    request[STAFF] = session
    return await handler(request)


def require_admin(request: web.Request) -> None:
    """Raises 403 (shown in Danish by ``error_pages``) unless an administrator is logged in."""
    if not staff(request).user.is_admin:
        raise web.HTTPForbidden()


def _safe_next(target: Optional[str]) -> str:
    # Only back into the admin: never an open redirect to another site.
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return "/admin"


@aiohttp_jinja2.template("admin/login.html")
async def login_page(request: web.Request):
    return {"next": _safe_next(request.query.get("next")), "error": None, "name": ""}


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    store, limiter = request.app[ANSWER_STORE], request.app[LOGIN_LIMITER]
    # Only failed attempts count: staff sharing one office address can all log in.
    keys = (f"ip:{request.remote or '?'}", f"name:{name.lower()}")
    if not _same_origin(request):
        error, status = BAD_CSRF, 403
    elif not limiter.has_room(*keys):
        error, status = "For mange forsøg. Vent et minut, og prøv igen.", 429
    else:
        # argon2 takes a moment and memory by design: off the event loop.
        user = await asyncio.to_thread(store.staff.verify, name, password) if name and password else None
        if user is not None:
            token = await asyncio.to_thread(store.staff.start_session, user)
            response = web.HTTPSeeOther(target)
            set_session_cookie(request, response, token, int(store.staff.session_length.total_seconds()))
            raise response
        limiter.allow(*keys)
        error, status = "Forkert brugernavn eller adgangskode, eller kontoen er lukket.", 401
    logger.info("A staff login was refused (%d).", status)
    await asyncio.to_thread(store.staff.record_refused_login, name, status)
    return aiohttp_jinja2.render_template(
        "admin/login.html", request, {"next": target, "error": error, "name": name}, status=status
    )


async def logout(request: web.Request) -> web.StreamResponse:
    session = staff(request)
    request.app[ANSWER_STORE].staff.end_session(request.cookies.get(COOKIE, ""), session.user.name)
    response = web.HTTPSeeOther(LOGIN_PATH)
    response.del_cookie(COOKIE, path="/admin")
    raise response


def setup_login_limits(app: web.Application) -> None:
    # Five failed tries at once, then one a minute, per address and per user name.
    app[LOGIN_LIMITER] = RateLimiter(burst=5, per_minute=1)
