"""The shipped translations: complete, true to the Danish, and checked again when it changes."""
import re
import string

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.language import texts
from bot.language.detect import SUPPORTED, detect
from bot.language.texts import condition_of, fingerprint, fixed, response_translation, translated_response

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
DANGER_RESPONSES = ("utter_emergency", "utter_suicidal", "utter_safety_next")
OTHERS = [code for code in SUPPORTED if code != "da"]
NUMBERS = re.compile(r"\b\d[\d ]*\d\b|\b\d\b")


def variants():
    for name, items in DOMAIN["responses"].items():
        for variant in items:
            yield name, condition_of(variant), variant


def _numbers(text):
    return sorted(n.strip() for n in NUMBERS.findall(text.replace("\u200e", "")))


def _placeholders(text):
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


@pytest.mark.parametrize("name, condition, variant", list(variants()), ids=lambda v: str(v)[:40])
def test_every_response_is_in_english_and_the_danger_answers_in_every_language(name, condition, variant):
    languages = OTHERS if name in DANGER_RESPONSES else ["en"]
    for language in languages:
        translation = response_translation(name, condition, language)
        assert translation, f"{name} ({condition}) has no {language} translation in bot/language/responses.yml"
        # The numbers are the facts that matter most: exactly those of the Danish.
        assert _numbers(translation["text"]) == _numbers(variant["text"]), (name, condition, language)
        assert len(translation.get("buttons") or []) == len(variant.get("buttons") or [])


@pytest.mark.parametrize("name, condition, variant", list(variants()), ids=lambda v: str(v)[:40])
def test_a_translation_is_checked_again_when_its_danish_changes(name, condition, variant):
    recorded = next(v for v in yaml.safe_load(texts.RESPONSES_FILE.read_text(encoding="utf-8"))[name]
                    if v.get("condition") == condition)
    assert recorded["written_for"] == fingerprint(variant["text"]), (
        f"The Danish of {name} ({condition}) changed: have its translations checked, then set "
        f"written_for to {fingerprint(variant['text'])} in bot/language/responses.yml.")


def test_the_danger_answers_are_in_the_language_they_are_for():
    for name in DANGER_RESPONSES:
        for variant in DOMAIN["responses"][name]:
            for language in OTHERS:
                text = response_translation(name, condition_of(variant), language)["text"]
                assert detect(text) in (language, None) or language == "so", (name, language, text[:60])


@pytest.mark.parametrize("key", sorted(yaml.safe_load(texts.FIXED_FILE.read_text(encoding="utf-8"))))
def test_fixed_sentences_have_every_language_and_the_same_placeholders(key):
    sentences = yaml.safe_load(texts.FIXED_FILE.read_text(encoding="utf-8"))[key]
    languages = ["da", "en"] if key == "only_in_danish" else SUPPORTED
    for language in languages:
        assert sentences.get(language), f"{key} has no {language}"
        assert _placeholders(sentences[language]) == _placeholders(sentences["da"]), (key, language)


def test_reaching_a_person_names_the_fallback_contact_in_every_language():
    for language in SUPPORTED:
        sentence = fixed("reach_person", language, name="Køge Kommune", phone="56 67 67 67")
        assert "Køge Kommune" in sentence and "56 67 67 67" in sentence


def test_a_response_in_a_language_without_answers_says_so_with_the_topics_and_a_person():
    danish = {"text": "Selv tak!", "condition": None}
    reply = translated_response("utter_thank", danish, "ar", "Køge Kommune", "56 67 67 67")
    assert reply["text"].startswith(fixed("languages_offered", "ar"))
    assert "56 67 67 67" in reply["text"]
    payloads = [b["payload"] for b in reply["buttons"]]
    assert "/ask_job_help" in payloads and '/choose_language{"language":"en"}' in payloads


def test_danish_and_unknown_languages_keep_the_danish_response():
    danish = {"text": "Selv tak!"}
    assert translated_response("utter_thank", danish, "da", "K", "1") is danish
    assert translated_response("utter_thank", danish, "xx", "K", "1") is danish
    assert translated_response("utter_thank", danish, None, "K", "1") is danish
