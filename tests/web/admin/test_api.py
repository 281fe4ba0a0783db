"""The staff JSON API: entries, history, preview, export/import, staff accounts, audit log."""
import datetime
import re

import pytest
import yaml
from aiohttp import FormData

from bot.answer_store import audit
from bot.answer_store.exchange import export_yaml
from bot.answer_store.review_dates import add_months
from bot.answer_store.times import danish_today
from bot.web.admin.openapi import document

NEW_FAQ = {
    "id": "vuggestue_aabent_hus",
    "kind": "faq",
    "name": "Åbent hus i vuggestuen",
    "summary": "Vuggestuen holder åbent hus hver torsdag kl. 15-17.",
    "source": "Opslag fra vuggestuen",
}


def created_by(user: str, data: dict = NEW_FAQ) -> dict:
    """``data`` as a new entry is stored: owned by whoever made it, to be checked in six months."""
    return {**data, "owner": user, "review_due": add_months(danish_today(), 6).isoformat()}

# Every route of the API: (method, path, a well-formed body for changes).
ROUTES = [
    ("GET", "/admin/api/openapi.json", None),
    ("GET", "/admin/api/entries", None),
    ("POST", "/admin/api/entries", {"data": NEW_FAQ}),
    ("GET", "/admin/api/entries/helhedsplanen", None),
    ("PUT", "/admin/api/entries/helhedsplanen", {"version": 1, "data": NEW_FAQ}),
    ("POST", "/admin/api/entries/helhedsplanen/retire", {"version": 1}),
    ("GET", "/admin/api/entries/helhedsplanen/history", None),
    ("POST", "/admin/api/entries/helhedsplanen/restore", {"version": 1, "to_version": 1}),
    ("POST", "/admin/api/preview", {"data": NEW_FAQ}),
    ("GET", "/admin/api/export", None),
    ("POST", "/admin/api/import", "entries: []"),
    ("GET", "/admin/api/users", None),
    ("POST", "/admin/api/users", {"name": "carl", "password": "carl-har-en-lang-kode"}),
    ("POST", "/admin/api/users/bo/active", {"active": False}),
    ("GET", "/admin/api/audit", None),
    ("GET", "/admin/api/callbacks", None),
    ("POST", "/admin/api/callbacks/1/status", {"status": "taken"}),
    ("GET", "/admin/api/inbox", None),
    ("POST", "/admin/api/inbox/handled", {"key": "0" * 64}),
    ("GET", "/admin/api/dashboard", None),
    ("GET", "/admin/api/entries/helhedsplanen/translations", None),
    ("PUT", "/admin/api/entries/helhedsplanen/translations/en", {"version": 1, "summary": "The plan."}),
    ("POST", "/admin/api/entries/helhedsplanen/translations/en/confirm", {"version": 1}),
    ("DELETE", "/admin/api/entries/helhedsplanen/translations/en?version=1", None),
    ("GET", "/admin/api/reviews", None),
    ("POST", "/admin/api/reviews/helhedsplanen/checked", {"version": 1}),
    ("GET", "/admin/api/fixed-translations", None),
    ("POST", "/admin/api/fixed-translations/ar/reviews", {"translator": "Amira Haddad"}),
    ("GET", "/admin/api/live", None),
    ("POST", "/admin/api/live/closed-days", {"date": "2099-12-24", "closed": True}),
    ("GET", "/admin/api/live/1", None),
    ("POST", "/admin/api/live/1/take", None),
    ("POST", "/admin/api/live/1/send", {"text": "Hej, jeg hedder Mette."}),
    ("POST", "/admin/api/live/1/typing", None),
    ("POST", "/admin/api/live/1/seen", None),
    ("POST", "/admin/api/live/1/end", None),
]
CHANGES = [route for route in ROUTES if route[0] != "GET"]
# DELETE takes its version in the address, the live chat's changes but "send" only their chat's number: no body.
JSON_CHANGES = [route for route in CHANGES if isinstance(route[2], dict)]


def route_id(route) -> str:
    return f"{route[0]} {route[1]}"


async def send(who, method: str, path: str, body=None, csrf: bool = True):
    """``body``: a dict goes as JSON, a str or bytes as it is."""
    headers = who.headers() if csrf else {}
    if isinstance(body, (dict, list)):
        return await who.client.request(method, path, json=body, headers=headers)
    return await who.client.request(method, path, data=body, headers=headers)


async def ok(response, status: int = 200) -> dict:
    assert response.status == status, await response.text()
    return await response.json()


async def current(who, entry_id: str) -> dict:
    return await ok(await who.client.get(f"/admin/api/entries/{entry_id}"))


async def edit(who, entry_id: str, **changes):
    stored = await current(who, entry_id)
    return await send(who, "PUT", f"/admin/api/entries/{entry_id}",
                      {"version": stored["version"], "data": {**stored["data"], **changes}})


# --- reading ----------------------------------------------------------------------------


async def test_list_gives_a_summary_of_every_entry(admin, answer_store):
    entries = (await ok(await admin.client.get("/admin/api/entries")))["entries"]
    assert len(entries) == len(answer_store.entries.all())
    plan = next(e for e in entries if e["id"] == "helhedsplanen")
    assert set(plan) == {"id", "kind", "name", "version", "retired", "updated_at", "updated_by"}
    assert plan["kind"] == "plan" and plan["version"] == 1 and plan["retired"] is False
    assert plan["updated_by"] == "system"
    assert datetime.datetime.fromisoformat(plan["updated_at"]).tzinfo is not None


async def test_search_finds_entries_with_every_word(admin):
    found = (await ok(await admin.client.get("/admin/api/entries", params={"q": "rikke specialkonsulent"})))
    assert [e["id"] for e in found["entries"]] == ["rikke_willesen"]
    nothing = await ok(await admin.client.get("/admin/api/entries", params={"q": "rikke zebra"}))
    assert nothing["entries"] == []


async def test_list_filters_by_kind(admin):
    contacts = await ok(await admin.client.get("/admin/api/entries", params={"kind": "contact"}))
    assert {e["id"] for e in contacts["entries"]} == {"rikke_willesen", "koege_kommune"}
    response = await admin.client.get("/admin/api/entries", params={"kind": "kage"})
    assert response.status == 400
    assert "Ukendt type 'kage'" in (await response.json())["fejl"]


async def test_retired_entries_are_listed_unless_left_out(admin):
    await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/retire", {"version": 1}))
    listed = await ok(await admin.client.get("/admin/api/entries"))
    assert any(e["id"] == "laes_mere" and e["retired"] for e in listed["entries"])
    active = await ok(await admin.client.get("/admin/api/entries", params={"include_retired": "false"}))
    assert "laes_mere" not in {e["id"] for e in active["entries"]}
    response = await admin.client.get("/admin/api/entries", params={"include_retired": "måske"})
    assert response.status == 400


async def test_get_gives_the_whole_entry(admin, answer_store):
    entry = await current(admin, "rikke_willesen")
    assert set(entry) == {"id", "kind", "data", "version", "retired", "updated_at", "updated_by"}
    assert entry["data"] == answer_store.entries.get("rikke_willesen").data
    assert entry["data"]["phone"] == "30 54 83 43"


async def test_unknown_entry_is_404_in_danish(admin):
    for path in ("/admin/api/entries/findes_ikke", "/admin/api/entries/findes_ikke/history"):
        response = await admin.client.get(path)
        assert response.status == 404
        assert await response.json() == {"fejl": "Posten 'findes_ikke' findes ikke.", "kode": "findes_ikke"}


# --- creating and changing ---------------------------------------------------------------


async def test_create_stores_the_entry_in_the_staff_members_name(staff, answer_store):
    response = await send(staff, "POST", "/admin/api/entries", {"data": NEW_FAQ})
    created = await ok(response, 201)
    assert response.headers["Location"] == "/admin/api/entries/vuggestue_aabent_hus"
    assert created["version"] == 1 and created["updated_by"] == "bo" and created["data"] == created_by("bo")
    assert await current(staff, "vuggestue_aabent_hus") == created
    assert answer_store.entries.get("vuggestue_aabent_hus").updated_by == "bo"


async def test_invalid_entry_is_refused_with_the_problems_per_field(admin, answer_store):
    revision = answer_store.entries.revision()
    data = {**NEW_FAQ, "phone": "123", "ends": "snart"}
    del data["source"]
    body = await ok(await send(admin, "POST", "/admin/api/entries", {"data": data}), 422)
    assert body["fejl"].startswith("Ændringen er ikke gemt")
    by_field = {p["felt"]: p for p in body["problemer"]}
    assert set(by_field) == {"phone", "ends", "source"}
    assert by_field["source"] == {"post": "vuggestue_aabent_hus", "felt": "source", "besked": "Feltet skal udfyldes."}
    assert "8 cifre" in by_field["phone"]["besked"]
    assert answer_store.entries.revision() == revision


async def test_an_id_in_use_is_refused(admin):
    body = await ok(await send(admin, "POST", "/admin/api/entries", {"data": {**NEW_FAQ, "id": "laes_mere"}}), 422)
    assert body["problemer"] == [
        {"post": "laes_mere", "felt": "id", "besked": "Id'et bruges allerede af en anden post."}]


async def test_update_saves_a_new_version_the_assistant_answers_from_at_once(admin, answer_store):
    knowledge = answer_store.knowledge_store()
    assert "torsdag" not in knowledge.current().get("laes_mere").summary
    response = await edit(admin, "laes_mere", summary="Læs mere på bosj.dk – også om torsdagens møde.")
    saved = await ok(response)
    assert saved["version"] == 2 and saved["updated_by"] == "anna"
    assert knowledge.current().get("laes_mere").summary == "Læs mere på bosj.dk – også om torsdagens møde."


async def test_two_staff_saving_the_same_version_the_second_gets_a_conflict(admin, staff, answer_store):
    opened_by_anna = await current(admin, "laes_mere")
    opened_by_bo = await current(staff, "laes_mere")
    path = "/admin/api/entries/laes_mere"
    await ok(await send(admin, "PUT", path, {"version": opened_by_anna["version"],
                                             "data": {**opened_by_anna["data"], "summary": "Annas tekst."}}))
    response = await send(staff, "PUT", path, {"version": opened_by_bo["version"],
                                               "data": {**opened_by_bo["data"], "summary": "Bos tekst."}})
    body = await ok(response, 409)
    assert body["nuvaerende_version"] == opened_by_bo["version"] + 1
    assert "ændret af anna" in body["fejl"] and "ikke gemt" in body["fejl"]
    kept = await current(staff, "laes_mere")
    assert kept["data"]["summary"] == "Annas tekst." and kept["updated_by"] == "anna"
    assert answer_store.knowledge_store().current().get("laes_mere").summary == "Annas tekst."


async def test_update_refuses_invalid_data_a_new_id_and_an_unknown_entry(admin):
    assert (await edit(admin, "laes_mere", url="http://bosj.dk")).status == 422
    body = await ok(await edit(admin, "laes_mere", id="laes_mere_nu"), 422)
    assert body["problemer"][0]["felt"] == "id"
    response = await send(admin, "PUT", "/admin/api/entries/findes_ikke",
                          {"version": 1, "data": {**NEW_FAQ, "id": "findes_ikke"}})
    assert response.status == 404
    assert (await current(admin, "laes_mere"))["version"] == 1


async def test_html_in_a_field_is_kept_as_text(admin, answer_store):
    html = '<script>alert("hej")</script> <b>Fed</b> & <a href="javascript:x()">link</a>'
    await ok(await send(admin, "POST", "/admin/api/entries", {"data": {**NEW_FAQ, "summary": html}}), 201)
    response = await admin.client.get("/admin/api/entries/vuggestue_aabent_hus")
    assert response.content_type == "application/json"
    assert (await response.json())["data"]["summary"] == html
    assert answer_store.knowledge_store().current().get("vuggestue_aabent_hus").summary == html
    preview = await ok(await send(admin, "POST", "/admin/api/preview", {"data": {**NEW_FAQ, "summary": html}}))
    assert preview["text"].startswith(html)


# --- retiring, history and restoring ------------------------------------------------------------


async def test_retire_takes_the_entry_out_of_the_answers(admin, answer_store):
    retired = await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/retire", {"version": 1}))
    assert retired["retired"] is True and retired["version"] == 2
    assert answer_store.knowledge_store().current().get("laes_mere") is None


async def test_retiring_a_contact_others_refer_to_is_refused(admin, answer_store):
    body = await ok(await send(admin, "POST", "/admin/api/entries/rikke_willesen/retire", {"version": 1}), 422)
    assert {p["post"] for p in body["problemer"]} == {"bestyrelsen", "boligsocialt_forum"}
    assert all(p["felt"] == "contact" for p in body["problemer"])
    assert answer_store.entries.get("rikke_willesen").retired is False


async def test_retire_with_a_stale_version_is_a_conflict(admin):
    await ok(await edit(admin, "laes_mere", summary="Ny tekst."))
    body = await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/retire", {"version": 1}), 409)
    assert body["nuvaerende_version"] == 2


async def test_history_lists_every_version_and_restore_brings_one_back(admin, staff, answer_store):
    original = (await current(admin, "laes_mere"))["data"]
    await ok(await edit(admin, "laes_mere", summary="Anden udgave."))
    await ok(await edit(staff, "laes_mere", summary="Tredje udgave."))
    history = await ok(await admin.client.get("/admin/api/entries/laes_mere/history"))
    versions = history["versions"]
    assert [(v["version"], v["action"], v["changed_by"]) for v in versions] == [
        (3, "edited", "bo"), (2, "edited", "anna"), (1, "seeded", "system")]
    assert versions[0]["data"]["summary"] == "Tredje udgave." and versions[2]["data"] == original
    assert all(datetime.datetime.fromisoformat(v["changed_at"]) for v in versions)

    restored = await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/restore",
                                   {"version": 3, "to_version": 1}))
    assert restored["version"] == 4 and restored["data"] == original
    latest = (await ok(await admin.client.get("/admin/api/entries/laes_mere/history")))["versions"][0]
    assert (latest["action"], latest["changed_by"]) == ("restored", "anna")
    assert answer_store.knowledge_store().current().get("laes_mere").summary == original["summary"]


async def test_restore_refuses_a_missing_version_and_a_stale_one(admin):
    body = await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/restore",
                               {"version": 1, "to_version": 7}), 422)
    assert body["problemer"][0]["besked"] == "Version 7 findes ikke."
    response = await send(admin, "POST", "/admin/api/entries/laes_mere/restore", {"version": 2, "to_version": 1})
    assert response.status == 409


async def test_restoring_a_retired_version_retires_the_entry_again(admin):
    await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/retire", {"version": 1}))
    back = await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/restore", {"version": 2, "to_version": 1}))
    assert back["retired"] is False
    again = await ok(await send(admin, "POST", "/admin/api/entries/laes_mere/restore", {"version": 3, "to_version": 2}))
    assert again["retired"] is True


# --- preview -------------------------------------------------------------------------------------


async def test_preview_shows_the_reply_and_saves_nothing(admin, answer_store):
    revision = answer_store.entries.revision()
    data = {**NEW_FAQ, "related": ["jobplaneten", "get2sport"]}
    reply = await ok(await send(admin, "POST", "/admin/api/preview", {"data": data}))
    assert reply["text"].startswith(NEW_FAQ["summary"])
    assert reply["buttons"] == ["Jobplaneten", "Get2Sport"]
    assert answer_store.entries.revision() == revision
    assert (await admin.client.get("/admin/api/entries/vuggestue_aabent_hus")).status == 404


async def test_preview_of_an_edit_uses_the_changed_text_not_the_stored_one(admin, answer_store):
    stored = await current(admin, "laes_mere")
    data = {**stored["data"], "summary": "Den nye tekst om hjemmesiden."}
    reply = await ok(await send(admin, "POST", "/admin/api/preview", {"data": data, "entry_id": "laes_mere"}))
    assert reply["text"].startswith("Den nye tekst om hjemmesiden.")
    assert answer_store.entries.get("laes_mere").data == stored["data"]


async def test_preview_takes_the_id_as_it_will_be_saved(admin):
    reply = await ok(await send(admin, "POST", "/admin/api/preview", {"data": {**NEW_FAQ, "id": "  ny_post "}}))
    assert reply["text"].startswith(NEW_FAQ["summary"])


async def test_preview_of_invalid_data_gives_the_problems(admin):
    body = await ok(await send(admin, "POST", "/admin/api/preview", {"data": {**NEW_FAQ, "contact": "nogen"}}), 422)
    assert body["problemer"] == [{"post": "vuggestue_aabent_hus", "felt": "contact",
                                  "besked": "Kontakten 'nogen' findes ikke."}]


# --- export and import --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/api/export", "/admin/export.yml"])
async def test_export_is_a_yaml_file_download(admin, answer_store, path):
    response = await admin.client.get(path)
    assert response.status == 200
    assert response.content_type == "application/yaml" and response.charset == "utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="svardata.yml"'
    text = await response.text()
    assert yaml.safe_load(text)["entries"] == yaml.safe_load(export_yaml(answer_store.entries))["entries"]
    ids = [entry["id"] for entry in yaml.safe_load(text)["entries"]]
    assert len(ids) == len(answer_store.entries.all(include_retired=False))


async def test_export_then_import_round_trip(admin, answer_store):
    exported = await (await admin.client.get("/admin/api/export")).text()
    total = len(yaml.safe_load(exported)["entries"])
    unchanged = await ok(await send(admin, "POST", "/admin/api/import", exported.encode()))
    assert unchanged == {"oprettet": 0, "aendret": 0, "uaendret": total}

    data = yaml.safe_load(exported)
    next(e for e in data["entries"] if e["id"] == "laes_mere")["summary"] = "Ændret i regnearket."
    data["entries"].append(NEW_FAQ)
    form = FormData()
    form.add_field("file", yaml.safe_dump(data, allow_unicode=True).encode(), filename="svardata.yml",
                   content_type="application/yaml")
    counts = await ok(await admin.client.post("/admin/api/import", data=form, headers=admin.headers()))
    assert counts == {"oprettet": 1, "aendret": 1, "uaendret": total - 1}
    assert answer_store.knowledge_store().current().get("laes_mere").summary == "Ændret i regnearket."
    assert (await current(admin, "vuggestue_aabent_hus"))["data"] == created_by("anna")
    history = (await ok(await admin.client.get("/admin/api/entries/laes_mere/history")))["versions"]
    assert (history[0]["action"], history[0]["changed_by"]) == ("imported", "anna")


async def test_a_raw_yaml_body_is_imported_whatever_its_content_type(admin):
    body = yaml.safe_dump({"kind": "faq", "entries": [{k: v for k, v in NEW_FAQ.items() if k != "kind"}]})
    for content_type in ("application/yaml", "text/plain"):
        response = await admin.client.post("/admin/api/import", data=body.encode(),
                                           headers=admin.headers(**{"Content-Type": content_type}))
        assert (await ok(response))["oprettet"] + (await response.json())["uaendret"] == 1


BAD_FILES = {
    "malformed YAML": (b"entries: [\n  - id: x\n  kind: : :", "kan ikke læses som YAML"),
    "not UTF-8": (b"\xff\xfe\x00\x01binary\x00", "ikke en tekstfil"),
    "no entries": (b"hej: 1\n", "'entries'"),
    "empty list": (b"entries: []\n", "ingen poster"),
    "an invalid entry": (yaml.safe_dump({"entries": [{**NEW_FAQ, "phone": "12"}]}).encode(), "8 cifre"),
    "a broken reference": (yaml.safe_dump({"entries": [{**NEW_FAQ, "contact": "nogen"}]}).encode(), "findes ikke"),
    "an id twice": (yaml.safe_dump({"entries": [NEW_FAQ, NEW_FAQ]}).encode(), "mere end én gang"),
}


@pytest.mark.parametrize("multipart", [False, True], ids=["raw", "upload"])
@pytest.mark.parametrize("name", list(BAD_FILES))
async def test_a_bad_file_is_refused_and_nothing_changes(admin, answer_store, name, multipart):
    content, says = BAD_FILES[name]
    # One good change in the same file: all or nothing.
    if name in ("an invalid entry", "a broken reference"):
        data = yaml.safe_load(content)
        data["entries"].insert(0, {**answer_store.entries.get("laes_mere").data, "summary": "Ændret."})
        content = yaml.safe_dump(data, allow_unicode=True).encode()
    revision, before = answer_store.entries.revision(), answer_store.entries.all()
    if multipart:
        form = FormData()
        form.add_field("file", content, filename="svardata.yml", content_type="application/octet-stream")
        response = await admin.client.post("/admin/api/import", data=form, headers=admin.headers())
    else:
        response = await send(admin, "POST", "/admin/api/import", content)
    body = await ok(response, 422)
    assert body["fejl"].startswith("Filen er ikke indlæst, og intet er ændret")
    assert any(says in problem["besked"] for problem in body["problemer"]), body
    assert answer_store.entries.revision() == revision
    assert answer_store.entries.all() == before


async def test_an_upload_without_the_file_field_is_a_bad_request(admin):
    form = FormData()
    form.add_field("andet", b"entries: []", filename="svardata.yml")
    response = await admin.client.post("/admin/api/import", data=form, headers=admin.headers())
    assert response.status == 400
    assert "'file'" in (await response.json())["fejl"]


# --- who may do what -------------------------------------------------------------------------------


def test_the_route_list_here_covers_every_api_route(app_client):
    api_routes = {(r.method, r.resource.canonical) for r in app_client.app.router.routes()
                  if r.resource is not None and r.resource.canonical.startswith("/admin/api/")
                  and r.method != "HEAD"}
    named = {(method, re.sub(r"/1(?=/|$)", "/{id}", path.split("?")[0]).replace("helhedsplanen", "{id}")
              .replace("/bo/", "/{name}/").replace("/translations/en", "/translations/{language}")
              .replace("/fixed-translations/ar/", "/fixed-translations/{language}/"))
             for method, path, _ in ROUTES}
    assert named == api_routes


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
async def test_every_api_route_needs_a_login(app_client, answer_store, route):
    method, path, body = route
    revision = answer_store.entries.revision()
    kwargs = {"json": body} if isinstance(body, dict) else {"data": body}
    response = await app_client.request(method, path, **kwargs)
    assert response.status == 401
    assert (await response.json())["fejl"] == "Du er ikke logget ind. Log ind og prøv igen."
    assert answer_store.entries.revision() == revision


@pytest.mark.parametrize("route", CHANGES, ids=route_id)
async def test_a_change_without_the_csrf_token_is_refused(admin, answer_store, route):
    method, path, body = route
    before = (answer_store.entries.revision(), answer_store.staff.list(), answer_store.reviews.of_language("ar"))
    response = await send(admin, method, path, body, csrf=False)
    assert response.status == 403
    assert "Genindlæs siden" in (await response.json())["fejl"]
    wrong = await admin.client.request(method, path, json=body, headers={"X-CSRF-Token": "gammel"})
    assert wrong.status == 403
    assert (answer_store.entries.revision(), answer_store.staff.list(),
            answer_store.reviews.of_language("ar")) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if "/users" in r[1] or r[1].endswith("/audit")],
                         ids=route_id)
async def test_staff_accounts_and_audit_log_are_for_administrators_only(staff, answer_store, route):
    method, path, body = route
    users = answer_store.staff.list()
    response = await send(staff, method, path, body)
    assert response.status == 403
    assert (await response.json())["fejl"] == "Kun en administrator kan gøre det."
    assert answer_store.staff.list() == users


# --- staff accounts --------------------------------------------------------------------------------


async def test_admin_lists_staff_without_password_hashes(admin):
    response = await admin.client.get("/admin/api/users")
    users = (await ok(response))["users"]
    assert [(u["name"], u["is_admin"], u["active"]) for u in users] == [("anna", True, True), ("bo", False, True)]
    assert all(set(u) == {"name", "is_admin", "active", "created_at"} for u in users)
    assert "argon2" not in await response.text()


async def test_admin_adds_a_staff_member_who_can_log_in(admin, answer_store):
    body = {"name": "carl", "password": "carl-har-en-lang-kode", "is_admin": True}
    added = await ok(await send(admin, "POST", "/admin/api/users", body), 201)
    assert (added["name"], added["is_admin"], added["active"]) == ("carl", True, True)
    assert "password" not in added and "argon2" not in str(added)
    assert answer_store.staff.verify("carl", "carl-har-en-lang-kode") is not None


@pytest.mark.parametrize("body, says", [
    ({"name": "bo", "password": "endnu-en-lang-kode"}, "findes allerede"),
    ({"name": "carl", "password": "kort"}, "mindst 10 tegn"),
    ({"name": "c a r l", "password": "carl-har-en-lang-kode"}, "Brugernavnet"),
])
async def test_a_staff_account_that_cannot_be_made_is_refused_in_danish(admin, answer_store, body, says):
    response = await send(admin, "POST", "/admin/api/users", body)
    assert response.status == 422
    assert says in (await response.json())["fejl"]
    assert [u.name for u in answer_store.staff.list()] == ["anna", "bo"]


async def test_closing_an_account_logs_the_staff_member_out(admin, staff):
    closed = await ok(await send(admin, "POST", "/admin/api/users/bo/active", {"active": False}))
    assert closed["active"] is False
    assert (await staff.client.get("/admin/api/entries")).status == 401
    reopened = await ok(await send(admin, "POST", "/admin/api/users/bo/active", {"active": True}))
    assert reopened["active"] is True


async def test_an_admin_cannot_close_their_own_account_nor_an_unknown_one(admin, answer_store):
    response = await send(admin, "POST", "/admin/api/users/anna/active", {"active": False})
    assert response.status == 422
    assert "din egen konto" in (await response.json())["fejl"]
    assert answer_store.staff.get("anna").active
    response = await send(admin, "POST", "/admin/api/users/ingen/active", {"active": False})
    assert response.status == 422
    assert "ingen medarbejder" in (await response.json())["fejl"]


# --- audit log ------------------------------------------------------------------------------------


async def test_every_change_is_in_the_audit_log(admin, staff, answer_store):
    await ok(await send(staff, "POST", "/admin/api/entries", {"data": NEW_FAQ}), 201)
    await ok(await edit(admin, "vuggestue_aabent_hus", summary="Ændret."))
    await ok(await send(admin, "POST", "/admin/api/entries/vuggestue_aabent_hus/retire", {"version": 2}))
    await ok(await send(admin, "POST", "/admin/api/entries/vuggestue_aabent_hus/restore",
                        {"version": 3, "to_version": 2}))
    exported = await (await admin.client.get("/admin/api/export")).text()
    await ok(await send(admin, "POST", "/admin/api/import", exported.replace("Ændret.", "Importeret.").encode()))
    await ok(await send(admin, "POST", "/admin/api/users", {"name": "carl", "password": "carl-har-en-lang-kode"}), 201)
    await ok(await send(admin, "POST", "/admin/api/users/carl/active", {"active": False}))

    expected = [
        ("bo", "entry_created", "vuggestue_aabent_hus"), ("anna", "entry_edited", "vuggestue_aabent_hus"),
        ("anna", "entry_retired", "vuggestue_aabent_hus"), ("anna", "entry_restored", "vuggestue_aabent_hus"),
        ("anna", "entry_imported", "vuggestue_aabent_hus"), ("anna", "user_added", None),
        ("anna", "user_disabled", None),
    ]
    stored = [(r.user_name, r.action, r.entry_id) for r in reversed(audit.recent(answer_store.engine))
              if r.action not in ("logged_in",)]
    assert stored[-len(expected):] == expected
    records = (await ok(await admin.client.get("/admin/api/audit", params={"limit": "7"})))["records"]
    assert [(r["user"], r["action"], r["entry_id"]) for r in reversed(records)] == expected
    assert records[0]["details"] == "carl"
    assert datetime.datetime.fromisoformat(records[0]["at"]).tzinfo is not None


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1001", "1.5", "²"])
async def test_audit_limit_must_be_a_sensible_number(admin, limit):
    response = await admin.client.get("/admin/api/audit", params={"limit": limit})
    assert response.status == 400
    assert "limit" in (await response.json())["fejl"]


# --- bad requests ----------------------------------------------------------------------------------


BAD_BODIES = {
    "not JSON": (b"{version: 1", "kan ikke læses som JSON"),
    "not UTF-8": (b"\xff\xfe{}", "kan ikke læses som JSON"),
    "empty": (b"", "kan ikke læses som JSON"),
    "a list": (b"[1, 2]", "JSON-objekt"),
    "a string": (b'"hej"', "JSON-objekt"),
    "null": (b"null", "JSON-objekt"),
    "deeply nested": (b"[" * 100_000 + b"]" * 100_000, None),
}


@pytest.mark.parametrize("route", JSON_CHANGES, ids=route_id)
async def test_a_body_that_is_not_a_json_object_is_a_bad_request(admin, answer_store, route):
    method, path, _ = route
    revision = answer_store.entries.revision()
    for name, (content, says) in BAD_BODIES.items():
        response = await admin.client.request(method, path, data=content,
                                              headers=admin.headers(**{"Content-Type": "application/json"}))
        assert response.status == 400, name
        if says:
            assert says in (await response.json())["fejl"], name
    assert answer_store.entries.revision() == revision


WRONG_FIELDS = [
    ("PUT", "/admin/api/entries/laes_mere", {"data": NEW_FAQ}, "Feltet 'version' mangler."),
    ("PUT", "/admin/api/entries/laes_mere", {"version": "1", "data": NEW_FAQ}, "'version' skal være et helt tal"),
    ("PUT", "/admin/api/entries/laes_mere", {"version": True, "data": NEW_FAQ}, "'version' skal være et helt tal"),
    ("PUT", "/admin/api/entries/laes_mere", {"version": 1.0, "data": NEW_FAQ}, "'version' skal være et helt tal"),
    ("PUT", "/admin/api/entries/laes_mere", {"version": 2**70, "data": NEW_FAQ}, "'version' skal være et helt tal"),
    ("PUT", "/admin/api/entries/laes_mere", {"version": 1, "data": [NEW_FAQ]}, "'data' skal være en samling"),
    ("POST", "/admin/api/entries", {}, "Feltet 'data' mangler."),
    ("POST", "/admin/api/entries", {"data": "id: x"}, "'data' skal være en samling"),
    ("POST", "/admin/api/entries/laes_mere/retire", {"version": None}, "'version' skal være et helt tal"),
    ("POST", "/admin/api/entries/laes_mere/restore", {"version": 1}, "Feltet 'to_version' mangler."),
    ("POST", "/admin/api/entries/laes_mere/restore", {"version": 1, "to_version": 0}, "'to_version' skal være"),
    ("POST", "/admin/api/preview", {"data": NEW_FAQ, "entry_id": 5}, "'entry_id' skal være en tekst"),
    ("POST", "/admin/api/users", {"name": "carl", "password": 1234567890123}, "'password' skal være en tekst"),
    ("POST", "/admin/api/users", {"name": "carl", "password": "en-lang-kode", "is_admin": "ja"}, "true eller false"),
    ("POST", "/admin/api/users/bo/active", {"active": 0}, "'active' skal være true eller false"),
]


@pytest.mark.parametrize("method, path, body, says", WRONG_FIELDS, ids=lambda v: v if isinstance(v, str) else "")
async def test_a_missing_field_or_one_of_the_wrong_type_is_a_bad_request(admin, answer_store, method, path, body,
                                                                         says):
    before = (answer_store.entries.revision(), answer_store.staff.list())
    response = await send(admin, method, path, body)
    assert response.status == 400
    assert says in (await response.json())["fejl"]
    assert (answer_store.entries.revision(), answer_store.staff.list()) == before


async def test_entry_data_that_is_not_text_where_text_belongs_is_refused_not_a_crash(admin, answer_store):
    for data in ({**NEW_FAQ, "name": {"a": 1}}, {**NEW_FAQ, "aliases": "én"}, {**NEW_FAQ, "ends": ["2025-01-01"]},
                 {"id": None}, {}):
        for method, path, body in (("POST", "/admin/api/entries", {"data": data}),
                                   ("POST", "/admin/api/preview", {"data": data}),
                                   ("PUT", "/admin/api/entries/laes_mere", {"version": 1, "data": data})):
            response = await send(admin, method, path, body)
            assert response.status == 422, (data, await response.text())
            assert (await response.json())["problemer"]


# --- the API's description -------------------------------------------------------------------------


async def test_openapi_document_is_served_behind_the_login(admin, aiohttp_client):
    response = await admin.client.get("/admin/api/openapi.json")
    assert await ok(response) == document()
    anonymous = await aiohttp_client(admin.client.server)
    assert (await anonymous.get("/admin/api/openapi.json")).status == 401


def test_openapi_document_is_valid_and_describes_every_route(app_client):
    from schemathesis.specs.openapi.definitions import OPENAPI_30_VALIDATOR

    spec = document()
    OPENAPI_30_VALIDATOR.validate(spec)
    described = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    routed = {(r.method, r.resource.canonical) for r in app_client.app.router.routes()
              if r.resource is not None and r.resource.canonical.startswith("/admin/api/") and r.method != "HEAD"}
    assert described == routed
    assert spec["components"]["securitySchemes"]["staffSession"] == {
        "type": "apiKey", "in": "cookie", "name": "koege_staff",
        "description": spec["components"]["securitySchemes"]["staffSession"]["description"]}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert "401" in operation["responses"], (method, path)
            if method != "get":
                assert {"400", "403"} <= set(operation["responses"]), (method, path)
                assert operation["security"] == [{"staffSession": [], "csrfToken": []}]


async def test_a_malformed_cookie_header_is_no_login_not_a_crash(app_client):
    response = await app_client.get("/admin/api/entries", headers={"Cookie": "tt?!k!~WF2AO&=1"})
    assert response.status == 401


@pytest.mark.parametrize("body", [
    b"--graense\r\n0.5--graense--\r\n",
    b'--graense\r\nContent-Disposition: form-data; name="\xc3\x9c\x00"\r\n\r\nx\r\n--graense--\r\n',
    b"ikke en formular",
], ids=["no part headers", "bad part header", "no boundary"])
async def test_a_malformed_upload_is_a_bad_request_and_nothing_changes(admin, answer_store, body):
    revision = answer_store.entries.revision()
    response = await admin.client.post("/admin/api/import", data=body, headers=admin.headers(
        **{"Content-Type": "multipart/form-data; boundary=graense"}))
    assert response.status == 400
    assert (await response.json())["fejl"] in ("Formularen kan ikke læses.", "Vælg en fil (formularfeltet 'file').")
    assert answer_store.entries.revision() == revision


async def test_a_file_over_2_mb_is_refused_and_nothing_changes(admin, answer_store):
    revision = answer_store.entries.revision()
    padding = b"# " + b"x" * 2_100_000 + b"\n"
    response = await send(admin, "POST", "/admin/api/import", padding + b"entries: []\n")
    body = await ok(response, 422)
    assert body["problemer"][0]["besked"] == "Filen er for stor (højst 2 MB)."
    response = await send(admin, "POST", "/admin/api/import", padding * 2)
    assert response.status == 413
    assert "højst fylde 2 MB" in (await response.json())["fejl"]
    assert answer_store.entries.revision() == revision
