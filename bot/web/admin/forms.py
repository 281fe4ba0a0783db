"""The entry edit form: stored entry data <-> what the form shows and sends.

Three shapes are involved:

* entry *data*: the dict the answer store keeps (defaults left out);
* form *values*: one value per form control, as the page shows it (text
  fields are strings, ``aliases`` is one name per line, ``related`` and
  ``work_areas`` are lists of ids, ``fallback_contact`` is a bool);
* the posted form (a multidict from the browser).

Empty optional fields mean "not set": they are left out of the data (an
empty owner or review date then stays as stored: ``EntryStore.update``). The
entry's translations are not in this form (they have their own,
``translation_forms``): a save keeps them as they are stored.
"""
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.answer_store import review_dates
from bot.knowledge.model import Problem
from bot.knowledge.schema import MAX_LENGTHS
from bot.knowledge.text import fold
from bot.language.texts import danish_name, language_name

# Single-line and multi-line text controls, in form order.
TEXT_FIELDS = ("id", "name", "title", "summary", "details", "url", "phone", "email", "address", "hours",
               "contact", "owner", "review_due", "ends", "source")
LIST_FIELDS = ("related", "work_areas")  # checkbox lists: one form value per ticked box
LINES_FIELD = "aliases"  # one name per line
FLAG_FIELD = "fallback_contact"

# Danish names of the fields, as the form's labels and the problem lists show them.
LABELS = {
    "id": "Id",
    "kind": "Type",
    "name": "Navn",
    "title": "Titel",
    "summary": "Kort svar",
    "details": "Mere om emnet",
    "url": "Link",
    "phone": "Telefon",
    "email": "E-mail",
    "address": "Adresse",
    "hours": "Åbningstider",
    "contact": "Kontakt",
    "related": "Relaterede poster",
    "work_areas": "Indsatsområder",
    "aliases": "Andre navne, borgerne bruger",
    "intent": "Spørgsmålstype",
    "ends": "Slutdato",
    "source": "Kilde",
    "owner": "Ejer",
    "review_due": "Tjekkes senest",
    "fallback_contact": "Standardkontakt",
    "translations": "Oversættelser",
}
# Fields of the entry data this form leaves as they are stored.
KEPT_FIELDS = ("translations",)
# The languages' Danish names, shown beside their own names (language_name).
FORM_FIELDS = frozenset(TEXT_FIELDS + LIST_FIELDS + (LINES_FIELD, FLAG_FIELD))
NEW_ENTRY_LABEL = "ny post"  # what the answer store calls an entry without an id in its problems


def empty_values() -> Dict[str, object]:
    """The values of a blank form."""
    values: Dict[str, object] = {name: "" for name in TEXT_FIELDS}
    values.update({name: [] for name in LIST_FIELDS})
    values[LINES_FIELD] = ""
    values[FLAG_FIELD] = False
    return values


def values_from_data(data: Mapping) -> Dict[str, object]:
    """What the form shows for stored entry data."""
    values = empty_values()
    for name in TEXT_FIELDS:
        value = data.get(name)
        values[name] = "" if value is None else str(value)
    for name in LIST_FIELDS:
        values[name] = [str(item) for item in data.get(name) or []]
    values[LINES_FIELD] = "\n".join(str(alias) for alias in data.get(LINES_FIELD) or [])
    values[FLAG_FIELD] = bool(data.get(FLAG_FIELD))
    return values


def values_for_question(question: str) -> Dict[str, object]:
    """A blank form for a new answer to a resident's question (from the inbox):
    the question as the name, and an id made from its words."""
    values = empty_values()
    name = " ".join(question.split())[:MAX_LENGTHS["name"]]
    words, suggested = fold(name).split(), ""
    for word in words:
        if len(suggested) + len(word) + 1 > 60:
            break
        suggested = f"{suggested}_{word}" if suggested else word
    values.update(name=name, id=suggested if len(suggested) >= 2 else "")
    return values


def values_from_post(post) -> Dict[str, object]:
    """The values as typed, from a posted form (a multidict). Nothing is trimmed
    here, so a page shown again keeps exactly what was typed."""
    values = empty_values()
    for name in TEXT_FIELDS:
        values[name] = _text(post.get(name))
    for name in LIST_FIELDS:
        values[name] = _unique(_text(item) for item in post.getall(name, []))
    values[LINES_FIELD] = _text(post.get(LINES_FIELD)).replace("\r\n", "\n")
    values[FLAG_FIELD] = bool(post.get(FLAG_FIELD))
    return values


def data_from_values(values: Mapping, kind: str, intent: Optional[str] = None,
                     before: Optional[Mapping] = None) -> dict:
    """Entry data for the answer store. ``kind`` and ``intent`` are not edited in
    the form: they come from the stored entry (or the new entry's kind).

    ``before``, the stored data: ids still ticked in ``related`` and
    ``work_areas`` keep their order there (residents get the related entries
    in that order); newly ticked ones follow. Its translations are kept as
    they are (a changed Danish text makes them "skal tjekkes", never gone)."""
    data: dict = {"kind": kind}
    for name in TEXT_FIELDS:
        text = str(values.get(name) or "").strip()
        if text:
            data[name] = text
    if intent:
        data["intent"] = intent
    aliases = _unique(line.strip() for line in str(values.get(LINES_FIELD) or "").splitlines())
    if aliases:
        data[LINES_FIELD] = aliases
    for name in LIST_FIELDS:
        ids = _unique(str(item).strip() for item in values.get(name) or [])
        if before:
            kept = [item for item in before.get(name) or [] if item in ids]
            ids = kept + [item for item in ids if item not in kept]
        if ids:
            data[name] = ids
    if values.get(FLAG_FIELD):
        data[FLAG_FIELD] = True
    for name in KEPT_FIELDS:
        if before and before.get(name):
            data[name] = before[name]
    return data


def language_title(code: str, in_sentence: bool = False) -> str:
    """A language's Danish name with its own: Arabisk (العربية), Engelsk (English);
    ``in_sentence``: as within a sentence, arabisk (العربية)."""
    danish = danish_name(code)
    return f"{danish.lower() if in_sentence else danish} ({language_name(code)})"


def field_of(problem: Problem, entry_ids: Iterable[Optional[str]]) -> Optional[str]:
    """The form field a problem is about, or None when it is about something
    else (another entry, the data as a whole)."""
    if problem.entry not in set(entry_ids) | {NEW_ENTRY_LABEL, None} or not problem.field:
        return None
    name = problem.field.split(".")[0]
    return name if name in FORM_FIELDS else None


def field_problems(problems: Sequence[Problem], entry_ids: Iterable[Optional[str]]) -> Dict[str, List[str]]:
    """Problems about this entry's fields, by field name, to show next to each."""
    entry_ids = list(entry_ids)
    found: Dict[str, List[str]] = {}
    for problem in problems:
        name = field_of(problem, entry_ids)
        if name and problem.message not in found.get(name, []):
            found.setdefault(name, []).append(problem.message)
    return found


def describe_problem(problem: Problem, entry_ids: Iterable[Optional[str]] = ()) -> str:
    """A problem in one Danish sentence, naming the entry when it is another one."""
    parts = []
    if problem.entry and problem.entry not in set(entry_ids) | {NEW_ENTRY_LABEL}:
        parts.append(f"Posten '{problem.entry}'")
    if problem.field:
        name = problem.field.split(".")[0]
        parts.append(LABELS.get(name, name))
    prefix = ", ".join(parts)
    return f"{prefix}: {problem.message}" if prefix else problem.message


def changed_fields(before: Optional[Mapping], after: Mapping) -> List[str]:
    """Danish names of the fields that differ between two versions' data, in the form's order."""
    changed = set(review_dates.changed_fields(before, after))
    names = list(LABELS) + sorted(changed - set(LABELS))
    return [LABELS.get(name, name) for name in names if name in changed]


def display_fields(data: Mapping) -> List[Tuple[str, str]]:
    """A version's set fields as (Danish label, text), for reading."""
    shown = []
    for name, label in LABELS.items():
        value = data.get(name)
        if value in (None, "", [], {}, False):
            continue
        if isinstance(value, dict):  # translations: which languages
            value = ", ".join(language_title(code) for code in value)
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        shown.append((label, "Ja" if value is True else str(value)))
    return shown


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _unique(items: Iterable[str]) -> List[str]:
    """Non-empty items, first occurrence only, in order."""
    seen: List[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen
