"""Answer-data entries in the database: read, change, retire, restore, with
their history.

Every change runs in one transaction that first bumps the revision counter:
that serialises writers (SQLite and PostgreSQL alike), tells every reader to
reload, and lets each change be checked against all other entries before it
is kept. A change that would leave the answer data invalid (a contact that
does not exist, two default contacts, ...) is refused with the problems.
"""
import datetime
import json
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Mapping, Optional

import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.errors import EditConflict, NotFound, TranslationNotFound
from bot.answer_store.review_dates import CHECKED, ReviewPeriods, carried, planned
from bot.answer_store.times import as_utc, danish_date, danish_time, danish_today, now
from bot.knowledge.loader import entry_from_dict
from bot.knowledge.model import KnowledgeBase, KnowledgeError, Problem
from bot.knowledge.schema import KINDS, TRANSLATED_FIELDS, Entry

WHERE = "svardata"


def entry_data(entry: Entry) -> dict:
    """What is stored for an entry: its fields as JSON, defaults left out."""
    return json.loads(entry.json(exclude_defaults=True))


@dataclass(frozen=True)
class StoredEntry:
    id: str
    kind: str
    data: dict
    version: int
    retired: bool
    updated_at: datetime.datetime
    updated_by: str

    @property
    def entry(self) -> Entry:
        return Entry(**self.data)

    @property
    def name(self) -> str:
        return self.data.get("name", self.id)


@dataclass(frozen=True)
class EntryVersion:
    entry_id: str
    version: int
    data: dict
    retired: bool
    # seeded, created, edited, retired, restored, imported, checked ("Stadig rigtigt"), review_added
    # (owner and review date given by migration 0004); translated, translation_checked, translation_removed
    action: str
    changed_at: datetime.datetime
    changed_by: str


def _stored(row) -> StoredEntry:
    return StoredEntry(row.id, row.kind, row.data, row.version, row.retired, as_utc(row.updated_at), row.updated_by)


def _version(row) -> EntryVersion:
    return EntryVersion(row.entry_id, row.version, row.data, row.retired, row.action,
                        as_utc(row.changed_at), row.changed_by)


def validate(data: dict, label: Optional[str] = None) -> Entry:
    """The entry ``data`` describes, or ``KnowledgeError`` with Danish problems."""
    if not isinstance(data, dict):
        raise KnowledgeError([Problem(WHERE, label, None, "Posten skal være en samling af felter.")])
    entry, problems = entry_from_dict(data, WHERE, label or str(data.get("id") or "ny post"))
    if problems:
        raise KnowledgeError(problems)
    return entry


def knowledge_from(entries: Iterable[Entry]) -> KnowledgeBase:
    """All entries checked together (references, one default contact, ...)."""
    entries = list(entries)
    return KnowledgeBase(entries, {entry.id: WHERE for entry in entries})


def _check_fixed_fields(current: StoredEntry, entry: Entry) -> None:
    """The kind and the question type (intent, which ties an entry to the trained
    model) stay as they are; changing them would silently break answers."""
    problems = [
        Problem(WHERE, entry.id, field, message)
        for field, message in (("kind", "Typen kan ikke ændres. Opret en ny post i stedet."),
                               ("intent", "Spørgsmålstypen hænger sammen med den trænede model og kan ikke ændres her."))
        if current.data.get(field) != getattr(entry, field)
    ]
    if problems:
        raise KnowledgeError(problems)


def _import_problems(current: StoredEntry, entry: Entry, based_on: Optional[datetime.datetime]) -> List[Problem]:
    try:
        _check_fixed_fields(current, entry)
    except KnowledgeError as error:
        return error.problems
    if based_on is not None and current.updated_at > based_on:
        what = "fjernet" if current.retired else "ændret"
        return [Problem(WHERE, entry.id, None,
                        f"Posten er {what} af {current.updated_by} ({danish_time(current.updated_at)}), efter filen "
                        "blev hentet. Hent en ny fil, og ret i den, så ingen ændringer går tabt.")]
    return []


def _checked(entry: Entry, user: str) -> dict:
    """What marks a translation as written (or checked) by ``user`` today for the entry's Danish as it is."""
    return {"written_for": entry.danish_fingerprint(), "checked_by": user, "checked_on": danish_today().isoformat()}


class EntryStore:
    """``periods``: how long after a check each kind of entry is due again (``review_dates``)."""

    def __init__(self, engine: sa.engine.Engine, periods: Optional[ReviewPeriods] = None):
        self.engine = engine
        self.periods = periods or ReviewPeriods()

    # --- reading -----------------------------------------------------------

    def revision(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(tables.revision.c.number)).scalar_one()

    def all(self, include_retired: bool = True) -> List[StoredEntry]:
        query = sa.select(tables.entries).order_by(tables.entries.c.kind, tables.entries.c.id)
        if not include_retired:
            query = query.where(tables.entries.c.retired.is_(False))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        order = {kind: position for position, kind in enumerate(KINDS)}
        return sorted((_stored(row) for row in rows), key=lambda e: (order.get(e.kind, 99), e.name.lower()))

    def search(self, text: str, include_retired: bool = True) -> List[StoredEntry]:
        """Entries whose id or any text field contains every word of ``text``."""
        words = text.lower().split()
        found = []
        for stored in self.all(include_retired):
            haystack = " ".join([stored.id] + [json.dumps(stored.data, ensure_ascii=False)]).lower()
            if all(word in haystack for word in words):
                found.append(stored)
        return found

    def get(self, entry_id: str) -> StoredEntry:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(tables.entries).where(tables.entries.c.id == entry_id)).first()
        if row is None:
            raise NotFound(entry_id)
        return _stored(row)

    def history(self, entry_id: str) -> List[EntryVersion]:
        """Every version of the entry, newest first."""
        self.get(entry_id)
        query = (sa.select(tables.entry_versions).where(tables.entry_versions.c.entry_id == entry_id)
                 .order_by(tables.entry_versions.c.version.desc()))
        with self.engine.connect() as connection:
            return [_version(row) for row in connection.execute(query)]

    def knowledge(self) -> KnowledgeBase:
        return knowledge_from(stored.entry for stored in self.all(include_retired=False))

    def preview_knowledge(self, data: dict, entry_id: Optional[str] = None) -> KnowledgeBase:
        """The answer data as it would be with ``data`` saved (nothing is saved)."""
        entry = validate(data, entry_id)
        others = [s.entry for s in self.all(include_retired=False) if s.id not in (entry.id, entry_id)]
        return knowledge_from(others + [entry])

    # --- changing ------------------------------------------------------------

    def create(self, data: dict, user: str) -> StoredEntry:
        """A new entry, owned by ``user`` unless ``data`` names an owner, due for a check
        a period from today unless ``data`` gives a review date."""
        entry = planned(validate(data), None, user, self.periods)
        with self.engine.begin() as connection:
            self._begin_change(connection)
            if self._row(connection, entry.id) is not None:
                raise KnowledgeError([Problem(WHERE, entry.id, "id", "Id'et bruges allerede af en anden post.")])
            self._check_all(connection, {entry.id: entry})
            return self._write(connection, entry, None, retired=False, action="created", user=user)

    def update(self, entry_id: str, data: dict, version: int, user: str) -> StoredEntry:
        """Save ``data`` as the entry's new version. An owner or review date left out stays
        as stored; a changed Danish text is a check (``review_dates.planned``)."""
        entry = validate(data, entry_id)
        if entry.id != entry_id:
            raise KnowledgeError([Problem(WHERE, entry_id, "id", "Id'et kan ikke ændres. Opret en ny post i stedet.")])
        with self.engine.begin() as connection:
            self._begin_change(connection)
            current = self._current(connection, entry_id, version)
            _check_fixed_fields(current, entry)
            entry = planned(entry, current.data, user, self.periods)
            if not current.retired:
                self._check_all(connection, {entry.id: entry})
            return self._write(connection, entry, current, retired=current.retired, action="edited", user=user)

    def retire(self, entry_id: str, version: int, user: str) -> StoredEntry:
        """Residents no longer hear about the entry; its history stays."""
        with self.engine.begin() as connection:
            self._begin_change(connection)
            current = self._current(connection, entry_id, version)
            if current.retired:
                raise KnowledgeError([Problem(WHERE, entry_id, None, "Posten er allerede fjernet.")])
            self._check_all(connection, {entry_id: None})
            return self._write(connection, current.entry, current, retired=True, action="retired", user=user)

    def restore(self, entry_id: str, to_version: int, version: int, user: str) -> StoredEntry:
        """Make an earlier version current again (as a new version), with its owner and
        review date (the current ones, when that version has none)."""
        with self.engine.begin() as connection:
            self._begin_change(connection)
            current = self._current(connection, entry_id, version)
            old = connection.execute(
                sa.select(tables.entry_versions).where(tables.entry_versions.c.entry_id == entry_id,
                                                       tables.entry_versions.c.version == to_version)
            ).first()
            if old is None:
                raise KnowledgeError([Problem(WHERE, entry_id, None, f"Version {to_version} findes ikke.")])
            entry = carried(validate(old.data, entry_id), current.data)
            self._check_all(connection, {entry_id: None if old.retired else entry})
            return self._write(connection, entry, current, retired=old.retired, action="restored", user=user)

    def mark_checked(self, entry_id: str, version: int, user: str,
                     today: Optional[datetime.date] = None) -> StoredEntry:
        """"Stadig rigtigt": ``user`` has checked the entry and its text is still right. A new
        version (action ``checked``, in the history and the audit log) with the same text and
        the review date moved to today + the kind's period. An entry without an owner gets
        ``user``. Refused for a retired entry."""
        with self.engine.begin() as connection:
            self._begin_change(connection)
            current = self._current(connection, entry_id, version)
            if current.retired:
                raise KnowledgeError([Problem(WHERE, entry_id, None, "Posten er fjernet og skal ikke tjekkes. "
                                              "Gendan den først, hvis borgerne skal have svar om den igen.")])
            due = self.periods.next_due(current.kind, today)
            entry = validate({**current.data, "owner": current.data.get("owner") or user,
                              "review_due": due.isoformat()}, entry_id)
            return self._write(connection, entry, current, retired=False, action=CHECKED, user=user,
                               note=f"næste tjek senest {danish_date(due)}")

    # --- translations (each change a new version of the entry) ------------------------

    def set_translation(self, entry_id: str, language: str, texts: Mapping[str, Optional[str]], version: int,
                        user: str) -> StoredEntry:
        """Write the entry's translation into ``language`` (replacing the one there is) from
        ``texts`` (name, summary, details, title, hours; empty ones left out), as written by
        ``user`` today for the Danish text as it is now: residents get it at once."""

        def change(entry: Entry, existing: Optional[dict]) -> dict:
            written = {field: str(texts[field]).strip() for field in TRANSLATED_FIELDS
                       if texts.get(field) is not None and str(texts[field]).strip()}
            return {**written, **_checked(entry, user)}

        return self._change_translation(entry_id, language, version, user, "translated", change)

    def confirm_translation(self, entry_id: str, language: str, version: int, user: str) -> StoredEntry:
        """The translation still says what the Danish text says now ("Stadig rigtig"), so
        residents get it again: it counts as written for the current Danish."""
        return self._change_translation(entry_id, language, version, user, "translation_checked",
                                        lambda entry, existing: {**existing, **_checked(entry, user)})

    def remove_translation(self, entry_id: str, language: str, version: int, user: str) -> StoredEntry:
        """Residents writing in ``language`` get the Danish text of the entry again."""
        return self._change_translation(entry_id, language, version, user, "translation_removed",
                                        lambda entry, existing: None)

    def _change_translation(self, entry_id: str, language: str, version: int, user: str, action: str,
                            change: Callable[[Entry, Optional[dict]], Optional[dict]]) -> StoredEntry:
        """``change`` gets the entry and its translation's data (None: there is none) and
        returns the new data (None: remove it). Only ``translated`` may start a new one."""
        with self.engine.begin() as connection:
            self._begin_change(connection)
            current = self._current(connection, entry_id, version)
            translations = dict(current.data.get("translations") or {})
            if language not in translations and action != "translated":
                raise TranslationNotFound(entry_id, language)
            changed = change(current.entry, translations.get(language))
            if changed is None:
                translations.pop(language, None)
            else:
                translations[language] = changed
            data = {key: value for key, value in current.data.items() if key != "translations"}
            if translations:
                data["translations"] = translations
            entry = validate(data, entry_id)
            if not current.retired:
                self._check_all(connection, {entry.id: entry})
            return self._write(connection, entry, current, retired=current.retired, action=action, user=user,
                               note=f"sprog: {language}")

    def replace_many(self, entries: List[Entry], user: str, action: str,
                     based_on: Optional[datetime.datetime] = None) -> Dict[str, int]:
        """Create or change many entries at once (import, seeding): all or none.

        ``based_on``: when the file was exported. An entry changed or removed in
        the store since then is not overwritten by the older file: the whole
        import is refused, so nobody's newer edit is lost. Returns how many were
        created, changed and left as they were. Entries not in ``entries`` are
        not touched. Owners and review dates as in ``update`` (a new entry
        without an owner gets ``user``).
        """
        counts = {"created": 0, "changed": 0, "unchanged": 0}
        with self.engine.begin() as connection:
            self._begin_change(connection)
            current = {}
            for entry in entries:
                row = self._row(connection, entry.id)
                current[entry.id] = _stored(row) if row is not None else None
            entries = [planned(entry, current[entry.id].data if current[entry.id] else None, user, self.periods)
                       for entry in entries]
            changes = [e for e in entries if current[e.id] is None or current[e.id].retired
                       or current[e.id].data != entry_data(e)]
            problems = [problem for entry in changes if current[entry.id] is not None
                        for problem in _import_problems(current[entry.id], entry, based_on)]
            if problems:
                raise KnowledgeError(problems)
            self._check_all(connection, {entry.id: entry for entry in entries})
            for entry in changes:
                self._write(connection, entry, current[entry.id], retired=False, action=action, user=user)
                counts["created" if current[entry.id] is None else "changed"] += 1
        counts["unchanged"] = len(entries) - len(changes)
        return counts

    # --- inside a change's transaction ----------------------------------------

    @staticmethod
    def _begin_change(connection) -> None:
        # Written first: the write lock is taken before anything is read.
        connection.execute(sa.update(tables.revision).values(number=tables.revision.c.number + 1))

    @staticmethod
    def _row(connection, entry_id: str):
        return connection.execute(sa.select(tables.entries).where(tables.entries.c.id == entry_id)).first()

    def _current(self, connection, entry_id: str, version: int) -> StoredEntry:
        row = self._row(connection, entry_id)
        if row is None:
            raise NotFound(entry_id)
        current = _stored(row)
        if current.version != version:
            raise EditConflict(entry_id, current.version, current.updated_by, current.updated_at)
        return current

    def _check_all(self, connection, changed: Dict[str, Optional[Entry]]) -> None:
        """Would all active entries, with ``changed`` applied (None = retired), be valid?"""
        rows = connection.execute(sa.select(tables.entries).where(tables.entries.c.retired.is_(False))).all()
        active = {row.id: Entry(**row.data) for row in rows}
        active.update(changed)
        knowledge_from(entry for entry in active.values() if entry is not None)

    def _write(self, connection, entry: Entry, current: Optional[StoredEntry], retired: bool, action: str,
               user: str, note: str = "") -> StoredEntry:
        """``note``: said after the version in the audit log (which language, never the text)."""
        version = 1 if current is None else current.version + 1
        values = dict(kind=entry.kind, data=entry_data(entry), version=version, retired=retired,
                      updated_at=now(), updated_by=user)
        if current is None:
            connection.execute(sa.insert(tables.entries).values(id=entry.id, **values))
        else:
            result = connection.execute(
                sa.update(tables.entries)
                .where(tables.entries.c.id == entry.id, tables.entries.c.version == current.version)
                .values(**values)
            )
            if result.rowcount != 1:
                raise EditConflict(entry.id, version, user, values["updated_at"])
        connection.execute(sa.insert(tables.entry_versions).values(
            entry_id=entry.id, version=version, data=values["data"], retired=retired, action=action,
            changed_at=values["updated_at"], changed_by=user,
        ))
        details = f"version {version}, {note}" if note else f"version {version}"
        audit.record(connection, user, f"entry_{action}", entry.id, details)
        return StoredEntry(entry.id, entry.kind, values["data"], version, retired, values["updated_at"], user)
