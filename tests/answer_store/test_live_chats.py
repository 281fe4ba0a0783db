"""The live chat's queue in the answer store (SQLite and PostgreSQL): one take
wins, the queue keeps its order, a closed staff page hands the chat back, and
the audit log has counts, never text."""
import datetime
import threading

import pytest
import sqlalchemy as sa

from bot.answer_store import LiveChatNotFound, LiveChatTaken, audit, tables
from bot.answer_store.times import now


@pytest.fixture
def store(answer_store_on_both):
    return answer_store_on_both


def test_a_request_waits_in_the_queue_in_order(store):
    first = store.live_chats.request("web-1", "socketio", "da")
    second = store.live_chats.request("sms-2", "gatewayapi", "ar")
    assert (first.status, second.status) == ("waiting", "waiting")
    assert store.live_chats.position(first.id) == 1
    assert store.live_chats.position(second.id) == 2
    assert [c.id for c in store.live_chats.open_chats()] == [first.id, second.id]
    # Asking again does not queue the conversation twice.
    assert store.live_chats.request("sms-2", "gatewayapi", "ar").id == second.id
    store.live_chats.take(first.id, "mette")
    assert store.live_chats.position(second.id) == 1
    assert store.live_chats.position(first.id) is None


def test_one_staff_member_takes_a_chat_and_the_other_is_told_who(store):
    chat = store.live_chats.request("web-1", "socketio", "da")
    taken = store.live_chats.take(chat.id, "mette")
    assert (taken.status, taken.staff_name) == ("taken", "mette")
    assert store.live_chats.take(chat.id, "mette").staff_name == "mette"  # again: still hers
    with pytest.raises(LiveChatTaken, match="mette har allerede taget samtalen") as refused:
        store.live_chats.take(chat.id, "ali")
    assert refused.value.status == 409
    with pytest.raises(LiveChatNotFound):
        store.live_chats.take(9999, "ali")


def test_two_taking_at_the_same_moment_one_wins(store):
    chat = store.live_chats.request("web-1", "socketio", "da")
    outcomes, start = {}, threading.Barrier(2)

    def take(name):
        start.wait()
        try:
            outcomes[name] = store.live_chats.take(chat.id, name).staff_name
        except LiveChatTaken as refused:
            outcomes[name] = f"refused: {refused.staff_name}"

    threads = [threading.Thread(target=take, args=(name,)) for name in ("mette", "ali")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = store.live_chats.get(chat.id).staff_name
    loser = "ali" if winner == "mette" else "mette"
    assert outcomes == {winner: winner, loser: f"refused: {winner}"}
    taken_lines = [r for r in audit.recent(store.engine) if r.action == "live_taken"]
    assert [r.user_name for r in taken_lines] == [winner]


def test_only_the_holder_sends_and_ends_and_the_audit_counts_messages(store):
    chat = store.live_chats.request("web-1", "socketio", "da")
    store.live_chats.take(chat.id, "mette")
    store.live_chats.send(chat.id, "mette", "Hej, jeg hedder Mette.")
    store.live_chats.send(chat.id, "mette", "Hvad kan jeg hjælpe med?")
    with pytest.raises(LiveChatTaken):
        store.live_chats.send(chat.id, "ali", "Hej")
    with pytest.raises(LiveChatTaken):
        store.live_chats.end(chat.id, "ali")
    ended = store.live_chats.end(chat.id, "mette")
    assert (ended.status, ended.ended_by, ended.staff_messages) == ("ended", "staff", 2)
    assert store.live_chats.open_for("web-1") is None
    ended_line = next(r for r in audit.recent(store.engine) if r.action == "live_ended")
    assert ended_line.user_name == "mette" and "2 beskeder" in ended_line.details
    assert not any("Mette" in r.details for r in audit.recent(store.engine))  # counts, never text
    with pytest.raises(LiveChatTaken, match="Samtalen er slut"):
        store.live_chats.send(chat.id, "mette", "Hej igen")
    # A new request after the end is a new chat.
    assert store.live_chats.request("web-1", "socketio", "da").id != chat.id


def test_the_resident_gives_up(store):
    chat = store.live_chats.request("web-1", "socketio", "da")
    assert store.live_chats.give_up(store.live_chats.open_for("web-1")) is True
    gone = store.live_chats.get(chat.id)
    assert (gone.status, gone.ended_by) == ("ended", "resident")
    assert store.live_chats.give_up(gone) is False


def test_a_staff_page_not_seen_for_the_grace_period_hands_the_chat_back(store):
    earlier = store.live_chats.request("web-1", "socketio", "da")
    later = store.live_chats.request("web-2", "socketio", "da")
    store.live_chats.take(earlier.id, "mette")
    store.live_chats.take(later.id, "ali")
    table = tables.live_chats
    with store.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == earlier.id)
                           .values(staff_seen_at=now() - datetime.timedelta(seconds=90)))
    assert store.live_chats.release_unseen(grace_seconds=60) == [earlier.id]
    back = store.live_chats.get(earlier.id)
    assert (back.status, back.staff_name) == ("waiting", None)
    assert store.live_chats.position(earlier.id) == 1  # its place in the queue kept
    assert store.live_chats.get(later.id).staff_name == "ali"  # seen recently: kept
    store.live_chats.seen(later.id, "ali")
    assert store.live_chats.release_unseen(grace_seconds=60) == []


def test_ended_chats_are_deleted_after_the_retention_period(store):
    old = store.live_chats.request("web-1", "socketio", "da")
    store.live_chats.give_up(store.live_chats.open_for("web-1"))
    waiting = store.live_chats.request("web-2", "socketio", "da")
    forgotten = store.live_chats.request("web-3", "socketio", "da")
    table = tables.live_chats
    with store.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == old.id)
                           .values(requested_at=now() - datetime.timedelta(days=40)))
        connection.execute(sa.update(table).where(table.c.id == forgotten.id)
                           .values(requested_at=now() - datetime.timedelta(hours=25)))
    assert store.live_chats.delete_older_than(30) == 1
    with pytest.raises(LiveChatNotFound):
        store.live_chats.get(old.id)
    assert store.live_chats.get(waiting.id).status == "waiting"  # still open: kept
    # Open for more than a day (no server housekept it): ended, and deleted with the retention later.
    assert (store.live_chats.get(forgotten.id).status, store.live_chats.get(forgotten.id).ended_by) == (
        "ended", "stale")


def test_the_daily_retention_deletes_old_ended_chats(tmp_path):
    from bot.answer_store import AnswerStore
    from bot.config import AnswerStoreSettings
    from bot.privacy.retention import delete_old_live_chats
    from tests.conftest import KNOWLEDGE_DIR

    settings = AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR)
    assert delete_old_live_chats(settings, 30) == 0  # no store yet: nothing made
    assert not (tmp_path / "answers.db").exists()
    store = AnswerStore.open(settings)
    try:
        store.live_chats.request("web-1", "socketio", "da")
        store.live_chats.give_up(store.live_chats.open_for("web-1"))
        in_40_days = (now() + datetime.timedelta(days=40)).timestamp()
        assert delete_old_live_chats(settings, 30, now=in_40_days) == 1
    finally:
        store.close()


def _outbox(store):
    return [(o.chat.id, o.message.kind, o.message.text) for o in store.live_chats.outbox()]


def test_the_transcript_and_what_waits_for_the_resident(store):
    chat = store.live_chats.request("web-1", "socketio", "en")
    store.live_chats.take(chat.id, "mette", shown_name="  Mette  ")
    assert store.live_chats.get(chat.id).shown_name == "Mette"
    store.live_chats.resident_wrote(chat.id, "I need help with [telefonnummer fjernet]")
    sent = store.live_chats.send(chat.id, "mette", "Hello, how can I help?")
    store.live_chats.typing(chat.id, "mette")
    store.live_chats.typing(chat.id, "mette")  # one typing signal waits at a time
    assert [(m.kind, m.text) for m in store.live_chats.messages(chat.id)] == [
        ("notice", "taken"), ("resident", "I need help with [telefonnummer fjernet]"),
        ("staff", "Hello, how can I help?")]
    assert [m.text for m in store.live_chats.messages(chat.id, after=sent.id - 1)] == ["Hello, how can I help?"]
    # A CPR number never reaches the database; the staff member's own phone number does.
    careful = store.live_chats.send(chat.id, "mette", "Dit CPR 010190-1234 skal du ikke skrive. Ring 23 45 67 89.")
    assert careful.text == "Dit CPR [fjernet] skal du ikke skrive. Ring 23 45 67 89."
    with store.engine.begin() as connection:
        connection.execute(sa.delete(tables.live_messages).where(tables.live_messages.c.id == careful.id))
    # The resident's own message is not sent back to them; the rest waits, oldest first.
    assert _outbox(store) == [(chat.id, "notice", "taken"), (chat.id, "staff", "Hello, how can I help?"),
                              (chat.id, "typing", "")]
    outgoing = store.live_chats.outbox()
    assert outgoing[0].chat.language == "en" and outgoing[0].chat.shown_name == "Mette"
    assert store.live_chats.claim(outgoing[0].message.id) is True
    assert store.live_chats.claim(outgoing[0].message.id) is False  # another server was first
    assert [kind for _, kind, _ in _outbox(store)] == ["staff", "typing"]


def test_messages_wait_for_the_resident_while_the_chat_is_open_and_not_long_after(store):
    chat = store.live_chats.request("web-1", "socketio", "da")
    store.live_chats.take(chat.id, "mette")
    old = {"created_at": now() - datetime.timedelta(hours=1)}
    with store.engine.begin() as connection:
        connection.execute(sa.update(tables.live_messages).values(**old))
    assert [kind for _, kind, _ in _outbox(store)] == ["notice"]  # the resident's socket may come back
    store.live_chats.end(chat.id, "mette")
    assert [text for _, _, text in _outbox(store)] == ["taken", "ended"]
    with store.engine.begin() as connection:
        connection.execute(sa.update(tables.live_chats).values(ended_at=now() - datetime.timedelta(minutes=11)))
    assert _outbox(store) == []
    # One server asks only for what it can deliver: its connected residents and its SMS channels.
    other = store.live_chats.request("sms-1", "gatewayapi", "da")
    store.live_chats.take(other.id, "ali")
    assert _outbox(store) == [(other.id, "notice", "taken")]
    assert store.live_chats.outbox(["web-9"], []) == []
    assert len(store.live_chats.outbox(["web-9"], ["gatewayapi"])) == 1


def test_ending_releasing_and_waiting_too_long_tell_the_resident(store):
    ended = store.live_chats.request("web-1", "socketio", "da")
    store.live_chats.take(ended.id, "mette")
    store.live_chats.end(ended.id, "mette")
    released = store.live_chats.request("web-2", "socketio", "da")
    store.live_chats.take(released.id, "ali")
    waiting = store.live_chats.request("web-3", "socketio", "da")
    table = tables.live_chats
    with store.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == released.id)
                           .values(staff_seen_at=now() - datetime.timedelta(seconds=90)))
        connection.execute(sa.update(table).where(table.c.id == waiting.id)
                           .values(requested_at=now() - datetime.timedelta(minutes=20),
                                   waiting_since=now() - datetime.timedelta(minutes=20)))
    assert store.live_chats.release_unseen(grace_seconds=60) == [released.id]
    assert store.live_chats.expire_waiting(wait_seconds=600) == [waiting.id]
    assert store.live_chats.expire_waiting(wait_seconds=600) == []  # once
    # The released chat waits again (requested recently), so it is not expired.
    assert store.live_chats.get(released.id).status == "waiting"
    assert store.live_chats.get(waiting.id).ended_by == "waited_too_long"
    notices = [(chat_id, text) for chat_id, kind, text in _outbox(store) if kind == "notice"]
    assert notices == [(ended.id, "taken"), (ended.id, "ended"), (released.id, "taken"),
                       (released.id, "released"), (waiting.id, "waited_too_long")]


def test_an_sms_number_is_kept_only_while_the_chat_is_open(store):
    assert store.live_chats.set_sms_address("sms-1", "+4512345678", "Koege") is False  # no chat
    chat = store.live_chats.request("sms-1", "gatewayapi", "da")
    assert store.live_chats.set_sms_address("sms-1", "+4512345678", "Koege") is True
    assert store.live_chats.get(chat.id).sms_number == "+4512345678"
    assert "+4512345678" not in repr(store.live_chats.get(chat.id))
    store.live_chats.give_up(store.live_chats.open_for("sms-1"))  # no notice to send: forgotten at once
    gone = store.live_chats.get(chat.id)
    assert (gone.sms_number, gone.sms_from) == (None, None)
    # Ended by staff: kept until the notice went out, or its time to go out passed.
    chat = store.live_chats.request("sms-1", "gatewayapi", "da")
    store.live_chats.set_sms_address("sms-1", "+4512345678", "Koege")
    store.live_chats.take(chat.id, "mette")
    store.live_chats.end(chat.id, "mette")
    assert store.live_chats.get(chat.id).sms_number == "+4512345678"
    store.live_chats.forget_sms_numbers()
    assert store.live_chats.get(chat.id).sms_number == "+4512345678"  # recently ended
    with store.engine.begin() as connection:
        connection.execute(sa.update(tables.live_chats).values(ended_at=now() - datetime.timedelta(minutes=11)))
    store.live_chats.forget_sms_numbers()
    assert store.live_chats.get(chat.id).sms_number is None


def test_retention_deletes_a_chat_with_its_messages(store):
    chat = store.live_chats.request("web-1", "socketio", "da")
    store.live_chats.take(chat.id, "mette")
    store.live_chats.resident_wrote(chat.id, "hej")
    store.live_chats.end(chat.id, "mette")
    with store.engine.begin() as connection:
        connection.execute(sa.update(tables.live_chats).values(requested_at=now() - datetime.timedelta(days=40)))
    assert store.live_chats.delete_older_than(30) == 1
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(tables.live_messages)).scalar_one() == 0
