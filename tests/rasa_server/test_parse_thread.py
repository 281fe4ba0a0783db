"""Parses hold the pipeline one at a time, except while one waits for a sentence
vector: then another parse may use the pipeline."""
import threading
import time

from bot.rasa_server import parse_thread
from bot.rasa_server.parse_thread import PIPELINE, pipeline_released

TIMEOUT = 10


class Processor:
    """Stands in for Rasa's processor: runs ``steps`` as its pipeline and records them."""

    def __init__(self, name, steps, log):
        self.name, self.steps, self.log = name, steps, log

    def _parse_message_with_graph(self, *args):
        self.log.append((self.name, "start", PIPELINE.locked()))
        self.steps()
        self.log.append((self.name, "end", PIPELINE.locked()))
        return {"text": self.name}


def test_outside_a_workers_parse_releasing_changes_nothing():
    with pipeline_released():
        assert not PIPELINE.locked()
    assert not PIPELINE.locked()


def test_a_parse_waiting_for_its_vector_lets_another_parse_through():
    log, vector_wanted, other_done = [], threading.Event(), threading.Event()

    def waits_for_vector():
        with pipeline_released():
            vector_wanted.set()
            assert other_done.wait(TIMEOUT), "the other parse did not get the pipeline"
            log.append(("a", "vector", PIPELINE.locked()))

    def quick():
        other_done.set()

    a = parse_thread._parsers.submit(parse_thread._parse, Processor("a", waits_for_vector, log))
    assert vector_wanted.wait(TIMEOUT)
    b = parse_thread._parsers.submit(parse_thread._parse, Processor("b", quick, log))

    assert a.result(TIMEOUT) == {"text": "a"} and b.result(TIMEOUT) == {"text": "b"}
    assert log[:3] == [("a", "start", True), ("b", "start", True), ("b", "end", True)]
    assert log[3][:2] == ("a", "vector") and log[4] == ("a", "end", True)  # the pipeline is a's again
    assert not PIPELINE.locked()


def test_without_a_vector_parses_take_turns():
    log, started = [], threading.Event()

    def slow():
        started.set()
        time.sleep(0.2)

    first = parse_thread._parsers.submit(parse_thread._parse, Processor("first", slow, log))
    assert started.wait(TIMEOUT)
    second = parse_thread._parsers.submit(parse_thread._parse, Processor("second", lambda: None, log))
    first.result(TIMEOUT), second.result(TIMEOUT)

    assert [entry[:2] for entry in log] == [("first", "start"), ("first", "end"), ("second", "start"),
                                            ("second", "end")]


def test_a_failing_parse_gives_the_pipeline_back():
    def fails():
        raise ValueError("broken component")

    failed = parse_thread._parsers.submit(parse_thread._parse, Processor("x", fails, []))

    assert isinstance(failed.exception(TIMEOUT), ValueError)
    assert not PIPELINE.locked()
