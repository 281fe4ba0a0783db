"""The Rasa server process: every change this project makes to Rasa's behaviour.

Rasa Open Source 3.6 offers no hooks for what a public assistant needs, so a
few of its methods are replaced. All of them live in this package and are
switched on by one call, ``install()``, made by the one entry point that
starts the server: ``python -m bot.rasa_server run ...`` (``make run``, the
tests, the benchmarks and the Helm values all start it this way). Components
and stores may check ``installed()``; they never install anything.

What is replaced, and what to re-check when Rasa is upgraded:

==========================  =================================================
``parse_thread``            ``MessageProcessor.parse_message``: NLU in worker
                            threads, off the event loop
``safety_mode``             ``MessageProcessor.parse_message`` (around
                            ``parse_thread``'s): right after a danger answer,
                            a message is read as part of the danger
``reply_language``          ``MessageProcessor.parse_message`` (around
                            ``safety_mode``'s): the message's language as
                            an entity, for the ``language`` slot
``translated_responses``    ``TemplatedNaturalLanguageGenerator.
                            generate_from_slots``: domain.yml's responses
                            in the resident's language
``message_language``        ``SocketIOOutput._send_message``: each message
                            to the widget with its ``lang`` and ``dir``
``action_guard``            ``RemoteAction.run``: an apology instead of
                            silence when the action server fails
``action_response_check``   ``RemoteAction._validate_action_result``: one
                            validator built once
``entrance``                ``Agent.handle_message``: personal data removed
                            before Rasa parses, stores or logs a message;
                            a conversation a staff member has taken is not
                            answered by the assistant (``live_pause``)
``channels``                ``rasa.core.run.configure_app``: REST and
                            socket.io checks (size, rate, payload), Sanic's
                            ``REQUEST_MAX_SIZE``; private logs from then on
``shared_spacy``            ``SpacyNLP.load_model``: the spaCy pipeline
                            loaded once, not once per graph node
``conversation_store``      ``SQLTrackerStore`` (subclass, private
                            ``_additional_events``): redaction on save
``lock_store``              ``RedisLockStore`` (subclass, private ticket
                            polling): a waiting turn's ticket kept alive
==========================  =================================================

The two stores are named in endpoints.yml; the others are installed here.
``live_relay`` adds a task to Rasa's app (no Rasa method replaced): it
delivers the live chat's staff messages to residents.
The readiness route (``readiness``) is a channel, named in credentials.yml.
"""
import functools
import logging
import sys

# TensorFlow (which Rasa imports) imports jax, if installed, only for a TFLite
# converter the server never uses, and does without it when the import fails.
# Without it every start of the server, and its restart after a crash, is a
# second shorter.
sys.modules.setdefault("jax", None)

# skops.io works out its trusted types when imported, by searching every module
# loaded so far: before Rasa and TensorFlow are loaded that takes about 2 s, after
# them about 11 s of the server's start (and of its restart after a crash).
import skops.io  # noqa: F401  (must come before rasa)
import rasa.core.run
from rasa.version import __version__ as RASA_RUNNING

from bot.errors import AssistantError

logger = logging.getLogger(__name__)

# The only Rasa version the replaced methods were read against.
RASA_VERSION = "3.6.21"

_installed = False


class RasaVersionMismatch(AssistantError, RuntimeError):
    """The running Rasa is not the one the replaced methods were written for."""

    code = "forkert_rasa_version"


def check_version(running: str = RASA_RUNNING) -> None:
    if running != RASA_VERSION:
        raise RasaVersionMismatch(
            f"bot.rasa_server was written for Rasa {RASA_VERSION}, but Rasa {running} is installed. "
            "Before changing RASA_VERSION in bot/rasa_server/__init__.py, compare each replaced "
            "method listed in that module's docstring with the new Rasa source, and run make test."
        )


def installed() -> bool:
    """Whether ``install()`` ran in this process (the server's stores check it)."""
    return _installed


def install() -> None:
    """Switch on every change to Rasa's behaviour. Idempotent; refuses another Rasa version."""
    global _installed
    if _installed:
        return
    check_version()
    # Imported here: each module reads the Rasa method it replaces at import time.
    from bot.rasa_server import (action_guard, entrance, message_language, parse_thread, reply_language,
                                 safety_mode, shared_spacy, translated_responses)

    parse_thread.install()
    safety_mode.install()  # after parse_thread: it reads what the worker threads parsed
    reply_language.install()
    translated_responses.install()
    message_language.install()
    action_guard.install()
    entrance.install()
    shared_spacy.install()
    rasa.core.run.configure_app = _with_our_app_settings(rasa.core.run.configure_app)
    _installed = True
    logger.debug("Rasa server changes installed for Rasa %s.", RASA_VERSION)


def _with_our_app_settings(configure_app):
    """Rasa's ``configure_app``, then our channel checks and private logs.

    Rasa configures its logging after the command line is read and builds its
    app and channels here, before it loads the model or accepts a message.
    """
    from bot.privacy import logs
    from bot.rasa_server import channels, live_relay

    @functools.wraps(configure_app)
    def configure(*args, **kwargs):
        app = configure_app(*args, **kwargs)
        logs.configure()
        channels.harden_channels(app)
        live_relay.attach(app)
        return app

    return configure
