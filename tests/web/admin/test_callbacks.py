"""Callback requests in the staff admin: the page and the JSON API."""
import datetime
import re

import pytest
import sqlalchemy as sa

from bot.answer_store import audit, tables
from bot.answer_store.times import danish_time
from bot.config import PrivacySettings
from bot.web import WebConfig, create_app
from tests.web.admin.conftest import STAFF, log_in
from tests.web.admin.test_pages import read_form, text_of


def add(answer_store, first_name="Mette", phone="22334455", topic="hjælp til job", channel="socketio") -> int:
    return answer_store.callbacks.add(first_name, phone, topic, channel)


def made_at(answer_store, request_id: int, moment: datetime.datetime) -> None:
    table = tables.callback_requests
    with answer_store.engine.begin() as connection:
        connection.execute(sa.update(table).where(table.c.id == request_id).values(created_at=moment))


async def page(who, path: str = "/admin/callbacks") -> str:
    response = await who.client.get(path)
    html = await response.text()
    assert response.status == 200, html
    return html


# --- the page ---------------------------------------------------------------------


async def test_the_page_lists_requests_newest_first_in_koege_time(staff, answer_store):
    older = add(answer_store, "Ali", "33445566", "husleje", "gatewayapi")
    newer = add(answer_store, "Mette", "22334455", "hjælp til job", "socketio")
    winter = datetime.datetime(2025, 1, 15, 13, 5, tzinfo=datetime.timezone.utc)
    made_at(answer_store, older, winter)
    html = await page(staff)
    text = text_of(html)
    assert text.index("Mette") < text.index("Ali")
    assert "15.01.2025 kl. 14:05" in text  # 13:05 UTC is 14:05 in Køge in winter
    assert danish_time(answer_store.callbacks.get(newer).created_at) in text
    assert '<a href="tel:+4522334455">22 33 44 55</a>' in html
    assert "hjælp til job" in text and "husleje" in text
    assert "Chat på hjemmesiden" in text and "SMS" in text
    assert '<a href="/admin/callbacks" aria-current="page">Opringninger</a>' in html
    assert "Jeg tager den" in text and "Færdig" in text
    assert "slettes automatisk efter 30 dage" in text
    assert "<script" not in html and "style=" not in html  # the CSP allows neither


async def test_an_empty_list_says_so(staff):
    assert "Der er ingen ønsker om at blive ringet op lige nu." in text_of(await page(staff))


async def test_what_residents_wrote_is_shown_as_text(staff, answer_store):
    add(answer_store, "<b>Mette</b>", topic='<script>alert("x")</script><img src=x onerror=alert(1)>')
    html = await page(staff)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Mette" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Mette" in html


async def test_take_then_finish_with_the_buttons(staff, answer_store):
    request_id = add(answer_store)
    action = f"/admin/callbacks/{request_id}/status"
    fields = read_form(await page(staff), action)
    assert ("status", "taken") in fields
    response = await staff.client.post(action, data=fields, allow_redirects=False)
    assert response.status == 303
    stored = answer_store.callbacks.get(request_id)
    assert (stored.status, stored.handled_by) == ("taken", "bo")
    html = await page(staff, response.headers["Location"])
    assert "Du har taget opringningen" in html and "Taget (bo)" in text_of(html)
    assert "Jeg tager den<span" not in html

    fields = read_form(html, action)
    assert ("status", "done") in fields
    response = await staff.client.post(action, data=fields, allow_redirects=False)
    assert response.status == 303
    assert answer_store.callbacks.get(request_id).status == "done"
    html = await page(staff, response.headers["Location"])
    assert "markeret som færdig" in html and "Åbn igen" in html
    assert [r.action for r in audit.recent(answer_store.engine, limit=2)] == ["callback_done", "callback_taken"]


async def test_the_page_can_show_one_status(staff, answer_store):
    add(answer_store, "Ali")
    taken = add(answer_store, "Mette")
    answer_store.callbacks.set_status(taken, "taken", "anna")
    html = await page(staff, "/admin/callbacks?status=taken")
    assert "Mette" in html and "Ali" not in html
    assert '<a href="/admin/callbacks?status=taken" aria-current="page">Taget</a>' in html
    assert "Der er ingen opringninger med status »Færdig«." in text_of(await page(staff, "/admin/callbacks?status=done"))
    assert "Ali" in await page(staff, "/admin/callbacks?status=ukendt")  # an unknown filter shows all


async def test_the_page_needs_a_login(app_client):
    response = await app_client.get("/admin/callbacks", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/admin/login?next=")


async def test_a_change_without_the_csrf_token_is_refused(staff, answer_store):
    request_id = add(answer_store)
    response = await staff.client.post(f"/admin/callbacks/{request_id}/status", data={"status": "taken"})
    assert response.status == 403
    assert answer_store.callbacks.get(request_id).status == "new"


@pytest.mark.parametrize("path, status, expected", [
    ("/admin/callbacks/999/status", "taken", 404),
    ("/admin/callbacks/abc/status", "taken", 404),
    ("/admin/callbacks/{id}/status", "slettet", 400),
])
async def test_an_unknown_request_or_status_changes_nothing(staff, answer_store, path, status, expected):
    request_id = add(answer_store)
    response = await staff.client.post(path.format(id=request_id), data={"csrf_token": staff.csrf, "status": status},
                                       headers={"Accept": "text/html"})
    assert response.status == expected
    assert answer_store.callbacks.get(request_id).status == "new"


async def test_status_changes_are_in_the_log_in_danish(admin, answer_store):
    answer_store.callbacks.set_status(add(answer_store), "taken", "anna")
    text = text_of(await page(admin, "/admin/audit"))
    assert "Tog en opringning" in text and "Opringning nr. 1" in text
    assert "22334455" not in text and "Mette" not in text


async def test_the_retention_period_comes_from_the_settings(aiohttp_client, node_modules, answer_store, tmp_path):
    app = create_app(WebConfig(node_modules=node_modules), answer_store,
                     PrivacySettings(data_dir=tmp_path, retention_days=14))
    answer_store.staff.add(*STAFF)
    assert "slettes automatisk efter 14 dage" in text_of(await page(await log_in(
        await aiohttp_client(app), answer_store, *STAFF)))


# --- the API ----------------------------------------------------------------------


async def ok(response, status: int = 200) -> dict:
    assert response.status == status, await response.text()
    return await response.json()


async def test_the_api_lists_requests_newest_first(admin, answer_store):
    older, newer = add(answer_store, "Ali"), add(answer_store, "Mette")
    made_at(answer_store, older, datetime.datetime(2025, 1, 15, 13, 5, tzinfo=datetime.timezone.utc))
    callbacks = (await ok(await admin.client.get("/admin/api/callbacks")))["callbacks"]
    assert [c["id"] for c in callbacks] == [newer, older]
    assert callbacks[1] == {
        "id": older, "created_at": "2025-01-15T13:05:00+00:00", "first_name": "Ali", "phone": "22334455",
        "topic": "hjælp til job", "channel": "socketio", "status": "new", "handled_by": None,
        "updated_at": callbacks[1]["updated_at"],
    }
    assert datetime.datetime.fromisoformat(callbacks[1]["updated_at"]).tzinfo is not None


async def test_the_api_filters_by_status(admin, answer_store):
    add(answer_store, "Ali")
    answer_store.callbacks.set_status(add(answer_store, "Mette"), "done", "anna")
    done = (await ok(await admin.client.get("/admin/api/callbacks?status=done")))["callbacks"]
    assert [c["first_name"] for c in done] == ["Mette"]
    response = await admin.client.get("/admin/api/callbacks?status=afsluttet")
    assert response.status == 400
    assert "status" in (await response.json())["fejl"]


async def test_the_api_sets_the_status_in_the_staff_members_name(staff, answer_store):
    request_id = add(answer_store)
    changed = await ok(await staff.client.post(f"/admin/api/callbacks/{request_id}/status", json={"status": "taken"},
                                               headers=staff.headers()))
    assert (changed["id"], changed["status"], changed["handled_by"]) == (request_id, "taken", "bo")
    changed = await ok(await staff.client.post(f"/admin/api/callbacks/{request_id}/status", json={"status": "new"},
                                               headers=staff.headers()))
    assert (changed["status"], changed["handled_by"]) == ("new", None)
    assert audit.recent(answer_store.engine, limit=1)[0].user_name == "bo"


@pytest.mark.parametrize("path, body, status, message", [
    ("/admin/api/callbacks/{id}/status", {"status": "slettet"}, 400, "Feltet 'status' skal være en af"),
    ("/admin/api/callbacks/{id}/status", {"status": 2}, 400, "Feltet 'status' skal være en tekst"),
    ("/admin/api/callbacks/{id}/status", {}, 400, "Feltet 'status' mangler"),
    ("/admin/api/callbacks/{id}/status", [], 400, "JSON-objekt"),
    ("/admin/api/callbacks/999/status", {"status": "done"}, 404, "findes ikke"),
    ("/admin/api/callbacks/0/status", {"status": "done"}, 404, "findes ikke"),
    ("/admin/api/callbacks/x1/status", {"status": "done"}, 404, "findes ikke"),
], ids=["unknown status", "not text", "missing", "not an object", "unknown id", "id 0", "not a number"])
async def test_a_wrong_change_is_refused_in_danish_and_nothing_changes(admin, answer_store, path, body, status,
                                                                       message):
    request_id = add(answer_store)
    response = await admin.client.post(path.format(id=request_id), json=body, headers=admin.headers())
    assert response.status == status
    assert message in (await response.json())["fejl"]
    assert answer_store.callbacks.get(request_id).status == "new"


async def test_the_api_needs_a_login_and_the_csrf_token(aiohttp_client, admin, answer_store):
    request_id = add(answer_store)
    anonymous = await aiohttp_client(admin.client.server)
    assert (await anonymous.get("/admin/api/callbacks")).status == 401
    response = await admin.client.post(f"/admin/api/callbacks/{request_id}/status", json={"status": "taken"})
    assert response.status == 403
    assert answer_store.callbacks.get(request_id).status == "new"


def test_the_phone_number_in_the_openapi_document_is_8_digits():
    from bot.web.admin.openapi import document

    schema = document()["paths"]["/admin/api/callbacks"]["get"]["responses"]["200"]["content"]["application/json"]
    pattern = schema["schema"]["properties"]["callbacks"]["items"]["properties"]["phone"]["pattern"]
    assert re.match(pattern, "22334455") and not re.match(pattern, "2233 4455")
