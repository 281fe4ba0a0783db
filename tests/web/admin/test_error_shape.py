"""Every JSON error of the web app has the same shape: {"fejl": Danish text, "kode": code, ...}."""
from bot.errors import STATUS_CODES


def assert_error(body: dict, code: str, *extra: str) -> None:
    assert set(body) == {"fejl", "kode", *extra}, body
    assert body["kode"] == code and body["fejl"] and body["fejl"][0].isupper()


async def test_admin_api_errors(aiohttp_client, app_client, staff):
    anonymous = await aiohttp_client(app_client.server)
    assert_error(await (await anonymous.get("/admin/api/entries")).json(), "ikke_logget_ind")
    assert_error(await (await staff.client.get("/admin/api/entries/findes_ikke")).json(), "findes_ikke")
    unreadable = await staff.client.post("/admin/api/entries", json={"id": "x"}, headers=staff.headers())
    assert unreadable.status == 400
    assert_error(await unreadable.json(), "ugyldig_anmodning")
    refused = await staff.client.post("/admin/api/entries", json={"data": {"id": "x"}}, headers=staff.headers())
    assert refused.status == 422
    assert_error(await refused.json(), "ugyldige_svardata", "problemer")
    current = await (await staff.client.get("/admin/api/entries/jobplaneten")).json()
    change = {"data": current["data"], "version": current["version"]}
    assert (await staff.client.put("/admin/api/entries/jobplaneten", json=change, headers=staff.headers())).ok
    conflict = await staff.client.put("/admin/api/entries/jobplaneten", json=change, headers=staff.headers())
    assert conflict.status == 409
    assert_error(await conflict.json(), "konflikt", "nuvaerende_version")
    forbidden = await staff.client.get("/admin/api/users")
    assert forbidden.status == 403
    assert_error(await forbidden.json(), "ingen_adgang")


async def test_unknown_addresses_asked_for_json(aiohttp_client, app_client, staff):
    anonymous = await aiohttp_client(app_client.server)
    for response in (await anonymous.get("/findes-ikke", headers={"Accept": "application/json"}),
                     await staff.client.get("/admin/api/findes-ikke")):
        assert response.status == 404
        assert_error(await response.json(), STATUS_CODES[404])
