"""Dates in the answer data's texts are watched (bot/knowledge/dates.py): an
entry naming a date that has passed is due for a check, and a resident never
gets a past end date as if it were current."""
import datetime

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge import Entry, load_directory
from bot.knowledge.answers import describe, phrases
from bot.knowledge.dates import DAY, MONTH, YEAR, date_mentions, passed_dates, passed_end, sentences, watched_sentences
from bot.language.current import replying_in

TODAY = datetime.date(2026, 12, 7)
KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
D = datetime.date


def only(text):
    """The one date ``text`` names."""
    found = date_mentions(text)
    assert len(found) == 1, found
    return found[0]


# --- formats ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, phrase, last_day, is_end, precision",
    [
        ("Planen gælder til 31. august 2025.", "31. august 2025", D(2025, 8, 31), True, DAY),
        ("Åbent til 31. aug. 2025.", "31. aug. 2025", D(2025, 8, 31), True, DAY),
        ("Åbent til 31 Aug 2025.", "31 Aug 2025", D(2025, 8, 31), True, DAY),
        ("Tilmelding senest 31.08.2025.", "31.08.2025", D(2025, 8, 31), True, DAY),
        ("Fristen er 31/8-2025.", "31/8-2025", D(2025, 8, 31), True, DAY),
        ("Projektet slutter 31-08-2025.", "31-08-2025", D(2025, 8, 31), True, DAY),
        ("Aftalen udløber 2025-08-31.", "2025-08-31", D(2025, 8, 31), True, DAY),
        ("Mødet er 1/9/2025.", "1/9/2025", D(2025, 9, 1), False, DAY),
        ("Vi holder lukket i august 2025.", "august 2025", D(2025, 8, 31), False, MONTH),
        ("Vi holder lukket i AUGUST 2025.", "AUGUST 2025", D(2025, 8, 31), False, MONTH),
        ("Nyt hold i sept. 2025.", "sept. 2025", D(2025, 9, 30), False, MONTH),
        ("Nyt hold i februar 2024.", "februar 2024", D(2024, 2, 29), False, MONTH),
        ("Nyt hold i Marts 2025.", "Marts 2025", D(2025, 3, 31), False, MONTH),
        ("Tilbuddet kører frem til maj 2025.", "maj 2025", D(2025, 5, 31), True, MONTH),
        ("Tilbuddet kører indtil okt. 2025.", "okt. 2025", D(2025, 10, 31), True, MONTH),
        ("Bestyrelsen har ansvaret for Helhedsplanen 2021-2025.", "2021-2025", D(2025, 12, 31), True, YEAR),
        ("Helhedsplanen 2021–2025.", "2021–2025", D(2025, 12, 31), True, YEAR),
        ("Planen løber fra 2021 til 2025.", "2021 til 2025", D(2025, 12, 31), True, YEAR),
        ("Planen løber 2021 til og med 2025.", "2021 til og med 2025", D(2025, 12, 31), True, YEAR),
        ("Det gælder i skoleåret 2024/25.", "2024/25", D(2025, 12, 31), True, YEAR),
        ("Projektet kører frem til 2024.", "2024", D(2024, 12, 31), True, YEAR),
        ("Projektet kører indtil 2024.", "2024", D(2024, 12, 31), True, YEAR),
        ("Projektet kører til og med 2024.", "2024", D(2024, 12, 31), True, YEAR),
        ("Aftalen udløber i 2024.", "2024", D(2024, 12, 31), True, YEAR),
        ("Projektet slutter ved udgangen af 2024.", "2024", D(2024, 12, 31), True, YEAR),
        ("Planen gælder 1.9.2021-31.8.2025.", "1.9.2021-31.8.2025", D(2025, 8, 31), True, DAY),
        ("Kurset er august-december 2025.", "december 2025", D(2025, 12, 31), True, MONTH),
        ("Ansøgningsfristen er 1. maj 2025.", "1. maj 2025", D(2025, 5, 1), True, DAY),
        ("Deadline: 1. maj 2025.", "1. maj 2025", D(2025, 5, 1), True, DAY),
        ("Tilmelding senest d. 1. maj 2025.", "1. maj 2025", D(2025, 5, 1), True, DAY),
        ("Helhedsplanen startede 1. september 2021.", "1. september 2021", D(2021, 9, 1), False, DAY),
        # The English translations residents may read.
        ("The offer runs until 31 August 2025.", "31 August 2025", D(2025, 8, 31), True, DAY),
        ("The deadline is August 31, 2025.", "August 31, 2025", D(2025, 8, 31), True, DAY),
        ("It is open until October 2025.", "October 2025", D(2025, 10, 31), True, MONTH),
    ],
)
def test_a_date_is_read_in_each_way_it_is_written(text, phrase, last_day, is_end, precision):
    mention = only(text)
    assert (mention.phrase, mention.last_day, mention.is_end, mention.precision) == (phrase, last_day, is_end, precision)


def test_a_period_from_one_date_to_another_ends_with_the_second():
    start, end = date_mentions("Helhedsplanen gælder fra 1. september 2021 til 31. august 2025.")
    assert (start.phrase, start.is_end) == ("1. september 2021", False)
    assert (end.phrase, end.is_end) == ("31. august 2025", True)
    start, end = date_mentions("Planen gælder 1. september 2021 - 31. august 2025.")
    assert (start.is_end, end.is_end) == (False, True)
    start, end = date_mentions("The plan runs from 1 September 2021 to 31 August 2025.")
    assert (start.is_end, end.is_end, end.last_day) == (False, True, D(2025, 8, 31))


# --- passed or not ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, passed",
    [
        ("Åbent til 31. august 2025.", True),
        ("Åbent til 31. august 2027.", False),
        ("Åbent til 6. december 2026.", True),
        ("Åbent til 7. december 2026.", False),  # today is still the last day
        ("Åbent til 06.12.2026.", True),
        ("Åbent til 2026-12-07.", False),
        ("Åbent i november 2026.", True),
        ("Åbent i december 2026.", False),  # the month is not over
        ("Helhedsplanen 2021-2025.", True),
        ("Helhedsplanen 2022-2026.", False),  # the year is not over
        ("Helhedsplanen 2026–2030.", False),
        ("Projektet kører frem til 2025.", True),
        ("Projektet kører frem til 2026.", False),
    ],
)
def test_only_dates_before_today_have_passed(text, passed):
    assert bool(passed_dates(text, TODAY)) is passed


@pytest.mark.parametrize(
    "text",
    [
        "Ring på tlf. 56 67 67 67.",
        "Ring til Rikke på 30 54 83 43.",
        "Ring på tlf. 30-54-83-43 eller +45 20 21 20 25.",
        "Ring på tlf. 2021-2025.",
        "Ring til 2021 2025 i dag.",
        "CPR-nummer 010190-1234.",
        "CPR 3108251234 og 310825-1234.",
        "Vi ses kl. 15-17.",
        "Vi ses kl. 15.30 og kl. 9.00-12.00.",
        "Adresse: Torvet 1, 4600 Køge.",
        "Flyt til 2000 Frederiksberg.",
        "Forummet mødes 1-2 gange om året.",
        "Bestyrelsen mødes 3-4 gange om året.",
        "Filen må højst fylde 2 MB.",
        "Foreningen blev stiftet i 1998.",
        "I 2024 startede vi et nyt hold.",
        "Du kan få op til 2000 kr. i støtte.",
        "Der er plads til 2020 personer.",
        "Vi holder fest til jul 2024.",
        "Læs mere på https://bosj.dk/helhedsplan-2021-2025/.",
        "Mødet er 31. august.",  # no year: not a date we can place
        "Det koster 31.08 kr.",
        "Det sker 31.02.2025.",  # no such day
    ],
)
def test_no_false_alarms(text):
    assert date_mentions(text) == ()
    assert passed_dates(text, TODAY) == []


def test_a_bare_year_without_an_end_word_is_not_a_date():
    # "i 2024" says nothing about whether the text is still true; after an end word it does.
    assert date_mentions("Vi startede i 2024.") == ()
    assert only("Vi kører frem til 2024.").is_end


# --- sentences ----------------------------------------------------------------


def test_the_whole_sentence_is_returned():
    text = ("Vi mødes bl.a. i Søparken. Tilmelding senest d. 1. maj 2025 på tlf. 56 67 67 67. "
            "Alle er velkomne.")
    assert only(text).sentence == "Tilmelding senest d. 1. maj 2025 på tlf. 56 67 67 67."


def test_a_sentence_is_not_cut_inside_a_date():
    text = "Helhedsplanen gælder fra 1. September 2021 til 31. August 2025. Den har fire hovedområder."
    assert {m.sentence for m in date_mentions(text)} == {
        "Helhedsplanen gælder fra 1. September 2021 til 31. August 2025."}
    assert sentences(text) == ["Helhedsplanen gælder fra 1. September 2021 til 31. August 2025.",
                               "Den har fire hovedområder."]


def test_a_line_break_ends_a_sentence():
    mention = only("Åbent hver mandag\n  Lukket fra 1. juli 2025\nRing til os")
    assert mention.sentence == "Lukket fra 1. juli 2025"


def test_the_sentence_is_trimmed():
    assert only("  Åbent til\n   31. august 2025.  ").sentence == "Åbent til 31. august 2025."


# --- entries ------------------------------------------------------------------


def entry(**fields):
    return Entry(**{"id": "test_post", "kind": "initiative", "name": "Testholdet", "summary": "Et hold.",
                    "source": "test", **fields})


def test_every_danish_text_of_an_entry_and_its_end_date_are_watched():
    watched = watched_sentences(entry(
        name="Sommerhold 2021-2025", summary="Holdet kører til 30. juni 2025.", details="Mødet er 1.5.2025.",
        hours="Mandage indtil 31. maj 2025", ends=D(2025, 6, 30),
        translations={"en": {"summary": "The team runs until 30 June 2024."}}), TODAY)
    assert [(m.field, m.phrase) for m in watched] == [
        ("ends", "2025-06-30"), ("name", "2021-2025"), ("summary", "30. juni 2025"), ("details", "1.5.2025"),
        ("hours", "31. maj 2025")]
    assert watched[2].sentence == "Holdet kører til 30. juni 2025."


def test_an_entry_with_only_future_dates_is_not_watched():
    assert watched_sentences(entry(summary="Holdet kører til 30. juni 2027.", ends=D(2027, 6, 30)), TODAY) == []


def test_a_start_that_has_passed_does_not_make_an_entry_due():
    text = "Holdet startede 1. september 2021. Fra august 2022 er der også et aftenhold. Since 2021."
    assert [m.is_start for m in passed_dates(text, TODAY)] == [True, True]
    assert watched_sentences(entry(summary=text), TODAY) == []
    # A date that is neither start nor end may be out of date: it is watched.
    assert [m.phrase for m in watched_sentences(entry(summary="Næste møde er 3. marts 2025."), TODAY)] == [
        "3. marts 2025"]


def test_the_latest_passed_end_is_the_one_to_tell():
    found = passed_end(["Fra 1. maj 2024 til 1. juni 2024.", None, "Frist 31.08.2025. Startede 1. januar 2026."],
                       TODAY)
    assert found.phrase == "31.08.2025"


def test_the_seed_data_flagged_on_the_day():
    kb = load_directory(KNOWLEDGE_DIR)
    flagged = {e.id: watched_sentences(e, TODAY) for e in kb.entries.values() if watched_sentences(e, TODAY)}
    assert sorted(flagged) == ["bestyrelsen", "periode"]
    # The plan's period names 31. august 2025, in its text as in its end date.
    assert ("summary", "31. august 2025", "Helhedsplanen gælder fra 1. september 2021 til 31. august 2025.") in {
        (m.field, m.phrase, m.sentence) for m in flagged["periode"]}
    assert "ends" in {m.field for m in flagged["periode"]}
    assert [m.sentence for m in flagged["bestyrelsen"]] == [
        "Bestyrelsen har det overordnede ansvar for Helhedsplanen 2021-2025."]
    # While the plan ran, nothing was due.
    assert not any(watched_sentences(e, D(2024, 6, 1)) for e in kb.entries.values())


# --- replies ------------------------------------------------------------------

PERIOD_OVER, DATE_PASSED = "Den periode er slut nu", "og den tid er gået nu"


def notes(text):
    return text.count(PERIOD_OVER) + text.count(DATE_PASSED)


@pytest.fixture(scope="module")
def kb():
    return load_directory(KNOWLEDGE_DIR)


def test_a_passed_end_in_the_text_gets_one_note(kb):
    reply = describe(kb, kb.get("bestyrelsen"), today=TODAY)
    assert notes(reply.text) == 1
    assert "Svaret nævner 2021-2025, og den tid er gået nu. Måske er noget ændret." in reply.text
    # The contact comes right after it, so it is not named twice.
    assert reply.text.count("Rikke Willesen") == 1


def test_a_passed_end_date_field_keeps_its_own_note_and_only_that(kb):
    reply = describe(kb, kb.get("periode"), today=TODAY)
    assert notes(reply.text) == 1 and PERIOD_OVER in reply.text


def test_the_note_says_the_date_in_words_and_who_to_ask(kb):
    jobplaneten = kb.get("jobplaneten")
    changed = jobplaneten.copy(update={"summary": jobplaneten.summary + " Tilmelding senest 31.08.2025."})
    reply = describe(kb, changed, today=TODAY)
    assert notes(reply.text) == 1
    fallback = kb.fallback_contact
    assert ("Svaret nævner 31. august 2025, og den tid er gået nu. Måske er noget ændret. "
            f"Spørg {fallback.name} på tlf. {fallback.phone}") in reply.text
    assert "hvis du vil vide, hvad der gælder nu." in reply.text


def test_a_month_is_said_as_a_month(kb):
    board = kb.get("bestyrelsen")
    changed = board.copy(update={"summary": "Bestyrelsen holder pause frem til maj 2025."})
    assert "Svaret nævner maj 2025, og den tid er gået nu." in describe(kb, changed, today=TODAY).text


def test_a_date_that_is_not_an_end_needs_no_note(kb):
    board = kb.get("bestyrelsen")
    started = board.copy(update={"summary": "Bestyrelsen startede 1. september 2021. Den mødes 3-4 gange om året."})
    assert notes(describe(kb, started, today=TODAY).text) == 0


def test_a_future_end_date_carries_no_note(kb):
    board = kb.get("bestyrelsen")
    future = board.copy(update={"summary": "Bestyrelsen har ansvaret til 31. august 2027."})
    assert notes(describe(kb, future, today=TODAY).text) == 0
    assert notes(describe(kb, kb.get("bestyrelsen"), today=D(2025, 6, 1)).text) == 0
    assert notes(describe(kb, kb.get("periode"), today=D(2025, 6, 1)).text) == 0


def test_details_count_only_when_they_are_shown(kb):
    plan = kb.get("helhedsplanen")
    changed = plan.copy(update={"details": plan.details + " Planen gælder til 31. august 2025."})
    assert notes(describe(kb, changed, today=TODAY).text) == 0
    assert notes(describe(kb, changed, more=True, today=TODAY).text) == 1


def test_the_note_in_english_says_the_date_in_english(kb):
    with replying_in("en"):
        english = kb.in_language("en")
        reply = describe(english, english.get("bestyrelsen"), today=TODAY)
        assert "This answer mentions 2021-2025, and that time has passed now." in reply.text
        jobplaneten = english.get("jobplaneten")
        changed = jobplaneten.copy(update={"summary": jobplaneten.summary + " Sign up by 31.08.2025."})
        assert "This answer mentions 31 August 2025" in describe(english, changed, today=TODAY).text


def test_both_languages_have_the_sentences_and_the_month_names():
    with replying_in("en"):
        english = phrases()
    danish = phrases()
    for table in (danish, english):
        assert {"date_passed", "ask_what_applies_now", "date_day", "date_month"} <= set(table)
        assert len(table["month_names"]) == 12
    assert danish["month_names"][7] == "august" and english["month_names"][7] == "August"


def test_the_answer_store_s_name_is_the_same_function():
    from bot.knowledge.dates import entry_passed_dates

    assert entry_passed_dates is watched_sentences
