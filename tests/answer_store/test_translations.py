"""Entries' translations and translators' checks of the shipped sentences, in
the answer store on a real SQLite file and a real PostgreSQL server: every
change a new version with its audit line, "skal tjekkes" after the Danish
changes, export and import, and the checks surviving a restart and a migration."""
import datetime

import pytest
import sqlalchemy as sa
import yaml
from alembic import command
from alembic.config import Config

from bot.answer_store import AnswerStore, EditConflict, ReviewRefused, audit, tables
from bot.answer_store.database import MIGRATIONS, is_up_to_date
from bot.answer_store.errors import TranslationNotFound
from bot.answer_store.exchange import export_yaml, import_yaml
from bot.answer_store.times import LOCAL_TIME
from bot.config import AnswerStoreSettings
from bot.knowledge import KnowledgeError
from bot.language.texts import fingerprint
from tests.conftest import KNOWLEDGE_DIR

ENGLISH = {"name": "The Job Planet", "summary": "Jobplaneten helps young people find a job or an education.",
           "details": "Come by on Tuesdays."}
ARABIC = {"summary": "يساعد جوبلانيتن الشباب في العثور على عمل أو تعليم."}


@pytest.fixture
def answer_store(answer_store_on_both):
    """A fresh store, its Jobplaneten without the translations the seed gave it."""
    store = answer_store_on_both
    for language in store.entries.get("jobplaneten").data.get("translations") or {}:
        store.entries.remove_translation("jobplaneten", language, store.entries.get("jobplaneten").version, "system")
    return store


def today() -> str:
    return datetime.datetime.now(LOCAL_TIME).date().isoformat()


def translate(store, language: str, texts: dict, user: str = "bo", entry_id: str = "jobplaneten"):
    return store.entries.set_translation(entry_id, language, texts, store.entries.get(entry_id).version, user)


def edit_danish(store, user: str = "anna", **changes):
    stored = store.entries.get("jobplaneten")
    return store.entries.update("jobplaneten", {**stored.data, **changes}, stored.version, user)


def residents_get(store, language: str) -> str:
    return store.knowledge_store().current().in_language(language).get("jobplaneten").summary


# --- entries' translations ---------------------------------------------------------------


def test_a_translation_is_written_for_the_danish_as_it_is_and_reaches_residents_at_once(answer_store):
    danish = answer_store.entries.get("jobplaneten")
    stored = translate(answer_store, "en", {**ENGLISH, "title": "   ", "hours": None})
    assert stored.version == danish.version + 1
    translation = stored.data["translations"]["en"]
    assert translation == {**ENGLISH, "written_for": danish.entry.danish_fingerprint(), "checked_by": "bo",
                           "checked_on": today()}
    assert stored.entry.translation_is_current("en")
    assert residents_get(answer_store, "en") == ENGLISH["summary"]
    assert residents_get(answer_store, "da") == danish.data["summary"]
    assert answer_store.entries.history("jobplaneten")[0].action == "translated"
    # The audit line says which language, never the text.
    record = audit.recent(answer_store.engine, limit=1)[0]
    assert (record.user_name, record.action, record.entry_id) == ("bo", "entry_translated", "jobplaneten")
    assert record.details == f"version {stored.version}, sprog: en"


def test_editing_the_danish_makes_it_skal_tjekkes_until_still_right_is_confirmed(answer_store):
    translate(answer_store, "en", ENGLISH)
    edited = edit_danish(answer_store, summary="Jobplaneten hjælper unge mellem 15 og 30 år.")
    assert edited.data["translations"]["en"]["summary"] == ENGLISH["summary"]  # kept, not dropped
    assert not edited.entry.translation_is_current("en")
    # Residents writing English get the Danish until someone checks the translation.
    assert residents_get(answer_store, "en") == "Jobplaneten hjælper unge mellem 15 og 30 år."

    confirmed = answer_store.entries.confirm_translation("jobplaneten", "en", edited.version, "carla")
    translation = confirmed.data["translations"]["en"]
    assert confirmed.entry.translation_is_current("en")
    assert translation["written_for"] == edited.entry.danish_fingerprint()
    assert (translation["checked_by"], translation["checked_on"]) == ("carla", today())
    assert translation["summary"] == ENGLISH["summary"]
    assert residents_get(answer_store, "en") == ENGLISH["summary"]
    assert [v.action for v in answer_store.entries.history("jobplaneten")][:3] == [
        "translation_checked", "edited", "translated"]
    assert audit.recent(answer_store.engine, limit=1)[0].action == "entry_translation_checked"


def test_a_change_to_a_field_the_translation_does_not_render_keeps_it_current(answer_store):
    translate(answer_store, "en", ENGLISH)
    edited = edit_danish(answer_store, aliases=["jobplanet", "job planet"])
    assert edited.entry.translation_is_current("en")


def test_removing_a_translation_gives_residents_the_danish_again(answer_store):
    translate(answer_store, "en", ENGLISH)
    stored = translate(answer_store, "ar", ARABIC)
    removed = answer_store.entries.remove_translation("jobplaneten", "en", stored.version, "bo")
    assert set(removed.data["translations"]) == {"ar"}
    assert residents_get(answer_store, "en") == removed.data["summary"]
    last = answer_store.entries.remove_translation("jobplaneten", "ar", removed.version, "bo")
    assert "translations" not in last.data
    assert audit.recent(answer_store.engine, limit=1)[0].details == f"version {last.version}, sprog: ar"


def test_a_translation_restored_from_the_history_comes_back_with_its_version(answer_store):
    written = translate(answer_store, "en", ENGLISH)
    removed = answer_store.entries.remove_translation("jobplaneten", "en", written.version, "bo")
    restored = answer_store.entries.restore("jobplaneten", written.version, removed.version, "bo")
    assert restored.data["translations"] == written.data["translations"]


def test_refused_translation_changes_change_nothing(answer_store):
    written = translate(answer_store, "en", ENGLISH)
    revision = answer_store.entries.revision()
    entries = answer_store.entries
    with pytest.raises(TranslationNotFound) as missing:
        entries.confirm_translation("jobplaneten", "ar", written.version, "bo")
    assert missing.value.status == 404 and "ingen oversættelse til sproget 'ar'" in missing.value.message
    with pytest.raises(TranslationNotFound):
        entries.remove_translation("jobplaneten", "tr", written.version, "bo")
    with pytest.raises(EditConflict):
        entries.set_translation("jobplaneten", "en", ENGLISH, written.version - 1, "bo")
    with pytest.raises(KnowledgeError) as unknown:
        entries.set_translation("jobplaneten", "de", ENGLISH, written.version, "bo")
    assert "Ukendt sprog: de" in unknown.value.problems[0].message
    with pytest.raises(KnowledgeError) as empty:
        entries.set_translation("jobplaneten", "en", {"name": "Job Planet", "summary": "  "}, written.version, "bo")
    assert [(p.field, p.message) for p in empty.value.problems] == [("translations.en.summary", "Feltet skal udfyldes.")]
    with pytest.raises(KnowledgeError) as long:
        entries.set_translation("jobplaneten", "en", {"summary": "x" * 701}, written.version, "bo")
    assert long.value.problems[0].field == "translations.en.summary"
    assert "højst 700" in long.value.problems[0].message
    assert entries.revision() == revision
    assert entries.get("jobplaneten").data == written.data


def test_export_then_import_keeps_translations_and_whether_they_are_current(answer_store, tmp_path):
    # Another store (a new server), seeded before the export: the export may overwrite its entries.
    other = AnswerStore.open(AnswerStoreSettings(data_dir=tmp_path / "other", seed_dir=KNOWLEDGE_DIR))
    translate(answer_store, "en", ENGLISH)
    translate(answer_store, "ar", ARABIC)
    edit_danish(answer_store, summary="Jobplaneten hjælper unge mellem 15 og 30 år.")
    stored = answer_store.entries.get("jobplaneten")
    answer_store.entries.confirm_translation("jobplaneten", "en", stored.version, "anna")
    before = answer_store.entries.get("jobplaneten")
    exported = export_yaml(answer_store.entries)

    # The same translations in the other store, with the same states.
    try:
        counts = import_yaml(other.entries, exported.encode(), "import")
        assert counts["changed"] >= 1
        moved = other.entries.get("jobplaneten")
        assert moved.data["translations"] == before.data["translations"]
        assert moved.entry.translation_is_current("en") and not moved.entry.translation_is_current("ar")
        assert other.knowledge_store().current().in_language("en").get("jobplaneten").summary == ENGLISH["summary"]
    finally:
        other.close()
    # Back into the same store: nothing to change.
    assert import_yaml(answer_store.entries, exported.encode(), "import")["changed"] == 0
    assert answer_store.entries.get("jobplaneten").version == before.version


def test_an_imported_translation_without_written_for_is_for_the_danish_beside_it(answer_store):
    data = {**answer_store.entries.get("jobplaneten").data, "summary": "Ny dansk tekst.",
            "translations": {"en": {"summary": "New English text."}}}
    import_yaml(answer_store.entries, yaml.safe_dump({"entries": [data]}, allow_unicode=True).encode(), "anna")
    entry = answer_store.entries.get("jobplaneten").entry
    assert entry.translation_is_current("en")
    assert entry.translations["en"].checked_by is None
    assert residents_get(answer_store, "en") == "New English text."


# --- translators' checks of the shipped sentences -----------------------------------------------


def test_a_check_is_kept_per_language_sentence_and_text_and_survives_a_restart(answer_store):
    reviews = answer_store.reviews
    recorded = reviews.record("ar", {"reach_person": "aaaaaaaaaaaa", "utter_emergency/police": "bbbbbbbbbbbb"},
                              "  Amira   Haddad ", "bo")
    assert [(r.sentence_key, r.translator, r.recorded_by) for r in recorded] == [
        ("reach_person", "Amira Haddad", "bo"), ("utter_emergency/police", "Amira Haddad", "bo")]
    reopened = AnswerStore.open(answer_store.settings)
    try:
        kept = {(r.sentence_key, r.fingerprint, r.translator) for r in reopened.reviews.of_language("ar")}
    finally:
        reopened.close()
    assert kept == {("reach_person", "aaaaaaaaaaaa", "Amira Haddad"),
                    ("utter_emergency/police", "bbbbbbbbbbbb", "Amira Haddad")}
    assert reviews.of_language("tr") == []
    record = audit.recent(answer_store.engine, limit=1)[0]
    assert (record.user_name, record.action, record.entry_id) == ("bo", "fixed_texts_reviewed", None)
    assert record.details == "sprog: ar, 2 sætninger, oversætter: Amira Haddad"


def test_a_check_of_the_same_text_again_replaces_the_first_one_of_another_text_is_kept_beside(answer_store):
    reviews = answer_store.reviews
    old, new = fingerprint("den gamle tekst"), fingerprint("den nye tekst")
    reviews.record("tr", {"reach_person": old}, "Ayşe", "bo")
    reviews.record("tr", {"reach_person": new}, "Mehmet", "anna")
    reviews.record("tr", {"reach_person": new}, "Mehmet Yılmaz", "anna")
    found = reviews.of_language("tr")
    assert [(r.fingerprint, r.translator) for r in found] == [(new, "Mehmet Yılmaz"), (old, "Ayşe")]


@pytest.mark.parametrize("translator, fingerprints, says", [
    ("   ", {"reach_person": "a"}, "Skriv navnet på oversætteren"),
    ("x" * 121, {"reach_person": "a"}, "højst 120 tegn"),
    ("Amira", {}, "mindst én sætning"),
])
def test_a_check_without_a_translator_or_sentences_is_refused(answer_store, translator, fingerprints, says):
    with pytest.raises(ReviewRefused) as refused:
        answer_store.reviews.record("ar", fingerprints, translator, "bo")
    assert says in refused.value.message
    assert answer_store.reviews.of_language("ar") == []


def test_a_store_made_before_the_checks_table_is_migrated_with_its_data(tmp_path):
    settings = AnswerStoreSettings(data_dir=tmp_path, seed_dir=KNOWLEDGE_DIR)
    old = AnswerStore(settings)  # not opened: schema only up to 0002, as an older release left it
    with old.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    old.seed_if_empty()
    assert not sa.inspect(old.engine).has_table("fixed_text_reviews")
    assert not is_up_to_date(old.engine)
    old.close()

    store = AnswerStore.open(settings)
    try:
        assert is_up_to_date(store.engine)
        assert store.entries.get("jobplaneten").version == 1  # the data is kept, not seeded again
        store.reviews.record("so", {"reach_person": "abc"}, "Hodan", "bo")
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("fixed_text_reviews")}
        assert columns == {c.name for c in tables.fixed_text_reviews.columns}
    finally:
        store.close()
