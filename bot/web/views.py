"""Small views: the demo page, health, and single files."""
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from bot.web.keys import CONFIG, PRIVACY

WIDGET = {"title": "Spørg om helhedsplanen", "color": "#005b8f"}


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
        "demo.html", request, {"server_url": server_url, "widget": WIDGET}
    )
    response.headers["Content-Security-Policy"] = _content_security_policy(server_url)
    return response


async def privacy_page(request: web.Request) -> web.Response:
    """What the assistant stores, why, for how long, and whom to ask (in Danish)."""
    days = request.app[PRIVACY].retention_days
    return aiohttp_jinja2.render_template("privacy.html", request, {"retention_days": f"{days:g}"})


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def file_sender(path: Path):
    async def send_file(request: web.Request) -> web.FileResponse:
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path)

    return send_file
