"""Scale-out on real components: two Rasa servers and two action servers behind
nginx, sharing one PostgreSQL (conversations, answer data) and one Redis (Rasa's
lock store).

What this proves: any Rasa server can answer any turn of a conversation (context
lives in the tracker store, not in a server), and losing a Rasa server mid-load
loses no turn and no conversation. The last test kills a Rasa server: keep it last.
"""
import asyncio
import json
import os
import random
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List

import aiohttp
import pytest
import sqlalchemy as sa

from bot.answer_store import AnswerStore
from bot.config import AnswerStoreSettings
from bot.services import Service, assistant_services, free_port, prepare_answer_store, stop_all, wait_until_healthy
from tests.conftest import KNOWLEDGE_DIR, MODEL, Assistant
from tests.assistant.test_rest_conversations import CONVERSATIONS
from bench.servers.nginx import assistant_proxy
from tests.privacy.socket_client import SocketResident
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration

# Rasa's lock lifetime (seconds): a turn that was running on a killed server holds
# its conversation's lock this long; the turn retried on the other server waits for it.
LOCK_LIFETIME = 10
REST = "/webhooks/rest/webhook"


@dataclass
class ScaledStack:
    rasa: List[Assistant]  # each Rasa server on its own port, bypassing nginx
    proxy: Assistant  # nginx, in front of both
    rasa_services: List[Service]
    action_ports: List[int]
    env: dict
    access_log: Path


@pytest.fixture(scope="module")
def scaled(tmp_path_factory, postgres, redis, nginx):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it for you).")
    work = tmp_path_factory.mktemp("scale-out")
    proxy = nginx()
    rasa_ports, action_ports = [free_port(), free_port()], [free_port(), free_port()]
    env = {
        "TRACKER_DATABASE_URL": postgres.new_database(),
        "DATABASE_URL": postgres.new_database(),
        "LOCK_STORE_URL": redis.url,
        "ACTION_SERVER_URL": f"{proxy.url}/actions/webhook",
        "PRIVACY_KEY": "test-key",
        "DATA_DIR": str(work / "var"),
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME),
        "LIVE_CHAT_HOURS": "always",
    }
    prepare_answer_store(env)  # once, before two action servers could race to migrate and seed
    proxy.start(assistant_proxy(proxy.port, rasa_ports, action_ports))
    pairs = [
        # Own work_dir each: both endpoints files would otherwise have the same name (nginx's port).
        assistant_services(rasa_port=rasa_port, action_port=action_port, model=MODEL, work_dir=work / name,
                           env=env, host="127.0.0.1")
        for name, rasa_port, action_port in zip("ab", rasa_ports, action_ports)
    ]
    services = [service for pair in pairs for service in pair]
    logs = []
    try:
        for number, service in enumerate(services):
            logs.append(open(work / f"{number}-{service.name.replace(' ', '-')}.log", "wb"))
            service.start(log=logs[-1])
        wait_until_healthy(services, timeout=300)
        yield ScaledStack(rasa=[Assistant(port) for port in rasa_ports], proxy=Assistant(proxy.port),
                          rasa_services=[rasa for _, rasa in pairs], action_ports=action_ports, env=env,
                          access_log=proxy.access_log)
    finally:
        stop_all(services)
        proxy.keep_logs(work)  # next to the servers' logs, for when a test failed
        proxy.stop()
        for log in logs:
            log.close()


def missing(reply: str, facts: List[str]) -> List[str]:
    return [fact for fact in facts if fact not in reply]


# Follow-ups answerable only from what the previous turn left in the conversation.
FOLLOW_UPS = [
    ("hvad laver bestyrelsen", ["overordnede ansvar"]),
    ("hvem kan jeg kontakte om det", ["Kontakt om Bestyrelsen", "Rikke Willesen", "30 54 83 43"]),
    ("min søn søger fritidsjob", ["Fælles Fremtid", "Jobplaneten"]),
    ("fortæl mere om den første", ["Fælles Fremtid", "læreplads"]),
    ("har de en hjemmeside", ["ikke en hjemmeside for Fælles Fremtid"]),
]


def test_turns_alternating_between_servers_keep_context(scaled):
    sender = new_sender_id("alternate")
    for turn, (question, facts) in enumerate(FOLLOW_UPS):
        server = scaled.rasa[turn % 2]  # A, B, A, ...: every turn on the server that did not see the last one
        reply = server.text(sender, question)
        assert not missing(reply, facts), f"{'AB'[turn % 2]}: {question!r} → {reply!r} lacks {missing(reply, facts)}"
    # Without the earlier turns the same follow-up gets the general list of contacts:
    # the answers above did come from the conversation's context.
    fresh = scaled.rasa[1].text(new_sender_id("fresh"), "hvem kan jeg kontakte om det")
    assert "Kontakt om Bestyrelsen" not in fresh and "56 67 67 67" in fresh, fresh


def access_log_lines(scaled) -> List[str]:
    return scaled.access_log.read_text().splitlines() if scaled.access_log.exists() else []


def upstreams(line: str) -> List[str]:
    """The servers nginx passed a request to, in order (bench/servers/nginx.py's log format)."""
    return line.split(" upstream=", 1)[1].split(" upstream_status=", 1)[0].split(", ")


def test_both_action_servers_read_the_shared_answer_store(scaled):
    """A staff edit in the PostgreSQL answer store reaches residents through either action server."""
    store = AnswerStore.open(AnswerStoreSettings(database_url=scaled.env["DATABASE_URL"], seed_dir=KNOWLEDGE_DIR))
    seen_before = len(access_log_lines(scaled))
    job = store.entries.get("jobplaneten")
    new_text = "Jobplaneten har fået nye tilbud til unge i Hastrupparken (skaleringstest)."
    saved = store.entries.update("jobplaneten", {**job.data, "summary": new_text}, job.version, "test")
    try:
        for turn in range(4):
            reply = scaled.rasa[turn % 2].text(new_sender_id("store"), "hvad er jobplaneten")
            assert new_text in reply, reply
    finally:
        store.entries.restore("jobplaneten", job.version, saved.version, "test")
        store.close()
    action_calls = [line for line in access_log_lines(scaled)[seen_before:] if "/actions/webhook" in line]
    for port in scaled.action_ports:
        assert any(f"127.0.0.1:{port}" in upstreams(line) for line in action_calls), (port, action_calls)


async def socketio_turn(url: str, session_id: str, message: str) -> str:
    """One turn over socket.io's websocket transport (Engine.IO 4 frames), through nginx's upgrade."""
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket", timeout=10) as ws:

            async def receive(prefix: str) -> str:
                while True:
                    frame = await ws.receive_str(timeout=30)
                    if frame == "2":  # Engine.IO ping
                        await ws.send_str("3")
                    elif frame.startswith(prefix):
                        return frame

            await receive("0")  # Engine.IO open
            await ws.send_str("40")  # Socket.IO connect to the default namespace
            await receive("40")
            await ws.send_str("42" + json.dumps(["session_request", {"session_id": session_id}]))
            await receive('42["session_confirm"')
            await ws.send_str("42" + json.dumps(["user_uttered", {"message": message, "session_id": session_id}]))
            _, reply = json.loads((await receive('42["bot_uttered"'))[2:])
            return reply.get("text", "")


async def test_socketio_websockets_pass_through_nginx(scaled):
    """nginx upgrades /socket.io/ to a websocket; the conversation begun over REST continues there."""
    sender = new_sender_id("socket")
    assert "Rikke Willesen" in scaled.rasa[0].text(sender, "hvad laver bestyrelsen")
    reply = await socketio_turn(scaled.proxy.url, sender, "hvem kan jeg kontakte om det")
    assert "Kontakt om Bestyrelsen" in reply, reply


def test_a_live_chat_reaches_the_resident_on_whichever_server_holds_the_socket(scaled):
    """The queue is in the shared database: staff write once, the server holding the
    resident's socket delivers it; a message on the other server is not answered by the assistant."""
    store = AnswerStore.open(AnswerStoreSettings(database_url=scaled.env["DATABASE_URL"], seed_dir=KNOWLEDGE_DIR))
    resident = SocketResident(scaled.rasa[1].url)  # on server B
    try:
        assert any("i køen" in text for text in resident.ask("/live_chat"))
        chat = store.live_chats.open_for(resident.session_id)
        store.live_chats.take(chat.id, "mette")
        store.live_chats.send(chat.id, "mette", "Hej fra en medarbejder")
        deadline = time.monotonic() + 10
        while "Hej fra en medarbejder" not in [r.get("text") for r in resident.replies] and time.monotonic() < deadline:
            time.sleep(0.05)
        texts = [r.get("text") for r in resident.replies]
        assert texts.count("Hej fra en medarbejder") == 1, texts  # delivered once, by B
        assert scaled.rasa[0].ask(resident.session_id, "tak, jeg har et spørgsmål") == []  # A: for the staff member
        assert [m.text for m in store.live_chats.messages(chat.id) if m.kind == "resident"] == [
            "tak, jeg har et spørgsmål"]
        store.live_chats.end(chat.id, "mette")
    finally:
        resident.close()
        store.close()


def stored_user_messages(database_url: str, senders: List[str]) -> dict:
    engine = sa.create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id IN :senders"
                        " ORDER BY id").bindparams(sa.bindparam("senders", expanding=True)),
                {"senders": senders},
            ).all()
    finally:
        engine.dispose()
    stored = {sender: [] for sender in senders}
    for sender, data in rows:
        stored[sender].append(json.loads(data)["text"])
    return stored


def without_repeats(texts: List[str]) -> List[str]:
    """A turn retried after its server died just after saving it is stored twice in a row."""
    return [text for number, text in enumerate(texts) if number == 0 or texts[number - 1] != text]


RESIDENTS = 20
# A turn retried after its server died waits for that server's lock to expire,
# then takes its usual second or so; anything much longer is a turn stuck.
TURN_TIMEOUT = LOCK_LIFETIME + 20


async def test_killing_one_rasa_server_mid_load_loses_no_conversation(scaled):
    victim = scaled.rasa_services[0]
    # A conversation started on the server about to die, continued after its death.
    witness = new_sender_id("witness")
    assert "overordnede ansvar" in scaled.rasa[0].text(witness, "hvad laver bestyrelsen")

    conversations = list(CONVERSATIONS.values())
    residents = {new_sender_id("resident"): conversations[n % len(conversations)] for n in range(RESIDENTS)}
    total_turns = sum(len(turns) for turns in residents.values())
    answered = {sender: [] for sender in residents}  # (question, status, reply text) per sender
    a_third_done = asyncio.Event()

    async def resident(http: aiohttp.ClientSession, sender: str, turns) -> None:
        try:
            for question, _ in turns:
                await asyncio.sleep(random.uniform(0.05, 0.4))
                try:
                    payload = {"sender": sender, "message": question}
                    async with http.post(scaled.proxy.url + REST, json=payload) as response:
                        status, body = response.status, await response.text()
                except asyncio.TimeoutError:
                    status, body = f"no reply in {TURN_TIMEOUT} s", ""
                text = "\n".join(m.get("text", "") for m in json.loads(body)) if status == 200 else body
                answered[sender].append((question, status, text))
                if status != 200:
                    return  # the resident gives up
                if sum(map(len, answered.values())) >= total_turns // 3:
                    a_third_done.set()
        finally:
            a_third_done.set()  # a resident done (or failing) early must not leave the killer waiting for ever

    async def kill_a_server_mid_load() -> None:
        await a_third_done.wait()
        os.killpg(victim.process.pid, signal.SIGKILL)  # the whole process group, no chance to clean up
        await asyncio.to_thread(victim.process.wait)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT)) as http:
        await asyncio.gather(kill_a_server_mid_load(),
                             *(resident(http, sender, turns) for sender, turns in residents.items()))
    assert victim.exited() is not None

    failed = [(sender, turn) for sender, turns in answered.items() for turn in turns
              if turn[1] != 200 or not turn[2].strip()]
    assert not failed, f"turns without a reply (a retried turn stuck on its conversation's lock?): {failed}"
    wrong = [(question, text, missing(text, facts)) for sender, turns in residents.items()
             for (question, facts), (_, _, text) in zip(turns, answered[sender]) if missing(text, facts)]
    assert not wrong, wrong

    # nginx did fail over: some requests went to the dead server and then to the living one.
    retried = [line for line in access_log_lines(scaled) if REST in line and len(upstreams(line)) > 1]
    assert retried, "no request was retried on the other Rasa server"

    reply = scaled.proxy.text(witness, "hvem kan jeg kontakte om det")
    assert "Kontakt om Bestyrelsen" in reply, reply

    # Every message that got a reply is in the conversation, once and in order.
    stored = stored_user_messages(scaled.env["TRACKER_DATABASE_URL"], list(residents))
    for sender, turns in answered.items():
        assert without_repeats(stored[sender]) == [question for question, _, _ in turns], sender
