"""Every action speaks the conversation's language."""
import inspect

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.answers  # noqa: F401 - the modules define the actions
import actions.callback  # noqa: F401
import actions.fallback  # noqa: F401
from actions.language import in_conversation_language
from bot.language.current import reply_language


def _all_actions():
    found, pending = [], list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("actions.") and not inspect.isabstract(cls):
            found.append(cls)
    return found


@pytest.mark.parametrize("action", _all_actions(), ids=lambda cls: cls.__name__)
def test_every_action_runs_in_the_conversations_language(action):
    assert getattr(action.run, "in_conversation_language", False), f"{action.__name__}.run lacks @in_conversation_language"


async def test_the_language_is_the_slots_for_the_call_only():
    seen = []

    class Probe:
        @in_conversation_language
        async def run(self, dispatcher, tracker, domain):
            seen.append(reply_language())
            return []

    tracker = Tracker("s", {"language": "en"}, {}, [], False, None, {}, "")
    await Probe().run(CollectingDispatcher(), tracker, {})
    await Probe().run(CollectingDispatcher(), Tracker("s", {}, {}, [], False, None, {}, ""), {})
    assert seen == ["en", "da"] and reply_language() == "da"
