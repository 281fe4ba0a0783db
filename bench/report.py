"""Shared by the benchmarks: percentiles and their sections in bench/RESULTS.md."""
from pathlib import Path
from typing import Sequence

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0.5 = median, 0.95 = p95)."""
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


def write_section(heading: str, section: str) -> None:
    """Replace the section under ``heading`` in bench/RESULTS.md (or add it); leave every other section alone."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if heading in text:
        start = text.index(heading)
        following = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("" if following == -1 else text[following + 1:])
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
