"""When staff answer in the live chat: ``LIVE_CHAT_HOURS``, in Køge's time.

    man-tor 09:00-15:00; fre 09:00-13:00

Parts separated by ";", each some days (Danish names, whole or their first
three letters, with or without æ/ø/å; a range "man-tor" or a list "man,ons")
and one or more spans of time ("09:00-15:00", "9-15", "9.30-12, 13-15"; the
end is not included). ``off`` (the default: never open) and ``always`` too.
Staff can close the live chat for a day; those days are handed in as
``closed_days``.
"""
import datetime
import re
from dataclasses import dataclass
from typing import AbstractSet, Optional, Tuple

from bot.answer_store.times import LOCAL_TIME
from bot.knowledge.text import fold

DAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
# Folded as residents and staff type them: "lørdag" is "loerdag" or "lordag".
_FOLDED_NAMES = tuple({fold(name), fold(name).replace("oe", "o")} for name in DAY_NAMES)
_SPAN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*-\s*(\d{1,2})(?:[:.](\d{2}))?$")
_PART = re.compile(r"^(?P<days>\D+?)\s+(?P<spans>\d.*)$")
OFF, ALWAYS = "off", "always"
# How far ahead the next opening is looked for: two weeks covers any week of hours and a closed day or two.
_LOOK_AHEAD_DAYS = 15


@dataclass(frozen=True)
class Span:
    weekday: int  # Monday is 0
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True)
class OpeningHours:
    spans: Tuple[Span, ...] = ()
    always: bool = False

    @classmethod
    def parse(cls, text: str, name: str = "LIVE_CHAT_HOURS") -> "OpeningHours":
        """The hours ``text`` says; a ValueError naming ``name`` and the part it cannot read."""
        text = (text or "").strip()
        if not text or text.lower() == OFF:
            return cls()
        if text.lower() == ALWAYS:
            return cls(always=True)
        spans = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            match = _PART.match(part)
            if not match:
                raise ValueError(f"{name}: '{part}' is not of the form 'man-tor 09:00-15:00'.")
            days = _days(match["days"], part, name)
            times = [_span(span.strip(), part, name) for span in match["spans"].split(",")]
            spans += [Span(day, start, end) for day in days for start, end in times]
        return cls(tuple(sorted(spans, key=lambda s: (s.weekday, s.start))))

    @property
    def off(self) -> bool:
        return not self.always and not self.spans

    def is_open(self, moment: datetime.datetime, closed_days: AbstractSet[datetime.date] = frozenset()) -> bool:
        local = moment.astimezone(LOCAL_TIME)
        if local.date() in closed_days:
            return False
        return self.always or any(s.weekday == local.weekday() and s.start <= local.time() < s.end
                                  for s in self.spans)

    def next_opening(self, moment: datetime.datetime,
                     closed_days: AbstractSet[datetime.date] = frozenset()) -> Optional[datetime.datetime]:
        """``moment`` itself when open, else when the chat opens next (Køge time), or None (never)."""
        if self.is_open(moment, closed_days):
            return moment.astimezone(LOCAL_TIME)
        local = moment.astimezone(LOCAL_TIME)
        for ahead in range(_LOOK_AHEAD_DAYS):
            day = local.date() + datetime.timedelta(days=ahead)
            if day in closed_days:
                continue
            if self.always:
                return datetime.datetime.combine(day, datetime.time(0), LOCAL_TIME)
            for span in self.spans:
                opening = datetime.datetime.combine(day, span.start, LOCAL_TIME)
                if span.weekday == day.weekday() and opening > local:
                    return opening
        return None

    def describe(self) -> str:
        """The hours in plain Danish: "mandag-torsdag kl. 9-15, fredag kl. 9-13"."""
        if self.always:
            return "hele døgnet"
        if not self.spans:
            return "lukket"
        times_by_day = {}
        for span in self.spans:
            times_by_day.setdefault(span.weekday, []).append(f"{_clock(span.start)}-{_clock(span.end)}")
        days_by_times = {}
        for day, times in sorted(times_by_day.items()):
            days_by_times.setdefault(tuple(times), []).append(day)
        return ", ".join(f"{_day_range(days)} kl. {_listed(times)}" for times, days in days_by_times.items())


# How ``when`` says it in the languages the assistant answers in (Danish for the rest).
_WHEN_WORDS = {
    "da": ("i dag", "i morgen", DAY_NAMES, "kl."),
    "en": ("today", "tomorrow", ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
           "at"),
}


def when(opening: datetime.datetime, now: datetime.datetime, language: str = "da") -> str:
    """When ``opening`` is, as a resident reads it: "i dag kl. 9", "i morgen kl. 9.30", "mandag kl. 9"
    ("today at 9" in English)."""
    today_word, tomorrow_word, day_names, at_word = _WHEN_WORDS.get(language, _WHEN_WORDS["da"])
    day, today = opening.astimezone(LOCAL_TIME).date(), now.astimezone(LOCAL_TIME).date()
    if day == today:
        named = today_word
    elif day == today + datetime.timedelta(days=1):
        named = tomorrow_word
    else:
        named = day_names[day.weekday()]
    return f"{named} {at_word} {_clock(opening.astimezone(LOCAL_TIME).time())}"


def _day(token: str, part: str, name: str) -> int:
    folded = fold(token)
    found = [i for i, names in enumerate(_FOLDED_NAMES) if len(folded) >= 3 and any(n.startswith(folded) for n in names)]
    if len(found) != 1:
        raise ValueError(f"{name}: '{token.strip()}' in '{part}' is not a day (man, tir, ons, tor, fre, lør, søn).")
    return found[0]


def _days(text: str, part: str, name: str) -> Tuple[int, ...]:
    days = []
    for item in filter(None, (i.strip() for i in text.split(","))):
        first, sep, last = item.partition("-")
        start = _day(first, part, name)
        end = _day(last, part, name) if sep else start
        if end < start:
            raise ValueError(f"{name}: '{item}' in '{part}' runs backwards; write the days from Monday on.")
        days += range(start, end + 1)
    return tuple(sorted(set(days)))


def _span(text: str, part: str, name: str) -> Tuple[datetime.time, datetime.time]:
    match = _SPAN.match(text)
    try:
        start = datetime.time(int(match[1]), int(match[2] or 0))
        until_midnight = match[3] == "24" and int(match[4] or 0) == 0
        end = datetime.time.max if until_midnight else datetime.time(int(match[3]), int(match[4] or 0))
    except (TypeError, ValueError):
        raise ValueError(f"{name}: '{text}' in '{part}' is not a time span like 09:00-15:00.") from None
    if end <= start:
        raise ValueError(f"{name}: '{text}' in '{part}' ends before it starts.")
    return start, end


def _clock(moment: datetime.time) -> str:
    if moment == datetime.time.max:
        return "24"
    return f"{moment.hour}" if not moment.minute else f"{moment.hour}.{moment.minute:02d}"


def _day_range(days) -> str:
    """Consecutive days as a range ("mandag-torsdag"), others listed ("mandag og onsdag")."""
    days = sorted(days)
    runs, run = [], [days[0]]
    for day in days[1:]:
        if day == run[-1] + 1:
            run.append(day)
        else:
            runs.append(run)
            run = [day]
    runs.append(run)
    return _listed([DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}-{DAY_NAMES[r[-1]]}" for r in runs])


def _listed(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]
