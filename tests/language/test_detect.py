import pytest

from bot.language.detect import detect, is_right_to_left


@pytest.mark.parametrize("text", [
    "hvad er jobplaneten",
    "min mand slaar mig",  # no æ/ø/å; the model alone says Swedish
    "hvem kan jeg ringe til",
    "kan i hjaelpe mig med at finde arbejde",
    "Jeg vil gerne vide mere om helhedsplanen",
    "god aften",
    "naboens drenge smadrer ting",  # the model alone says English
    "get2sport pris?",
    "Hvornår åbner de?",
    "jeg er bange",
    "hej",
    "kan jeg komme i kvindenetværket i Søparken",
    "er der noget for min søn i Hastrupparken",
    "bye",
    "min søn går i 7a og min datter i 3b",  # class names are no Arabizi
])
def test_danish_is_never_taken_for_another_language(text):
    assert detect(text) in ("da", None)


@pytest.mark.parametrize("text", ["ok", "tak", "112", "Jobplaneten?", "", "   ", "😀", "/greet"])
def test_what_cannot_be_told_keeps_the_conversations_language(text):
    assert detect(text) in (None, "da")


@pytest.mark.parametrize("text, language", [
    ("Do you speak English?", "en"),
    ("what is Jobplaneten?", "en"),
    ("my husband hits me", "en"),
    ("can someone call me back please", "en"),
    ("مرحبا، أحتاج مساعدة في العثور على عمل", "ar"),
    ("من به کمک نیاز دارم", "fa"),
    ("مجھے نوکری چاہیے", "ur"),
    ("merhaba iş arıyorum", "tr"),
    ("Szukam pracy dla mojego syna", "pl"),
    ("мені потрібна робота", "uk"),
    ("ስራ ይደልየኒ", "ti"),
    ("Waxaan u baahanahay caawimaad aan ku helo shaqo", "so"),
    # Without their own letters, by their words.
    ("CV yazmak icin yardim lazim", "tr"),
    ("czy jest wsparcie dla rodzin", "pl"),
    # A Danish name with æ/ø/å inside does not make it Danish.
    ("czy jest wsparcie dla rodzin w Søparken?", "pl"),
    ("helhedsplan-ka Køge maxuu qabtaa?", "so"),
    ("what does Fælles Fremtid do", "en"),
    # Arabic in Latin letters, digits for the letters Latin lacks.
    ("mumkin 7ada y3awenni bel cv", "ar"),
    # Urdu in Latin letters.
    ("mujhe apne bete ke liye kaam chahiye", "ur"),
    # A greeting alone.
    ("merhaba", "tr"), ("Asc", "so"), ("hi", "en"), ("cześć", "pl"), ("مرحبا", "ar"),
])
def test_the_languages_of_the_four_areas(text, language):
    assert detect(text) == language


def test_arabic_farsi_and_urdu_are_written_right_to_left():
    assert all(is_right_to_left(code) for code in ("ar", "fa", "ur"))
    assert not any(is_right_to_left(code) for code in ("da", "en", "tr", "so", "pl", "uk", "ti"))
