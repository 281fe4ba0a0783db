"""Emergency detection overrides the model for fire, violence, break-ins, suicide."""
import pytest

from bot.nlp.emergency import emergency_intent


@pytest.mark.parametrize(
    "text",
    ["det brænder", "det braender i opgangen!!", "der er ild i kælderen", "min mand slår mig",
     "min kaereste slaar mig", "der er indbrud hos mig", "nogen er brudt ind", "han har en kniv",
     "jeg bliver truet", "vold i opgangen nu", "help there is a fire in my flat", "ring 112",
     "nogen har slået mig", "han slog mig i går", "der er røg i opgangen",
     "naboen slår sin kone", "han banker sine børn", "my neighbour is hitting his wife",
     "he is beating me", "a woman is being attacked outside", "en mand er blevet stukket ned",
     "jeg hørte skud", "han truer med at slå mig ihjel", "jeg er i fare", "a man with a knife is outside",
     "min nabo trækker ikke vejret"],
)
def test_emergencies(text):
    assert emergency_intent(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    ["jeg vil ikke leve mere", "jeg tænker på selvmord", "jeg vil tage mit eget liv",
     "tanker om selvmord", "i want to kill myself", "jeg vil dø", "jeg vil gerne dø", "jeg har lyst til at dø", "bare væk og aldrig komme tilbage",
     "jeg skader mig selv", "jeg vil gøre en ende på det", "jeg vil ende mit liv",
     "thinking about ending it all", "i dont want to live anymore", "jeg har ikke kræfter til at leve",
     "jeg vil bare forsvinde for altid", "jeg håber jeg aldrig vågner"],
)
def test_suicidal_thoughts(text):
    assert emergency_intent(text) == "suicidal"


@pytest.mark.parametrize(
    "text",
    ["hvilke fire boligområder er med", "hvad gør i for at forebygge kriminalitet", "hvad er get2sport",
     "hjælp til cv", "hej", "brandvæsenet", "tal med et menneske", "",
     "jeg brænder for frivilligt arbejde", "hvad gør i mod vold i området", "hvordan forebygge vold blandt unge",
     "nogen banker på døren", "who won the match", "danmark slog sverige",
     "min søn er i fare for at komme ud i kriminalitet", "han truer med at flytte", "jeg vil aldrig komme tilbage til det kursus"],
)
def test_ordinary_questions_are_not_emergencies(text):
    assert emergency_intent(text) is None
