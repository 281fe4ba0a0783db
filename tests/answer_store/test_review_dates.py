"""Owners and review dates of the answer data: seeding, what moves the date, "Stadig rigtigt",
restore, import and export, the list of what is due, the dashboard's figures, and the
migration that gives an older store's entries an owner and a review date."""
import datetime
import shutil

import pytest
import sqlalchemy as sa
import yaml
from alembic import command
from alembic.config import Config

from bot.answer_store import AnswerStore, EditConflict, NotFound, ReviewPeriods, audit, tables
from bot.answer_store.database import MIGRATIONS, is_up_to_date
from bot.answer_store.exchange import export_yaml, import_yaml
from bot.answer_store.review_dates import DUE, OVERDUE, SEED_OWNER, add_months
from bot.answer_store.times import danish_today
from bot.config import AnswerStoreSettings
from bot.knowledge import KnowledgeError
from tests.conftest import KNOWLEDGE_DIR

TODAY = danish_today()
DAY = datetime.timedelta(days=1)
LEKTIECAFE = {"id": "lektiecafe", "kind": "faq", "name": "Lektiecafé", "summary": "Hjælp til lektier hver tirsdag.",
              "source": "Opslag"}


@pytest.fixture
def answer_store(answer_store_on_both):
    return answer_store_on_both


def in_months(months: int, day: datetime.date = TODAY) -> str:
    return add_months(day, months).isoformat()


def edited(stored, **changes) -> dict:
    return {**stored.data, **changes}


# --- the dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("day, months, expected", [
    ("2025-08-31", 6, "2026-02-28"),
    ("2023-08-31", 6, "2024-02-29"),
    ("2025-01-15", 12, "2026-01-15"),
    ("2025-11-30", 3, "2026-02-28"),
    ("2025-12-07", 1, "2026-01-07"),
    ("2025-03-31", 1, "2025-04-30"),
])
def test_months_are_added_as_on_a_calendar(day, months, expected):
    assert add_months(datetime.date.fromisoformat(day), months).isoformat() == expected


def test_periods_per_kind_and_an_unknown_kind_is_refused():
    periods = ReviewPeriods(6, (("contact", 3),))
    assert periods.months_for("contact") == 3 and periods.months_for("faq") == 6
    with pytest.raises(ValueError, match="kontakt"):
        ReviewPeriods(6, (("kontakt", 3),))


# --- seeding -------------------------------------------------------------------------------------


def test_the_seed_data_is_owned_by_the_secretariat_and_due_today(answer_store):
    for stored in answer_store.entries.all():
        assert (stored.data["owner"], stored.data["review_due"]) == (SEED_OWNER, TODAY.isoformat()), stored.id
    counts = answer_store.review_dates.counts()
    assert counts[DUE] + counts[OVERDUE] == len(answer_store.entries.all())


def test_a_seed_file_may_name_owner_and_review_date(tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(KNOWLEDGE_DIR, seed)
    data = yaml.safe_load((seed / "contacts.yml").read_text(encoding="utf-8"))
    data["entries"][0].update(owner="anna", review_due=datetime.date(2030, 1, 31))
    (seed / "contacts.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path, seed_dir=seed))
    try:
        first = store.entries.get(data["entries"][0]["id"])
        assert (first.data["owner"], first.data["review_due"]) == ("anna", "2030-01-31")
        assert store.entries.get("koege_kommune").data["owner"] == SEED_OWNER
    finally:
        store.close()


# --- what moves the review date ---------------------------------------------------------------


def test_a_new_entry_is_owned_by_whoever_made_it_and_due_in_six_months(answer_store):
    new = answer_store.entries.create(LEKTIECAFE, "bo")
    assert (new.data["owner"], new.data["review_due"]) == ("bo", in_months(6))
    given = answer_store.entries.create({**LEKTIECAFE, "id": "lektiecafe_2", "owner": "Familieteamet",
                                         "review_due": "2027-01-01"}, "bo")
    assert (given.data["owner"], given.data["review_due"]) == ("Familieteamet", "2027-01-01")


def test_a_changed_text_is_a_check_an_owner_alone_is_not(answer_store):
    job = answer_store.entries.get("jobplaneten")
    owner_only = answer_store.entries.update("jobplaneten", edited(job, owner="anna"), job.version, "bo")
    assert (owner_only.data["owner"], owner_only.data["review_due"]) == ("anna", TODAY.isoformat())
    text = answer_store.entries.update("jobplaneten", {k: v for k, v in owner_only.data.items()
                                                       if k not in ("owner", "review_due")} | {"summary": "Ny tekst."},
                                       owner_only.version, "bo")
    # Left out of the data: the owner stays, the date moves on with the changed text.
    assert (text.data["owner"], text.data["review_due"]) == ("anna", in_months(6))


def test_a_date_set_by_hand_is_kept_even_with_a_changed_text(answer_store):
    job = answer_store.entries.get("jobplaneten")
    saved = answer_store.entries.update("jobplaneten", edited(job, summary="Ny.", review_due="2026-12-24"),
                                        job.version, "anna")
    assert saved.data["review_due"] == "2026-12-24"


def test_a_kind_can_have_its_own_period(tmp_path):
    store = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR,
                                                 review_months_by_kind=(("contact", 3),)))
    try:
        contact = store.entries.get("rikke_willesen")
        checked = store.entries.mark_checked("rikke_willesen", contact.version, "anna")
        assert checked.data["review_due"] == in_months(3)
        job = store.entries.get("jobplaneten")
        assert store.entries.update("jobplaneten", edited(job, summary="Ny."), job.version, "anna"
                                    ).data["review_due"] == in_months(6)
    finally:
        store.close()


def test_a_translation_is_not_a_check_of_the_danish(answer_store):
    job = answer_store.entries.get("jobplaneten")
    translated = answer_store.entries.set_translation("jobplaneten", "ar", {"summary": "نص"}, job.version, "bo")
    assert translated.data["review_due"] == TODAY.isoformat() and translated.data["owner"] == SEED_OWNER


@pytest.mark.parametrize("changes, field, says", [
    ({"owner": "anna\nbo"}, "owner", "én linje"),
    ({"owner": "x" * 81}, "owner", "højst 80"),
    ({"owner": "   "}, "owner", "ikke være tomt"),
    ({"review_due": "snart"}, "review_due", "dato som 2025-08-31"),
])
def test_a_bad_owner_or_date_is_refused_in_danish(answer_store, changes, field, says):
    job = answer_store.entries.get("jobplaneten")
    with pytest.raises(KnowledgeError) as refused:
        answer_store.entries.update("jobplaneten", edited(job, **changes), job.version, "anna")
    assert [(p.field, says in p.message) for p in refused.value.problems] == [(field, True)]
    assert answer_store.entries.get("jobplaneten") == job


# --- "Stadig rigtigt" ---------------------------------------------------------------------------


def test_still_right_is_a_new_version_with_the_same_text_and_a_later_date(answer_store):
    job = answer_store.entries.get("jobplaneten")
    checked = answer_store.entries.mark_checked("jobplaneten", job.version, "bo")
    assert checked.version == job.version + 1 and checked.updated_by == "bo"
    assert checked.data == {**job.data, "review_due": in_months(6)}
    newest = answer_store.entries.history("jobplaneten")[0]
    assert (newest.action, newest.changed_by, newest.version) == ("checked", "bo", checked.version)
    record = audit.recent(answer_store.engine, 1)[0]
    assert (record.user_name, record.action, record.entry_id) == ("bo", "entry_checked", "jobplaneten")
    assert record.details == f"version {checked.version}, næste tjek senest {add_months(TODAY, 6):%d.%m.%Y}"
    assert "jobplaneten" not in {item.id for item in answer_store.review_dates.due()}


def test_still_right_on_an_old_version_is_a_conflict(answer_store):
    job = answer_store.entries.get("jobplaneten")
    answer_store.entries.mark_checked("jobplaneten", job.version, "anna")
    with pytest.raises(EditConflict, match="ændret af anna"):
        answer_store.entries.mark_checked("jobplaneten", job.version, "bo")


def test_still_right_is_refused_for_a_retired_entry_and_an_unknown_one(answer_store):
    faq = next(s for s in answer_store.entries.all() if s.kind == "faq")
    retired = answer_store.entries.retire(faq.id, faq.version, "anna")
    with pytest.raises(KnowledgeError, match="fjernet"):
        answer_store.entries.mark_checked(faq.id, retired.version, "anna")
    with pytest.raises(NotFound):
        answer_store.entries.mark_checked("findes_ikke", 1, "anna")


def test_restore_brings_back_the_owner_and_date_of_that_version(answer_store):
    job = answer_store.entries.get("jobplaneten")
    changed = answer_store.entries.update("jobplaneten", edited(job, summary="Ny.", owner="anna"), job.version, "anna")
    restored = answer_store.entries.restore("jobplaneten", 1, changed.version, "bo")
    assert restored.data == job.data  # the seed's text, owner and review date (due again)
    assert "jobplaneten" in {item.id for item in answer_store.review_dates.due()}


def test_restoring_a_version_from_before_owners_keeps_the_current_ones(answer_store):
    job = answer_store.entries.get("jobplaneten")
    with answer_store.engine.begin() as connection:  # version 1 as an older release wrote it
        connection.execute(sa.update(tables.entry_versions).where(tables.entry_versions.c.entry_id == "jobplaneten")
                           .values(data={k: v for k, v in job.data.items() if k not in ("owner", "review_due")}))
    changed = answer_store.entries.update("jobplaneten", edited(job, summary="Ny.", owner="anna"), job.version, "anna")
    restored = answer_store.entries.restore("jobplaneten", 1, changed.version, "bo")
    assert (restored.data["summary"], restored.data["owner"]) == (job.data["summary"], "anna")
    assert restored.data["review_due"] == changed.data["review_due"]


# --- import and export -------------------------------------------------------------------------


def test_an_import_carries_owners_and_dates(answer_store):
    content = yaml.safe_dump({"entries": [
        {**LEKTIECAFE, "owner": "Familieteamet", "review_due": datetime.date(2027, 3, 1)},
        {**answer_store.entries.get("laes_mere").data, "owner": "bo", "review_due": "2027-06-30"},
        {**LEKTIECAFE, "id": "lektiecafe_uden", "name": "Lektiecafé 2"},
    ]}, allow_unicode=True).encode("utf-8")
    counts = import_yaml(answer_store.entries, content, "anna")
    assert counts == {"created": 2, "changed": 1, "unchanged": 0}
    assert {k: answer_store.entries.get("lektiecafe").data[k] for k in ("owner", "review_due")} == {
        "owner": "Familieteamet", "review_due": "2027-03-01"}
    assert {k: answer_store.entries.get("laes_mere").data[k] for k in ("owner", "review_due")} == {
        "owner": "bo", "review_due": "2027-06-30"}
    # Without them: the importer owns it, due a period from today.
    assert {k: answer_store.entries.get("lektiecafe_uden").data[k] for k in ("owner", "review_due")} == {
        "owner": "anna", "review_due": in_months(6)}


def test_a_file_without_owners_keeps_the_stored_ones_and_a_changed_text_is_a_check(answer_store):
    job = answer_store.entries.get("jobplaneten")
    answer_store.entries.update("jobplaneten", edited(job, owner="anna"), job.version, "anna")
    plain = {k: v for k, v in job.data.items() if k not in ("owner", "review_due")}
    same = import_yaml(answer_store.entries, yaml.safe_dump({"entries": [plain]}, allow_unicode=True).encode(), "bo")
    assert same == {"created": 0, "changed": 0, "unchanged": 1}
    changed = yaml.safe_dump({"entries": [{**plain, "summary": "Ny tekst fra regnearket."}]}, allow_unicode=True)
    assert import_yaml(answer_store.entries, changed.encode(), "bo")["changed"] == 1
    stored = answer_store.entries.get("jobplaneten")
    assert (stored.data["owner"], stored.data["review_due"]) == ("anna", in_months(6))


def test_the_export_names_owner_and_review_date(answer_store):
    exported = yaml.safe_load(export_yaml(answer_store.entries))
    assert all(entry["owner"] == SEED_OWNER and str(entry["review_due"]) == TODAY.isoformat()
               for entry in exported["entries"])


# --- what is due ----------------------------------------------------------------------------------


def test_due_lists_overdue_and_soon_with_the_reasons_and_the_last_change(answer_store):
    later = TODAY + 3 * DAY
    listed = {item.id: item for item in answer_store.review_dates.due(later)}
    job = listed["jobplaneten"]
    assert (job.state, job.owner, job.review_due, job.version) == (OVERDUE, SEED_OWNER, TODAY, 1)
    assert [r.code for r in job.reasons] == ["review_date_passed"]
    assert job.reasons[0].text == f"Skulle have været tjekket senest {TODAY:%d.%m.%Y} (3 dage siden)."
    assert (job.last_change.action, job.last_change.changed_by, job.last_change.fields) == ("seeded", "system", [])

    stored = answer_store.entries.get("laes_mere")
    answer_store.entries.update("laes_mere", edited(stored, review_due=(later + 10 * DAY).isoformat()),
                                stored.version, "anna")
    soon = {item.id: item for item in answer_store.review_dates.due(later)}["laes_mere"]
    assert soon.state == DUE
    assert soon.reasons[0].text == f"Skal tjekkes senest {later + 10 * DAY:%d.%m.%Y} (om 10 dage)."
    assert (soon.last_change.action, soon.last_change.changed_by, soon.last_change.fields) == (
        "edited", "anna", ["review_due"])
    assert "laes_mere" not in {item.id for item in answer_store.review_dates.due(later, days=9)}


def test_a_passed_date_in_the_text_makes_an_entry_overdue_at_once_with_the_sentence(answer_store):
    plan = answer_store.entries.get("periode")
    checked = answer_store.entries.mark_checked("periode", plan.version, "anna")
    item = {item.id: item for item in answer_store.review_dates.due()}["periode"]
    assert item.state == OVERDUE and item.review_due == add_months(TODAY, 6) and item.version == checked.version
    by_code = {reason.code: reason for reason in item.reasons}
    assert set(by_code) == {"end_date_passed", "date_in_text_passed"}
    assert by_code["date_in_text_passed"].sentence == "Helhedsplanen gælder fra 1. september 2021 til 31. august 2025."
    assert by_code["date_in_text_passed"].phrase == "31. august 2025"
    assert "»Helhedsplanen gælder fra 1. september 2021 til 31. august 2025.«" in by_code["date_in_text_passed"].text


def test_own_entries_come_first_then_the_oldest(answer_store):
    for entry_id, owner, due in (("jobplaneten", "bo", TODAY - 2 * DAY), ("laes_mere", "Bo", TODAY + 5 * DAY),
                                 ("get2sport", "anna", datetime.date(2020, 1, 31))):
        stored = answer_store.entries.get(entry_id)
        answer_store.entries.update(entry_id, edited(stored, owner=owner, review_due=due.isoformat()),
                                    stored.version, "anna")
    listed = answer_store.review_dates.due(user="bo")
    assert [item.id for item in listed[:2]] == ["jobplaneten", "laes_mere"] and listed[0].mine and listed[1].mine
    others = listed[2:]
    assert others[0].id == "get2sport" and not others[0].mine  # due longest
    assert [item.since for item in others] == sorted(item.since for item in others)
    assert [item.id for item in answer_store.review_dates.due(owner="ANNA")] == ["get2sport"]


def test_owners_to_choose_from_are_the_owners_and_the_staff(answer_store):
    answer_store.staff.add("bo", "bo-har-en-lang-kode")
    job = answer_store.entries.get("jobplaneten")
    answer_store.entries.update("jobplaneten", edited(job, owner="Familieteamet"), job.version, "anna")
    assert answer_store.review_dates.owners() == ["bo", "Familieteamet", SEED_OWNER]


# --- the dashboard's figures ---------------------------------------------------------------------


def test_checked_in_a_period_counts_still_right_and_changed_texts_once_per_entry(answer_store):
    start = datetime.datetime.now(datetime.timezone.utc)
    job = answer_store.entries.get("jobplaneten")
    job = answer_store.entries.mark_checked("jobplaneten", job.version, "anna")
    answer_store.entries.update("jobplaneten", edited(job, summary="Ny."), job.version, "anna")
    mere = answer_store.entries.get("laes_mere")
    answer_store.entries.update("laes_mere", edited(mere, owner="bo"), mere.version, "anna")  # not a check
    answer_store.entries.create(LEKTIECAFE, "bo")
    end = datetime.datetime.now(datetime.timezone.utc) + DAY
    assert answer_store.review_dates.checked_between(start, end) == 2
    assert answer_store.review_dates.checked_between(start - 2 * DAY, start - DAY) == 0


def test_answers_from_overdue_entries_are_told_by_the_version_current_then(answer_store):
    job = answer_store.entries.get("jobplaneten")
    # Seeded today, due today: not yet overdue. Then due yesterday: overdue from then on.
    changed = answer_store.entries.update("jobplaneten", edited(job, review_due=(TODAY - DAY).isoformat()),
                                          job.version, "anna")
    seeded_at, changed_at = job.updated_at.timestamp(), changed.updated_at.timestamp()
    between, later = (seeded_at + changed_at) / 2, changed_at + 1
    answers = [(between, "jobplaneten"), (later, "jobplaneten"), (later, "laes_mere"), (later, "periode"),
               (later, "findes_ikke"), (seeded_at - 3600, "jobplaneten")]
    # periode names a passed end date: overdue whatever its review date.
    assert answer_store.review_dates.answers_from_overdue(answers) == (4, 2)


# --- an older store -----------------------------------------------------------------------------------


def _store_at_0003_without_owners(settings) -> None:
    old = AnswerStore(settings)
    with old.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    old.seed_if_empty()
    with old.engine.begin() as connection:  # as an older release seeded it
        for table in (tables.entries, tables.entry_versions):
            for row in connection.execute(sa.select(table)).all():
                key = table.c.id == row.id if table is tables.entries else sa.and_(
                    table.c.entry_id == row.entry_id, table.c.version == row.version)
                connection.execute(sa.update(table).where(key).values(
                    data={k: v for k, v in row.data.items() if k not in ("owner", "review_due")}))
    old.close()


def test_an_older_store_gives_every_entry_the_secretariat_and_today_as_a_new_version(tmp_path):
    settings = AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR)
    _store_at_0003_without_owners(settings)
    store = AnswerStore.open(settings)
    try:
        assert is_up_to_date(store.engine)
        for stored in store.entries.all():
            assert (stored.data["owner"], stored.data["review_due"], stored.version, stored.updated_by) == (
                SEED_OWNER, TODAY.isoformat(), 2, "system"), stored.id
        history = store.entries.history("jobplaneten")
        assert [(v.action, v.changed_by) for v in history] == [("review_added", "system"), ("seeded", "system")]
        assert "owner" not in history[1].data  # the history is not rewritten
        record = next(r for r in audit.recent(store.engine) if r.entry_id == "jobplaneten")
        assert record.action == "entry_review_added" and "Helhedsplanens sekretariat" in record.details
        revision = store.entries.revision()
    finally:
        store.close()
    again = AnswerStore.open(settings)  # a second start changes nothing
    try:
        assert again.entries.revision() == revision and again.entries.get("jobplaneten").version == 2
    finally:
        again.close()


def test_a_downgrade_takes_the_fields_out_for_the_older_release(tmp_path):
    settings = AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR)
    store = AnswerStore.open(settings)
    job = store.entries.get("jobplaneten")
    store.entries.mark_checked("jobplaneten", job.version, "anna")
    with store.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    with store.engine.connect() as connection:
        data = [row.data for table in (tables.entries, tables.entry_versions)
                for row in connection.execute(sa.select(table.c.data))]
    store.close()
    assert data and not any("owner" in item or "review_due" in item for item in data)
