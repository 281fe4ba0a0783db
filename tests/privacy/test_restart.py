"""A restart of the Rasa server loses no conversation: the follow-up still works."""
import pytest

from bot.services import wait_until_healthy
from tests.privacy.helpers import conversation_db

pytestmark = pytest.mark.integration


def test_a_conversation_continues_after_the_rasa_server_restarts(stack, assistant, sender):
    assert "jobplaneten.dk" in assistant.text(sender, "hvad er jobplaneten")
    rasa = next(service for service in stack["services"] if service.name == "Rasa server")

    rasa.stop()
    assert not rasa.healthy()
    assert conversation_db(stack).is_file()
    with open(stack["logs"] / "Rasa-server.log", "ab") as log:
        rasa.start(log=log)
    wait_until_healthy([rasa], timeout=300)

    # "de" can only mean Jobplaneten if the conversation came back from the store.
    assert "jobplaneten.dk" in assistant.text(sender, "har de en hjemmeside?")
