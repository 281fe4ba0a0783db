"""5-fold cross-validation on the training data, per pipeline.

    .venv/bin/python -m bench.cross_validation [pipeline ...]

Slow (five trainings per pipeline); the held-out evaluations in
``bench.nlu_eval`` and ``bench.e2e_eval`` are the quick ones.
"""
import re
import subprocess
import sys

from bench.models import BIN, CONFIGS
from bot.config import PROJECT_ROOT

RUNS = PROJECT_ROOT / "bench" / ".runs"
FOLDS = 5
LINE = re.compile(r"test (Accuracy|F1-score): ([\d.]+) \(([\d.]+)\)")


def cross_validate(name: str) -> dict:
    output = subprocess.run(
        [str(BIN / "rasa"), "test", "nlu", "--nlu", "data/nlu", "--config", str(CONFIGS[name]),
         "--cross-validation", "--folds", str(FOLDS), "--out", str(RUNS / f"cv-{name}")],
        cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
    )
    log = output.stdout + output.stderr
    intent_part, _, entity_part = log.partition("Entity evaluation results")
    intent = dict((k, (float(m), float(s))) for k, m, s in LINE.findall(intent_part))
    # The entity extractor's block (DIET or CRF) comes after the synonym mapper's.
    extractor_part = re.split(r"Entity extractor: (?:DIETClassifier|CRFEntityExtractor)", entity_part)[-1]
    entity = dict((k, (float(m), float(s))) for k, m, s in LINE.findall(extractor_part))
    return {"intent": intent, "entity": entity}


def main(names) -> None:
    results = {name: cross_validate(name) for name in names}
    print(f"\n{FOLDS}-fold cross-validation on data/nlu (test folds; mean ± std)\n")
    print("| pipeline | intent accuracy | intent F1 | entity F1 |")
    print("|---|---|---|---|")
    for name, r in results.items():
        acc, f1, ent = r["intent"].get("Accuracy"), r["intent"].get("F1-score"), r["entity"].get("F1-score")
        fmt = lambda v: f"{v[0]:.3f} ± {v[1]:.3f}" if v else "n/a"
        print(f"| {name} | {fmt(acc)} | {fmt(f1)} | {fmt(ent)} |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["rasa_default", "ours"])
