import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge import load_directory

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"


@pytest.fixture(scope="session")
def kb():
    """The real answer data, as residents get it."""
    return load_directory(KNOWLEDGE_DIR)
