"""Entries to check in the staff JSON API: the list, "Stadig rigtigt", owners and review
dates through the import, and the dashboard's figures about checking."""
import datetime

import pytest
import yaml
from rasa.shared.core.events import SlotSet

from bot.answer_store import audit
from bot.answer_store.review_dates import SEED_OWNER, add_months
from bot.answer_store.times import danish_today
from tests.conversations import days_ago, session, turn, write_conversations
from tests.web.admin.test_api import current, ok, send

TODAY = danish_today()


def set_owner(answer_store, entry_id: str, owner: str, due: datetime.date) -> None:
    stored = answer_store.entries.get(entry_id)
    answer_store.entries.update(entry_id, {**stored.data, "owner": owner, "review_due": due.isoformat()},
                                stored.version, "anna")


async def due_list(who, **params) -> dict:
    return await ok(await who.client.get("/admin/api/reviews", params=params))


# --- the list --------------------------------------------------------------------------------


async def test_the_list_has_every_due_entry_with_owner_reasons_and_last_change(staff, answer_store):
    body = await due_list(staff)
    assert body["today"] == TODAY.isoformat() and body["days"] == 14
    assert body["overdue"] + body["due"] == len(body["entries"]) == len(answer_store.entries.all())
    plan = next(item for item in body["entries"] if item["id"] == "periode")
    assert plan["state"] == "overdue" and plan["owner"] == SEED_OWNER and plan["mine"] is False
    assert plan["review_due"] == TODAY.isoformat() and plan["version"] == 1
    assert {r["code"] for r in plan["reasons"]} == {"review_date_soon", "end_date_passed", "date_in_text_passed"}
    sentence = next(r for r in plan["reasons"] if r["code"] == "date_in_text_passed")
    assert sentence["sentence"] == "Helhedsplanen gælder fra 1. september 2021 til 31. august 2025."
    assert sentence["phrase"] == "31. august 2025"
    change = plan["last_change"]
    assert (change["version"], change["action"], change["changed_by"], change["fields"]) == (1, "seeded", "system", [])
    assert datetime.datetime.fromisoformat(change["changed_at"]).tzinfo is not None


async def test_a_staff_member_sees_their_own_entries_first(staff, answer_store):
    set_owner(answer_store, "laes_mere", "bo", TODAY + datetime.timedelta(days=10))
    set_owner(answer_store, "get2sport", "anna", datetime.date(2020, 1, 31))
    entries = (await due_list(staff))["entries"]
    assert entries[0]["id"] == "laes_mere" and entries[0]["mine"] is True and entries[0]["state"] == "due"
    assert entries[1]["id"] == "get2sport" and entries[1]["mine"] is False  # then the one due longest
    assert [e["id"] for e in (await due_list(staff, owner="anna"))["entries"]] == ["get2sport"]
    assert "laes_mere" not in {e["id"] for e in (await due_list(staff, days="9"))["entries"]}


@pytest.mark.parametrize("params, says", [
    ({"days": "0"}, "'days'"), ({"days": "366"}, "'days'"), ({"days": "tre"}, "'days'"),
    ({"owner": "x" * 81}, "'owner'"),
])
async def test_bad_parameters_are_a_bad_request(staff, params, says):
    response = await staff.client.get("/admin/api/reviews", params=params)
    assert response.status == 400
    assert says in (await response.json())["fejl"]


# --- "Stadig rigtigt" -------------------------------------------------------------------------


async def test_still_right_checks_the_entry_in_the_staff_members_name(staff, admin, answer_store):
    before = await current(staff, "jobplaneten")
    checked = await ok(await send(staff, "POST", "/admin/api/reviews/jobplaneten/checked",
                                  {"version": before["version"]}))
    assert checked["version"] == before["version"] + 1 and checked["updated_by"] == "bo"
    assert checked["data"] == {**before["data"], "review_due": add_months(TODAY, 6).isoformat()}
    assert answer_store.knowledge_store().current().get("jobplaneten").summary == before["data"]["summary"]
    history = (await ok(await staff.client.get("/admin/api/entries/jobplaneten/history")))["versions"]
    assert (history[0]["action"], history[0]["changed_by"]) == ("checked", "bo")
    records = (await ok(await admin.client.get("/admin/api/audit", params={"limit": "1"})))["records"]
    assert (records[0]["user"], records[0]["action"], records[0]["entry_id"]) == ("bo", "entry_checked", "jobplaneten")
    assert "jobplaneten" not in {e["id"] for e in (await due_list(staff))["entries"]}


async def test_still_right_on_an_old_version_is_a_conflict(staff, admin):
    await ok(await send(admin, "POST", "/admin/api/reviews/jobplaneten/checked", {"version": 1}))
    body = await ok(await send(staff, "POST", "/admin/api/reviews/jobplaneten/checked", {"version": 1}), 409)
    assert body["nuvaerende_version"] == 2 and "ændret af anna" in body["fejl"]


async def test_still_right_for_an_unknown_or_retired_entry(staff):
    response = await send(staff, "POST", "/admin/api/reviews/findes_ikke/checked", {"version": 1})
    assert response.status == 404
    await ok(await send(staff, "POST", "/admin/api/entries/laes_mere/retire", {"version": 1}))
    body = await ok(await send(staff, "POST", "/admin/api/reviews/laes_mere/checked", {"version": 2}), 422)
    assert "fjernet" in body["problemer"][0]["besked"]


@pytest.mark.parametrize("body, says", [({}, "Feltet 'version' mangler."), ({"version": "1"}, "'version' skal være")])
async def test_still_right_needs_the_version(staff, answer_store, body, says):
    revision = answer_store.entries.revision()
    response = await send(staff, "POST", "/admin/api/reviews/jobplaneten/checked", body)
    assert response.status == 400 and says in (await response.json())["fejl"]
    assert answer_store.entries.revision() == revision


# --- owners and dates through the API -----------------------------------------------------------


async def test_an_edit_can_set_owner_and_date_and_the_import_carries_them(admin, answer_store):
    stored = await current(admin, "laes_mere")
    saved = await ok(await send(admin, "PUT", "/admin/api/entries/laes_mere", {
        "version": stored["version"],
        "data": {**stored["data"], "owner": "Familieteamet", "review_due": "2027-02-01"}}))
    assert (saved["data"]["owner"], saved["data"]["review_due"]) == ("Familieteamet", "2027-02-01")
    exported = yaml.safe_load(await (await admin.client.get("/admin/api/export")).text())
    mine = next(e for e in exported["entries"] if e["id"] == "laes_mere")
    assert (mine["owner"], str(mine["review_due"])) == ("Familieteamet", "2027-02-01")
    mine.update(owner="anna", review_due=datetime.date(2027, 5, 1))
    counts = await ok(await send(admin, "POST", "/admin/api/import",
                                 yaml.safe_dump(exported, allow_unicode=True).encode()))
    assert counts["aendret"] == 1
    again = await current(admin, "laes_mere")
    assert (again["data"]["owner"], again["data"]["review_due"]) == ("anna", "2027-05-01")


async def test_a_bad_owner_is_refused_with_the_field(admin):
    stored = await current(admin, "laes_mere")
    body = await ok(await send(admin, "PUT", "/admin/api/entries/laes_mere", {
        "version": stored["version"], "data": {**stored["data"], "owner": "anna\nbo"}}), 422)
    assert [(p["felt"], "én linje" in p["besked"]) for p in body["problemer"]] == [("owner", True)]


# --- the dashboard --------------------------------------------------------------------------------


def answer_about(entry_id: str, text: str, at: float) -> list:
    """A resident's question answered from one entry: the action sets the ``subject`` slot."""
    events = turn(text, "ask_initiative", at)
    return events[:2] + [SlotSet("subject", entry_id, timestamp=at + 0.15)] + events[2:]


async def test_the_dashboard_counts_due_overdue_checked_and_answers_from_overdue_entries(staff, answer_store,
                                                                                         conversations_dir):
    conversations_dir.mkdir()
    # Just after the store was seeded (an answer from before an entry existed names no entry).
    t = answer_store.entries.get("periode").updated_at.timestamp() + 0.01
    write_conversations(conversations_dir / "conversations.db", {
        "a": session(t) + answer_about("periode", "hvor længe varer planen", t + 0.01)
        + answer_about("jobplaneten", "hvad er jobplaneten", t + 0.02),
        "b": session(t) + turn("hej", "greet", t + 0.01),
        "c": session(days_ago(2)) + answer_about("periode", "hvornår slutter planen", days_ago(2) + 1),
    })
    await ok(await send(staff, "POST", "/admin/api/reviews/get2sport/checked", {"version": 1}))
    body = await ok(await staff.client.get("/admin/api/dashboard", params={"days": "7"}))
    total = len(answer_store.entries.all())
    # periode names a passed end date: overdue; the rest are due today (seeded today); get2sport was checked.
    assert body["reviews"] == {"overdue": 2, "due": total - 3, "checked": 1, "answers_with_entry": 2,
                               "answers_from_overdue": 1}
    html = await (await staff.client.get("/admin/dashboard", params={"days": "7"})).text()
    assert "Tjek af svarene" in html and "Svar fra poster med overskredet tjekdato" in html
    assert "Af de 2 svar i perioden, der kom fra én bestemt post," in " ".join(html.split())
