"""The pieces agree: domain, rules, answer data and the fixed phone number."""
import yaml

from bot.config import PROJECT_ROOT
from bot.knowledge.answers import _HANDLERS, phrases


def load(path):
    return yaml.safe_load((PROJECT_ROOT / path).read_text(encoding="utf-8"))


DOMAIN = load("domain.yml")
RULES = load("data/rules.yml")["rules"]


def answered_by_action(action):
    return {r["steps"][0]["intent"] for r in RULES if r["steps"][1].get("action") == action}


def test_every_answer_data_intent_is_in_the_domain(kb):
    assert {e.intent for e in kb.entries.values() if e.intent} <= set(DOMAIN["intents"])


def test_every_intent_sent_to_action_answer_has_an_answer(kb):
    for intent in answered_by_action("action_answer"):
        assert intent in _HANDLERS or kb.for_intent(intent), intent


def test_fixed_apology_number_is_the_fallback_contacts(kb):
    # The apology is sent when the store may be unreadable, so it cannot look
    # the number up; this keeps the copy honest.
    assert kb.fallback_contact.phone in phrases()["service_down"]


def test_all_phrase_placeholders_are_plain_names():
    import string

    for key, text in phrases().items():
        if isinstance(text, str):
            for _, name, _, _ in string.Formatter().parse(text):
                assert name is None or name.isidentifier(), (key, name)
