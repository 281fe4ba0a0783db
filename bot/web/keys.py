"""Typed keys for what the app stores on itself."""
from aiohttp import web

from bot.web.config import WebConfig

CONFIG = web.AppKey("config", WebConfig)

# The answer store (entries, staff, audit log); typed loosely to keep this module light.
ANSWER_STORE = web.AppKey("answer_store", object)

# The inbox and dashboard's reader of the conversations (bot.insights.Insights).
INSIGHTS = web.AppKey("insights", object)
