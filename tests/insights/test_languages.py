"""The language of each resident message, in the inbox and on the dashboard,
read from a real tracker database written by Rasa's own SQLTrackerStore.

Messages are stored as the Rasa server stores them since it tells languages:
``said`` runs the server's own ``with_language`` on the parse data (the
``language`` entity, when the language can be told) and, like Rasa's
``action_extract_slots``, follows the message with the ``language`` slot set
from that entity.
"""
import datetime
from typing import Optional

import pytest
from rasa.shared.core.events import (
    ActionExecuted, AllSlotsReset, BotUttered, Restarted, SessionStarted, SlotSet, UserUttered,
)

from bot.answer_store.times import LOCAL_TIME
from bot.config import PrivacySettings
from bot.insights import Insights
from bot.insights.grouping import question_key
from bot.insights.labels import LANGUAGE_LABELS, language_label, language_own_name, text_direction
from bot.insights.queries import ConversationEvents
from bot.language.detect import SUPPORTED
from bot.rasa_server.reply_language import with_language
from tests.conversations import DAY, session, turn, write_conversations

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=LOCAL_TIME).timestamp()
DETECT = object()  # said(): let the server's detector tell the language

ARABIC_GRILL = "هل يمكنني الشواء على الشرفة؟"
ENGLISH_GRILL = "can I grill on my balcony"
DANISH_GRILL = "må jeg grille på altanen"
FARSI = "چطور می‌توانم با کسی صحبت کنم"


def ago(days: float) -> float:
    return NOW - days * DAY


def local(day: int, hour: int, minute: int = 0) -> float:
    return datetime.datetime(2026, 6, day, hour, minute, tzinfo=LOCAL_TIME).timestamp()


def said(text: str, intent: str, at: float, language=DETECT, confidence: float = 0.97,
         action: str = "action_answer", channel: str = "socketio") -> list:
    """A resident's message as the Rasa server stores it: ``language`` DETECT runs the
    server's ``with_language``; a code puts that entity in as it is; None: no entity."""
    parse_data = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
                  "intent_ranking": [{"name": intent, "confidence": confidence}]}
    if language is DETECT:
        parse_data = with_language(parse_data)
    elif language is not None:
        parse_data["entities"] = [{"entity": "language", "value": language, "start": 0, "end": len(text),
                                   "extractor": "LanguageDetector"}]
    entities = parse_data["entities"]
    events = [UserUttered(text, intent=parse_data["intent"], entities=entities, parse_data=parse_data,
                          timestamp=at, input_channel=channel)]
    # domain.yml maps the entity to the slot (from_entity): Rasa sets it right after the message.
    events += [SlotSet("language", e["value"], timestamp=at + 0.05) for e in entities if e["entity"] == "language"]
    return events + [ActionExecuted(action, timestamp=at + 0.1), BotUttered("Et svar.", timestamp=at + 0.2),
                     ActionExecuted("action_listen", timestamp=at + 0.3)]


def unanswered(text: str, at: float, language=DETECT, channel: str = "socketio") -> list:
    return said(text, "nlu_fallback", at, language, confidence=0.4, action="action_fallback", channel=channel)


@pytest.fixture
def insights(tmp_path, answer_store):
    def open_with(conversations: dict) -> Insights:
        write_conversations(tmp_path / "conversations.db", conversations)
        return Insights.open(PrivacySettings(data_dir=tmp_path), answer_store.engine)

    return open_with


def languages_of(url: str, sender: Optional[str] = None) -> list:
    return [(t.text, t.language) for t in ConversationEvents(url).user_turns(ago(30))
            if sender is None or t.sender_id == sender]


# --- the language of each message ----------------------------------------------------------------


def test_a_message_has_the_language_told_for_it_or_else_the_conversations_language_so_far(tmp_path):
    t = ago(1)
    url = write_conversations(tmp_path / "c.db", {
        "english": session(t) + said("where is the laundry room", "ask_contact", t + 1)
        + said("ok", "affirm", t + 2)  # cannot be told: still English
        + said("/ask_contact", "ask_contact", t + 3)  # a button: still English
        + said("hvor er vaskeriet", "ask_contact", t + 4)  # switched to Danish
        + said("ok", "affirm", t + 5),
        "arabic": session(t) + said(ARABIC_GRILL, "nlu_fallback", t + 1) + said("112", "emergency", t + 2),
        "nothing_told": session(t) + said("ok", "affirm", t + 1) + said("?", "nlu_fallback", t + 2),
        # A message stored before languages were told (no entity, no slot): Danish.
        "before": session(t) + turn("can I grill on my balcony", "nlu_fallback", t + 1),
    })
    assert languages_of(url, "english") == [("where is the laundry room", "en"), ("ok", "en"),
                                            ("/ask_contact", "en"), ("hvor er vaskeriet", "da"), ("ok", "da")]
    assert languages_of(url, "arabic") == [(ARABIC_GRILL, "ar"), ("112", "ar")]
    assert languages_of(url, "nothing_told") == [("ok", "da"), ("?", "da")]
    assert languages_of(url, "before") == [("can I grill on my balcony", "da")]


def test_a_language_button_gives_the_language_and_a_restart_or_reset_gives_danish_again(tmp_path):
    t = ago(1)
    url = write_conversations(tmp_path / "c.db", {
        # /choose_language{"language": "en"}: Rasa takes the entity from the payload.
        "button": session(t) + said('/choose_language{"language":"en"}', "choose_language", t + 1, language="en")
        + said("ok", "affirm", t + 2)
        + [Restarted(timestamp=t + 3)] + said("ok", "affirm", t + 4),
        "reset": session(t) + said(FARSI, "ask_contact", t + 1) + said("ok", "affirm", t + 2)
        + [AllSlotsReset(timestamp=t + 3)] + said("ok", "affirm", t + 4),
    })
    assert [language for _, language in languages_of(url, "button")] == ["en", "en", "da"]
    assert [language for _, language in languages_of(url, "reset")] == ["fa", "fa", "da"]


def test_a_new_session_keeps_the_language_carried_over_and_else_starts_in_danish(tmp_path):
    t = ago(2)
    later = ago(1)
    url = write_conversations(tmp_path / "c.db", {
        # carry_over_slots_to_new_session (domain.yml): the slot comes again right after the new session starts.
        "carried": session(t) + said("Чи можна смажити шашлик на балконі?", "nlu_fallback", t + 1)
        + [ActionExecuted("action_session_start", timestamp=later), SessionStarted(timestamp=later),
           SlotSet("language", "uk", timestamp=later), ActionExecuted("action_listen", timestamp=later)]
        + said("ok", "affirm", later + 1),
        "not_carried": session(t) + said("Czy mogę grillować na balkonie?", "nlu_fallback", t + 1)
        + session(later) + said("ok", "affirm", later + 1),
    })
    assert [language for _, language in languages_of(url, "carried")] == ["uk", "uk"]
    assert [language for _, language in languages_of(url, "not_carried")] == ["pl", "da"]


def test_an_unknown_language_code_is_not_taken(tmp_path):
    t = ago(1)
    url = write_conversations(tmp_path / "c.db", {
        "a": session(t) + said("where is the laundry room", "ask_contact", t + 1)
        + said("wo ist die Waschküche", "nlu_fallback", t + 2, language="de"),
        "b": session(t) + [SlotSet("language", "xx", timestamp=t + 0.5)] + said("ok", "affirm", t + 1),
    })
    assert languages_of(url, "a") == [("where is the laundry room", "en"), ("wo ist die Waschküche", "en")]
    assert languages_of(url, "b") == [("ok", "da")]


def test_every_language_has_a_danish_name_and_a_direction():
    assert set(LANGUAGE_LABELS) == set(SUPPORTED)
    assert language_label("ar") == "Arabisk" and language_own_name("ar") == "العربية"
    assert language_own_name("da") is None and language_label("xx") == "xx"
    assert all(language_own_name(code) for code in SUPPORTED if code != "da")
    assert [code for code in SUPPORTED if text_direction(code) == "rtl"] == ["ar", "ur", "fa"]


# --- the inbox -----------------------------------------------------------------------------------


def test_inbox_groups_carry_the_language_of_their_questions(insights):
    t = ago(2)
    found = insights({
        "a": session(t) + unanswered(ARABIC_GRILL, t + 1),
        "b": session(t + 60) + unanswered(ARABIC_GRILL, t + 61, channel="gatewayapi"),
        "c": session(t + 120) + unanswered(ENGLISH_GRILL, t + 121),
        "d": session(t + 180) + unanswered(DANISH_GRILL, t + 181),
    }).inbox(moment=NOW)
    by_question = {item.group.question: item.group for item in found}
    assert set(by_question) == {ARABIC_GRILL, ENGLISH_GRILL, DANISH_GRILL}
    assert (by_question[ARABIC_GRILL].language, by_question[ARABIC_GRILL].count) == ("ar", 2)
    assert by_question[ARABIC_GRILL].languages == ["ar"]
    assert by_question[ENGLISH_GRILL].language == "en" and by_question[DANISH_GRILL].language == "da"


def test_the_inbox_can_be_limited_to_one_language(insights):
    t = ago(2)
    reader = insights({
        "a": session(t) + unanswered(ARABIC_GRILL, t + 1),
        "b": session(t + 60) + unanswered(ARABIC_GRILL, t + 61),
        "c": session(t + 120) + said("where is the laundry room", "ask_contact", t + 121)
        + unanswered("ok grill?", t + 122, language=None),  # said in an English conversation
        "d": session(t + 180) + unanswered(DANISH_GRILL, t + 181),
        "e": session(t + 240) + unanswered(FARSI, t + 241),
    })
    assert [(i.group.question, i.group.count) for i in reader.inbox(moment=NOW, language="ar")] == [(ARABIC_GRILL, 2)]
    assert [i.group.question for i in reader.inbox(moment=NOW, language="en")] == ["ok grill?"]
    assert [i.group.question for i in reader.inbox(moment=NOW, language="da")] == [DANISH_GRILL]
    assert [i.group.language for i in reader.inbox(moment=NOW, language="fa")] == ["fa"]
    assert reader.inbox(moment=NOW, language="so") == []
    assert len(reader.inbox(moment=NOW)) == 4


def test_a_group_in_several_languages_and_marking_it_handled_under_a_language(insights):
    t = ago(2)
    reader = insights({
        # The same question three times in Danish, once (forced) as English: one group, Danish first.
        **{f"da{n}": session(t + n) + unanswered("hvor er vaskeriet", t + n + 0.5, language="da") for n in range(3)},
        "en": session(t + 10) + unanswered("hvor er vaskeriet henne", t + 10.5, language="en"),
    })
    group = reader.inbox(moment=NOW)[0].group
    assert (group.question, group.language, group.count) == ("hvor er vaskeriet", "da", 4)
    assert group.languages == ["da", "en"]
    assert group.variants == ["hvor er vaskeriet henne"] and group.variant_languages == ["en"]

    english = reader.inbox(moment=NOW, language="en")[0].group
    assert (english.question, english.count, english.key) == ("hvor er vaskeriet henne", 1,
                                                              question_key("hvor er vaskeriet henne"))
    # The key shown under English is only a group's key under English.
    assert reader.mark_handled(english.key, "bo", moment=NOW) is None
    marked = reader.mark_handled(english.key, "bo", moment=NOW, language="en")
    assert marked.group.key == english.key and marked.handled.handled_by == "bo"
    assert reader.inbox(moment=NOW, language="en") == []
    # A group with a handled wording is handled (as ever), in every language.
    assert reader.inbox(moment=NOW) == []


def test_nothing_personal_in_a_question_in_another_language(insights):
    t = ago(1)
    found = insights({"a": session(t) + unanswered("my number is 22 33 44 55, where is the laundry room", t + 1)})
    assert [(i.group.question, i.group.language) for i in found.inbox(moment=NOW)] == [
        ("my number is [fjernet], where is the laundry room", "en")]


# --- the dashboard -------------------------------------------------------------------------------


def test_dashboard_messages_per_day_and_language(insights):
    reader = insights({
        "da1": session(local(14, 10)) + said("hej", "greet", local(14, 10, 1), language="da")
        + said("hvad er jobplaneten", "ask_initiative", local(14, 10, 2)),
        "en1": session(local(14, 11)) + said("where is the laundry room", "ask_contact", local(14, 11, 1))
        + said("ok", "affirm", local(14, 11, 2)),  # English too
        "ar1": session(local(14, 12)) + said(ARABIC_GRILL, "nlu_fallback", local(14, 12, 1), channel="gatewayapi"),
        # 00:30 in Køge on 15 June is 22:30 UTC on 14 June: 15 June here.
        "night": session(local(15, 0, 30)) + said(FARSI, "ask_contact", local(15, 0, 31))
        + said("hvor er vaskeriet", "ask_contact", local(15, 0, 32)),
        "old": session(ago(40)) + said(ENGLISH_GRILL, "nlu_fallback", ago(40) + 1),
    })
    figures = reader.dashboard(days=7, moment=NOW)
    by_day = {day.date.isoformat(): day for day in figures.messages_by_language}
    assert len(figures.messages_by_language) == 7
    assert by_day["2026-06-14"].by_language == {"ar": 1, "da": 2, "en": 2} and by_day["2026-06-14"].total == 5
    assert by_day["2026-06-15"].by_language == {"da": 1, "fa": 1} and by_day["2026-06-15"].total == 2
    assert by_day["2026-06-13"].by_language == {} and by_day["2026-06-13"].total == 0
    assert figures.languages == ["da", "en", "ar", "fa"]  # most used first, then by code
    assert [figures.language_total(code) for code in figures.languages] == [3, 2, 1, 1]
    assert sum(day.total for day in figures.messages_by_language) == figures.questions == 7
    assert figures.not_danish == 4 and figures.not_danish_share == pytest.approx(4 / 7)


def test_dashboard_without_messages_has_no_share(tmp_path, answer_store):
    figures = Insights.open(PrivacySettings(data_dir=tmp_path / "nothing"), answer_store.engine).dashboard(moment=NOW)
    assert figures.languages == [] and figures.not_danish == 0 and figures.not_danish_share is None
    assert len(figures.messages_by_language) == 30 and all(day.total == 0 for day in figures.messages_by_language)


def test_the_same_languages_from_postgresql(postgres, tmp_path, answer_store):
    t = ago(1)
    conversations = {
        "a": session(t) + said("where is the laundry room", "ask_contact", t + 1) + said("ok", "affirm", t + 2)
        + [Restarted(timestamp=t + 3)] + said("ok", "affirm", t + 4),
        "b": session(t) + unanswered(ARABIC_GRILL, t + 1) + unanswered("؟؟ ok", t + 2, language=None),
    }
    on_sqlite = write_conversations(tmp_path / "c.db", conversations)
    on_postgresql = write_conversations(postgres.new_database(), conversations)
    assert languages_of(on_postgresql) == languages_of(on_sqlite)
    assert [language for _, language in languages_of(on_sqlite, "a")] == ["en", "en", "da"]
    assert [language for _, language in languages_of(on_sqlite, "b")] == ["ar", "ar"]
    sqlite_insights = Insights(ConversationEvents(on_sqlite), answer_store.engine)
    postgresql_insights = Insights(ConversationEvents(on_postgresql), answer_store.engine)
    assert postgresql_insights.dashboard(moment=NOW) == sqlite_insights.dashboard(moment=NOW)
    assert [i.group.language for i in postgresql_insights.inbox(moment=NOW, language="ar")] == ["ar", "ar"]
    postgresql_insights.close()
