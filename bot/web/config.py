"""Settings of the web app, read from the environment once."""
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import urlsplit

from bot.config import PROJECT_ROOT, ReadOnce, action_server_url
from bot.errors import AssistantError


class WebConfigError(AssistantError, ValueError):
    """A setting of the web app is unusable; the message says which and why."""

    code = "ugyldig_indstilling"


def _checked_server_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise WebConfigError(
            f"WIDGET_SERVER_URL must be the Rasa server's address, like http://localhost:5005 (got {url!r})."
        )
    return url.rstrip("/")


@dataclass(frozen=True)
class WebConfig(ReadOnce):
    host: str = "0.0.0.0"
    port: int = 8000
    # The Rasa server the widget connects to. None: the page's own host name on
    # ``rasa_port``, which works for localhost and for a machine on the network.
    server_url: Optional[str] = None
    rasa_port: int = 5005
    node_modules: Path = PROJECT_ROOT / "node_modules"
    # Where this app reaches the servers for its readiness check (``/health``), from inside.
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055/webhook"

    def __post_init__(self):
        if self.server_url is not None:
            object.__setattr__(self, "server_url", _checked_server_url(self.server_url))

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "WebConfig":
        try:
            port, rasa_port = int(env.get("WEB_PORT", "8000")), int(env.get("RASA_PORT", "5005"))
            action_port = int(env.get("ACTION_PORT", "5055"))
        except ValueError as error:
            raise WebConfigError(f"WEB_PORT, RASA_PORT and ACTION_PORT must be port numbers ({error}).") from None
        return cls(
            host=env.get("WEB_HOST", "0.0.0.0"),
            port=port,
            server_url=env.get("WIDGET_SERVER_URL") or None,
            rasa_port=rasa_port,
            rasa_url=(env.get("RASA_URL") or f"http://127.0.0.1:{rasa_port}").rstrip("/"),
            action_server_url=action_server_url(env, action_port),
        )

    def server_url_for(self, page_host: str) -> str:
        """The Rasa server address to give a page that was requested as ``page_host``."""
        if self.server_url:
            return self.server_url
        hostname = urlsplit(f"//{page_host}").hostname or "localhost"
        if ":" in hostname:  # IPv6 literal
            hostname = f"[{hostname}]"
        return f"http://{hostname}:{self.rasa_port}"
