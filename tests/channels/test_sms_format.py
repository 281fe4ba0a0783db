"""SMS formatting: GSM-7, part counting, numbered options, shortening."""
import pytest

from bot.channels.sms_format import (
    MAX_PARTS,
    MAX_SEPTETS,
    chosen_number,
    compose,
    not_on_list,
    numbered_options,
    numbers_phrase,
    payload_for,
    septets,
    shorten,
    sms_parts,
    to_gsm7,
    truncate,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Søparken, Ærø og Åbenrå", "Søparken, Ærø og Åbenrå"),  # æ, ø, å are GSM-7
        ("Café é è à ü ö ä ñ Ç", "Café é è à ü ö ä ñ Ç"),
        ("“citat” og ‘citat’", "\"citat\" og 'citat'"),
        ("9–12 — ja", "9-12 - ja"),
        ("vent…", "vent..."),
        ("a\u00a0b\tc", "a b c"),
        ("Hej 😀 med dig", "Hej med dig"),
        ("• punkt", "- punkt"),
        ("á ó í ú ê", "a o i u e"),
        ("pris 10 €, [x] {y} ~ | ^ \\", "pris 10 €, [x] {y} ~ | ^ \\"),
        ("Ω Δ", "Ω Δ"),
        ("日本", "??"),
        ("a\u200bb", "ab"),
    ],
)
def test_text_is_kept_in_gsm7(text, expected):
    assert to_gsm7(text) == expected


@pytest.mark.parametrize(
    "text, count",
    [("", 0), ("abc", 3), ("æøå", 3), ("€", 2), ("[]{}", 8), ("a\nb", 3), ("~|^\\", 8)],
)
def test_extension_characters_count_as_two_septets(text, count):
    assert septets(text) == count


@pytest.mark.parametrize(
    "text, parts",
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("€" * 80, 1),  # 160 septets
        ("€" * 81, 2),
        ("a" * 152 + "€" + "a" * 10, 2),  # the € may not be split: moves to part two
        ("a" * 152 + "€" + "a" * 152 + "€" + "a" * 151, 4),  # ...which can cost a part at 459 septets
    ],
)
def test_parts_of_a_concatenated_sms(text, parts):
    assert sms_parts(text) == parts


@pytest.mark.parametrize("count, phrase", [(1, "1"), (2, "1 eller 2"), (3, "1, 2 eller 3"), (5, "1, 2, 3, 4 eller 5")])
def test_numbers_phrase(count, phrase):
    assert numbers_phrase(count) == phrase


def test_options_are_numbered_and_end_with_how_to_answer():
    assert numbered_options(["Hjælp til job", "Familie og børn", "Fællesskab"]) == (
        "1. Hjælp til job\n2. Familie og børn\n3. Fællesskab\nSvar 1, 2 eller 3."
    )


@pytest.mark.parametrize(
    "reply, number",
    [
        ("2", 2), (" 2 ", 2), ("2.", 2), ("2)", 2), ("nr 2", 2), ("Nr. 3", 3), ("12", 12),
        ("2 tak", None), ("to", None), ("", None), ("112", None), ("2,5", None), ("hvad er 2", None),
    ],
)
def test_a_reply_that_is_just_a_number(reply, number):
    assert chosen_number(reply) == number


@pytest.mark.parametrize("number, payload", [(1, "/a"), (2, "/b"), (3, None), (0, None)])
def test_a_number_maps_to_its_payload(number, payload):
    assert payload_for(["/a", "/b"], number) == payload


def test_a_number_not_on_the_list_repeats_the_list():
    assert not_on_list(["Job", "Familie"]) == "Det nummer er ikke på listen.\n1. Job\n2. Familie\nSvar 1 eller 2."


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("kort tekst", 20, "kort tekst"),
        ("et ord mere end der er plads til", 15, "et ord mere..."),
        ("ordetersåmegetlangt", 10, "ordeter..."),
        ("[[[[[[", 9, "[[[..."),  # extension characters count double
    ],
)
def test_truncate_at_a_word_boundary(text, limit, expected):
    assert truncate(text, limit) == expected
    assert septets(truncate(text, limit)) <= limit


LONG_FACT = "Jobplaneten hjælper unge i gang med job. " + "Her er mange flere detaljer om forløbet. " * 15
SHORTEN_CASES = {
    "fits: unchanged": ("Kort svar. Læs mere her: https://a.dk", 100, "Kort svar. Læs mere her: https://a.dk"),
    "first sentences plus the link line": (
        LONG_FACT + "\nLæs mere her: https://jobplaneten.dk",
        120,
        "Jobplaneten hjælper unge i gang med job. Her er mange flere detaljer om forløbet.\n"
        "Læs mere her: https://jobplaneten.dk",
    ),
    "phone number kept": (
        LONG_FACT + "\nRing til Køge Kommune på tlf. 56 67 67 67.",
        100,
        "Jobplaneten hjælper unge i gang med job.\nRing til Køge Kommune på tlf. 56 67 67 67.",
    ),
    "a link early on is kept in place": (
        "Se https://a.dk for alt. " + LONG_FACT,
        80,
        "Se https://a.dk for alt. Jobplaneten hjælper unge i gang med job.",
    ),
    "no link or number: first sentences only": (LONG_FACT, 90, "Jobplaneten hjælper unge i gang med job. Her er mange flere detaljer om forløbet."),
    "a long sentence around the link: just the link": (
        LONG_FACT + "\nDet hele og meget mere om alle forløbene kan man læse om på https://jobplaneten.dk hvor alt står.",
        80,
        "Jobplaneten hjælper unge i gang med job.\nhttps://jobplaneten.dk",
    ),
    "a long sentence around a number: the number as Tlf.": (
        LONG_FACT + "\nDu kan altid ringe til os på 56 67 67 67 hvis du har spørgsmål om alle forløbene.",
        80,
        "Jobplaneten hjælper unge i gang med job.\nTlf. 56 67 67 67",
    ),
    "tlf. does not end a sentence": (
        "Ring på tlf. 56 67 67 67 i dag. " + LONG_FACT,
        50,
        "Ring på tlf. 56 67 67 67 i dag.",
    ),
    "a first sentence too long is cut": (
        "Dette er en meget lang første sætning uden nogen ende overhovedet " * 3 + "\nLæs mere her: https://a.dk",
        80,
        "Dette er en meget lang første sætning uden nogen...\nLæs mere her: https://a.dk",
    ),
}


@pytest.mark.parametrize("text, limit, expected", SHORTEN_CASES.values(), ids=SHORTEN_CASES.keys())
def test_a_long_answer_keeps_its_first_sentences_and_a_link_or_number(text, limit, expected):
    assert shorten(text, limit) == expected
    assert septets(shorten(text, limit)) <= limit


BUTTONS = [
    {"title": "Hjælp til job", "payload": "/ask_job_help"},
    {"title": "Familie og børn", "payload": "/ask_family_support"},
    {"title": "Fællesskab og aktiviteter", "payload": "/ask_community"},
]


def test_a_turn_becomes_one_sms_with_numbered_options():
    reply = compose([{"text": "Hej!"}, {"text": "Hvad vil du vide?", "buttons": BUTTONS}])
    assert reply.text == (
        "Hej!\n\nHvad vil du vide?\n\n1. Hjælp til job\n2. Familie og børn\n3. Fællesskab og aktiviteter\n"
        "Svar 1, 2 eller 3."
    )
    assert reply.payloads == ["/ask_job_help", "/ask_family_support", "/ask_community"]
    assert reply.titles == ["Hjælp til job", "Familie og børn", "Fællesskab og aktiviteter"]


def test_a_turn_without_buttons_has_no_options():
    reply = compose([{"text": "Ring 112 nu."}])
    assert (reply.text, reply.payloads) == ("Ring 112 nu.", [])


def test_a_long_turn_is_shortened_but_keeps_its_options():
    reply = compose([{"text": LONG_FACT * 3 + "\nLæs mere her: https://jobplaneten.dk", "buttons": BUTTONS}])
    assert sms_parts(reply.text) <= MAX_PARTS
    assert reply.text.startswith("Jobplaneten hjælper unge i gang med job.")
    assert "https://jobplaneten.dk" in reply.text
    assert reply.text.endswith("Svar 1, 2 eller 3.")


@pytest.mark.parametrize("text", [LONG_FACT * 5, "[" * 2000, "ord " * 500, "€ " * 400])
def test_no_turn_is_longer_than_three_parts(text):
    for buttons in ([], BUTTONS):
        reply = compose([{"text": text, "buttons": buttons}])
        assert sms_parts(reply.text) <= MAX_PARTS
        assert septets(reply.text) <= MAX_SEPTETS


def test_an_image_is_sent_as_its_link():
    assert compose([{"image": "https://a.dk/kort.png"}]).text == "https://a.dk/kort.png"


def test_an_empty_turn_is_an_empty_sms():
    assert compose([]).text == ""


# --- other scripts: sent as UCS-2 ----------------------------------------------

ARABIC_EMERGENCY = ("إذا كنت في خطر الآن، فاتصل بالرقم 112. إذا لم يكن الأمر عاجلًا، يمكنك الاتصال بالشرطة "
                    "على الرقم 114.\nيمكنك أيضًا الاتصال بـ Lev Uden Vold على الرقم 1888.")


def test_arabic_is_sent_as_unicode_and_kept_whole():
    reply = compose([{"text": ARABIC_EMERGENCY}])
    assert reply.encoding == "UCS-2"
    assert reply.text == ARABIC_EMERGENCY  # not "?" for every letter
    assert "?" not in reply.text


def test_unicode_parts_are_counted_in_utf16_units():
    from bot.channels.sms_format import UCS2_ENCODING, sms_parts

    assert sms_parts("ب" * 70, UCS2_ENCODING) == 1
    assert sms_parts("ب" * 71, UCS2_ENCODING) == 2  # 67 per part once it is split
    assert sms_parts("ب" * 134, UCS2_ENCODING) == 2
    assert sms_parts("ب" * 135, UCS2_ENCODING) == 3
    assert sms_parts("😀" * 35, UCS2_ENCODING) == 1  # a surrogate pair is two units


def test_danish_stays_gsm7():
    reply = compose([{"text": "Ring til Køge Kommune på tlf. 56 67 67 67 – det er gratis 😀"}])
    assert reply.encoding == "GSM-7" and reply.parts == 1


def test_a_long_unicode_answer_keeps_to_six_parts_and_its_number():
    long_text = " ".join(["جملة طويلة جدا عن المساعدة."] * 40) + " اتصل على 56 67 67 67."
    reply = compose([{"text": long_text}])
    assert reply.encoding == "UCS-2" and reply.parts <= 6
    assert "56 67 67 67" in reply.text
