"""Readiness that means ready: what each part of the assistant can do right now.

- ``GET /health``: every part (the Rasa server has a model and parses a message,
  the action server answers, the answer store and the conversation store can be
  read). 200 only when all can; 503 otherwise, naming the part. ``make run``
  waits for it before saying the assistant is ready.
- ``GET /health/web``: only this app's own parts (the two stores): what the web
  app needs to serve the admin. Its Kubernetes readiness probe uses it, so a
  Rasa restart does not take the admin away too.
- ``GET /health/live``: the process answers (liveness).

No personal data in any answer: a part's state, a Danish sentence when it
fails, and how long the check took. The full check is shared for a moment, so
many requests to this public URL cost the servers one check.
"""
import asyncio
import time
from dataclasses import dataclass
from typing import Awaitable, Callable, Dict, Optional
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp import web

from bot.web.keys import ANSWER_STORE, CONFIG, INSIGHTS

PART_TIMEOUT_S = 3.0
SHARED_FOR_S = 2.0  # one check serves every request within this long
RASA_READY_PATH = "/webhooks/ready/"  # bot/rasa_server/readiness.py


@dataclass
class Part:
    ok: bool
    detail: Optional[str] = None  # Danish, for the operator, when not ok
    took_ms: float = 0.0

    def as_json(self) -> Dict[str, object]:
        body: Dict[str, object] = {"ok": self.ok, "took_ms": round(self.took_ms, 1)}
        if self.detail:
            body["detail"] = self.detail
        return body


def _action_server_health_url(action_server_url: str) -> str:
    # The action server's webhook is .../webhook; rasa-sdk answers /health beside it.
    parts = urlsplit(action_server_url)
    path = parts.path.rsplit("/", 1)[0] + "/health"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


async def _timed(check: Callable[[], Awaitable[Optional[str]]]) -> Part:
    """Run ``check`` (returns None when fine, else what is wrong) within the time limit."""
    started = time.perf_counter()
    try:
        problem = await asyncio.wait_for(check(), PART_TIMEOUT_S)
    except asyncio.TimeoutError:
        problem = f"Svarer ikke inden for {PART_TIMEOUT_S:g} sekunder."
    except Exception as error:  # noqa: BLE001 - a failed check is a result, never a crash of /health
        problem = f"Fejl: {type(error).__name__}."
    return Part(ok=problem is None, detail=problem, took_ms=(time.perf_counter() - started) * 1000)


async def _http_ok(session: aiohttp.ClientSession, url: str) -> Optional[str]:
    try:
        async with session.get(url) as response:
            if response.status == 200:
                return None
            if response.content_type == "application/json":
                detail = (await response.json()).get("detail")
                if detail:
                    return str(detail)
            return f"Svarer med status {response.status}."
    except aiohttp.ClientConnectionError:
        return "Svarer ikke (ingen forbindelse)."


async def _in_thread(read: Callable[[], None]) -> Optional[str]:
    await asyncio.get_running_loop().run_in_executor(None, read)
    return None


class Health:
    """The checks, with one HTTP session for the app's lifetime."""

    def __init__(self, app: web.Application):
        self.app = app
        self._session: Optional[aiohttp.ClientSession] = None
        self._lock = asyncio.Lock()
        self._last: Optional[Dict[str, Part]] = None
        self._last_at = 0.0

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PART_TIMEOUT_S))
        return self._session

    async def close(self, _app=None) -> None:
        if self._session is not None:
            await self._session.close()

    async def stores(self) -> Dict[str, Part]:
        answer_store, insights = self.app[ANSWER_STORE], self.app[INSIGHTS]
        answer, conversations = await asyncio.gather(
            _timed(lambda: _in_thread(answer_store.check_readable)),
            _timed(lambda: _in_thread(insights.conversations.check_readable)),
        )
        return {"answer_store": answer, "conversation_store": conversations}

    async def everything(self) -> Dict[str, Part]:
        async with self._lock:
            if self._last is not None and time.monotonic() - self._last_at < SHARED_FOR_S:
                return self._last
            config = self.app[CONFIG]
            rasa, actions, stores = await asyncio.gather(
                _timed(lambda: _http_ok(self.session, config.rasa_url + RASA_READY_PATH)),
                _timed(lambda: _http_ok(self.session, _action_server_health_url(config.action_server_url))),
                self.stores(),
            )
            self._last, self._last_at = {"rasa_server": rasa, "action_server": actions, **stores}, time.monotonic()
            return self._last


def _answer(parts: Dict[str, Part]) -> web.Response:
    ready = all(part.ok for part in parts.values())
    return web.json_response(
        {"status": "ready" if ready else "not ready", "parts": {name: part.as_json() for name, part in parts.items()}},
        status=200 if ready else 503,
        headers={"Cache-Control": "no-store"},
    )


HEALTH = web.AppKey("health", Health)


async def health(request: web.Request) -> web.Response:
    return _answer(await request.app[HEALTH].everything())


async def health_web(request: web.Request) -> web.Response:
    return _answer(await request.app[HEALTH].stores())


async def health_live(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"}, headers={"Cache-Control": "no-store"})


def setup_health(app: web.Application) -> None:
    app[HEALTH] = checks = Health(app)
    app.on_cleanup.append(checks.close)
    app.router.add_get("/health", health, name="health")
    app.router.add_get("/health/web", health_web, name="health_web")
    app.router.add_get("/health/live", health_live, name="health_live")
