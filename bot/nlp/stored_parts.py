"""Store and load the fitted scikit-learn parts of a component (vectorizers,
classifiers) in a model directory: skops, never pickle, so a model file
cannot run code when it is loaded.

A fitted vectorizer's vocabulary (tens of thousands of n-grams) goes into a
JSON list beside it: skops reads a dict key by key, and that alone took
seconds of every Rasa server start, which must be short (issue 22).
"""
import copy
import json
from pathlib import Path
from typing import Any, Dict, Iterable, Optional

# Beyond skops' own trusted set, a fitted vectorizer holds one sparse matrix (its IDF weights).
_TRUSTED = ("scipy.sparse._csr.csr_matrix",)


def _terms_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.terms.json"


def dump_parts(directory: Path, parts: Dict[str, Any]) -> None:
    """Write every part that is not None as ``<name>.skops`` in ``directory``."""
    import skops.io as sio

    for name, part in parts.items():
        if part is None:
            continue
        vocabulary = getattr(part, "vocabulary_", None)
        if isinstance(vocabulary, dict):
            terms = sorted(vocabulary, key=vocabulary.get)
            _terms_path(directory, name).write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
            part = copy.copy(part)  # the fitted one in use keeps its vocabulary
            part.vocabulary_ = {}
        sio.dump(part, directory / f"{name}.skops")


def load_parts(directory: Path, names: Iterable[str]) -> Dict[str, Optional[Any]]:
    """The parts ``dump_parts`` wrote, by name; None for a part not stored."""
    import skops.io as sio

    parts: Dict[str, Optional[Any]] = {}
    for name in names:
        path = directory / f"{name}.skops"
        if not path.exists():
            parts[name] = None
            continue
        part = sio.load(path, trusted=list(_TRUSTED))
        terms = _terms_path(directory, name)
        if terms.exists():
            part.vocabulary_ = {term: index for index, term in enumerate(json.loads(terms.read_text(encoding="utf-8")))}
        parts[name] = part
    return parts
