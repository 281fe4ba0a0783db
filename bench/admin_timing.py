"""How fast a staff member's edit reaches residents, and how fast the admin loads.

    .venv/bin/python -m bench.admin_timing [--edits 20] [--loads 20]

Starts the action server, Rasa server and web app on free loopback ports with
an answer store of their own, creates a staff account and logs in. Then:
- save → resident sees it: --edits times, change Jobplaneten's summary through
  the staff API (PUT /admin/api/entries/jobplaneten) and ask "hvad er
  jobplaneten" over the REST channel until the new text comes back; the time
  runs from sending the save to the answer with the new text. Baseline in the
  same run: the same question without an edit before it.
- admin page load: --loads requests each of the entry list and an entry's
  edit page, with the demo page as the baseline.
Prints a Markdown section and writes it to bench/RESULTS.md.
"""
import argparse
import http.cookiejar
import json
import statistics
import time
import urllib.request

from bench.report import percentile, write_section
from bench.stack import RestClient, serving_with_web
from bot.answer_store import AnswerStore
from bot.config import AnswerStoreSettings
from bot.web.admin.auth import COOKIE
from bench.models import SERVED_MODEL as MODEL

HEADING = "## Staff edits (issue 5)"
COMMAND = ".venv/bin/python -m bench.admin_timing"
QUESTION = "hvad er jobplaneten"
USER, PASSWORD = "bench", "bench-har-en-lang-kode"


class StaffClient:
    """A logged-in staff member talking to the web app over HTTP."""

    def __init__(self, web_url: str, store: AnswerStore):
        self.web_url = web_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        body = f"name={USER}&password={PASSWORD}&next=/admin".encode()
        self.opener.open(urllib.request.Request(f"{web_url}/admin/login", body), timeout=30).read()
        token = next(cookie.value for cookie in self.cookies if cookie.name == COOKIE)
        self.csrf = store.staff.session(token).csrf_token

    def get_ms(self, path: str) -> float:
        start = time.perf_counter()
        with self.opener.open(f"{self.web_url}{path}", timeout=30) as response:
            response.read()
        return (time.perf_counter() - start) * 1000

    def call(self, method: str, path: str, payload=None) -> dict:
        request = urllib.request.Request(
            f"{self.web_url}{path}", json.dumps(payload).encode() if payload is not None else None,
            {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}, method=method)
        with self.opener.open(request, timeout=30) as response:
            return json.loads(response.read())


def asked_ms(rest: RestClient, sender: str) -> float:
    return rest.turn(sender, QUESTION)[1]


def save_to_seen_ms(staff: StaffClient, rest: RestClient, text: str, sender: str) -> float:
    entry = staff.call("GET", "/admin/api/entries/jobplaneten")
    start = time.perf_counter()
    staff.call("PUT", "/admin/api/entries/jobplaneten", {"version": entry["version"],
                                                         "data": {**entry["data"], "summary": text}})
    for _ in range(100):
        messages, _ = rest.turn(sender, QUESTION)
        if any(text in m.get("text", "") for m in messages):
            return (time.perf_counter() - start) * 1000
    raise RuntimeError("The edit never reached the resident.")


def measure(staff: StaffClient, rest: RestClient, edits: int, loads: int) -> dict:
    for i in range(3):  # warm-up: model, action server, store
        asked_ms(rest, f"warm{i}")
    baseline = [asked_ms(rest, f"base{i}") for i in range(edits)]
    seen = [save_to_seen_ms(staff, rest, f"Jobplaneten, udgave {i} af teksten.", f"edit{i}") for i in range(edits)]
    pages = {path: [staff.get_ms(path) for _ in range(loads)]
             for path in ("/", "/admin", "/admin/entries/jobplaneten")}
    return {"baseline": baseline, "seen": seen, "pages": pages}


def row(label: str, values) -> str:
    return f"| {label} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} |"


def report(results: dict, edits: int, loads: int) -> str:
    pages = results["pages"]
    return "\n".join([
        HEADING, "",
        f"Measured with `{COMMAND}` (SQLite answer store, all servers on loopback).", "",
        "| figure | p50 (ms) | p95 (ms) |", "|---|---|---|",
        row(f"save in the staff API → resident's REST answer has the new text ({edits} edits)", results["seen"]),
        row(f"baseline: the same question, no edit before it ({edits} questions)", results["baseline"]),
        row(f"admin entry list `/admin` ({loads} loads)", pages["/admin"]),
        row(f"admin edit page `/admin/entries/jobplaneten` ({loads} loads)", pages["/admin/entries/jobplaneten"]),
        row(f"baseline: demo page `/` ({loads} loads)", pages["/"]),
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    with serving_with_web(MODEL) as stack:
        store = AnswerStore.open(AnswerStoreSettings.from_env(stack.env))
        try:
            store.staff.add(USER, PASSWORD)
            results = measure(StaffClient(stack.web_url, store), stack.rest, args.edits, args.loads)
        finally:
            store.close()
    section = report(results, args.edits, args.loads)
    print(section)
    write_section(HEADING, section)


if __name__ == "__main__":
    main()
