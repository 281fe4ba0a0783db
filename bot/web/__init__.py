"""The web app: the chat widget's files, a demo page with the widget, and health."""
from bot.web.app import create_app
from bot.web.config import WebConfig

__all__ = ["create_app", "WebConfig"]
