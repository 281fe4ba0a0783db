"""Reply composition: the facts residents get for each kind of question."""
import datetime

import pytest

from bot.knowledge.answers import Question, answer

TODAY = datetime.date(2026, 11, 25)


def ask(kb, intent, **kwargs):
    return answer(kb, Question(intent=intent, today=TODAY, **kwargs))


@pytest.mark.parametrize(
    "intent, facts",
    [
        ("ask_plan", ["Søparken", "Hastrupparken", "Ellemarken", "Karlemoseparken", "tryghed og trivsel"]),
        ("ask_plan_period", ["1. september 2021", "31. august 2025"]),
        ("ask_plan_admin", ["Boligselskabet Sjælland", "https://bosj.dk"]),
        ("ask_plan_funding", ["Landsbyggefonden", "boligselskaberne", "Køge Kommune"]),
        ("ask_housing_areas", ["Søparken", "Hastrupparken", "Ellemarken", "Karlemoseparken"]),
        ("ask_work_areas", ["beskæftigelse", "kriminalitetsforebyggelse", "medborgerskab"]),
        ("ask_job_help", ["fritidsjob", "læreplads", "CV", "uddannelsesvejledning", "Jobplaneten"]),
        ("ask_family_support", ["Familiecenteret", "Sundhedsplejen", "SFO'er", "daginstitutioner"]),
        ("ask_crime_prevention", ["mentorindsats", "Get2Sport", "SSP", "politiet"]),
        ("ask_community", ["Køge Kvindenetværk", "sundhed og trivsel"]),
        ("ask_board", ["3-4 gange om året", "overordnede ansvar"]),
        ("ask_forum", ["ingen formel beslutningskompetence", "1-2 gange om året"]),
        ("ask_coordination", ["to koordinationsgrupper"]),
        ("ask_website", ["https://bosj.dk"]),
    ],
)
def test_intent_answers_contain_the_facts(kb, intent, facts):
    reply = ask(kb, intent)
    for fact in facts:
        assert fact in reply.text


def test_period_answer_says_the_period_is_over(kb):
    reply = ask(kb, "ask_plan_period")
    assert "slut" in reply.text and "56 67 67 67" in reply.text
    before_end = answer(kb, Question(intent="ask_plan_period", today=datetime.date(2024, 1, 1)))
    assert "slut" not in before_end.text


def test_list_answers_offer_buttons_and_remember_the_list(kb):
    reply = ask(kb, "ask_work_areas")
    assert [b.entry_id for b in reply.buttons] == ["beskaeftigelse", "familie", "faellesskab", "kriminalitet"]
    assert reply.subject_list == ["beskaeftigelse", "familie", "faellesskab", "kriminalitet"]


def test_named_initiative_is_described_with_its_link(kb):
    reply = ask(kb, "ask_initiative", mentioned=["jobplaneten"])
    assert "unge" in reply.text and "https://jobplaneten.dk" in reply.text
    assert reply.subject == "jobplaneten"


def test_initiative_the_page_says_little_about_refers_to_a_contact(kb):
    reply = ask(kb, "ask_initiative", mentioned=["get2sport"])
    assert "Jeg har ikke flere oplysninger" in reply.text and "56 67 67 67" in reply.text


def test_unknown_initiative_is_admitted(kb):
    reply = ask(kb, "ask_initiative")
    assert "kender jeg desværre ikke" in reply.text and reply.buttons


def test_contact_follow_up_uses_the_subject(kb):
    reply = ask(kb, "ask_contact", subject="boligsocialt_forum")
    assert "Rikke Willesen" in reply.text and "30 54 83 43" in reply.text and "rikke.willesen@koege.dk" in reply.text


def test_contact_for_something_without_a_named_person_says_so(kb):
    reply = ask(kb, "ask_contact", mentioned=["faelles_fremtid"])
    assert "Jeg har ikke en kontaktperson for Fælles Fremtid" in reply.text
    assert "56 67 67 67" in reply.text and "raadhus@koege.dk" in reply.text


def test_contact_without_subject_lists_every_contact(kb):
    reply = ask(kb, "ask_contact")
    for fact in ["Rikke Willesen", "30 54 83 43", "Køge Kommune", "56 67 67 67", "Torvet 1, 4600 Køge"]:
        assert fact in reply.text


@pytest.mark.parametrize(
    "attribute, present, absent",
    [
        ("telefon", "56 67 67 67", "raadhus@koege.dk"),
        ("email", "raadhus@koege.dk", "Torvet 1"),
        ("adresse", "Torvet 1, 4600 Køge", "raadhus@koege.dk"),
    ],
)
def test_contact_attribute_gives_just_that(kb, attribute, present, absent):
    reply = ask(kb, "ask_contact", mentioned=["koege_kommune"], attribute=attribute)
    assert present in reply.text and absent not in reply.text


def test_missing_opening_hours_are_admitted_with_the_phone(kb):
    reply = ask(kb, "ask_contact", mentioned=["koege_kommune"], attribute="aabningstider")
    assert "står ikke" in reply.text and "56 67 67 67" in reply.text


def test_missing_attribute_is_admitted(kb):
    reply = ask(kb, "ask_contact", mentioned=["rikke_willesen"], attribute="adresse")
    assert "ikke en adresse" in reply.text and "30 54 83 43" in reply.text


@pytest.mark.parametrize("ordinal, expected", [(1, "uddannelse og job"), (2, "familier"), (-1, "Get2Sport")])
def test_more_about_an_item_of_the_last_list(kb, ordinal, expected):
    reply = ask(kb, "ask_more", ordinal=ordinal, subject_list=["beskaeftigelse", "familie", "kriminalitet"])
    assert expected in reply.text


def test_more_with_an_ordinal_outside_the_list(kb):
    reply = ask(kb, "ask_more", ordinal=3, subject_list=["jobplaneten"])
    assert "kan jeg ikke finde" in reply.text and [b.entry_id for b in reply.buttons] == ["jobplaneten"]


def test_more_about_the_subject_gives_details(kb):
    reply = ask(kb, "ask_more", subject="boligsocialt_forum")
    assert "syv byrådsmedlemmer" in reply.text


def test_more_without_anything_asks_what(kb):
    assert "Hvad vil du gerne vide mere om" in ask(kb, "ask_more").text


def test_website_follow_up(kb):
    assert "https://jobplaneten.dk" in ask(kb, "ask_website", subject="jobplaneten").text
    no_site = ask(kb, "ask_website", subject="get2sport")
    assert "ikke en hjemmeside for Get2Sport" in no_site.text and "https://bosj.dk" in no_site.text


def test_housing_area_named(kb):
    reply = ask(kb, "ask_housing_areas", mentioned=["ellemarken"])
    assert reply.text.startswith("Ja.") and "Ellemarken" in reply.text


def test_handoff_gives_a_person_to_call(kb):
    reply = ask(kb, "human_handoff")
    assert "56 67 67 67" in reply.text
    assert "30 54 83 43" in ask(kb, "human_handoff", subject="bestyrelsen").text


def test_website_for_a_plan_topic_is_the_plans_site(kb):
    reply = ask(kb, "ask_website", subject="finansiering")
    assert "https://bosj.dk" in reply.text and "ikke en hjemmeside" not in reply.text


def test_more_about_a_list_item_that_was_retired_since(kb):
    reply = ask(kb, "ask_more", ordinal=1, subject_list=["retired_entry", "get2sport"])
    assert "Get2Sport" in reply.text
    gone = ask(kb, "ask_more", ordinal=2, subject_list=["retired_entry", "get2sport"])
    assert "kan jeg ikke finde" in gone.text


def test_a_contact_without_phone_is_offered_by_email_only(kb):
    from bot.knowledge.answers import how_to_reach

    mail_only = kb.get("rikke_willesen").copy(update={"phone": None})
    assert how_to_reach(mail_only) == "på rikke.willesen@koege.dk"
    assert how_to_reach(kb.get("koege_kommune")) == "på tlf. 56 67 67 67 eller på raadhus@koege.dk"
