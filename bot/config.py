"""Settings, read from the environment once per process. Everything else is handed these.

``X.once()`` is the process's settings of kind ``X``, read at the first call;
``X.from_env(env)`` reads a given environment (the supervisor starting other
processes, tests). Every variable is documented in docs/operations.md, and
tests/project/test_docs.py keeps the two in step.
"""
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ReadOnce:
    @classmethod
    def once(cls):
        """This process's settings, read from the environment at the first call."""
        return _read_once(cls)


@functools.lru_cache(maxsize=None)
def _read_once(cls):
    return cls.from_env()


def forget_settings() -> None:
    """Read the environment again at the next ``once()`` (a test that changes it)."""
    _read_once.cache_clear()


def action_server_url(env: Mapping[str, str], action_port: int) -> str:
    """The action server the Rasa server calls (and the web app checks). Several Rasa servers
    may share action servers behind a proxy (``ACTION_SERVER_URL``); otherwise the one here."""
    return env.get("ACTION_SERVER_URL") or f"http://127.0.0.1:{action_port}/webhook"


@dataclass(frozen=True)
class Settings(ReadOnce):
    knowledge_dir: Path
    action_timeout_seconds: float
    sms_data_dir: Path = PROJECT_ROOT / "var" / "sms"
    sms_retry_seconds: float = 30

    @classmethod
    def from_env(cls, env=os.environ) -> "Settings":
        return cls(
            knowledge_dir=Path(env.get("KNOWLEDGE_DIR", PROJECT_ROOT / "data" / "knowledge")),
            action_timeout_seconds=float(env.get("ACTION_TIMEOUT_SECONDS", "10")),
            sms_data_dir=Path(env.get("SMS_DATA_DIR", PROJECT_ROOT / "var" / "sms")),
            sms_retry_seconds=float(env.get("SMS_RETRY_SECONDS", "30")),
        )


@dataclass(frozen=True)
class SmsChannelSettings:
    """An SMS channel, enabled when all its ``required`` variables are set.

    ``keys`` maps the channel's credentials keys to environment variables; the
    credentials file refers to them as ``${VAR}`` so no secret is written to disk.
    """

    channel_class: str
    required: tuple
    keys: dict

    def enabled(self, env=os.environ) -> bool:
        return all(env.get(name) for name in self.required)

    def credentials(self, env=os.environ) -> dict:
        return {key: f"${{{name}}}" for key, name in self.keys.items() if env.get(name)}


SMS_CHANNELS = (
    SmsChannelSettings(
        "bot.channels.gatewayapi.GatewayApiInput",
        required=("GATEWAYAPI_TOKEN", "GATEWAYAPI_WEBHOOK_SECRET"),
        keys={
            "token": "GATEWAYAPI_TOKEN",
            "webhook_secret": "GATEWAYAPI_WEBHOOK_SECRET",
            "sender": "GATEWAYAPI_SENDER",
            "url": "GATEWAYAPI_URL",
            "keyword": "GATEWAYAPI_KEYWORD",
        },
    ),
    SmsChannelSettings(
        "bot.channels.twilio_sms.TwilioSmsInput",
        required=("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER"),
        keys={
            "account_sid": "TWILIO_ACCOUNT_SID",
            "auth_token": "TWILIO_AUTH_TOKEN",
            "twilio_number": "TWILIO_NUMBER",
            "webhook_url": "TWILIO_WEBHOOK_URL",
            "api_url": "TWILIO_API_URL",
        },
    ),
)


@dataclass(frozen=True)
class PrivacySettings(ReadOnce):
    """Where conversations are kept, for how long, and what a channel accepts."""

    data_dir: Path = PROJECT_ROOT / "var"
    # Empty: an SQLite file in ``data_dir``. Otherwise any SQLAlchemy URL,
    # e.g. postgresql://user:password@host:5432/assistant.
    tracker_database_url: str = ""
    retention_days: float = 30
    max_message_chars: int = 2000
    rate_limit_burst: int = 15
    rate_limit_per_minute: float = 30
    # Keys the hashes that stand for senders; empty: a random key kept in ``data_dir``.
    privacy_key: str = field(default="", repr=False)

    @property
    def database_url(self) -> str:
        return self.tracker_database_url or f"sqlite:///{self.data_dir / 'conversations.db'}"

    @classmethod
    def from_env(cls, env=os.environ) -> "PrivacySettings":
        return cls(
            data_dir=Path(env.get("DATA_DIR", PROJECT_ROOT / "var")),
            tracker_database_url=env.get("TRACKER_DATABASE_URL", ""),
            retention_days=float(env.get("RETENTION_DAYS", "30")),
            max_message_chars=int(env.get("MAX_MESSAGE_CHARS", "2000")),
            rate_limit_burst=int(env.get("RATE_LIMIT_BURST", "15")),
            rate_limit_per_minute=float(env.get("RATE_LIMIT_PER_MINUTE", "30")),
            privacy_key=env.get("PRIVACY_KEY", ""),
        )


def _pairs(value: str, name: str, between: str, inside: str) -> Tuple[Tuple[str, str], ...]:
    """``a:1,b:2`` (``between`` ",", ``inside`` ":") as (("a", "1"), ("b", "2")); empty parts are skipped.
    ``name``: the variable it was read from, for the error."""
    pairs = []
    for part in value.split(between):
        if not part.strip():
            continue
        key, sep, value = part.partition(inside)
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{name}: '{part.strip()}' is not of the form KEY{inside}VALUE.")
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)


def _months(name: str, value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 60:
        raise ValueError(f"{name}: '{value}' is not a number of months from 1 to 60.")
    return int(value)


@dataclass(frozen=True)
class AnswerStoreSettings(ReadOnce):
    """Where the answer data staff edit is kept, what seeds it, and how often each entry is checked."""

    data_dir: Path = PROJECT_ROOT / "var"
    # Empty: an SQLite file in ``data_dir``. Otherwise any SQLAlchemy URL,
    # e.g. postgresql://user:password@host:5432/assistant.
    database_url: str = ""
    seed_dir: Path = PROJECT_ROOT / "data" / "knowledge"
    session_hours: float = 8
    # An entry is due for a check this many months after its last one; per kind: (kind, months) pairs.
    review_months: int = 6
    review_months_by_kind: Tuple[Tuple[str, int], ...] = ()

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'answers.db'}"

    @classmethod
    def from_env(cls, env=os.environ) -> "AnswerStoreSettings":
        return cls(
            data_dir=Path(env.get("DATA_DIR", PROJECT_ROOT / "var")),
            database_url=env.get("DATABASE_URL", ""),
            seed_dir=Path(env.get("KNOWLEDGE_DIR", PROJECT_ROOT / "data" / "knowledge")),
            session_hours=float(env.get("STAFF_SESSION_HOURS", "8")),
            review_months=_months("REVIEW_MONTHS", env.get("REVIEW_MONTHS", "6").strip()),
            review_months_by_kind=tuple(
                (kind, _months("REVIEW_MONTHS_BY_KIND", months))
                for kind, months in _pairs(env.get("REVIEW_MONTHS_BY_KIND", ""), "REVIEW_MONTHS_BY_KIND", ",", ":")),
        )


@dataclass(frozen=True)
class LiveChatSettings(ReadOnce):
    """When staff write with residents in the live chat: ``hours`` as
    ``bot.live_chat.hours.OpeningHours`` (from ``LIVE_CHAT_HOURS``, e.g.
    "man-tor 09:00-15:00; fre 09:00-13:00"; "off", the default, or "always").
    ``wait_minutes`` (``LIVE_CHAT_WAIT_MINUTES``): how long a resident waits
    before the callback is offered instead; ``grace_seconds``
    (``LIVE_CHAT_GRACE_SECONDS``): how long a staff page may be gone (closed,
    offline) before its chat goes back to the queue."""

    hours: object
    wait_minutes: float = 10.0
    grace_seconds: float = 60.0

    @classmethod
    def from_env(cls, env=os.environ) -> "LiveChatSettings":
        from bot.live_chat.hours import OpeningHours  # not at import: it pulls in the answer store, which reads this module

        return cls(hours=OpeningHours.parse(env.get("LIVE_CHAT_HOURS", "off")),
                   wait_minutes=_positive("LIVE_CHAT_WAIT_MINUTES", env.get("LIVE_CHAT_WAIT_MINUTES", "10")),
                   grace_seconds=_positive("LIVE_CHAT_GRACE_SECONDS", env.get("LIVE_CHAT_GRACE_SECONDS", "60")))


def _positive(name: str, text: str) -> float:
    """The setting ``name``'s value ``text`` as a positive number; a clear error naming it otherwise."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ValueError(f"{name} must be a positive number, not '{text}'.")
    return value


@dataclass(frozen=True)
class ReviewDigestSettings(ReadOnce):
    """Where the daily list of entries to check (``python -m bot reviews``) is mailed.

    ``smtp_url``: smtp://user:password@host:port (STARTTLS when the server offers it)
    or smtps://... (TLS from the start); empty: the list is only printed.
    ``owner_emails``: (owner, address) pairs for owners whose name is not an address.
    """

    smtp_url: str = field(default="", repr=False)
    smtp_from: str = "koege-assistent@localhost"
    owner_emails: Tuple[Tuple[str, str], ...] = ()

    @classmethod
    def from_env(cls, env=os.environ) -> "ReviewDigestSettings":
        return cls(
            smtp_url=env.get("SMTP_URL", "").strip(),
            smtp_from=env.get("SMTP_FROM", "").strip() or "koege-assistent@localhost",
            owner_emails=_pairs(env.get("REVIEW_OWNER_EMAILS", ""), "REVIEW_OWNER_EMAILS", ";", "="),
        )
