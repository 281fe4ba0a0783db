"""Text folding shared by search and normalisation.

Residents often write without æ/ø/å ("soeparken", "faelles") or with them
replaced by plain vowels. Folding both sides to ASCII digraphs lets one
comparison cover every spelling. Letters of other scripts (Arabic, Cyrillic,
Ethiopic) stay as they are, without their vowel marks.
"""
import ast
import functools
import importlib.util
import re
import unicodedata
from pathlib import Path

_DIGRAPHS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower-case, replace æ/ø/å by ae/oe/aa, drop accents, vowel marks and punctuation."""
    text = text.lower().translate(_DIGRAPHS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


@functools.lru_cache(maxsize=1)
def danish_stop_words() -> frozenset:
    """spaCy's Danish stop-word list, folded, read without importing spaCy
    (whose import pulls in TensorFlow: seconds of start-up for one list)."""
    spec = importlib.util.find_spec("spacy")
    path = Path(spec.origin).parent / "lang" / "da" / "stop_words.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    words = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 100
    )
    return frozenset(fold(word) for word in words.split())
