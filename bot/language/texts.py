"""The sentences that ship with the project in every language it speaks.

``fixed.yml``: what every resident gets in their own language however little
else is translated: "I can answer in Danish and English", the topic menu, how
to reach a person, the language names. ``responses.yml``: the translations of
domain.yml's responses (the danger answers in every language, the rest in
English). Each translated variant records the fingerprint of the Danish it
was translated from (``written_for``): when the Danish changes, a test fails
until a translator has checked the translation again.

``shipped_sentences(language)`` lists both kinds in one language, each with a
key and the fingerprint of its text, for the admin's "Faste oversættelser",
where staff record that a translator has checked them.
"""
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.language.detect import DANISH, ENGLISH, SUPPORTED

HERE = Path(__file__).parent
FIXED_FILE = HERE / "fixed.yml"
RESPONSES_FILE = HERE / "responses.yml"
DOMAIN_FILE = HERE.parent.parent / "domain.yml"  # the Danish of the responses
# The languages residents can choose in the widget and by button, in this order.
CHOOSABLE = (DANISH, ENGLISH)
# The topic menu every language gets: (fixed.yml key, intent its button asks).
TOPICS = (("topic_job", "ask_job_help"), ("topic_family", "ask_family_support"),
          ("topic_community", "ask_community"), ("topic_contact", "ask_contact"))
CHOOSE_LANGUAGE_INTENT = "choose_language"


def fingerprint(danish: str) -> str:
    """A short hash of a Danish text, to tell when a translation was written for another text."""
    return hashlib.sha256(" ".join(danish.split()).encode("utf-8")).hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def _fixed() -> Dict[str, Dict[str, str]]:
    return yaml.safe_load(FIXED_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _responses() -> Dict[str, List[Dict[str, Any]]]:
    return yaml.safe_load(RESPONSES_FILE.read_text(encoding="utf-8"))


def fixed(key: str, language: str, **values: Any) -> str:
    """A shipped sentence in ``language`` (English where it lacks one, else Danish)."""
    sentences = _fixed()[key]
    text = sentences.get(language) or sentences.get(ENGLISH) or sentences[DANISH]
    return text.format(**values)


# What staff call each language (the admin is in Danish).
DANISH_NAMES: Dict[str, str] = {
    "da": "Dansk", "en": "Engelsk", "ar": "Arabisk", "tr": "Tyrkisk", "so": "Somali", "ur": "Urdu",
    "fa": "Farsi", "pl": "Polsk", "uk": "Ukrainsk", "ti": "Tigrinya",
}


def danish_name(language: str) -> str:
    """The Danish name of a language ("Arabisk"); an unknown code as it is."""
    return DANISH_NAMES.get(language, language)


def language_name(language: str) -> str:
    """The language's name for itself ("العربية", "English")."""
    return _fixed()["language_name"][language]


def choose_language_payload(language: str) -> str:
    return f'/{CHOOSE_LANGUAGE_INTENT}{{"language":"{language}"}}'


def language_buttons(current: str) -> List[Dict[str, str]]:
    return [{"title": language_name(code), "payload": choose_language_payload(code)}
            for code in CHOOSABLE if code != current]


def topic_buttons(language: str) -> List[Dict[str, str]]:
    return [{"title": fixed(key, language), "payload": f"/{intent}"} for key, intent in TOPICS]


def only_some_in(language: str, contact_name: str, contact_phone: str) -> Dict[str, Any]:
    """For a language the assistant has no answers in: what it can do, whom to
    call, the topics, and the languages it answers in (one message, all in ``language``)."""
    text = "\n".join([fixed("languages_offered", language),
                      fixed("reach_person", language, name=contact_name, phone=contact_phone)])
    return {"text": text, "buttons": topic_buttons(language) + language_buttons(language)}


def response_translation(name: str, condition: Optional[str], language: str) -> Optional[Dict[str, Any]]:
    """The shipped translation of a domain response's variant (its ``danger`` condition), if any."""
    for variant in _responses().get(name) or []:
        if variant.get("condition") == condition and language in variant:
            return variant[language]
    return None


def translated_response(name: str, response: Optional[Dict[str, Any]], language: Optional[str],
                        contact_name: str, contact_phone: str) -> Optional[Dict[str, Any]]:
    """A response Rasa chose in Danish, in ``language``: its translation, or for a
    language it has none in, what the assistant can do in that language."""
    if response is None or language in (None, DANISH) or language not in SUPPORTED:
        return response
    translation = response_translation(name, condition_of(response), language)
    if translation is None:
        return {**response, **only_some_in(language, contact_name, contact_phone)}
    result = {**response, "text": translation["text"]}
    if response.get("buttons"):
        titles = translation.get("buttons") or []
        result["buttons"] = [{**button, "title": titles[i] if i < len(titles) else button["title"]}
                             for i, button in enumerate(response["buttons"])]
    return result


def condition_of(response: Dict[str, Any]) -> Optional[str]:
    """The value a variant's (only) slot condition asks for; None for the unconditioned variant."""
    conditions = response.get("condition") or []
    return conditions[0].get("value") if conditions else None


def languages_with_fixed_texts() -> List[str]:
    return [code for code in SUPPORTED if code != DANISH]


@dataclass(frozen=True)
class ShippedSentence:
    """A sentence shipped in one language: a ``fixed.yml`` key, or a variant of a
    domain response (``response``, and ``condition``: the danger slot's value)."""

    key: str  # "languages_offered"; "utter_greet", "utter_emergency/police"
    text: str
    buttons: Tuple[str, ...] = ()
    danish: Optional[str] = None  # the Danish it is a translation of, when known
    response: Optional[str] = None
    condition: Optional[str] = None

    @property
    def fingerprint(self) -> str:
        """Changes whenever the sentence (or a button title) is changed."""
        return fingerprint("\n".join((self.text,) + self.buttons))


def response_key(name: str, condition: Optional[str]) -> str:
    return name if condition is None else f"{name}/{condition}"


@functools.lru_cache(maxsize=1)
def _danish_responses() -> Dict[str, str]:
    """domain.yml's Danish response texts by ``response_key`` (empty when it cannot be read)."""
    try:
        domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {response_key(name, condition_of(variant)): variant.get("text", "")
            for name, variants in (domain.get("responses") or {}).items() for variant in variants or []}


def shipped_sentences(language: str) -> List[ShippedSentence]:
    """Every sentence shipped in ``language``: ``fixed.yml`` first, then the translated
    responses, in their files' order."""
    sentences = [ShippedSentence(key, texts[language], danish=texts.get(DANISH))
                 for key, texts in _fixed().items() if texts.get(language)]
    danish = _danish_responses()
    for name, variants in _responses().items():
        for variant in variants or []:
            translation = variant.get(language)
            if not translation:
                continue
            condition = variant.get("condition")
            key = response_key(name, condition)
            sentences.append(ShippedSentence(key, translation["text"], tuple(translation.get("buttons") or ()),
                                             danish.get(key), name, condition))
    return sentences
