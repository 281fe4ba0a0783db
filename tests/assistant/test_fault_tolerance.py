"""Each server of a running ``python -m bot run`` killed in turn (SIGKILL) under a
load of residents: it is back within 30 s, the others go on, conversations keep
their context, no staff edit or callback request is lost, and what residents
got meanwhile was an answer, the Danish apology, or no connection (the widget
then shows its own Danish text)."""
import subprocess
import sys
import time

import pytest
import requests

from bench.faults import Residents, running_assistant, seconds_until
from bot.answer_store import AnswerStore
from bot.config import AnswerStoreSettings
from bot.knowledge import load_directory
from bot.web.admin.auth import COOKIE
from bot.web.health import SHARED_FOR_S
from tests.conftest import KNOWLEDGE_DIR

pytestmark = pytest.mark.integration

RECOVERY_S = 30
STAFF = ("driftstest", "en-lang-adgangskode-til-test")
# Killed in this order; the Rasa server last, as it takes longest to come back.
SERVERS = ("action server", "web app", "Rasa server")
CALLERS = ("Amina", "Bashir", "Carla")


def _add_staff(data_dir) -> None:
    subprocess.run([sys.executable, "-m", "bot", "users", "add", STAFF[0], "--admin", "--password-stdin"],
                   input=STAFF[1] + "\n", text=True, check=True, capture_output=True,
                   env={"DATA_DIR": str(data_dir), "DATABASE_URL": "", "PATH": ""})


def _log_in(web_url: str, store: AnswerStore) -> requests.Session:
    staff = requests.Session()
    response = staff.post(web_url + "/admin/login", data={"name": STAFF[0], "password": STAFF[1], "next": "/admin"},
                          allow_redirects=False, timeout=30)
    assert response.status_code == 303, response.text
    staff.headers["X-CSRF-Token"] = store.staff.session(staff.cookies[COOKIE]).csrf_token
    return staff


def _edit_summary(staff: requests.Session, web_url: str, summary: str) -> None:
    stored = staff.get(web_url + "/admin/api/entries/jobplaneten", timeout=30).json()
    response = staff.put(web_url + "/admin/api/entries/jobplaneten",
                         json={"version": stored["version"], "data": {**stored["data"], "summary": summary}},
                         timeout=30)
    assert response.status_code == 200, response.text


def _ask_for_callback(assistant, sender: str, name: str, phone: str) -> None:
    for message in ("ring mig op", name, phone, "hjælp til job", "ja"):
        reply = assistant.turn(sender, message)
    assert reply.kind == "answer" and f"Tak, {name}" in reply.text, reply


def test_each_server_killed_in_turn_comes_back_and_nothing_is_lost(tmp_path):
    data_dir = tmp_path / "var"
    _add_staff(data_dir)
    original = load_directory(KNOWLEDGE_DIR).entries["jobplaneten"].summary
    with running_assistant(tmp_path) as assistant, Residents(assistant) as residents:
        store = AnswerStore.open(AnswerStoreSettings(data_dir=data_dir, seed_dir=KNOWLEDGE_DIR))
        staff = _log_in(assistant.web_url, store)
        recovered = {}
        for number, server in enumerate(SERVERS):
            sender = f"context-{number}"
            assert "Fælles Fremtid" in assistant.turn(sender, "min søn søger fritidsjob").text
            _edit_summary(staff, assistant.web_url, f"{original} (Rettet {number + 1}. gang.)")
            _ask_for_callback(assistant, f"callback-{number}", CALLERS[number], f"22 33 44 5{number}")

            killed_pid = assistant.kill(server)
            if server == "Rasa server":
                time.sleep(SHARED_FOR_S + 0.5)  # past the readiness answer given before the kill
                health = requests.get(assistant.web_url + "/health", timeout=30)
                assert health.status_code == 503 and not health.json()["parts"]["rasa_server"]["ok"]
                # The admin's own readiness does not depend on Rasa: it keeps serving staff.
                assert requests.get(assistant.web_url + "/health/web", timeout=30).status_code == 200
            probe = assistant.web_ready if server == "web app" else \
                lambda: "jobplaneten.dk" in assistant.turn(f"probe-{number}", "hvad er jobplaneten", timeout=5).text
            recovered[server] = seconds_until(probe, time.monotonic(), timeout=RECOVERY_S + 30)
            assert recovered[server] is not None and recovered[server] <= RECOVERY_S, recovered
            assert assistant.pid_of(server) != killed_pid
            # The conversation from before the kill goes on: "dem" is still Fælles Fremtid.
            assert "56 67 67 67" in assistant.turn(sender, "hvordan kontakter jeg dem?").text
            # The staff login outlives every restart (sessions are in the answer store).
            assert staff.get(assistant.web_url + "/admin/api/entries", timeout=30).status_code == 200

        assert f"{original} (Rettet 3. gang.)" in assistant.turn("after", "hvad er jobplaneten").text
        assert requests.get(assistant.web_url + "/health", timeout=30).json()["status"] == "ready"
        history = staff.get(assistant.web_url + "/admin/api/entries/jobplaneten/history", timeout=30).json()
        store.close()
    store = AnswerStore.open(AnswerStoreSettings(data_dir=data_dir, seed_dir=KNOWLEDGE_DIR))
    try:
        assert sorted(r.first_name for r in store.callbacks.list()) == sorted(CALLERS)
        assert store.entries.get("jobplaneten").data["summary"].endswith("(Rettet 3. gang.)")
    finally:
        store.close()
    assert len(history["versions"]) == 4  # seeded, then three edits
    log = assistant.log.read_text(errors="replace")
    for server in SERVERS:
        assert f"The {server} stopped (exit code -9); starting it again" in log
    print(f"\nback after (s): { {s: round(t, 1) for s, t in recovered.items()} }; residents got: {dict(residents.kinds)}")
    assert not residents.odd, residents.odd
    assert residents.kinds["answer"] > 0 and set(residents.kinds) <= {"answer", "apology", "no connection"}
