"""Danish sentences kept in a YAML file beside the code that says them, read once.

Each part of the assistant keeps its own file (``bot/knowledge/phrases.yml``
for answers, ``bot/privacy/phrases.yml``, ``bot/channels/sms_phrases.yml``,
``actions/phrases.yml`` for the callback form); all read them through this.
"""
import threading
from pathlib import Path
from typing import Any, Dict, Optional

import yaml


class Phrases:
    def __init__(self, path: Path):
        self.path = path
        self._table: Optional[Dict[str, Any]] = None
        self._lock = threading.Lock()

    @property
    def table(self) -> Dict[str, Any]:
        if self._table is None:
            with self._lock:
                if self._table is None:
                    self._table = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        return self._table

    def __getitem__(self, key: str) -> Any:
        return self.table[key]

    def say(self, key: str, **values: Any) -> str:
        """The sentence ``key`` with its ``{placeholders}`` filled in."""
        return self.table[key].format(**values)
