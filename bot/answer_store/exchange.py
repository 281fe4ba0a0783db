"""YAML export and import of all answer data (a bulk edit).

The export is one YAML document with every active entry; the import takes the
same format, or a seed file of ``data/knowledge`` (``kind`` + ``entries``).
Nothing is changed unless the whole file is valid.
"""
from typing import Dict

import yaml

from bot.answer_store.entries import WHERE, EntryStore
from bot.knowledge.loader import parse_entries
from bot.knowledge.model import KnowledgeError, Problem

MAX_IMPORT_BYTES = 2_000_000
_HEADER = (
    "# Svardata for Køge-assistenten. Ret i teksterne og indlæs filen igen under\n"
    "# 'Eksport og import'. Poster, der ikke står i filen, bliver ikke ændret.\n"
)


def export_yaml(store: EntryStore) -> str:
    entries = [stored.data for stored in store.all(include_retired=False)]
    return _HEADER + yaml.safe_dump({"entries": entries}, allow_unicode=True, sort_keys=False, width=100)


def import_yaml(store: EntryStore, content: bytes, user: str) -> Dict[str, int]:
    """Validate the whole file, then create or change its entries in one go."""
    if len(content) > MAX_IMPORT_BYTES:
        raise KnowledgeError([Problem("filen", None, None, "Filen er for stor (højst 2 MB).")])
    try:
        raw = yaml.safe_load(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise KnowledgeError([Problem("filen", None, None, "Filen er ikke en tekstfil (UTF-8).")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (linje {mark.line + 1})" if mark else ""
        raise KnowledgeError([Problem("filen", None, None, f"Filen kan ikke læses som YAML{where}.")]) from None
    entries, problems = parse_entries(raw, WHERE)
    if problems:
        raise KnowledgeError(problems)
    if not entries:
        raise KnowledgeError([Problem("filen", None, None, "Filen indeholder ingen poster.")])
    seen = set()
    for entry in entries:
        if entry.id in seen:
            problems.append(Problem(WHERE, entry.id, "id", "Id'et står mere end én gang i filen."))
        seen.add(entry.id)
    if problems:
        raise KnowledgeError(problems)
    return store.replace_many(entries, user, action="imported")
