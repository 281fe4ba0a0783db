"""Danger detection: the precise patterns say which kind; everyday words raise no alarm."""
import pytest

from bot.nlp.danger import (ACUTE, CHILD, HOME, KINDS, NONE, POLICE, SUICIDAL, DangerDetector, answer_kind,
                            names_a_child, precise_kind, training_kind)


@pytest.mark.parametrize(
    "text",
    ["det brænder", "det braender i opgangen!!", "der er ild i kælderen", "der er indbrud hos mig",
     "nogen er brudt ind", "han har en kniv", "jeg bliver truet", "vold i opgangen nu",
     "help there is a fire in my flat", "ring 112", "nogen har slået mig", "der er røg i opgangen",
     "my neighbour is hitting his wife", "he is beating me", "a woman is being attacked outside",
     "en mand er blevet stukket ned", "jeg hørte skud", "han truer med at slå mig ihjel", "jeg er i fare",
     "a man with a knife is outside", "min nabo trækker ikke vejret", "der staar en med kniv i opgangen",
     # Filmed is not played.
     "nogle drenge overfaldt min ven og lagde en film af det på nettet", "de filmede overfaldet"],
)
def test_acute_danger(text):
    assert precise_kind(text) in (ACUTE, HOME)


@pytest.mark.parametrize(
    "text",
    ["min familie vil gifte mig med min fætter og de truer mig",
     # Violence or a weapon in the hands of someone close.
     "min søster bor sammen med en mand der slår hende", "min mand har en pistol og siger han bruger den",
     "han slår mig ihjel hvis jeg går", "de vil gifte hende bort i sommerferien", "min mand slår mig", "min kaereste slaar mig", "naboen slår sin kone", "han slog mig i går",
     "min eks truer mig hele tiden", "der er psykisk vold i mit hjem", "min far slaar min mor",
     # Fear of going home, or of someone close.
     "jeg tor ikke at tage hjem i nat", "jeg er bange for min kæreste", "im scared to go back home",
     "i'm terrified of my boyfriend", "my ex is threatening me"],
)
def test_violence_in_the_home(text):
    assert precise_kind(text) == HOME


@pytest.mark.parametrize(
    "text",
    ["han banker sine børn", "der er nogle unge der truer min søn", "jeg er 12 aar og min far slaar mig",
     "min datter bliver slået i skolen", "my son is being hit", "nogen truer mit barn"],
)
def test_a_child_at_risk(text):
    assert precise_kind(text) == CHILD


@pytest.mark.parametrize(
    "text",
    ["Hvordan kontakter jeg politiet?", "hvad er politiets nummer", "jeg vil anmelde et tyveri",
     "nogen har stjålet min cykel", "hvordan faar jeg fat paa politiet", "how do i contact the police",
     "der bliver solgt hash ved legepladsen", "de sælger stoffer i opgangen",
     "hvor ligger politistationen i køge"],
)
def test_reaching_the_police(text):
    assert precise_kind(text) == POLICE


@pytest.mark.parametrize(
    "text",
    ["jeg vil ikke leve mere", "jeg tænker på selvmord", "jeg vil tage mit eget liv",
     "hvad er den hurtigste måde at dø på",
     "tanker om selvmord", "i want to kill myself", "jeg vil dø", "jeg vil gerne dø", "jeg har lyst til at dø",
     "bare væk og aldrig komme tilbage", "jeg skader mig selv", "jeg vil gøre en ende på det",
     "jeg vil ende mit liv", "thinking about ending it all", "i dont want to live anymore",
     "jeg har ikke kræfter til at leve", "jeg vil bare forsvinde for altid", "jeg håber jeg aldrig vågner",
     "jeg vil bare do", "jeg har skrevet et afskedsbrev"],
)
def test_suicidal_thoughts(text):
    assert precise_kind(text) == SUICIDAL


@pytest.mark.parametrize(
    "text",
    ["hvilke fire boligområder er med", "hvad gør i for at forebygge kriminalitet", "hvad er get2sport",
     "hjælp til cv", "hej", "brandvæsenet", "tal med et menneske", "",
     "jeg brænder for frivilligt arbejde", "hvad gør i mod vold i området", "hvordan forebygge vold blandt unge",
     "nogen banker på døren", "who won the match", "danmark slog sverige",
     "min søn er i fare for at komme ud i kriminalitet", "han truer med at flytte",
     "jeg vil aldrig komme tilbage til det kursus",
     # Everyday words that sound violent.
     "jeg skal slå plænen", "kan du slå op i telefonbogen", "det var dræbende kedeligt", "brandgod idé",
     "det skyder vi en hvid pind efter", "jeg dør af grin", "vi slog dem i fodbold", "er politiet også med",
     "tyve minutter", "han er en killer til fodbold", "vi skal dø af grin", "jeg slås med min matematik",
     "den forklaring var knivskarp", "det slog mig lige, hvem betaler for planen",
     "har skudt en hvid pind efter læreplads", "jeg bliver skudt ned til hver jobsamtale",
     "den her hede slår mig ihjel", "varmen slår mig ihjel", "den film var vildt voldelig",
     "jeg dræbte min bror i fortnite", "serien er så voldelig",
     "har lige slået min personlige rekord", "vores hold slog dem 5-0", "min søn er skudt i vejret"],
)
def test_ordinary_messages_raise_no_alarm(text):
    assert precise_kind(text) is None


class _Message(dict):
    def get(self, key, default=None):
        return super().get(key, default)


def test_training_kind_comes_from_the_metadata_with_a_default_per_intent():
    assert training_kind(_Message(intent="emergency", metadata={"intent": {"danger": "home"}})) == HOME
    assert training_kind(_Message(intent="emergency", metadata={"example": {"danger": "child"}})) == CHILD
    assert training_kind(_Message(intent="emergency")) == ACUTE
    assert training_kind(_Message(intent="suicidal")) == SUICIDAL
    assert training_kind(_Message(intent="ask_plan")) == NONE
    with pytest.raises(ValueError):
        training_kind(_Message(intent="emergency", metadata={"intent": {"danger": "fire"}}))


def test_semantic_detector_speaks_only_above_its_threshold():
    detector = DangerDetector({"semantic": False, "threshold": 0.6}, None, None)
    unsure = {NONE: 0.5, ACUTE: 0.3, HOME: 0.2}
    sure = {NONE: 0.2, ACUTE: 0.1, HOME: 0.7}
    assert detector.kind("noget uklart", unsure) is None
    assert detector.kind("noget uklart", sure) == HOME
    # The patterns decide first, whatever the vectors say.
    assert detector.kind("min mand slår mig", unsure) == HOME
    assert detector.kind("hej", {}) is None
    assert set(KINDS) == {SUICIDAL, CHILD, HOME, ACUTE, POLICE}


def test_the_vector_raises_no_alarm_for_the_police_in_the_plans_work_or_violence_played():
    detector = DangerDetector({"semantic": False, "threshold": 0.6}, None, None)
    police, home = {NONE: 0.1, POLICE: 0.9}, {NONE: 0.1, HOME: 0.9}
    assert detector.kind("jeg hørte politiet er med til nogle møder, passer det", police) is None
    assert detector.kind("samarbejder planen med politiet", police) is None
    assert detector.kind("jeg dræbte min bror i fortnite", home) is None
    assert detector.kind("nogen har smadret alle ruder i opgangen", police) == POLICE


def test_in_another_language_the_bar_is_lower_and_the_classifiers_crisis_counts():
    detector = DangerDetector({"semantic": False, "threshold": 0.75, "threshold_other_languages": 0.5}, None, None)
    leaning = {NONE: 0.55, ACUTE: 0.1, HOME: 0.35}
    # (Wordings no precise word in bot/nlp/danger_words.yml finds.)
    # Danish keeps its bar; in Arabic the same leaning is a crisis when the intent classifier sees one too.
    assert detector.kind("noget uklart her", leaning, "emergency") is None
    assert detector.kind("البيت صار جحيم ما بعرف شو اعمل", leaning, "emergency") == HOME
    assert detector.kind("البيت صار جحيم ما بعرف شو اعمل", leaning, "ask_family_support") is None
    assert detector.kind("البيت صار جحيم ما بعرف شو اعمل", {NONE: 0.45, HOME: 0.55}) == HOME  # over the lower bar
    # No vector at all (screened out): the classifier's crisis, in its default kind.
    assert detector.kind("Mam dość wszystkiego, nie widzę sensu", {}, "suicidal") == SUICIDAL
    assert detector.kind("Gdzie mogę znaleźć pracę dla syna", {}, "ask_job_help") is None
    # A crisis intent the classifier ranks second, but high enough, counts in another language only.
    ranking = {"nlu_fallback": 0.45, "emergency": 0.4, "ask_family_support": 0.15}
    assert detector.kind("تو خونه خیلی اذیتم میکنه", {NONE: 0.7, HOME: 0.3}, "nlu_fallback", ranking) == HOME
    assert detector.kind("min mand er sur", {NONE: 0.7, HOME: 0.3}, "nlu_fallback", ranking) is None
    low = {"nlu_fallback": 0.6, "emergency": 0.1}
    assert detector.kind("تو خونه خیلی اذیتم میکنه", {NONE: 0.7, HOME: 0.3}, "nlu_fallback", low) is None


@pytest.mark.parametrize(
    "text, kind",
    [("de siger de banker ham, han er kun 11", CHILD), ("nogen truer min søn", CHILD),
     ("min far slår mig og jeg er 14", CHILD), ("min lillebror vil tage sit liv", CHILD),
     ("min mand slår mig", HOME), ("der er en mand med kniv i opgangen", ACUTE),
     ("nogen har stjålet min søns cykel", POLICE), ("jeg vil ikke leve mere", SUICIDAL),
     ("vi har boet her i 10 år, min mand slår mig", HOME),
     ("min søn på 15 løber ærinder for nogen der sælger stoffer", CHILD),
     ("my friend is 15 and her stepdad beats her", CHILD)],
)
def test_a_child_named_in_danger_gets_the_childs_answer(text, kind):
    assert answer_kind(precise_kind(text), text) == kind


@pytest.mark.parametrize("text", ["han er kun 11", "jeg er 14 og tør ikke sige det", "hun går i 8. klasse",
                                  "børnene er bange", "min datter på 9", "en 12-årig pige"])
def test_a_child_is_named(text):
    assert names_a_child(text)


@pytest.mark.parametrize("text", ["han er 35", "det var for 2 timer siden", "jeg har boet her i 12 år",
                                  "hvad skal jeg gøre", "vi er 3 voksne", "the bus is 10 minutes late",
                                  "it is 5 pm", "the rent is 9 percent higher"])
def test_no_child_is_named(text):
    assert not names_a_child(text)


def test_only_the_detector_raises_an_alarm():
    from rasa.shared.nlu.training_data.message import Message

    detector = DangerDetector({"semantic": False}, None, None)
    guessed = Message(data={"text": "jeg slås med mit cv", "intent": {"name": "emergency", "confidence": 0.45},
                            "intent_ranking": [{"name": "emergency", "confidence": 0.45},
                                               {"name": "ask_job_help", "confidence": 0.3}]})
    found = Message(data={"text": "min mand slår mig", "intent": {"name": "ask_family_support", "confidence": 0.6}})
    detector.process([guessed, found])
    assert guessed.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in guessed.get("intent_ranking")] == ["nlu_fallback", "ask_job_help"]
    assert found.get("intent")["name"] == "emergency"
    assert [e["value"] for e in found.get("entities") if e["entity"] == "danger"] == [HOME]


def test_the_screen_spares_the_vector_only_where_the_ngrams_rule_danger_out():
    class CountingEncoder:
        def __init__(self):
            self.texts = []

        def vectors(self, texts):
            import numpy as np

            self.texts += list(texts)
            return np.array([[float(len(t) % 7), 1.0] for t in texts])

    texts = ["min mand slår mig", "han truer mig med en kniv", "jeg vil ikke leve mere", "der er brand i opgangen"] * 3 + \
        ["hvad er jobplaneten", "hvornår mødes bestyrelsen", "hej", "tak for hjælpen", "hvem kan jeg ringe til"] * 3
    labels = [HOME, ACUTE, SUICIDAL, ACUTE] * 3 + [NONE] * 15
    encoder = CountingEncoder()
    detector = DangerDetector({"screen_below": 0.3, "C": 16.0}, None, None, encoder=encoder).fit(texts, labels)
    encoder.texts.clear()
    probabilities = detector.danger_probabilities(["min mand slår mig igen", "hvad er jobplaneten"])
    assert encoder.texts == ["min mand slår mig igen"]
    assert probabilities[1] == {} and probabilities[0]
    detector._config["screen_below"] = 0
    detector.danger_probabilities(["hvad er jobplaneten"])
    assert encoder.texts[-1] == "hvad er jobplaneten"
