"""The staff admin: answer data with its translations, history, import/export,
staff accounts, translators' checks of the shipped sentences, and the inbox
and dashboard read from the conversations.

Server-rendered pages (Jinja2) and a JSON API under ``/admin/api/`` share the
answer store and the same checks; ``auth.staff_only`` guards both.
"""
from typing import Optional

from aiohttp import web

from bot.answer_store import AnswerStore
from bot.config import LiveChatSettings, PrivacySettings
from bot.insights import Insights
from bot.web.admin.auth import setup_login_limits
from bot.web.admin.routes import setup_admin_routes
from bot.web.keys import ANSWER_STORE, INSIGHTS, LIVE_CHAT, PRIVACY


def setup_admin(app: web.Application, store: AnswerStore, privacy: Optional[PrivacySettings] = None,
                live_chat: Optional[LiveChatSettings] = None) -> None:
    """``privacy`` says where the conversations are, ``live_chat`` when the live
    chat is open (both read from the environment when not given)."""
    app[ANSWER_STORE] = store
    app[LIVE_CHAT] = live_chat or LiveChatSettings.once()
    app[PRIVACY] = privacy = privacy or PrivacySettings.once()
    app[INSIGHTS] = insights = Insights.open(privacy, store.engine)
    setup_login_limits(app)
    setup_admin_routes(app)

    async def close_store(app: web.Application) -> None:
        insights.close()
        store.close()

    app.on_cleanup.append(close_store)
