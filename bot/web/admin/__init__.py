"""The staff admin: answer data, history, import/export, staff accounts.

Server-rendered pages (Jinja2) and a JSON API under ``/admin/api/`` share the
answer store and the same checks; ``auth.staff_only`` guards both.
"""
from aiohttp import web

from bot.answer_store import AnswerStore
from bot.web.admin.auth import setup_login_limits
from bot.web.admin.routes import setup_admin_routes
from bot.web.keys import ANSWER_STORE


def setup_admin(app: web.Application, store: AnswerStore) -> None:
    app[ANSWER_STORE] = store
    setup_login_limits(app)
    setup_admin_routes(app)

    async def close_store(app: web.Application) -> None:
        store.close()

    app.on_cleanup.append(close_store)
