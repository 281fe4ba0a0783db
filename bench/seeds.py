"""Held-out NLU figures over several training seeds, per pipeline.

    .venv/bin/python -m bench.seeds [--seeds 3] [pipeline ...]

One training is one draw: on 310 held-out questions a different random seed
alone moves intent accuracy by a question or more, so a change to the data or
the pipeline is judged by the mean over seeds, not by one training. Each seed
trains the NLU part only (``rasa train nlu``) with the DIET seed set.
"""
import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

import yaml

from bench.models import BIN, CONFIGS
from bench.nlu_eval import RUNS, heldout_intent_report
from bot.config import PROJECT_ROOT

MODELS = PROJECT_ROOT / "bench" / ".models" / "seeds"
SEEDED = {"DIETClassifier", "ResponseSelector"}


def seeded_config(name: str, seed: int) -> dict:
    config = yaml.safe_load(CONFIGS[name].read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"] in SEEDED:
            component["random_seed"] = seed
    return config


def held_out_figures(name: str, seed: int) -> dict:
    model_name = f"{name}-seed{seed}"
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as config:
        yaml.safe_dump(seeded_config(name, seed), config)
    try:
        subprocess.run(
            [str(BIN / "rasa"), "train", "nlu", "--config", config.name, "--nlu", "data/nlu",
             "--out", str(MODELS), "--fixed-model-name", model_name],
            cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    finally:
        Path(config.name).unlink()
    report = heldout_intent_report(MODELS / f"{model_name}.tar.gz", RUNS / "seeds" / model_name)
    return {"accuracy": report["accuracy"], "macro_f1": report["macro avg"]["f1-score"]}


def spread(values) -> str:
    mean = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.3f} ± {sd:.3f} ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("pipelines", nargs="*", default=["rasa_default", "ours"])
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)
    results = {name: [held_out_figures(name, seed) for seed in seeds] for name in args.pipelines}
    print(f"\nHeld-out intent figures over DIET seeds {list(seeds)} (mean ± sd (min–max))\n")
    print("| pipeline | intent accuracy | intent macro F1 |")
    print("|---|---|---|")
    for name, runs in results.items():
        print(f"| {name} | {spread([r['accuracy'] for r in runs])} | {spread([r['macro_f1'] for r in runs])} |")
    (RUNS / "seeds.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
