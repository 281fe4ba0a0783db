"""Held-out figures over several training seeds, per pipeline.

    .venv/bin/python -m bench.seeds [--seeds 3] [--e2e] [pipeline ...]

One training is one draw: on 310 held-out questions a different random seed
alone moves intent accuracy by a question or more, so a change to the data or
the pipeline is judged by the mean over seeds, not by one training. Each seed
sets the seed of DIET and the ResponseSelector. Without ``--e2e`` only the NLU
part is trained (``rasa train nlu``); with it the whole model is trained (the
dialogue policies come from Rasa's cache after the first seed) and each seed's
model also answers the held-out questions end to end (``bench.e2e_eval``).
"""
import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

import yaml

from bench import e2e_eval
from bench.heldout import examples
from bench.models import BIN, CONFIGS, TRAINING_DATA
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


def train(name: str, seed: int, whole_model: bool) -> Path:
    model_name = f"{name}-seed{seed}{'-e2e' if whole_model else ''}"
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as config:
        yaml.safe_dump(seeded_config(name, seed), config)
    what = ["--data", *TRAINING_DATA] if whole_model else ["nlu", "--nlu", "data/nlu"]
    try:
        subprocess.run(
            [str(BIN / "rasa"), "train", *what, "--config", config.name,
             "--out", str(MODELS), "--fixed-model-name", model_name],
            cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    finally:
        Path(config.name).unlink()
    return MODELS / f"{model_name}.tar.gz"


def held_out_figures(name: str, seed: int, whole_model: bool) -> dict:
    model = train(name, seed, whole_model)
    report = heldout_intent_report(model, RUNS / "seeds" / model.name.removesuffix(".tar.gz"))
    figures = {"accuracy": report["accuracy"], "macro_f1": report["macro avg"]["f1-score"]}
    if whole_model:
        answers = e2e_eval.evaluate(model, examples())
        figures["answers"] = answers["answer_correctness"]
        figures["honest"] = answers["out_of_scope_honest"]
    return figures


def spread(values) -> str:
    mean = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.3f} ± {sd:.3f} ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--e2e", action="store_true", help="train whole models and answer end to end too")
    parser.add_argument("pipelines", nargs="*", default=["rasa_default", "ours"])
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)
    results = {name: [held_out_figures(name, seed, args.e2e) for seed in seeds] for name in args.pipelines}
    columns = {"accuracy": "intent accuracy", "macro_f1": "intent macro F1"}
    if args.e2e:
        columns.update(answers="answer correctness", honest="out-of-scope honest")
    print(f"\nHeld-out figures over DIET seeds {list(seeds)} (mean ± sd (min–max))\n")
    print("| pipeline | " + " | ".join(columns.values()) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, runs in results.items():
        print(f"| {name} | " + " | ".join(spread([r[key] for r in runs]) for key in columns) + " |")
    (RUNS / ("seeds-e2e.json" if args.e2e else "seeds.json")).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
