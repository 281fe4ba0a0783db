"""The answer store on a real SQLite file and a real PostgreSQL server:
seeding, versions, conflicts, history, retiring, import, staff accounts, and
what the action server sees."""
import datetime

import pytest
import sqlalchemy as sa

from actions import store as action_store
from actions.answers import ActionAnswer
from bot.answer_store import AnswerStore, EditConflict, NotFound, StaffError, StoreUnavailable, audit, tables
from bot.answer_store.database import is_up_to_date
from bot.answer_store.exchange import export_yaml, import_yaml
from bot.answer_store.times import danish_time
from bot.config import AnswerStoreSettings
from bot.knowledge import KnowledgeError
from tests.conftest import KNOWLEDGE_DIR
from tests.actions.test_actions import run, tracker


@pytest.fixture
def answer_store(answer_store_on_both):
    return answer_store_on_both


def edited(stored, **changes) -> dict:
    return {**stored.data, **changes}


def test_first_start_seeds_every_entry_once(answer_store, kb):
    assert {e.id for e in answer_store.entries.all()} == set(kb.entries)
    assert is_up_to_date(answer_store.engine)
    again = AnswerStore.open(answer_store.settings)  # a restart does not seed twice
    assert again.entries.revision() == answer_store.entries.revision()
    assert {v.action for v in again.entries.history("jobplaneten")} == {"seeded"}
    again.close()


def test_after_seeding_the_store_is_the_truth_not_the_yaml(tmp_path):
    settings = AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR)
    store = AnswerStore.open(settings)
    job = store.entries.get("jobplaneten")
    store.entries.update("jobplaneten", edited(job, summary="Ny tekst."), job.version, "anna")
    store.close()
    assert AnswerStore.open(settings).entries.get("jobplaneten").data["summary"] == "Ny tekst."


def test_on_sqlite_every_question_reuses_a_connection_with_foreign_keys_on(tmp_path):
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR))
    opened = []
    sa.event.listen(store.engine, "connect", lambda *args: opened.append(1))
    knowledge = store.knowledge_store()
    for _ in range(20):  # the action server checks the revision at every question
        assert knowledge.current().get("jobplaneten")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert len(opened) <= 1
    store.close()


def test_a_save_is_seen_by_the_action_server_at_once(answer_store):
    knowledge = answer_store.knowledge_store()
    assert "Ny tekst" not in knowledge.current().get("jobplaneten").summary
    job = answer_store.entries.get("jobplaneten")
    answer_store.entries.update("jobplaneten", edited(job, summary="Ny tekst om Jobplaneten."), job.version, "anna")
    assert knowledge.current().get("jobplaneten").summary == "Ny tekst om Jobplaneten."


def test_an_unchanged_store_is_not_reloaded(answer_store):
    knowledge = answer_store.knowledge_store()
    assert knowledge.current() is knowledge.current()


def test_the_second_save_from_an_old_version_is_refused_and_the_first_kept(answer_store):
    job = answer_store.entries.get("jobplaneten")
    answer_store.entries.update("jobplaneten", edited(job, summary="Annas tekst."), job.version, "anna")
    with pytest.raises(EditConflict) as conflict:
        answer_store.entries.update("jobplaneten", edited(job, summary="Bos tekst."), job.version, "bo")
    assert "ændret af anna" in str(conflict.value)
    assert answer_store.entries.get("jobplaneten").data["summary"] == "Annas tekst."


def test_invalid_data_is_refused_with_danish_problems_and_nothing_changes(answer_store):
    job = answer_store.entries.get("jobplaneten")
    revision = answer_store.entries.revision()
    with pytest.raises(KnowledgeError) as error:
        answer_store.entries.update("jobplaneten", edited(job, url="http://usikker.dk", summary=""), job.version, "a")
    fields = {problem.field for problem in error.value.problems}
    assert fields == {"url", "summary"} and "https://" in str(error.value)
    assert answer_store.entries.get("jobplaneten") == job
    assert answer_store.entries.revision() == revision


def test_a_contact_others_refer_to_cannot_be_retired(answer_store):
    contact = next(s for s in answer_store.entries.all() if s.kind == "contact" and s.data.get("fallback_contact"))
    with pytest.raises(KnowledgeError):
        answer_store.entries.retire(contact.id, contact.version, "anna")
    assert not answer_store.entries.get(contact.id).retired


def test_retire_then_restore_through_the_history(answer_store):
    faq = next(s for s in answer_store.entries.all() if s.kind == "faq")
    knowledge = answer_store.knowledge_store()
    retired = answer_store.entries.retire(faq.id, faq.version, "anna")
    assert retired.retired and knowledge.current().get(faq.id) is None
    history = answer_store.entries.history(faq.id)
    assert [(v.version, v.action, v.changed_by) for v in history] == [(2, "retired", "anna"), (1, "seeded", "system")]
    with pytest.raises(KnowledgeError, match="allerede fjernet"):
        answer_store.entries.retire(faq.id, retired.version, "anna")
    restored = answer_store.entries.restore(faq.id, 1, retired.version, "bo")
    assert restored.version == 3 and not restored.retired
    assert knowledge.current().get(faq.id).summary == faq.data["summary"]


def test_an_entry_that_does_not_exist(answer_store):
    with pytest.raises(NotFound, match="findes ikke"):
        answer_store.entries.get("findes_ikke")


def test_create_needs_a_free_id(answer_store):
    job = answer_store.entries.get("jobplaneten")
    with pytest.raises(KnowledgeError, match="bruges allerede"):
        answer_store.entries.create(job.data, "anna")
    new = answer_store.entries.create(
        {"id": "lektiecafe", "kind": "faq", "name": "Lektiecafé", "summary": "Test.", "source": "Test"}, "anna")
    assert new.version == 1 and answer_store.knowledge_store().current().get("lektiecafe").name == "Lektiecafé"


def test_export_and_import_round_trip_changes_nothing(answer_store):
    before = answer_store.entries.revision()
    counts = import_yaml(answer_store.entries, export_yaml(answer_store.entries).encode("utf-8"), "anna")
    assert counts == {"created": 0, "changed": 0, "unchanged": len(answer_store.entries.all())}
    assert answer_store.entries.history("jobplaneten")[0].action == "seeded"
    assert answer_store.entries.revision() == before + 1


@pytest.mark.parametrize("content", [
    b"entries: [\n",  # not YAML
    b"\xff\xfe\x00binary",
    b"entries:\n  - id: jobplaneten\n    kind: initiative\n    name: J\n    summary: S\n    source: s\n    phone: 12\n",
    b"entries:\n  - id: ny_post\n    kind: faq\n    name: N\n    summary: S\n    source: s\n    contact: findes_ikke\n",
    b"just text",
])
def test_a_bad_import_changes_nothing(answer_store, content):
    before = answer_store.entries.all()
    with pytest.raises(KnowledgeError):
        import_yaml(answer_store.entries, content, "anna")
    assert answer_store.entries.all() == before


def test_every_change_is_in_the_audit_log(answer_store):
    job = answer_store.entries.get("jobplaneten")
    answer_store.entries.update("jobplaneten", edited(job, summary="Ny."), job.version, "anna")
    answer_store.staff.add("bo", "bo-har-en-lang-kode", by="anna")
    recent = audit.recent(answer_store.engine, 2)
    assert [(r.user_name, r.action) for r in recent] == [("anna", "user_added"), ("anna", "entry_edited")]


def test_passwords_are_hashed_and_checked(answer_store):
    answer_store.staff.add("anna", "anna-har-en-lang-kode", is_admin=True)
    with answer_store.engine.connect() as connection:
        stored = connection.execute(sa.select(tables.staff_users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2") and "anna-har" not in stored
    assert answer_store.staff.verify("anna", "anna-har-en-lang-kode").is_admin
    assert answer_store.staff.verify("anna", "forkert-kode-123") is None
    assert answer_store.staff.verify("ukendt", "anna-har-en-lang-kode") is None


@pytest.mark.parametrize("name, password, message", [
    ("anna", "kort", "mindst 10 tegn"),
    ("a", "en-lang-nok-kode", "Brugernavnet"),
    ("<b>x</b>", "en-lang-nok-kode", "Brugernavnet"),
])
def test_bad_accounts_are_refused_in_danish(answer_store, name, password, message):
    with pytest.raises(StaffError, match=message):
        answer_store.staff.add(name, password)


def test_disabling_an_account_ends_its_sessions(answer_store):
    user = answer_store.staff.add("bo", "bo-har-en-lang-kode")
    token = answer_store.staff.start_session(user)
    assert answer_store.staff.session(token).user.name == "bo"
    answer_store.staff.set_active("bo", False)
    assert answer_store.staff.session(token) is None
    assert answer_store.staff.verify("bo", "bo-har-en-lang-kode") is None


def test_sessions_expire_and_only_their_hash_is_stored(answer_store):
    user = answer_store.staff.add("bo", "bo-har-en-lang-kode")
    token = answer_store.staff.start_session(user)
    with answer_store.engine.begin() as connection:
        assert connection.execute(sa.select(tables.staff_sessions.c.token_hash)).scalar_one() != token
        connection.execute(sa.update(tables.staff_sessions).values(
            expires_at=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)))
    assert answer_store.staff.session(token) is None


async def test_an_unreachable_store_makes_the_assistant_say_so_with_the_phone(answer_store):
    knowledge = answer_store.knowledge_store()
    knowledge.current()
    with answer_store.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE revision"))  # as good as a database that is gone
    with pytest.raises(StoreUnavailable):
        knowledge.current()
    action_store.set_store(knowledge)
    try:
        messages, _ = await run(ActionAnswer(), tracker("hvad er jobplaneten", "ask_initiative"))
    finally:
        action_store.set_store(None)
    assert "56 67 67 67" in messages[0]["text"]


def test_an_import_does_not_overwrite_what_was_changed_after_its_export(answer_store):
    exported = export_yaml(answer_store.entries)
    job = answer_store.entries.get("jobplaneten")
    answer_store.entries.update("jobplaneten", edited(job, summary="Nyere tekst."), job.version, "bo")
    with pytest.raises(KnowledgeError, match="efter filen blev hentet"):
        import_yaml(answer_store.entries, exported.replace("Jobplaneten er", "JOBPLANETEN er").encode(), "anna")
    assert answer_store.entries.get("jobplaneten").data["summary"] == "Nyere tekst."


def test_kind_and_question_type_cannot_be_changed(answer_store):
    plan = next(s for s in answer_store.entries.all() if s.data.get("intent"))
    without_intent = {key: value for key, value in plan.data.items() if key != "intent"}
    with pytest.raises(KnowledgeError, match="Spørgsmålstypen"):
        answer_store.entries.update(plan.id, without_intent, plan.version, "anna")
    with pytest.raises(KnowledgeError, match="Typen kan ikke"):
        answer_store.entries.update(plan.id, edited(plan, kind="faq"), plan.version, "anna")


@pytest.mark.parametrize("moment, shown", [
    (datetime.datetime(2025, 1, 15, 12, 0, tzinfo=datetime.timezone.utc), "15.01.2025 kl. 13:00"),  # winter: +1
    (datetime.datetime(2025, 7, 15, 12, 0, tzinfo=datetime.timezone.utc), "15.07.2025 kl. 14:00"),  # summer: +2
    (datetime.datetime(2025, 7, 15, 12, 0), "15.07.2025 kl. 14:00"),  # naive from SQLite = UTC
])
def test_staff_read_times_in_koege(moment, shown):
    assert danish_time(moment) == shown
