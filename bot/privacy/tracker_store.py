"""The conversation store: Rasa's SQL tracker store, set up from our settings.

Named in endpoints.yml as ``bot.privacy.tracker_store.ConversationStore``;
Rasa creates it when the server starts. It keeps conversations in
``TRACKER_DATABASE_URL`` (PostgreSQL, say) or, by default, in an SQLite file
in ``DATA_DIR`` (``var/conversations.db``), so a restart loses nothing.

Creating it also installs redaction at the entrance (``entrance.install``)
and the REST and socket.io checks (``channels.harden_channels``): Rasa loads
it before the server accepts its first message, whatever channels are configured.
As a second line, ``save`` redacts any user text that would still hold
personal data before it is written.
"""
import logging
from pathlib import Path
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import PrivacySettings
from bot.privacy import channels, entrance
from bot.privacy.redaction import EMAIL, PHONE, redact

logger = logging.getLogger(__name__)


def connection_arguments(url: str) -> dict:
    """SQLTrackerStore's keyword arguments for an SQLAlchemy URL."""
    parsed = sa.engine.make_url(url)
    return {
        "dialect": parsed.drivername,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query) or None,
    }


class ConversationStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[Text] = None,
        host: Optional[Text] = None,  # Rasa passes the endpoint's url as host
        **kwargs: Any,
    ) -> None:
        entrance.install()
        channels.harden_channels()
        settings = PrivacySettings.from_env()
        database_url = url or host or settings.database_url
        arguments = connection_arguments(database_url)
        if arguments["dialect"].startswith("sqlite") and arguments["db"]:
            Path(arguments["db"]).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, event_broker=event_broker, **arguments, **kwargs)
        shown = sa.engine.make_url(database_url).render_as_string(hide_password=True)
        logger.info("Conversations are kept in %s for %g days.", shown, settings.retention_days)

    async def save(self, tracker: DialogueStateTracker) -> None:
        for event in tracker.events:
            if isinstance(event, UserUttered) and event.text:
                # Changes something only if a message bypassed the entrance. CPR and
                # card numbers are never stored; phone numbers and e-mails may have
                # been kept on purpose by a contact form, so they are left alone here.
                result = redact(event.text, allowed=(PHONE, EMAIL), public=entrance.public_contact_details())
                if result.changed:
                    event.text = result.text
                    if isinstance(event.parse_data, dict):
                        event.parse_data["text"] = result.text
        await super().save(tracker)
