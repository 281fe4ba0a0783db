"""Small views: the demo page, the widget's script, and single files."""
import functools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from bot.web.contact import fallback_contact
from bot.web.keys import CONFIG, PRIVACY

WIDGET = {"title": "Spørg om helhedsplanen", "color": "#005b8f"}
WIDGET_DIR = Path(__file__).resolve().parent / "widget"  # what a web editor embeds: widget.js, widget.css


def _content_security_policy(server_url: str) -> str:
    """Only our own files run on the page; the widget may talk to the Rasa server only."""
    parts = urlsplit(server_url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src 'self' {parts.scheme}://{parts.netloc} {socket_scheme}://{parts.netloc}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


async def demo_page(request: web.Request) -> web.Response:
    """The municipality's page about the plan, with the widget embedded as a web editor would."""
    server_url = request.app[CONFIG].server_url_for(request.host)
    response = aiohttp_jinja2.render_template(
        "demo.html", request, {"server_url": server_url, "widget": WIDGET, "contact": fallback_contact(request.app)}
    )
    response.headers["Content-Security-Policy"] = _content_security_policy(server_url)
    return response


async def privacy_page(request: web.Request) -> web.Response:
    """What the assistant stores, why, for how long, and whom to ask (in Danish)."""
    days = request.app[PRIVACY].retention_days
    return aiohttp_jinja2.render_template("privacy.html", request, {
        "retention_days": f"{days:g}", "contact": fallback_contact(request.app)})


def file_sender(path: Path):
    async def send_file(request: web.Request) -> web.FileResponse:
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path)

    return send_file


# The one line of widget.js that names whom to call (see the file).
_WIDGET_CONTACT = re.compile(r"^  var CONTACT = \{.*\};$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _widget_source() -> str:
    return (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")


async def widget_script(request: web.Request) -> web.Response:
    """widget.js with the answer data's fallback contact, so its outage texts give the current number."""
    contact = fallback_contact(request.app)
    line = f"  var CONTACT = {json.dumps({'name': contact.name, 'phone': contact.phone})};"
    return web.Response(text=_WIDGET_CONTACT.sub(lambda _: line, _widget_source(), count=1),
                        content_type="application/javascript", charset="utf-8")
