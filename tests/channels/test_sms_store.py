"""What the SMS channels remember: seen ids, last options, the outbox."""
import pytest

from bot.channels.sms_store import OPTIONS_TTL_SECONDS, SEEN_TTL_SECONDS, SmsStore


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    return SmsStore(tmp_path / "sms.db", clock=clock)


def test_a_message_id_is_new_once_per_channel(store):
    assert store.first_time("gatewayapi", "1")
    assert not store.first_time("gatewayapi", "1")
    assert store.first_time("twilio", "1")


def test_seen_ids_survive_a_restart(tmp_path, clock):
    SmsStore(tmp_path / "sms.db", clock=clock).first_time("gatewayapi", "7")
    assert not SmsStore(tmp_path / "sms.db", clock=clock).first_time("gatewayapi", "7")


def test_seen_ids_are_forgotten_after_their_ttl(store, clock):
    store.first_time("gatewayapi", "1")
    clock.now += SEEN_TTL_SECONDS + 1
    assert store.first_time("gatewayapi", "1")


def test_the_last_options_are_remembered_per_sender_until_they_expire(store, clock):
    store.remember_options("a", ["Job"], ["/ask_job_help"])
    store.remember_options("a", ["Familie", "Job"], ["/ask_family_support", "/ask_job_help"])
    assert store.last_options("a") == (["Familie", "Job"], ["/ask_family_support", "/ask_job_help"])
    assert store.last_options("b") is None
    clock.now += OPTIONS_TTL_SECONDS + 1
    assert store.last_options("a") is None


def test_the_outbox_hands_out_due_items_until_delivered(store, clock):
    item_id = store.keep_for_retry("gatewayapi", "4512345678", "4560575797", "Hej", "HTTP 503", retry_in=10)
    assert store.due("gatewayapi") == []
    clock.now += 10
    [item] = store.due("gatewayapi")
    assert (item.id, item.recipient, item.sender, item.message, item.attempts) == (
        item_id, "4512345678", "4560575797", "Hej", 1,
    )
    assert store.due("twilio") == []
    store.failed_again(item_id, "HTTP 503", retry_in=20)
    clock.now += 19
    assert store.due("gatewayapi") == []
    clock.now += 1
    assert store.due("gatewayapi")[0].attempts == 2
    store.delivered(item_id)
    assert store.pending() == 0


def test_an_item_given_up_is_kept_but_not_retried(store, clock):
    item_id = store.keep_for_retry("gatewayapi", "4512345678", None, "Hej", "HTTP 503", retry_in=0)
    store.give_up(item_id, "HTTP 503")
    assert store.due("gatewayapi") == [] and store.pending() == 0
    assert store._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 1


def test_an_item_given_up_no_longer_holds_the_number(store):
    kept = store.keep_for_retry("gatewayapi", "4512345678", None, "Hej", "HTTP 503", retry_in=0)
    blanked = store.keep_for_retry("gatewayapi", "4587654321", None, "Hej", "HTTP 503", retry_in=0)
    store.give_up(kept, "HTTP 503", recipient_key="a1b2c3")
    store.give_up(blanked, "HTTP 503")
    rows = dict(store._db.execute("SELECT id, recipient FROM outbox").fetchall())
    assert rows == {kept: "a1b2c3", blanked: ""}


def test_only_given_up_items_older_than_the_cutoff_are_deleted(store, clock):
    old = store.keep_for_retry("gatewayapi", "4512345678", None, "Hej", "HTTP 503", retry_in=0)
    store.give_up(old, "HTTP 503")
    waiting = store.keep_for_retry("gatewayapi", "4523456789", None, "Hej", "HTTP 503", retry_in=0)
    clock.now += 100
    new = store.keep_for_retry("gatewayapi", "4534567890", None, "Hej", "HTTP 503", retry_in=0)
    store.give_up(new, "HTTP 503")
    assert store.delete_given_up(older_than=clock.now - 50) == 1
    ids = {row[0] for row in store._db.execute("SELECT id FROM outbox")}
    assert ids == {waiting, new}
