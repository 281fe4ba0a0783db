"""How long residents wait when a server dies: kill -9 each server of a running
``python -m bot run`` under a load of simulated residents, and time from the kill
to the first real answer again (the web app: to its readiness).

    .venv/bin/python -m bench.restarts [--rounds 2] [--residents 3]

The reference, measured in the same run: how long the whole assistant takes to
start cold (``python -m bot run`` until it says it is ready). Before the
servers were supervised, a killed server stopped everything until someone
started it again: that cold start plus the time to notice.
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Dict, List

from bench.faults import Residents, running_assistant, seconds_until

SERVERS = ("action server", "web app", "Rasa server")
GIVE_UP_S = 120


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="kills per server")
    parser.add_argument("--residents", type=int, default=3, help="simulated residents asking all the time")
    args = parser.parse_args()
    back: Dict[str, List[float]] = {server: [] for server in SERVERS}
    with tempfile.TemporaryDirectory() as work:
        started = time.monotonic()
        with running_assistant(Path(work)) as assistant:
            cold_start = time.monotonic() - started
            with Residents(assistant, args.residents) as residents:
                for round_number in range(args.rounds):
                    for server in SERVERS:
                        time.sleep(3)  # residents are served normally before the next kill
                        assistant.kill(server)
                        killed = time.monotonic()
                        if server == "web app":
                            probe = assistant.web_ready
                        else:
                            def probe(sender=f"probe-{server}-{round_number}"):
                                return "jobplaneten.dk" in assistant.turn(sender, "hvad er jobplaneten", 5).text
                        took = seconds_until(probe, killed, GIVE_UP_S)
                        back[server].append(took if took is not None else float("inf"))
                        print(f"  {server:14} killed, back after {back[server][-1]:.1f} s", flush=True)
    print(f"\nKill -9 under a load of {args.residents} residents, {args.rounds} round(s):")
    print(f"{'server':16}{'back after (median)':>22}{'worst':>10}")
    for server, seconds in back.items():
        print(f"{server:16}{statistics.median(seconds):>20.1f} s{max(seconds):>8.1f} s")
    print(f"{'reference':16}{cold_start:>20.1f} s   (whole assistant, cold start, same run)")
    print(f"Residents got: {dict(residents.kinds)}" + (f"; odd replies: {residents.odd[:3]}" if residents.odd else ""))


if __name__ == "__main__":
    main()
