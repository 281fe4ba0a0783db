"""Turn time under concurrent conversations, per pipeline, in one run.

    .venv/bin/python -m bench.concurrent_turns [--residents 20] [--seconds 40] [pipeline ...]

Each simulated resident holds a conversation of held-out questions over REST
with a pause of 0–2 s between turns, for a fixed time, against the real Rasa
server and action server serving that pipeline's model.
"""
import argparse
import asyncio
import random
import statistics
import time
import uuid

import aiohttp

from bench.heldout import examples
from bench.models import ensure_model
from bench.stack import serving

TURNS_PER_CONVERSATION = 5
MAX_PAUSE_SECONDS = 2.0


async def resident(url: str, texts: list, deadline: float, timings: list, errors: list, rng: random.Random):
    async with aiohttp.ClientSession() as session:
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


async def drive(url: str, residents: int, seconds: float, texts: list) -> dict:
    timings, errors = [], []
    deadline = time.monotonic() + seconds
    rng = random.Random(42)
    await asyncio.gather(*(resident(url, texts, deadline, timings, errors, random.Random(rng.random()))
                           for _ in range(residents)))
    timings.sort()
    return {
        "turns": len(timings),
        "turns_per_second": len(timings) / seconds,
        "p50": statistics.median(timings),
        "p95": timings[int(0.95 * (len(timings) - 1))],
        "errors": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("pipelines", nargs="*", default=["rasa_default", "ours"])
    args = parser.parse_args()
    texts = [e.text for e in examples()]
    results = {}
    for name in args.pipelines:
        with serving(ensure_model(name)) as client:
            for text in texts[:5]:
                client.turn("warm-up", text)
            results[name] = asyncio.run(drive(client.url, args.residents, args.seconds, texts))
    base = results[args.pipelines[0]]
    print(f"\n{args.residents} concurrent residents over REST, {args.seconds:.0f} s each, pauses 0–{MAX_PAUSE_SECONDS:.0f} s\n")
    print(f"| pipeline | turns/s | p50 ms | p95 ms | errors | p95 vs {args.pipelines[0]} |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['turns_per_second']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['errors']} "
              f"| {r['p95'] / base['p95']:.2f}× |")


if __name__ == "__main__":
    main()
