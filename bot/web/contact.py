"""Whom residents and staff are sent to when something goes wrong: the answer
store's fallback contact (Køge Kommune), in the error pages, the privacy page,
the demo page and the widget's outage texts.

Read through the store's revision, so a number staff change in the admin is
shown at once. When the store cannot be read (the moment an error page is most
needed) the last contact read stands in, and before any the seed answer data's.
"""
import logging
from dataclasses import dataclass
from typing import Optional

from aiohttp import web

from bot.config import Settings
from bot.knowledge import KnowledgeStore, load_directory
from bot.knowledge.schema import Entry
from bot.web.keys import FALLBACK_CONTACT

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: Optional[str]

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: +45 and the digits."""
        return "+45" + self.phone.replace(" ", "")


def _contact_of(entry: Entry) -> Contact:
    return Contact(entry.name, entry.phone, entry.email)


def _seed_contact() -> Contact:
    return _contact_of(load_directory(Settings.once().knowledge_dir).fallback_contact)


class FallbackContact:
    """``current()``: the fallback contact of the newest answer data this app could read."""

    def __init__(self, knowledge: KnowledgeStore):
        self._knowledge = knowledge
        self._last: Optional[Contact] = None

    def current(self) -> Contact:
        try:
            self._last = _contact_of(self._knowledge.current().fallback_contact)
        except Exception as error:  # noqa: BLE001 - an error page must not fail for want of a number
            logger.warning("The fallback contact could not be read (%s); showing the last one known.",
                           type(error).__name__)
            if self._last is None:
                self._last = _seed_contact()
        return self._last


def fallback_contact(app: web.Application) -> Contact:
    return app[FALLBACK_CONTACT].current()
