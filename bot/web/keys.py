"""Typed keys for what the app stores on itself."""
from aiohttp import web

from bot.web.config import WebConfig

CONFIG = web.AppKey("config", WebConfig)
