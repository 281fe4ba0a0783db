"""Peak memory of server processes while a benchmark runs.

Each service is started in a process group of its own (bot/services.py), so
a Rasa server's Sanic workers count with it. Read from /proc (Linux).
"""
import os
import threading
from typing import Dict

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def group_rss_bytes(pgid: int) -> int:
    """Resident memory of every process in process group ``pgid``."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                text = stat.read()
        except OSError:
            continue  # ended meanwhile
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, ... rss is 22nd
        if int(fields[2]) == pgid:
            total += int(fields[21]) * PAGE_BYTES
    return total


class PeakMemory:
    """Samples the process groups ``{name: pgid}`` in a thread until stopped; ``peaks_mb`` per name."""

    def __init__(self, groups: Dict[str, int], interval: float = 0.25):
        self.groups, self.interval = groups, interval
        self.peaks_mb = {name: 0.0 for name in groups}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            for name, pgid in self.groups.items():
                self.peaks_mb[name] = max(self.peaks_mb[name], group_rss_bytes(pgid) / 2**20)
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
