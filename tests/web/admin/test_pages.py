"""The staff admin's HTML pages, driven as a browser without JavaScript would:
read the form on the page, change some fields, post it back."""
import re
from urllib.parse import unquote
from html.parser import HTMLParser
from typing import List, Tuple

import pytest

from bot.answer_store import audit
from tests.web.admin.conftest import STAFF, log_in

SAVED = "Gemt. Borgerne får det nye svar med det samme."
Fields = List[Tuple[str, str]]


class FormReader(HTMLParser):
    """What a browser would send for the form posting to ``action``, buttons left out."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields = action, False, []
        self._textarea = self._select = None
        self._options: list = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("type", "text") not in ("submit", "button", "file"):
            if attrs.get("type") != "checkbox" or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select, self._options = attrs["name"], []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))  # as browsers do
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None


def read_form(html: str, action: str) -> Fields:
    reader = FormReader(action)
    reader.feed(html)
    assert reader.fields, f"no form posting to {action}"
    return reader.fields


def changed(fields: Fields, **values) -> Fields:
    """The form with some fields set; a list sets a checkbox list."""
    kept = [(name, value) for name, value in fields if name not in values]
    for name, value in values.items():
        kept += [(name, item) for item in value] if isinstance(value, list) else [(name, value)]
    return kept


def value(fields: Fields, name: str) -> str:
    return next(v for n, v in fields if n == name)


async def open_form(client, path: str, action: str = None) -> Fields:
    response = await client.get(path)
    assert response.status == 200
    return read_form(await response.text(), action or path.split("?")[0])


async def submit(client, action: str, fields: Fields, button: str = "save"):
    return await client.post(action, data=fields + [("action", button)], allow_redirects=False)


def text_of(html: str) -> str:
    """Visible text, roughly: tags out, whitespace squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- access -----------------------------------------------------------------------


STAFF_PAGES = ["/admin", "/admin?q=jobplaneten", "/admin/entries/jobplaneten", "/admin/entries/koege_kommune",
               "/admin/entries/new?kind=initiative", "/admin/entries/new?kind=contact",
               "/admin/entries/jobplaneten/history", "/admin/exchange",
               "/admin/entries/jobplaneten/translations/en", "/admin/entries/koege_kommune/translations/ar",
               "/admin/fixed-translations"]
# The only scripts a page may load: the admin's own files (the CSP allows nothing inline).
OWN_SCRIPT = re.compile(r'<script src="/admin/static/[\w-]+\.js" defer></script>')
ADMIN_PAGES = ["/admin/users", "/admin/audit"]


@pytest.mark.parametrize("path", STAFF_PAGES)
async def test_every_page_renders_for_a_staff_member(staff, path):
    response = await staff.client.get(path)
    html = await response.text()
    assert response.status == 200, html
    assert '<html lang="da">' in html and 'class="skip-link" href="#indhold"' in html
    assert "Logget ind som bo" in html
    assert "<script" not in OWN_SCRIPT.sub("", html) and "style=" not in html  # the CSP allows neither inline


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_administrator_pages_render_for_an_administrator(admin, path):
    response = await admin.client.get(path)
    assert response.status == 200, await response.text()


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_a_staff_member_who_is_not_an_administrator_gets_403(staff, path):
    response = await staff.client.get(path, headers={"Accept": "text/html"})
    assert response.status == 403
    assert "Ingen adgang" in await response.text()


async def test_a_staff_member_cannot_add_staff(staff, answer_store):
    response = await staff.client.post("/admin/users", data={
        "csrf_token": staff.csrf, "name": "mallory", "password": "en-lang-nok-kode"})
    assert response.status == 403
    assert answer_store.staff.get("mallory") is None


@pytest.mark.parametrize("path", STAFF_PAGES + ADMIN_PAGES)
async def test_not_logged_in_goes_to_the_login_page_and_back(app_client, path):
    response = await app_client.get(path, allow_redirects=False)
    assert response.status == 303
    location = response.headers["Location"]
    assert location.startswith("/admin/login?next=")
    assert unquote(location[len("/admin/login?next="):]) == path


async def test_a_change_without_the_csrf_token_is_refused_and_changes_nothing(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    before = answer_store.entries.revision()
    without_token = [(n, v) for n, v in changed(fields, summary="Ny tekst.") if n != "csrf_token"]
    response = await submit(staff.client, "/admin/entries/jobplaneten", without_token)
    assert response.status == 403
    assert "Genindlæs siden" in await response.text()
    assert answer_store.entries.revision() == before
    assert "Ny tekst." not in answer_store.entries.get("jobplaneten").data["summary"]


async def test_the_page_sends_the_admin_security_headers(staff):
    response = await staff.client.get("/admin")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


# --- the answer list ----------------------------------------------------------------


async def test_index_groups_entries_by_kind_with_danish_headings(staff):
    html = await (await staff.client.get("/admin")).text()
    headings = re.findall(r"<h2 id=\"type-\w+\">([^<]+)</h2>", html)
    assert headings == ["Om helhedsplanen", "Indsatsområder", "Indsatser og samarbejder", "Boligområder",
                        "Kontakter", "Ofte stillede spørgsmål", "Henvisninger (spørgsmål uden for helhedsplanen)"]
    assert '<a href="/admin/entries/jobplaneten">Jobplaneten</a>' in html
    assert 'href="/admin/entries/new?kind=contact">Ny post<span class="visually-hidden"> under Kontakter' in html
    assert "Fjernede poster" not in html


async def test_search_shows_only_matching_entries(staff):
    html = await (await staff.client.get("/admin?q=jobplaneten")).text()
    assert 'href="/admin/entries/jobplaneten"' in html
    assert 'href="/admin/entries/koege_kommune"' not in html
    assert 'value="jobplaneten"' in html  # the search box keeps the words


async def test_unknown_entry_and_unknown_kind_are_404(staff):
    for path in ("/admin/entries/findes_ikke", "/admin/entries/new?kind=noget"):
        response = await staff.client.get(path, headers={"Accept": "text/html"})
        assert response.status == 404
        assert "Siden findes ikke" in await response.text()


# --- editing ------------------------------------------------------------------------


async def test_the_form_has_a_labelled_control_for_every_field(staff):
    html = await (await staff.client.get("/admin/entries/koege_kommune")).text()
    for name in ("name", "title", "summary", "details", "url", "phone", "email", "address", "hours", "contact",
                 "aliases", "ends", "source", "fallback_contact"):
        assert f'<label for="felt-{name}">' in html, name
    for name in ("related", "work_areas"):
        assert re.search(rf'<fieldset class="field choices" id="felt-{name}"[^>]*>\s*<legend>', html), name
    assert "Åbningstider" in html and "Andre navne, borgerne bruger" in html and "Kilde" in html
    assert 'name="version" value="1"' in html
    assert 'name="action" value="preview"' in html and ">Vis svaret</button>" in html
    assert 'name="action" value="save">Gem</button>' in html
    assert 'name="intent"' not in html  # shown, not edited: it ties to the trained model


async def test_only_contacts_can_be_the_default_contact(staff):
    html = await (await staff.client.get("/admin/entries/jobplaneten")).text()
    assert "fallback_contact" not in html
    html = await (await staff.client.get("/admin/entries/periode")).text()
    assert "<code>ask_plan_period</code>" in html


async def test_saving_the_form_unchanged_keeps_every_entry_as_it_was(staff, answer_store):
    """The form shows every field as stored and sends it back the same."""
    for stored in answer_store.entries.all():
        path = f"/admin/entries/{stored.id}"
        response = await submit(staff.client, path, await open_form(staff.client, path))
        assert response.status == 303, text_of(await response.text())
        assert answer_store.entries.get(stored.id).data == stored.data, stored.id


async def test_a_saved_change_reaches_residents_at_once(staff, answer_store):
    knowledge = answer_store.knowledge_store()
    assert "Ny tekst om Jobplaneten." not in knowledge.current().get("jobplaneten").summary
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    response = await submit(staff.client, "/admin/entries/jobplaneten",
                            changed(fields, summary="Ny tekst om Jobplaneten.", url=""))
    assert response.status == 303
    assert response.headers["Location"] == "/admin/entries/jobplaneten?gemt=1"
    stored = answer_store.entries.get("jobplaneten")
    assert stored.data["summary"] == "Ny tekst om Jobplaneten."
    assert "url" not in stored.data  # an emptied field is not set
    assert stored.version == 2 and stored.updated_by == "bo"
    assert knowledge.current().get("jobplaneten").summary == "Ny tekst om Jobplaneten."

    page = await (await staff.client.get(response.headers["Location"])).text()
    assert f'<p class="notice" role="status">{SAVED}</p>' in page
    assert "Ny tekst om Jobplaneten." in page


async def test_lists_and_checkboxes_are_saved(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    response = await submit(staff.client, "/admin/entries/jobplaneten", changed(
        fields, aliases="jobplanet\n\n  job planet 2 \njobplanet\r\n", work_areas=["beskaeftigelse", "familie"],
        related=["faelles_fremtid"], contact="rikke_willesen", ends="2030-12-31"))
    assert response.status == 303, text_of(await response.text())
    data = answer_store.entries.get("jobplaneten").data
    assert data["aliases"] == ["jobplanet", "job planet 2"]
    assert data["work_areas"] == ["beskaeftigelse", "familie"]
    assert data["related"] == ["faelles_fremtid"]
    assert data["contact"] == "rikke_willesen"
    assert data["ends"] == "2030-12-31"


async def test_preview_shows_the_composed_answer_and_saves_nothing(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    before = answer_store.entries.revision()
    response = await submit(staff.client, "/admin/entries/jobplaneten",
                            changed(fields, summary="Prøvetekst om Jobplaneten."), button="preview")
    html = await response.text()
    assert response.status == 200
    preview = html[html.index('<section class="preview"'):html.index("</section>")]
    assert "Sådan svarer assistenten" in preview
    assert ('<div class="reply">Prøvetekst om Jobplaneten.\n'
            "Læs mere her: https://jobplaneten.dk</div>") in preview
    # The form is shown again as typed, still from the version it was opened at.
    assert value(read_form(html, "/admin/entries/jobplaneten"), "summary") == "Prøvetekst om Jobplaneten."
    assert 'name="version" value="1"' in html
    assert answer_store.entries.revision() == before


async def test_preview_of_invalid_text_shows_the_problems(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    response = await submit(staff.client, "/admin/entries/jobplaneten", changed(fields, summary=""),
                            button="preview")
    html = await response.text()
    assert response.status == 400
    assert 'class="preview"' not in html
    assert "Svaret kan ikke vises, før dette er rettet:" in html


async def test_problems_are_shown_at_the_top_and_next_to_their_fields_with_the_text_kept(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    before = answer_store.entries.revision()
    typed = changed(fields, summary="   ", phone="123", url="http://usikker.dk", name="Jobplaneten <ny>")
    response = await submit(staff.client, "/admin/entries/jobplaneten", typed)
    html = await response.text()
    assert response.status == 400
    summary = html[html.index('<div class="problems" role="alert"'):]
    summary = summary[:summary.index("</div>")]
    assert '<a href="#felt-summary">Kort svar: Feltet skal udfyldes.</a>' in summary
    assert '<a href="#felt-phone">Telefon: Telefonnummeret skal være et dansk nummer' in summary
    assert '<a href="#felt-url">Link: Linket skal begynde med https://' in summary
    # Each message sits by its field, which names it.
    assert re.search(r'<p class="field-error" id="fejl-phone">.*Telefonnummeret skal', html)
    assert re.search(r'<input id="felt-phone"[^>]*aria-describedby="hjaelp-phone fejl-phone"[^>]*'
                     r'aria-invalid="true"', html)
    shown = read_form(html, "/admin/entries/jobplaneten")
    assert value(shown, "phone") == "123" and value(shown, "url") == "http://usikker.dk"
    assert value(shown, "name") == "Jobplaneten <ny>" and value(shown, "summary") == "   "
    assert answer_store.entries.revision() == before


async def test_a_save_from_an_older_version_is_refused_and_keeps_the_typed_text(admin, staff, answer_store):
    first = await open_form(admin.client, "/admin/entries/jobplaneten")
    second = await open_form(staff.client, "/admin/entries/jobplaneten")
    response = await submit(admin.client, "/admin/entries/jobplaneten", changed(first, summary="Annas tekst."))
    assert response.status == 303

    response = await submit(staff.client, "/admin/entries/jobplaneten",
                            changed(second, summary="Bos tekst, som ikke må gå tabt."))
    html = await response.text()
    assert response.status == 409
    alert = text_of(html[html.index('<div class="problems" role="alert"'):])
    assert "Dine ændringer er ikke gemt" in alert
    assert "Posten er blevet ændret af anna" in alert
    # A changed text is also a check: the review date moved on with it.
    assert "Den nyeste udgave (version 2) har ændret: Kort svar, Tjekkes senest." in alert
    assert 'href="/admin/entries/jobplaneten" target="_blank"' in html
    shown = read_form(html, "/admin/entries/jobplaneten")
    assert value(shown, "summary") == "Bos tekst, som ikke må gå tabt."
    assert value(shown, "version") == "1"  # saving again is refused again, not a silent overwrite
    assert answer_store.entries.get("jobplaneten").data["summary"] == "Annas tekst."


async def test_html_typed_into_a_field_is_shown_as_text(staff, answer_store):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    response = await submit(staff.client, "/admin/entries/jobplaneten", changed(fields, name=hostile, summary=hostile))
    assert response.status == 303
    for path in ("/admin/entries/jobplaneten", "/admin", "/admin/entries/jobplaneten/history"):
        html = await (await staff.client.get(path)).text()
        assert "<script>" not in html and "<img" not in html, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, path
    assert value(await open_form(staff.client, "/admin/entries/jobplaneten"), "summary") == hostile


# --- new entries ---------------------------------------------------------------------


async def test_a_new_entry_is_created_from_the_blank_form(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/new?kind=initiative")
    assert value(fields, "kind") == "initiative" and value(fields, "id") == ""
    response = await submit(staff.client, "/admin/entries/new", changed(
        fields, id="lektiecafe", name="Lektiecaféen", summary="Lektiecaféen hjælper med lektier.",
        source="Opslag i opgangen", work_areas=["familie"]))
    assert response.status == 303, text_of(await response.text())
    assert response.headers["Location"] == "/admin/entries/lektiecafe?oprettet=1"
    stored = answer_store.entries.get("lektiecafe")
    assert stored.kind == "initiative" and stored.data["work_areas"] == ["familie"]
    assert answer_store.knowledge_store().current().get("lektiecafe").name == "Lektiecaféen"


async def test_a_new_entry_with_a_bad_or_taken_id_is_refused_by_the_id_field(staff, answer_store):
    fields = changed(await open_form(staff.client, "/admin/entries/new?kind=faq"),
                     name="Spørgsmål", summary="Svar.", source="Kilde")
    html = await (await submit(staff.client, "/admin/entries/new", changed(fields, id="Æ-bad id"))).text()
    assert re.search(r'<p class="field-error" id="fejl-id">.*Id må kun indeholde små bogstaver', html)
    assert value(read_form(html, "/admin/entries/new"), "id") == "Æ-bad id"
    response = await submit(staff.client, "/admin/entries/new", changed(fields, id="jobplaneten"))
    assert response.status == 400
    assert "Id&#39;et bruges allerede af en anden post." in await response.text()
    assert answer_store.entries.get("jobplaneten").kind == "initiative"


async def test_the_new_entry_form_can_be_previewed(staff, answer_store):
    fields = await open_form(staff.client, "/admin/entries/new?kind=faq")
    before = answer_store.entries.revision()
    response = await submit(staff.client, "/admin/entries/new", changed(
        fields, id="parkering", name="Parkering", summary="Man parkerer ved blok 3.", source="Kilde",
        url="https://bosj.dk"), button="preview")
    html = await response.text()
    assert response.status == 200
    assert '<div class="reply">Man parkerer ved blok 3.\nLæs mere her: https://bosj.dk</div>' in html
    assert answer_store.entries.revision() == before


# --- retiring, history, restoring ----------------------------------------------------------


async def test_an_entry_others_refer_to_cannot_be_retired(staff, answer_store):
    html = await (await staff.client.get("/admin/entries/jobplaneten")).text()
    assert '<button type="submit" class="danger">Fjern posten</button>' in html
    response = await staff.client.post("/admin/entries/jobplaneten/retire",
                                       data={"csrf_token": staff.csrf, "version": "1"})
    html = await response.text()
    assert response.status == 400
    assert "Posten er ikke fjernet. Fjern først henvisningerne til den:" in html
    assert ('<a href="/admin/entries/beskaeftigelse">'
            "Beskæftigelse henviser til posten under »Relaterede poster«.</a>") in html
    assert not answer_store.entries.get("jobplaneten").retired


async def test_retiring_and_restoring_an_entry(staff, answer_store):
    response = await staff.client.post("/admin/entries/get2sport/retire",
                                       data={"csrf_token": staff.csrf, "version": "1"}, allow_redirects=False)
    # get2sport is on Kriminalitetsforebyggelse's list: take it off first.
    assert response.status == 400
    fields = await open_form(staff.client, "/admin/entries/kriminalitet")
    related = [v for n, v in fields if n == "related" and v != "get2sport"]
    assert (await submit(staff.client, "/admin/entries/kriminalitet", changed(fields, related=related))).status == 303

    response = await staff.client.post("/admin/entries/get2sport/retire",
                                       data={"csrf_token": staff.csrf, "version": "1"}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/admin/entries/get2sport?fjernet=1"
    assert answer_store.entries.get("get2sport").retired
    assert answer_store.knowledge_store().current().get("get2sport") is None
    index = await (await staff.client.get("/admin")).text()
    retired = index[index.index("Fjernede poster"):]
    assert 'href="/admin/entries/get2sport"' in retired

    page = await (await staff.client.get("/admin/entries/get2sport?fjernet=1")).text()
    assert "Posten er fjernet. Borgerne får ikke længere svar om den." in page
    restore = read_form(page, "/admin/entries/get2sport/restore")
    assert value(restore, "to_version") == "1" and value(restore, "version") == "2"
    response = await staff.client.post("/admin/entries/get2sport/restore", data=restore, allow_redirects=False)
    assert response.headers["Location"] == "/admin/entries/get2sport?gendannet=1"
    assert not answer_store.entries.get("get2sport").retired


async def test_retiring_from_an_older_version_is_refused(admin, staff, answer_store):
    fields = await open_form(admin.client, "/admin/entries/laes_mere")
    assert (await submit(admin.client, "/admin/entries/laes_mere", changed(fields, summary="Nyt."))).status == 303
    response = await staff.client.post("/admin/entries/laes_mere/retire",
                                       data={"csrf_token": staff.csrf, "version": "1"})
    html = await response.text()
    assert response.status == 409
    assert "Posten er ikke fjernet" in html and "ændret af anna" in html
    assert not answer_store.entries.get("laes_mere").retired


async def test_history_lists_versions_with_danish_times_and_changed_fields(staff, answer_store):
    for summary in ("Første ændring.", "Anden ændring."):
        fields = await open_form(staff.client, "/admin/entries/jobplaneten")
        await submit(staff.client, "/admin/entries/jobplaneten", changed(fields, summary=summary))
    html = await (await staff.client.get("/admin/entries/jobplaneten/history")).text()
    rows = [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)][1:]
    assert len(rows) == 3
    assert re.match(r" 3 \(nu\) \d\d\.\d\d\.\d{4} kl\. \d\d:\d\d bo Ændret Kort svar ", rows[0])
    assert "Fra start" in rows[2] and "Første version" in rows[2] and "system" in rows[2]
    assert "Gendan denne version" not in rows[0]
    assert "Gendan denne version" in rows[1] and "Gendan denne version" in rows[2]
    assert "Anden ændring." in rows[0]  # each version's text can be read before it is restored


async def test_an_older_version_is_restored_from_the_history(staff, answer_store):
    original = answer_store.entries.get("jobplaneten").data
    fields = await open_form(staff.client, "/admin/entries/jobplaneten")
    await submit(staff.client, "/admin/entries/jobplaneten", changed(fields, summary="Forkert tekst."))
    html = await (await staff.client.get("/admin/entries/jobplaneten/history")).text()
    forms = re.findall(r'<input type="hidden" name="to_version" value="(\d+)">\s*'
                       r'<input type="hidden" name="version" value="(\d+)">', html)
    assert forms == [("1", "2")]
    response = await staff.client.post("/admin/entries/jobplaneten/restore", allow_redirects=False, data={
        "csrf_token": staff.csrf, "to_version": "1", "version": "2"})
    assert response.status == 303 and response.headers["Location"] == "/admin/entries/jobplaneten?gendannet=1"
    stored = answer_store.entries.get("jobplaneten")
    assert stored.data == original and stored.version == 3
    assert answer_store.knowledge_store().current().get("jobplaneten").summary == original["summary"]
    history = await (await staff.client.get("/admin/entries/jobplaneten/history")).text()
    assert "Gendannet" in history

    # The same button pressed again, from the page as it was: refused, nothing changed.
    response = await staff.client.post("/admin/entries/jobplaneten/restore", data={
        "csrf_token": staff.csrf, "to_version": "2", "version": "2"})
    assert response.status == 409
    assert "Posten er blevet ændret af bo" in await response.text()
    assert answer_store.entries.get("jobplaneten").version == 3


# --- export and import ----------------------------------------------------------------


async def test_the_exchange_page_links_the_export_and_has_an_upload_form(staff):
    html = await (await staff.client.get("/admin/exchange")).text()
    assert '<a class="button" href="/admin/export.yml" download>Hent alle svar som YAML</a>' in html
    assert 'enctype="multipart/form-data"' in html and 'type="file" id="file" name="file"' in html


def upload(staff, content: bytes):
    return staff.client.post("/admin/import", data={"csrf_token": staff.csrf, "file": content})


@pytest.mark.parametrize("content, problem", [
    (b"entries: [\n  - id: x\n", "Filen kan ikke læses som YAML"),
    (b"entries:\n  - id: jobplaneten\n    kind: initiative\n    name: Jobplaneten\n    source: x\n",
     "Kort svar: Feltet skal udfyldes."),
    (b"\xff\xfe", "Filen er ikke en tekstfil (UTF-8)."),
    (b"", "Vælg en fil at indlæse."),
])
async def test_a_bad_file_is_refused_with_its_problems_and_changes_nothing(staff, answer_store, content, problem):
    before = answer_store.entries.revision()
    response = await upload(staff, content)
    html = await response.text()
    assert response.status == 400
    assert "Filen er ikke indlæst, og intet er ændret." in html
    assert problem in html
    assert answer_store.entries.revision() == before


async def test_a_good_file_is_imported_and_the_counts_shown(staff, answer_store):
    content = ("entries:\n"
               "  - id: jobplaneten\n    kind: initiative\n    name: Jobplaneten\n"
               "    summary: Importeret tekst.\n    source: Fil\n"
               "  - id: ny_post\n    kind: faq\n    name: Ny post\n    summary: Ny.\n    source: Fil\n").encode()
    response = await upload(staff, content)
    html = await response.text()
    assert response.status == 200, text_of(html)
    assert "Filen er indlæst: 1 nye, 1 ændrede og 0 uændrede poster." in html
    assert answer_store.entries.get("jobplaneten").data["summary"] == "Importeret tekst."
    assert answer_store.entries.get("ny_post").kind == "faq"


# --- staff accounts and the log --------------------------------------------------------


async def test_an_administrator_adds_a_staff_member(admin, answer_store):
    response = await admin.client.post("/admin/users", allow_redirects=False, data={
        "csrf_token": admin.csrf, "name": "carla", "password": "carla-har-en-lang-kode", "is_admin": "1"})
    assert response.status == 303 and response.headers["Location"] == "/admin/users?tilfoejet=1"
    user = answer_store.staff.get("carla")
    assert user.is_admin and user.active
    html = await (await admin.client.get("/admin/users?tilfoejet=1")).text()
    assert "Medarbejderen er oprettet" in html and "<th scope=\"row\">carla</th>" in html


async def test_a_refused_new_staff_member_keeps_the_name_but_not_the_password(admin, answer_store):
    response = await admin.client.post("/admin/users", data={
        "csrf_token": admin.csrf, "name": "dorte", "password": "kort"})
    html = await response.text()
    assert response.status == 400
    assert "Adgangskoden skal have mindst 10 tegn." in html
    assert 'value="dorte"' in html and "kort" not in text_of(html).replace("kortere", "")
    assert answer_store.staff.get("dorte") is None


async def test_an_administrator_closes_and_opens_an_account(admin, staff, answer_store):
    response = await admin.client.post("/admin/users/bo/active", allow_redirects=False,
                                       data={"csrf_token": admin.csrf, "active": "0"})
    assert response.status == 303 and response.headers["Location"] == "/admin/users?konto=1"
    assert not answer_store.staff.get("bo").active
    # Bo is logged out at once.
    assert (await staff.client.get("/admin", allow_redirects=False)).status == 303

    await admin.client.post("/admin/users/bo/active", data={"csrf_token": admin.csrf, "active": "1"})
    assert answer_store.staff.get("bo").active
    await log_in(staff.client, answer_store, *STAFF)


async def test_an_administrator_cannot_close_their_own_account(admin, answer_store):
    response = await admin.client.post("/admin/users/anna/active", data={"csrf_token": admin.csrf, "active": "0"})
    assert response.status == 400
    assert "Du kan ikke lukke din egen konto." in await response.text()
    assert answer_store.staff.get("anna").active


async def test_the_audit_log_shows_who_did_what(admin, answer_store):
    fields = await open_form(admin.client, "/admin/entries/jobplaneten")
    await submit(admin.client, "/admin/entries/jobplaneten", changed(fields, summary="Ny."))
    html = await (await admin.client.get("/admin/audit")).text()
    rows = [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)][1:]
    assert re.match(r" \d\d\.\d\d\.\d{4} kl\. \d\d:\d\d anna Ændrede posten jobplaneten version 2 ", rows[0])
    assert any("Loggede ind" in row for row in rows)
    assert len(rows) == len(audit.recent(answer_store.engine))
