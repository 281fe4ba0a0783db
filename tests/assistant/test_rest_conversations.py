"""Danish questions through the REST channel of the real servers.

Each conversation is a list of turns (question, facts the reply must contain);
turns share one sender, so follow-ups rely on the conversation's memory.
"""
import pytest

pytestmark = pytest.mark.integration

CONVERSATIONS = {
    "the plan": [
        ("hej", ["chatbot"]),
        ("hvad er helhedsplanen", ["Søparken", "Karlemoseparken", "tryghed og trivsel"]),
        ("hvor længe løber den", ["1. september 2021", "31. august 2025"]),
        ("hvem står bag helhedsplanen", ["Boligselskabet Sjælland"]),
        ("hvem betaler for det", ["Landsbyggefonden", "boligselskaberne", "Køge Kommune"]),
        ("har de en hjemmeside?", ["https://bosj.dk"]),
        ("hvilke indsatser har i", ["fire hovedområder", "kriminalitetsforebyggelse"]),
        ("fortæl mere om den sidste", ["Get2Sport", "SSP"]),
    ],
    "job help and follow-ups": [
        ("min søn søger fritidsjob", ["Fælles Fremtid", "fritidsjob"]),
        ("hvordan kontakter jeg dem?", ["56 67 67 67"]),
        ("fortæl mere om den første", ["Fælles Fremtid", "læreplads"]),
        ("har de en hjemmeside", ["ikke en hjemmeside for Fælles Fremtid", "https://bosj.dk"]),
        ("hjælp til cv", ["CV"]),
    ],
    "initiatives, spelt as residents spell them": [
        ("hvad er jobplaneten", ["https://jobplaneten.dk", "unge"]),
        ("faeles fremtid?", ["fritidsjob"]),
        ("kvindenetvaerk", ["Køge Kvindenetværk", "Facebook"]),
        ("hvad er get2sport", ["Get2Sport", "kriminalitet"]),
        ("kan min søn få en mentor", ["mentorindsats"]),
        ("hvad er ssp", ["SSP"]),
        ("samarbejder i med sundhedsplejen", ["Sundhedsplejen"]),
    ],
    "family, community and safety": [
        ("jeg har brug for hjælp som forælder", ["Familiecenteret", "Sundhedsplejen"]),
        ("er der nogle aktiviteter for kvinder", ["Køge Kvindenetværk"]),
        ("hvad gør i for at forebygge kriminalitet", ["mentorindsats", "Get2Sport"]),
    ],
    "governance": [
        ("hvad laver bestyrelsen", ["overordnede ansvar", "3-4 gange om året"]),
        ("hvem kan jeg kontakte om det", ["Rikke Willesen", "30 54 83 43", "rikke.willesen@koege.dk"]),
        ("hvad er boligsocialt forum", ["ingen formel beslutningskompetence", "1-2 gange om året"]),
        ("hvem sidder i forummet", ["syv byrådsmedlemmer", "afdelingsbestyrelser"]),
        ("hvad er koordinationsgrupperne", ["to koordinationsgrupper"]),
    ],
    "contacts": [
        ("hvem kan jeg ringe til", ["Rikke Willesen", "Køge Kommune"]),
        ("hvad er kommunens telefonnummer", ["56 67 67 67"]),
        ("adressen på rådhuset", ["Torvet 1, 4600 Køge"]),
        ("email til rikke", ["rikke.willesen@koege.dk"]),
        ("hvad er hendes telefonnummer", ["30 54 83 43"]),
    ],
    "housing areas": [
        ("hvilke boligområder er med", ["Søparken", "Hastrupparken", "Ellemarken", "Karlemoseparken"]),
        ("er ellemarken med?", ["Ja", "Ellemarken"]),
        ("gælder det også karlemose parken", ["Karlemoseparken"]),
    ],
    "emergencies first": [
        ("det brænder i min opgang", ["112"]),
        ("min mand slår mig", ["112", "114"]),
        ("jeg vil ikke leve mere", ["Livslinien", "70 201 201"]),
        ("der er indbrud hos mig, hvem kan jeg kontakte", ["112"]),
    ],
    "safety mode stays until the danger is over": [
        ("min mand slår mig", ["112", "114", "1888"]),
        ("hvad skal jeg gøre", ["1888"]),
        ("kan i ringe til mig", ["1888", "112"]),
        ("tak", ["1888"]),
        ("jeg er 14", ["116 111"]),
        ("hvad er jobplaneten", ["https://jobplaneten.dk"]),
    ],
    "a callback asked for starts the form at once": [
        ("kan nogen ringe mig op?", ["fornavn"]),
    ],
    "out of scope and chit-chat": [
        ("hvad bliver vejret i morgen", ["ikke hjælpe med", "56 67 67 67"]),
        ("kan jeg bestille en pizza her", ["ikke hjælpe med"]),
        ("asdfghjkl", ["ikke hjælpe med"]),
        ("er du en robot?", ["chatbot"]),
        ("hvad kan du hjælpe med", ["Jeg kan fortælle"]),
        ("tak for hjælpen", ["Selv tak"]),
        ("farvel", ["Farvel"]),
    ],
    "english and buttons": [
        ("where can i get help with my cv", ["CV"]),
        ('/ask_more{"entry":"get2sport"}', ["Get2Sport"]),
        ("i want to talk to a human", ["56 67 67 67"]),
    ],
}


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_conversation(assistant, sender, name):
    for question, facts in CONVERSATIONS[name]:
        reply = assistant.text(sender, question)
        missing = [fact for fact in facts if fact not in reply]
        assert not missing, f"{question!r} → {reply!r} lacks {missing}"


def test_there_are_at_least_forty_questions():
    assert sum(len(turns) for turns in CONVERSATIONS.values()) >= 40


def test_every_reply_is_non_empty(assistant, sender):
    for question in ["", "   ", "?", "😀😀😀", "x" * 500]:
        assert assistant.ask(sender, question), question
