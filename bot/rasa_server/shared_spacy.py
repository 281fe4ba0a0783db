"""Load the spaCy pipeline once per process.

Rasa 3.6 runs ``SpacyNLP`` as two graph nodes (one provides the pipeline, one
processes messages), and each loads the pipeline from disk: about 1.5 s more
on every start, and every restart after a crash. The pipeline is only read
while serving, so one shared copy is safe.
"""
import functools

from rasa.nlu.utils.spacy_utils import SpacyNLP

_original_load_model = SpacyNLP.load_model


def install() -> None:
    SpacyNLP.load_model = staticmethod(functools.lru_cache(maxsize=4)(_original_load_model))
