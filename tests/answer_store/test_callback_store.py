"""Callback requests in the answer store (SQLite and PostgreSQL), and their
retention: old requests are deleted, and nothing else."""
import datetime
import subprocess
import sys

import pytest
import sqlalchemy as sa

from bot.answer_store import AnswerStore, CallbackNotFound, audit, tables
from bot.answer_store.times import now
from bot.config import PROJECT_ROOT, AnswerStoreSettings, PrivacySettings
from bot.privacy.retention import DailyRetention, delete_old_callback_requests
from tests.conftest import KNOWLEDGE_DIR

DAY = datetime.timedelta(days=1)


@pytest.fixture
def answer_store(answer_store_on_both):
    return answer_store_on_both


def made_days_ago(store: AnswerStore, request_id: int, days: float) -> None:
    table = tables.callback_requests
    with store.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == request_id)
                           .values(created_at=now() - datetime.timedelta(days=days)))


def test_a_request_is_kept_as_new(answer_store):
    request_id = answer_store.callbacks.add("Mette", "22334455", "hjælp til job", "socketio")
    stored = answer_store.callbacks.get(request_id)
    assert (stored.first_name, stored.phone, stored.topic, stored.channel) == (
        "Mette", "22334455", "hjælp til job", "socketio")
    assert stored.status == "new" and stored.handled_by is None
    assert stored.created_at.tzinfo is not None and abs(stored.created_at - now()) < datetime.timedelta(minutes=1)


def test_too_long_values_are_cut_to_what_the_table_holds(answer_store):
    request_id = answer_store.callbacks.add("M" * 200, "22334455", "emne " * 100, "rest")
    stored = answer_store.callbacks.get(request_id)
    assert len(stored.first_name) == 80 and len(stored.topic) == 300


def test_the_list_is_newest_first_and_can_be_filtered(answer_store):
    callbacks = answer_store.callbacks
    first = callbacks.add("Ali", "22334455", "bolig", "rest")
    second = callbacks.add("Bo", "33445566", "job", "rest")
    made_days_ago(answer_store, first, 2)
    assert [r.id for r in callbacks.list()] == [second, first]
    callbacks.set_status(first, "taken", "anna")
    assert [r.id for r in callbacks.list("taken")] == [first]
    assert [r.id for r in callbacks.list("new")] == [second]
    assert callbacks.list("done") == []
    with pytest.raises(ValueError):
        callbacks.list("afsluttet")


def test_status_goes_new_taken_done_and_back_with_who_and_an_audit_record(answer_store):
    callbacks = answer_store.callbacks
    request_id = callbacks.add("Mette", "22334455", "job", "rest")
    taken = callbacks.set_status(request_id, "taken", "anna")
    assert (taken.status, taken.handled_by) == ("taken", "anna")
    assert taken.updated_at >= taken.created_at
    done = callbacks.set_status(request_id, "done", "bo")
    assert (done.status, done.handled_by) == ("done", "bo")
    reopened = callbacks.set_status(request_id, "new", "anna")
    assert (reopened.status, reopened.handled_by) == ("new", None)
    records = audit.recent(answer_store.engine, limit=3)
    assert [(r.user_name, r.action) for r in records] == [
        ("anna", "callback_reopened"), ("bo", "callback_done"), ("anna", "callback_taken")]
    # The audit log is kept longer than the request: it names neither the resident nor the number.
    assert all("Mette" not in r.details and "22334455" not in r.details for r in records)


def test_an_unknown_request_or_status_is_refused_and_nothing_changes(answer_store):
    request_id = answer_store.callbacks.add("Mette", "22334455", "job", "rest")
    with pytest.raises(CallbackNotFound):
        answer_store.callbacks.set_status(request_id + 1, "taken", "anna")
    with pytest.raises(CallbackNotFound):
        answer_store.callbacks.get(request_id + 1)
    with pytest.raises(ValueError):
        answer_store.callbacks.set_status(request_id, "slettet", "anna")
    assert answer_store.callbacks.get(request_id).status == "new"
    assert audit.recent(answer_store.engine, limit=1)[0].action != "callback_taken"


# --- retention ----------------------------------------------------------------------------


def everything_else(store: AnswerStore) -> dict:
    """What retention must leave alone: every other table of the answer store."""
    with store.engine.connect() as connection:
        return {table.name: sorted(map(tuple, connection.execute(sa.select(table)).all()), key=repr)
                for table in tables.metadata.sorted_tables if table.name != "callback_requests"}


def test_retention_deletes_old_callback_requests_and_nothing_else(answer_store):
    callbacks = answer_store.callbacks
    ids = {name: callbacks.add(name, "22334455", "job", "rest") for name in ("old", "older", "recent", "today")}
    made_days_ago(answer_store, ids["old"], 31)
    made_days_ago(answer_store, ids["older"], 90)
    made_days_ago(answer_store, ids["recent"], 29)
    callbacks.set_status(ids["old"], "taken", "anna")
    answer_store.staff.add("anna", "anna-har-en-lang-kode")
    with answer_store.engine.begin() as connection:
        connection.execute(sa.insert(tables.inbox_handled).values(
            question_hash="a" * 64, handled_at=now() - 90 * DAY, handled_by="anna"))
    before = everything_else(answer_store)

    assert delete_old_callback_requests(answer_store.settings, days=30) == 2
    assert {r.first_name for r in callbacks.list()} == {"recent", "today"}
    assert everything_else(answer_store) == before


def test_the_period_is_configurable(answer_store):
    callbacks = answer_store.callbacks
    ten, three = callbacks.add("ti", "22334455", "job", "rest"), callbacks.add("tre", "22334455", "job", "rest")
    made_days_ago(answer_store, ten, 10)
    made_days_ago(answer_store, three, 3)
    assert delete_old_callback_requests(answer_store.settings, days=7) == 1
    assert [r.id for r in callbacks.list()] == [three]


def test_no_answer_store_yet_creates_nothing(tmp_path):
    settings = AnswerStoreSettings(data_dir=tmp_path)
    assert delete_old_callback_requests(settings, days=30) == 0
    assert not (tmp_path / "answers.db").exists()


def test_the_daily_schedule_deletes_old_callback_requests(tmp_path):
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR))
    old, new = (store.callbacks.add(name, "22334455", "job", "rest") for name in ("old", "new"))
    made_days_ago(store, old, 45)
    reports = []
    DailyRetention(PrivacySettings(data_dir=tmp_path), report=reports.append).run_if_due()
    assert [r.id for r in store.callbacks.list()] == [new]
    assert "1 callback requests" in reports[0]
    store.close()


def test_the_command_deletes_old_callback_requests(tmp_path):
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR))
    old, new = (store.callbacks.add(name, "22334455", "job", "rest") for name in ("old", "new"))
    made_days_ago(store, old, 45)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "retention"], cwd=PROJECT_ROOT,
        env={"DATA_DIR": str(tmp_path), "SMS_DATA_DIR": str(tmp_path / "sms"), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "1 ønsker om at blive ringet op" in result.stdout
    assert [r.id for r in store.callbacks.list()] == [new]
    store.close()
