"""The insights query layer and grouping, on a real SQLite tracker database
written by Rasa's own SQLTrackerStore with synthetic conversations."""
import datetime
import json

import pytest
import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.times import LOCAL_TIME
from bot.config import PrivacySettings
from bot.insights import LOW_CONFIDENCE, Insights, Period
from bot.insights.grouping import (SIMILARITY_THRESHOLD, Question, group_questions, question_key,
                                   redact_question)
from bot.insights.queries import ConversationEvents, ConversationsUnavailable
from tests.conversations import DAY, form_turns, session, turn, write_conversations

# Noon in Køge on 15 June 2026: every period below ends here.
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=LOCAL_TIME).timestamp()


def ago(days: float) -> float:
    return NOW - days * DAY


@pytest.fixture
def insights(tmp_path, answer_store):
    def open_with(conversations: dict) -> Insights:
        write_conversations(tmp_path / "conversations.db", conversations)
        return Insights.open(PrivacySettings(data_dir=tmp_path), answer_store.engine)

    return open_with


def questions_shown(items) -> str:
    """Everything the inbox would show staff, as one text."""
    return json.dumps([[item.group.question, *item.group.variants] for item in items], ensure_ascii=False)


# --- what counts as unanswered -------------------------------------------------------------


def test_unanswered_means_fallback_not_understood_out_of_scope_or_unsure(insights):
    t = ago(1)
    found = insights({
        "a": session(t)
        + turn("hvad er jobplaneten", "ask_initiative", t + 1)
        + turn("kan jeg leje en trailer", "ask_contact", t + 10, confidence=0.8, action="action_fallback")
        + turn("blablabla", "nlu_fallback", t + 20, confidence=0.5, action="action_fallback")
        + turn("hvem vinder superligaen", "out_of_scope", t + 30, confidence=0.9, action="action_answer")
        + turn("må man holde høns", "ask_community", t + 40, confidence=LOW_CONFIDENCE - 0.01)
        + turn("hvor er fritidsklubben", "ask_community", t + 50, confidence=LOW_CONFIDENCE),
    }).inbox(moment=NOW)
    assert sorted(item.group.question for item in found) == [
        "blablabla", "hvem vinder superligaen", "kan jeg leje en trailer", "må man holde høns"]


def test_what_is_typed_into_a_form_is_not_a_question(insights):
    t = ago(1)
    found = insights({
        "a": session(t) + turn("kan nogen ringe mig op", "human_handoff", t + 1, action="callback_form")
        + form_turns(t + 2, ["Fatima", "22 33 44 55", "min husleje"])
        + turn("hvad er klokken", "out_of_scope", t + 20, confidence=0.4, action="action_fallback"),
    }).inbox(moment=NOW)
    assert [item.group.question for item in found] == ["hvad er klokken"]


def test_button_clicks_and_empty_messages_are_left_out(insights):
    t = ago(1)
    found = insights({"a": session(t) + turn('/ask_initiative{"initiative": "x"}', "nlu_fallback", t + 1)
                      + turn("?!", "nlu_fallback", t + 2)}).inbox(moment=NOW)
    assert found == []


# --- personal data never leaves ------------------------------------------------------------------


def test_personal_data_is_redacted_on_the_way_out(insights):
    t = ago(2)
    # Written straight to the store, as if the entrance had been bypassed.
    found = insights({
        "a": session(t) + turn("mit cpr er 010190-1234, hvad gør jeg", "nlu_fallback", t + 1),
        "b": session(t) + turn("ring til mig på 22 33 44 55 om trailer", "out_of_scope", t + 1),
        "c": session(t) + turn("skriv til fatima.hassan@example.dk om haven", "nlu_fallback", t + 1),
        "d": session(t) + turn("Hej jeg hedder Fatima og vil vide noget om haven", "nlu_fallback", t + 1),
        "e": session(t) + turn("jeg er Ahmed Hassan, hvor er vaskeriet", "nlu_fallback", t + 1),
    }).inbox(moment=NOW)
    shown = questions_shown(found)
    for secret in ("010190", "1234", "22 33 44 55", "22334455", "fatima", "Fatima", "@", "Ahmed", "Hassan"):
        assert secret not in shown, secret
    assert "[fjernet]" in shown and "haven" in shown and "vaskeriet" in shown


@pytest.mark.parametrize("text, expected", [
    ("jeg hedder Fatima", "jeg hedder [fjernet]"),
    ("Hej, jeg hedder fatima hassan og bor i Søparken", "Hej, jeg hedder [fjernet] og bor i Søparken"),
    ("Mit navn er Anne-Marie Hansen.", "Mit navn er [fjernet]."),
    ("jeg er Bo", "jeg er [fjernet]"),
    ("jeg er ny her, hvad er helhedsplanen", "jeg er ny her, hvad er helhedsplanen"),
    ("min mail er bo@example.dk og mit nummer 2233 4455", "min mail er [fjernet] og mit nummer [fjernet]"),
    ("cpr 0101901234", "cpr [fjernet]"),
])
def test_redact_question(text, expected):
    assert redact_question(text) == expected


# --- grouping ------------------------------------------------------------------------------------


def test_similar_questions_are_grouped_with_counts_channels_and_dates(insights):
    found = insights({
        "a": session(ago(3)) + turn("Hvornår åbner biblioteket?", "out_of_scope", ago(3) + 1, channel="socketio"),
        "b": session(ago(2)) + turn("hvornaar aabner bibliotekt", "out_of_scope", ago(2) + 1, channel="rest"),
        "c": session(ago(1)) + turn("hvornår åbner biblioteket", "out_of_scope", ago(1) + 1, channel="gatewayapi"),
        "d": session(ago(1)) + turn("hvornår lukker biblioteket", "out_of_scope", ago(1) + 2),
        "e": session(ago(1)) + turn("må jeg grille på altanen", "nlu_fallback", ago(1) + 3),
    }).inbox(moment=NOW)
    first = found[0].group
    assert first.question == "hvornår åbner biblioteket"  # the most asked wording, as last written
    assert first.count == 3 and first.variants == ["hvornaar aabner bibliotekt"]
    assert first.channels == ["gatewayapi", "rest", "socketio"]
    assert first.first.timestamp() == pytest.approx(ago(3) + 1) and first.last.timestamp() == pytest.approx(ago(1) + 1)
    assert first.key == question_key("hvornår åbner biblioteket")
    assert sorted(item.group.question for item in found[1:]) == ["hvornår lukker biblioteket",
                                                                  "må jeg grille på altanen"]


def test_grouping_is_greedy_on_the_most_asked_wording():
    at = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
    texts = ["hvor er genbrugspladsen"] * 2 + ["hvor ligger genbrugspladsen henne", "hvad er topskat",
                                               "hvornår skal jeg betale b-skat"]
    groups = group_questions([Question(text, "rest", at) for text in texts])
    assert [(g.question, g.count) for g in groups][0] == ("hvor er genbrugspladsen", 3)
    assert len(groups) == 3
    assert 0 < SIMILARITY_THRESHOLD <= 100


def test_only_the_period_asked_for_is_read(insights):
    reader = insights({
        "old": session(ago(40)) + turn("gammelt spørgsmål om hunde", "nlu_fallback", ago(40) + 1),
        "new": session(ago(5)) + turn("nyt spørgsmål om katte", "nlu_fallback", ago(5) + 1),
    })
    assert [i.group.question for i in reader.inbox(days=30, moment=NOW)] == ["nyt spørgsmål om katte"]
    assert len(reader.inbox(days=3, moment=NOW)) == 0
    assert len(reader.inbox(days=60, moment=NOW)) == 2


# --- handled marks -------------------------------------------------------------------------------


def test_a_handled_group_is_hidden_also_when_the_question_comes_again(tmp_path, insights, answer_store):
    reader = insights({
        "a": session(ago(3)) + turn("må jeg grille på altanen", "nlu_fallback", ago(3) + 1),
        "b": session(ago(3)) + turn("hvor er vaskeriet", "nlu_fallback", ago(3) + 2),
    })
    key = question_key("må jeg grille på altanen")
    item = reader.mark_handled(key, "bo", moment=NOW)
    assert item.group.key == key and item.handled.handled_by == "bo"
    assert [i.group.question for i in reader.inbox(moment=NOW)] == ["hvor er vaskeriet"]
    shown = {i.group.question: i.handled for i in reader.inbox(include_handled=True, moment=NOW)}
    assert shown["må jeg grille på altanen"].handled_by == "bo" and shown["hvor er vaskeriet"] is None
    assert audit.recent(answer_store.engine)[0].action == "inbox_handled"

    # The same question again, worded a little differently, the next day: still handled.
    write_conversations(tmp_path / "conversations.db", {
        "c": session(ago(1)) + turn("Må jeg grille på min altan?", "nlu_fallback", ago(1) + 1)})
    assert [i.group.question for i in reader.inbox(moment=NOW)] == ["hvor er vaskeriet"]
    # Marking again changes nothing and logs nothing more.
    reader.mark_handled(key, "anna", moment=NOW)
    assert sum(r.action == "inbox_handled" for r in audit.recent(answer_store.engine)) == 1


def test_an_unknown_key_marks_nothing(insights, answer_store):
    reader = insights({"a": session(ago(1)) + turn("hvor er vaskeriet", "nlu_fallback", ago(1) + 1)})
    assert reader.mark_handled("0" * 64, "bo", moment=NOW) is None
    with answer_store.engine.connect() as connection:
        assert connection.execute(sa.select(tables.inbox_handled)).all() == []


# --- the dashboard -------------------------------------------------------------------------------


def local(day: int, hour: int, minute: int = 0) -> float:
    return datetime.datetime(2026, 6, day, hour, minute, tzinfo=LOCAL_TIME).timestamp()


def add_callbacks(answer_store, *moments: float) -> None:
    with answer_store.engine.begin() as connection:
        for moment in moments:
            at = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
            connection.execute(sa.insert(tables.callback_requests).values(
                created_at=at, first_name="Test", phone="22334455", topic="husleje", channel="socketio",
                status="new", updated_at=at))


def test_dashboard_figures(insights, answer_store):
    reader = insights({
        # Two web residents and one by SMS on 14 June; one resident writes twice that day.
        "web1": session(local(14, 10)) + turn("hej", "greet", local(14, 10, 1))
        + turn("hvad er jobplaneten", "ask_initiative", local(14, 10, 2))
        + turn("hvem kan jeg ringe til", "ask_contact", local(14, 10, 3)),
        "web2": session(local(14, 11)) + turn("hvad er jobplaneten", "ask_initiative", local(14, 11, 1))
        + turn("må jeg grille", "nlu_fallback", local(14, 11, 2), confidence=0.5, action="action_fallback"),
        "sms1": session(local(14, 12)) + turn("fritidsjob", "ask_job_help", local(14, 12, 1), channel="gatewayapi")
        + turn("tak", "thank", local(14, 12, 2), channel="gatewayapi"),
        # 23:30 in Køge on 14 June is 21:30 UTC: still 14 June.
        "late": session(local(14, 23, 30)) + turn("ungdomsklub", "ask_community", local(14, 23, 31), 0.4),
        # 00:30 in Køge on 15 June is 22:30 UTC on 14 June: 15 June here.
        "night": session(local(15, 0, 30)) + turn("hvad er jobplaneten", "ask_initiative", local(15, 0, 31),
                                                  channel="rest"),
        "old": session(ago(40)) + turn("gammel", "ask_plan", ago(40) + 1),
    })
    add_callbacks(answer_store, local(14, 9), local(14, 15), local(15, 0, 10), ago(40))
    figures = reader.dashboard(days=7, moment=NOW)

    assert figures.period.days == 7 and len(figures.conversations) == 7
    assert figures.period.start == datetime.datetime(2026, 6, 9, tzinfo=LOCAL_TIME)
    by_day = {day.date.isoformat(): day for day in figures.conversations}
    assert by_day["2026-06-14"].by_channel == {"gatewayapi": 1, "socketio": 3}
    assert by_day["2026-06-14"].total == 4
    assert by_day["2026-06-15"].by_channel == {"rest": 1}
    assert by_day["2026-06-13"].total == 0 and by_day["2026-06-13"].by_channel == {}
    assert figures.channels == ["socketio", "gatewayapi", "rest"]
    assert figures.residents == 5

    assert [(t.intent, t.label, t.count) for t in figures.topics] == [
        ("ask_initiative", "En bestemt indsats", 3), ("ask_community", "Fællesskab og aktiviteter", 1),
        ("ask_contact", "Kontakt til en medarbejder", 1), ("ask_job_help", "Job og uddannelse", 1)]

    assert figures.questions == 9
    assert figures.answered == 7  # the fallback and the unsure "ungdomsklub" are not
    assert figures.answered_share == pytest.approx(7 / 9)

    callbacks = {day.date.isoformat(): day.count for day in figures.callbacks}
    assert callbacks["2026-06-14"] == 2 and callbacks["2026-06-15"] == 1 and sum(callbacks.values()) == 3
    assert figures.total_callbacks == 3


def test_no_conversation_store_yet_gives_empty_figures_and_creates_nothing(tmp_path, answer_store):
    reader = Insights.open(PrivacySettings(data_dir=tmp_path / "nothing"), answer_store.engine)
    assert reader.inbox(moment=NOW) == []
    figures = reader.dashboard(moment=NOW)
    assert figures.questions == 0 and figures.answered_share is None
    assert len(figures.conversations) == 30 and all(day.total == 0 for day in figures.conversations)
    assert not (tmp_path / "nothing").exists()


def test_the_conversation_store_is_only_read(tmp_path, insights):
    reader = insights({"a": session(ago(1)) + turn("hvor er vaskeriet", "nlu_fallback", ago(1) + 1)})
    before = (tmp_path / "conversations.db").read_bytes()
    reader.inbox(moment=NOW)
    reader.dashboard(moment=NOW)
    reader.close()
    assert (tmp_path / "conversations.db").read_bytes() == before


def test_user_turns_carry_what_the_assistant_did(tmp_path):
    url = write_conversations(tmp_path / "c.db", {
        "a": session(ago(1)) + turn("hej", "greet", ago(1) + 1, confidence=0.91, channel="rest")
        + [turn("uden svar endnu", "ask_plan", ago(1) + 5)[0]]})
    turns = ConversationEvents(url).user_turns(ago(2))
    assert [(t.text, t.intent, t.confidence, t.next_action, t.channel, t.in_form) for t in turns] == [
        ("hej", "greet", 0.91, "action_answer", "rest", False),
        ("uden svar endnu", "ask_plan", 0.97, None, "socketio", False)]


def test_a_period_is_whole_days_in_koege():
    period = Period.last(1, moment=NOW)
    assert period.start == datetime.datetime(2026, 6, 15, tzinfo=LOCAL_TIME)
    assert [day.isoformat() for day in Period.last(3, moment=NOW).dates] == ["2026-06-13", "2026-06-14",
                                                                            "2026-06-15"]
    for days in (0, 366):
        with pytest.raises(ValueError):
            Period.last(days)


def test_the_same_figures_from_postgresql(postgres, tmp_path, answer_store):
    conversations = {
        "a": session(ago(2)) + turn("hvad er jobplaneten", "ask_initiative", ago(2) + 1)
        + turn("må jeg grille på altanen", "nlu_fallback", ago(2) + 2, confidence=0.4, action="action_fallback")
        + form_turns(ago(2) + 10, ["Fatima", "22 33 44 55"]),
        "b": session(ago(1)) + turn("Må jeg grille på altanen?", "out_of_scope", ago(1) + 1, channel="rest"),
    }
    on_sqlite = Insights(ConversationEvents(write_conversations(tmp_path / "c.db", conversations)),
                         answer_store.engine)
    on_postgresql = Insights(ConversationEvents(write_conversations(postgres.new_database(), conversations)),
                             answer_store.engine)
    for reader in (on_sqlite, on_postgresql):
        assert [(i.group.question, i.group.count) for i in reader.inbox(moment=NOW)] == [
            ("Må jeg grille på altanen?", 2)]
    assert on_postgresql.dashboard(moment=NOW) == on_sqlite.dashboard(moment=NOW)
    on_postgresql.close()


def test_an_unreachable_conversation_store_is_reported_not_a_crash(answer_store):
    reader = Insights(ConversationEvents("postgresql://nobody@127.0.0.1:1/samtaler?connect_timeout=2"),
                      answer_store.engine)
    with pytest.raises(ConversationsUnavailable):
        reader.inbox(moment=NOW)
