"""Retention deletes old conversations and keeps new ones, session by session."""
import asyncio
import json
import sqlite3
import subprocess
import sys
import time

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.sms_store import SmsStore
from bot.config import PROJECT_ROOT, PrivacySettings
from bot.privacy.retention import DailyRetention, delete_old_conversations, delete_old_sms_replies, run_once

DAY = 24 * 3600
NOW = time.time()


def session(started_days_ago: float, text: str) -> list:
    t = NOW - started_days_ago * DAY
    return [
        ActionExecuted("action_session_start", timestamp=t),
        SessionStarted(timestamp=t),
        ActionExecuted("action_listen", timestamp=t),
        UserUttered(text, timestamp=t + 1),
        BotUttered("svar", timestamp=t + 2),
        ActionExecuted("action_listen", timestamp=t + 3),
    ]


def store_conversations(path, conversations: dict) -> str:
    url = f"sqlite:///{path}"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    for sender, events in conversations.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    store.engine.dispose()
    return url


def texts(path) -> dict:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id").fetchall()
    found = {}
    for sender, data in rows:
        found.setdefault(sender, []).append(json.loads(data)["text"])
    return found


def test_old_conversations_go_new_ones_stay(tmp_path):
    db = tmp_path / "conversations.db"
    url = store_conversations(db, {
        "old": session(45, "gammel"),
        "new": session(2, "ny"),
        "both": session(40, "gammel session") + session(1, "ny session"),
    })
    deleted = delete_old_conversations(url, days=30)
    assert texts(db) == {"new": ["ny"], "both": ["ny session"]}
    assert deleted == {"events": 12, "conversations": 1}


def test_a_session_that_is_still_recent_is_kept_whole(tmp_path):
    db = tmp_path / "conversations.db"
    events = session(31, "startede for længe siden")
    events += [UserUttered("men fortsatte i går", timestamp=NOW - DAY), ActionExecuted("action_listen", timestamp=NOW - DAY)]
    url = store_conversations(db, {"long": events})
    delete_old_conversations(url, days=30)
    assert texts(db) == {"long": ["startede for længe siden", "men fortsatte i går"]}


def test_the_period_is_configurable(tmp_path):
    db = tmp_path / "conversations.db"
    url = store_conversations(db, {"a": session(10, "ti dage"), "b": session(3, "tre dage")})
    delete_old_conversations(url, days=7)
    assert texts(db) == {"b": ["tre dage"]}


def test_nothing_stored_yet_creates_nothing(tmp_path):
    assert run_once(PrivacySettings(data_dir=tmp_path)) == {"events": 0, "conversations": 0}
    assert not (tmp_path / "conversations.db").exists()


def test_daily_schedule_runs_at_start_then_once_a_day(tmp_path):
    clock = [0.0]
    reports = []
    schedule = DailyRetention(PrivacySettings(data_dir=tmp_path), clock=lambda: clock[0], report=reports.append)
    schedule.run_if_due()
    clock[0] += 3600
    schedule.run_if_due()
    clock[0] += 24 * 3600
    schedule.run_if_due()
    assert len(reports) == 2


def store_sms_replies(directory, replies: dict) -> dict:
    """Outbox rows written ``days_ago`` days ago, given up on or still waiting;
    returns their ids by name."""
    ids = {}
    for name, (days_ago, given_up) in replies.items():
        store = SmsStore(directory / "gatewayapi.db", clock=lambda: NOW - days_ago * DAY)
        ids[name] = store.keep_for_retry("gatewayapi", "4512345678", None, "Hej", "HTTP 503", retry_in=0)
        if given_up:
            store.give_up(ids[name], "HTTP 503")
        store.close()
    return ids


def outbox_ids(directory) -> set:
    with sqlite3.connect(directory / "gatewayapi.db") as db:
        return {row[0] for row in db.execute("SELECT id FROM outbox")}


def test_sms_replies_given_up_on_are_deleted_after_the_period(tmp_path):
    ids = store_sms_replies(tmp_path, {"old": (45, True), "recent": (2, True), "waiting": (45, False)})
    assert delete_old_sms_replies(tmp_path, 30) == 1
    assert outbox_ids(tmp_path) == {ids["recent"], ids["waiting"]}


def test_no_sms_store_yet_creates_nothing(tmp_path):
    assert delete_old_sms_replies(tmp_path / "sms", 30) == 0
    assert not (tmp_path / "sms").exists()


def test_the_daily_schedule_deletes_old_sms_replies_too(tmp_path):
    ids = store_sms_replies(tmp_path, {"old": (45, True), "recent": (2, True)})
    DailyRetention(PrivacySettings(data_dir=tmp_path), report=lambda _: None, sms_data_dir=tmp_path).run_if_due()
    assert outbox_ids(tmp_path) == {ids["recent"]}


def test_the_command(tmp_path):
    db = tmp_path / "conversations.db"
    store_conversations(db, {"old": session(45, "gammel"), "new": session(2, "ny")})
    sms = tmp_path / "sms"
    sms.mkdir()
    ids = store_sms_replies(sms, {"old": (45, True), "recent": (2, True)})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "retention", "--days", "30"], cwd=PROJECT_ROOT,
        env={"DATA_DIR": str(tmp_path), "SMS_DATA_DIR": str(sms), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "1 samtaler" in result.stdout and "1 SMS-svar" in result.stdout
    assert texts(db) == {"new": ["ny"]}
    assert outbox_ids(sms) == {ids["recent"]}
