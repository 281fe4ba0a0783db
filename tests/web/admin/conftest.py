"""Staff admin fixtures: a web app on a fresh answer store, and logged-in clients."""
from dataclasses import dataclass

import pytest

from bot.config import PrivacySettings
from bot.web import WebConfig, create_app
from bot.web.admin.auth import COOKIE

ADMIN = ("anna", "anna-har-en-lang-kode")
STAFF = ("bo", "bo-har-ogsaa-en-lang-kode")


@dataclass
class LoggedIn:
    """A test client with a staff session; ``csrf`` goes with every change."""

    client: object
    csrf: str

    def headers(self, **extra) -> dict:
        return {"X-CSRF-Token": self.csrf, **extra}


@pytest.fixture
def conversations_dir(tmp_path):
    """Where the app looks for the conversation store (``conversations.db``; none until a test writes it)."""
    return tmp_path / "conversations"


@pytest.fixture
async def app_client(aiohttp_client, node_modules, answer_store, conversations_dir):
    answer_store.staff.add(*ADMIN, is_admin=True)
    answer_store.staff.add(*STAFF)
    app = create_app(WebConfig(node_modules=node_modules), answer_store, PrivacySettings(data_dir=conversations_dir))
    return await aiohttp_client(app)


async def log_in(client, answer_store, name: str, password: str) -> LoggedIn:
    response = await client.post("/admin/login", data={"name": name, "password": password, "next": "/admin"},
                                 allow_redirects=False)
    assert response.status == 303, await response.text()
    token = response.cookies[COOKIE].value
    return LoggedIn(client, answer_store.staff.session(token).csrf_token)


@pytest.fixture
async def admin(app_client, answer_store) -> LoggedIn:
    return await log_in(app_client, answer_store, *ADMIN)


@pytest.fixture
async def staff(aiohttp_client, app_client, answer_store) -> LoggedIn:
    """A second client (own cookie jar) logged in as a staff member who is not an administrator."""
    other = await aiohttp_client(app_client.server)
    return await log_in(other, answer_store, *STAFF)
