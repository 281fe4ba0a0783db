"""The Danish sentences of ``phrases.yml``, read once."""
from functools import lru_cache
from pathlib import Path
from typing import Collection

import yaml

from bot.privacy.redaction import KINDS

PHRASES_FILE = Path(__file__).with_name("phrases.yml")


@lru_cache(maxsize=1)
def _phrases() -> dict:
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


def say(key: str, **values) -> str:
    return _phrases()[key].format(**values)


def removed_notice(kinds: Collection[str]) -> str:
    """"Din besked indeholdt et CPR-nummer og et telefonnummer. ..." in a fixed order."""
    found = [_phrases()["found"][kind] for kind in KINDS if kind in kinds]
    joined = found[0] if len(found) == 1 else ", ".join(found[:-1]) + f" {_phrases()['and']} " + found[-1]
    return say("removed_notice", found=joined)
