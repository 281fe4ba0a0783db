"""Read ``data/knowledge/*.yml`` into a validated ``KnowledgeBase``.

Each file has a top-level ``kind`` and a list of ``entries``. Every problem is
collected (not just the first) and reported with file, entry and field.
"""
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

import yaml
from pydantic import ValidationError

from bot.knowledge.model import KnowledgeBase, KnowledgeError, Problem
from bot.knowledge.schema import Entry

# pydantic's own messages are English; staff read these in Danish.
_PYDANTIC_MESSAGES = {
    "value_error.missing": "Feltet skal udfyldes.",
    "value_error.extra": "Ukendt felt. Tjek stavningen.",
    "type_error.str": "Skal være en tekst.",
    "type_error.list": "Skal være en liste.",
    "type_error.bool": "Skal være ja (true) eller nej (false).",
    "value_error.date": "Skal være en dato som 2025-08-31.",
    "type_error.none.not_allowed": "Feltet må ikke være tomt.",
}


def parse_entries(raw: object, file: str) -> Tuple[List[Entry], List[Problem]]:
    """Validate one file's parsed YAML; return the good entries and the problems."""
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        return [], [Problem(file, None, None, "Filen skal have 'kind' og en liste 'entries'.")]
    kind = raw.get("kind")
    entries, problems = [], []
    for position, item in enumerate(raw["entries"], start=1):
        if not isinstance(item, dict):
            problems.append(Problem(file, f"nr. {position}", None, "Posten skal være en samling af felter."))
            continue
        entry, entry_problems = entry_from_dict({"kind": kind, **item}, file, str(item.get("id") or f"nr. {position}"))
        if entry is not None:
            entries.append(entry)
        problems.extend(entry_problems)
    return entries, problems


def written_for_this_danish(entry: Entry) -> Entry:
    """A translation in a file that does not say which Danish it was written for
    was written for the Danish beside it (the seed data, an import)."""
    unmarked = {code: t for code, t in entry.translations.items() if t.written_for is None}
    if not unmarked:
        return entry
    fingerprint = entry.danish_fingerprint()
    return entry.copy(update={"translations": {**entry.translations, **{
        code: t.copy(update={"written_for": fingerprint}) for code, t in unmarked.items()}}})


def entry_from_dict(item: dict, where: str, label: str) -> Tuple[Optional[Entry], List[Problem]]:
    """One validated entry, or the problems with it in Danish."""
    try:
        return written_for_this_danish(Entry(**item)), []
    except ValidationError as error:
        return None, [
            Problem(where, label, ".".join(str(part) for part in detail["loc"]),
                    _PYDANTIC_MESSAGES.get(detail["type"], detail["msg"]))
            for detail in error.errors()
        ]
    except TypeError:  # e.g. a field name that is not text
        return None, [Problem(where, label, None, "Posten kan ikke læses: tjek feltnavnene.")]


def load_files(paths: List[Path]) -> KnowledgeBase:
    entries: List[Entry] = []
    origin: Dict[str, str] = {}
    problems: List[Problem] = []
    for path in sorted(paths):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            problems.append(Problem(path.name, None, None, f"Filen kan ikke læses som YAML: {error}"))
            continue
        file_entries, file_problems = parse_entries(raw, path.name)
        problems.extend(file_problems)
        for entry in file_entries:
            origin.setdefault(entry.id, path.name)
        entries.extend(file_entries)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(entries, origin)


def yaml_files(directory: Union[str, Path]) -> List[Path]:
    return sorted(Path(directory).glob("*.yml"))


def load_directory(directory: Union[str, Path]) -> KnowledgeBase:
    files = yaml_files(directory)
    if not files:
        raise KnowledgeError([Problem(str(directory), None, None, "Mappen indeholder ingen .yml-filer.")])
    return load_files(files)
