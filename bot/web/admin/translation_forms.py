"""An entry's translations as the admin shows and edits them, and the LIX beside
the Danish texts. Pure helpers: no requests, no store.

A translation is "Aktuel" when it was written (or last checked) for the
entry's Danish text as it is now, else "Skal tjekkes": residents then get the
Danish until a staff member corrects it or confirms it ("Stadig rigtig").
"""
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from bot.answer_store.times import danish_date
from bot.knowledge.model import Problem
from bot.knowledge.schema import TRANSLATED_FIELDS, Entry, Translation
from bot.language.detect import DANISH, RIGHT_TO_LEFT, SUPPORTED
from bot.language.lix import lix
from bot.web.admin.forms import LABELS, language_title

LANGUAGES = tuple(code for code in SUPPORTED if code != DANISH)

CURRENT = "Aktuel"
STALE = "Skal tjekkes – den danske tekst er ændret, efter oversættelsen blev skrevet"
CURRENT_HELP = "Borgere, der skriver på sproget, får denne oversættelse."
STALE_HELP = ("Borgere, der skriver på sproget, får den danske tekst, indtil oversættelsen er rettet, "
              "eller du har trykket »Stadig rigtig«.")

# LIX (bot.language.lix) above this is hard reading for many residents.
LIX_LIMIT = 35
LIX_EASY = "LIX {lix}: teksten er let at læse."
LIX_HARD = "Teksten er svær at læse (LIX {lix}). Brug korte sætninger og almindelige ord."
LIX_FIELDS = ("summary", "details")


def direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def readability(text: str) -> Dict[str, object]:
    """What the form says about a Danish text's LIX (``text`` empty: nothing)."""
    if not text.strip():
        return {"value": None, "hard": False, "text": ""}
    value = round(lix(text))
    hard = value > LIX_LIMIT
    return {"value": value, "hard": hard, "text": (LIX_HARD if hard else LIX_EASY).format(lix=value)}


def checked_text(translation: Translation) -> str:
    """Who wrote or last checked the translation, and when."""
    who, day = translation.checked_by, translation.checked_on
    if who and day:
        return f"Tjekket af {who}, {danish_date(day)}"
    if who:
        return f"Tjekket af {who}"
    return "Ikke tjekket i administrationen endnu"


def rows(entry: Entry) -> List[dict]:
    """The entry's translations, in the order of the supported languages, as the entry page lists them."""
    found = []
    for code in LANGUAGES:
        translation = entry.translations.get(code)
        if translation is None:
            continue
        current = entry.translation_is_current(code)
        found.append({
            "language": code, "title": language_title(code), "dir": direction(code), "current": current,
            "state": CURRENT if current else STALE, "state_help": CURRENT_HELP if current else STALE_HELP,
            "checked": checked_text(translation),
            "texts": [(LABELS[field], getattr(translation, field)) for field in TRANSLATED_FIELDS
                      if getattr(translation, field)],
        })
    return found


def missing(entry: Entry) -> List[Tuple[str, str]]:
    """(code, title) of the languages the entry has no translation into."""
    return [(code, language_title(code)) for code in LANGUAGES if code not in entry.translations]


def form_fields(entry: Entry, values: Mapping[str, str]) -> List[str]:
    """The translation form's text fields: name and summary always; details, title
    and hours when the Danish has them (or something was written in them)."""
    return [field for field in TRANSLATED_FIELDS
            if field in ("name", "summary") or getattr(entry, field) or values.get(field)]


def values_from_translation(translation: Optional[Mapping]) -> Dict[str, str]:
    translation = translation or {}
    return {field: str(translation.get(field) or "") for field in TRANSLATED_FIELDS}


def values_from_post(post) -> Dict[str, str]:
    """What was typed (as typed: a page shown again keeps it)."""
    return {field: value if isinstance(value := post.get(field), str) else "" for field in TRANSLATED_FIELDS}


def danish_texts(entry: Entry) -> List[Tuple[str, str]]:
    """(label, text) of the Danish the translation is of."""
    return [(LABELS[field], getattr(entry, field)) for field in TRANSLATED_FIELDS if getattr(entry, field)]


def _field_of(problem: Problem, language: str) -> Optional[str]:
    """The translation form's field a problem is about (``translations.<language>.<field>``), if any."""
    parts = (problem.field or "").split(".")
    if len(parts) == 3 and parts[:2] == ["translations", language] and parts[2] in TRANSLATED_FIELDS:
        return parts[2]
    return None


def field_problems(problems: Sequence[Problem], language: str) -> Dict[str, List[str]]:
    """The problems with the translation's fields, by field, to show next to each."""
    found: Dict[str, List[str]] = {}
    for problem in problems:
        field = _field_of(problem, language)
        if field:
            found.setdefault(field, []).append(problem.message)
    return found


def problem_items(problems: Sequence[Problem], language: str) -> List[dict]:
    """The list at the top of the translation form: each problem, linked to its field."""
    items = []
    for problem in problems:
        field = _field_of(problem, language)
        items.append({"text": f"{LABELS[field]}: {problem.message}", "href": f"#felt-{field}"} if field
                     else {"text": problem.message, "href": None})
    return items
