"""A staff member's change in the answer store reaches residents at once:
the real action server and Rasa server, no retraining, no restart."""
import pytest

from tests.senders import new_sender_id

pytestmark = pytest.mark.integration


def test_an_edited_answer_is_given_to_the_next_question(assistant, stack_store):
    job = stack_store.entries.get("jobplaneten")
    new_text = "Jobplaneten har fået nye tilbud til unge i Ellemarken."
    saved = stack_store.entries.update("jobplaneten", {**job.data, "summary": new_text}, job.version, "test")
    try:
        assert new_text in assistant.text(new_sender_id("edit"), "hvad er jobplaneten")
    finally:
        stack_store.entries.restore("jobplaneten", job.version, saved.version, "test")
    assert job.data["summary"].split(".")[0] in assistant.text(new_sender_id("edit"), "hvad er jobplaneten")


def test_a_new_initiative_is_found_by_its_name_without_retraining(assistant, stack_store):
    created = stack_store.entries.create({
        "id": "lektiecafe_test", "kind": "initiative", "name": "Lektiecaféen",
        "aliases": ["lektiecafe", "lektie cafe"],
        "summary": "Lektiecaféen hjælper skolebørn med lektierne (testpost).", "source": "Test",
    }, "test")
    try:
        assert "hjælper skolebørn med lektierne" in assistant.text(new_sender_id("new"), "hvad er lektiecaféen")
    finally:
        stack_store.entries.retire(created.id, created.version, "test")
    assert "testpost" not in assistant.text(new_sender_id("new"), "hvad er lektiecaféen")
