"""Who keeps each answer-data entry right, and when it is to be checked again.

Every entry has an owner (a staff account's name or a team, e.g.
"Helhedsplanens sekretariat") and a review date (``review_due``: the day it
is to be checked at the latest). Both are fields of the entry's data, so its
history, a restore, the export and the import carry them.

The rules, as staff read them in the admin:

* **Tjekket** (checked): an entry is checked when its Danish text is changed
  (created, edited, changed by an import) or when a staff member says it is
  "Stadig rigtigt" (``EntryStore.mark_checked``: a new version, action
  ``checked``). Its review date then moves to today + the kind's period
  (``ReviewPeriods``: six months unless ``REVIEW_MONTHS`` or
  ``REVIEW_MONTHS_BY_KIND`` say otherwise). A review date set by hand (one other
  than the stored one) is kept as it was set. A change of the owner alone, a
  translation or a retire is not a check; a restore brings back the owner and
  review date of the version restored.
* **Overskredet** (``OVERDUE``): the review date has passed (it is before
  today), or the entry has none, or its Danish text names a date that has
  passed ("til 31. august 2025"; not a start, "fra 1. september 2021"), or its
  ``ends`` date has passed (``bot.knowledge.dates.entry_passed_dates``).
* **Skal tjekkes snart** (``DUE``): the review date is today or within the
  next ``NOTICE_DAYS`` (14) days.

"Skal tjekkes" lists both, oldest first; the daily digest (``bot.review_digest``)
sends each owner theirs. The seed data starts with owner ``SEED_OWNER`` and the
day of seeding as its review date: it was written from an old page, so all of
it is to be checked at once.
"""
import calendar
import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import sqlalchemy as sa

from bot.answer_store import tables
from bot.answer_store.times import LOCAL_TIME, as_utc, danish_date, danish_today
from bot.knowledge import dates
from bot.knowledge.schema import KINDS, Entry

OVERDUE, DUE = "overdue", "due"
STATES = (OVERDUE, DUE)
NOTICE_DAYS = 14
DEFAULT_MONTHS = 6
SEED_OWNER = "Helhedsplanens sekretariat"
CHECKED = "checked"  # the version action of "Stadig rigtigt"
# The fields a check is not about: who owns the entry, when it is due, its translations.
NOT_TEXT = ("owner", "review_due", "translations")
# Version actions that count as a check when they changed the Danish text.
TEXT_CHANGES = ("created", "edited", "imported")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day (31.08 + 6 -> 28.02)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ReviewPeriods:
    """How many months after a check an entry is due again: ``months``, or its kind's in ``by_kind``."""

    months: int = DEFAULT_MONTHS
    by_kind: Tuple[Tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(kind for kind, _ in self.by_kind if kind not in KINDS)
        if unknown:
            raise ValueError(f"REVIEW_MONTHS_BY_KIND names unknown kinds: {', '.join(unknown)} "
                             f"(known: {', '.join(KINDS)}).")

    @classmethod
    def from_settings(cls, settings) -> "ReviewPeriods":
        """From ``AnswerStoreSettings`` (``review_months``, ``review_months_by_kind``)."""
        return cls(settings.review_months, tuple(settings.review_months_by_kind))

    def months_for(self, kind: str) -> int:
        return dict(self.by_kind).get(kind, self.months)

    def next_due(self, kind: str, today: Optional[datetime.date] = None) -> datetime.date:
        """The review date of an entry of ``kind`` checked ``today``."""
        return add_months(today or danish_today(), self.months_for(kind))


def text_of(data: Mapping) -> dict:
    """What a check is about: the entry's data without owner, review date and translations."""
    return {key: value for key, value in data.items() if key not in NOT_TEXT}


def as_date(value) -> Optional[datetime.date]:
    """A date from the entry's JSON (ISO text) or as it is; None when it is none or unreadable."""
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def planned(entry: Entry, current: Optional[Mapping], default_owner: str, periods: ReviewPeriods,
            today: Optional[datetime.date] = None) -> Entry:
    """``entry`` as it is to be saved over ``current`` (the stored data; None: a new entry).

    Owner: the one given, else the stored one, else ``default_owner``. Review
    date: the one given when it differs from the stored one (set by hand);
    else, when the entry is new or its text changed (a check), today + the
    kind's period; else the stored one."""
    current = current or {}
    owner = entry.owner or current.get("owner") or default_owner
    stored_due = as_date(current.get("review_due"))
    if entry.review_due is not None and (not current or entry.review_due != stored_due):
        due = entry.review_due
    elif not current or text_of(_data(entry)) != text_of(current):
        due = periods.next_due(entry.kind, today)
    else:
        due = stored_due
    return entry.copy(update={"owner": owner, "review_due": due})


def carried(entry: Entry, current: Mapping) -> Entry:
    """``entry`` (an earlier version being restored) with the current owner and review
    date where the version has none (it was saved before entries had them)."""
    return entry.copy(update={"owner": entry.owner or current.get("owner"),
                              "review_due": entry.review_due or as_date(current.get("review_due"))})


def seeded(entry: Entry, today: Optional[datetime.date] = None) -> Entry:
    """A seed entry: owner ``SEED_OWNER`` and review date today, unless the seed file gives them."""
    return entry.copy(update={"owner": entry.owner or SEED_OWNER,
                              "review_due": entry.review_due or today or danish_today()})


def _data(entry: Entry) -> dict:
    return json.loads(entry.json(exclude_defaults=True))


# --- which entries are due -------------------------------------------------------------


def _days(count: int) -> str:
    return f"{count} dag" if count == 1 else f"{count} dage"


@dataclass(frozen=True)
class Reason:
    """Why an entry is on the list. ``code``: ``review_date_passed``, ``review_date_soon``,
    ``no_review_date``, ``end_date_passed`` (its ``ends`` field) or ``date_in_text_passed``
    (then ``sentence`` is the sentence naming the date and ``phrase`` the date as written)."""

    code: str
    text: str  # in Danish, for staff
    sentence: Optional[str] = None
    phrase: Optional[str] = None
    # The day from which the entry counts as due for this reason.
    since: Optional[datetime.date] = None


def review_reason(review_due: Optional[datetime.date], today: datetime.date,
                  notice_days: int = NOTICE_DAYS) -> Optional[Reason]:
    """The reason the review date gives (None: not due within ``notice_days``)."""
    if review_due is None:
        return Reason("no_review_date", "Posten har ingen tjekdato. Tjek den, og tryk »Stadig rigtigt«.",
                      since=datetime.date.min)
    if review_due < today:
        return Reason("review_date_passed", f"Skulle have været tjekket senest {danish_date(review_due)} "
                                            f"({_days((today - review_due).days)} siden).", since=review_due)
    if review_due == today:
        return Reason("review_date_soon", f"Skal tjekkes i dag ({danish_date(review_due)}).", since=review_due)
    if (review_due - today).days <= notice_days:
        return Reason("review_date_soon", f"Skal tjekkes senest {danish_date(review_due)} "
                                          f"(om {_days((review_due - today).days)}).", since=review_due)
    return None


def passed_date_reasons(entry: Entry, today: datetime.date) -> List[Reason]:
    """A reason for each date the entry's Danish texts name that has passed (not a start:
    "fra 1. september 2021" stays true), and for its ``ends`` date when that has passed."""
    reasons = []
    for mention in dates.entry_passed_dates(entry, today):
        since = mention.last_day + datetime.timedelta(days=1)
        if mention.field == "ends":
            reasons.append(Reason("end_date_passed", f"Slutdatoen {danish_date(mention.last_day)} er gået.",
                                  since=since))
        else:
            reasons.append(Reason("date_in_text_passed",
                                  f"Teksten nævner en dato, der er gået: »{mention.sentence}«",
                                  sentence=mention.sentence, phrase=mention.phrase, since=since))
    return reasons


def state_of(reasons: Sequence[Reason]) -> Optional[str]:
    """``OVERDUE`` when any reason says so, ``DUE`` when one says it is soon, else None."""
    if any(reason.code != "review_date_soon" for reason in reasons):
        return OVERDUE
    return DUE if reasons else None


@dataclass(frozen=True)
class LastChange:
    """The entry's newest version: what was done, by whom, when, and which fields changed."""

    version: int
    action: str
    changed_at: datetime.datetime
    changed_by: str
    fields: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class DueEntry:
    """An entry on "Skal tjekkes"."""

    id: str
    name: str
    kind: str
    version: int  # the version "Stadig rigtigt" must name
    owner: Optional[str]
    review_due: Optional[datetime.date]
    state: str  # OVERDUE or DUE
    reasons: List[Reason]
    last_change: LastChange
    mine: bool  # owned by the staff member the list is for

    @property
    def since(self) -> datetime.date:
        """The earliest day from which a reason makes the entry due (the list's order)."""
        return min(reason.since or datetime.date.max for reason in self.reasons)


def changed_fields(before: Optional[Mapping], after: Mapping) -> List[str]:
    """The fields that differ between two versions' data (none for the first version)."""
    if before is None:
        return []
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def is_owner(owner: Optional[str], user: Optional[str]) -> bool:
    return bool(owner and user) and owner.strip().casefold() == user.strip().casefold()


@dataclass(frozen=True)
class ReviewFigures:
    """The dashboard's figures about checking the answer data (see ``ReviewDates.figures``)."""

    due: int  # DUE now
    overdue: int  # OVERDUE now
    checked: int  # entries checked in the period
    answers_with_entry: int  # answers in the period that named their entry (the subject slot)
    answers_from_overdue: int  # of those, answers from an entry that was overdue at the time


class ReviewDates:
    """Reads which entries are due, for "Skal tjekkes", the API, the digest and the dashboard."""

    def __init__(self, engine: sa.engine.Engine, notice_days: int = NOTICE_DAYS):
        self.engine = engine
        self.notice_days = notice_days

    def _rows(self, include_retired: bool = False):
        query = sa.select(tables.entries)
        if not include_retired:
            query = query.where(tables.entries.c.retired.is_(False))
        with self.engine.connect() as connection:
            return connection.execute(query).all()

    def _versions(self, entry_ids: Optional[Iterable[str]] = None) -> Dict[str, list]:
        """Every version (of ``entry_ids``, or all), oldest first, by entry."""
        table = tables.entry_versions
        query = sa.select(table).order_by(table.c.entry_id, table.c.version)
        if entry_ids is not None:
            query = query.where(table.c.entry_id.in_(sorted(set(entry_ids))))
        by_entry: Dict[str, list] = defaultdict(list)
        with self.engine.connect() as connection:
            for row in connection.execute(query):
                by_entry[row.entry_id].append(row)
        return by_entry

    def due(self, today: Optional[datetime.date] = None, days: Optional[int] = None, user: Optional[str] = None,
            owner: Optional[str] = None) -> List[DueEntry]:
        """Active entries overdue or due within ``days`` (default ``notice_days``), with why:
        ``user``'s own first, then the one due longest first. ``owner``: only that owner's."""
        today = today or danish_today()
        days = self.notice_days if days is None else days
        found = []
        for row in self._rows():
            entry = Entry(**row.data)
            if owner is not None and not is_owner(entry.owner, owner):
                continue
            review = review_reason(entry.review_due, today, days)
            reasons = ([review] if review else []) + passed_date_reasons(entry, today)
            state = state_of(reasons)
            if state is not None:
                found.append((row, entry, state, reasons))
        versions = self._versions(row.id for row, *_ in found)
        listed = []
        for row, entry, state, reasons in found:
            history = versions.get(row.id) or []
            newest = history[-1] if history else None
            before = history[-2] if len(history) > 1 else None
            last = LastChange(row.version, newest.action if newest else "?", as_utc(row.updated_at), row.updated_by,
                              changed_fields(before.data if before else None, row.data) if newest else [])
            listed.append(DueEntry(row.id, entry.name, entry.kind, row.version, entry.owner, entry.review_due, state,
                                   reasons, last, is_owner(entry.owner, user)))
        return sorted(listed, key=lambda item: (not item.mine, item.since, item.name.casefold()))

    def counts(self, today: Optional[datetime.date] = None) -> Dict[str, int]:
        """How many active entries are overdue and due now."""
        listed = self.due(today)
        return {state: sum(1 for item in listed if item.state == state) for state in STATES}

    def by_owner(self, today: Optional[datetime.date] = None,
                 days: Optional[int] = None) -> Dict[Optional[str], List[DueEntry]]:
        """``due`` grouped by owner (None: no owner), owners in alphabetical order."""
        groups: Dict[Optional[str], List[DueEntry]] = defaultdict(list)
        for item in self.due(today, days):
            groups[item.owner].append(item)
        return dict(sorted(groups.items(), key=lambda pair: (pair[0] is None, (pair[0] or "").casefold())))

    def owners(self) -> List[str]:
        """Every owner an entry has, and every active staff account: the choices for an owner field."""
        with self.engine.connect() as connection:
            staff = set(connection.execute(sa.select(tables.staff_users.c.name)
                                           .where(tables.staff_users.c.active.is_(True))).scalars())
        named = {row.data.get("owner") for row in self._rows(include_retired=True)} - {None}
        return sorted(staff | named, key=str.casefold)

    # --- the dashboard ---------------------------------------------------------------------

    def checked_between(self, start: datetime.datetime, end: datetime.datetime) -> int:
        """Entries checked in ``[start, end)``: marked "Stadig rigtigt" or given a changed Danish text."""
        checked = set()
        for entry_id, history in self._versions().items():
            for before, version in zip([None] + history[:-1], history):
                if not start <= as_utc(version.changed_at) < end:
                    continue
                if version.action == CHECKED or (version.action in TEXT_CHANGES and (
                        before is None or text_of(before.data) != text_of(version.data))):
                    checked.add(entry_id)
        return len(checked)

    def answers_from_overdue(self, answers: Iterable[Tuple[float, str]]) -> Tuple[int, int]:
        """Of ``answers`` ((Unix time, entry id) of each answer), how many came from an entry
        that exists, and how many of those from an entry that was overdue that day, in its
        version current then: its review date had passed, or its text named a date that had.
        A version from before entries had review dates counts by its text alone."""
        answers = list(answers)
        history = self._versions({entry_id for _, entry_id in answers})
        overdue_then: Dict[Tuple[str, int, datetime.date], bool] = {}
        with_entry = overdue = 0
        for moment, entry_id in answers:
            at = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
            then = [v for v in history.get(entry_id, []) if as_utc(v.changed_at) <= at]
            if not then or then[-1].retired:
                continue
            with_entry += 1
            version, day = then[-1], at.astimezone(LOCAL_TIME).date()
            key = (entry_id, version.version, day)
            if key not in overdue_then:
                due = as_date(version.data.get("review_due"))
                overdue_then[key] = (due is not None and due < day) or bool(
                    dates.entry_passed_dates(Entry(**version.data), day))
            overdue += overdue_then[key]
        return with_entry, overdue

    def figures(self, start: datetime.datetime, end: datetime.datetime, answers: Iterable[Tuple[float, str]],
                today: Optional[datetime.date] = None) -> ReviewFigures:
        counts = self.counts(today)
        with_entry, from_overdue = self.answers_from_overdue(answers)
        return ReviewFigures(due=counts[DUE], overdue=counts[OVERDUE], checked=self.checked_between(start, end),
                             answers_with_entry=with_entry, answers_from_overdue=from_overdue)
