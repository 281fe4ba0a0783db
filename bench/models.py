"""Trained models the benchmarks compare: ours and Rasa's default pipeline,
both on the same training data. Training is skipped when nothing changed."""
import subprocess
from pathlib import Path

from bot.config import PROJECT_ROOT

BIN = PROJECT_ROOT / ".venv" / "bin"
TRAINING_DATA = ["data/nlu", "data/rules.yml", "data/stories.yml"]
_BENCH_CONFIGS = PROJECT_ROOT / "bench" / "configs"
CONFIGS = {
    "rasa_default": _BENCH_CONFIGS / "rasa_default.yml",
    # Ours before issue 3's additions (DIET intents and entities, no sentence vector).
    "ours_diet": _BENCH_CONFIGS / "ours_diet.yml",
    "ours": PROJECT_ROOT / "config.yml",
    # Ours without the e5 sentence vector: what the vector adds.
    "ours_without_e5": _BENCH_CONFIGS / "ours_without_e5.yml",
    **{path.stem: path for path in sorted(_BENCH_CONFIGS.glob("candidate_*.yml"))},
}


# The model `make run` serves (and the tests use).
SERVED_MODEL = PROJECT_ROOT / "models" / "koege.tar.gz"


def ensure_model(name: str) -> Path:
    """Path of the trained model for ``name``; trains it if it is missing or stale."""
    if name == "ours":  # the same model `make run` serves
        subprocess.run(["make", "--no-print-directory", "train"], cwd=PROJECT_ROOT, check=True)
        return SERVED_MODEL
    out = PROJECT_ROOT / "bench" / ".models" / name
    subprocess.run(
        [str(BIN / "rasa"), "train", "--config", str(CONFIGS[name]), "--data", *TRAINING_DATA,
         "--out", str(out), "--fixed-model-name", name],
        cwd=PROJECT_ROOT,
        check=True,
    )
    return out / f"{name}.tar.gz"


STOCK = PROJECT_ROOT / "bench" / ".models" / "stock"


def ensure_stock_project() -> Path:
    """The stock assistant `rasa init` creates (its own data, config and trained model),
    the baseline of the load benchmark; created and trained once."""
    models = STOCK / "models"
    if not any(models.glob("*.tar.gz")):
        STOCK.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(STOCK)], cwd=STOCK, check=True)
    return STOCK
