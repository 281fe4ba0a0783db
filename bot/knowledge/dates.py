"""Dates named in the answer data's texts, and which of them have passed.

An entry that says "Planen gælder til 31. august 2025" is wrong the day after,
whatever its ``ends`` field says. This module finds the dates a text names, in
the ways Danish is written ("31. august 2025", "31. aug. 2025", "31.08.2025",
"31/8-2025", "2025-08-31", "august 2025", "2021-2025"), with the sentence each
stands in, the last day it covers, and whether it reads as the END of
something ("til", "indtil", "udløber", "senest", the second year of a range).
The English translations residents may read are covered too ("31 August 2025",
"until"), so an English reply is watched like a Danish one.

Pure and fast: plain regular expressions, and the mentions of a text are
worked out once (cached on the text); which have passed depends on ``today``.

A bare year counts only right after an end word ("frem til 2024", "udløber i
2024"): on its own ("stiftet i 1998", "i 2024 startede vi") it says nothing
about whether the text is still true, and it would flag postcodes and counts.
A day and month without a year ("31. august") is not a date we can place.
A start ("fra 1. september 2021", "startede i 2021") that has passed does not
make a text untrue, so it does not make an entry due (``is_start``).
"""
import calendar
import datetime
import functools
import re
from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

from bot.knowledge.schema import Entry

DAY, MONTH, YEAR = "day", "month", "year"

# The Danish texts of an entry that residents read (the translated ones: schema.TRANSLATED_FIELDS).
WATCHED_FIELDS = ("name", "title", "summary", "details", "hours")

_MONTHS = {
    # Danish, full and short (the names have no æ/ø/å, so there is no other spelling).
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
    # English, where it differs (the translations).
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "october": 10, "oct": 10,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-zæøå])"
# Not inside a longer number, a time ("15.30") or another date.
_BEFORE = r"(?<![\d.,/\-–])"
_AFTER = r"(?!\d|[.,/\-–]\d)"

# What a number before it is a count or an amount of, not a year.
_UNITS = (r"kr|kroner|dkk|euro|mio|mia|millioner|procent|stk|personer|deltagere|mennesker|familier|børn|unge"
          r"|timer|minutter|dage|uger|måneder|år|m2|km|meter|people|hours|days")

_PATTERNS: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
    # 2025-08-31
    ("iso", re.compile(_BEFORE + r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})" + _AFTER)),
    # 1.9.2021-31.8.2025: the second date is the end
    ("numeric_range", re.compile(_BEFORE + r"\d{1,2}[./\-]\d{1,2}[./\-]\d{4}\s*[-–]\s*"
                                 r"(?P<day>\d{1,2})[./\-](?P<month>\d{1,2})[./\-](?P<year>\d{4})" + _AFTER)),
    # 31.08.2025, 31-08-2025, 31/8-2025, 31/08/2025
    ("numeric", re.compile(_BEFORE + r"(?P<day>\d{1,2})[./\-](?P<month>\d{1,2})[./\-](?P<year>\d{4})" + _AFTER)),
    # 31. august 2025, 31. aug. 2025, 31 August 2025
    ("day_month", re.compile(_BEFORE + r"(?P<day>\d{1,2})\.?\s*(?P<month>" + _MONTH + r")\.?,?\s+(?P<year>\d{4})"
                             + _AFTER, re.IGNORECASE)),
    # August 31, 2025
    ("month_day", re.compile(r"(?<![\w.])(?P<month>" + _MONTH + r")\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
                             + _AFTER, re.IGNORECASE)),
    # august 2025, sept. 2025
    ("month", re.compile(r"(?<![\w.])(?P<month>" + _MONTH + r")\.?\s+(?P<year>\d{4})" + _AFTER, re.IGNORECASE)),
    # 2021-2025, 2021–2025, 2021 til 2025, 2021 til og med 2025, 2024/25
    ("range", re.compile(_BEFORE + r"(?P<first>(?:19|20)\d{2})(?:\s*(?P<dash>[-–—/])\s*|\s+(?:til(?:\s+og\s+med)?|to|through)\s+)"
                         r"(?P<year>(?:19|20)\d{2}|\d{2})" + _AFTER, re.IGNORECASE)),
    # 2024, only after an end word; not a phone number ("2024 5678"), a postcode ("2000 Frederiksberg")
    # or an amount ("op til 2000 kr.").
    ("year", re.compile(_BEFORE + r"(?P<year>(?:19|20)\d{2})(?!\d|[.,/\-–]\d|\s*\d|\s+[A-ZÆØÅ]|\s*%|\s*(?i:" + _UNITS
                        + r")(?![a-zæøå]))")),
)

# Words that make the date after them the end of something: "til 31. august 2025",
# "udløber i 2024", "fristen er 1. maj 2025", "ved udgangen af 2025", "until 31 August 2025".
_END_WORDS = (r"til|indtil|frem\s+til|t\.o\.m\.?|slut(?:ter|tede)?|udl(?:ø|oe|o)ber|udl(?:ø|oe|o)b|l(?:ø|oe|o)ber\s+til"
              r"|senest|deadline|\w*frist(?:en)?|oph(?:ø|oe|o)rer|stopper|lukker|afsluttes|inden"
              r"|(?:ved\s+)?udgangen\s+af|slutningen\s+af"
              r"|until|till|to|through|ends?|ended|expires?|by|no\s+later\s+than|(?:the\s+)?end\s+of")
_FILLER = r"(?:den|d\.|i|p(?:å|aa|a)|er|var|med|og\s+med|the|on|in|is|was)"
_END_BEFORE = re.compile(r"(?<![\w.])(?:" + _END_WORDS + r")(?:\s+" + _FILLER + r")*[\s:]*$", re.IGNORECASE)
# Words that make the date after them a start: a start that has passed does not make a
# text untrue ("fra 1. september 2021", "startede i august 2021", "since 2021").
_START_WORDS = (r"fra(?:\s+og\s+med)?|siden|start(?:er|ede|et|s|ed)?|begynd(?:er|te)|(?:å|aa|a)bne(?:de|t)"
                r"|stiftet|grundlagt|oprettet|from|since|began|opened|founded")
_START_BEFORE = re.compile(r"(?<![\w.])(?:" + _START_WORDS + r")(?:\s+" + _FILLER + r")*[\s:]*$", re.IGNORECASE)
_DASH_ONLY = re.compile(r"^\s*[-–—]\s*$")
# "august-december 2025": the month after the dash ends the range.
_MONTH_DASH_BEFORE = re.compile(r"(?<![\w.])" + _MONTH + r"\.?\s*[-–—]\s*$", re.IGNORECASE)
_END_WINDOW = 40
# "op til 2000": an amount, not a year.
_UP_TO = re.compile(r"\bop\s+til\s*$", re.IGNORECASE)
# A year after these is a phone number ("tlf. 2021-2025"), not a period.
_PHONE_BEFORE = re.compile(r"(?:tlf|telefon\w*|mobil\w*|ring\w*(?:\s+(?:til|på|paa|pa))?|sms|nr|phone|call)\.?\s*:?\s*$",
                           re.IGNORECASE)

# Where a sentence ends: . ! ? before a capital letter, or a line break before a
# capital letter, a bullet or an empty line. Not after
# an abbreviation ("bl.a. Køge", "kl. 15") or a day number before a month ("1. September").
_SENTENCE_END = re.compile(r"[.!?]+[\"'”»)]*(?=\s+[\"'“«(]?[A-ZÆØÅ])|\n(?=\s*(?:[A-ZÆØÅ•*\-–]|\n|$))")
_ABBREVIATIONS = frozenset("bl.a f.eks fx ca dvs mv jf evt inkl ekskl mht vedr att hr fr dr st skt kl tlf nr d "
                           "ol el t.o.m m.fl".split())
_LAST_TOKEN = re.compile(r"\S*$")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_MONTH_AFTER = re.compile(r"\s+" + _MONTH, re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    """A date a text names."""

    sentence: str  # the whole sentence it stands in, trimmed
    phrase: str  # the date as written: "31. august 2025", "2021-2025"
    last_day: datetime.date  # the last day it covers: "august 2025" -> 2025-08-31
    is_end: bool  # it reads as the end of something: "til 31. august 2025", "2021-2025"
    precision: str = DAY  # DAY, MONTH or YEAR: how it should be said again
    field: str = ""  # the entry's field it was found in ("summary", ..., "ends"); "" for a bare text
    is_start: bool = False  # it reads as the start of something: "fra 1. september 2021"


def date_mentions(text: str) -> Tuple[DateMention, ...]:
    """Every date ``text`` names, in the order they stand, passed or not."""
    return _mentions(text or "")


def passed_dates(text: str, today: datetime.date) -> List[DateMention]:
    """The dates ``text`` names whose last day is before ``today``."""
    return [m for m in date_mentions(text) if m.last_day < today]


def entry_passed_dates(entry: Entry, today: datetime.date) -> List[DateMention]:
    """What makes ``entry`` due for a check on ``today``: each passed date in
    its Danish texts (``WATCHED_FIELDS``) that is not a start ("fra 1. september
    2021" stays true; "til 31. august 2025" and "næste møde er 3. marts 2025" do
    not), and its ``ends`` date when that has passed (as a mention with
    ``field="ends"`` and the ISO date as sentence and phrase). In the order
    above, fields in ``WATCHED_FIELDS``' order. Empty when nothing has passed."""
    found: List[DateMention] = []
    if entry.ends is not None and entry.ends < today:
        iso = entry.ends.isoformat()
        found.append(DateMention(iso, iso, entry.ends, True, DAY, "ends"))
    for name in WATCHED_FIELDS:
        found += [replace(m, field=name) for m in passed_dates(getattr(entry, name) or "", today) if not m.is_start]
    return found


# The same, by the name the issue gives it.
watched_sentences = entry_passed_dates


def passed_end(texts: List[Optional[str]], today: datetime.date) -> Optional[DateMention]:
    """The latest end date among ``texts`` that is before ``today`` (the one to
    tell a resident about), or None."""
    ends = [m for text in texts if text for m in date_mentions(text) if m.is_end and m.last_day < today]
    return max(ends, key=lambda m: m.last_day, default=None)


def sentences(text: str) -> List[str]:
    """``text`` cut into sentences, trimmed: not after an abbreviation ("bl.a.",
    "tlf.") nor inside a date ("1. september 2021", "31.08.2025")."""
    text = text or ""
    cuts = [0, *_sentence_bounds(text), len(text)]
    return [s for s in (" ".join(text[a:b].split()) for a, b in zip(cuts, cuts[1:])) if s]


# --- finding them -----------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _mentions(text: str) -> Tuple[DateMention, ...]:
    taken: List[Tuple[int, int]] = []
    found: List[Tuple[int, int, str, datetime.date, str, bool]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken) or _in_link(text, start):
                continue
            read = _read(kind, match, text)
            if read is None:
                continue
            last_day, precision, range_end = read
            taken.append((start, end))
            found.append((start, end, match.group(0), last_day, precision, range_end))
    found.sort()
    bounds = _sentence_bounds(text)
    mentions = []
    previous_end: Optional[int] = None
    for start, end, phrase, last_day, precision, range_end in found:
        before = text[max(0, start - _END_WINDOW):start]
        second_of_range = ((previous_end is not None and bool(_DASH_ONLY.match(text[previous_end:start])))
                           or bool(_MONTH_DASH_BEFORE.search(before)))
        is_end = range_end or second_of_range or bool(_END_BEFORE.search(before))
        if precision == YEAR and not range_end and not is_end:
            previous_end = end
            continue  # a bare year is a date only after an end word
        is_start = not is_end and bool(_START_BEFORE.search(before))
        mentions.append(DateMention(_sentence(text, bounds, start, end), phrase, last_day, is_end, precision,
                                    is_start=is_start))
        previous_end = end
    return tuple(mentions)


def _read(kind: str, match: "re.Match[str]", text: str) -> Optional[Tuple[datetime.date, str, bool]]:
    """(last day, precision, whether it is a range's end) of a match; None when it is no date."""
    groups = match.groupdict()
    year = int(groups["year"])
    before = text[max(0, match.start() - _END_WINDOW):match.start()]
    if kind == "range":
        first = int(groups["first"])
        if len(groups["year"]) == 2:
            if not groups.get("dash"):
                return None  # "2021 til 25 personer"
            year += first // 100 * 100
        if not first < year <= first + 50 or _PHONE_BEFORE.search(before):
            return None
        return datetime.date(year, 12, 31), YEAR, True
    if not 1900 <= year <= 2099:
        return None
    if kind == "year":
        if _UP_TO.search(before):
            return None
        return datetime.date(year, 12, 31), YEAR, False
    written = groups["month"]
    if kind == "month" and written.lower() == "jul" and not text.startswith(".", match.end("month")):
        return None  # "til jul 2024" is Christmas; only "jul. 2024" is July
    month = int(written) if written.isdigit() else _MONTHS[written.lower()]
    if not 1 <= month <= 12:
        return None
    if kind == "month":
        return datetime.date(year, month, calendar.monthrange(year, month)[1]), MONTH, False
    try:
        return datetime.date(year, month, int(groups["day"])), DAY, kind == "numeric_range"
    except ValueError:
        return None  # "31.02.2025"


def _in_link(text: str, start: int) -> bool:
    """Whether position ``start`` is inside a web or e-mail address."""
    token = _LAST_TOKEN.search(text, max(0, start - 200), start).group(0)
    return "://" in token or "www." in token or "@" in token


# --- sentences ----------------------------------------------------------------


def _sentence_bounds(text: str) -> List[int]:
    """The positions where a sentence of ``text`` ends (just after its punctuation)."""
    bounds = []
    for match in _SENTENCE_END.finditer(text):
        if not match.group(0).startswith("\n") and not _really_ends(text, match):
            continue
        bounds.append(match.end())
    return bounds


def _really_ends(text: str, match: "re.Match[str]") -> bool:
    word = _WORD_BEFORE.search(text[:match.start()])
    word = word.group(1).lower() if word else ""
    if word.rstrip(".") in _ABBREVIATIONS:
        return False
    if word.isdigit() and len(word) <= 2 and _MONTH_AFTER.match(text, match.end()):
        return False  # "1. September 2021"
    return True


def _sentence(text: str, bounds: List[int], start: int, end: int) -> str:
    begin = max((b for b in bounds if b <= start), default=0)
    finish = min((b for b in bounds if b >= end), default=len(text))
    return " ".join(text[begin:finish].split())
