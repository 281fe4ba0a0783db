"""``python -m bot backup`` and ``restore``: a backup taken while staff and
residents write brings back the same answers, history, accounts, callback
requests and conversations; it holds nothing retention would delete; old
backups go; a running assistant, a damaged file and PostgreSQL are refused."""
import asyncio
import datetime
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.__main__ import main as bot_command
from bot import backup
from bot.answer_store import AnswerStore, tables
from bot.answer_store.database import MIGRATIONS, is_up_to_date
from bot.config import PROJECT_ROOT, AnswerStoreSettings, forget_settings
from bot.services import free_port
from tests.conftest import KNOWLEDGE_DIR

DAY = 24 * 3600
EDITED = "Jobplaneten hjælper dig med job og uddannelse. Teksten er rettet af Anna."
PASSWORDS = {"anna": "anna-har-en-lang-kode", "bo": "bo-har-ogsaa-en-lang-kode"}


# --- an installation in a folder --------------------------------------------------

def use_data_dir(monkeypatch, data_dir: Path) -> None:
    """The settings a command started now would read: this data folder, SQLite, no server ports in use."""
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))
    monkeypatch.setenv("RETENTION_DAYS", "30")
    for name in ("DATABASE_URL", "TRACKER_DATABASE_URL", "PRIVACY_KEY", "ACTION_SERVER_URL", "RASA_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in ("RASA_PORT", "ACTION_PORT", "WEB_PORT"):
        monkeypatch.setenv(name, str(free_port()))
    forget_settings()


def answer_store(data_dir: Path) -> AnswerStore:
    return AnswerStore.open(AnswerStoreSettings(data_dir=data_dir, seed_dir=KNOWLEDGE_DIR))


def conversation_store(data_dir: Path) -> SQLTrackerStore:
    path = data_dir / "conversations.db"
    with sqlite3.connect(path) as database:
        database.execute("PRAGMA journal_mode=WAL")  # as the conversation store runs it (persists in the file)
    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))


def session(sender: str, days_ago: float, text: str) -> DialogueStateTracker:
    t = time.time() - days_ago * DAY
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t),
        ActionExecuted("action_listen", timestamp=t), UserUttered(text, timestamp=t + 1),
        BotUttered("Her er svaret.", timestamp=t + 2), ActionExecuted("action_listen", timestamp=t + 3),
    ])


EVENTS_PER_SESSION = 6


def save(conversations: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    asyncio.run(conversations.save(tracker))


def events(data_dir: Path) -> dict:
    """sender -> [(type, data)] as stored, in order."""
    found: dict = {}
    with sqlite3.connect(data_dir / "conversations.db") as database:
        for sender, kind, data in database.execute("SELECT sender_id, type_name, data FROM events ORDER BY id"):
            found.setdefault(sender, []).append((kind, data))
    return found


def edit(store: AnswerStore, entry_id: str, summary: str, user: str) -> None:
    current = store.entries.get(entry_id)
    store.entries.update(entry_id, {**current.data, "summary": summary}, current.version, user)


def set_up(data_dir: Path) -> None:
    """What staff and residents did before the backup."""
    store = answer_store(data_dir)
    edit(store, "jobplaneten", EDITED, "anna")
    store.staff.add("anna", PASSWORDS["anna"], is_admin=True)
    store.staff.add("bo", PASSWORDS["bo"])
    store.callbacks.add("Mette", "22334455", "Hjælp til jobsøgning", "web")
    store.close()
    conversations = conversation_store(data_dir)
    save(conversations, session("beboer-1", 2, "hvad er jobplaneten?"))
    save(conversations, session("beboer-2", 1, "hvornår har lektiecafeen åbent?"))
    conversations.engine.dispose()
    (data_dir / "privacy.key").write_text("en-noegle-til-pseudonymerne")


def run(*argv: str) -> int:
    """As an operator types it: ``python -m bot backup|restore ...``."""
    return bot_command(list(argv))


def the_backup(directory: Path) -> Path:
    (found,) = backup.backups_in(directory)
    return found


@pytest.fixture
def installation(tmp_path, monkeypatch) -> Path:
    data_dir = tmp_path / "var"
    use_data_dir(monkeypatch, data_dir)
    set_up(data_dir)
    return data_dir


@pytest.fixture
def a_backup(installation, tmp_path) -> Path:
    assert run("backup", str(tmp_path / "backups")) == 0
    return the_backup(tmp_path / "backups")


# --- under load -------------------------------------------------------------------

class Traffic(threading.Thread):
    """A staff member editing an entry, residents asking to be called back and
    talking to the assistant, as fast as it goes, until stopped."""

    def __init__(self, data_dir: Path):
        super().__init__(daemon=True)
        self.store = answer_store(data_dir)
        self.conversations = conversation_store(data_dir)
        self.rounds = 0
        self.stopping = threading.Event()
        self.error = None

    def run(self):
        try:
            while not self.stopping.is_set():
                self.rounds += 1
                edit(self.store, "mentorindsats", f"Mentorindsatsen, udgave {self.rounds}.", "bo")
                self.store.callbacks.add(f"Beboer {self.rounds}", "22334455", "Ring mig op", "sms")
                save(self.conversations, session(f"trafik-{self.rounds}", 0, f"spørgsmål nummer {self.rounds}"))
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def stop(self):
        self.stopping.set()
        self.join(60)
        self.store.close()
        self.conversations.engine.dispose()
        assert self.error is None, self.error


def test_a_backup_taken_under_load_restores_the_same_answers_history_accounts_and_conversations(
        installation, tmp_path, monkeypatch, capsys):
    before = answer_store(installation)
    history_before = before.entries.history("jobplaneten")
    accounts_before = before.staff.list()
    conversations_before = events(installation)
    traffic = Traffic(installation)
    traffic.start()
    try:
        while traffic.rounds < 3:
            time.sleep(0.05)
        rounds_at_start = traffic.rounds
        # Another process, as the daily timer runs it beside the servers.
        result = subprocess.run([sys.executable, "-m", "bot.backup", "backup", str(tmp_path / "backups")],
                                cwd=PROJECT_ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)
        rounds_during = traffic.rounds - rounds_at_start
    finally:
        traffic.stop()
    assert result.returncode == 0, result.stderr
    assert "Backup skrevet" in result.stdout
    assert rounds_during >= 1, "nothing was written while the backup ran"
    callbacks_at_source = {request.id: request for request in before.callbacks.list()}
    before.close()

    fresh = tmp_path / "fresh" / "var"
    use_data_dir(monkeypatch, fresh)
    assert run("restore", str(the_backup(tmp_path / "backups")), "--yes") == 0
    assert "er gendannet" in capsys.readouterr().out

    restored = answer_store(fresh)
    assert restored.entries.get("jobplaneten").data["summary"] == EDITED
    assert restored.knowledge_store().current().get("jobplaneten").summary == EDITED  # what residents are told
    assert restored.entries.history("jobplaneten") == history_before
    assert restored.staff.list() == accounts_before
    assert restored.staff.verify("anna", PASSWORDS["anna"]).is_admin
    assert not restored.staff.verify("bo", PASSWORDS["bo"]).is_admin

    # One moment of the answer store: the entry is its newest version, callback requests have no gaps,
    # and the load's edits and callback requests (one of each per round, in that order) agree.
    mentor = restored.entries.get("mentorindsats")
    assert mentor.version == restored.entries.history("mentorindsats")[0].version
    last_round = int(re.search(r"udgave (\d+)", mentor.data["summary"]).group(1))
    callbacks = {request.id: request for request in restored.callbacks.list()}
    assert sorted(callbacks) == list(range(1, len(callbacks) + 1))
    assert len(callbacks) - 1 in (last_round - 1, last_round)
    assert len(callbacks) >= 1 + rounds_at_start
    assert all(callbacks[number] == callbacks_at_source[number] for number in callbacks)

    # Conversations: those from before as they were, each one from the load whole or not at all.
    restored_conversations = events(fresh)
    for sender, stored in conversations_before.items():
        assert restored_conversations[sender] == stored
    during = [sender for sender in restored_conversations if sender.startswith("trafik-")]
    assert len(during) >= rounds_at_start
    assert all(len(restored_conversations[sender]) == EVENTS_PER_SESSION for sender in during)
    assert (fresh / "privacy.key").read_text() == "en-noegle-til-pseudonymerne"
    restored.close()


def test_backups_and_restored_files_are_readable_by_their_owner_only(a_backup, tmp_path, monkeypatch):
    assert a_backup.stat().st_mode & 0o777 == 0o600
    with tarfile.open(a_backup) as archive:
        assert {member.name: member.mode for member in archive} == {
            "manifest.json": 0o600, "answers.db": 0o600, "conversations.db": 0o600, "privacy.key": 0o600}
    fresh = tmp_path / "fresh"
    use_data_dir(monkeypatch, fresh)
    assert run("restore", str(a_backup), "--yes") == 0
    for name in ("answers.db", "conversations.db", "privacy.key"):
        assert (fresh / name).stat().st_mode & 0o777 == 0o600, name


def test_the_manifest_says_what_is_in_the_backup(a_backup):
    with tarfile.open(a_backup) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["answer_store_revision"] == ScriptDirectory(str(MIGRATIONS)).get_current_head()
    answers = manifest["files"]["answers.db"]
    assert answers["contents"]["staff_users"] == 2 and answers["contents"]["callback_requests"] == 1
    assert manifest["files"]["conversations.db"]["contents"] == {"conversations": 2, "events": 2 * EVENTS_PER_SESSION}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())


# --- retention ----------------------------------------------------------------------

def test_the_backup_holds_nothing_retention_would_delete(installation, tmp_path):
    conversations = conversation_store(installation)
    save(conversations, session("gammel-beboer", 45, "en gammel hemmelighed om mig"))
    conversations.engine.dispose()
    store = answer_store(installation)
    old = store.callbacks.add("Gamle-Grethe", "99887766", "Et gammelt ønske", "web")
    with store.engine.begin() as connection:
        connection.execute(sa.update(tables.callback_requests).where(tables.callback_requests.c.id == old)
                           .values(created_at=datetime.datetime.now(datetime.timezone.utc)
                                   - datetime.timedelta(days=45)))
    store.close()

    assert run("backup", str(tmp_path / "backups")) == 0
    copy = tmp_path / "copy"
    copy.mkdir()
    with tarfile.open(the_backup(tmp_path / "backups")) as archive:
        for name in ("answers.db", "conversations.db"):
            (copy / name).write_bytes(archive.extractfile(name).read())

    assert set(events(copy)) == {"beboer-1", "beboer-2"}
    assert b"gammel hemmelighed" not in (copy / "conversations.db").read_bytes()  # not in free pages either
    assert b"Gamle-Grethe" not in (copy / "answers.db").read_bytes()
    with sqlite3.connect(copy / "answers.db") as database:
        assert [name for (name,) in database.execute("SELECT first_name FROM callback_requests")] == ["Mette"]
    # Only the copy: the live stores are retention's job, at its own time.
    assert "gammel-beboer" in events(installation)


def fake_backup(directory: Path, days_ago: float) -> Path:
    moment = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days_ago)
    path = directory / f"{backup.PREFIX}{moment.strftime(backup.STAMP)}{backup.SUFFIX}"
    path.write_bytes(b"an older backup")
    return path


@pytest.mark.parametrize("keep, retention_days, kept_ages", [
    (3, 30, [1, 2]),            # the new one and the two newest of the old
    (14, 30, [1, 2, 3, 10]),    # all that are younger than the retention period
    (14, 5, [1, 2, 3]),         # a shorter retention period deletes sooner
], ids=["keep-3", "keep-14", "retention-5-days"])
def test_old_backups_are_deleted(installation, tmp_path, monkeypatch, keep, retention_days, kept_ages):
    directory = tmp_path / "backups"
    directory.mkdir()
    old = {days: fake_backup(directory, days) for days in (1, 2, 3, 10, 40)}
    not_ours = [directory / "notes.txt", directory / "koege-answers-20260101T000000Z.dump"]
    for path in not_ours:
        path.write_text("someone else's")
    monkeypatch.setenv("RETENTION_DAYS", str(retention_days))
    forget_settings()

    assert run("backup", str(directory), "--keep", str(keep)) == 0
    newest, *others = backup.backups_in(directory)
    assert newest.read_bytes() != b"an older backup"
    assert others == [old[days] for days in kept_ages]
    assert all(path.exists() for path in not_ours)


# --- restoring ----------------------------------------------------------------------

def test_restore_moves_the_current_files_aside_with_their_journal(a_backup, tmp_path, monkeypatch, capsys):
    current = tmp_path / "current"
    use_data_dir(monkeypatch, current)
    answer_store(current).close()
    # A server killed mid-write leaves committed data in the -wal file only.
    crash = ("import os, sqlite3, sys\n"
             "db = sqlite3.connect(sys.argv[1]); db.execute('PRAGMA wal_autocheckpoint=0')\n"
             "db.execute('CREATE TABLE crash_marker (note TEXT)')\n"
             "db.execute(\"INSERT INTO crash_marker VALUES ('only in the journal')\"); db.commit(); os._exit(0)\n")
    subprocess.run([sys.executable, "-c", crash, str(current / "answers.db")], check=True)
    assert (current / "answers.db-wal").exists()

    assert run("restore", str(a_backup), "--yes") == 0
    out = capsys.readouterr().out
    (aside,) = current.glob("answers.db.before-restore-*[0-9]Z")
    assert str(aside) in out
    with sqlite3.connect(aside) as database:
        assert database.execute("SELECT note FROM crash_marker").fetchone() == ("only in the journal",)
    assert not (current / "answers.db-wal").exists()  # the old journal went with the old file
    restored = answer_store(current)
    assert restored.entries.get("jobplaneten").data["summary"] == EDITED
    with restored.engine.connect() as connection:
        assert not sa.inspect(connection).has_table("crash_marker")
    restored.close()


def schema_at(data_dir: Path, revision: str) -> None:
    """An answer store as an older version of the assistant left it."""
    data_dir.mkdir(parents=True)
    engine = sa.create_engine(f"sqlite:///{data_dir / 'answers.db'}", future=True)
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_an_older_backup_is_brought_to_the_current_schema(tmp_path, monkeypatch, capsys):
    old = tmp_path / "old"
    use_data_dir(monkeypatch, old)
    schema_at(old, "0002")
    assert run("backup", str(tmp_path / "backups")) == 0
    fresh = tmp_path / "fresh"
    use_data_dir(monkeypatch, fresh)
    capsys.readouterr()
    assert run("restore", str(the_backup(tmp_path / "backups")), "--yes") == 0
    assert "fra skemaversion 0002" in capsys.readouterr().out
    store = answer_store(fresh)
    assert is_up_to_date(store.engine)
    store.close()


def test_check_verifies_a_backup_and_changes_nothing(a_backup, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    use_data_dir(monkeypatch, elsewhere)
    assert run("restore", str(a_backup), "--check") == 0
    assert "Backuppen er i orden" in capsys.readouterr().out
    assert not elsewhere.exists()


def test_restore_asks_before_it_replaces_anything(a_backup, tmp_path, monkeypatch, capsys):
    use_data_dir(monkeypatch, tmp_path / "fresh")
    assert run("restore", str(a_backup)) == 1  # no terminal to ask in, no --yes
    assert "tilføj --yes" in capsys.readouterr().err
    assert not (tmp_path / "fresh").exists()


@pytest.fixture
def listening_port():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_restore_is_refused_while_a_server_listens(a_backup, tmp_path, monkeypatch, capsys, listening_port):
    fresh = tmp_path / "fresh"
    use_data_dir(monkeypatch, fresh)
    monkeypatch.setenv("RASA_PORT", str(listening_port))
    forget_settings()
    assert run("restore", str(a_backup), "--yes") == 1
    err = capsys.readouterr().err
    assert "Assistenten ser ud til at køre" in err and f"port {listening_port} (Rasa-serveren, RASA_PORT)" in err
    assert "Intet er gendannet" in err
    assert not (fresh / "answers.db").exists()


@pytest.mark.parametrize("settings, ports", [
    ({}, {5005, 8000, 5055}),
    ({"RASA_PORT": "6005", "WEB_PORT": "9000", "ACTION_PORT": "6055"}, {6005, 9000, 6055}),
    ({"ACTION_SERVER_URL": "http://actions.internal/webhook"}, {5005, 8000}),  # not on this machine
    ({"ACTION_SERVER_URL": "http://127.0.0.1:7055/webhook"}, {5005, 8000, 7055}),
], ids=["defaults", "ports", "action-server-elsewhere", "action-server-here"])
def test_the_ports_looked_at_are_the_assistants(settings, ports):
    from bot.web.config import WebConfig

    assert {port for port, _ in backup.server_ports(WebConfig.from_env(settings))} == ports


def test_restore_is_refused_while_another_process_has_a_store_open(a_backup, installation, monkeypatch, capsys):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "db = sqlite3.connect(sys.argv[1]); db.execute('SELECT COUNT(*) FROM entries').fetchone()\n"
         "print('open', flush=True); time.sleep(60)", str(installation / "answers.db")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert run("restore", str(a_backup), "--yes") == 1
        err = capsys.readouterr().err
        assert f"proces {holder.pid} har {installation / 'answers.db'} åben" in err
    finally:
        holder.kill()
        holder.wait()
    assert not list(installation.glob("*.before-restore-*"))


# --- damaged files ------------------------------------------------------------------

def truncated(good: Path, target: Path) -> None:
    target.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def not_a_backup(good: Path, target: Path) -> None:
    target.write_bytes(os.urandom(4096))


def changed_after_writing(good: Path, target: Path) -> None:
    """The same manifest, but answers.db is not what it was (still a sound SQLite file)."""
    work = target.parent / "unpacked"
    work.mkdir()
    with tarfile.open(good) as archive:
        archive.extractall(work)
    with sqlite3.connect(work / "answers.db") as database:
        database.execute("UPDATE staff_users SET is_admin = 1")
    with tarfile.open(target, "w:gz") as archive:
        for name in ("manifest.json", "answers.db", "conversations.db", "privacy.key"):
            archive.add(work / name, arcname=name)


def with_a_foreign_file(good: Path, target: Path) -> None:
    with tarfile.open(good) as original, tarfile.open(target, "w:gz") as archive:
        for member in original:
            archive.addfile(member, original.extractfile(member))
        extra = tarfile.TarInfo("../../etc/cron.d/evil")
        archive.addfile(extra)


@pytest.mark.parametrize("damage, message", [
    (truncated, "kan ikke bruges"),
    (not_a_backup, "kan ikke bruges"),
    (changed_after_writing, "Kontrolsummen for answers.db"),
    (with_a_foreign_file, "som ikke hører til en backup"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_a_damaged_backup_is_refused_in_danish(a_backup, tmp_path, monkeypatch, capsys, damage, message):
    damaged = tmp_path / "damaged" / a_backup.name
    damaged.parent.mkdir()
    damage(a_backup, damaged)
    fresh = tmp_path / "fresh"
    use_data_dir(monkeypatch, fresh)
    capsys.readouterr()
    assert run("restore", str(damaged), "--yes") == 1
    err = capsys.readouterr().err
    assert message in err and "Brug en anden backup" in err
    assert not fresh.exists()
    assert run("restore", str(damaged), "--check") == 1


def test_a_missing_backup_file_is_named(tmp_path, monkeypatch, capsys):
    use_data_dir(monkeypatch, tmp_path / "var")
    assert run("restore", str(tmp_path / "ingen.tar.gz"), "--yes") == 1
    assert f"Backupfilen {tmp_path / 'ingen.tar.gz'} findes ikke." in capsys.readouterr().err


# --- PostgreSQL -----------------------------------------------------------------------

POSTGRESQL = {"DATABASE_URL": "postgresql://assistant:hemmelig@db.koege.example:5432/answers",
              "TRACKER_DATABASE_URL": "postgresql://assistant:hemmelig@db.koege.example:5432/conversations"}


def test_postgresql_is_backed_up_with_pg_dump(tmp_path, monkeypatch, capsys):
    use_data_dir(monkeypatch, tmp_path / "var")
    for name, url in POSTGRESQL.items():
        monkeypatch.setenv(name, url)
    forget_settings()
    assert run("backup", str(tmp_path / "backups")) == 2
    err = capsys.readouterr().err
    assert "PostgreSQL tages der backup af med pg_dump" in err
    assert 'pg_dump --format=custom' in err and '"$DATABASE_URL"' in err and '"$TRACKER_DATABASE_URL"' in err
    assert "pg_restore --clean" in err
    assert "hemmelig" not in err
    assert not (tmp_path / "backups").exists()


def test_a_backup_is_not_restored_into_postgresql(a_backup, tmp_path, monkeypatch, capsys):
    use_data_dir(monkeypatch, tmp_path / "fresh")
    monkeypatch.setenv("DATABASE_URL", POSTGRESQL["DATABASE_URL"])
    forget_settings()
    assert run("restore", str(a_backup), "--yes") == 2
    err = capsys.readouterr().err
    assert "pg_restore" in err and "Intet er gendannet" in err


def printed_commands(text: str, first: str) -> list:
    """The indented command lines of the block that starts after the line beginning with ``first``."""
    lines = text.splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith(first)) + 1
    found = []
    for line in lines[start:]:
        if not line.startswith("  "):
            if found:
                break
            continue
        found.append(line.strip())
    return found


def test_the_printed_pg_dump_and_pg_restore_commands_bring_postgresql_back(postgres, tmp_path, monkeypatch, capsys):
    use_data_dir(monkeypatch, tmp_path / "var")
    urls = {"DATABASE_URL": postgres.new_database(), "TRACKER_DATABASE_URL": postgres.new_database()}
    for name, url in urls.items():
        monkeypatch.setenv(name, url)
    forget_settings()
    store = AnswerStore.open(AnswerStoreSettings(database_url=urls["DATABASE_URL"], seed_dir=KNOWLEDGE_DIR))
    edit(store, "jobplaneten", EDITED, "anna")
    store.close()
    url = sa.engine.make_url(urls["TRACKER_DATABASE_URL"])
    conversations = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=url.host, port=url.port,
                                    db=url.database, username=url.username)
    save(conversations, session("beboer-1", 2, "hvad er jobplaneten?"))
    save(conversations, session("gammel-beboer", 45, "en gammel hemmelighed"))
    conversations.engine.dispose()

    directory = tmp_path / "dumps"
    assert run("backup", str(directory)) == 2
    text = capsys.readouterr().err
    shell = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    backing_up = printed_commands(text, "PostgreSQL tages der backup af med pg_dump")
    assert backing_up[0].startswith("python -m bot retention") and any("pg_dump" in line for line in backing_up)
    subprocess.run(["bash", "-euc", "\n".join(backing_up)], cwd=PROJECT_ROOT, env=shell, check=True,
                   capture_output=True, timeout=120)
    dumps = {path.name.split("-")[1]: path for path in directory.glob("koege-*.dump")}
    assert set(dumps) == {"answers", "conversations"}
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in dumps.values())

    fresh = {"DATABASE_URL": postgres.new_database(), "TRACKER_DATABASE_URL": postgres.new_database()}
    restoring = [line.replace(f"{directory}/koege-answers-TID.dump", str(dumps["answers"]))
                 .replace(f"{directory}/koege-conversations-TID.dump", str(dumps["conversations"]))
                 for line in printed_commands(text, "Gendan, med assistentens servere stoppet")]
    subprocess.run(["bash", "-euc", "\n".join(restoring)], env=dict(shell, **fresh), check=True,
                   capture_output=True, timeout=120)
    restored = AnswerStore.open(AnswerStoreSettings(database_url=fresh["DATABASE_URL"], seed_dir=KNOWLEDGE_DIR))
    assert restored.entries.get("jobplaneten").data["summary"] == EDITED
    restored.close()
    engine = sa.create_engine(fresh["TRACKER_DATABASE_URL"], future=True)
    with engine.connect() as connection:
        senders = set(connection.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars())
    engine.dispose()
    assert senders == {"beboer-1"}  # retention ran before the dump
