"""Where a turn's time goes: py-spy samples the Rasa server and the action server
while simulated residents keep them saturated over REST.

    .venv/bin/pip install -c requirements.lock -e '.[bench]'   # py-spy
    .venv/bin/python -m bench.profile_turns [--seconds 20] [--top 25] [--match REGEX]

Prints, per process, the share of samples spent in (below) each function,
largest first, leaving out the entry points every sample passes through:
what to make faster. ``--match`` keeps only functions whose file or name
matches, e.g. 'jsonschema|tracker_store|diet|policies|bot/|actions/'.
Raw profiles go to bench/.runs/.
"""
import argparse
import asyncio
import collections
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Counter

from bench.load import SATURATION, our_assistant, warm_up
from bench.residents import load
from bot.config import PROJECT_ROOT

RUNS = PROJECT_ROOT / "bench" / ".runs"
SITE_PACKAGES = re.compile(r"\(/.*?/site-packages/")
LINE = re.compile(r":\d+\)")


def inclusive_shares(raw: Path) -> (Counter, int):
    """Samples per function (file and name; lines merged), counting each function once per stack."""
    shares, total = collections.Counter(), 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        total += int(count)
        for frame in {LINE.sub(")", SITE_PACKAGES.sub("(", frame)) for frame in stack.split(";")[1:]}:
            shares[frame] += int(count)
    return shares, total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="regular expression a function's file or name must match")
    args = parser.parse_args(argv)
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if py_spy is None:
        print("py-spy is missing: .venv/bin/pip install -c requirements.lock -e '.[bench]'", file=sys.stderr)
        return 1
    RUNS.mkdir(parents=True, exist_ok=True)
    with our_assistant() as served:
        asyncio.run(warm_up(served.base_url))
        outputs = {name: RUNS / f"profile-{name.replace(' ', '-')}.txt" for name in served.groups}
        recorders = [subprocess.Popen([py_spy, "record", "--pid", str(pid), "--rate", "100", "--format", "raw",
                                       "--subprocesses", "--nonblocking", "--duration", str(int(args.seconds)),
                                       "-o", str(outputs[name])], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
                     for name, pid in served.groups.items()]
        tally = asyncio.run(load(served.base_url, "rest", SATURATION, args.seconds))
        for recorder in recorders:
            recorder.wait()
    print(f"{SATURATION.label} over REST: {tally.turns_per_second:.1f} turns/s (profiler attached)\n")
    for name, raw in outputs.items():
        shares, total = inclusive_shares(raw)
        print(f"{name}: {total} samples")
        shown = [(frame, count) for frame, count in shares.most_common()
                 if count < 0.9 * total and re.search(args.match, frame)]
        for frame, count in shown[:args.top]:
            print(f"  {100 * count / total:5.1f}%  {frame}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
