"""Cold start: from typing `make run` on a set-up machine to the first answer.

    .venv/bin/python -m bench.cold_start [--runs 3]

Each run starts `make run` (model already trained) with its own ports and data
folder and asks "hej" over REST until an answer comes; the baseline is the
stock `rasa init` assistant started with `rasa run` the same way.
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import List

from bench.models import ensure_model, ensure_stock_project
from bench.report import write_section
from bot.config import PROJECT_ROOT
from bot.services import BIN, free_port

HEADING = "## Cold start (issue 9)"


def answered(port: int) -> bool:
    body = json.dumps({"sender": "coldstart", "message": "hej"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", body,
                                     {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status == 200 and bool(json.loads(response.read()))
    except (urllib.error.URLError, ConnectionError, OSError, ValueError):
        return False


def time_to_answer(command: List[str], port: int, env: dict, cwd: Path) -> float:
    """Seconds from starting ``command`` until the first answer over REST."""
    with tempfile.TemporaryFile() as output:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while not answered(port):
                if process.poll() is not None:
                    output.seek(0)
                    raise RuntimeError(f"{command[0]} stopped:\n{output.read().decode(errors='replace')[-3000:]}")
                time.sleep(0.1)
            return time.monotonic() - start
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(60)


def ours(work: Path) -> float:
    rasa_port = free_port()
    env = {"RASA_PORT": str(rasa_port), "ACTION_PORT": str(free_port()), "WEB_PORT": str(free_port()),
           "DATA_DIR": str(work / "var"), "DATABASE_URL": "", "TRACKER_DATABASE_URL": ""}
    return time_to_answer(["make", "--no-print-directory", "run"], rasa_port, env, PROJECT_ROOT)


def stock() -> float:
    project, port = ensure_stock_project(), free_port()
    command = [str(BIN / "rasa"), "run", "--port", str(port), "--interface", "127.0.0.1",
               "--credentials", str(PROJECT_ROOT / "credentials.yml"), "--endpoints", "endpoints.yml"]
    return time_to_answer(command, port, {}, project)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    ensure_model("ours")  # set-up and training are not part of a cold start
    timings = {"stock `rasa init` assistant (`rasa run`)": [], "ours (`make run`)": []}
    for _ in range(args.runs):
        timings["stock `rasa init` assistant (`rasa run`)"].append(stock())
        with tempfile.TemporaryDirectory() as work:
            timings["ours (`make run`)"].append(ours(Path(work)))
    lines = ["| system | first answer, median s | runs (s) |", "|---|---|---|"]
    for name, values in timings.items():
        lines.append(f"| {name} | {statistics.median(values):.1f} | {', '.join(f'{v:.1f}' for v in values)} |")
    report = "\n".join(lines)
    print(report)
    command = "`.venv/bin/python -m bench.cold_start" + (f" --runs {args.runs}" if args.runs != 3 else "") + "`"
    write_section(HEADING, f"{HEADING}\n\n{command}; the model is trained beforehand.\n\n{report}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
