"""Typed keys for what the app stores on itself."""
from aiohttp import web

from bot.config import LiveChatSettings, PrivacySettings
from bot.web.config import WebConfig

CONFIG = web.AppKey("config", WebConfig)

# Where conversations are and how long they are kept (the privacy page, the admin).
PRIVACY = web.AppKey("privacy", PrivacySettings)

# The answer store (entries, staff, audit log); typed loosely to keep this module light.
ANSWER_STORE = web.AppKey("answer_store", object)

# The inbox and dashboard's reader of the conversations (bot.insights.Insights).
INSIGHTS = web.AppKey("insights", object)

# Whom to send people to when something goes wrong (bot.web.contact.FallbackContact).
FALLBACK_CONTACT = web.AppKey("fallback_contact", object)

# When the live chat is open (LIVE_CHAT_HOURS).
LIVE_CHAT = web.AppKey("live_chat", LiveChatSettings)
