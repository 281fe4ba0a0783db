"""Find and replace personal data the assistant does not need.

Pure functions, no Rasa: ``redact(text)`` returns the text with every CPR
number, full card number, phone number and e-mail address replaced by
``PLACEHOLDER``, and which kinds it found. One neutral placeholder for every
kind keeps the model's reading of the rest of the sentence unchanged; the
kinds found are kept beside the message instead.

A conversation step that needs contact details (a callback form) passes
``allowed={PHONE, EMAIL}``; CPR and card numbers are never allowed.
"""
import re
from dataclasses import dataclass
from datetime import date
from typing import Collection, FrozenSet, Iterable, List, Tuple

CPR = "cpr"
CARD = "card"
PHONE = "phone"
EMAIL = "email"
KINDS = (CPR, CARD, PHONE, EMAIL)

PLACEHOLDER = "[fjernet]"

# ddmmåå then four digits. Date parts may be joined by nothing, a space, a dot,
# a dash or a slash; the serial by nothing, a space or any dash.
_CPR = re.compile(
    r"(?<![\d])(?P<day>[0-3]\d)[ .\-/]?(?P<month>[01]\d)[ .\-/]?(?P<year>\d\d)"
    r"[ \t]?[-\u2010-\u2015]?[ \t]?(?P<serial>\d{4})(?![\d])"
)
# A run of digits in groups (single spaces or dashes between them).
_DIGIT_RUN = re.compile(r"(?<![\d])\d+(?:[ \-]\d+)*(?![\d])")
# Danish numbers: 8 digits, the first 2-9, optionally after +45 / 0045, in
# pairs or fours or together. Foreign numbers: + and 7-14 more digits.
# Not part of a longer run of digit groups (a card or account number), and not
# glued to letters on either side (an id like "sock-63476050d1").
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[ \-])(?:(?:\+|00)45[ \-]?)?[2-9]\d(?:[ \-]?\d\d){3}(?![ \-]?\d)(?!\w)"
    r"|(?<![\w+])(?<!\d[ \-])\+[1-9]\d{0,2}(?:[ \-]?\d){7,13}(?![ \-]?\d)(?!\w)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A date written like 24-12-2024 looks like a phone number but is not one.
_DATE_LIKE = re.compile(r"^(?P<day>\d\d)[-.](?P<month>\d\d)[-.](?P<year>\d{4})$")
# So does a range of years: "helhedsplanen 2021-2025", "fra 2021 2025".
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d(?:\s*[-\u2013]\s*| )(?:19|20)\d\d$")


@dataclass(frozen=True)
class Redaction:
    text: str
    kinds: FrozenSet[str] = frozenset()

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def plausible_cpr_date(day: str, month: str, year: str) -> bool:
    """True when ddmmåå is a real calendar day in some century."""
    # 2000 is a leap year, so 29 February is accepted for "00" as for "04".
    full_year = 2000 + int(year)
    try:
        date(full_year, int(month), int(day))
        return True
    except ValueError:
        return int(month) == 2 and int(day) == 29 and int(year) % 4 == 0


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _cpr_spans(text: str) -> Iterable[Tuple[int, int]]:
    for match in _CPR.finditer(text):
        if plausible_cpr_date(match["day"], match["month"], match["year"]):
            yield match.span()


def _card_spans(text: str) -> Iterable[Tuple[int, int]]:
    """Luhn-valid runs of 13-19 digits; inside a longer run, the longest
    stretch of whole groups that is one."""
    for run in _DIGIT_RUN.finditer(text):
        groups = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\d+", run.group())]
        best = None
        for first in range(len(groups)):
            # Extend group by group and stop once the stretch is too long for a
            # card: a long run of short groups stays linear, not cubic.
            count = 0
            for last in range(first, len(groups)):
                count += groups[last][1] - groups[last][0]
                if count > 19:
                    break
                if count < 13:
                    continue
                digits = "".join(text[s:e] for s, e in groups[first : last + 1])
                if luhn_valid(digits):
                    candidate = (groups[first][0], groups[last][1])
                    if best is None or candidate[1] - candidate[0] > best[1] - best[0]:
                        best = candidate
        if best:
            yield best


def _phone_spans(text: str) -> Iterable[Tuple[int, int]]:
    for match in _PHONE.finditer(text):
        looks_like_date = _DATE_LIKE.match(match.group())
        if looks_like_date and plausible_cpr_date(looks_like_date["day"], looks_like_date["month"], "00"):
            continue
        if _YEAR_RANGE.match(match.group()):
            continue
        yield match.span()


def _email_spans(text: str) -> Iterable[Tuple[int, int]]:
    for match in _EMAIL.finditer(text):
        yield match.span()


_FINDERS = ((CPR, _cpr_spans), (CARD, _card_spans), (PHONE, _phone_spans), (EMAIL, _email_spans))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def redact(
    text: str,
    allowed: Collection[str] = (),
    public: Collection[str] = (),
) -> Redaction:
    """``text`` with personal data replaced by ``PLACEHOLDER``.

    ``allowed``: kinds left as they are (only phone and e-mail can be).
    ``public``: numbers and addresses that belong to institutions, not to
    residents (the municipality's own phone number), compared by digits or
    case-insensitively.
    """
    if not text:
        return Redaction(text or "")
    allowed = set(allowed) - {CPR, CARD}
    public_digits = {_digits(p)[-8:] for p in public if _digits(p)}
    public_addresses = {p.lower() for p in public if "@" in p}
    kinds = set()
    # Earlier kinds win: a ten-digit CPR number is never also read as a phone number.
    for kind, find in _FINDERS:
        if kind in allowed:
            continue
        pieces, last = [], 0
        for start, end in find(text):
            found = text[start:end]
            if kind == PHONE and _digits(found)[-8:] in public_digits:
                continue
            if kind == EMAIL and found.lower() in public_addresses:
                continue
            pieces.append(text[last:start])
            pieces.append(PLACEHOLDER)
            last = end
            kinds.add(kind)
        if pieces:
            text = "".join(pieces) + text[last:]
    return Redaction(text, frozenset(kinds))


def phone_numbers(text: str) -> List[str]:
    """The phone numbers in ``text``, as written, exactly as ``redact`` finds them
    (a callback form reads the resident's number with this, so what it keeps is
    always something redaction recognises and can remove again)."""
    return [text[start:end] for start, end in _phone_spans(text or "")]


def contains_personal_data(text: str) -> bool:
    return redact(text).changed
