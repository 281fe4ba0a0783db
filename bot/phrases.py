"""Sentences kept in a YAML file beside the code that says them, read once.

Each part of the assistant keeps its own file (``bot/knowledge/phrases.yml``
for answers, ``bot/privacy/phrases.yml``, ``bot/channels/sms_phrases.yml``,
``actions/phrases.yml`` for the callback form); all read them through this.
The Danish file is the source; a translation lies beside it with the
language's code before the suffix (``phrases.en.yml``), with the same keys.
A sentence a translation lacks is said in Danish.
"""
import threading
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

from bot.language.current import reply_language
from bot.language.detect import DANISH


class Phrases:
    def __init__(self, path: Path):
        self.path = path
        self._tables: Dict[str, Dict[str, Any]] = {}
        self._lock = threading.Lock()

    def translation_path(self, language: str) -> Path:
        return self.path if language == DANISH else self.path.with_suffix(f".{language}{self.path.suffix}")

    def in_language(self, language: str) -> Dict[str, Any]:
        """The sentences of ``language`` (empty when there is no translation)."""
        if language not in self._tables:
            with self._lock:
                if language not in self._tables:
                    path = self.translation_path(language)
                    self._tables[language] = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                                              if path.exists() else {})
        return self._tables[language]

    @property
    def table(self) -> Dict[str, Any]:
        """The Danish sentences."""
        return self.in_language(DANISH)

    def current(self) -> Dict[str, Any]:
        """Every sentence in the reply's language, in Danish where it has no translation."""
        return {**self.table, **self.in_language(reply_language())}

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def get(self, key: str, language: Optional[str] = None) -> Any:
        """``key`` in ``language`` (the reply's language by default), else in Danish."""
        translated = self.in_language(language or reply_language())
        return translated[key] if key in translated else self.table[key]

    def say(self, key: str, **values: Any) -> str:
        """The sentence ``key`` with its ``{placeholders}`` filled in, in the reply's language."""
        return self.get(key).format(**values)
