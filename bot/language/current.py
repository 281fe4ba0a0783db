"""The language the assistant is answering in, for the turn being handled.

Set once per action call from the conversation's ``language`` slot
(``actions/language.py``), read by ``bot.phrases.Phrases.say``, so code that
puts a reply together does not pass the language around.
"""
import contextlib
from contextvars import ContextVar
from typing import Iterator, Optional

from bot.language.detect import DANISH, SUPPORTED

_reply_language: ContextVar[str] = ContextVar("reply_language", default=DANISH)


def reply_language() -> str:
    return _reply_language.get()


def supported(language: Optional[str]) -> str:
    """``language`` when the assistant knows it, else Danish."""
    return language if language in SUPPORTED else DANISH


@contextlib.contextmanager
def replying_in(language: Optional[str]) -> Iterator[str]:
    token = _reply_language.set(supported(language))
    try:
        yield _reply_language.get()
    finally:
        _reply_language.reset(token)
