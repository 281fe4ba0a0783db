"""The callback form over the real REST channel: the request lands in the
answer store, and the phone number is nowhere in the stored conversation or
the servers' logs, whether the resident says yes, no or stop."""
import zlib
from pathlib import Path

import pytest

from tests.privacy.helpers import server_log, stored_rows, stored_user_texts
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration


def phone_for(sender: str, last: int = 0) -> str:
    """An 8-digit Danish number of this test's own, so tests sharing the stack do not mix."""
    return f"2{zlib.crc32(sender.encode()) % 10**6:06d}{last}"


def written(digits: str) -> list:
    """The ways the number can appear: as typed, as stored, as the assistant says it."""
    spaced = " ".join(digits[i:i + 2] for i in range(0, 8, 2))
    return [digits, spaced, f"+45 {spaced}", f"{digits[:4]} {digits[4:]}"]


def assert_forgotten(stack, sender: str, *numbers: str) -> None:
    rows = " ".join(stored_rows(stack, sender))
    logs = server_log(stack) + (Path(stack["logs"]) / "action-server.log").read_bytes().decode("utf-8", "replace")
    for number in numbers:
        for form in written(number):
            assert form not in rows, f"{form} is stored"
            assert form not in logs, f"{form} is in a log"


def requests_of(stack_store, first_name: str) -> list:
    return [r for r in stack_store.callbacks.list() if r.first_name == first_name]


def test_a_resident_asks_for_a_person_corrects_the_number_and_is_called_back(assistant, stack, stack_store):
    sender = new_sender_id("callback")
    wrong, right = phone_for(sender, 1), phone_for(sender, 2)
    spaced_wrong, spaced_right = written(wrong)[1], written(right)[1]

    messages = assistant.ask(sender, "jeg vil gerne tale med et menneske")
    reply = "\n".join(m.get("text", "") for m in messages)
    assert "56 67 67 67" in reply and "raadhus@koege.dk" in reply and "ringer dig op" in reply
    assert [b["title"] for m in messages for b in m.get("buttons", [])] == ["Ja, ring mig op", "Nej tak"]
    assert "Hvad er dit fornavn?" in assistant.text(sender, "/request_callback")
    assert "Tak, Bilal. Hvilket telefonnummer" in assistant.text(sender, "jeg hedder bilal")
    assert "Det ligner ikke et dansk telefonnummer" in assistant.text(sender, "123")
    assert "Hvad drejer det sig om?" in assistant.text(sender, f"+45 {spaced_wrong}")
    consent = assistant.text(sender, "hjælp til at søge job")
    assert spaced_wrong in consent and "Bilal" in consent and "hjælp til at søge job" in consent
    assert "Vi sletter det efter 30 dage" in consent
    assert "lad os rette nummeret" in assistant.text(sender, "nej, nummeret er forkert")
    assert spaced_right in assistant.text(sender, right)
    confirmation = assistant.text(sender, "ja")
    assert "Tak, Bilal" in confirmation and spaced_right in confirmation

    [request] = requests_of(stack_store, "Bilal")
    assert (request.phone, request.topic, request.channel, request.status) == (
        right, "hjælp til at søge job", "rest", "new")
    assert "jobplaneten.dk" in assistant.text(sender, "hvad er jobplaneten")  # the conversation goes on
    assert_forgotten(stack, sender, wrong, right)
    assert "[fjernet]" in " ".join(stored_user_texts(stack, sender))


def test_no_consent_stores_nothing_and_forgets_the_number(assistant, stack, stack_store):
    sender = new_sender_id("callback")
    phone = phone_for(sender)
    for message in ("bestil opkald", "Camilla", phone, "min husleje"):
        assistant.text(sender, message)
    assert "Ja, det er i orden" in [b["title"] for m in assistant.ask(sender, "hvad?") for b in m.get("buttons", [])]
    assert "Jeg har ikke gemt noget" in assistant.text(sender, "nej tak")
    assert requests_of(stack_store, "Camilla") == []
    assert_forgotten(stack, sender, phone)


def test_stop_in_the_middle_stores_nothing_and_forgets_the_number(assistant, stack, stack_store):
    sender = new_sender_id("callback")
    phone = phone_for(sender)
    for message in ("ring mig tilbage", "Dorthe", phone):
        assistant.text(sender, message)
    assert "Jeg har ikke gemt noget af det, du har skrevet" in assistant.text(sender, "stop")
    assert requests_of(stack_store, "Dorthe") == []
    assert_forgotten(stack, sender, phone)


def test_a_number_outside_the_form_is_still_removed_at_the_entrance(assistant, stack):
    sender = new_sender_id("callback")
    phone = phone_for(sender)
    assert "telefonnummer" in assistant.text(sender, f"ring til mig på {written(phone)[1]}")
    assert_forgotten(stack, sender, phone)
