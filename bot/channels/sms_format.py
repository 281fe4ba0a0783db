"""Turn the assistant's replies for one turn into one SMS, and read numbered answers.

Pure functions, shared by the GatewayAPI and Twilio channels:

- buttons become a numbered list ending in "Svar 1, 2 eller 3."; a reply of just
  "2" is mapped back to the second button's payload;
- text is kept in the GSM-7 alphabet (æ, ø and å are in it), so a part holds 153
  characters instead of the 67 of a UCS-2 part; other characters are replaced;
- an SMS is at most three parts; a longer answer keeps its first sentence(s)
  and the first link or phone number in it.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

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
    return PHRASES.table


@dataclass
class SmsReply:
    text: str
    titles: List[str] = field(default_factory=list)  # the numbered options, in order
    payloads: List[str] = field(default_factory=list)  # option n is payloads[n - 1]


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
    return sum(2 if c in GSM7_EXTENSION else 1 for c in text)


def sms_parts(text: str) -> int:
    """How many SMS parts ``text`` (already GSM-7) needs."""
    if septets(text) <= SINGLE_PART_SEPTETS:
        return 1
    parts, used = 1, 0
    for char in text:
        width = 2 if char in GSM7_EXTENSION else 1
        if used + width > PART_SEPTETS:
            parts, used = parts + 1, 0
        used += width
    return parts


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` septets at a word boundary, with "..."."""
    if septets(text) <= limit:
        return text
    kept, used = [], 0
    for char in text:
        width = 2 if char in GSM7_EXTENSION else 1
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
    return to_gsm7(f"{phrases()['not_on_list']}\n{numbered_options(titles)}")


# --- shortening --------------------------------------------------------------


def shorten(text: str, limit: int) -> str:
    """``text`` within ``limit`` septets: its first sentence(s) plus the first
    link or phone number in it, when the whole does not fit."""
    if septets(text) <= limit:
        return text
    units = _units(text)
    essential_index, essential, found = _essential(units, limit)
    kept: List[Tuple[str, str]] = []
    for index, (separator, unit) in enumerate(units):
        essential_included = essential is None or (essential_index is not None and index >= essential_index)
        reserve = 0 if essential_included else septets(essential) + 1
        if septets(_join(kept + [(separator, unit)])) + reserve > limit:
            break
        kept.append((separator, unit))
    missing = found is not None and found not in _join(kept)
    reserve = septets(essential) + 1 if missing else 0
    if not kept:
        kept = [("", truncate(units[0][1], limit - reserve))]
    if missing:
        kept.append(("\n", essential))
    return truncate(_join(kept), limit)


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


def _essential(units: List[Tuple[str, str]], limit: int) -> Tuple[Optional[int], Optional[str], Optional[str]]:
    """(index, text, link or number): the first sentence with a link or phone
    number, or just the link or number when that sentence would take too much
    room (index None)."""
    for index, (_, unit) in enumerate(units):
        match = _CONTACT.search(unit)
        if match:
            found = match.group(0)
            if septets(unit) <= limit // 2:
                return index, unit, found
            return None, found if _URL_ONLY.fullmatch(found) or len(found) == 3 else f"Tlf. {found}", found
    return None, None, None


def _join(units: Iterable[Tuple[str, str]]) -> str:
    return "".join(separator + unit for separator, unit in units).strip()


# --- one turn ----------------------------------------------------------------


def compose(messages: Sequence[Dict[str, Any]]) -> SmsReply:
    """One SMS for the assistant's messages of one turn (Rasa message dicts)."""
    texts = [str(m.get("text") or "").strip() for m in messages]
    texts += [str(m["image"]) for m in messages if m.get("image")]
    buttons: List[Dict[str, Any]] = []
    for message in messages:
        buttons = message.get("buttons") or message.get("quick_replies") or buttons
    body = to_gsm7("\n\n".join(t for t in texts if t))
    if not buttons:
        return SmsReply(shorten(body, MAX_SEPTETS))
    titles = [to_gsm7(str(b.get("title") or b.get("payload") or "")) for b in buttons]
    options = numbered_options(titles)
    if septets(options) > MAX_SEPTETS // 2:
        options = numbered_options([truncate(t, 30) for t in titles])
    room = MAX_SEPTETS - septets(options) - 2
    text = f"{shorten(body, room)}\n\n{options}" if body else options
    return SmsReply(text, titles, [str(b.get("payload") or b.get("title")) for b in buttons])
