"""The conversation store: Rasa's SQL tracker store, set up from our settings.

Named in endpoints.yml as ``bot.rasa_server.conversation_store.ConversationStore``;
Rasa creates it when the server starts. It keeps conversations in
``TRACKER_DATABASE_URL`` (PostgreSQL, say) or, by default, in an SQLite file
in ``DATA_DIR`` (``var/conversations.db``), so a restart loses nothing.

Messages are redacted at the entrance (``bot.rasa_server.entrance``) before
they reach it; as a second line, ``save`` redacts any user text that would still hold
personal data before it is written.

Phone numbers and e-mail addresses pass the entrance only while a contact form
(the callback form) runs; the form needs them from one message to the next.
When a conversation that holds some is saved with no such form running, they
are removed from every stored event of that conversation (``forget_contact_details``):
what the resident typed, what the assistant said back, and the slot values.
"""
import itertools
import json
import logging
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import PrivacySettings
from bot import rasa_server
from bot.rasa_server import entrance
from bot.rasa_server.public_contacts import public_contact_details
from bot.privacy import logs
from bot.privacy.redaction import EMAIL, PHONE, redact
from bot.sqlite import is_sqlite_file, sqlite_engine

CONTACT_DETAILS = {PHONE, EMAIL}
# The stored events that can hold what a resident typed: messages, replies, slot values.
EVENTS_WITH_TEXT = (UserUttered.type_name, BotUttered.type_name, SlotSet.type_name)

# Set on a tracker loaded by this store: how many of its events are stored already.
_STORED_EVENTS = "_conversation_store_stored_events"

logger = logging.getLogger(__name__)


def _texts(event: Event) -> Iterable[str]:
    if isinstance(event, (UserUttered, BotUttered)) and isinstance(event.text, str):
        yield event.text
    elif isinstance(event, SlotSet) and isinstance(event.value, str):
        yield event.value


def ran_a_contact_form(events: Iterable[Event]) -> bool:
    """Only a contact form lets phone numbers and e-mails past the entrance: a
    conversation without one needs no search for them at every save."""
    return any(isinstance(event, ActiveLoop) and event.name in entrance.CONTACT_DETAIL_FORMS for event in events)


def holds_contact_details(events: Iterable[Event]) -> bool:
    """A phone number or e-mail address (not the municipality's own) in a message, reply or slot."""
    public = public_contact_details()
    return any(CONTACT_DETAILS & redact(text, public=public).kinds for event in events for text in _texts(event))


def without_contact_details(data: Any, found: set) -> Any:
    """``data`` (an event as stored) with phone numbers and e-mail addresses replaced."""
    if isinstance(data, str):
        result = redact(data, allowed=(), public=public_contact_details())
        found.update(result.kinds)
        return result.text
    if isinstance(data, dict):
        return {key: without_contact_details(value, found) for key, value in data.items()}
    if isinstance(data, list):
        return [without_contact_details(value, found) for value in data]
    return data


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
        if not rasa_server.installed():
            # A server started as plain `rasa run` would skip the entrance's redaction.
            logger.warning("The conversation store runs in a Rasa server not started with "
                           "python -m bot.rasa_server: messages are only redacted when they are saved.")
        settings = PrivacySettings.once()
        database_url = url or host or settings.database_url
        arguments = connection_arguments(database_url)
        if is_sqlite_file(database_url):
            Path(arguments["db"]).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, event_broker=event_broker, **arguments, **kwargs)
        if is_sqlite_file(database_url):
            # synchronous=NORMAL: in WAL mode a commit survives the server being
            # killed or restarted; only a power cut or an OS crash can take back the
            # last turns. Not waiting for the disk at every turn, and one pooled
            # connection, halved the store's time per turn (bench/RESULTS.md,
            # "Conversation store").
            self.engine.dispose()
            self.engine = sqlite_engine(str(self.engine.url), "PRAGMA synchronous=NORMAL", future=False)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        shown = sa.engine.make_url(database_url).render_as_string(hide_password=True)
        logger.info("Conversations are kept in %s for %g days.", shown, settings.retention_days)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            # Every event of the latest session as stored, in order: save() needs no COUNT to know which are new.
            setattr(tracker, _STORED_EVENTS, len(tracker.events))
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events not stored yet. Rasa counts the stored ones with a query at every
        save (~7 % of the server's time under load, bench/RESULTS.md "Profile of a
        turn"); a tracker this store loaded knows the number. It is loaded and saved
        within one turn, under the conversation's lock, so nothing else wrote meanwhile."""
        stored = getattr(tracker, _STORED_EVENTS, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        for event in tracker.events:
            if isinstance(event, UserUttered) and event.text:
                # Changes something only if a message bypassed the entrance. CPR and
                # card numbers are never stored; phone numbers and e-mails may have
                # been kept on purpose by a contact form, so they are left alone here.
                result = redact(event.text, allowed=(PHONE, EMAIL), public=public_contact_details())
                if result.changed:
                    event.text = result.text
                    if isinstance(event.parse_data, dict):
                        event.parse_data["text"] = result.text
        await super().save(tracker)
        if hasattr(tracker, _STORED_EVENTS):
            delattr(tracker, _STORED_EVENTS)  # a second save of this object counts again
        if (tracker.active_loop_name not in entrance.CONTACT_DETAIL_FORMS and ran_a_contact_form(tracker.events)
                and holds_contact_details(tracker.events)):
            self.forget_contact_details(tracker.sender_id)

    def forget_contact_details(self, sender_id: Text) -> int:
        """Remove phone numbers and e-mail addresses from every stored event of
        ``sender_id`` (all sessions). Returns how many events changed."""
        changed = 0
        with self.session_scope() as session:
            rows = session.query(self.SQLEvent).filter(
                self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name.in_(EVENTS_WITH_TEXT)).all()
            for row in rows:
                found: set = set()
                cleaned = without_contact_details(json.loads(row.data), found)
                if found:
                    row.data = json.dumps(cleaned)
                    changed += 1
            session.commit()
        if changed:
            logger.info("Contact details removed from %d stored events of %s.", changed, logs.hashed(sender_id))
        return changed
