"""How the danger detector's threshold was chosen: alarms found against false alarms.

    .venv/bin/python -m bench.danger [--C 4] [--sets dev]
    .venv/bin/python -m bench.danger --languages [languages]

Trains the detector's semantic part as the pipeline does (e5 vectors of the
training data, crisis kinds from its metadata) and runs the whole detector
(patterns, then vectors) on messages it never saw: the held-out questions
(``tests/heldout/nlu.yml``) and the held-out conversations' turns. Prints,
per threshold, the share of everyday messages that raise an alarm and the
share of crisis messages that do (follow-ups like "hvad skal jeg gøre" are
left out: the conversation's safety mode answers them, not the detector);
then, per value of the n-gram screen, how many messages skip the sentence
vector and what that costs.

With ``--languages``: the bars for messages in other languages than Danish
(``threshold_other_languages``, ``crisis_intent_other_languages``), on the
served model (models/koege.tar.gz, whose intent ranking they read) and the
questions of ``tests/heldout/<set>/``: crisis questions found and everyday
questions that raise an alarm, per pair of bars.
"""
import argparse
import sys
from typing import Dict, List, Tuple

import numpy as np
from rasa.shared.nlu.training_data.loading import load_data

from bench.conversations import conversations
from bench.heldout import HELDOUT, TRAINING
from bot.nlp.danger import DEFAULT_KIND, DangerDetector, precise_kind, training_kind
from bot.nlp.sentence_embeddings import shared_encoder

CRISIS_TURNS = {"acute", "police", "violence_home", "child_risk", "suicidal"}
SCREENS = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)


def heldout_messages(sets: List[str]) -> Tuple[List[str], List[str]]:
    """(everyday, crisis) messages no training example is."""
    everyday, crisis = [], []
    for message in load_data(str(HELDOUT)).intent_examples:
        (crisis if message.get("intent") in DEFAULT_KIND else everyday).append(message.get("text"))
    for conv in conversations(sets):
        for turn in conv.turns:
            if turn.expect in CRISIS_TURNS:
                crisis.append(turn.user)
            elif turn.expect != "safety_followup":
                everyday.append(turn.user)
    return everyday, crisis


def alarms(detector: DangerDetector, texts: List[str], threshold: float) -> List[bool]:
    detector._config["threshold"] = threshold
    probabilities = detector.danger_probabilities(texts)
    return [detector.kind(t, p) is not None for t, p in zip(texts, probabilities)]


OTHER_THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.9)
CRISIS_INTENT_BARS = (0.25, 0.35, 0.5, 0.7, 1.01)  # 1.01: only a crisis ranked first counts


def other_language_bars(set_name: str) -> None:
    """Parse every question of the set once with the served model, keep what
    the danger detector was given, and decide again under each pair of bars."""
    import itertools

    from bench.languages import languages, parse_all, questions
    from bot.config import PROJECT_ROOT

    seen: Dict[str, tuple] = {}
    decide = DangerDetector.kind

    def recording(self, text, probabilities, intent=None, ranking=None):
        seen[text] = (self, dict(probabilities), intent, dict(ranking or {}))
        return decide(self, text, probabilities, intent, ranking)

    items = [q for language in languages(set_name) for q in questions(language, [set_name])]
    DangerDetector.kind = recording
    try:
        parse_all(PROJECT_ROOT / "models" / "koege.tar.gz", [q.text for q in items])
    finally:
        DangerDetector.kind = decide
    crisis = [q for q in items if q.is_danger]
    everyday = [q for q in items if not q.is_danger]
    print(f"\n{len(everyday)} everyday and {len(crisis)} crisis questions in {', '.join(languages(set_name))}"
          f" (tests/heldout/{set_name}/)\n")
    print("| threshold (other languages) | crisis intent ranked at least | false alarms | found (crisis) |")
    print("|---|---|---|---|")
    for threshold, bar in itertools.product(OTHER_THRESHOLDS, CRISIS_INTENT_BARS):
        def raised(question) -> bool:
            detector, probabilities, intent, ranking = seen[question.text]
            config = {**detector._config, "threshold_other_languages": threshold, "crisis_intent_other_languages": bar}
            saved, detector._config = detector._config, config
            try:
                return decide(detector, question.text, probabilities, intent, ranking) is not None
            finally:
                detector._config = saved
        print(f"| {threshold} | {bar} | {sum(map(raised, everyday))}/{len(everyday)}"
              f" | {sum(map(raised, crisis))}/{len(crisis)} |")


def main(argv: List[str]) -> None:
    if argv[:1] == ["--languages"]:
        other_language_bars(argv[1] if len(argv) > 1 else "languages")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=float, default=DangerDetector.get_default_config()["C"])
    parser.add_argument("--sets", nargs="+", default=["dev", "dev2", "blind"])
    parser.add_argument("--ngram-weight", type=float, default=DangerDetector.get_default_config()["ngram_weight"])
    args = parser.parse_args(argv)
    examples = [m for m in load_data(str(TRAINING)).intent_examples if m.get("text")]
    detector = DangerDetector({"C": args.C, "ngram_weight": args.ngram_weight}, None, None, encoder=shared_encoder())
    detector.fit([m.get("text") for m in examples], [training_kind(m) for m in examples])
    everyday, crisis = heldout_messages(args.sets)
    by_patterns = sum(precise_kind(t) is not None for t in everyday), sum(precise_kind(t) is not None for t in crisis)
    print(f"\n{len(everyday)} everyday and {len(crisis)} crisis messages ({', '.join(args.sets)} and the held-out"
          f" questions); C={args.C}, n-gram weight {args.ngram_weight}")
    print(f"patterns alone: false alarms {by_patterns[0] / len(everyday):.3f}, found {by_patterns[1] / len(crisis):.3f}\n")
    print("| threshold | false alarms (everyday) | found (crisis) |")
    print("|---|---|---|")
    rows: Dict[float, Tuple[float, float]] = {}
    for threshold in THRESHOLDS:
        false = np.mean(alarms(detector, everyday, threshold))
        found = np.mean(alarms(detector, crisis, threshold))
        rows[threshold] = (false, found)
        print(f"| {threshold} | {false:.3f} | {found:.3f} |")
    detector._config["threshold"] = DangerDetector.get_default_config()["threshold"]
    print(f"\nThe n-gram screen at the configured threshold ({detector._config['threshold']}): messages that"
          " skip the sentence vector, and what is found\n")
    print("| screen below | everyday without vector | crisis without vector | false alarms | found (crisis) |")
    print("|---|---|---|---|---|")
    for screen in SCREENS:
        detector._config["screen_below"] = screen
        print(f"| {screen} | {1 - np.mean(detector._worth_a_vector(everyday)):.3f}"
              f" | {1 - np.mean(detector._worth_a_vector(crisis)):.3f}"
              f" | {np.mean(alarms(detector, everyday, detector._config['threshold'])):.3f}"
              f" | {np.mean(alarms(detector, crisis, detector._config['threshold'])):.3f} |")
    detector._config["screen_below"] = DangerDetector.get_default_config()["screen_below"]
    print("\nFalse alarms at the configured threshold:")
    for text, raised in zip(everyday, alarms(detector, everyday, detector._config["threshold"])):
        if raised:
            print(f"- {text!r} ({'pattern' if precise_kind(text) else 'vectors'})")
    print("Missed crisis messages:")
    for text, raised in zip(crisis, alarms(detector, crisis, detector._config["threshold"])):
        if not raised:
            print(f"- {text!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
