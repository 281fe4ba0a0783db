"""Settings, read from the environment once. Everything else is handed these."""
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path
    action_timeout_seconds: float
    spacy_model_dir: Path

    @classmethod
    def from_env(cls, env=os.environ) -> "Settings":
        return cls(
            knowledge_dir=Path(env.get("KNOWLEDGE_DIR", PROJECT_ROOT / "data" / "knowledge")),
            action_timeout_seconds=float(env.get("ACTION_TIMEOUT_SECONDS", "10")),
            spacy_model_dir=Path(env.get("SPACY_MODEL_DIR", PROJECT_ROOT / ".cache" / "spacy-da")),
        )
