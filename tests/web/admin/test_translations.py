"""An entry's translations in the staff admin, driven as a browser without
JavaScript would (read the form on the page, post it back), and through the
JSON API; and the LIX shown beside the Danish texts."""
import datetime
import re

import pytest
import yaml

from bot.answer_store import audit
from bot.answer_store.exchange import import_yaml
from bot.answer_store.times import LOCAL_TIME
from bot.language.lix import lix
from tests.web.admin.test_api import ok, send
from tests.web.admin.test_pages import changed, open_form, read_form, submit, text_of, value

ENTRY = "/admin/entries/jobplaneten"
ENGLISH_FORM = f"{ENTRY}/translations/en"
ENGLISH = "Jobplaneten helps young people find a job or an education."
NEW_DANISH = "Jobplaneten hjælper unge med job og uddannelse."
CURRENT = "Aktuel"
STALE = "Skal tjekkes – den danske tekst er ændret, efter oversættelsen blev skrevet"
HARD_TEXT = ("Beskæftigelsesindsatsens helhedsorienterede kompetenceudviklingsforløb understøtter "
             "arbejdsmarkedsparathed gennem individualiserede opkvalificeringsaktiviteter og virksomhedspraktik.")


@pytest.fixture(autouse=True)
def untranslated(answer_store):
    """The entries these tests translate, without the translations the seed gave them."""
    for entry_id in ("jobplaneten", "rikke_willesen"):
        for language in answer_store.entries.get(entry_id).data.get("translations") or {}:
            stored = answer_store.entries.get(entry_id)
            answer_store.entries.remove_translation(entry_id, language, stored.version, "system")


def today() -> str:
    return datetime.datetime.now(LOCAL_TIME).strftime("%d.%m.%Y")


def section(html: str) -> str:
    """The visible text of the entry page's "Oversættelser" section (no space before punctuation)."""
    start = html.index('<section class="translations"')
    return re.sub(r" ([.:,])", r"\1", text_of(html[start:html.index("</section>", start)]))


async def add_english(who, summary: str = ENGLISH, name: str = "The Job Planet"):
    fields = await open_form(who.client, ENGLISH_FORM)
    return await who.client.post(ENGLISH_FORM, data=changed(fields, name=name, summary=summary),
                                 allow_redirects=False)


async def edit_danish_summary(who, summary: str = NEW_DANISH):
    fields = await open_form(who.client, ENTRY)
    response = await submit(who.client, ENTRY, changed(fields, summary=summary))
    assert response.status == 303, text_of(await response.text())


def residents_get(answer_store, language: str) -> str:
    return answer_store.knowledge_store().current().in_language(language).get("jobplaneten").summary


# --- the entry page's section ------------------------------------------------------------------


async def test_an_untranslated_entry_offers_every_language(staff):
    html = await (await staff.client.get(ENTRY)).text()
    shown = section(html)
    assert "Oversættelser" in shown and "Posten er ikke oversat." in shown
    for code, title in (("en", "Engelsk (English)"), ("ar", "Arabisk (العربية)"), ("tr", "Tyrkisk (Türkçe)"),
                        ("so", "Somali (Soomaali)"), ("ur", "Urdu (اردو)"), ("fa", "Farsi (فارسی)"),
                        ("pl", "Polsk (Polski)"), ("uk", "Ukrainsk (Українська)"), ("ti", "Tigrinya (ትግርኛ)")):
        assert f'<a href="{ENTRY}/translations/{code}">{title}</a>' in html, code
    assert "/translations/da" not in html


async def test_adding_an_english_translation_from_its_form(staff, answer_store):
    page = await (await staff.client.get(ENGLISH_FORM)).text()
    assert "Oversættelse til engelsk (English): Jobplaneten" in page
    assert "Posten er ikke oversat til engelsk (English) endnu." in page
    danish = answer_store.entries.get("jobplaneten")
    assert danish.data["summary"] in page  # the Danish to translate, beside the form
    fields = read_form(page, ENGLISH_FORM)
    assert {name for name, _ in fields} == {"csrf_token", "version", "name", "summary"}  # no details in the Danish
    assert value(fields, "version") == str(danish.version)
    assert re.search(r'<textarea id="felt-summary" name="summary" rows="5" lang="en" dir="ltr"', page)

    response = await add_english(staff)
    assert response.status == 303, text_of(await response.text())
    assert response.headers["Location"] == f"{ENTRY}?oversat=1"
    stored = answer_store.entries.get("jobplaneten")
    assert stored.version == danish.version + 1
    assert stored.data["translations"]["en"]["summary"] == ENGLISH
    assert stored.data["translations"]["en"]["checked_by"] == "bo"
    assert stored.entry.translation_is_current("en")
    assert residents_get(answer_store, "en") == ENGLISH

    html = await (await staff.client.get(response.headers["Location"])).text()
    assert "Oversættelsen er gemt. Borgere, der skriver på sproget, får den med det samme." in html
    shown = section(html)
    assert f"Engelsk (English) {CURRENT}." in shown
    assert f"Tjekket af bo, {today()}" in shown
    assert f"Navn The Job Planet Kort svar {ENGLISH}" in shown
    assert "Stadig rigtig" not in shown  # only for one that must be checked
    assert f'<a href="{ENTRY}/translations/en">' not in html  # no longer offered as a new one
    assert '<dd lang="en" dir="ltr">' in html


async def test_an_edited_danish_summary_makes_it_skal_tjekkes_and_still_right_confirms_it(staff, admin, answer_store):
    assert (await add_english(staff)).status == 303
    await edit_danish_summary(admin)
    stored = answer_store.entries.get("jobplaneten")
    assert stored.data["summary"] == NEW_DANISH
    assert stored.data["translations"]["en"]["summary"] == ENGLISH  # the form's save kept it
    assert residents_get(answer_store, "en") == NEW_DANISH  # not the translation of the old Danish

    html = await (await staff.client.get(ENTRY)).text()
    shown = section(html)
    assert f"Engelsk (English) {STALE}." in shown
    assert "får den danske tekst, indtil oversættelsen er rettet" in shown
    confirm = read_form(html, f"{ENGLISH_FORM}/confirm")
    assert value(confirm, "version") == str(stored.version)
    response = await staff.client.post(f"{ENGLISH_FORM}/confirm", data=confirm, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == f"{ENTRY}?bekraeftet=1"

    confirmed = answer_store.entries.get("jobplaneten")
    assert confirmed.entry.translation_is_current("en") and confirmed.version == stored.version + 1
    assert residents_get(answer_store, "en") == ENGLISH
    html = await (await staff.client.get(response.headers["Location"])).text()
    assert "Oversættelsen er markeret som stadig rigtig." in html
    assert f"Engelsk (English) {CURRENT}." in section(html) and "Stadig rigtig" not in section(html)

    history = text_of(await (await staff.client.get(f"{ENTRY}/history")).text())
    assert re.search(r"bo Oversættelse tjekket Oversættelser .*anna Ændret Kort svar, Tjekkes senest .*"
                     r"bo Oversættelse skrevet "
                     r"Oversættelser", history)
    log = text_of(await (await admin.client.get("/admin/audit")).text())
    assert f"bo Bekræftede en oversættelse (Stadig rigtig) jobplaneten version {confirmed.version}, sprog: en" in log
    assert f"bo Skrev eller rettede en oversættelse jobplaneten version {stored.version - 1}, sprog: en" in log
    assert ENGLISH not in log  # which language, never the text


async def test_correcting_a_translation_that_must_be_checked_makes_it_current(staff, answer_store):
    await add_english(staff)
    await edit_danish_summary(staff)
    fields = await open_form(staff.client, ENGLISH_FORM)
    assert value(fields, "summary") == ENGLISH  # the form opens with the translation as it is
    page = text_of(await (await staff.client.get(ENGLISH_FORM)).text())
    assert STALE in page and NEW_DANISH in page
    response = await staff.client.post(ENGLISH_FORM, allow_redirects=False,
                                       data=changed(fields, summary="Jobplaneten helps young people with jobs."))
    assert response.status == 303
    assert residents_get(answer_store, "en") == "Jobplaneten helps young people with jobs."


async def test_deleting_a_translation(staff, answer_store):
    await add_english(staff)
    html = await (await staff.client.get(ENTRY)).text()
    response = await staff.client.post(f"{ENGLISH_FORM}/delete", data=read_form(html, f"{ENGLISH_FORM}/delete"),
                                       allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == f"{ENTRY}?oversaettelse_slettet=1"
    assert "translations" not in answer_store.entries.get("jobplaneten").data
    html = await (await staff.client.get(response.headers["Location"])).text()
    assert "Oversættelsen er slettet." in html and "Posten er ikke oversat." in section(html)
    # Deleted already: nothing to delete.
    again = await staff.client.post(f"{ENGLISH_FORM}/delete", data={
        "csrf_token": staff.csrf, "version": str(answer_store.entries.get("jobplaneten").version)})
    assert again.status == 404


async def test_a_translation_from_a_file_counts_as_written_for_the_danish_beside_it(staff, answer_store):
    data = {**answer_store.entries.get("jobplaneten").data, "translations": {"en": {"summary": ENGLISH}}}
    import_yaml(answer_store.entries, yaml.safe_dump({"entries": [data]}, allow_unicode=True).encode(), "anna")
    shown = section(await (await staff.client.get(ENTRY)).text())
    assert f"Engelsk (English) {CURRENT}." in shown and "Ikke tjekket i administrationen endnu" in shown


@pytest.mark.parametrize("action", ["", "/confirm", "/delete"])
async def test_every_translation_change_needs_the_csrf_token_and_our_origin(staff, answer_store, action):
    await add_english(staff)
    await edit_danish_summary(staff)
    before = (answer_store.entries.revision(), answer_store.entries.get("jobplaneten").data)
    fields = [("csrf_token", staff.csrf), ("version", str(answer_store.entries.get("jobplaneten").version)),
              ("summary", "Changed.")]
    without = [(name, text) for name, text in fields if name != "csrf_token"]
    for data, headers in ((without, {}), (without + [("csrf_token", "gammel")], {}),
                          (fields, {"Origin": "https://angriber.example"})):
        response = await staff.client.post(ENGLISH_FORM + action, data=data, headers=headers, allow_redirects=False)
        assert response.status == 403, (data, headers)
        assert "Genindlæs siden" in await response.text()
    assert (answer_store.entries.revision(), answer_store.entries.get("jobplaneten").data) == before


async def test_translation_pages_need_a_login(app_client):
    for path in (ENGLISH_FORM, f"{ENTRY}/translations/ar"):
        response = await app_client.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"].startswith("/admin/login?next=")
    response = await app_client.post(ENGLISH_FORM, data={"summary": "x"}, allow_redirects=False)
    assert response.status == 303


async def test_a_translation_with_problems_is_shown_again_as_typed(staff, answer_store):
    revision = answer_store.entries.revision()
    fields = await open_form(staff.client, ENGLISH_FORM)
    response = await staff.client.post(ENGLISH_FORM, data=changed(fields, name="N" * 121, summary="   "))
    html = await response.text()
    assert response.status == 400
    assert "Oversættelsen er ikke gemt. Ret dette og prøv igen:" in html
    assert '<a href="#felt-summary">Kort svar: Feltet skal udfyldes.</a>' in html
    assert re.search(r'<p class="field-error" id="fejl-name">.*Teksten er for lang: 121 tegn, højst 120', html)
    shown = read_form(html, ENGLISH_FORM)
    assert value(shown, "name") == "N" * 121 and value(shown, "summary") == "   "
    assert answer_store.entries.revision() == revision


async def test_a_translation_saved_from_an_older_version_is_refused_and_kept_on_the_page(staff, admin, answer_store):
    fields = await open_form(staff.client, ENGLISH_FORM)
    await edit_danish_summary(admin)
    response = await staff.client.post(ENGLISH_FORM, data=changed(fields, summary="Bo's English, not lost."))
    html = await response.text()
    assert response.status == 409
    assert "Posten er blevet ændret af anna" in text_of(html)
    assert value(read_form(html, ENGLISH_FORM), "summary") == "Bo's English, not lost."
    assert "translations" not in answer_store.entries.get("jobplaneten").data


async def test_still_right_pressed_on_an_old_page_is_refused(staff, admin, answer_store):
    await add_english(staff)
    await edit_danish_summary(staff)
    confirm = read_form(await (await staff.client.get(ENTRY)).text(), f"{ENGLISH_FORM}/confirm")
    await edit_danish_summary(admin, "Jobplaneten hjælper unge. Også med uddannelse.")
    response = await staff.client.post(f"{ENGLISH_FORM}/confirm", data=confirm)
    html = await response.text()
    assert response.status == 409
    assert "Oversættelsen er ikke ændret" in html and "Posten er blevet ændret af anna" in text_of(html)
    assert not answer_store.entries.get("jobplaneten").entry.translation_is_current("en")


async def test_a_contact_s_translation_has_its_title_and_an_arabic_one_reads_right_to_left(staff, answer_store):
    path = "/admin/entries/rikke_willesen/translations/ar"
    page = await (await staff.client.get(path)).text()
    fields = read_form(page, path)
    assert {name for name, _ in fields} == {"csrf_token", "version", "name", "title", "summary"}
    assert re.search(r'<input id="felt-title" name="title" type="text" value="" autocomplete="off" lang="ar" '
                     r'dir="rtl"', page)
    response = await staff.client.post(path, allow_redirects=False, data=changed(
        fields, title="استشارية متخصصة", summary="ريكه فيليسن استشارية متخصصة."))
    assert response.status == 303
    entry = answer_store.entries.get("rikke_willesen").entry
    assert entry.in_language("ar").title == "استشارية متخصصة"
    html = await (await staff.client.get("/admin/entries/rikke_willesen")).text()
    assert '<dd lang="ar" dir="rtl">استشارية متخصصة</dd>' in html


@pytest.mark.parametrize("path", [f"{ENTRY}/translations/da", f"{ENTRY}/translations/de",
                                  "/admin/entries/findes_ikke/translations/en"])
async def test_an_unknown_language_or_entry_is_404(staff, path):
    assert (await staff.client.get(path, headers={"Accept": "text/html"})).status == 404
    response = await staff.client.post(path + "/confirm", data={"csrf_token": staff.csrf, "version": "1"},
                                       headers={"Accept": "text/html"})
    assert response.status == 404


# --- LIX beside the Danish texts -----------------------------------------------------------------


def lix_note(html: str, field: str) -> str:
    match = re.search(rf'<p class="lix[^"]*" id="lix-{field}"[^>]*>([^<]*)</p>', html)
    assert match, field
    return match.group(1)


async def test_the_edit_form_shows_the_lix_of_the_danish_texts(staff, answer_store):
    html = await (await staff.client.get(ENTRY)).text()
    summary = answer_store.entries.get("jobplaneten").data["summary"]
    figure = round(lix(summary))
    assert figure <= 35, "the seed's plain Danish"
    assert lix_note(html, "summary") == f"LIX {figure}: teksten er let at læse."
    assert re.search(r'<textarea id="felt-summary"[^>]*aria-describedby="hjaelp-summary lix-summary"', html)
    assert re.search(r'<p class="lix" id="lix-details"[^>]*hidden></p>', html)  # no details: nothing to read
    assert 'data-lix-hard="Teksten er svær at læse (LIX {lix}). Brug korte sætninger og almindelige ord."' in html
    assert '<script src="/admin/static/admin-lix.js" defer></script>' in html
    script = await staff.client.get("/admin/static/admin-lix.js")
    assert script.status == 200 and "javascript" in script.headers["Content-Type"]


async def test_without_javascript_the_preview_and_the_save_show_the_lix_and_the_hint(staff, answer_store):
    figure = round(lix(HARD_TEXT))
    assert figure > 35
    hint = f"Teksten er svær at læse (LIX {figure}). Brug korte sætninger og almindelige ord."
    fields = await open_form(staff.client, ENTRY)
    preview = await submit(staff.client, ENTRY, changed(fields, details=HARD_TEXT), button="preview")
    html = await preview.text()
    assert preview.status == 200
    assert lix_note(html, "details") == hint
    assert re.search(r'<p class="lix hard" id="lix-details"', html)
    assert (await submit(staff.client, ENTRY, changed(fields, details=HARD_TEXT))).status == 303
    assert lix_note(await (await staff.client.get(ENTRY)).text(), "details") == hint


# --- the JSON API ----------------------------------------------------------------------------------

API = "/admin/api/entries/jobplaneten/translations"


async def version_of(who) -> int:
    return (await ok(await who.client.get("/admin/api/entries/jobplaneten")))["version"]


async def test_the_api_writes_reads_confirms_and_deletes_a_translation(admin, answer_store):
    assert (await ok(await admin.client.get(API)))["translations"] == []
    version = await version_of(admin)
    written = await ok(await send(admin, "PUT", f"{API}/en", {"version": version, "summary": ENGLISH,
                                                              "name": "The Job Planet", "details": None}))
    assert written["version"] == version + 1
    assert written["translations"] == [{
        "language": "en", "language_name": "English", "current": True, "name": "The Job Planet",
        "summary": ENGLISH, "details": None, "title": None, "hours": None,
        "written_for": written["danish_fingerprint"], "checked_by": "anna",
        "checked_on": datetime.datetime.now(LOCAL_TIME).date().isoformat()}]
    assert await ok(await admin.client.get(API)) == written

    # The Danish changed through the API, without 'translations': they are kept, and must be checked.
    entry = await ok(await admin.client.get("/admin/api/entries/jobplaneten"))
    data = {key: text for key, text in entry["data"].items() if key != "translations"}
    await ok(await send(admin, "PUT", "/admin/api/entries/jobplaneten",
                        {"version": entry["version"], "data": {**data, "summary": NEW_DANISH}}))
    stale = await ok(await admin.client.get(API))
    assert stale["translations"][0]["current"] is False and stale["translations"][0]["summary"] == ENGLISH
    assert stale["danish_fingerprint"] != stale["translations"][0]["written_for"]

    confirmed = await ok(await send(admin, "POST", f"{API}/en/confirm", {"version": stale["version"]}))
    assert confirmed["translations"][0]["current"] is True
    assert residents_get(answer_store, "en") == ENGLISH

    deleted = await ok(await admin.client.delete(f"{API}/en", params={"version": str(confirmed["version"])},
                                                 headers=admin.headers()))
    assert deleted["translations"] == [] and deleted["version"] == confirmed["version"] + 1
    actions = [r.action for r in audit.recent(answer_store.engine, limit=4)]
    assert actions == ["entry_translation_removed", "entry_translation_checked", "entry_edited", "entry_translated"]


async def test_the_api_keeps_an_entry_s_translations_only_when_left_out(admin, answer_store):
    await ok(await send(admin, "PUT", f"{API}/en", {"version": await version_of(admin), "summary": ENGLISH}))
    entry = await ok(await admin.client.get("/admin/api/entries/jobplaneten"))
    emptied = await ok(await send(admin, "PUT", "/admin/api/entries/jobplaneten",
                                  {"version": entry["version"], "data": {**entry["data"], "translations": {}}}))
    assert "translations" not in emptied["data"]


@pytest.mark.parametrize("method, path, body, status, says", [
    ("PUT", f"{API}/de", {"version": 1, "summary": "x"}, 404, "Sproget 'de' kan ikke vælges"),
    ("PUT", f"{API}/da", {"version": 1, "summary": "x"}, 404, "Sproget 'da' kan ikke vælges"),
    ("PUT", "/admin/api/entries/findes_ikke/translations/en", {"version": 1, "summary": "x"}, 404,
     "Posten 'findes_ikke' findes ikke."),
    ("POST", f"{API}/en/confirm", {"version": 1}, 404, "har ingen oversættelse til sproget 'en'"),
    ("DELETE", f"{API}/ar?version=1", None, 404, "har ingen oversættelse til sproget 'ar'"),
    ("PUT", f"{API}/en", {"version": 1}, 400, "Feltet 'summary' mangler."),
    ("PUT", f"{API}/en", {"version": 1, "summary": 5}, 400, "'summary' skal være en tekst"),
    ("PUT", f"{API}/en", {"version": 1, "summary": "x", "name": ["x"]}, 400, "'name' skal være en tekst eller null"),
    ("DELETE", f"{API}/en", None, 400, "Parameteren 'version' skal være et helt tal"),
    ("DELETE", f"{API}/en?version=0", None, 400, "Parameteren 'version' skal være et helt tal"),
])
async def test_the_api_refuses_in_danish(admin, answer_store, method, path, body, status, says):
    revision = answer_store.entries.revision()
    current = answer_store.entries.get("jobplaneten").version  # "version 1": the version as it is now
    path = path.replace("version=1", f"version={current}")
    body = {**body, "version": current} if isinstance(body, dict) and body.get("version") == 1 else body
    response = await send(admin, method, path, body)
    assert response.status == status, await response.text()
    assert says in (await response.json())["fejl"]
    assert answer_store.entries.revision() == revision


async def test_the_api_refuses_an_empty_translation_and_a_stale_version(admin, answer_store):
    version = await version_of(admin)
    response = await send(admin, "PUT", f"{API}/en", {"version": version, "summary": "  ", "name": "N" * 121})
    body = await ok(response, 422)
    assert {(p["felt"], p["besked"]) for p in body["problemer"]} == {
        ("translations.en.summary", "Feltet skal udfyldes."),
        ("translations.en.name", "Teksten er for lang: 121 tegn, højst 120.")}
    await ok(await send(admin, "PUT", f"{API}/en", {"version": version, "summary": ENGLISH}))
    conflict = await ok(await send(admin, "PUT", f"{API}/en", {"version": version, "summary": "Older."}), 409)
    assert conflict["nuvaerende_version"] == version + 1
    assert residents_get(answer_store, "en") == ENGLISH
