"""Numbers of the answer data stay in residents' messages; they come from the
answer store, so a number staff add is public from the next check on."""
from bot.knowledge import load_directory
from bot.privacy.redaction import redact
from bot.rasa_server.public_contacts import RECHECK_SECONDS, PublicContacts, details_of
from tests.conftest import KNOWLEDGE_DIR

NEW_CONTACT = {"id": "ny_radgiver", "kind": "contact", "name": "Ny rådgiver", "title": "Rådgiver",
               "summary": "Ny rådgiver i helhedsplanen.", "phone": "23 45 67 89", "source": "Test"}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_number_staff_add_is_public_after_the_next_check(answer_store):
    clock = Clock()
    contacts = PublicContacts(lambda: answer_store.entries, clock)
    assert "56 67 67 67" in contacts.current()
    answer_store.entries.create(NEW_CONTACT, "anna")
    new = answer_store.entries.get("ny_radgiver").entry.phone
    assert new not in contacts.current()  # checked moments ago
    clock.now += RECHECK_SECONDS
    assert new in contacts.current()
    text = redact(f"jeg har ringet til {NEW_CONTACT['phone']} og til 22 33 44 55", public=contacts.current()).text
    assert NEW_CONTACT["phone"] in text and "22 33 44 55" not in text


def test_an_unreadable_store_falls_back_to_the_seed_data():
    def broken():
        raise OSError("no database")

    assert PublicContacts(broken).current() == details_of(load_directory(KNOWLEDGE_DIR))
