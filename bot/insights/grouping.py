"""The inbox's questions: personal data taken out again, then similar ones grouped.

Redaction (``redact_question``): the conversation store should hold no CPR
number, card number, phone number or e-mail (they are removed at the
entrance), but a message a form let through with a phone number, or one
stored before the entrance existed, might. So every text is redacted again on
its way to staff, with no exceptions, and names introduced with "jeg hedder",
"mit navn er" or "jeg er" (a capitalised name) are replaced too.

Grouping (``group_questions``): texts are folded (lower case, æ/ø/å as
ae/oe/aa, no punctuation) and identical folded texts counted together. Then,
most asked first, each text joins the first group whose representative is
similar enough (rapidfuzz ``token_set_ratio`` of their content words, at
least ``SIMILARITY_THRESHOLD``), or starts a group of its own and becomes its
representative. Greedy and order-dependent, but stable: the same questions
give the same groups.

A group's ``key`` is the SHA-256 of its folded representative; a handled mark
is kept per folded text (``question_hash``), so a group stays handled when
the same question comes again.

Languages: each question keeps the language it was written in. A wording's
language is that of its newest occurrence (the text shown), a group's
``language`` that of its representative, and ``languages`` every language in
the group, the most asked first.
"""
import datetime
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from rapidfuzz import fuzz, process

from bot.knowledge.text import danish_stop_words, fold
from bot.language.detect import DANISH
from bot.privacy.redaction import PLACEHOLDER, redact

# How alike two questions must be (0-100, rapidfuzz token_set_ratio on their
# content words) to be one group. 80 keeps "hvornår åbner biblioteket" and
# "hvornaar aabner bibliotekt?" together and "hvornår lukker biblioteket" apart.
SIMILARITY_THRESHOLD = 80

# How many other wordings of a group are kept to show staff.
MAX_VARIANTS = 5

_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# "jeg hedder fatima", "Mit navn er Anne-Marie Hansen": the next word, whatever
# its case, and the capitalised words right after it. After "jeg er" only a
# capitalised word is taken for a name ("jeg er ny her" holds none).
_NAMED = re.compile(r"\b(?i:jeg\s+hedder|mit\s+navn\s+er|navnet\s+er)[\s:,]+")
_I_AM = re.compile(r"\b(?i:jeg\s+er)\s+")
MAX_NAME_WORDS = 3
# A button's payload ("/ask_initiative{...}") is a click, not a question typed.
_PAYLOAD = re.compile(r"^\s*/\w")


def _name_end(text: str, start: int, any_case: bool) -> int:
    """Where the name starting at ``start`` ends (``start``: no name there).

    A name is capitalised words; after "jeg hedder" (``any_case``) also the
    first word in any case and up to two more that are not stop words
    ("jeg hedder fatima hassan og ..."): better a word too many than a surname."""
    end, words = start, 0
    stop_words = danish_stop_words()
    while words < MAX_NAME_WORDS:
        word = _WORD.match(text, start)
        if not word:
            return end
        capitalised = word.group()[0].isupper()
        if not (capitalised or any_case and (words == 0 or fold(word.group()) not in stop_words)):
            return end
        end, words = word.end(), words + 1
        gap = re.match(r"[ \t]+", text[end:])
        if not gap:
            return end
        start = end + gap.end()
    return end


def _without_names(text: str, intro: re.Pattern, any_case: bool) -> str:
    pieces, last = [], 0
    for match in intro.finditer(text):
        if match.start() < last:
            continue
        end = _name_end(text, match.end(), any_case)
        if end > match.end():
            pieces += [text[last:match.end()], PLACEHOLDER]
            last = end
    return "".join(pieces) + text[last:]


def redact_question(text: str) -> str:
    """``text`` with CPR, card and phone numbers, e-mail addresses and introduced names replaced."""
    text = redact(text or "").text
    return _without_names(_without_names(text, _NAMED, any_case=True), _I_AM, any_case=False)


def question_key(text: str) -> str:
    """The hash a question is known by: SHA-256 of its folded text."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


def is_question(text: str) -> bool:
    """Whether a message is worth showing: it has words, and is not a button's payload."""
    return bool(fold(text or "")) and not _PAYLOAD.match(text)


def _content(folded: str) -> str:
    """The folded text without stop words (all of it, when that leaves nothing)."""
    stop_words = danish_stop_words()
    words = [word for word in folded.split() if word not in stop_words]
    return " ".join(words) or folded


@dataclass(frozen=True)
class Question:
    """One unanswered message, already redacted."""

    text: str
    channel: str
    at: datetime.datetime
    language: str = DANISH


@dataclass
class _Wording:
    """Every occurrence of one folded text."""

    folded: str
    text: str  # the newest occurrence as written (redacted)
    count: int
    channels: set
    first: datetime.datetime
    last: datetime.datetime
    language: str  # of the newest occurrence
    languages: Counter = field(default_factory=Counter)  # occurrences per language

    @property
    def key(self) -> str:
        return hashlib.sha256(self.folded.encode("utf-8")).hexdigest()


@dataclass
class QuestionGroup:
    """Similar questions: ``question`` is the representative (the most asked
    wording), ``variants`` other wordings, ``member_keys`` the hash of every
    wording in the group. ``language`` is the language ``question`` is written
    in, ``variant_languages`` those of ``variants`` (in the same order),
    ``languages`` every language in the group, the most asked first."""

    key: str
    question: str
    count: int
    channels: List[str]
    first: datetime.datetime
    last: datetime.datetime
    variants: List[str] = field(default_factory=list)
    member_keys: List[str] = field(default_factory=list)
    language: str = DANISH
    languages: List[str] = field(default_factory=list)
    variant_languages: List[str] = field(default_factory=list)


def _wordings(questions: Iterable[Question]) -> List[_Wording]:
    found: Dict[str, _Wording] = {}
    for question in questions:
        folded = fold(question.text)
        if not folded:
            continue
        wording = found.get(folded)
        if wording is None:
            found[folded] = _Wording(folded, question.text, 1, {question.channel}, question.at, question.at,
                                     question.language, Counter({question.language: 1}))
            continue
        wording.count += 1
        wording.channels.add(question.channel)
        wording.languages[question.language] += 1
        wording.first = min(wording.first, question.at)
        if question.at >= wording.last:
            wording.last, wording.text, wording.language = question.at, question.text, question.language
    # Most asked first; then the newest; then alphabetical, so the order never depends on input order.
    return sorted(found.values(), key=lambda w: (-w.count, -w.last.timestamp(), w.folded))


def group_questions(questions: Iterable[Question], threshold: float = SIMILARITY_THRESHOLD) -> List[QuestionGroup]:
    """Similar questions grouped (see the module's description), most asked group first."""
    groups: List[Tuple[QuestionGroup, List[_Wording]]] = []
    representatives: List[str] = []
    for wording in _wordings(questions):
        content = _content(wording.folded)
        match: Optional[tuple] = process.extractOne(content, representatives, scorer=fuzz.token_set_ratio,
                                                    score_cutoff=threshold) if representatives else None
        if match is None:
            representatives.append(content)
            groups.append((QuestionGroup(wording.key, wording.text, 0, [], wording.first, wording.last), []))
            match = (content, 100, len(groups) - 1)
        groups[match[2]][1].append(wording)
    result = []
    for group, wordings in groups:
        group.count = sum(w.count for w in wordings)
        group.channels = sorted(set().union(*(w.channels for w in wordings)))
        group.first = min(w.first for w in wordings)
        group.last = max(w.last for w in wordings)
        group.variants = [w.text for w in wordings[1:MAX_VARIANTS + 1]]
        group.member_keys = [w.key for w in wordings]
        group.language = wordings[0].language
        group.variant_languages = [w.language for w in wordings[1:MAX_VARIANTS + 1]]
        languages = sum((w.languages for w in wordings), Counter())
        group.languages = sorted(languages, key=lambda code: (-languages[code], code))
        result.append(group)
    return sorted(result, key=lambda g: (-g.count, -g.last.timestamp(), g.key))


def find_group(groups: Sequence[QuestionGroup], key: str) -> Optional[QuestionGroup]:
    return next((group for group in groups if group.key == key), None)
