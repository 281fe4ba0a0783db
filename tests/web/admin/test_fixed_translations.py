"""The sentences shipped in every language ("Faste oversættelser"): listed with
their review state, a translator's check recorded for a language or sentence
by sentence, on the page (without JavaScript) and through the JSON API; a
check of an earlier text stops counting when a release changes the sentence."""
import datetime
import re

import pytest
import yaml

from bot.answer_store import audit
from bot.answer_store.times import LOCAL_TIME
from bot.language import texts
from bot.language.texts import fingerprint, languages_with_fixed_texts, shipped_sentences
from tests.web.admin.test_api import ok, send
from tests.web.admin.test_pages import changed, read_form, text_of

PAGE = "/admin/fixed-translations"
NOT_CHECKED = "Ikke tjekket af en oversætter"


def today() -> str:
    return datetime.datetime.now(LOCAL_TIME).strftime("%d.%m.%Y")


def language_section(html: str, language: str) -> str:
    start = html.index(f'<section class="fixed-language" id="sprog-{language}"')
    return html[start:html.index("</section>", start)]


def rows(html: str, language: str) -> dict:
    """Each sentence's row text by its key (the checkbox's value)."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", language_section(html, language), re.S)[1:]:
        key = re.search(r'name="key" value="([^"]+)"', row).group(1)
        found[key] = text_of(row)
    return found


@pytest.fixture
def new_release(tmp_path, monkeypatch):
    """Ships a changed fixed.yml, as a new release of the assistant would; returns the changed key."""
    sentences = yaml.safe_load(texts.FIXED_FILE.read_text(encoding="utf-8"))
    sentences["reach_person"]["ar"] = sentences["reach_person"]["ar"].replace("إنسان", "موظف")
    changed = tmp_path / "fixed.yml"
    changed.write_text(yaml.safe_dump(sentences, allow_unicode=True), encoding="utf-8")

    def release():
        monkeypatch.setattr(texts, "FIXED_FILE", changed)
        texts._fixed.cache_clear()
        return "reach_person"

    yield release
    monkeypatch.undo()
    texts._fixed.cache_clear()


# --- the page --------------------------------------------------------------------------------


async def test_the_page_lists_every_language_s_sentences_and_says_residents_always_get_them(staff):
    response = await staff.client.get(PAGE)
    html = await response.text()
    assert response.status == 200
    assert '<a href="/admin/fixed-translations" aria-current="page">Faste oversættelser</a>' in html
    assert "Borgerne får altid sætningerne, også før en oversætter har tjekket dem." in text_of(html)
    for language in languages_with_fixed_texts():
        shown = rows(html, language)
        assert list(shown) == [s.key for s in shipped_sentences(language)], language
        assert all(NOT_CHECKED in row for row in shown.values()), language
    arabic = rows(html, "ar")
    assert "utter_emergency variant police" in arabic["utter_emergency/police"]
    police = next(s for s in shipped_sentences("ar") if s.key == "utter_emergency/police")
    assert police.text in arabic["utter_emergency/police"] and police.danish in arabic["utter_emergency/police"]
    assert '<td lang="ar" dir="rtl">' in language_section(html, "ar")
    assert f"Arabisk (العربية) : 0 af {len(shipped_sentences('ar'))} tjekket" in text_of(html)


async def test_a_translator_s_check_of_a_whole_language_is_recorded(staff, answer_store):
    form = read_form(await (await staff.client.get(PAGE)).text(), f"{PAGE}/ar")
    response = await staff.client.post(f"{PAGE}/ar", allow_redirects=False,
                                       data=changed(form, translator="Amira Haddad", scope="all"))
    assert response.status == 303 and response.headers["Location"] == f"{PAGE}?tjekket=ar#sprog-ar"
    html = await (await staff.client.get(response.headers["Location"])).text()
    arabic = language_section(html, "ar")
    assert '<p class="notice" role="status">Det er gemt, at oversætteren har tjekket sætningerne.</p>' in arabic
    assert all(f"Tjekket af Amira Haddad, {today()}" in row for row in rows(html, "ar").values())
    total = len(shipped_sentences("ar"))
    assert f"{total} af {total} sætninger er tjekket af en oversætter." in text_of(arabic)
    assert all(NOT_CHECKED in row for row in rows(html, "tr").values())  # only Arabic
    record = audit.recent(answer_store.engine, limit=1)[0]
    assert (record.user_name, record.action) == ("bo", "fixed_texts_reviewed")
    assert record.details == f"sprog: ar, {total} sætninger, oversætter: Amira Haddad"


async def test_a_check_of_some_sentences_is_recorded_for_those_only(staff):
    form = read_form(await (await staff.client.get(PAGE)).text(), f"{PAGE}/so")
    chosen = ["utter_suicidal", "reach_person"]
    response = await staff.client.post(f"{PAGE}/so", allow_redirects=False,
                                       data=changed(form, key=chosen, translator="Hodan Ali", scope="chosen"))
    assert response.status == 303
    shown = rows(await (await staff.client.get(PAGE)).text(), "so")
    assert {key for key, row in shown.items() if "Tjekket af Hodan Ali" in row} == set(chosen)


@pytest.mark.parametrize("typed, says", [
    ({"translator": "   ", "scope": "all", "key": ["reach_person"]}, "Skriv navnet på oversætteren"),
    ({"translator": "Hodan Ali", "scope": "chosen"}, "Sæt flueben ved de sætninger"),
    ({"translator": "Hodan Ali", "scope": "chosen", "key": ["findes_ikke"]}, "Sæt flueben ved de sætninger"),
])
async def test_a_check_without_a_name_or_a_sentence_is_refused_with_what_was_typed_kept(staff, answer_store, typed,
                                                                                        says):
    form = read_form(await (await staff.client.get(PAGE)).text(), f"{PAGE}/so")
    response = await staff.client.post(f"{PAGE}/so", data=changed(form, **typed))
    html = await response.text()
    assert response.status == 400
    somali = language_section(html, "so")
    assert says in text_of(somali) and 'role="alert"' in somali
    for key in typed.get("key", []):
        assert f'name="key" value="{key}" checked' in somali or key == "findes_ikke"
    assert f'name="translator" type="text" autocomplete="off" value="{typed["translator"]}"' in somali
    assert answer_store.reviews.of_language("so") == []


async def test_recording_a_check_needs_the_csrf_token(staff, answer_store):
    for data in ([("translator", "Amira"), ("scope", "all")],
                 [("csrf_token", "gammel"), ("translator", "Amira"), ("scope", "all")]):
        response = await staff.client.post(f"{PAGE}/ar", data=data)
        assert response.status == 403
        assert "Genindlæs siden" in await response.text()
    assert answer_store.reviews.of_language("ar") == []


async def test_the_page_needs_a_login_and_an_unknown_language_is_404(app_client, staff):
    response = await app_client.get(PAGE, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/admin/login")
    for language in ("da", "de"):
        response = await staff.client.post(f"{PAGE}/{language}", headers={"Accept": "text/html"},
                                           data={"csrf_token": staff.csrf, "translator": "X", "scope": "all"})
        assert response.status == 404


async def test_a_check_stops_counting_when_a_release_changes_the_sentence(staff, answer_store, new_release):
    form = changed(read_form(await (await staff.client.get(PAGE)).text(), f"{PAGE}/ar"), translator="Amira Haddad")
    response = await staff.client.post(f"{PAGE}/ar", data=changed(form, scope="all"), allow_redirects=False)
    assert response.status == 303
    key = new_release()

    html = await (await staff.client.get(PAGE)).text()
    shown = rows(html, "ar")
    assert shown[key].count(NOT_CHECKED) == 1
    assert f"Teksten er ændret, efter Amira Haddad tjekkede den {today()}." in shown[key]
    assert all("Tjekket af Amira Haddad" in row for other, row in shown.items() if other != key)
    total = len(shipped_sentences("ar"))
    assert f"{total - 1} af {total} sætninger er tjekket" in text_of(language_section(html, "ar"))
    listed = await ok(await staff.client.get("/admin/api/fixed-translations", params={"language": "ar"}))
    sentence = next(s for s in listed["languages"][0]["sentences"] if s["key"] == key)
    assert sentence["checked"] is False and sentence["review"] is None
    assert sentence["earlier_review"]["translator"] == "Amira Haddad"
    assert sentence["earlier_review"]["fingerprint"] != sentence["fingerprint"]

    # The new text checked again: it counts, and the check of the old one is kept beside it.
    response = await staff.client.post(f"{PAGE}/ar", data=changed(form, scope="chosen", key=[key]),
                                       allow_redirects=False)
    assert response.status == 303
    assert "Tjekket af Amira Haddad" in rows(await (await staff.client.get(PAGE)).text(), "ar")[key]
    assert len([r for r in answer_store.reviews.of_language("ar") if r.sentence_key == key]) == 2


# --- the JSON API -----------------------------------------------------------------------------

API = "/admin/api/fixed-translations"


async def test_the_api_lists_the_sentences_with_their_state_and_records_a_check(admin):
    everything = await ok(await admin.client.get(API))
    assert [entry["language"] for entry in everything["languages"]] == languages_with_fixed_texts()
    english = everything["languages"][0]
    assert english["language_name"] == "English" and english["checked"] == 0
    greet = next(s for s in english["sentences"] if s["key"] == "utter_greet")
    assert greet["response"] == "utter_greet" and greet["condition"] is None and len(greet["buttons"]) == 4
    assert greet["fingerprint"] == fingerprint("\n".join([greet["text"], *greet["buttons"]]))
    assert greet["danish"] and greet["checked"] is False and greet["review"] is None

    recorded = await ok(await send(admin, "POST", f"{API}/en/reviews",
                                   {"translator": "Sarah Jensen", "keys": ["utter_greet", "languages_offered"]}))
    assert recorded["checked"] == 2
    reviewed = {s["key"]: s["review"] for s in recorded["sentences"] if s["checked"]}
    assert set(reviewed) == {"utter_greet", "languages_offered"}
    assert reviewed["utter_greet"]["translator"] == "Sarah Jensen" and reviewed["utter_greet"]["recorded_by"] == "anna"

    whole = await ok(await send(admin, "POST", f"{API}/tr/reviews", {"translator": "Ayşe Demir"}))
    assert whole["checked"] == whole["total"] == len(shipped_sentences("tr"))
    only_turkish = await ok(await admin.client.get(API, params={"language": "tr"}))
    assert [entry["language"] for entry in only_turkish["languages"]] == ["tr"]


@pytest.mark.parametrize("method, path, body, status, says", [
    ("GET", f"{API}?language=da", None, 400, "Parameteren 'language'"),
    ("POST", f"{API}/de/reviews", {"translator": "X"}, 404, "Sproget 'de' kan ikke vælges"),
    ("POST", f"{API}/ar/reviews", {}, 400, "Feltet 'translator' mangler."),
    ("POST", f"{API}/ar/reviews", {"translator": "X", "keys": "reach_person"}, 400, "'keys' skal være en liste"),
    ("POST", f"{API}/ar/reviews", {"translator": " "}, 422, "Skriv navnet på oversætteren"),
    ("POST", f"{API}/ar/reviews", {"translator": "X", "keys": []}, 422, "Listen 'keys' er tom"),
    ("POST", f"{API}/ar/reviews", {"translator": "X", "keys": ["only_in_danish"]}, 422,
     "Ukendt sætning på sproget 'ar': only_in_danish."),
])
async def test_the_api_refuses_in_danish(admin, answer_store, method, path, body, status, says):
    response = await send(admin, method, path, body)
    assert response.status == status, await response.text()
    assert says in (await response.json())["fejl"]
    assert answer_store.reviews.of_language("ar") == []
