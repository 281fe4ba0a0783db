"""Random and hostile payloads on the REST and socket.io channels.

Bounded runs (a few hundred examples, seconds): no answer is a 5xx, no
handler crashes, and the server keeps answering residents afterwards.
"""
import json
import urllib.error
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.privacy.helpers import server_log
from tests.privacy.socket_client import SocketResident
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration

# Against a live server a failure is reported as found: shrinking it could take minutes.
NO_SHRINKING = [Phase.explicit, Phase.reuse, Phase.generate]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
hostile_texts = st.sampled_from([
    "", " ", "\x00", "\ud800", "a" * 2001, "æøå" * 700, "<script>alert(1)</script>", "' OR 1=1 --",
    "${jndi:ldap://x}", "/restart", "/ask_contact{\"x\": 1}", "{{7*7}}", "\u202e\u0000\uffff", "😀" * 500,
]) | st.text(max_size=300)
messages = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.text(max_size=300) | st.integers() | json_values,
        "message": hostile_texts | json_values,
        "metadata": json_values,
        "input_channel": json_values,
    },
)
rest_bodies = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    messages.map(lambda m: json.dumps(m).encode()),
    st.builds(lambda t: json.dumps({"sender": uuid.uuid4().hex, "message": t}).encode(), hostile_texts),
)
content_types = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", ""])


def post(url: str, body: bytes, content_type: str) -> int:
    headers = {"Content-Type": content_type} if content_type else {}
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@settings(max_examples=200, deadline=None, phases=NO_SHRINKING, suppress_health_check=[HealthCheck.too_slow])
@given(body=rest_bodies, content_type=content_types)
def test_rest_never_answers_5xx(stack, body, content_type):
    assert post(stack["assistant"].url, body, content_type) < 500


def test_rest_refusals_say_why_in_danish(assistant, sender):
    too_long = urllib.request.Request(
        f"{assistant.url}/webhooks/rest/webhook", json.dumps({"sender": sender, "message": "a" * 2001}).encode(),
        {"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(too_long, timeout=30)
    assert refused.value.code == 413
    assert "for lang" in json.loads(refused.value.read())[0]["text"]
    assert assistant.text(sender, "hvad er jobplaneten? " + "a" * 1979)  # exactly 2,000: answered


def test_one_flooding_sender_is_slowed_down_and_the_others_are_not(assistant, sender):
    statuses = []
    for _ in range(40):
        body = json.dumps({"sender": sender, "message": "hej"}).encode()
        statuses.append(post(assistant.url, body, "application/json"))
    assert 429 in statuses and set(statuses) <= {200, 429}
    assert "jobplaneten.dk" in assistant.text(new_sender_id("neighbour"), "hvad er jobplaneten")


socket_events = st.sampled_from(["user_uttered", "session_request", "bot_uttered", "message", "x" * 100])
socket_payloads = st.one_of(
    json_values, st.binary(max_size=2000), messages,
    st.builds(lambda t: {"message": t, "session_id": uuid.uuid4().hex}, hostile_texts),
    st.builds(lambda s: {"message": "hej", "session_id": s}, json_values),
)


@pytest.fixture
def fuzzing_socket(stack):
    resident = SocketResident(stack["assistant"].url)
    yield resident
    if resident.client.connected:
        resident.close()


@settings(max_examples=150, deadline=None, phases=NO_SHRINKING, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(event=socket_events, payload=socket_payloads)
def test_socketio_survives_hostile_payloads(fuzzing_socket, event, payload):
    fuzzing_socket.deliver(event, payload)
    assert fuzzing_socket.client.connected


def test_after_the_fuzzing_the_server_still_answers_and_no_handler_crashed(stack):
    resident = SocketResident(stack["assistant"].url)
    try:
        assert any("jobplaneten.dk" in r for r in resident.ask("hvad er jobplaneten"))
    finally:
        resident.close()
    assert "jobplaneten.dk" in stack["assistant"].text(new_sender_id("after"), "hvad er jobplaneten")
    rasa = next(service for service in stack["services"] if service.name == "Rasa server")
    assert rasa.exited() is None
    log = server_log(stack)
    assert "async handler error" not in log and "Exception occurred while handling uri" not in log


def test_a_huge_body_is_refused_without_an_error(assistant):
    body = json.dumps({"sender": "huge", "message": "a" * (3 * 1024 * 1024)}).encode()
    assert post(assistant.url, body, "application/json") == 413
