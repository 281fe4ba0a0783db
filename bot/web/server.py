"""``python -m bot web``: serve the web app until stopped."""
import sys

from aiohttp import web

from bot.web.app import create_app
from bot.web.config import WebConfig, WebConfigError


def main() -> int:
    try:
        config = WebConfig.once()
        app = create_app(config)
    except WebConfigError as error:
        print(f"Could not start the web app: {error}", file=sys.stderr)
        return 1
    web.run_app(app, host=config.host, port=config.port, print=lambda _: print(
        f"Web app on http://localhost:{config.port}", flush=True))
    return 0
