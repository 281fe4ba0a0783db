"""The sentences of ``phrases.yml`` (and its translations): what a resident is told about their data."""
from pathlib import Path
from typing import Collection

from bot.phrases import Phrases
from bot.privacy.redaction import KINDS

PHRASES = Phrases(Path(__file__).with_name("phrases.yml"))
say = PHRASES.say


def removed_notice(kinds: Collection[str]) -> str:
    """"Din besked indeholdt et CPR-nummer og et telefonnummer. ..." in a fixed order."""
    found = [PHRASES.get("found")[kind] for kind in KINDS if kind in kinds]
    joined = found[0] if len(found) == 1 else ", ".join(found[:-1]) + f" {PHRASES.get('and')} " + found[-1]
    return say("removed_notice", found=joined)
