"""Hypothesis strategies: CPR numbers as residents write them, in Danish sentences."""
from datetime import date

from hypothesis import strategies as st

# Every way a CPR number is commonly written: {d}{m}{y} date parts, {s} serial.
CPR_FORMATS = [
    "{d}{m}{y}-{s}",
    "{d}{m}{y}{s}",
    "{d}{m}{y} {s}",
    "{d}{m}{y} - {s}",
    "{d}{m}{y}\u2013{s}",  # en dash, as phones autocorrect it
    "{d} {m} {y} {s}",
    "{d} {m} {y}-{s}",
    "{d}.{m}.{y}-{s}",
    "{d}-{m}-{y}-{s}",
    "{d}/{m}/{y}-{s}",
]

SENTENCES = [
    "Mit CPR-nummer er {cpr}",
    "mit cpr er {cpr} hvad er jobplaneten?",
    "{cpr}",
    "{cpr} er mit cpr nummer, kan i hjælpe",
    "Hej, jeg hedder Anna ({cpr}) og vil gerne høre om Fælles Fremtid.",
    "cpr: {cpr}.",
    "Kan I slå {cpr} op? Jeg bor i Søparken",
    "min søn har cpr nr.{cpr} og søger fritidsjob",
    "CPR {cpr}, tlf ikke nødvendig",
    "hvad er helhedsplanen\n{cpr}",
]


@st.composite
def cpr_numbers(draw):
    """(as written, the ten digits) for a real birth date and any serial."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    serial = draw(st.integers(0, 9999))
    written = draw(st.sampled_from(CPR_FORMATS)).format(
        d=f"{born.day:02d}", m=f"{born.month:02d}", y=f"{born.year % 100:02d}", s=f"{serial:04d}"
    )
    digits = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    return written, digits


@st.composite
def sentences_with_cpr(draw):
    written, digits = draw(cpr_numbers())
    return draw(st.sampled_from(SENTENCES)).format(cpr=written), written, digits


def only_digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


