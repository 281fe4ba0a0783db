"""The action server's responses are checked as strictly as Rasa checks them,
with one validator built once instead of one per action call."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_server import action_guard, action_response_check

RESPONSES = {
    "a reply and a slot": {"events": [{"event": "slot", "name": "subject", "value": "jobplaneten"}],
                           "responses": [{"text": "Hej", "buttons": [{"title": "Ja", "payload": "/affirm"}]}]},
    "nothing": {"events": [], "responses": []},
    "a form": {"events": [{"event": "active_loop", "name": "callback_form"},
                          {"event": "slot", "name": "requested_slot", "value": "first_name"}], "responses": []},
    "an unknown event": {"events": [{"event": "no_such_event"}], "responses": []},
    "events not a list": {"events": {"event": "slot"}, "responses": []},
    "a response that is not an object": {"events": [], "responses": ["Hej"]},
    "a slot without a name": {"events": [{"event": "slot", "value": 1}], "responses": []},
}


def outcome(check, response):
    try:
        return check(RemoteAction("action_answer", None), response)
    except ValidationError as error:
        return "refused: " + error.message


@pytest.mark.parametrize("name", RESPONSES)
def test_same_verdict_and_message_as_rasa(name):
    ours = outcome(action_response_check.validate_action_result, RESPONSES[name])

    assert ours == outcome(action_response_check._original_validate, RESPONSES[name])


def test_malformed_responses_are_refused_with_rasas_hint():
    verdict = outcome(action_response_check.validate_action_result, RESPONSES["an unknown event"])

    assert verdict.startswith("refused: ") and "Failed to validate Action server response" in verdict


def test_installed_with_the_action_guard():
    original_run = RemoteAction.run
    try:
        action_guard.install()
        assert RemoteAction._validate_action_result is action_response_check.validate_action_result
    finally:
        RemoteAction.run = original_run
        RemoteAction._validate_action_result = action_response_check._original_validate
