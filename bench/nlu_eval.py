"""Held-out NLU evaluation: intent accuracy, macro F1 and entity F1 of our
pipeline against Rasa's default pipeline, trained on the same data.

    .venv/bin/python -m bench.nlu_eval            # both pipelines
    .venv/bin/python -m bench.nlu_eval ours       # one

The held-out set (tests/heldout/nlu.yml) is never used for training.
"""
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.heldout import HELDOUT
from bench.models import BIN, CONFIGS, ensure_model
from bot.config import PROJECT_ROOT

RUNS = PROJECT_ROOT / "bench" / ".runs"


def heldout_intent_report(model: Path, out: Path) -> dict:
    """Rasa's intent report for ``model`` on the held-out questions; all reports go to ``out``."""
    shutil.rmtree(out, ignore_errors=True)  # an older run's report of another extractor must not be read
    subprocess.run(
        [str(BIN / "rasa"), "test", "nlu", "--nlu", str(HELDOUT), "--model", str(model), "--out", str(out)],
        cwd=PROJECT_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads((out / "intent_report.json").read_text())


# The entity extractors a pipeline here may have; `rasa test nlu` writes one report each.
ENTITY_EXTRACTORS = ("DIETClassifier", "CRFEntityExtractor")


def evaluate(name: str) -> dict:
    out = RUNS / f"nlu-{name}"
    intents = heldout_intent_report(ensure_model(name), out)
    entities = next(
        json.loads(path.read_text())
        for path in (out / f"{extractor}_report.json" for extractor in ENTITY_EXTRACTORS)
        if path.exists()
    )
    errors = json.loads((out / "intent_errors.json").read_text()) if (out / "intent_errors.json").exists() else []
    confusions = {}
    for error in errors:
        pair = (error["intent"], error["intent_prediction"]["name"])
        confusions[pair] = confusions.get(pair, 0) + 1
    return {
        "intent_accuracy": intents["accuracy"],
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "entity_micro_f1": entities["micro avg"]["f1-score"],
        "entity_macro_f1": entities["macro avg"]["f1-score"],
        "examples": int(intents["macro avg"]["support"]),
        "confusions": sorted(confusions.items(), key=lambda item: -item[1]),
    }


def main(names) -> None:
    results = {name: evaluate(name) for name in names}
    print(f"\nHeld-out set: {HELDOUT.relative_to(PROJECT_ROOT)} ({results[names[0]]['examples']} examples)\n")
    print("| pipeline | intent accuracy | intent macro F1 | entity F1 (micro) | entity F1 (macro) |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['intent_accuracy']:.3f} | {r['intent_macro_f1']:.3f} "
              f"| {r['entity_micro_f1']:.3f} | {r['entity_macro_f1']:.3f} |")
    for name, r in results.items():
        pairs = ", ".join(f"{gold} → {pred} ({n})" for (gold, pred), n in r["confusions"][:10]) or "none"
        print(f"\nRemaining confusions, {name}: {pairs}")
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "nlu_eval.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main(sys.argv[1:] or list(CONFIGS))
