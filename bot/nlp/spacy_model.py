"""Build the offline Danish spaCy pipeline Rasa's SpacyNLP loads.

No Danish spaCy model can be downloaded here, so we save a blank "da"
pipeline: spaCy's Danish tokenizer, nothing more. Nothing in the pipeline
reads lemmas, and the lookup lemmatizer's table took three seconds of every
Rasa server start (a restart after a crash must be quick, issue 22).
Run with the same spaCy that Rasa runs: ``python -m bot.nlp.spacy_model DIR``.
"""
import shutil
import sys
from pathlib import Path

import spacy


def build(target: Path) -> Path:
    nlp = spacy.blank("da")
    nlp.initialize()
    shutil.rmtree(target, ignore_errors=True)  # no parts of an older pipeline left beside it
    target.mkdir(parents=True)
    nlp.to_disk(target)
    return target


if __name__ == "__main__":
    from bot.config import PROJECT_ROOT

    # config.yml's SpacyNLP loads this folder; the Makefile passes the same path.
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / ".cache" / "spacy-da"
    print(f"Danish spaCy pipeline saved to {build(out)}")
