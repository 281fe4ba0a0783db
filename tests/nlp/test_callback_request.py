import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.callback_request import CallbackRequest, asks_to_be_called


@pytest.mark.parametrize("text", [
    "kan nogen ringe mig op?", "ring mig op", "jeg vil gerne ringes op", "kan I ringe til mig",
    "ring mig tilbage venligst, det er om min søn", "jeg vil tale med et menneske, ring mig",
    "kan i kontakte mig paa telefon i stedet", "gider i lige give mig et kald ang jobplaneten",
    "kan nogen telefon mig", "can someone call me back", "kan i ringe mig", "kan en medarbejder ringe mig op",
    "jeg vil gerne blive kontaktet pr telefon", "vil hellere tale med en medarbejder i telefonen",
    "orker ikke at skrive, bare ring",
])
def test_asking_to_be_called(text):
    assert asks_to_be_called(text)


@pytest.mark.parametrize("text", [
    "hvem kan jeg ringe til", "hvornår kan man ringe til rikke", "skal jeg ringe til min mor",
    "ring til politiet", "har i et nummer jeg kan ringe til", "kan jeg ringe til jer i morgen",
    "hvad er jeres telefonnummer", "", "bare ring til politiet", "min søn snakker hele dagen i telefonen",
])
def test_not_asking_to_be_called(text):
    assert not asks_to_be_called(text)


def test_the_request_becomes_the_intent():
    message = Message(data={"text": "kan nogen ringe mig op", "intent": {"name": "human_handoff", "confidence": 0.7},
                            "intent_ranking": [{"name": "human_handoff", "confidence": 0.7}]})
    other = Message(data={"text": "hvad er jobplaneten", "intent": {"name": "ask_initiative", "confidence": 0.9}})
    CallbackRequest().process([message, other])
    assert message.get("intent")["name"] == "request_callback"
    assert [r["name"] for r in message.get("intent_ranking")] == ["request_callback", "human_handoff"]
    assert other.get("intent")["name"] == "ask_initiative"
