"""Logging that cannot leak what residents write or who they are.

``configure()`` is the one place logging is made private, once per process:
every log record, from our code, Rasa, Sanic or any library, is scrubbed as
it is created (a log record factory, so handlers added later are covered too):
CPR, card and phone numbers and e-mail addresses are replaced, and the sender
id of the conversation being handled (``about_sender``) is replaced by its
keyed hash. Our own messages name senders only through ``hashed()``.
Rasa's structured log events (structlog) lose their message-text fields
above DEBUG before they are rendered.
"""
import hashlib
import hmac
import logging
import os
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional, Tuple

import structlog

from bot.config import PrivacySettings
from bot.privacy.redaction import redact

KEY_FILE_NAME = "privacy.key"
# Shorter ids ("1", "ab") would replace ordinary words in log lines.
SHORTEST_HIDDEN_SENDER = 3

# Fields of Rasa's structlog events that carry what residents wrote (the
# same keys Rasa's own anonymizer treats, rasa/utils/log_utils.py).
MESSAGE_TEXT_FIELDS = (
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message",
)
HIDDEN = "[skjult]"

_current_sender: ContextVar[Optional[Tuple[str, str]]] = ContextVar("current_sender", default=None)
_configured = False


@lru_cache(maxsize=1)
def _key() -> bytes:
    """``PRIVACY_KEY``, else a random key kept in the data folder, so hashes
    are stable across restarts but cannot be reversed by trying every number."""
    settings = PrivacySettings.once()
    if settings.privacy_key:
        return settings.privacy_key.encode()
    path = Path(settings.data_dir) / KEY_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def hashed(sender_id: str) -> str:
    """How logs name a sender: ``sender:`` and 12 hex digits of a keyed hash."""
    digest = hmac.new(_key(), str(sender_id).encode(), hashlib.sha256).hexdigest()
    return f"sender:{digest[:12]}"


@contextmanager
def about_sender(sender_id: str) -> Iterator[None]:
    """Within this block (and tasks started in it), log lines show the sender hashed."""
    token = _current_sender.set((str(sender_id), hashed(sender_id)))
    try:
        yield
    finally:
        _current_sender.reset(token)


def scrub(text: str) -> str:
    current = _current_sender.get()
    if current and len(current[0]) >= SHORTEST_HIDDEN_SENDER:
        text = text.replace(current[0], current[1])
    return redact(text).text


def _scrub_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record is logging's own error to report
        return
    record.msg, record.args = scrub(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)


def without_message_text(_logger, method_name: str, event_dict: dict) -> dict:
    """structlog processor: message text stays in DEBUG events only."""
    if method_name != "debug":
        for field in MESSAGE_TEXT_FIELDS:
            if field in event_dict:
                event_dict[field] = HIDDEN
    return event_dict


def _configure_structlog() -> None:
    processors = list(structlog.get_config().get("processors", []))
    if without_message_text not in processors:
        structlog.configure(processors=[without_message_text, *processors])


def configure() -> None:
    """Scrub every log record of this process from now on. Safe to call twice."""
    global _configured
    if _configured:
        return
    make_record = logging.getLogRecordFactory()

    def private_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _scrub_record(record)
        return record

    logging.setLogRecordFactory(private_record)
    _configure_structlog()
    _configured = True
