"""Out-of-fold figures for the intent classifier's two thresholds.

    .venv/bin/python -m bench.intent_cv [--folds 5]

Trains ``bot.nlp.linear_intent`` on four fifths of ``data/nlu`` and classifies
the rest, five times (stratified folds), then reports for several values of
``sure_without_vectors`` how often the sentence vector is skipped and the
accuracy, and for the fallback threshold how many questions would be
answered right, answered wrong or sent to the fallback. Intents only, with
the real component and encoder; the held-out questions are not touched.
"""
import argparse
import tempfile
from pathlib import Path

import numpy as np
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.model_selection import StratifiedKFold

from bot.config import PROJECT_ROOT
from bot.nlp.linear_intent import LinearIntentClassifier
from bot.nlp.sentence_embeddings import SentenceEncoder

SURE = (0.0, 0.5, 0.6, 0.7, 0.8, 1.01)  # 0: n-grams alone decide; 1.01: the vector always
FALLBACK = (0.3, 0.4, 0.5)


def out_of_fold(folds: int) -> dict:
    examples = [e for e in load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples if e.get(TEXT)]
    intents = np.array([e.get(INTENT) for e in examples])
    encoder = SentenceEncoder()
    predicted = {sure: [None] * len(examples) for sure in SURE}
    confidence = {sure: np.zeros(len(examples)) for sure in SURE}
    splits = StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(intents)), intents)
    for train, test in splits:
        with tempfile.TemporaryDirectory() as directory:
            storage, resource = LocalModelStorage(Path(directory)), Resource("intent_cv")
            config = LinearIntentClassifier.get_default_config()
            trained = LinearIntentClassifier(config, storage, resource, encoder=encoder)
            trained.train(TrainingData([examples[i] for i in train]))
            for sure in SURE:
                classifier = LinearIntentClassifier(
                    {**config, "sure_without_vectors": sure}, storage, resource, trained._parts, encoder,
                )
                messages = [Message(data={TEXT: examples[i].get(TEXT)}) for i in test]
                classifier.process(messages)
                for i, message in zip(test, messages):
                    predicted[sure][i] = message.get(INTENT)["name"]
                    confidence[sure][i] = message.get(INTENT)["confidence"]
    return {"intents": intents, "predicted": predicted, "confidence": confidence}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    folds = parser.parse_args().folds
    result = out_of_fold(folds)
    intents, default = result["intents"], LinearIntentClassifier.get_default_config()
    print(f"\n{folds}-fold out-of-fold intents on data/nlu ({len(intents)} examples)\n")
    print("| sure_without_vectors | vector skipped | accuracy |")
    print("|---|---|---|")
    for sure in SURE:
        right = np.array(result["predicted"][sure]) == intents
        sure_share = (result["confidence"][0.0] >= sure).mean()
        print(f"| {sure} | {sure_share:.2f} | {right.mean():.3f} |")
    sure = default["sure_without_vectors"]
    right = np.array(result["predicted"][sure]) == intents
    print(f"\nFallback threshold, with sure_without_vectors = {sure}:\n")
    print("| threshold | answered right | answered wrong | to the fallback |")
    print("|---|---|---|---|")
    for threshold in FALLBACK:
        answered = result["confidence"][sure] >= threshold
        print(f"| {threshold} | {(answered & right).mean():.3f} | {(answered & ~right).mean():.3f} "
              f"| {(~answered).mean():.3f} |")


if __name__ == "__main__":
    main()
