""""Skal tjekkes" and an entry's owner and review date, as the admin's pages show them.

Which entries are due, and why, is the answer store's business
(``bot.answer_store.review_dates``); this module only turns it into what staff
read: dates in words ("7. december 2026"), the state in words (never by colour
alone), what changed last ("Kort svar ændret af anna 3. dec."), and the
reasons, with the sentence that names a passed date quoted. ``pages.py``
renders it; "Stadig rigtigt" itself is ``EntryStore.mark_checked``.
"""
import datetime
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from bot.answer_store import AnswerStore, DueEntry, EditConflict, NotFound, StoredEntry
from bot.answer_store.review_dates import (
    CHECKED, DUE, NOTICE_DAYS, OVERDUE, Reason, as_date, passed_date_reasons, review_reason, state_of,
)
from bot.answer_store.times import LOCAL_TIME, danish_time, danish_today
from bot.knowledge.schema import ID_PATTERN
from bot.web.admin.forms import LABELS

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
SHORT_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")
STATE_LABELS = {OVERDUE: "Overskredet", DUE: "Skal tjekkes snart"}
# How many of each list ("Dine svar", "Andres svar") the front page shows before "Vis alle".
SHOWN_AT_ONCE = 10
# Where "Stadig rigtigt" goes back to (the form's ``tilbage``): never an address from the form itself.
BACK = {"forside": "/admin", "forside-alle": "/admin?tjek=alle"}
# The reasons the review date gives: the date beside each entry says them already.
DATE_REASONS = ("review_date_passed", "review_date_soon")
# The reasons only a changed text (or end date) puts right: "Stadig rigtigt" leaves them.
PASSED_DATE_REASONS = ("date_in_text_passed", "end_date_passed")

# What changed last, by the version's action (``{who}``, ``{when}``); an edit names its fields instead.
LAST_CHANGES = {
    "seeded": "Indlæst fra start {when}",
    "created": "Oprettet af {who} {when}",
    "edited": "Ændret af {who} {when}",
    "imported": "Ændret ved import af {who} {when}",
    "restored": "En ældre version gendannet af {who} {when}",
    "checked": "Tjekket af {who} {when}",
    "review_added": "Fik ejer og tjekdato {when}",
    "translated": "Oversættelse skrevet af {who} {when}",
    "translation_checked": "Oversættelse tjekket af {who} {when}",
    "translation_removed": "Oversættelse slettet af {who} {when}",
}
FIELDS_CHANGED = "{fields} ændret af {who} {when}"
FIELDS_IMPORTED = "{fields} ændret ved import af {who} {when}"

CHECKED_NOTICE = "»{name}« er markeret som tjekket. Næste tjek: {day}."
STILL_DUE = ("Teksten nævner stadig en dato, der er gået, så svaret står stadig under »Skal tjekkes«. "
             "Ret teksten, så den passer.")
NOT_CHECKED = "Posten er ikke markeret som tjekket"
CONFLICT = ("»{name}« er ikke markeret som tjekket: {who} har ændret posten ({when}), mens du så på den. "
            "Se den nyeste udgave, og tryk »Stadig rigtigt« igen, hvis svaret stadig er rigtigt.")
CHECKED_MEANWHILE = ("»{name}« er allerede markeret som tjekket af {who} ({when}), mens du så på den. "
                     "Du skal ikke gøre mere.")


# --- dates in words --------------------------------------------------------------------


def long_date(day: datetime.date) -> str:
    """7. december 2026"""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def short_date(day: datetime.date, today: datetime.date) -> str:
    """3. dec. (this year), 3. dec. 2025 (another year)."""
    text = f"{day.day}. {SHORT_MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def _days(count: int) -> str:
    return f"{count} dag" if count == 1 else f"{count} dage"


def months_text(count: int) -> str:
    return f"{count} måned" if count == 1 else f"{count} måneder"


def relative_day(day: datetime.date, today: datetime.date) -> str:
    """How far ``day`` is from today, in words: i dag, i morgen, om 3 dage, i går, for 12 dage siden."""
    days = (day - today).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    if days == -1:
        return "i går"
    return f"om {_days(days)}" if days > 0 else f"for {_days(-days)} siden"


# --- why an entry is due -------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonRow:
    """A reason in words. ``quote``: the sentence naming a passed date, split around the
    date (before, date, after), shown quoted with the date marked."""

    text: str
    quote: Optional[Tuple[str, str, str]] = None


def _quote(sentence: str, phrase: Optional[str]) -> Tuple[str, str, str]:
    at = sentence.find(phrase) if phrase else -1
    if at < 0:
        return sentence, "", ""
    return sentence[:at], phrase, sentence[at + len(phrase):]


def reason_rows(reasons: Sequence[Reason]) -> List[ReasonRow]:
    """The reasons worth saying beside the review date (which says its own)."""
    rows = []
    for reason in reasons:
        if reason.code in DATE_REASONS:
            continue
        if reason.code == "date_in_text_passed" and reason.sentence:
            rows.append(ReasonRow("Teksten nævner en dato, der er gået:", _quote(reason.sentence, reason.phrase)))
        elif reason.code == "end_date_passed" and reason.since:
            # ``since`` is the day after the end date (review_dates.passed_date_reasons).
            ended = reason.since - datetime.timedelta(days=1)
            rows.append(ReasonRow(f"Slutdatoen {long_date(ended)} er gået."))
        else:
            rows.append(ReasonRow(reason.text))
    return rows


def review_date_text(review_due: Optional[datetime.date], today: datetime.date) -> str:
    """The review date with how far off it is: 7. december 2026 (om 3 dage)."""
    if review_due is None:
        return "Ingen dato"
    return f"{long_date(review_due)} ({relative_day(review_due, today)})"


# --- "Skal tjekkes" on the front page -------------------------------------------------------


def _field_names(fields: Sequence[str]) -> str:
    # The review date moves by itself when a text changes: it is news only on its own.
    shown = [name for name in fields if name != "review_due"] or list(fields)
    order = list(LABELS)
    shown.sort(key=lambda name: order.index(name) if name in order else len(order))
    labels = [LABELS.get(name, name) for name in shown]
    if len(labels) > 1:
        labels = [", ".join(labels[:-1]), labels[-1]]
    text = " og ".join(labels)
    return text[:1].upper() + text[1:]


def last_change_text(item: DueEntry, today: datetime.date) -> str:
    change = item.last_change
    when = short_date(change.changed_at.astimezone(LOCAL_TIME).date(), today)
    if change.action in ("edited", "imported") and change.fields:
        template = FIELDS_CHANGED if change.action == "edited" else FIELDS_IMPORTED
        return template.format(fields=_field_names(change.fields), who=change.changed_by, when=when)
    template = LAST_CHANGES.get(change.action, change.action + " af {who} {when}")
    return template.format(who=change.changed_by, when=when)


@dataclass(frozen=True)
class DueRow:
    """One line of "Skal tjekkes"."""

    id: str
    name: str
    version: int
    state: str  # OVERDUE or DUE (the CSS class; the label says it in words)
    state_label: str
    review_date: str
    owner: Optional[str]
    last_change: str
    reasons: List[ReasonRow]


def due_row(item: DueEntry, today: datetime.date) -> DueRow:
    return DueRow(item.id, item.name, item.version, item.state, STATE_LABELS.get(item.state, item.state),
                  review_date_text(item.review_due, today), item.owner, last_change_text(item, today),
                  reason_rows(item.reasons))


@dataclass(frozen=True)
class DueLists:
    """"Skal tjekkes": the logged-in staff member's own entries and the others', each
    the one due longest first, and how many are left out until "Vis alle"."""

    overdue: int
    due: int
    mine: List[DueRow]
    mine_count: int
    others: List[DueRow]
    others_count: int
    show_all: bool

    @property
    def total(self) -> int:
        return self.overdue + self.due

    @property
    def hidden(self) -> int:
        return self.mine_count - len(self.mine) + self.others_count - len(self.others)

    shown_at_once = SHOWN_AT_ONCE

    @property
    def shortened_elsewhere(self) -> bool:
        """All are shown, and without "Vis alle" some would not be."""
        return self.show_all and max(self.mine_count, self.others_count) > SHOWN_AT_ONCE

    @property
    def summary(self) -> str:
        """2 svar er overskredet, og 34 skal tjekkes inden for 14 dage."""
        soon = f"skal tjekkes inden for {NOTICE_DAYS} dage"
        if self.overdue and self.due:
            return f"{self.overdue} svar er overskredet, og {self.due} {soon}."
        if self.overdue:
            return f"{self.overdue} svar er overskredet."
        return f"{self.due} svar {soon}."


def due_lists(store: AnswerStore, user: str, show_all: bool = False,
              today: Optional[datetime.date] = None) -> DueLists:
    today = today or danish_today()
    listed = store.review_dates.due(today, NOTICE_DAYS, user=user)
    mine = [due_row(item, today) for item in listed if item.mine]
    others = [due_row(item, today) for item in listed if not item.mine]
    limit = None if show_all else SHOWN_AT_ONCE
    return DueLists(overdue=sum(1 for item in listed if item.state == OVERDUE),
                    due=sum(1 for item in listed if item.state == DUE),
                    mine=mine[:limit], mine_count=len(mine), others=others[:limit], others_count=len(others),
                    show_all=show_all)


def back_to(choice: str, entry_id: str) -> str:
    """Where "Stadig rigtigt" returns to, with its notice: the front page, or the entry's page."""
    if choice in BACK:
        path = BACK[choice]
        return f"{path}{'&' if '?' in path else '?'}tjekket={entry_id}"
    return f"/admin/entries/{entry_id}?tjekket=1"


# --- one entry: its page, and what "Stadig rigtigt" says -------------------------------------


@dataclass(frozen=True)
class EntryReview:
    """The entry page's "Tjek af svaret": whether it is due, why, and what a check does."""

    state: Optional[str]  # OVERDUE, DUE or None (not due)
    state_label: Optional[str]
    review_date: str
    owner: Optional[str]
    reasons: List[ReasonRow]
    months: int  # the kind's review period
    # A date in its text or its end date has passed: residents get a note, until the text is put right.
    date_passed: bool


def entry_review(store: AnswerStore, stored: StoredEntry, today: Optional[datetime.date] = None) -> EntryReview:
    today = today or danish_today()
    entry = stored.entry
    review = review_reason(entry.review_due, today, NOTICE_DAYS)
    reasons = ([review] if review else []) + passed_date_reasons(entry, today)
    state = state_of(reasons)
    return EntryReview(state, STATE_LABELS.get(state) if state else None, review_date_text(entry.review_due, today),
                       entry.owner, reason_rows(reasons), review_months(store, stored.kind),
                       date_passed=any(reason.code in PASSED_DATE_REASONS for reason in reasons))


def review_months(store: AnswerStore, kind: str) -> int:
    """How many months after a check an entry of ``kind`` is due again (REVIEW_MONTHS, REVIEW_MONTHS_BY_KIND)."""
    return store.entries.periods.months_for(kind)


def checked_notice(store: AnswerStore, entry_id: str, today: Optional[datetime.date] = None) -> List[str]:
    """What the page says after "Stadig rigtigt" (``?tjekket=``): the entry's name and next review date,
    read from the store (never text from the address)."""
    if not entry_id or not ID_PATTERN.match(entry_id):
        return []
    try:
        stored = store.entries.get(entry_id)
    except NotFound:
        return []
    due = as_date(stored.data.get("review_due"))
    if stored.retired or due is None:
        return []
    notice = CHECKED_NOTICE.format(name=stored.name, day=long_date(due))
    if passed_date_reasons(stored.entry, today or danish_today()):  # PASSED_DATE_REASONS
        notice = f"{notice} {STILL_DUE}"
    return [notice]


def conflict_text(store: AnswerStore, name: str, error: EditConflict) -> str:
    """Why "Stadig rigtigt" on an old version did nothing: someone changed, or checked, the entry first."""
    newest = store.entries.history(error.entry_id)[0]
    template = CHECKED_MEANWHILE if newest.action == CHECKED else CONFLICT
    return template.format(name=name, who=error.changed_by, when=danish_time(error.changed_at))
