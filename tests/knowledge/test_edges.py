"""Answers at the edges: questions outside the plan get a referral, questions
about what an entry does not say are answered for that attribute, and short
follow-ups are about what the conversation is about."""
import datetime
import re

import pytest
import yaml

from actions.fallback import found_reply
from bot.config import PROJECT_ROOT
from bot.knowledge.answers import Question, answer, phrases
from bot.knowledge.attributes import asked_attribute

TODAY = datetime.date(2026, 12, 3)


def ask(kb, intent, text, subject=None):
    mentioned = [m.entry_id for m in kb.names.find(text)]
    return answer(kb, Question(intent=intent, text=text, mentioned=mentioned, subject=subject,
                               attribute=asked_attribute(text), today=TODAY))


@pytest.mark.parametrize(
    "intent, text, where",
    [
        ("ask_housing_areas", "hvornår er der storskrald i søparken", "https://bosj.dk"),
        ("ask_housing_areas", "hvor kan jeg parkere ved hastrupparken", "https://bosj.dk"),
        ("ask_family_support", "kan i hjælpe med min husleje", "https://bosj.dk"),
        ("ask_plan_admin", "hvem vinder kommunalvalget", "56 67 67 67"),
        ("ask_initiative", "kan jobplaneten hjælpe med boligstøtte", "56 67 67 67"),
    ],
)
def test_a_topic_outside_the_plan_gets_its_referral_not_the_named_entry(kb, intent, text, where):
    reply = ask(kb, intent, text)
    assert reply.text.startswith("Det ved jeg desværre ikke noget om.")
    assert where in reply.text
    for entry in kb.of_kind("housing_area") + kb.of_kind("initiative"):
        assert entry.summary not in reply.text


def test_the_fallback_also_refers_before_it_matches_a_name(kb):
    reply = found_reply(kb, "vaskeriet i ellemarken er i stykker", model_unsure=True)
    assert "Det ved jeg desværre ikke noget om." in reply.text and "boligselskab" in reply.text


@pytest.mark.parametrize(
    "text, attribute, subject, sentence",
    [
        ("hvad koster Get2Sport", "pris", "get2sport", "Hvad Get2Sport koster"),
        ("hvornår har Jobplaneten åbent", "aabningstider", "jobplaneten", "De præcise tider og datoer for Jobplaneten"),
        ("er det også for voksne", "maalgruppe", "get2sport", "Hvem Get2Sport er for"),
        ("hvor ligger det", "adresse", "faelles_fremtid", "Hvor Fælles Fremtid holder til"),
        ("hvordan melder man sig til kvindenetværket", "tilmelding", None, "Hvordan man kommer med i Køge Kvindenetværk"),
    ],
)
def test_a_missing_attribute_is_answered_for_that_attribute(kb, text, attribute, subject, sentence):
    assert asked_attribute(text) == attribute
    reply = ask(kb, "ask_initiative", text, subject=subject)
    assert sentence in reply.text and "står der ikke noget om i mine oplysninger" in reply.text
    assert "56 67 67 67" in reply.text


def test_what_is_known_about_an_attribute_is_said_with_it(kb):
    reply = ask(kb, "ask_board", "hvornår mødes bestyrelsen næste gang")
    assert "står der ikke noget om" in reply.text and "3-4 gange om året" in reply.text
    assert "30 54 83 43" in reply.text  # the board's own contact


def test_an_attribute_the_answer_data_has_is_given(kb):
    reply = ask(kb, "ask_contact", "hvor ligger kommunen")
    assert "Torvet 1" in reply.text


def test_the_first_initiative_an_answer_names_is_the_subject(kb):
    reply = ask(kb, "ask_job_help", "min søn på 15 har brug for et fritidsjob")
    assert reply.subject == "faelles_fremtid"
    contact = ask(kb, "ask_contact", "hvordan kontakter jeg dem", subject=reply.subject)
    assert "Fælles Fremtid" in contact.text and "56 67 67 67" in contact.text


def test_a_short_follow_up_naming_a_thing_is_about_that_thing(kb):
    reply = ask(kb, "ask_board", "og forummet?", subject="bestyrelsen")
    assert "Boligsocialt Forum" in reply.text and reply.subject == "boligsocialt_forum"


def test_a_follow_up_pointing_back_is_about_the_subject(kb):
    reply = ask(kb, "ask_community", "hvor kan jeg se hvad de laver", subject="koege_kvindenetvaerk")
    assert "Facebook" in reply.text


def test_a_long_question_is_not_taken_for_a_follow_up(kb):
    reply = ask(kb, "ask_job_help", "hvordan kan de hjælpe min datter med at finde en læreplads efter skolen",
                subject="koege_kvindenetvaerk")
    assert "læreplads" in reply.text


def _resident_texts():
    for path in [PROJECT_ROOT / "bot" / "knowledge" / "phrases.yml", PROJECT_ROOT / "actions" / "phrases.yml"]:
        yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for response in yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"].values():
        yield from (variant["text"] for variant in response)
    for path in (PROJECT_ROOT / "data" / "knowledge").glob("*.yml"):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            yield from (entry.get(field) or "" for field in ("summary", "details", "name"))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def test_replies_never_speak_of_the_page():
    texts = [t for t in _resident_texts() if re.search(r"\bsiden\b|\bthe page\b", t, re.I)]
    # "siden" as "since" needs a time after it; none of ours do.
    assert not texts, texts
    assert phrases()["referral_intro"]


@pytest.mark.parametrize("text, member", [
    ("er søparken med", True), ("hvad med ellemarken", True), ("er karlemoseparken en del af helhedsplanen", True),
    ("er der fitness i hastrupparken", False), ("hvornår kører bussen fra hastrupparken", False),
])
def test_a_housing_area_question_is_answered_only_when_it_asks_about_the_plan(kb, text, member):
    reply = ask(kb, "ask_housing_areas", text)
    assert ("et af de fire boligområder" in reply.text) is member
    assert ("Det ved jeg desværre ikke noget om" in reply.text) is not member


def test_naming_the_plan_or_pointing_back_keeps_a_question_about_the_plan(kb):
    assert "Boligselskabet Sjælland" in ask(kb, "ask_plan_admin", "hvem administrerer planen").text
    assert "31. august 2025" in ask(kb, "ask_plan_period", "hvor lang tid kører den", subject="ellemarken").text


@pytest.mark.parametrize(
    "text, subject, fact",
    [
        ("hvor tit samles de", "bestyrelsen", "3-4 gange"),
        ("har du hendes nr", "boligsocialt_forum", "30 54 83 43"),
        ("hvem kan jeg spørge", "bestyrelsen", "Rikke Willesen"),
        ("kan de bestemme noget", "boligsocialt_forum", "ingen formel beslutningskompetence"),
        ("hvor kan jeg følge med", "koege_kvindenetvaerk", "Facebook"),
        ("hvad koster det", "get2sport", "står der ikke noget om"),
    ],
)
def test_a_follow_up_the_model_could_not_place_is_about_the_subject(kb, text, subject, fact):
    reply = found_reply(kb, text, model_unsure=True, subject=subject)
    assert fact in reply.text


@pytest.mark.parametrize("text", ["hvad bliver vejret i morgen", "asdfgh", "fortæl en vittighed om katte"])
def test_a_new_question_the_model_could_not_place_is_not_taken_for_a_follow_up(kb, text):
    reply = found_reply(kb, text, model_unsure=False, subject="jobplaneten")
    assert reply is None


def test_how_many_meetings_is_how_often(kb):
    assert "3-4 gange om året" in ask(kb, "ask_board", "hvor mange møder har bestyrelsen om året").text


def test_a_referral_word_is_not_found_in_everyday_words(kb):
    from bot.knowledge.answers import referral_for

    assert referral_for(kb, "send mig videre til et menneske") is None


def test_sizes_the_answer_data_gives_are_answered_and_the_others_are_not(kb):
    assert "syv byrådsmedlemmer" in ask(kb, "ask_forum", "hvor mange er med i forummet").text
    reply = ask(kb, "ask_plan_funding", "hvor mange penge får helhedsplanen")
    assert "står der ikke noget om" in reply.text and "56 67 67 67" in reply.text


def test_what_comes_after_the_period_is_not_known(kb):
    reply = ask(kb, "ask_plan_period", "kommer der en ny helhedsplan efter 2025")
    assert "står der ikke noget om" in reply.text and "56 67 67 67" in reply.text


def test_a_thing_without_a_site_says_where_to_read_about_it(kb):
    reply = ask(kb, "ask_website", "hvor kan jeg se deres aktiviteter", subject="koege_kvindenetvaerk")
    assert "Facebook" in reply.text


def test_talking_to_a_person_about_a_thing_without_a_contact_says_so(kb):
    reply = ask(kb, "human_handoff", "hvem kan jeg tale med", subject="faelles_fremtid")
    assert "Jeg har ikke en kontaktperson for Fælles Fremtid" in reply.text and "56 67 67 67" in reply.text


@pytest.mark.parametrize("entry_id, text", [
    ("faelles_fremtid", "kan fælles fremtid hjælpe mig med at forny min opholdstilladelse"),
    ("helhedsplanen", "kan helhedsplanen betale min tandlægeregning"),
    ("koordinationsgrupper", "kan koordinationsgrupperne ikke lave gyngen på legepladsen"),
])
def test_asking_whether_a_thing_does_what_nothing_speaks_of_is_not_answered_with_its_description(kb, entry_id, text):
    entry = kb.get(entry_id)
    reply = ask(kb, "ask_initiative", text)
    assert reply.text.startswith("Det ved jeg desværre ikke noget om.") and entry.summary not in reply.text
    assert found_reply(kb, text, model_unsure=True).text == reply.text


@pytest.mark.parametrize("text", ["kan fælles fremtid hjælpe med cv", "kan get2sport hjælpe min søn i gang med sport",
                                  "kan familiecenteret hjælpe os med opdragelse"])
def test_asking_whether_a_thing_does_what_the_plan_speaks_of_gets_its_answer(kb, text):
    from actions.trained import plan_words

    mentioned = [m.entry_id for m in kb.names.find(text)]
    reply = answer(kb, Question(intent="ask_initiative", text=text, mentioned=mentioned, plan_words=plan_words()))
    assert not reply.text.startswith("Det ved jeg desværre ikke noget om.")


@pytest.mark.parametrize("text", ["maa man have hund i hastrupparken", "internettet virker ikke i hastrupparken"])
def test_an_unplaced_question_about_an_area_says_where_to_ask_instead_of_guessing(kb, text):
    reply = found_reply(kb, text, model_unsure=True)
    assert reply.text.startswith("Det ved jeg desværre ikke noget om.") and "boligselskab" in reply.text
    assert not reply.text.startswith(phrases()["did_you_mean"])


@pytest.mark.parametrize(
    "intent, text, subject, sentence",
    [
        ("ask_initiative", "får man løn når man er i fælles fremtid", None, "Om man får løn eller penge hos Fælles Fremtid"),
        ("ask_contact", "taler rikke willesen arabisk", None, "Hvilke sprog man kan bruge hos Rikke Willesen"),
        ("ask_initiative", "er der ventetid hos fælles fremtid", None, "Om der er ventetid hos Fælles Fremtid"),
        ("ask_crime_prevention", "hvad står SSP for", None, "Hvad navnet SSP står for"),
        ("ask_community", "må jeg tage min baby med til kvindenetværket", None, "Hvem Køge Kvindenetværk er for"),
        ("ask_initiative", "kan piger også komme i jobplaneten", None, "Hvem Jobplaneten er for"),
        ("ask_board", "hvor mange personer er der i bestyrelsen", None, "Hvor mange, står der ikke noget om"),
    ],
)
def test_more_attributes_the_answer_data_does_not_have(kb, intent, text, subject, sentence):
    reply = ask(kb, intent, text, subject=subject)
    assert sentence in reply.text and "står der ikke noget om i mine oplysninger" in reply.text


def test_a_language_is_an_attribute_only_of_a_thing_named_or_talked_about(kb):
    reply = ask(kb, "ask_job_help", "jeg taler ikke så godt dansk, kan i hjælpe med job")
    assert "sprog" not in reply.text and "Fælles Fremtid" in reply.text
    reply = ask(kb, "ask_job_help", "kan jeg få hjælp på arabisk")
    assert "sprog" not in reply.text


@pytest.mark.parametrize("intent, text, subject, fact", [
    ("ask_board", "kan de bestemme noget", "boligsocialt_forum", "ingen formel beslutningskompetence"),
    ("ask_plan_admin", "hvem er med i det", "boligsocialt_forum", "syv byrådsmedlemmer"),
    ("ask_plan_admin", "hvem står bag dem", "faelles_fremtid", "Navnene på dem, der står bag Fælles Fremtid"),
])
def test_a_question_about_one_of_the_plans_bodies_pointing_back_is_about_the_subject(kb, intent, text, subject, fact):
    assert fact in ask(kb, intent, text, subject=subject).text


def test_who_administers_the_plan_is_still_the_plans_administration(kb):
    assert "Boligselskabet Sjælland" in ask(kb, "ask_plan_admin", "hvem står bag det", subject="helhedsplanen").text


@pytest.mark.parametrize("intent", ["ask_contact", "human_handoff"])
def test_who_to_ask_after_a_referral_is_the_referral_again(kb, intent):
    referral = ask(kb, "ask_housing_areas", "hvornår er der storskrald i søparken")
    assert referral.subject == "henvisning_bolig"
    again = ask(kb, intent, "hvem kan jeg så spørge", subject=referral.subject)
    assert "bosj.dk" in again.text
    assert "bosj.dk" in found_reply(kb, "hvem kan jeg så spørge", model_unsure=True, subject=referral.subject).text


def test_the_other_one_is_the_one_not_talked_about(kb):
    reply = answer(kb, Question(intent="ask_more", text="og den anden med job?", subject="jobplaneten",
                                mentioned=["beskaeftigelse"], today=TODAY))
    assert "Fælles Fremtid" in reply.text and reply.subject == "faelles_fremtid"
    listed = answer(kb, Question(intent="ask_more", text="den anden", subject="faelles_fremtid",
                                 subject_list=["faelles_fremtid", "jobplaneten"], ordinal=2, today=TODAY))
    assert listed.subject == "jobplaneten"


def test_after_a_referral_a_general_question_is_not_about_it(kb):
    assert "56 67 67 67" in ask(kb, "ask_contact", "hvem kan jeg kontakte hvis jeg har spørgsmål",
                                subject="henvisning_bolig").text
    unnamed = Question(intent="ask_plan", text="hvad er den der helhedsplan", subject="henvisning_bolig", today=TODAY)
    assert "fire boligområder" in answer(kb, unnamed).text


def test_who_is_behind_the_funding_is_the_administration(kb):
    assert "Boligselskabet Sjælland" in ask(kb, "ask_plan_admin", "og hvem står bag den til daglig",
                                            subject="finansiering").text


@pytest.mark.parametrize("text, where", [
    ("kan bestyrelsen give mig en større lejlighed, vi er 6 personer i 2 vaerelser", "bosj.dk"),
    ("kan de komme og lave min vandhane", "bosj.dk"),
])
def test_more_housing_and_municipal_matters_are_referred(kb, text, where):
    reply = found_reply(kb, text, model_unsure=True)
    assert reply.text.startswith("Det ved jeg desværre ikke noget om.") and where in reply.text


def test_a_language_asked_of_a_person_the_model_could_not_place(kb):
    reply = found_reply(kb, "taler rikke willesen arabisk", model_unsure=True)
    assert "Hvilke sprog man kan bruge hos Rikke Willesen" in reply.text and "30 54 83 43" in reply.text


@pytest.mark.parametrize("text", ["er der noget for kvinder i området", "er der aktiviteter for kvinder",
                                  "er der sport for unge i helhedsplanen"])
def test_asking_what_there_is_for_a_group_is_not_asking_who_a_thing_is_for(text):
    assert asked_attribute(text) is None


@pytest.mark.parametrize("subject, partner", [("familie", "Familiecenteret"), ("mentorindsats", "SSP")])
def test_who_they_work_with_is_said_from_the_subject_or_its_area(kb, subject, partner):
    reply = ask(kb, "ask_coordination", "hvem arbejder de sammen med", subject=subject)
    assert partner in reply.text and "koordinationsgrupper" not in reply.text


def test_where_else_to_follow_a_thing_without_a_site(kb):
    assert "Facebook" in ask(kb, "ask_housing_areas", "hvor kan jeg ellers følge med",
                             subject="koege_kvindenetvaerk").text
    reply = ask(kb, "ask_job_help", "hvor kan jeg finde et fritidsjob", subject="koege_kvindenetvaerk")
    assert "Fælles Fremtid" in reply.text


def test_where_to_follow_a_thing_named_in_a_topic_question(kb):
    reply = ask(kb, "ask_community", "jeg var til kvindenetværket, hvor kan jeg se deres næste aktivitet")
    assert "Facebook" in reply.text
