"""YAML export and import of all answer data (a bulk edit).

The export is one YAML document with every active entry and the moment it was
made; the import takes the same format, or a seed file of ``data/knowledge``
(``kind`` + ``entries``). Nothing is changed unless the whole file is valid
and no entry in it was changed in the store after the export.
"""
import datetime
from typing import Dict, Optional

import yaml

from bot.answer_store.entries import WHERE, EntryStore
from bot.answer_store.times import as_utc, now
from bot.knowledge.loader import parse_entries
from bot.knowledge.model import KnowledgeError, Problem

MAX_IMPORT_BYTES = 2_000_000
_HEADER = (
    "# Svardata for Køge-assistenten. Ret i teksterne og indlæs filen igen under\n"
    "# 'Eksport og import'. Poster, der ikke står i filen, bliver ikke ændret.\n"
)


def export_yaml(store: EntryStore) -> str:
    entries = [stored.data for stored in store.all(include_retired=False)]
    # An import of this file refuses to overwrite what was changed after this moment.
    document = {"exported_at": now().isoformat(), "entries": entries}
    return _HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def _exported_at(raw: object) -> Optional[datetime.datetime]:
    value = raw.get("exported_at") if isinstance(raw, dict) else None
    if value is None:
        return None  # a seed file or a file written by hand
    try:
        moment = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(str(value))
    except ValueError:
        raise KnowledgeError([Problem("filen", None, "exported_at",
                                      "Tidspunktet for eksporten kan ikke læses. Hent en ny fil.")]) from None
    return as_utc(moment)


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
    return store.replace_many(entries, user, action="imported", based_on=_exported_at(raw))
