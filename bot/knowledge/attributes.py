"""What a question asks *about* a thing: its price, its times, where it is,
who it is for, how to join, who is in it.

The answer data has fields for some of these (an address, opening hours) and
none for the rest, so a question about them must be answered for that
attribute ("that is not in my information, ask ...") instead of with the
thing's description as if it answered. Cues work on folded text (æ/ø/å →
ae/oe/aa; residents also write plain o and a).
"""
import re
from typing import FrozenSet, List, Optional

from bot.knowledge.dates import sentences
from bot.knowledge.text import danish_stop_words, fold

_OE, _AA, _AE = r"(?:oe|o)", r"(?:aa|a)", r"(?:ae|a|e)"
_WHEN = rf"hvorn{_AA}r"
_WHO = rf"(?:voksne|piger|drenge|kvinder|m{_AE}nd|{_AE}ldre|unge|b{_OE}rn|alle)"
_LANGUAGES = (r"(?:arabisk|tyrkisk|somali\w*|urdu|farsi|persisk|dari|pashto|kurdisk|polsk|ukrainsk|russisk|"
              r"engelsk|tigrinya|dansk)\b")

# Checked in this order; the first that matches is the attribute.
CUES = {
    "pris": r"hvad koster|\bkoster\b|\bpris\w*|gratis|skal (?:man|jeg|vi) betale|hvad skal jeg betale|hvor meget koster",
    # Pay for taking part ("får man løn når man er i Fælles Fremtid").
    "loen": rf"\bl{_OE}n(?:nen)?\b|f{_AA}r (?:man|jeg|vi|han|hun|de) (?:\w+ )?penge\b|\bbetalt for\b",
    # The languages spoken ("taler Rikke Willesen arabisk", "skal man kunne dansk").
    "sprog": rf"(?<!jeg )\b(?:taler|snakker|forst{_AA}r|kunne|kan) (?:\w+ ){{0,3}}?{_LANGUAGES}|\bp{_AA} {_LANGUAGES}"
             r"|\btolk\w*|hvilke(?:t)? sprog|\bsprog\b",
    "ventetid": r"ventetid\w*|hvor l(?:ae|a)nge skal (?:man|jeg|vi|han|hun) vente",
    # What a short name stands for ("hvad står SSP for").
    "forkortelse": rf"hvad st{_AA}r \w+ for\b|forkortelse\w*",
    "tilmelding": rf"melde?r? (?:\w+ ){{0,2}}(?:til|ind)\b|tilmeld\w*|\bmedlem\w*|hvordan (?:f{_AA}r|kan) (?:man|jeg|min \w+|vi) (?:en|et|plads|hjaelp fra|fat i en)\b|hvordan (?:kommer|bliver) (?:man|jeg|vi|min \w+) (?:med|en del)|skrive (?:mig|ham|hende|os) op",
    # "kan voksne også bruge Fælles Fremtid", "må jeg tage min baby med".
    "maalgruppe": rf"(?:ogs{_AA}|kun) for\b|\b{_WHO} ogs{_AA}\b"
                  rf"|(?:kan|m{_AA}) (?:jeg|man|vi) (?:godt )?(?:tage|have) (?:\w+ ){{1,3}}med\b|"
                  # Not "er der noget for kvinder": that asks what there is.
                  rf"\b(?:er|g{_AE}lder) (?!der\b)(?:\w+ ){{0,2}}for (?:voksne|piger|drenge|alle|kvinder|m{_AA}e?nd|{_AA}e?ldre|b{_OE}rn|unge)\b|\balder\b|alderen|aldersgr\w*|aldersgr\w*|hvor gammel|(?:kan|m{_AA}) (?:\w+ ){{1,4}}?(?:v{_AA}ere|komme|deltage) med|(?:kan|m{_AA}) (?:\w+ ){{1,4}}?deltage",
    "personer": r"formand\w*|hvem (?:leder|styrer|er leder|er chef|er direktoer|er boss)|hvem sidder|\blederen\b|\bdirektoer\w*|hvad hedder (?:de|lederen|hun|han)|ansatte|hvor mange (?:medarbejdere|ansatte|er med)",
    "aabningstider": rf"{_WHEN} (?:har|er|m{_OE}des|starter|begynder|{_AA}bner|lukker|holder|kan (?:man|jeg|vi) \w+)|{_AA}bningstid\w*|{_AA}bent|hvilke dage|hvilken dag|hvad tid|klokken|n{_AE}ste (?:gang|hold|\w*m{_OE}de)|arbejdstid\w*|tr{_AE}ffetid\w*",
    "adresse": rf"hvor ligger|hvor holder (?:\w+ )*?til|adresse\w*|hvor er (?:det|den|de|kontoret|i|jeres)\b|hvor (?:m{_OE}des|holder) \w+",
    # Sums of money the answer data does not give ("hvor mange penge får planen").
    "penge": rf"(?:hvor mange|hvor meget) (?:\w+ )?(?:penge|kroner|kr)\b|\bbel{_OE}b\w*|budget\w*|hvor meget (?:giver|f{_AA}r|betaler)",
    # How often ("hvor tit mødes de": "3-4 gange om året") and how many ("hvor mange
    # er med i forummet": "syv byrådsmedlemmer ..."): the entry's answer says it where it is known.
    "hyppighed": rf"hvor tit|hvor ofte|hvor mange (?:\w+ )?gange|hvor mange (?:\w+ )?m{_OE}der",
    "antal": r"hvor mange|hvor stor",
    # What comes after the period the answer data knows ("kommer der en ny helhedsplan efter 2025").
    "fremtid": rf"\bny (?:helhedsplan|plan)\b|n{_AE}ste (?:helhedsplan|plan)\b|forl{_AE}ng\w*|efter (?:2025|planen)\b|forts{_AE}tte\w*",
}
_COMPILED = {name: re.compile(pattern) for name, pattern in CUES.items()}
# Attributes some entries have a field for.
FIELDS = {"aabningstider": "hours", "adresse": "address"}


def asked_attribute(text: str) -> Optional[str]:
    """The attribute a question asks about, or None."""
    folded = fold(text)
    return next((name for name, pattern in _COMPILED.items() if pattern.search(folded)), None)

# Sentences of an entry's text that say what is known about an attribute
# ("Bestyrelsen mødes 3-4 gange om året" for a question about when it meets).
KNOWN = {
    "aabningstider": re.compile(r"\bm(?:oe|ø)des\b", re.I),
    "personer": re.compile(r"\bsidder\b|består af|repræsentant", re.I),
    "maalgruppe": re.compile(r"\b(?:unge|børn|familier|forældre|kvinder)\b", re.I),
    # A number of members, not a year ("2021-2025") or how often ("3-4 gange").
    "antal": re.compile(r"\b(?:\d{1,3}|to|tre|fire|fem|seks|syv|otte)\b(?![-–]\d)(?! gange)|består af", re.I),
    "hyppighed": re.compile(r"\bgange?\b", re.I),
    "penge": re.compile(r"\b(?:penge\w*|midler|betaler|Landsbyggefonden)\b", re.I),
    "fremtid": re.compile(r"\b20\d\d\b"),
    # Who a thing works with ("hvem arbejder de sammen med").
    "samarbejde": re.compile(r"samarbejd\w*|arbejder (?:\w+ )?sammen", re.I),
    # Where to read about a thing without a site of its own.
    "hjemmeside": re.compile(r"facebook|hjemmeside|\blæs", re.I),
}


# Attributes where a known sentence is the answer ("hvor mange er med i forummet":
# "består af syv byrådsmedlemmer ..."): the entry's own answer, which says it in context.
ANSWERED_BY_KNOWN = {"antal", "hyppighed"}


def known_sentences(text: str, attribute: str) -> List[str]:
    pattern = KNOWN.get(attribute)
    if pattern is None:
        return []
    # Not cut inside a date ("1. september 2021 til 31. august 2025") or after "tlf.".
    return [s for s in sentences(text) if pattern.search(s)]


# "kan X hjælpe (mig) med Y", "kan X ikke lave Y", "laver/tilbyder X også Y": the request is Y.
_ASKS_CAN_DO = re.compile(
    r"\bkan (?:\w+ ){1,3}?(?:ikke )?(?:hjaelpe|hjalpe|betale|give|lave|skaffe|ordne|fikse|reparere|smide|saette|finde|"
    r"soege|soge|tage|fjerne|flytte)\b(?P<request>(?: \w+){1,8})"
    r"|\b(?:laver|tilbyder|hjaelper|giver) (?:\w+ ){1,2}?ogsaa?(?P<also>(?: \w+){1,8})")
# Words of a request that say nothing of what it is about.
_REQUEST_FILLERS = {"mig", "os", "dem", "med", "min", "mit", "mine", "en", "et", "at", "til", "ikke", "lidt", "noget",
                    "nogen", "hjaelp", "hjaelpe", "ogsaa", "ogsa", "mand", "kone", "soen", "son", "datter",
                    "boern", "born", "familie", "faa", "fa", "ny", "nyt", "nye"}
# Words sharing their first letters are one word here ("lejligheden", "lejlighed").
STEM = 5


def asks_beyond(text: str, known_text: str, known_words: FrozenSet[str] = frozenset()) -> bool:
    """Whether ``text`` asks if something can do a thing ("kan X hjælpe med Y")
    of which no word is in ``known_text`` or ``known_words``."""
    match = _ASKS_CAN_DO.search(fold(text))
    if match is None:
        return False
    own = fold(known_text)
    stems = {w[:STEM] for w in own.split()} | {w[:STEM] for w in known_words if len(w) >= STEM}
    request = [w for w in (match.group("request") or match.group("also")).split()
               if w not in _REQUEST_FILLERS and w not in danish_stop_words() and len(w) >= 2]
    return bool(request) and not any(w[:STEM] in stems or w in own.split() or w in known_words for w in request)
