"""Log lines never carry personal data or a sender id in clear, at any level."""
import logging

import pytest

from bot.config import forget_settings
from bot.privacy import logs


@pytest.fixture
def captured(monkeypatch, caplog):
    monkeypatch.setenv("PRIVACY_KEY", "unit-test-key")
    forget_settings()
    logs._key.cache_clear()
    factory = logging.getLogRecordFactory()
    logs.configure()
    caplog.set_level(logging.DEBUG)
    yield caplog
    # Leave other tests' logging as it was.
    logging.setLogRecordFactory(factory)
    logs._configured = False
    forget_settings()
    logs._key.cache_clear()


def test_personal_data_is_scrubbed_even_at_debug(captured):
    logging.getLogger("rasa.core.processor").debug("Received user message '%s'", "mit cpr er 010190-1234")
    logging.getLogger("some.library").warning("mail a.b@example.com, tlf 23456789")
    assert "010190-1234" not in captured.text
    assert "a.b@example.com" not in captured.text and "23456789" not in captured.text
    assert "[fjernet]" in captured.text


def test_the_sender_of_the_turn_appears_hashed(captured):
    with logs.about_sender("widget-session-42"):
        logging.getLogger("rasa.core.processor").warning(
            "Circuit breaker tripped for sender 'widget-session-42'."
        )
    assert "widget-session-42" not in captured.text
    assert logs.hashed("widget-session-42") in captured.text


def test_exceptions_are_scrubbed(captured):
    try:
        raise ValueError("could not parse 010190-1234")
    except ValueError:
        logging.getLogger("x").exception("failed")
    assert "010190-1234" not in captured.text
    assert "010190-1234" not in "".join(r.exc_text or "" for r in captured.records)


def test_hashes_are_stable_and_keyed(monkeypatch):
    monkeypatch.setenv("PRIVACY_KEY", "one")
    forget_settings()
    logs._key.cache_clear()
    first = logs.hashed("+4523456789")
    assert first == logs.hashed("+4523456789") and "23456789" not in first
    monkeypatch.setenv("PRIVACY_KEY", "two")
    forget_settings()
    logs._key.cache_clear()
    assert logs.hashed("+4523456789") != first
    forget_settings()
    logs._key.cache_clear()


def test_a_key_is_created_once_in_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PRIVACY_KEY", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    forget_settings()
    logs._key.cache_clear()
    first = logs.hashed("x")
    forget_settings()
    logs._key.cache_clear()
    assert logs.hashed("x") == first
    assert (tmp_path / logs.KEY_FILE_NAME).stat().st_mode & 0o777 == 0o600
    forget_settings()
    logs._key.cache_clear()


def test_structured_events_lose_message_text_above_debug(captured):
    import structlog

    structlog.configure(processors=[structlog.processors.JSONRenderer()],
                        logger_factory=structlog.stdlib.LoggerFactory())
    logs._configure_structlog()
    events = structlog.get_logger("rasa.core.channels.rest")
    events.error("rest.message.received.failure", text="hvad er jobplaneten")
    events.debug("rest.message.received", text="fortael om faelles fremtid")
    assert "hvad er jobplaneten" not in captured.text and logs.HIDDEN in captured.text
    assert "fortael om faelles fremtid" in captured.text
    structlog.reset_defaults()
