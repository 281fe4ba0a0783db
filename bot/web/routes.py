"""Every URL of the web app, in one place."""
from pathlib import Path

from aiohttp import web

from bot.web import views

STATIC_DIR = Path(__file__).resolve().parent / "static"  # the demo page's own styles


def setup_routes(app: web.Application, socketio_client_dir: Path) -> None:
    app.router.add_get("/", views.demo_page, name="demo")
    app.router.add_get("/privatliv", views.privacy_page, name="privacy")  # the widget links here
    # The widget loads the client from beside itself, so the embedding page needs one tag only.
    app.router.add_get("/widget/socket.io.min.js", views.file_sender(socketio_client_dir / "socket.io.min.js"),
                       name="socketio_client")
    app.router.add_get("/widget/socket.io.min.js.map",
                       views.file_sender(socketio_client_dir / "socket.io.min.js.map"), name="socketio_client_map")
    app.router.add_get("/widget/widget.js", views.widget_script, name="widget_script")  # before the folder
    app.router.add_static("/widget/", views.WIDGET_DIR, name="widget")
    app.router.add_static("/static/", STATIC_DIR, name="static")
