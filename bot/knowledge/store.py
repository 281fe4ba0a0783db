"""Where the action server gets the current answer data from.

``YamlKnowledgeStore`` re-reads the YAML folder as soon as a file changes (a
cheap stat per request), and keeps answering from the last good data when a
change is invalid, so a staff typo never takes the assistant down.
"""
import logging
from pathlib import Path
from typing import Optional, Protocol, Tuple, Union

from bot.knowledge.loader import load_files, yaml_files
from bot.knowledge.model import KnowledgeBase, KnowledgeError

logger = logging.getLogger(__name__)


class KnowledgeStore(Protocol):
    def current(self) -> KnowledgeBase:
        """The newest valid answer data."""


class StaticKnowledgeStore:
    """A fixed knowledge base (tests, benchmarks)."""

    def __init__(self, knowledge: KnowledgeBase):
        self._knowledge = knowledge

    def current(self) -> KnowledgeBase:
        return self._knowledge


class YamlKnowledgeStore:
    def __init__(self, directory: Union[str, Path]):
        self.directory = Path(directory)
        self._signature: Optional[Tuple] = None
        self._knowledge: Optional[KnowledgeBase] = None
        self.last_error: Optional[KnowledgeError] = None
        self.current()  # fail at start-up, not at the first question
        if self._knowledge is None:
            raise self.last_error

    def _files_signature(self):
        files = yaml_files(self.directory)
        return files, tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)

    def current(self) -> KnowledgeBase:
        try:
            files, signature = self._files_signature()
        except OSError as error:
            logger.error("Cannot read answer data folder %s: %s", self.directory, error)
            return self._last_good()
        if signature != self._signature:
            self._signature = signature
            try:
                self._knowledge = load_files(files)
                self.last_error = None
                logger.info("Loaded answer data: %d entries", len(self._knowledge.entries))
            except KnowledgeError as error:
                self.last_error = error
                logger.error("%s\nStill answering from the last good answer data.", error)
        return self._last_good()

    def _last_good(self) -> KnowledgeBase:
        if self._knowledge is None:
            raise self.last_error or KnowledgeError([])
        return self._knowledge
