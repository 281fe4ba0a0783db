"""Build the offline Danish spaCy pipeline Rasa's SpacyNLP loads.

No Danish spaCy model can be downloaded here, so we save a blank "da"
pipeline with the lookup lemmatizer from spacy-lookups-data ("børn" → "barn").
Run with the same spaCy that Rasa runs: ``python -m bot.nlp.spacy_model DIR``.
"""
import sys
from pathlib import Path

import spacy


def build(target: Path) -> Path:
    nlp = spacy.blank("da")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    return target


if __name__ == "__main__":
    from bot.config import PROJECT_ROOT

    # config.yml's SpacyNLP loads this folder; the Makefile passes the same path.
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / ".cache" / "spacy-da"
    print(f"Danish spaCy pipeline saved to {build(out)}")
