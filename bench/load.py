"""Load: simulated residents over REST and socket.io, ours against the stock assistant.

    .venv/bin/python -m bench.load [--seconds 30] [--channels rest socketio] [--systems stock ours ...]
    .venv/bin/python -m bench.load --smoke     # short, ours only; exit code 1 on any error

Each level runs ``--seconds`` with that many residents holding the conversations
in bench/data/load_conversations.yml; "no pauses" finds the saturation
throughput. The baseline is the assistant `rasa init` creates (Rasa's own
example, its default pipeline, in-memory stores), served the same way on the
same machine in the same run. Figures go to bench/RESULTS.md (not in smoke mode).
"""
import argparse
import asyncio
import contextlib
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

from bench.memory import PeakMemory
from bench.models import ensure_model, ensure_stock_project
from bench.report import percentile, write_section
from bench.residents import Level, Tally, load
from bench.stack import RestClient, isolated_env, running, serving
from bot.config import PROJECT_ROOT
from bot.services import BIN, Service, assistant_services, free_port

LEVELS = [Level(1, 6), Level(10, 6), Level(50, 6), Level(200, 10)]
SATURATION = Level(32, 0)
SMOKE_LEVELS = [Level(1, 1), Level(10, 1)]
HEADING = "## Load (issue 9)"


@dataclass
class Served:
    base_url: str
    groups: Dict[str, int]  # process name → process group, for memory


def served_by(client: RestClient) -> Served:
    return Served(client.base_url, {s.name: s.process.pid for s in client.services})


@contextlib.contextmanager
def stock_assistant() -> Iterator[Served]:
    project, port = ensure_stock_project(), free_port()
    model = max((project / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    rasa = Service(
        "Rasa server",
        [str(BIN / "rasa"), "run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(port),
         # The same channels as ours (REST and socket.io, no SMS sections set).
         "--credentials", str(PROJECT_ROOT / "credentials.yml"), "--endpoints", str(project / "endpoints.yml")],
        f"http://127.0.0.1:{port}/",
    )
    with tempfile.TemporaryDirectory() as work, running([rasa], Path(work)):
        yield Served(f"http://127.0.0.1:{port}", {rasa.name: rasa.process.pid})


@contextlib.contextmanager
def our_assistant(workers: int = 1) -> Iterator[Served]:
    if workers == 1:
        with serving(ensure_model("ours")) as client:
            yield served_by(client)
        return
    # Several Sanic workers share one port; a lock store they share keeps each conversation's turns in order.
    from bench.servers.redis import RedisServer, binary

    redis = RedisServer(binary(), free_port()).start()
    try:
        with serving(ensure_model("ours"), {"SANIC_WORKERS": str(workers), "LOCK_STORE_URL": redis.url}) as client:
            yield served_by(client)
    finally:
        redis.stop()


@contextlib.contextmanager
def our_two_servers() -> Iterator[Served]:
    """Two Rasa servers and two action servers behind nginx, as when a second machine is added
    (here on the same two cores), sharing conversations, answer store and Redis lock store."""
    from bench.servers.nginx import NginxServer, assistant_proxy, binary as nginx_binary
    from bench.servers.redis import RedisServer, binary as redis_binary

    model, redis = ensure_model("ours"), RedisServer(redis_binary(), free_port()).start()
    proxy = NginxServer(nginx_binary(), free_port())
    rasa_ports, action_ports = [free_port(), free_port()], [free_port(), free_port()]
    try:
        with tempfile.TemporaryDirectory() as work:
            env = isolated_env(Path(work), {"LOCK_STORE_URL": redis.url,
                                            "ACTION_SERVER_URL": f"{proxy.url}/actions/webhook"})
            proxy.start(assistant_proxy(proxy.port, rasa_ports, action_ports))
            services = []
            for name, rasa_port, action_port in zip("ab", rasa_ports, action_ports):
                for service in assistant_services(rasa_port=rasa_port, action_port=action_port, model=model,
                                                  work_dir=Path(work) / name, env=env, host="127.0.0.1"):
                    service.name += f" {name}"
                    services.append(service)
            with running(services, Path(work)):
                yield Served(proxy.url, {s.name: s.process.pid for s in services})
    finally:
        proxy.stop()
        redis.stop()


SYSTEMS = {
    "stock": stock_assistant,
    "ours": our_assistant,
    "ours_2_workers": lambda: our_assistant(workers=2),
    "ours_2_servers": our_two_servers,
}


@dataclass
class Row:
    system: str
    channel: str
    level: Level
    tally: Tally
    peaks_mb: Dict[str, float]

    def p(self, share: float) -> float:
        return percentile(self.tally.latencies_ms, share) if self.tally.latencies_ms else float("nan")


async def warm_up(base_url: str) -> None:
    """First turns load lazily (model graph, database connections); not part of any level."""
    for channel in ("rest", "socketio"):
        await load(base_url, channel, Level(2, 0), seconds=3)


def measure(system: str, channels: List[str], levels: List[Level], seconds: float) -> List[Row]:
    rows = []
    with SYSTEMS[system]() as served:
        asyncio.run(warm_up(served.base_url))
        for channel in channels:
            for level in levels:
                with PeakMemory(served.groups) as memory:
                    tally = asyncio.run(load(served.base_url, channel, level, seconds))
                rows.append(Row(system, channel, level, tally, dict(memory.peaks_mb)))
                print(f"{system:15} {channel:8} {level.label:32} {tally.turns_per_second:6.1f} turns/s "
                      f"p95 {rows[-1].p(0.95):6.0f} ms errors {tally.error_count} {tally.errors or ''}", flush=True)
    return rows


def table(rows: List[Row], baseline: str) -> str:
    base = {(r.channel, r.level): r for r in rows if r.system == baseline}
    lines = [
        f"| system | channel | load | turns/s | p50 ms | p95 ms | p99 ms | errors | peak MB | turns/s vs {baseline} "
        f"| p95 vs {baseline} |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        b = base.get((r.channel, r.level))
        memory = " + ".join(f"{name.replace(' server', '')} {mb:.0f}" for name, mb in r.peaks_mb.items())
        ratios = (f"{r.tally.turns_per_second / b.tally.turns_per_second:.2f}× | {r.p(0.95) / b.p(0.95):.2f}×"
                  if b and b.tally.latencies_ms and r.tally.latencies_ms else "– | –")
        lines.append(
            f"| {r.system} | {r.channel} | {r.level.label} | {r.tally.turns_per_second:.1f} | {r.p(0.5):.0f} "
            f"| {r.p(0.95):.0f} | {r.p(0.99):.0f} | {r.tally.error_count} | {memory} | {ratios} |"
        )
    return "\n".join(lines)


def summary(rows: List[Row], baseline: str) -> str:
    """The figures the targets are about, per channel: saturation, p95 at 50 residents, errors at 200."""
    lines = []
    for channel in dict.fromkeys(r.channel for r in rows):
        at = {(r.system, r.level): r for r in rows if r.channel == channel}
        systems = list(dict.fromkeys(r.system for r in rows))
        base = at.get((baseline, SATURATION))
        saturation = ", ".join(
            f"{name} {at[name, SATURATION].tally.turns_per_second:.1f}"
            + (f" ({at[name, SATURATION].tally.turns_per_second / base.tally.turns_per_second:.2f}× {baseline})"
               if base and name != baseline else "")
            for name in systems if (name, SATURATION) in at)
        lines.append(f"- {channel}, saturation turns/s: {saturation}")
        if ("ours", SATURATION) in at and ("ours_2_servers", SATURATION) in at:
            two, one = at["ours_2_servers", SATURATION], at["ours", SATURATION]
            ratio = two.tally.turns_per_second / one.tally.turns_per_second
            lines.append(f"- {channel}, two Rasa servers behind nginx vs one: {ratio:.2f}×")
        p95 = ", ".join(f"{name} {at[name, LEVELS[2]].p(0.95):.0f}" for name in systems if (name, LEVELS[2]) in at)
        lines.append(f"- {channel}, {LEVELS[2].label}, p95 ms: {p95}")
        errors = ", ".join(f"{name} {at[name, LEVELS[3]].tally.errors or 0}" for name in systems if (name, LEVELS[3]) in at)
        lines.append(f"- {channel}, {LEVELS[3].label}, errors: {errors}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30, help="how long each level runs")
    parser.add_argument("--channels", nargs="+", default=["rest", "socketio"], choices=["rest", "socketio"])
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--smoke", action="store_true", help="10 s per level, 1 and 10 residents, ours only")
    args = parser.parse_args(argv)
    if args.smoke:
        rows = measure("ours", args.channels, SMOKE_LEVELS, seconds=10)
    else:
        rows = [row for system in args.systems
                for row in measure(system, args.channels, LEVELS + [SATURATION], args.seconds)]
    baseline = "ours" if args.smoke else args.systems[0]
    report = table(rows, baseline) + "\n\n" + summary(rows, baseline)
    print("\n" + report)
    errors = sum(r.tally.error_count for r in rows if r.system != "stock")  # the stock assistant's are its own
    if not args.smoke:
        seconds = f" --seconds {args.seconds:g}" if args.seconds != 30 else ""
        command = f"`.venv/bin/python -m bench.load{seconds}`"
        write_section(HEADING, f"{HEADING}\n\n{command}, {args.seconds:g} s per load level.\n\n{report}\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
