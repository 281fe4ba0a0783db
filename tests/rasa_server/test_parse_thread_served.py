"""The served model parses in worker threads, off the event loop, and gives exactly
what Rasa's own in-loop parse gives, also with many messages at once."""
import asyncio
import threading

import pytest

from bench.heldout import examples
from bot.rasa_server import parse_thread
from tests.conftest import MODEL

pytestmark = pytest.mark.integration

# Held-out questions (about half need the sentence vector) and hostile input
# (empty messages never get here: the channels answer them before Rasa does).
TEXTS = [e.text for e in examples()[::5]] + ["\x00\x01", "å" * 5000, "<script>alert(1)</script>"]


def load_agent():
    from rasa.core.agent import Agent

    parse_thread.install()  # as bot.rasa_server.install() does in the server
    return Agent.load(str(MODEL))


def essentials(parse_data):
    return parse_data["intent"], parse_data["entities"], parse_data.get("intent_ranking")


def test_parses_run_in_worker_threads_with_rasas_result():
    from rasa.core.channels import UserMessage

    threads = []

    async def parse_both_ways():
        agent = load_agent()
        processor = agent.processor
        graph_parse = processor._parse_message_with_graph

        def observed(*args, **kwargs):
            threads.append(threading.current_thread().name)
            return graph_parse(*args, **kwargs)

        processor._parse_message_with_graph = observed
        ours = [await agent.parse_message(text) for text in TEXTS]
        ours_threads = set(threads)
        threads.clear()
        rasas = [await parse_thread._original_parse_message(processor, UserMessage(text)) for text in TEXTS]
        return ours, ours_threads, rasas

    ours, ours_threads, rasas = asyncio.run(parse_both_ways())

    assert ours_threads and all(name.startswith("nlu") for name in ours_threads)
    assert set(threads) == {threading.current_thread().name}  # Rasa's own parse: on the loop's thread
    assert [essentials(p) for p in ours] == [essentials(p) for p in rasas]


def test_many_messages_at_once_are_understood_as_one_at_a_time():
    async def parse_all():
        agent = load_agent()
        one_at_a_time = [await agent.parse_message(text) for text in TEXTS]
        at_once = await asyncio.gather(*(agent.parse_message(text) for text in TEXTS * 3))
        return one_at_a_time, at_once

    one_at_a_time, at_once = asyncio.run(parse_all())

    assert [essentials(p) for p in at_once] == [essentials(p) for p in one_at_a_time] * 3


def test_the_event_loop_keeps_running_while_messages_are_parsed():
    long_question = "hvem kan jeg ringe til om hjælp til min søn der har det svært i skolen " * 6

    async def ticks_during_parses():
        agent = load_agent()
        await agent.parse_message("hej")  # the first parse loads lazily
        ticks, parsing = 0, True

        async def ticker():
            nonlocal ticks
            while parsing:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        for _ in range(5):
            await agent.parse_message(long_question)
        parsing = False
        await task
        return ticks

    # Parsed on the loop itself, the ticker would run only between parses (at most 6 times).
    assert asyncio.run(ticks_during_parses()) > 50
