"""Violent-sounding figures of speech are taken out before the intent is guessed."""
import pytest

from bot.nlp.figures_of_speech import without_figures


@pytest.mark.parametrize("text, left", [
    ("det var dræbende kedeligt, hvor tit er der forummøde", "det var , hvor tit er der forummøde"),
    ("jeg slaar et slag for kvindenetvaerket", "jeg kvindenetvaerket"),
    ("har skudt en hvid pind efter læreplads, hvem kan hjælpe", "har efter læreplads, hvem kan hjælpe"),
    ("jeg slås med mit CV", "jeg CV"),
    ("Jeg dør af grin, er der noget for unge", "Jeg , er der noget for unge"),
    ("kan du slå op hvornår bestyrelsen mødes", "kan du hvornår bestyrelsen mødes"),
    ("min søn skyder på mål hele dagen", "min søn hele dagen"),
])
def test_figures_are_taken_out(text, left):
    assert without_figures(text) == left


@pytest.mark.parametrize("text", ["min mand slår mig", "jeg vil dø", "han skød på mig", "de slås med knive",
                                  "han truer med at slå mig ihjel", "jeg dør"])
def test_violence_is_left_as_it_is(text):
    assert without_figures(text) == text


def test_a_message_that_is_only_a_figure_is_kept():
    assert without_figures("Dør af grin") == "Dør af grin"
