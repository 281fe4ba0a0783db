"""Turn time under concurrent conversations, per pipeline, in one run.

    .venv/bin/python -m bench.concurrent_turns [--residents 20] [--seconds 120] [--rounds 4] [pipeline ...]

Each simulated resident holds a conversation of held-out questions over REST
with a pause of 0–2 s between turns, against the real Rasa server and action
server serving that pipeline's model. All pipelines are served at once and
driven one at a time in rounds of ``seconds / rounds``, each round in a
different order: a pipeline measured first or during a busy spell of the
machine would otherwise look slower than it is. Timings are pooled per
pipeline over the rounds; the per-round p95 ratios show the spread.
"""
import argparse
import asyncio
import contextlib
import random
import statistics
import time
import uuid

import aiohttp

from bench.heldout import examples
from bench.models import ensure_model
from bench.report import percentile
from bench.stack import serving

TURNS_PER_CONVERSATION = 5
MAX_PAUSE_SECONDS = 2.0


async def resident(url: str, texts: list, deadline: float, timings: list, errors: list, rng: random.Random):
    async with aiohttp.ClientSession() as session:
        # Residents do not all press send in the same millisecond; a burst of every
        # resident's first turn at once would make up the p95 of a short round.
        await asyncio.sleep(rng.uniform(0, MAX_PAUSE_SECONDS))
        sender, turn = uuid.uuid4().hex, 0
        while time.monotonic() < deadline:
            if turn == TURNS_PER_CONVERSATION:
                sender, turn = uuid.uuid4().hex, 0
            start = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": rng.choice(texts)}) as response:
                    await response.read()
                    if response.status != 200:
                        errors.append(response.status)
            except aiohttp.ClientError as error:
                errors.append(type(error).__name__)
            timings.append((time.perf_counter() - start) * 1000)
            turn += 1
            await asyncio.sleep(rng.uniform(0, MAX_PAUSE_SECONDS))


async def drive(url: str, residents: int, seconds: float, texts: list, seed: int) -> dict:
    timings, errors = [], []
    deadline = time.monotonic() + seconds
    rng = random.Random(seed)  # the same residents and questions for every pipeline in a round
    await asyncio.gather(*(resident(url, texts, deadline, timings, errors, random.Random(rng.random()))
                           for _ in range(residents)))
    return {"timings": timings, "errors": len(errors)}


def rotated(names: list, round_number: int) -> list:
    shift = round_number % len(names)
    return names[shift:] + names[:shift]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120, help="per pipeline, over all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("pipelines", nargs="*", default=["rasa_default", "ours"])
    args = parser.parse_args()
    texts = [e.text for e in examples()]
    names = args.pipelines
    models = {name: ensure_model(name) for name in names}
    pooled = {name: {"timings": [], "errors": 0} for name in names}
    round_p95 = {name: [] for name in names}
    with contextlib.ExitStack() as stack:
        clients = {name: stack.enter_context(serving(models[name])) for name in names}
        for client in clients.values():
            for text in texts[:5]:
                client.turn("warm-up", text)
        for round_number in range(args.rounds):
            for name in rotated(names, round_number):
                result = asyncio.run(drive(clients[name].url, args.residents, args.seconds / args.rounds,
                                           texts, seed=42 + round_number))
                pooled[name]["timings"] += result["timings"]
                pooled[name]["errors"] += result["errors"]
                round_p95[name].append(percentile(result["timings"], 0.95))
    base = names[0]
    print(f"\n{args.residents} concurrent residents over REST, {args.seconds:.0f} s per pipeline in "
          f"{args.rounds} interleaved rounds, pauses 0–{MAX_PAUSE_SECONDS:.0f} s\n")
    print(f"| pipeline | turns/s | p50 ms | p95 ms | errors | p95 vs {base} | per round |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        timings = pooled[name]["timings"]
        ratios = [mine / theirs for mine, theirs in zip(round_p95[name], round_p95[base])]
        print(f"| {name} | {len(timings) / args.seconds:.1f} | {statistics.median(timings):.0f} "
              f"| {percentile(timings, 0.95):.0f} | {pooled[name]['errors']} "
              f"| {percentile(timings, 0.95) / percentile(pooled[base]['timings'], 0.95):.2f}× "
              f"| {' / '.join(f'{ratio:.2f}' for ratio in ratios)} |")


if __name__ == "__main__":
    main()
