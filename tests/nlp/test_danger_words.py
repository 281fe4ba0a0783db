"""Danger in the residents' other languages, found by the precise words of bot/nlp/danger_words.yml."""
from pathlib import Path

import pytest

from bot.nlp import danger_words
from bot.nlp.danger import ACUTE, CHILD, HOME, POLICE, SUICIDAL, answer_kind, precise_kind


@pytest.mark.parametrize("text, kind", [
    # Arabic, with clitics ("بالشرطة") and colloquial forms.
    ("زوجي يضربني كل يوم وأنا خايفة", HOME),
    ("في واحد معه سكين عند الباب", ACUTE),
    ("كيف اتصل بالشرطة؟", POLICE),
    ("بفكر بالانتحار", SUICIDAL),
    ("عمري ١٤ وابوي يضربني", CHILD),  # Arabic-Indic digits
    # Turkish, typed with and without its letters.
    ("kocam beni her gün dövüyor", HOME),
    ("kocam beni her gun dovuyor", HOME),
    ("intihar etmeyi düşünüyorum", SUICIDAL),
    ("oğlumu okulda birileri tehdit ediyor", CHILD),
    # Somali.
    ("ninkaygu wuu i garaacaa", HOME),
    ("waxaan doonayaa inaan is dilo", SUICIDAL),
    # Urdu, Farsi.
    ("میرا شوہر مجھے مارتا ہے", HOME),
    ("بلڈنگ میں آگ لگی ہے", ACUTE),
    ("شوهرم منو می‌زنه", HOME),
    ("دیگه نمی‌خوام زندگی کنم", SUICIDAL),
    # Polish, Ukrainian, also with the words the other way round.
    ("mąż mnie bije", HOME),
    ("ukradli mi rower, jak zgłosić na policję", POLICE),
    ("мені 13 і тато мене б'є", CHILD),
    ("думаю про самогубство", SUICIDAL),
    # Tigrinya.
    ("ሰብኣየይ ይወቕዓኒ እዩ", HOME),
    ("ኣብ ህንጻ ሓዊ ተላዒሉ", ACUTE),
    # A Danish word borrowed into another language.
    ("politiet'e nasıl yazabilirim", POLICE),
    # The speaker's fear of home or of someone close is the home's danger.
    ("انا خايفة من جوزي", HOME),
    ("kocam yüzünden eve dönmeye korkuyorum", HOME),
    ("boję się męża", HOME),
    ("мені страшно вдома", HOME),
    ("از شوهرم میترسم", HOME),
    ("گھر میں بہت ڈر لگتا ہے", HOME),
    ("guriga waan ka baqayaa", HOME),
    ("ካብ ሰብኣየይ እፈርሕ", HOME),
    ("колишній пише що вб'є мене", HOME),
    # Self-harm, also in Latin letters (Arabizi, Roman Urdu).
    ("waan is dhaawacay", SUICIDAL),
    ("main khud ko nuqsan deti hoon", SUICIDAL),
    ("ርእሰይ እጎድእ ኣለኹ", SUICIDAL),
    ("bade 2tol 7ali", SUICIDAL),
    ("ek admi ke paas chaku hai", ACUTE),
    ("ብሽክለተይ ተሰሪቓ ትማሊ", POLICE),
    # Other persons, tenses and spoken forms: Gulf/Levantine, Arabizi, Dari, Roman Urdu, Russian.
    ("جوزي بيطقني كل ما يرجع البيت", HOME),
    ("اهلي بدهم يجوزوني غصب عني", HOME),
    ("5ayfe mn jozi", HOME),
    ("eşim beni tekmeledi, eve dönmeye korkuyorum", HOME),
    ("binada yoğun duman var", ACUTE),
    ("ninkii hore ayaa i dharbaaxay", HOME),
    ("waxaa la igu qasbay inaan guursado", HOME),
    ("میرے ابا نے مجھے مارا", HOME),
    ("shauhar ne mujhe kamre mein band kar diya", HOME),
    ("پدراندرم مره لت میکنه", HOME),
    ("خونه پر از دود شده", ACUTE),
    ("ojczym mnie kopnął", HOME),
    ("sąsiad zemdlał na klatce", ACUTE),
    ("мой муж запер меня дома", HOME),
    ("в подъезде полно дыма", ACUTE),
    ("ኣቦይ ይወቅዓኒ እዩ", HOME),
    ("ገዛና ይነድድ ኣሎ", ACUTE),
])
def test_crisis_words_in_the_residents_languages_say_which_kind(text, kind):
    found = precise_kind(text)
    assert found is not None
    assert answer_kind(found, text) == kind


@pytest.mark.parametrize("text", [
    # Figures of speech: hunger, a form, a match.
    "açlıktan ölüyorum haha",
    "bu formlar beni öldürecek ya",
    "umieram z głodu",
    "ця анкета мене вб'є",
    "هالاستمارة رح تقتلني",
    "این فرم منو کشت",
    "gaajo ayaan u dhimanayaa haha",
    # The police named, without a crime or a wish to reach them: the crime-prevention answer.
    "هل تتعاونون مع الشرطة؟",
    "czy współpracujecie z policją?",
    "polisle birlikte çalışıyor musunuz",
    # A fire drill or a first-aid course is not a fire.
    "yarın binada yangın alarmı testi mi var",
    "في دورة اسعافات اولية بالحي؟",
    # "اگر ... لگتا" (if ... seems) is not "آگ لگی" (a fire).
    "اگر آپ کو لگتا ہے کہ یہ ٹھیک ہے",
    # Someone else's fear is no danger: "my mother is afraid I find no work".
    "mama boi się, że nie znajdę pracy",
    "annem iş bulamayacağımdan korkuyor",
    "امي خايفة اني ما لاقي شغل",
])
def test_everyday_words_that_only_sound_violent_are_no_danger(text):
    assert precise_kind(text) is None


@pytest.mark.parametrize("text", [
    "min mor har købt en ny bil", "det er et is dilemma", "kan min mama komme med", "jeg vil gerne male en tata",
])
def test_words_in_latin_letters_are_not_looked_for_in_danish(text):
    assert danger_words.kind(text) is None


def test_a_short_crisis_message_the_detector_cannot_place_gets_its_words_language():
    assert danger_words.language("maz mnie bije") == "pl"
    assert danger_words.language("ninkaygu wuu i garaacaa") == "so"
    assert danger_words.language("hvor ligger jobplaneten") is None


def test_a_child_named_in_another_language():
    assert danger_words.names_a_child("ابني")
    assert danger_words.names_a_child("mam 13 lat")
    assert not danger_words.names_a_child("mam 30 lat")


def test_an_unknown_class_of_words_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "danger_words.yml"
    bad.write_text("pl:\n  weapons: [noz]\n", encoding="utf-8")
    monkeypatch.setattr(danger_words, "WORDS_FILE", bad)
    danger_words.languages.cache_clear()
    try:
        with pytest.raises(ValueError, match="weapons"):
            danger_words.languages()
    finally:
        danger_words.languages.cache_clear()


EVERYDAY = Path(__file__).with_name("data") / "everyday_other_languages.txt"


def test_ordinary_questions_in_the_residents_languages_raise_no_danger():
    questions = [line.strip() for line in EVERYDAY.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    assert len(questions) >= 70
    assert [q for q in questions if danger_words.kind(q)] == []
