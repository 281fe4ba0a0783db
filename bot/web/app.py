"""``create_app(config)``: the one place the web app is put together."""
import logging

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.answer_store import AnswerStore
from bot.config import PrivacySettings
from bot.web.admin import setup_admin
from bot.web.admin.auth import staff_only
from bot.web.config import WebConfig, WebConfigError
from bot.web.contact import FallbackContact
from bot.web.health import setup_health
from bot.web.keys import CONFIG, FALLBACK_CONTACT
from bot.web.middlewares import error_pages, security_headers
from bot.web.routes import setup_routes

logger = logging.getLogger(__name__)


def socketio_client_dir(config: WebConfig):
    dist = config.node_modules / "socket.io-client" / "dist"
    if not (dist / "socket.io.min.js").is_file():
        raise WebConfigError(
            f"The socket.io client is missing from {config.node_modules}: run `npm ci` in the project root "
            "(`make setup` does it)."
        )
    return dist


def create_app(config: WebConfig = None, store: AnswerStore = None,
               privacy: PrivacySettings = None) -> web.Application:
    """``privacy``: where the conversations are, for the admin's inbox and dashboard
    (default: from the environment, read once here)."""
    config = config or WebConfig.once()
    # Room for an import of all answer data (at most 2 MB, as a form upload).
    app = web.Application(middlewares=[security_headers, error_pages, staff_only], client_max_size=3 * 1024 ** 2)
    app[CONFIG] = config
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("bot.web", "templates"),
        autoescape=jinja2.select_autoescape(default=True),
    )
    setup_routes(app, socketio_client_dir(config))
    store = store or AnswerStore.open()
    app[FALLBACK_CONTACT] = FallbackContact(store.knowledge_store())
    setup_admin(app, store, privacy)
    setup_health(app)
    return app
