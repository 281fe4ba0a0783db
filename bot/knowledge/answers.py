"""Compose Danish replies from the answer data.

Pure functions: given the knowledge base and what the resident asked (intent,
the things they named, the conversation's current subject), return a
``Reply``. The Rasa actions only translate trackers to ``Question`` and
``Reply`` to messages and slots, so all answering logic is testable here.
"""
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional

from bot.knowledge.attributes import ANSWERED_BY_KNOWN, FIELDS, asked_attribute, asks_beyond, known_sentences
from bot.knowledge.dates import DAY, YEAR, DateMention, passed_end
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.schema import Entry
from bot.knowledge.text import fold
from bot.phrases import Phrases

PHRASES_FILE = Path(__file__).with_name("phrases.yml")

# Kinds of entries that are named things (not topics of the plan itself).
NAMED_KINDS = {"initiative", "contact", "housing_area"}
# Attributes no entry has a field for: answered for the attribute whatever the intent.
ATTRIBUTES_WITHOUT_FIELDS = {"pris", "tilmelding", "maalgruppe", "personer", "hyppighed", "antal", "penge", "fremtid",
                             "loen", "sprog", "ventetid", "forkortelse"}
# Attributes a person (a contact) has too ("taler Rikke Willesen arabisk"); asked only of
# a thing named or talked about ("kan jeg få hjælp på arabisk" alone is not about a topic).
PERSON_ATTRIBUTES = {"sprog"}
# Words that point back at what the conversation is about ("hvordan kontakter jeg dem").
_POINTS_BACK = re.compile(r"\b(?:dem|deres|den|dens|det|de|hun|hende|hendes|han|ham|hans)\b")
# Entries whose names are everyday words ("læs mere", "fællesskab").
GENERIC_KINDS = {"faq", "work_area"}
# A follow-up the model could not place asks for the subject's contact ("har du hendes nr",
# "hvem kan jeg spørge") or where to read about it ("hvor kan jeg følge med").
_ASKS_CONTACT = re.compile(r"hvem (?:kan|skal) (?:jeg|man|vi|hun|han) (?:\w+ )?(?:tale|snakke|spoerge|sporge|ringe|kontakte|skrive)"
                           r"|hvem ved (?:mere|noget)|\bnr\b|nummer|\btlf\b|telefon\w*|\bmail\w*|e mail|kontakt\w*"
                           r"|ringe? til (?:hende|ham|dem)")
_ASKS_WHERE_TO_READ = re.compile(r"hvor kan (?:jeg|man|vi) (?:\w+ )?(?:laese|lase|se|foelge|folge|finde)\b|hjemmeside|\blink\b|facebook")
FOLLOW_UP_CUE_WORDS = 10
_MORE = re.compile(r"\b(?:ellers|mere|flere)\b")
REFERRAL_SIMILARITY = 90.0
# A question naming a housing area asks whether it is in the plan when the rest is this short
# ("er søparken med") or says so.
MEMBERSHIP_WORDS = 3
_MEMBERSHIP = re.compile(r"\b(?:med|del af|omfattet|hoerer|horer|gaelder|galder|indgaar|helhedsplan\w*|planen|omraade\w*|omrade\w*)\b")
# A follow-up is short: "og forummet?", "hvor kan man se deres aktiviteter".
FRAGMENT_WORDS = 3
_FRAGMENT = re.compile(r"^(?:og|men|hvad med|hvad saa med|hvad sa med|den anden)\b")
# Intents of broad topics or of one of the plan's bodies, which a follow-up pointing back
# ("hvad laver de", "kan de bestemme noget" after the forum) narrows to the subject; a
# question about the plan's period or funding stays about the plan.
TOPIC_INTENTS = {"ask_plan", "ask_work_areas", "ask_job_help", "ask_family_support", "ask_community",
                 "ask_crime_prevention", "ask_initiative", "ask_more", "ask_board", "ask_forum"}
FOLLOW_UP_WORDS = 7
# "hvem står bag det", "hvem er med i det": asked of something else than the plan, it asks
# who is in it or behind it, not who administers the plan.
WHO_IS_BEHIND_INTENT = "ask_plan_admin"
# "hvem arbejder de sammen med" after the family area: its partners, not the plan's coordination groups.
WHO_WORKS_WITH_INTENT = "ask_coordination"
# "hvem kan jeg så spørge" after a referral asks about it.
_THEN = re.compile(r"\b(?:saa|sa)\b")
# "den anden" after one of two things is the other one.
_THE_OTHER = re.compile(r"\b(?:den|det) (?:anden|andet)\b")


PHRASES = Phrases(PHRASES_FILE)
say = PHRASES.say


def phrases() -> Dict:
    return PHRASES.current()


@dataclass
class Question:
    intent: str
    text: str = ""
    mentioned: List[str] = field(default_factory=list)  # entry ids, best first
    new_to_model: List[str] = field(default_factory=list)  # mentioned entries added after training
    subject: Optional[str] = None  # entry id the conversation is about
    subject_list: List[str] = field(default_factory=list)  # ids offered last
    ordinal: Optional[int] = None  # 1-based; -1 = last
    attribute: Optional[str] = None  # telefon, email, adresse, hjemmeside, aabningstider
    today: datetime.date = field(default_factory=datetime.date.today)
    # Words questions about the plan use (the training data's): a request in one of
    # them is something the plan speaks of, even where an entry's own text does not.
    plan_words: FrozenSet[str] = frozenset()


@dataclass
class Button:
    title: str
    entry_id: str


@dataclass
class Reply:
    text: str
    buttons: List[Button] = field(default_factory=list)
    subject: Optional[str] = None
    subject_list: Optional[List[str]] = None  # None = leave as it was


def answer(kb: KnowledgeBase, question: Question) -> Reply:
    """The reply to a question of one of the knowledge intents."""
    referral = referral_for(kb, question.text)
    if referral is not None:
        # "storskrald i Søparken": the topic is outside the plan, whatever place it names.
        return referral_reply(kb, referral, today=question.today)
    subject = kb.get(question.subject)
    read_about = _where_to_read_about(kb, question, subject)
    if read_about is not None:
        return _answer_website(kb, Question(intent="ask_website", text=question.text, subject=read_about.id))
    if subject is not None and not _named(kb, question):
        about_subject = _about_the_subject(kb, question, subject)
        if about_subject is not None:
            return about_subject
    if question.attribute in ATTRIBUTES_WITHOUT_FIELDS or (
            question.attribute in FIELDS and question.intent != "ask_contact"):
        entry = _named_or_subject(kb, question)
        if question.attribute not in PERSON_ATTRIBUTES:
            entry = entry or kb.for_intent(question.intent)
        if entry is not None and (entry.kind != "contact" or question.attribute in PERSON_ATTRIBUTES):
            return attribute_reply(kb, entry, question.attribute, today=question.today)
    named = _named(kb, question)
    if named and beyond_what_it_does(named[0], question.text, question.plan_words):
        # "kan Fælles Fremtid hjælpe med min opholdstilladelse": not its description.
        return not_known(kb, named[0])
    handler = _HANDLERS.get(question.intent, _answer_for_intent)
    return handler(kb, question)


def _about_the_subject(kb: KnowledgeBase, q: Question, subject: Entry) -> Optional[Reply]:
    """A question naming nothing that asks about the conversation's subject where
    its intent alone would answer something else; None when it does not."""
    if subject.kind == "referral":
        if q.intent in ("ask_contact", "human_handoff", "ask_website") and (
                points_back(q.text) or _THEN.search(fold(q.text))):
            # "hvem kan jeg så spørge" after the referral for bulky waste: the same referral.
            return referral_reply(kb, subject, today=q.today)
        return None
    if q.intent == WHO_IS_BEHIND_INTENT and points_back(q.text) and _has_people(subject):
        # "hvem er med i det" after the forum: its members; after the plan's funding, still its administration.
        return attribute_reply(kb, subject, "personer", today=q.today)
    if q.intent == WHO_WORKS_WITH_INTENT:
        partners = _partners(kb, subject)
        if partners:
            return Reply("\n".join(partners), subject=subject.id)
    return None


def _where_to_read_about(kb: KnowledgeBase, q: Question, subject: Optional[Entry]) -> Optional[Entry]:
    """The thing a question asks where to read or follow about: the one it names
    ("hvor kan jeg se kvindenetværkets næste aktivitet"), or the subject it points
    back at ("hvor kan jeg ellers følge med")."""
    folded = fold(q.text)
    if q.intent == "ask_contact" or not _ASKS_WHERE_TO_READ.search(folded):
        return None
    named = [e for e in _named(kb, q) if e.kind in NAMED_KINDS - {"housing_area"}]
    if named:
        return named[0]
    if subject is not None and subject.kind != "referral" and (points_back(q.text) or _MORE.search(folded)):
        return subject
    return None


def _partners(kb: KnowledgeBase, entry: Entry) -> List[str]:
    """What the answer data says about whom ``entry`` works with: its own text, or
    that of the plan's area it belongs to (the mentor programme: the crime prevention area)."""
    for source in [entry, *(kb.get(i) for i in entry.work_areas)]:
        found = source and known_sentences(source.summary + " " + (source.details or ""), "samarbejde")
        if found:
            return found
    return []


def _has_people(entry: Entry) -> bool:
    """Whether "who is behind it" asks about ``entry``'s own people: a named thing, or
    one whose text says who is in it (the forum)."""
    return entry.kind in NAMED_KINDS or bool(known_sentences(entry.summary + " " + (entry.details or ""), "personer"))


def beyond_what_it_does(entry: Entry, text: str, plan_words: FrozenSet[str] = frozenset()) -> bool:
    """Whether a question asks if ``entry`` can do something ("kan bestyrelsen give
    mig en større lejlighed", "laver kvindenetværket også danskundervisning")
    that neither its text nor any question about the plan speaks of."""
    if entry.kind in ("contact", "referral"):
        return False
    own = " ".join([entry.name, *entry.aliases, entry.summary, entry.details or ""])
    return asks_beyond(text, own, plan_words)


def not_known(kb: KnowledgeBase, entry: Entry) -> Reply:
    """That is not in the information; who to ask."""
    contact = kb.contact_for(entry) or kb.fallback_contact
    return Reply("\n".join([say("referral_intro"),
                             say("ask_contact_instead", name=contact.name, how=how_to_reach(contact))]),
                 subject=entry.id)


# --- handlers -------------------------------------------------------------


def _answer_for_intent(kb: KnowledgeBase, q: Question) -> Reply:
    # The model files a question about an entry it never saw under the nearest
    # topic it knows; the entry the resident named is the better answer.
    entry = kb.get(q.new_to_model[0]) if q.new_to_model else _followed_up(kb, q) or kb.for_intent(q.intent)
    if entry is None:
        return _unknown(kb)
    return describe(kb, entry, today=q.today)


def _followed_up(kb: KnowledgeBase, q: Question) -> Optional[Entry]:
    """The entry a short follow-up is about, when it is not the intent's own:
    the thing it names ("og forummet?"), or the conversation's subject when it
    points back at it ("hvor kan man se deres aktiviteter")."""
    words = fold(q.text).split()
    if not words or len(words) > FOLLOW_UP_WORDS:
        return None
    own = kb.for_intent(q.intent)
    plan = kb.for_intent("ask_plan")  # "hvem administrerer planen" is still about the administration
    others = [e for e in _named(kb, q) if e not in (own, plan)]
    subject = kb.get(q.subject)
    if subject is not None and subject.kind == "referral":
        subject = None  # a topic outside the plan is no subject to narrow a question about the plan to
    if (not others and subject is not None and subject is not own and q.intent in TOPIC_INTENTS
            and _POINTS_BACK.search(" ".join(words))):
        return subject
    # "og forummet?", "hvad med SSP": a fragment naming something else is about it.
    others = [e for e in others if e.kind != "housing_area"]
    fragment = len(words) <= FRAGMENT_WORDS or _FRAGMENT.match(" ".join(words))
    if others and fragment and (own is None or own.id not in q.mentioned):
        return others[0]
    return None


def follow_up(kb: KnowledgeBase, text: str, subject_id: Optional[str]) -> Optional[Reply]:
    """A short question the model could not place, read as being about what
    the conversation is about: "hvor tit samles de", "har du hendes nr",
    "kan de bestemme noget" after the forum's answer. None when it does not
    point back at the subject or ask for its contact, a detail or where to read."""
    subject = kb.get(subject_id)
    words = fold(text).split()
    if subject is None or not words or len(words) > FOLLOW_UP_CUE_WORDS:
        return None
    folded = " ".join(words)
    if subject.kind == "referral":
        # "hvem kan jeg så spørge" after the referral for bulky waste: the same referral.
        asks = _ASKS_CONTACT.search(folded) or _ASKS_WHERE_TO_READ.search(folded)
        return referral_reply(kb, subject) if asks else None
    # Asked as a contact question about the subject (the handlers below read only the subject and attribute).
    q = Question(intent="ask_contact", text=text, subject=subject.id, attribute=asked_attribute(text))
    if _ASKS_CONTACT.search(folded):
        return _answer_contact(kb, q)
    if _ASKS_WHERE_TO_READ.search(folded):
        return _answer_website(kb, q)
    if q.attribute and subject.kind != "contact":
        return attribute_reply(kb, subject, q.attribute)
    if len(words) <= FOLLOW_UP_WORDS and _POINTS_BACK.search(folded):
        return describe(kb, subject, more=True)
    return None


def _answer_named_thing(kb: KnowledgeBase, q: Question) -> Reply:
    entry = _named_or_subject(kb, q)
    if entry is None:
        return _answer_for_intent(kb, q) if kb.for_intent(q.intent) else _unknown(kb)
    return describe(kb, entry, today=q.today)


def _answer_housing_area(kb: KnowledgeBase, q: Question) -> Reply:
    area = next((kb.get(i) for i in q.mentioned if kb.get(i).kind == "housing_area"), None)
    if area is None:
        return _answer_for_intent(kb, q)
    return area_reply(kb, area, q.text, today=q.today)


def area_reply(kb: KnowledgeBase, area: Entry, text: str, today: Optional[datetime.date] = None) -> Reply:
    if not asks_about_membership(kb, text):
        # All the answer data knows of an area is that it is in the plan:
        # "er der fitness i Hastrupparken" must not get that as its answer.
        return _unknown(kb, say("area_question_unknown", area=area.name))
    lines = [say("area_member", summary=area.summary)]
    note = date_note(kb, area, [area.summary], today)
    return Reply("\n".join(lines + ([note] if note else [])), subject=area.id)


def asks_about_membership(kb: KnowledgeBase, text: str) -> bool:
    """Whether a question naming a housing area asks if it is in the plan
    ("er søparken med", "hvad med ellemarken"): its other words are few, or
    speak of taking part."""
    words = fold(text).split()
    names = {w for m in kb.names.find(text) for w in m.alias.split()}
    rest = [w for w in words if w not in names and not any(_close(w, n) for n in names)]
    return len(rest) <= MEMBERSHIP_WORDS or bool(_MEMBERSHIP.search(" ".join(rest)))


def _close(word: str, name: str) -> bool:
    return len(word) >= 5 and (word.startswith(name[:5]) or name.startswith(word[:5]))


def _answer_more(kb: KnowledgeBase, q: Question) -> Reply:
    other = the_other(kb, q)
    if other is not None:
        return describe(kb, other, more=True, today=q.today)
    # Staff may have retired an entry since the list was shown.
    offered = [entry_id for entry_id in q.subject_list if kb.get(entry_id)]
    if q.ordinal is not None and offered:
        index = q.ordinal - 1 if q.ordinal > 0 else len(offered) + q.ordinal
        if not 0 <= index < len(offered):
            return list_reply(kb, say("ordinal_out_of_range"), offered)
        return describe(kb, kb.get(offered[index]), more=True, today=q.today)
    entry = _named_or_subject(kb, q)
    if entry is None:
        return Reply(say("ask_which"))
    return describe(kb, entry, more=True, today=q.today)


def the_other(kb: KnowledgeBase, q: Question) -> Optional[Entry]:
    """"og den anden?" said of one of two things (the last list, or the two
    initiatives of one of the plan's areas): the one the conversation is not about."""
    subject = kb.get(q.subject)
    if subject is None or not _THE_OTHER.search(fold(q.text)):
        return None
    if subject.id in q.subject_list:
        pair = q.subject_list
    else:
        pair = next((e.related for e in kb.of_kind("work_area") if subject.id in e.related), [])
    others = [kb.get(i) for i in pair if i != subject.id and kb.get(i)]
    return others[0] if len(others) == 1 else None


def _answer_contact(kb: KnowledgeBase, q: Question) -> Reply:
    entry = _named_or_subject(kb, q)
    if entry is None:
        contacts = kb.of_kind("contact")
        lines = [say("contact_list_intro")]
        for contact in contacts:
            lines += ["", contact.summary, *contact_card(contact)]
        return Reply("\n".join(lines), subject_list=[c.id for c in contacts])
    contact = kb.contact_for(entry)
    if contact is None:
        contact = kb.fallback_contact
        intro = say("no_contact_named", subject=entry.name, name=contact.name)
    elif contact.id == entry.id:
        intro = None
    else:
        intro = say("contact_for", subject=entry.name)
    lines = [intro] if intro else []
    lines += _attribute_lines(contact, q.attribute)
    if contact.id != entry.id and entry.url and q.attribute in (None, "hjemmeside"):
        lines.append(say("read_more", url=entry.url))
    return Reply("\n".join(lines), subject=entry.id)


def _answer_website(kb: KnowledgeBase, q: Question) -> Reply:
    entry = _named_or_subject(kb, q)
    general = kb.for_intent("ask_website")
    if entry is None:
        return describe(kb, general) if general else _unknown(kb)
    if entry.url:
        return Reply(say("read_more", url=entry.url), subject=entry.id)
    where = known_sentences(entry.summary + " " + (entry.details or ""), "hjemmeside")
    if where:  # "Du kan læse om netværkets aktiviteter på Køge Kvindenetværks Facebook-side."
        return Reply("\n".join(where), subject=entry.id)
    # Things with a name of their own may have a site we do not know; for the
    # plan's own topics the plan's site is simply the answer.
    lines = [say("no_website", subject=entry.name)] if entry.kind in NAMED_KINDS else []
    if general is not None:
        lines += [general.summary, say("read_more", url=general.url)]
    return Reply("\n".join(lines), subject=entry.id)


def _handoff(kb: KnowledgeBase, q: Question) -> Reply:
    entry = _named_or_subject(kb, q)
    contact = entry and kb.contact_for(entry)
    if contact is None and entry is not None and entry.kind in NAMED_KINDS:
        # "hvem kan jeg tale med" after Fælles Fremtid: say that it has no contact of its own.
        contact = kb.fallback_contact
        return Reply("\n".join([say("no_contact_named", subject=entry.name, name=contact.name),
                                 *contact_card(contact)]), subject=entry.id)
    contact = contact or kb.fallback_contact
    return Reply("\n".join([say("handoff", name=contact.name), *contact_card(contact)]))


_HANDLERS: Dict[str, Callable[[KnowledgeBase, Question], Reply]] = {
    "ask_initiative": _answer_named_thing,
    "ask_housing_areas": _answer_housing_area,
    "ask_more": _answer_more,
    "ask_contact": _answer_contact,
    "ask_website": _answer_website,
    "human_handoff": _handoff,
}


# --- building blocks --------------------------------------------------------


def describe(kb: KnowledgeBase, entry: Entry, more: bool = False, today: Optional[datetime.date] = None) -> Reply:
    """An entry's answer: summary (and details when asked for more), link, list."""
    if entry.kind == "referral":
        return referral_reply(kb, entry)
    lines = [entry.summary]
    if more:
        if entry.details:
            lines.append(entry.details)
        elif not entry.related and not entry.url:
            lines.append(say("no_more_details", subject=entry.name))
    shown = [entry.summary, entry.details if more else None]
    if entry.kind == "contact":
        lines += contact_card(entry)
        shown += [entry.name, entry.title, entry.hours]
    contact_hint = not entry.url and _needs_contact_hint(entry, more)
    note = date_note(kb, entry, shown, today, contact_follows=contact_hint or entry.kind == "contact")
    if note:
        lines.append(note)
    if entry.url:
        lines.append(say("read_more", url=entry.url))
    elif contact_hint:
        contact = kb.contact_for(entry) or kb.fallback_contact
        lines.append(say("more_from_contact", name=contact.name, how=how_to_reach(contact)))
    if entry.related and entry.kind != "contact":
        reply = list_reply(kb, "\n".join(lines + [say("list_prompt")]), entry.related)
        reply.subject = topic_of(kb, entry)
        return reply
    return Reply("\n".join(lines), subject=topic_of(kb, entry))


def topic_of(kb: KnowledgeBase, entry: Entry) -> str:
    """What the conversation is about after ``entry``'s answer: one of the
    plan's main areas is about the first initiative it names ("hvordan
    kontakter jeg dem?" after the job answer means Fælles Fremtid)."""
    if entry.kind != "work_area":
        return entry.id
    text = fold(entry.summary)
    named = []
    for match in kb.names.find(entry.summary):
        other = kb.get(match.entry_id)
        if other.id != entry.id and other.kind == "initiative":
            found = [text.find(fold(n)) for n in (other.name, *other.aliases) if fold(n) and fold(n) in text]
            named.append((min(found) if found else len(text), other.id))
    named.sort()
    return named[0][1] if named else entry.id


def referral_for(kb: KnowledgeBase, text: str) -> Optional[Entry]:
    """The referral whose topic word the question uses, if any. Stricter than
    other names: a topic word is often a common word with a letter changed."""
    found = kb.names.best(text, threshold=REFERRAL_SIMILARITY, kinds_filter=lambda i: kb.get(i).kind == "referral")
    return kb.get(found)


def referral_reply(kb: KnowledgeBase, referral: Entry, today: Optional[datetime.date] = None) -> Reply:
    """Outside the plan: say so, and who to ask instead."""
    lines = [say("referral_intro"), referral.summary]
    contact = kb.get(referral.contact)
    note = date_note(kb, referral, [referral.summary], today, contact_follows=contact is not None)
    if note:
        lines.append(note)
    if contact is not None:
        lines += contact_card(contact)
    if referral.url:
        lines.append(say("read_more", url=referral.url))
    return Reply("\n".join(lines), subject=referral.id)


def attribute_reply(kb: KnowledgeBase, entry: Entry, attribute: str, today: Optional[datetime.date] = None) -> Reply:
    """A question about one thing of an entry (price, times, place, who it is
    for, how to join, who is in it): the value where the answer data has one;
    otherwise that it is not in the information, what is known, and who to ask."""
    value = getattr(entry, FIELDS[attribute]) if attribute in FIELDS else None
    if value:
        key = {"aabningstider": "card_hours", "adresse": "card_address"}[attribute]
        note = date_note(kb, entry, [value], today)
        return Reply("\n".join([say(key, **{key[5:]: value})] + ([note] if note else [])), subject=entry.id)
    known = known_sentences(entry.summary + " " + (entry.details or ""), attribute)
    if known and attribute in ANSWERED_BY_KNOWN:
        return describe(kb, entry, today=today)
    lines = [phrases()["not_in_information"][attribute].format(subject=entry.name), *known]
    contact = kb.contact_for(entry) or kb.fallback_contact
    note = date_note(kb, entry, known, today, contact_follows=True)
    if note:
        lines.append(note)
    if not (note and _period_ended(entry, today) and contact.id == kb.fallback_contact.id):  # the note names them already
        lines.append(say("ask_contact_instead", name=contact.name, how=how_to_reach(contact)))
    if entry.url:
        lines.append(say("read_more", url=entry.url))
    return Reply("\n".join(lines), subject=entry.id)


def date_note(kb: KnowledgeBase, entry: Entry, shown: List[Optional[str]], today: Optional[datetime.date] = None,
              contact_follows: bool = False) -> Optional[str]:
    """One note for a reply that may no longer be true on ``today``, or None:
    the entry's period is over (its ``ends`` has passed), or a text the reply
    shows (``shown``) names an end date that has passed ("til 31. august 2025").
    Who to ask is left out when the reply names a contact right after it
    (``contact_follows``). Dates that are not ends ("startede 1. september 2021")
    need no note."""
    today = today or datetime.date.today()
    if _period_ended(entry, today):
        fallback = kb.fallback_contact
        return say("period_ended", name=fallback.name, phone=fallback.phone)
    mention = passed_end(shown, today)
    if mention is None:
        return None
    note = say("date_passed", date=spoken_date(mention))
    if not contact_follows:
        contact = kb.contact_for(entry)
        if contact is None or not (contact.phone or contact.email):
            contact = kb.fallback_contact
        note += " " + say("ask_what_applies_now", name=contact.name, how=how_to_reach(contact))
    return note


def _period_ended(entry: Entry, today: Optional[datetime.date]) -> bool:
    return entry.ends is not None and entry.ends < (today or datetime.date.today())


def spoken_date(mention: DateMention) -> str:
    """A date as the reply says it: "31. august 2025" (Danish), "31 August 2025"
    (English); a year or a range of years as the text writes it ("2021-2025")."""
    if mention.precision == YEAR:
        return " ".join(mention.phrase.split())
    day = mention.last_day
    month = phrases()["month_names"][day.month - 1]
    return say("date_day" if mention.precision == DAY else "date_month", day=day.day, month=month, year=day.year)


def _needs_contact_hint(entry: Entry, more: bool) -> bool:
    # Entries without a link or list are where the page stops; tell the
    # resident who knows more instead of leaving them at a dead end.
    return entry.kind != "contact" and not entry.related and (more or not entry.details)


def contact_card(contact: Entry) -> List[str]:
    lines = [say("card_title", name=contact.name, title=contact.title)] if contact.title else [contact.name]
    if contact.phone:
        lines.append(say("card_phone", phone=contact.phone))
    if contact.email:
        lines.append(say("card_email", email=contact.email))
    if contact.address:
        lines.append(say("card_address", address=contact.address))
    if contact.hours:
        lines.append(say("card_hours", hours=contact.hours))
    return lines


def how_to_reach(contact: Entry) -> str:
    """"på tlf. X eller på Y", from the details the contact has."""
    ways = [say("reach_phone", phone=contact.phone)] if contact.phone else []
    ways += [say("reach_email", email=contact.email)] if contact.email else []
    return phrases()["reach_or"].join(ways)


def _attribute_lines(contact: Entry, attribute: Optional[str]) -> List[str]:
    card = contact_card(contact)
    if attribute is None or attribute == "hjemmeside":
        return card
    if attribute == "aabningstider" and not contact.hours:
        return [say("missing_hours", name=contact.name, how=how_to_reach(contact))] + card[1:]
    value = {"telefon": contact.phone, "email": contact.email, "adresse": contact.address}.get(attribute)
    if value:
        key = {"telefon": "card_phone", "email": "card_email", "adresse": "card_address"}[attribute]
        return [card[0], say(key, **{key[5:]: value})]
    names = phrases()["attribute_names"]
    return [say("missing_attribute", attribute=names.get(attribute, attribute), subject=contact.name)] + card


def list_reply(kb: KnowledgeBase, text: str, ids: List[str]) -> Reply:
    buttons = [Button(kb.get(i).name, i) for i in ids if kb.get(i)]
    return Reply(text, buttons=buttons, subject_list=[b.entry_id for b in buttons])


def _named_or_subject(kb: KnowledgeBase, q: Question) -> Optional[Entry]:
    plan = kb.for_intent("ask_plan")
    # "er SFO en del af helhedsplanen" is about SFO: the plan itself counts last.
    named = sorted(_named(kb, q), key=lambda e: e is plan)
    return named[0] if named else kb.get(q.subject)


def _named(kb: KnowledgeBase, q: Question) -> List[Entry]:
    """The entries a question names. In one that points back at the
    conversation's subject ("hvor kan jeg læse om den"), words that only sound
    like a general entry ("læse", "aktiviteter") do not take the subject's place."""
    named = [kb.get(i) for i in q.mentioned if kb.get(i)]
    if kb.get(q.subject) is not None and points_back(q.text):
        named = [e for e in named if e.kind not in GENERIC_KINDS]
    return named


def points_back(text: str) -> bool:
    return _POINTS_BACK.search(fold(text)) is not None


def _unknown(kb: KnowledgeBase, text: Optional[str] = None) -> Reply:
    overview = kb.for_intent("ask_work_areas")
    return list_reply(kb, text or say("unknown_thing"), overview.related if overview else [])
