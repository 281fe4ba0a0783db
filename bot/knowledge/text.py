"""Text folding shared by search and normalisation.

Residents often write without æ/ø/å ("soeparken", "faelles") or with them
replaced by plain vowels. Folding both sides to ASCII digraphs lets one
comparison cover every spelling.
"""
import re
import unicodedata

_DIGRAPHS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, replace æ/ø/å by ae/oe/aa, drop accents and punctuation."""
    text = text.lower().translate(_DIGRAPHS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def tokens(text: str) -> list:
    return fold(text).split()
