"""The language of each question in the inbox (shown, with lang and dir, and as
a filter) and the messages per language on the dashboard: pages and API, on a
conversation store written by Rasa's own SQLTrackerStore as the Rasa server
writes it since it tells languages (``tests.insights.test_languages.said``)."""
import re

import pytest

from bot.insights.grouping import question_key
from tests.conversations import days_ago, session, write_conversations
from tests.insights.test_languages import (ARABIC_GRILL, DANISH_GRILL, ENGLISH_GRILL, FARSI, said,
                                           unanswered)
from tests.web.admin.test_insights import ok
from tests.web.admin.test_pages import read_form, text_of

ARABIC_PERSONAL = "رقمي 22 33 44 55 أين المغسلة؟"


@pytest.fixture
def multilingual(conversations_dir):
    """Two days ago: Arabic (twice, once by SMS, once with a phone number), Farsi, English and Danish."""
    conversations_dir.mkdir()
    t = days_ago(2)
    write_conversations(conversations_dir / "conversations.db", {
        "ar1": session(t) + unanswered(ARABIC_GRILL, t + 1) + said("112", "emergency", t + 2),
        "ar2": session(t + 60) + unanswered(ARABIC_GRILL, t + 61, channel="gatewayapi")
        + unanswered(ARABIC_PERSONAL, t + 62, channel="gatewayapi"),
        "fa1": session(t + 120) + unanswered(FARSI, t + 121),
        "en1": session(t + 180) + said("where is the laundry room", "ask_contact", t + 181)
        + unanswered(ENGLISH_GRILL, t + 182),
        "da1": session(t + 240) + said("hvad er jobplaneten", "ask_initiative", t + 241)
        + unanswered(DANISH_GRILL, t + 242),
    })
    return conversations_dir


def question_paragraphs(html: str) -> dict:
    """Each question in the inbox's table: its text -> (lang, dir)."""
    return {text: (lang, direction) for lang, direction, text in
            re.findall(r'<td class="question">\s*<p lang="([^"]*)" dir="([^"]*)">([^<]*)</p>', html)}


# --- the inbox page ------------------------------------------------------------------------------


async def test_inbox_page_shows_each_questions_language_and_direction(staff, multilingual):
    html = await (await staff.client.get("/admin/inbox")).text()
    assert question_paragraphs(html) == {
        ARABIC_GRILL: ("ar", "rtl"), "رقمي [fjernet] أين المغسلة؟": ("ar", "rtl"), FARSI: ("fa", "rtl"),
        ENGLISH_GRILL: ("en", "ltr"), DANISH_GRILL: ("da", "ltr")}
    assert '<th scope="col">Sprog</th>' in html
    assert '<span class="meta" lang="ar" dir="rtl">العربية</span>' in html
    assert '<span class="meta" lang="fa" dir="rtl">فارسی</span>' in html
    text = text_of(html)
    assert f"{ARABIC_GRILL} Arabisk العربية 2 SMS (GatewayAPI), Chat på hjemmesiden" in text
    assert f"{ENGLISH_GRILL} Engelsk English 1" in text and f"{DANISH_GRILL} Dansk 1" in text
    for secret in ("22 33 44 55", "22334455"):
        assert secret not in html


async def test_inbox_page_filters_by_language(staff, multilingual):
    html = await (await staff.client.get("/admin/inbox?language=ar")).text()
    assert set(question_paragraphs(html)) == {ARABIC_GRILL, "رقمي [fjernet] أين المغسلة؟"}
    assert "2 grupper af spørgsmål på arabisk, der ikke er klaret." in text_of(html)
    assert ("language", "ar") in read_form(html, "/admin/inbox")  # the filter shows what is chosen
    assert '<option value="ti">Tigrinya</option>' in html and '<option value="">Alle sprog</option>' in html

    english = await (await staff.client.get("/admin/inbox?language=en&days=7")).text()
    assert set(question_paragraphs(english)) == {ENGLISH_GRILL}

    none = text_of(await (await staff.client.get("/admin/inbox?language=so")).text())
    assert "Ingen ubesvarede spørgsmål på somali de seneste 30 dage, som ikke er klaret." in none

    # An unknown language is no filter.
    everything = await (await staff.client.get("/admin/inbox?language=xx")).text()
    assert len(question_paragraphs(everything)) == 5
    assert ("language", "") in read_form(everything, "/admin/inbox")


async def test_marking_handled_under_a_language_stays_in_that_language(staff, multilingual):
    html = await (await staff.client.get("/admin/inbox?language=fa&days=7")).text()
    fields = read_form(html, "/admin/inbox/handled")
    assert ("language", "fa") in fields and ("key", question_key(FARSI)) in fields
    response = await staff.client.post("/admin/inbox/handled", data=dict(fields), allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/admin/inbox?klaret=1&days=7&language=fa"
    after = await (await staff.client.get(response.headers["Location"])).text()
    assert "Spørgsmålet er markeret som klaret" in after and question_paragraphs(after) == {}
    assert FARSI not in question_paragraphs(await (await staff.client.get("/admin/inbox")).text())


# --- the inbox API -------------------------------------------------------------------------------


async def test_inbox_api_gives_languages_and_filters(staff, multilingual):
    everything = await ok(await staff.client.get("/admin/api/inbox"))
    assert everything["language"] is None
    languages = {group["question"]: (group["language"], group["languages"]) for group in everything["groups"]}
    assert languages[ARABIC_GRILL] == ("ar", ["ar"]) and languages[ENGLISH_GRILL] == ("en", ["en"])
    assert languages[DANISH_GRILL] == ("da", ["da"]) and languages[FARSI] == ("fa", ["fa"])

    arabic = await ok(await staff.client.get("/admin/api/inbox", params={"language": "ar"}))
    assert arabic["language"] == "ar" and {g["language"] for g in arabic["groups"]} == {"ar"}
    assert len(arabic["groups"]) == 2

    for bad in ("xx", "AR", "arabisk"):
        response = await staff.client.get("/admin/api/inbox", params={"language": bad})
        assert response.status == 400, bad
        assert "skal være en af sprogkoderne da, en, ar" in (await response.json())["fejl"]


async def test_inbox_api_marks_handled_under_a_language(staff, multilingual):
    key = question_key(ENGLISH_GRILL)
    marked = await ok(await staff.client.post("/admin/api/inbox/handled", json={"key": key, "language": "en"},
                                              headers=staff.headers()))
    assert marked["key"] == key and marked["language"] == "en" and marked["handled_by"] == "bo"
    assert (await ok(await staff.client.get("/admin/api/inbox", params={"language": "en"})))["groups"] == []
    # Not a group in Arabic; not a language.
    response = await staff.client.post("/admin/api/inbox/handled", json={"key": key, "language": "ar"},
                                       headers=staff.headers())
    assert response.status == 404
    response = await staff.client.post("/admin/api/inbox/handled", json={"key": key, "language": "de"},
                                       headers=staff.headers())
    assert response.status == 400 and "'language' skal være en sprogkode" in (await response.json())["fejl"]


# --- the dashboard -------------------------------------------------------------------------------


async def test_dashboard_api_gives_messages_per_day_and_language(staff, multilingual):
    figures = await ok(await staff.client.get("/admin/api/dashboard", params={"days": "7"}))
    # Arabic 4 ("112" too: said in an Arabic conversation), Danish 2, English 2, Farsi 1.
    assert figures["languages"] == [
        {"code": "ar", "label": "Arabisk", "messages": 4}, {"code": "da", "label": "Dansk", "messages": 2},
        {"code": "en", "label": "Engelsk", "messages": 2}, {"code": "fa", "label": "Farsi", "messages": 1}]
    days = figures["messages_per_day_and_language"]
    assert len(days) == 7 and [day["date"] for day in days] == [day["date"] for day in figures["conversations_per_day"]]
    busy = [day for day in days if day["total"]]
    assert len(busy) == 1 and busy[0]["by_language"] == {"ar": 4, "da": 2, "en": 2, "fa": 1} and busy[0]["total"] == 9
    assert figures["answered"]["questions"] == 9
    assert figures["not_danish"] == {"messages": 7, "share": pytest.approx(7 / 9)}


async def test_dashboard_page_shows_languages_as_chart_and_tables(staff, multilingual):
    html = await (await staff.client.get("/admin/dashboard")).text()
    assert "<script" not in html and "style=" not in html
    assert re.search(r'<svg class="chart-svg" id="sprog-diagram"[^>]*role="img" aria-labelledby="sprog-diagram-titel"',
                     html)
    svg = re.search(r'<svg class="chart-svg" id="sprog-diagram".*?</svg>', html, re.S)[0]
    assert sorted(map(int, re.findall(r'data-count="(\d+)"', svg))) == [1, 2, 2, 4]  # one day, four languages
    # Danish first (at the bottom, the first colour), then the others, the most used first.
    assert re.search(r'<rect class="series-0" [^>]*data-count="2"', svg)
    assert "9 beskeder (Dansk 2, Arabisk 4, Engelsk 2, Farsi 1)" in svg  # the bar's tooltip
    legend = re.search(r'<ul class="legend" aria-label="Sprog">.*?</ul>', html, re.S)[0]
    assert text_of(legend).split() == ["Dansk", "Arabisk", "Engelsk", "Farsi"]
    text = text_of(html)
    assert "Beskeder på andre sprog end dansk 78 %" in text
    assert "7 af 9 beskeder (78 %) var på et andet sprog end dansk." in text
    assert "Dansk 2 22 % Arabisk العربية 4 44 % Engelsk English 2 22 % Farsi فارسی 1 11 %" in text
    assert '<span class="meta" lang="ar" dir="rtl">العربية</span>' in html
    assert re.search(r"<th scope=\"col\">Farsi</th><th scope=\"col\">I alt</th>", html)
    assert "Beskeder pr. dag og sprog" in html


async def test_dashboard_chart_draws_six_languages_at_most(staff, conversations_dir):
    conversations_dir.mkdir()
    t = days_ago(1)
    codes = ["da", "en", "ar", "tr", "so", "ur", "fa", "pl", "uk", "ti"]
    write_conversations(conversations_dir / "conversations.db", {
        code: session(t + 100 * n) + [event for repeat in range(len(codes) - n)
                                      for event in said(f"besked {repeat}", "ask_contact", t + 100 * n + 1 + repeat,
                                                        code)]
        for n, code in enumerate(codes)})
    html = await (await staff.client.get("/admin/dashboard?days=7")).text()
    legend = re.search(r'<ul class="legend" aria-label="Sprog">.*?</ul>', html, re.S)[0]
    assert text_of(legend).split() == ["Dansk", "Engelsk", "Arabisk", "Tyrkisk", "Somali", "Andre", "sprog"]
    svg = re.search(r'<svg class="chart-svg" id="sprog-diagram".*?</svg>', html, re.S)[0]
    # Urdu 5, Farsi 4, Polish 3, Ukrainian 2, Tigrinya 1: one part of 15.
    assert sorted(map(int, re.findall(r'data-count="(\d+)"', svg))) == [6, 7, 8, 9, 10, 15]
    assert re.findall(r'<rect class="series-(\d)"', svg) == ["0", "1", "2", "3", "4", "5"]
    day_table = re.search(r"<caption class=\"visually-hidden\">Beskeder pr. dag og sprog</caption>.*?</thead>",
                          html, re.S)[0]
    assert len(re.findall(r'<th scope="col">', day_table)) == 12  # the day, ten languages, the total
    assert "Beskeder på andre sprog end dansk 82 %" in text_of(html)  # 45 of 55


async def test_dashboard_without_messages_shows_no_language_share(staff):
    html = await (await staff.client.get("/admin/dashboard?days=7")).text()
    text = text_of(html)
    assert "Beskeder på andre sprog end dansk –" in text
    assert 'id="sprog-diagram"' not in html
