"""Time the conversation store spends on one turn: load the conversation, add
the turn's events, save it. Ours (``ConversationStore`` on an SQLite file)
against Rasa's own ``SQLTrackerStore`` on the same kind of file, in one run.

    .venv/bin/python -m bench.store_turns [--conversations 50] [--turns 8] [--rounds 3]

Each round runs every store in turn (fresh files), so drift on a busy machine
hits both alike.
"""
import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.config import PROJECT_ROOT


def one_turn(turn: int) -> list:
    """What a question answered from the answer store adds to a conversation."""
    return [
        UserUttered("hvad er jobplaneten", {"name": "ask_initiative", "confidence": 0.93},
                    [{"entity": "initiative", "value": "jobplaneten"}]),
        SlotSet("initiative", "jobplaneten"),
        ActionExecuted("action_answer"),
        BotUttered("Jobplaneten hjælper dig med at finde job eller uddannelse. " * 3, {"turn": turn}),
        ActionExecuted("action_listen"),
    ]


async def hold_conversations(store, domain: Domain, conversations: int, turns: int) -> list:
    """Milliseconds per turn, conversations interleaved as under load."""
    timings = []
    for turn in range(turns):
        for number in range(conversations):
            start = time.perf_counter()
            tracker = await store.get_or_create_tracker(f"beboer-{number}")
            tracker.update_with_events(one_turn(turn), domain)
            await store.save(tracker)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def stores(folder: Path, domain: Domain) -> dict:
    from bot.rasa_server.conversation_store import ConversationStore

    return {
        "Rasa's SQLTrackerStore": SQLTrackerStore(domain, dialect="sqlite", db=str(folder / "rasa.db")),
        "ours": ConversationStore(domain, url=f"sqlite:///{folder / 'ours.db'}"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PRIVACY_KEY", "benchmark-only")
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    results: dict = {}
    for _ in range(args.rounds):
        # On the project's disk, not a RAM-backed /tmp: waiting for the disk is part of a turn.
        with tempfile.TemporaryDirectory(dir=PROJECT_ROOT / "var") as folder:
            for name, store in stores(Path(folder), domain).items():
                results.setdefault(name, []).extend(
                    asyncio.run(hold_conversations(store, domain, args.conversations, args.turns)))
                store.engine.dispose()
    print(f"\nConversation store, one turn (load + save), {args.conversations} conversations × "
          f"{args.turns} turns × {args.rounds} rounds\n")
    print("| store | p50 ms | p95 ms | mean ms |")
    print("|---|---|---|---|")
    for name, timings in results.items():
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"| {name} | {statistics.median(timings):.2f} | {p95:.2f} | {statistics.mean(timings):.2f} |")


if __name__ == "__main__":
    main()
