"""The staff JSON API fuzzed from its own OpenAPI document (schemathesis).

The real web app runs on loopback in a background thread, on a fresh answer
store; a staff administrator logs in over HTTP. Every operation the document
describes gets well-formed (positive) and malformed (negative) requests, all
with the session cookie and CSRF token. No request may give a server error,
and every response must be one the document describes, in its shape.
"""
import asyncio
import collections
import threading
import time

import pytest
import requests
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from bot.config import PrivacySettings
from bot.services import free_port
from bot.web import WebConfig, create_app
from bot.web.admin.auth import COOKIE
from bot.web.admin.openapi import document
from tests.conversations import days_ago, session, turn, write_conversations

pytestmark = pytest.mark.integration

ADMIN = ("fuzz_admin", "fuzz-admin-har-en-lang-kode")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 25}


class ServedApp:
    """An aiohttp app served on loopback by its own event loop in a daemon thread."""

    def __init__(self, app: web.Application):
        self.app, self.port = app, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app)
        self.thread = threading.Thread(target=self._serve, name="admin-api-fuzz", daemon=True)
        self.started = threading.Event()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
        self.started.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runner.cleanup())
        self.loop.close()

    def __enter__(self) -> "ServedApp":
        self.thread.start()
        assert self.started.wait(30), "the web app did not start"
        return self

    def __exit__(self, *_) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


@pytest.fixture
def served(answer_store, node_modules, tmp_path):
    answer_store.staff.add(*ADMIN, is_admin=True)
    # A few conversations, so the inbox and dashboard have something to read.
    (tmp_path / "conversations").mkdir()
    t = days_ago(1)
    write_conversations(tmp_path / "conversations" / "conversations.db", {
        "a": session(t) + turn("hvad er jobplaneten", "ask_initiative", t + 1)
        + turn("må jeg grille på altanen", "nlu_fallback", t + 2, confidence=0.4, action="action_fallback"),
        "b": session(t) + turn("hvor er vaskeriet", "out_of_scope", t + 1, channel="rest"),
    })
    app = create_app(WebConfig(node_modules=node_modules), answer_store,
                     PrivacySettings(data_dir=tmp_path / "conversations"))
    with ServedApp(app) as served:
        yield served


def log_in(served: ServedApp, answer_store) -> dict:
    """The session cookie (from a real login over HTTP) and the session's CSRF token."""
    response = requests.post(f"{served.url}/admin/login", allow_redirects=False, timeout=10,
                             data={"name": ADMIN[0], "password": ADMIN[1], "next": "/admin"})
    assert response.status_code == 303, response.text
    token = response.cookies[COOKIE]
    return {"cookies": {COOKIE: token}, "headers": {"X-CSRF-Token": answer_store.staff.session(token).csrf_token}}


def fuzz(operation, mode: GenerationMode, base_url: str, credentials: dict, statuses: collections.Counter) -> None:
    examples = operation.get_strategies_from_examples() if mode is GenerationMode.POSITIVE else []
    strategy = st.one_of([operation.as_strategy(generation_mode=mode), *examples])

    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        response = case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=10,
                                          headers=dict(credentials["headers"]), cookies=dict(credentials["cookies"]))
        statuses[response.status_code] += 1

    run()


def test_the_api_survives_fuzzing_from_its_own_openapi_document(served, answer_store):
    credentials = log_in(served, answer_store)
    anonymous = requests.get(f"{served.url}/admin/api/openapi.json", timeout=10)
    assert anonymous.status_code == 401
    schema = schemathesis.openapi.from_url(f"{served.url}/admin/api/openapi.json", timeout=10,
                                           cookies=credentials["cookies"])
    operations = [result.ok() for result in schema.get_all_operations()]
    # Everything the document describes, except the document itself (schemathesis leaves it out).
    described = {f"{method.upper()} {path}" for path, item in document()["paths"].items() for method in item}
    assert {operation.label for operation in operations} == described - {"GET /admin/api/openapi.json"}

    started = time.monotonic()
    statuses = {}
    for operation in operations:
        for mode in EXAMPLES:
            counted = statuses[operation.label, mode.value] = collections.Counter()
            fuzz(operation, mode, served.url, credentials, counted)

    # Not vacuous: every operation was called in both modes; well-formed requests always went in
    # as the logged-in administrator (negative ones may drop the cookie or token: 401/403) and
    # got past the checks to real answers.
    assert all(sum(counted.values()) > 0 for counted in statuses.values()), statuses
    positive = sum((c for (_, mode), c in statuses.items() if mode == "positive"), collections.Counter())
    assert positive[401] == 0 and positive[403] == 0, statuses
    everything = sum(statuses.values(), collections.Counter())
    positive_ok = {label for (label, mode), counted in statuses.items()
                   if mode == "positive" and any(200 <= status < 300 for status in counted)}
    assert {"GET /admin/api/entries", "GET /admin/api/entries/{id}", "GET /admin/api/entries/{id}/history",
            "GET /admin/api/export", "GET /admin/api/users", "GET /admin/api/audit",
            "POST /admin/api/preview", "POST /admin/api/users", "GET /admin/api/inbox",
            "GET /admin/api/dashboard", "GET /admin/api/entries/{id}/translations",
            "GET /admin/api/fixed-translations", "POST /admin/api/fixed-translations/{language}/reviews"
            } <= positive_ok, statuses
    assert sum(everything.values()) >= len(operations) * 20
    # The answer data is still whole: the assistant can answer from it.
    assert answer_store.knowledge_store().current().fallback_contact.id == "koege_kommune"
    print(f"\n{sum(everything.values())} requests in {time.monotonic() - started:.0f} s: {dict(everything)}")
