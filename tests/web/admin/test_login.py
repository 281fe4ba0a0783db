"""Logging in and out of the staff admin: limits, redirects, cookie flags, origin."""
import aiohttp
import pytest

from bot.answer_store import audit
from bot.web.admin.auth import COOKIE
from tests.web.admin.conftest import ADMIN, log_in


async def attempt(client, name, password, next_="/admin", **headers):
    return await client.post("/admin/login", data={"name": name, "password": password, "next": next_},
                             allow_redirects=False, headers=headers)


async def test_failed_logins_are_limited_and_recorded(app_client, answer_store):
    statuses = [(await attempt(app_client, "anna", "forkert-kode-123")).status for _ in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    response = await attempt(app_client, *ADMIN)
    assert response.status == 429 and "For mange forsøg" in await response.text()
    assert "login_refused" in {record.action for record in audit.recent(answer_store.engine)}


async def test_successful_logins_do_not_use_up_the_limit(app_client):
    for _ in range(8):  # staff sharing one office address
        assert (await attempt(app_client, *ADMIN)).status == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin", "/widget/x", ""])
async def test_after_login_only_admin_pages_are_reached(app_client, target):
    response = await attempt(app_client, *ADMIN, next_=target)
    assert response.headers["Location"] == "/admin"


async def test_the_session_cookie_is_locked_down(app_client):
    cookie = (await attempt(app_client, *ADMIN)).cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/admin"
    assert not cookie["secure"]  # plain http on loopback
    behind_tls = (await attempt(app_client, *ADMIN, **{"X-Forwarded-Proto": "https"})).cookies[COOKIE]
    assert behind_tls["secure"]


async def test_a_login_posted_from_another_site_is_refused(app_client):
    assert (await attempt(app_client, *ADMIN, Origin="https://evil.example")).status == 403


async def test_a_proxy_that_names_the_public_host_is_trusted_for_the_origin(app_client):
    response = await attempt(app_client, *ADMIN, Origin="https://svar.koege.dk",
                             **{"X-Forwarded-Host": "svar.koege.dk"})
    assert response.status == 303


async def test_a_file_instead_of_a_field_is_a_refused_login_not_an_error(app_client):
    form = aiohttp.FormData()
    form.add_field("name", "anna")
    form.add_field("password", b"x", filename="kode.txt")
    form.add_field("next", b"/admin", filename="next.txt")
    response = await app_client.post("/admin/login", data=form, allow_redirects=False)
    assert response.status == 401


async def test_logout_ends_the_session_on_the_server(app_client, answer_store):
    staff = await log_in(app_client, answer_store, *ADMIN)
    token = next(c.value for c in app_client.session.cookie_jar if c.key == COOKIE)
    response = await app_client.post("/admin/logout", headers=staff.headers(), allow_redirects=False)
    assert response.status == 303
    assert answer_store.staff.session(token) is None
    app_client.session.cookie_jar.clear()
    replayed = await app_client.get("/admin/api/entries", headers={"Cookie": f"{COOKIE}={token}"})
    assert replayed.status == 401
