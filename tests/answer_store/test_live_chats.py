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
    store.live_chats.staff_message_sent(chat.id, "mette")
    store.live_chats.staff_message_sent(chat.id, "mette")
    with pytest.raises(LiveChatTaken):
        store.live_chats.staff_message_sent(chat.id, "ali")
    with pytest.raises(LiveChatTaken):
        store.live_chats.end(chat.id, "ali")
    ended = store.live_chats.end(chat.id, "mette")
    assert (ended.status, ended.ended_by, ended.staff_messages) == ("ended", "staff", 2)
    assert store.live_chats.open_for("web-1") is None
    ended_line = next(r for r in audit.recent(store.engine) if r.action == "live_ended")
    assert ended_line.user_name == "mette" and "2 beskeder" in ended_line.details
    with pytest.raises(LiveChatTaken, match="Samtalen er slut"):
        store.live_chats.staff_message_sent(chat.id, "mette")
    # A new request after the end is a new chat.
    assert store.live_chats.request("web-1", "socketio", "da").id != chat.id


def test_the_resident_gives_up(store):
    chat = store.live_chats.request("web-1", "socketio", "da")
    gone = store.live_chats.give_up("web-1")
    assert (gone.id, gone.status, gone.ended_by) == (chat.id, "ended", "resident")
    assert store.live_chats.give_up("web-1") is None


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
    store.live_chats.give_up("web-1")
    waiting = store.live_chats.request("web-2", "socketio", "da")
    table = tables.live_chats
    with store.engine.begin() as connection:
        connection.execute(sa.update(table).values(requested_at=now() - datetime.timedelta(days=40)))
    assert store.live_chats.delete_older_than(30) == 1
    with pytest.raises(LiveChatNotFound):
        store.live_chats.get(old.id)
    assert store.live_chats.get(waiting.id).status == "waiting"  # still open: kept


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
        store.live_chats.give_up("web-1")
        in_40_days = (now() + datetime.timedelta(days=40)).timestamp()
        assert delete_old_live_chats(settings, 30, now=in_40_days) == 1
    finally:
        store.close()
