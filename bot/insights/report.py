"""What staff see: the inbox of unanswered questions and the dashboard's figures.

Every figure covers a period of whole days in Køge's time: the last ``days``
days, today included (``Period``). The definitions:

* **User turn**: one message a resident sent (a ``user`` event), on any channel.
* **Unanswered** (``is_unanswered``): a user turn the assistant could not
  answer, or answered while unsure: the model did not understand it
  (``nlu_fallback``) or found it outside the plan (``out_of_scope``), the
  assistant's next action was the fallback (``action_fallback``), or the
  model's confidence in the intent was below ``LOW_CONFIDENCE``. A message
  typed into a form (the callback form asking for a name, say) answers the
  form's question and never counts as unanswered.
* **Conversations per day and channel**: residents (distinct sender ids) who
  sent at least one message that day on that channel. The day's total counts
  each resident once.
* **Top topics**: user turns by intent, named in Danish (``labels``), small
  talk (greetings, thanks, yes/no) and "not understood" left out.
* **Share answered**: user turns not unanswered, divided by all user turns.
* **Residents**: distinct sender ids with a message in the whole period (a
  resident who writes on two channels, or presses "Ny samtale", counts twice).
* **Callbacks per day**: callback requests residents made that day (from the
  answer store; only counted, nobody's details are read).
* **Language** of a user turn: the language Rasa's server told for it (the
  ``language`` entity), or else the conversation's language so far (the
  ``language`` slot, Danish at the start); see ``bot.insights.queries``.
* **Messages per day and language**: user turns that day, by language (every
  user turn, as in "share answered", button clicks included).
* **Not in Danish**: user turns in another language than Danish; the share
  is those divided by all user turns.
* **Checking the answer data** (``reviews``, ``bot.answer_store.review_dates``):
  entries overdue and due for a check now (not in the period: today's list);
  entries checked in the period ("Stadig rigtigt", or their Danish text
  changed); answers in the period that came from one entry (the ``subject``
  slot, see ``bot.insights.queries``) and, of those, answers from an entry
  whose review date had passed at the time (the entry's version then). An
  answer from before entries had review dates counts as not overdue.

The inbox can be limited to one language: then only the questions written
in it are grouped and counted, and a group's key is that of its
representative among them (marking it handled takes the same language).
"""
import datetime
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional

import sqlalchemy as sa

from bot.answer_store.review_dates import ReviewDates, ReviewFigures
from bot.answer_store.times import LOCAL_TIME
from bot.config import PrivacySettings
from bot.insights import labels, queries
from bot.insights.grouping import Question, QuestionGroup, find_group, group_questions, is_question, redact_question
from bot.insights.queries import ConversationEvents, HandledMark, UserTurn
from bot.language.detect import DANISH

# Below this confidence in the intent, an answer counts as unsure (unanswered).
LOW_CONFIDENCE = 0.6
FALLBACK_ACTIONS = frozenset({"action_fallback", "action_default_fallback"})
UNANSWERED_INTENTS = frozenset({labels.NOT_UNDERSTOOD, "out_of_scope"})

DEFAULT_DAYS = 30
MAX_DAYS = 365
TOP_TOPICS = 8


def is_unanswered(turn: UserTurn) -> bool:
    """Whether the assistant could not answer the message, or answered it unsure."""
    if turn.in_form:
        return False
    return (turn.next_action in FALLBACK_ACTIONS
            or turn.intent in UNANSWERED_INTENTS
            or (turn.confidence is not None and turn.confidence < LOW_CONFIDENCE))


@dataclass(frozen=True)
class Period:
    """The last ``days`` whole days in Køge's time, today included, up to ``end``."""

    days: int
    start: datetime.datetime  # local midnight of the first day
    end: datetime.datetime

    @classmethod
    def last(cls, days: int, moment: Optional[float] = None) -> "Period":
        if not 1 <= days <= MAX_DAYS:
            raise ValueError(f"days must be 1-{MAX_DAYS}")
        end = datetime.datetime.fromtimestamp(time.time() if moment is None else moment, LOCAL_TIME)
        first = end.date() - datetime.timedelta(days=days - 1)
        start = datetime.datetime.combine(first, datetime.time(), tzinfo=LOCAL_TIME)
        return cls(days, start, end)

    @property
    def dates(self) -> List[datetime.date]:
        return [self.start.date() + datetime.timedelta(days=n) for n in range(self.days)]


def local_date(moment) -> datetime.date:
    """The day in Køge a Unix time or an aware moment falls on."""
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(LOCAL_TIME).date()
    return datetime.datetime.fromtimestamp(moment, LOCAL_TIME).date()


@dataclass
class InboxItem:
    """A group of similar unanswered questions, and whether staff have handled it."""

    group: QuestionGroup
    handled: Optional[HandledMark]


@dataclass(frozen=True)
class DayConversations:
    date: datetime.date
    by_channel: Dict[str, int]
    total: int


@dataclass(frozen=True)
class DayLanguages:
    date: datetime.date
    by_language: Dict[str, int]  # user turns per language code, only languages with any
    total: int


@dataclass(frozen=True)
class Topic:
    intent: str
    label: str
    count: int


@dataclass(frozen=True)
class DayCount:
    date: datetime.date
    count: int


@dataclass
class Dashboard:
    """The dashboard's figures for one period (see the module's description)."""

    period: Period
    channels: List[str]  # every channel in the period, most used first
    conversations: List[DayConversations]  # one per day, oldest first
    topics: List[Topic]  # most asked first, at most TOP_TOPICS
    questions: int  # user turns
    answered: int  # user turns not unanswered
    callbacks: List[DayCount]  # one per day, oldest first
    residents: int  # distinct sender ids in the whole period
    languages: List[str]  # every language in the period, most used first
    messages_by_language: List[DayLanguages]  # one per day, oldest first
    reviews: Optional[ReviewFigures] = None  # checking the answer data (None: not asked for)

    @property
    def answered_share(self) -> Optional[float]:
        return self.answered / self.questions if self.questions else None

    @property
    def not_danish(self) -> int:
        """User turns in another language than Danish."""
        return sum(count for day in self.messages_by_language for language, count in day.by_language.items()
                   if language != DANISH)

    @property
    def not_danish_share(self) -> Optional[float]:
        return self.not_danish / self.questions if self.questions else None

    def language_total(self, language: str) -> int:
        return sum(day.by_language.get(language, 0) for day in self.messages_by_language)

    @property
    def total_callbacks(self) -> int:
        return sum(day.count for day in self.callbacks)


class Insights:
    """The inbox and the dashboard, read from the conversation store and the answer store."""

    def __init__(self, conversations: ConversationEvents, answer_store_engine: sa.engine.Engine):
        self.conversations = conversations
        self.answer_store = answer_store_engine

    @classmethod
    def open(cls, privacy: PrivacySettings, answer_store_engine: sa.engine.Engine) -> "Insights":
        return cls(ConversationEvents(privacy.database_url), answer_store_engine)

    def close(self) -> None:
        self.conversations.close()

    def _turns(self, period: Period) -> List[UserTurn]:
        return self.conversations.user_turns(period.start.timestamp(), period.end.timestamp() + 1)

    # --- the inbox -------------------------------------------------------------------------

    def _groups(self, period: Period, language: Optional[str] = None) -> List[QuestionGroup]:
        questions = []
        for turn in self._turns(period):
            if not is_unanswered(turn) or not is_question(turn.text):
                continue
            if language is not None and turn.language != language:
                continue
            text = redact_question(turn.text)
            if is_question(text):
                at = datetime.datetime.fromtimestamp(turn.timestamp, datetime.timezone.utc)
                questions.append(Question(text, turn.channel, at, turn.language))
        return group_questions(questions)

    def inbox(self, days: int = DEFAULT_DAYS, include_handled: bool = False,
              moment: Optional[float] = None, language: Optional[str] = None) -> List[InboxItem]:
        """Groups of similar unanswered questions in the period, most asked first.
        Groups staff marked as handled are left out unless ``include_handled``;
        with ``language``, only the questions written in that language."""
        marks = queries.handled_marks(self.answer_store)
        items = []
        for group in self._groups(Period.last(days, moment), language):
            mark = next((marks[key] for key in [group.key, *group.member_keys] if key in marks), None)
            if mark is None or include_handled:
                items.append(InboxItem(group, mark))
        return items

    def mark_handled(self, key: str, by: str, moment: Optional[float] = None,
                     language: Optional[str] = None) -> Optional[InboxItem]:
        """Marks the group with ``key`` (and every wording in it) as handled.
        ``language``: the inbox's language the key was shown under (None: all).
        None when no group in the conversations kept has that key."""
        group = find_group(self._groups(Period.last(MAX_DAYS, moment), language), key)
        if group is None:
            return None
        queries.mark_handled(self.answer_store, [group.key, *group.member_keys], by,
                             details=f"{group.count} spørgsmål, nøgle {group.key[:12]}")
        return InboxItem(group, queries.handled_marks(self.answer_store).get(group.key))

    # --- the dashboard ---------------------------------------------------------------------

    def dashboard(self, days: int = DEFAULT_DAYS, moment: Optional[float] = None) -> Dashboard:
        period = Period.last(days, moment)
        turns = self._turns(period)
        senders: Dict[datetime.date, Dict[str, set]] = defaultdict(lambda: defaultdict(set))
        channel_use: Counter = Counter()
        topics: Counter = Counter()
        languages: Dict[datetime.date, Counter] = defaultdict(Counter)
        language_use: Counter = Counter()
        answered = 0
        for turn in turns:
            senders[local_date(turn.timestamp)][turn.channel].add(turn.sender_id)
            channel_use[turn.channel] += 1
            languages[local_date(turn.timestamp)][turn.language] += 1
            language_use[turn.language] += 1
            if turn.intent and labels.is_topic(turn.intent):
                topics[turn.intent] += 1
            answered += not is_unanswered(turn)
        conversations = []
        for day in period.dates:
            by_channel = senders.get(day, {})
            conversations.append(DayConversations(
                day, {channel: len(ids) for channel, ids in sorted(by_channel.items())},
                len(set().union(*by_channel.values())) if by_channel else 0))
        callbacks = Counter(local_date(moment_) for moment_ in queries.callback_times(
            self.answer_store, period.start.astimezone(datetime.timezone.utc)))
        reviews = ReviewDates(self.answer_store).figures(
            period.start, period.end + datetime.timedelta(seconds=1),
            self.conversations.subject_answers(period.start.timestamp(), period.end.timestamp() + 1),
            today=period.end.date())
        return Dashboard(
            period=period,
            channels=[channel for channel, _ in sorted(channel_use.items(), key=lambda item: (-item[1], item[0]))],
            conversations=conversations,
            topics=[Topic(intent, labels.topic_label(intent), count)
                    for intent, count in sorted(topics.items(), key=lambda item: (-item[1], item[0]))[:TOP_TOPICS]],
            questions=len(turns),
            answered=answered,
            callbacks=[DayCount(day, callbacks.get(day, 0)) for day in period.dates],
            residents=len({turn.sender_id for turn in turns}),
            languages=[language for language, _ in sorted(language_use.items(), key=lambda item: (-item[1], item[0]))],
            messages_by_language=[
                DayLanguages(day, dict(sorted(languages.get(day, Counter()).items())),
                             sum(languages.get(day, Counter()).values()))
                for day in period.dates],
            reviews=reviews,
        )
