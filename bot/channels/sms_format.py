"""Turn the assistant's replies for one turn into one SMS, and read numbered answers.

Pure functions, shared by the GatewayAPI and Twilio channels:

- buttons become a numbered list ending in "Svar 1, 2 eller 3."; a reply of just
  "2" is mapped back to the second button's payload;
- text is kept in the GSM-7 alphabet (æ, ø and å are in it), so a part holds 153
  characters instead of the 67 of a UCS-2 part; other characters are replaced,
  unless the text is in a script GSM-7 does not have (Arabic, Cyrillic,
  Ethiopic): then it is sent as UCS-2, counted in UTF-16 code units;
- an SMS is at most three GSM-7 parts or six UCS-2 parts (about as much text);
  a longer answer keeps its first sentence(s) and the first link or phone
  number in it.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from bot.language.current import replying_in
from bot.language.detect import detect
from bot.phrases import Phrases

PHRASES_FILE = Path(__file__).with_name("sms_phrases.yml")

# 3GPP TS 23.038 default alphabet (without the escape character) and its
# extension table, whose characters take two septets (escape + character).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€")

SINGLE_PART_SEPTETS = 160
PART_SEPTETS = 153  # a part of a concatenated SMS loses 7 septets to its header
MAX_PARTS = 3
# Three parts, less one septet per part boundary: an extension character
# (two septets) is never split across parts, which can waste one septet.
MAX_SEPTETS = MAX_PARTS * PART_SEPTETS - (MAX_PARTS - 1)


@dataclass(frozen=True)
class Encoding:
    """How an SMS's text is counted: units per single SMS, per part, and in all."""

    name: str
    single: int
    part: int
    max_units: int

    def width(self, char: str) -> int:
        if self.name == GSM7:
            return 2 if char in GSM7_EXTENSION else 1
        return 2 if ord(char) > 0xFFFF else 1  # a UTF-16 surrogate pair

    def length(self, text: str) -> int:
        return sum(self.width(c) for c in text)


GSM7, UCS2 = "GSM-7", "UCS-2"
# Six UCS-2 parts of 67 code units: the danger answers in Arabic or Ukrainian fit whole.
UCS2_MAX_PARTS = 6
GSM7_ENCODING = Encoding(GSM7, SINGLE_PART_SEPTETS, PART_SEPTETS, MAX_SEPTETS)
UCS2_ENCODING = Encoding(UCS2, 70, 67, UCS2_MAX_PARTS * 67 - (UCS2_MAX_PARTS - 1))

# Common characters outside GSM-7 and what a reader expects instead.
_REPLACEMENTS = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("•·▪●◦", "-"),
    **dict.fromkeys("\u00a0\u2002\u2003\u2007\u2009\u202f\t", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
    "…": "...",
    "\f": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
}

_URL = r"https?://[^\s]+[^\s.,;:!?)\"']|www\.[^\s]+[^\s.,;:!?)\"']"
_PHONE = r"(?<![\d])(?:\+45 ?)?\d{2}(?: ?\d){6}(?![\d])|(?<![\d])11[24](?![\d])"
_CONTACT = re.compile(f"{_URL}|{_PHONE}")
_URL_ONLY = re.compile(_URL)
# A sentence ends at . ! or ? followed by a capital letter: "tlf. 56 67 67 67"
# and "fx. job" stay whole.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"])")
_CHOICE = re.compile(r"^\s*(?:nr\.?\s*)?(\d{1,2})\s*[.)!]?\s*$", re.IGNORECASE)


PHRASES = Phrases(PHRASES_FILE)


def phrases() -> Dict[str, str]:
    return PHRASES.current()


@dataclass
class SmsReply:
    text: str
    titles: List[str] = field(default_factory=list)  # the numbered options, in order
    payloads: List[str] = field(default_factory=list)  # option n is payloads[n - 1]
    encoding: str = GSM7

    @property
    def parts(self) -> int:
        return sms_parts(self.text, _encoding(self.encoding))


# --- GSM-7 ---------------------------------------------------------------


def to_gsm7(text: str) -> str:
    """``text`` with every character outside GSM-7 replaced or removed."""
    # A removed emoji would leave two spaces where one was.
    return re.sub(r"(?<=\S)  +(?=\S)", " ", "".join(_gsm7_char(c) for c in text))


def _gsm7_char(char: str) -> str:
    if char in GSM7_BASIC or char in GSM7_EXTENSION:
        return char
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    # Accented letters lose the accent (á -> a, ô -> o) rather than the letter.
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and all(c in GSM7_BASIC for c in base):
        return base
    # Emoji and other symbols carry no facts; anything else is shown as missing.
    category = unicodedata.category(char)
    return "" if category[0] in "SC" else "?"


def septets(text: str) -> int:
    """Length in GSM-7 septets: extension characters count as two."""
    return GSM7_ENCODING.length(text)


def needs_unicode(text: str) -> bool:
    """Whether ``text`` has letters GSM-7 can only show as "?" (Arabic, Cyrillic, ...)."""
    return any(_gsm7_char(c) == "?" and unicodedata.category(c).startswith("L") for c in text)


def _encoding(name: str) -> Encoding:
    return UCS2_ENCODING if name == UCS2 else GSM7_ENCODING


def sms_parts(text: str, encoding: Encoding = GSM7_ENCODING) -> int:
    """How many SMS parts ``text`` (already in ``encoding``'s alphabet) needs."""
    if encoding.length(text) <= encoding.single:
        return 1
    parts, used = 1, 0
    for char in text:
        width = encoding.width(char)
        if used + width > encoding.part:
            parts, used = parts + 1, 0
        used += width
    return parts


def truncate(text: str, limit: int, encoding: Encoding = GSM7_ENCODING) -> str:
    """``text`` cut to at most ``limit`` units at a word boundary, with "..."."""
    if encoding.length(text) <= limit:
        return text
    kept, used = [], 0
    for char in text:
        width = encoding.width(char)
        if used + width > limit - 3:  # room for "..."
            break
        kept.append(char)
        used += width
    cut = "".join(kept)
    if not text[len(cut)].isspace() and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-\n") + "..."


# --- numbered options ------------------------------------------------------


def numbers_phrase(count: int) -> str:
    """"1", "1 eller 2", "1, 2 eller 3"."""
    numbers = [str(n) for n in range(1, count + 1)]
    if count <= 1:
        return "".join(numbers)
    return f"{', '.join(numbers[:-1])} {phrases()['or']} {numbers[-1]}"


def numbered_options(titles: Sequence[str]) -> str:
    lines = [f"{n}. {title}" for n, title in enumerate(titles, start=1)]
    return "\n".join(lines + [phrases()["choose"].format(numbers=numbers_phrase(len(titles)))])


def chosen_number(text: str) -> Optional[int]:
    """The number in a reply that is just a number ("2", " 2.", "nr 2"), else None."""
    match = _CHOICE.match(text or "")
    return int(match.group(1)) if match else None


def payload_for(payloads: Sequence[str], number: int) -> Optional[str]:
    return payloads[number - 1] if 1 <= number <= len(payloads) else None


def not_on_list(titles: Sequence[str]) -> str:
    """The reply to a number that is not on the list: the list again."""
    text = f"{phrases()['not_on_list']}\n{numbered_options(titles)}"
    return text if needs_unicode(text) else to_gsm7(text)


# --- shortening --------------------------------------------------------------


def shorten(text: str, limit: int, encoding: Encoding = GSM7_ENCODING) -> str:
    """``text`` within ``limit`` units: its first sentence(s) plus the first
    link or phone number in it, when the whole does not fit."""
    length = encoding.length
    if length(text) <= limit:
        return text
    units = _units(text)
    essential_index, essential, found = _essential(units, limit, encoding)
    kept: List[Tuple[str, str]] = []
    for index, (separator, unit) in enumerate(units):
        essential_included = essential is None or (essential_index is not None and index >= essential_index)
        reserve = 0 if essential_included else length(essential) + 1
        if length(_join(kept + [(separator, unit)])) + reserve > limit:
            break
        kept.append((separator, unit))
    missing = found is not None and found not in _join(kept)
    reserve = length(essential) + 1 if missing else 0
    if not kept:
        kept = [("", truncate(units[0][1], limit - reserve, encoding))]
    if missing:
        kept.append(("\n", essential))
    return truncate(_join(kept), limit, encoding)


def _units(text: str) -> List[Tuple[str, str]]:
    """Sentences with the separator that preceded each ("", " ", "\\n", "\\n\\n")."""
    units: List[Tuple[str, str]] = []
    separator = ""
    for line in text.split("\n"):
        if not line.strip():
            separator = "\n\n" if units else ""
            continue
        for position, sentence in enumerate(_SENTENCE_END.split(line.strip())):
            units.append((separator if position == 0 else " ", sentence))
        separator = "\n"
    return units


def _essential(units: List[Tuple[str, str]], limit: int,
               encoding: Encoding = GSM7_ENCODING) -> Tuple[Optional[int], Optional[str], Optional[str]]:
    """(index, text, link or number): the first sentence with a link or phone
    number, or just the link or number when that sentence would take too much
    room (index None)."""
    for index, (_, unit) in enumerate(units):
        match = _CONTACT.search(unit)
        if match:
            found = match.group(0)
            if encoding.length(unit) <= limit // 2:
                return index, unit, found
            return None, found if _URL_ONLY.fullmatch(found) or len(found) == 3 else f"Tlf. {found}", found
    return None, None, None


def _join(units: Iterable[Tuple[str, str]]) -> str:
    return "".join(separator + unit for separator, unit in units).strip()


# --- one turn ----------------------------------------------------------------


def compose(messages: Sequence[Dict[str, Any]]) -> SmsReply:
    """One SMS for the assistant's messages of one turn (Rasa message dicts),
    its "Svar 1 eller 2" in the reply's language."""
    with replying_in(detect(" ".join(str(m.get("text") or "") for m in messages))):
        return _composed(messages)


def _composed(messages: Sequence[Dict[str, Any]]) -> SmsReply:
    texts = [str(m.get("text") or "").strip() for m in messages]
    texts += [str(m["image"]) for m in messages if m.get("image")]
    buttons: List[Dict[str, Any]] = []
    for message in messages:
        buttons = message.get("buttons") or message.get("quick_replies") or buttons
    joined = "\n\n".join(t for t in texts if t)
    raw_titles = [str(b.get("title") or b.get("payload") or "") for b in buttons]
    encoding = UCS2_ENCODING if needs_unicode(joined + "".join(raw_titles)) else GSM7_ENCODING
    # UCS-2 carries every character, so the text stays as written.
    plain = (lambda text: text) if encoding is UCS2_ENCODING else to_gsm7
    body = plain(joined)
    if not buttons:
        return SmsReply(shorten(body, encoding.max_units, encoding), encoding=encoding.name)
    titles = [plain(t) for t in raw_titles]
    options = numbered_options(titles)
    if encoding.length(options) > encoding.max_units // 2:
        options = numbered_options([truncate(t, 30, encoding) for t in titles])
    room = encoding.max_units - encoding.length(options) - 2
    text = f"{shorten(body, room, encoding)}\n\n{options}" if body else options
    return SmsReply(text, titles, [str(b.get("payload") or b.get("title")) for b in buttons], encoding.name)
