"""A stand-in for Rasa's socketio channel that answers with hostile content.

It speaks the same protocol (session_request → session_confirm, user_uttered →
bot_uttered), so the widget cannot tell it from Rasa; it runs on loopback in
a thread of the test process. It also serves the pages that embed the widget
in these tests: from loopback, as Chromium lets only local pages reach a local
server (Local Network Access).
"""
import asyncio
import threading

import socketio
from aiohttp import web

from tests.conftest import free_port

HOSTILE_MESSAGES = [
    {"text": '<img src=x onerror="window.__pwned = 1">'},
    {"text": "<script>window.__pwned = 2</script>"},
    {"text": 'Klik: javascript:window.__pwned=3 eller <a href="javascript:window.__pwned=4">her</a>'},
    {"text": "[link](javascript:window.__pwned=5) data:text/html,<script>window.__pwned=6</script>"},
    {"text": "Godkendt: https://example.dk/sti?a=1. Mail: navn@example.dk. Ring 56 67 67 67 eller 112."},
    {"text": "Ikke https: http://example.dk ftp://example.dk https://user:pw@example.dk vbscript:x"},
    {"text": "A" * 9_950 + '<img src=x onerror="window.__pwned=7">'},
    {"text": 42},
    {"text": {"toString": "boom"}},
    {"attachment": {"type": "image", "payload": {"src": "javascript:window.__pwned=9"}}},
    {"text": "Sidste besked", "quick_replies": [
        {"title": '<b onmouseover="window.__pwned=8">fed</b>', "payload": "/greet"},
        {"title": 123, "payload": "/greet"},
        {"title": "ingen payload"},
    ]},
]
# Not even objects: the widget must ignore them.
MALFORMED = ["bare en tekst", None, 7, ["liste"]]


class StandInServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.received = []
        self.pages = {}
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("The stand-in socket.io server did not start")
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _shutdown(self):
        # Open connections first (a browser may still be connected), then the server.
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._runner.cleanup()

    def _serve(self):
        asyncio.set_event_loop(self._loop)
        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        app = web.Application()
        sio.attach(app)

        async def page(request):
            if request.path not in self.pages:
                raise web.HTTPNotFound()
            return web.Response(text=self.pages[request.path], content_type="text/html")

        app.router.add_get("/{name}", page)

        @sio.on("session_request")
        async def session_request(sid, data):
            await sio.emit("session_confirm", (data or {}).get("session_id"), room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid, data):
            self.received.append(data)
            if data.get("message") == "igen":
                await sio.emit("bot_uttered", {"text": "Stadig her."}, room=sid)
                return
            for message in MALFORMED + HOSTILE_MESSAGES:
                await sio.emit("bot_uttered", message, room=sid)

        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()
