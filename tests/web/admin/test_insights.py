"""The inbox of unanswered questions and the dashboard: API and pages, on a
conversation store written by Rasa's own SQLTrackerStore."""
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bot.answer_store import audit
from bot.config import PrivacySettings
from bot.insights.grouping import question_key
from bot.web import WebConfig, create_app
from tests.web.admin.conftest import ADMIN, log_in
from tests.web.admin.test_pages import read_form, text_of
from tests.conversations import days_ago, session, turn, write_conversations

GRILL = "må jeg grille på altanen"
LAUNDRY = "hvor er vaskeriet"
PERSONAL = ("min cpr er 010190-1234, ring på 22 33 44 55 eller skriv til fatima@example.dk. "
            "Jeg hedder Fatima og vil spørge om haven")
SECRETS = ("010190", "1234", "22 33 44 55", "22334455", "fatima@", "example.dk", "Fatima")


@pytest.fixture
def conversations(conversations_dir):
    """Four residents two days ago: on the web, by SMS and over REST; three unanswered questions,
    one full of personal data (written straight to the store, as if the entrance had been bypassed)."""
    conversations_dir.mkdir()
    t = days_ago(2)
    write_conversations(conversations_dir / "conversations.db", {
        "web1": session(t) + turn("hej", "greet", t + 1) + turn("hvad er jobplaneten", "ask_initiative", t + 2)
        + turn(GRILL, "nlu_fallback", t + 3, confidence=0.5, action="action_fallback"),
        "web2": session(t + 60) + turn("Må jeg grille på altanen?", "out_of_scope", t + 61, confidence=0.9),
        "sms1": session(t + 120) + turn(PERSONAL, "nlu_fallback", t + 121, confidence=0.4,
                                        action="action_fallback", channel="gatewayapi"),
        "rest1": session(t + 180) + turn("fritidsjob", "ask_job_help", t + 181, channel="rest")
        + turn(LAUNDRY, "ask_contact", t + 182, confidence=0.3, channel="rest"),
    })
    return conversations_dir


async def ok(response, status: int = 200) -> dict:
    assert response.status == status, await response.text()
    return await response.json()


async def inbox(who, **params) -> list:
    return (await ok(await who.client.get("/admin/api/inbox", params=params)))["groups"]


def no_personal_data(text: str) -> None:
    # Keys and CSRF tokens are random letters and digits: they may hold "1234" by chance.
    text = re.sub(r'[0-9a-f]{64}|name="csrf_token" value="[^"]*"', "", text)
    for secret in SECRETS:
        assert secret not in text, secret


# --- the inbox API ----------------------------------------------------------------------------


async def test_inbox_groups_the_unanswered_questions(staff, conversations):
    response = await staff.client.get("/admin/api/inbox")
    no_personal_data(await response.text())
    groups = (await ok(response))["groups"]
    assert [(g["question"], g["count"], g["channels"]) for g in groups][0] == (
        "Må jeg grille på altanen?", 2, ["socketio"])
    assert {g["question"] for g in groups[1:]} == {
        LAUNDRY, "min cpr er [fjernet], ring på [fjernet] eller skriv til [fjernet]. "
                 "Jeg hedder [fjernet] og vil spørge om haven"}
    grill = groups[0]
    assert grill["key"] == question_key(GRILL) and grill["handled"] is False and grill["handled_by"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", grill["last"])  # Køge's time
    assert grill["first"] <= grill["last"]
    assert {g["channels"][0] for g in groups} == {"socketio", "gatewayapi", "rest"}


async def test_inbox_period_and_flags_are_checked(staff, conversations):
    assert len(await inbox(staff, days="1")) == 0
    assert len(await inbox(staff, days="365")) == 3
    for params in ({"days": "0"}, {"days": "366"}, {"days": "tre"}, {"include_handled": "måske"}):
        response = await staff.client.get("/admin/api/inbox", params=params)
        assert response.status == 400, params
        assert "skal være" in (await response.json())["fejl"]


async def test_marking_a_group_handled_hides_it(staff, answer_store, conversations):
    key = question_key(GRILL)
    response = await staff.client.post("/admin/api/inbox/handled", json={"key": key}, headers=staff.headers())
    marked = await ok(response)
    assert marked["key"] == key and marked["handled"] is True and marked["handled_by"] == "bo"
    assert marked["count"] == 2
    assert key not in {g["key"] for g in await inbox(staff)}
    everything = await inbox(staff, include_handled="true")
    assert next(g for g in everything if g["key"] == key)["handled_by"] == "bo"
    record = audit.recent(answer_store.engine)[0]
    assert (record.action, record.user_name) == ("inbox_handled", "bo")
    # Again: the same answer, no second record.
    await ok(await staff.client.post("/admin/api/inbox/handled", json={"key": key}, headers=staff.headers()))
    assert sum(r.action == "inbox_handled" for r in audit.recent(answer_store.engine)) == 1


@pytest.mark.parametrize("body, status, says", [
    ({"key": "0" * 64}, 404, "findes ikke i indbakken"),
    ({"key": "ABC"}, 400, "'key' skal være en nøgle fra indbakken"),
    ({"key": 5}, 400, "'key' skal være"),
    ({}, 400, "Feltet 'key' mangler."),
])
async def test_marking_refuses_unknown_and_malformed_keys(staff, answer_store, conversations, body, status, says):
    response = await staff.client.post("/admin/api/inbox/handled", json=body, headers=staff.headers())
    assert response.status == status
    assert says in (await response.json())["fejl"]
    assert len(await inbox(staff)) == 3


async def test_no_conversations_yet_is_an_empty_inbox_and_zero_figures(staff, conversations_dir):
    assert await inbox(staff) == []
    figures = await ok(await staff.client.get("/admin/api/dashboard", params={"days": "7"}))
    assert figures["answered"] == {"questions": 0, "answered": 0, "share": None}
    assert [day["total"] for day in figures["conversations_per_day"]] == [0] * 7
    assert not conversations_dir.exists()


async def test_a_conversation_store_that_cannot_be_read_is_a_danish_503(aiohttp_client, node_modules, answer_store):
    answer_store.staff.add(*ADMIN, is_admin=True)
    unreachable = PrivacySettings(tracker_database_url="postgresql://nobody@127.0.0.1:1/samtaler?connect_timeout=2")
    client = await aiohttp_client(create_app(WebConfig(node_modules=node_modules), answer_store, unreachable))
    admin = await log_in(client, answer_store, *ADMIN)
    for path in ("/admin/api/inbox", "/admin/api/dashboard"):
        response = await client.get(path)
        assert response.status == 503
        assert (await response.json())["fejl"] == "Samtalerne kan ikke læses lige nu. Prøv igen om lidt."
    response = await client.post("/admin/api/inbox/handled", json={"key": "0" * 64}, headers=admin.headers())
    assert response.status == 503
    for path in ("/admin/inbox", "/admin/dashboard"):
        response = await client.get(path)
        assert response.status == 503
        assert "Samtalerne kan ikke læses lige nu" in await response.text()


# --- the dashboard API -------------------------------------------------------------------------


async def test_dashboard_figures(staff, answer_store, conversations):
    figures = await ok(await staff.client.get("/admin/api/dashboard"))
    assert figures["days"] == 30 and len(figures["conversations_per_day"]) == 30
    assert figures["to"] == figures["conversations_per_day"][-1]["date"]
    assert figures["from"] == figures["conversations_per_day"][0]["date"]
    busy = [day for day in figures["conversations_per_day"] if day["total"]]
    assert len(busy) == 1
    assert busy[0]["total"] == 4 and busy[0]["by_channel"] == {"gatewayapi": 1, "rest": 1, "socketio": 2}
    assert figures["residents"] == 4
    assert [c["key"] for c in figures["channels"]] == ["socketio", "rest", "gatewayapi"]
    assert {c["label"] for c in figures["channels"]} == {"Chat på hjemmesiden", "REST", "SMS (GatewayAPI)"}
    topics = {t["intent"]: (t["label"], t["count"]) for t in figures["topics"]}
    assert topics["ask_initiative"] == ("En bestemt indsats", 1) and "greet" not in topics
    assert topics["out_of_scope"] == ("Andet end helhedsplanen", 1)
    assert figures["answered"] == {"questions": 7, "answered": 3, "share": pytest.approx(3 / 7)}
    assert figures["callbacks"] == 0 and all(day["count"] == 0 for day in figures["callbacks_per_day"])


async def test_dashboard_period_is_checked(staff):
    for days in ("0", "366", "-1", "30.5", "syv"):
        response = await staff.client.get("/admin/api/dashboard", params={"days": days})
        assert response.status == 400, days
    assert (await ok(await staff.client.get("/admin/api/dashboard", params={"days": "365"})))["days"] == 365


# --- the pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/inbox", "/admin/dashboard"])
async def test_the_pages_need_a_login(app_client, path):
    response = await app_client.get(path, allow_redirects=False)
    assert response.status == 303
    assert unquote(response.headers["Location"]) == f"/admin/login?next={path}"


@pytest.mark.parametrize("path", ["/admin/inbox", "/admin/dashboard", "/admin/inbox?days=7&include_handled=true",
                                  "/admin/dashboard?days=365", "/admin/dashboard?days=nonsens"])
async def test_the_pages_render_without_scripts_or_inline_styles(staff, conversations, path):
    response = await staff.client.get(path)
    html = await response.text()
    assert response.status == 200, html
    assert "<script" not in html and "style=" not in html  # the CSP allows neither
    assert "Logget ind som bo" in html
    no_personal_data(html)


async def test_inbox_page_lists_the_questions_with_their_actions(staff, conversations):
    html = await (await staff.client.get("/admin/inbox")).text()
    assert 'aria-current="page">Ubesvarede spørgsmål' in html
    text = text_of(html)
    assert "Må jeg grille på altanen? Dansk 2 Chat på hjemmesiden" in text
    assert LAUNDRY in text and "SMS (GatewayAPI)" in text
    links = re.findall(r'href="(/admin/entries/new\?[^"]+)"', html)
    questions = [parse_qs(urlsplit(link.replace("&amp;", "&")).query) for link in links]
    assert {"kind": ["faq"], "question": ["Må jeg grille på altanen?"]} in questions
    fields = read_form(html, "/admin/inbox/handled")
    assert ("key", question_key(GRILL)) in fields and ("csrf_token", staff.csrf) in fields
    assert "Markér som klaret" in html and "Tilføj et svar" in html


async def test_marking_handled_on_the_page(staff, answer_store, conversations):
    key = question_key(GRILL)
    without_token = await staff.client.post("/admin/inbox/handled", data={"key": key}, allow_redirects=False)
    assert without_token.status == 403
    response = await staff.client.post("/admin/inbox/handled", data={"key": key, "csrf_token": staff.csrf},
                                       allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/admin/inbox?klaret=1"
    other_period = await staff.client.post("/admin/inbox/handled", allow_redirects=False, data={
        "key": question_key(LAUNDRY), "days": "90", "csrf_token": staff.csrf})
    assert other_period.headers["Location"] == "/admin/inbox?klaret=1&days=90"
    html = await (await staff.client.get("/admin/inbox?klaret=1")).text()
    assert "Spørgsmålet er markeret som klaret" in html
    assert "grille" not in html
    shown = text_of(await (await staff.client.get("/admin/inbox?include_handled=true")).text())
    assert "Må jeg grille på altanen?" in shown and "Klaret" in shown and "af bo" in shown

    unknown = await staff.client.post("/admin/inbox/handled", data={"key": "f" * 64, "csrf_token": staff.csrf})
    assert unknown.status == 404
    assert "Spørgsmålet findes ikke i indbakken" in await unknown.text()


async def test_add_an_answer_opens_the_form_with_the_question_filled_in(staff, conversations):
    html = await (await staff.client.get("/admin/inbox")).text()
    link = re.search(r'href="(/admin/entries/new\?[^"]*grille[^"]*)"', html)[1].replace("&amp;", "&")
    form = await staff.client.get(link)
    assert form.status == 200
    fields = dict(read_form(await form.text(), "/admin/entries/new"))
    assert fields["kind"] == "faq"
    assert fields["name"] == "Må jeg grille på altanen?"
    assert fields["id"] == "maa_jeg_grille_paa_altanen"
    assert fields["summary"] == ""


async def test_new_entry_without_a_question_is_blank(staff):
    fields = dict(read_form(await (await staff.client.get("/admin/entries/new?kind=faq")).text(), "/admin/entries/new"))
    assert fields["name"] == "" and fields["id"] == ""


async def test_dashboard_page_draws_its_charts_with_the_numbers_beside_them(staff, conversations):
    html = await (await staff.client.get("/admin/dashboard")).text()
    assert 'aria-current="page">Overblik' in html
    for chart in ("samtaler-diagram", "emner-diagram", "besvaret-diagram"):
        assert re.search(rf'<svg class="[^"]*" id="{chart}"[^>]*role="img" aria-labelledby="{chart}-titel"', html)
    conversations_svg = re.search(r'<svg class="chart-svg" id="samtaler-diagram".*?</svg>', html, re.S)[0]
    heights = [float(h) for h in re.findall(r'<rect class="series-\d" [^>]*height="([\d.]+)"', conversations_svg)]
    assert len(heights) == 3 and all(h > 0 for h in heights)  # one day, three channels
    counts = re.findall(r'data-count="(\d+)"', conversations_svg)
    assert sorted(map(int, counts)) == [1, 1, 2]
    text = text_of(html)
    assert "Borgere, der har skrevet 4" in text
    assert "43 %" in text  # 3 of 7 answered
    assert "Assistenten svarede sikkert på 3 af 7 beskeder" in text
    assert re.search(r"Chat på hjemmesiden\s*</th>", html) and "Samtaler pr. dag og kanal" in html
    assert "Ingen har bedt om at blive ringet op i perioden." in text


async def test_dashboard_page_without_conversations(staff):
    html = await (await staff.client.get("/admin/dashboard?days=7")).text()
    text = text_of(html)
    assert "Ingen samtaler i perioden." in text and "Ingen beskeder i perioden." in text
    assert "<rect" not in html
