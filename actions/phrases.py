"""The Danish sentences of ``phrases.yml`` (the callback form, and what is said
after a second unanswered question), read once."""
from functools import lru_cache
from pathlib import Path

import yaml

PHRASES_FILE = Path(__file__).with_name("phrases.yml")


@lru_cache(maxsize=1)
def _phrases() -> dict:
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


def phrase(key: str, **values) -> str:
    return _phrases()[key].format(**values)
