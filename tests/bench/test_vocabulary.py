"""Spelling repair: known words restore æ/ø/å, fix typos and join compounds."""
import pytest

from bench.candidates.vocabulary import Vocabulary, words_of

KNOWN = words_of([
    "Fælles Fremtid hjælper med fritidsjob, læreplads og praktikplads.",
    "Søparken, Hastrupparken, Ellemarken og Karlemoseparken.",
    "Køge Kvindenetværk, børn og forældre, kriminalitet, aktiviteter.",
    "hvornår er kommunen åben", "hvad er", "jeg bor i", "stiger", "siger", "periode",
])


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary(KNOWN)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("faelles fremtid", "fælles fremtid"),
        ("soeparken", "søparken"),
        ("boern", "børn"),
        ("bornene", "bornene"),  # unknown and no known word folds to it: left alone
        ("hvornaar er kommunen aaben", "hvornår er kommunen åben"),
        ("kvindenetvaerk", "kvindenetværk"),
        ("kriminialitet", "kriminalitet"),
        ("aktivitetr", "aktiviteter"),
        ("karlemose parken", "karlemoseparken"),
        ("fritids job", "fritidsjob"),
        ("lære plads", "læreplads"),
        ("hvad er", "hvad er"),
        ("jeg bor i koge", "jeg bor i køge"),
    ],
)
def test_repairs(vocabulary, text, expected):
    assert vocabulary.repair(text) == expected


@pytest.mark.parametrize(
    "word",
    ["stiger", "planer", "so", "perioden", "pizza", "12345678", "hej"],
)
def test_leaves_real_words_inflections_and_unknown_short_words(vocabulary, word):
    assert vocabulary.repair(word) == word


def test_empty_and_symbols(vocabulary):
    assert vocabulary.repair("") == ""
    assert vocabulary.repair("???") == "???"
