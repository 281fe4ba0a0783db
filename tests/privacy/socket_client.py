"""A resident in the widget's place: Rasa's socket.io protocol, over polling."""
import threading
import time
from typing import Any, List

import socketio

from tests.senders import new_sender_id

REPLY_TIMEOUT = 30
QUIET_SECONDS = 1.5


class SocketResident:
    def __init__(self, url: str, session_id: str = None):
        self.session_id = session_id or new_sender_id("sock")
        self.replies: List[dict] = []
        self._changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self._on_reply)
        self.client.on("session_confirm", lambda data: None)
        # The engine.io client's websocket transport needs a newer aiohttp than Rasa's; the widget
        # uses websockets, the protocol above them is the same.
        self.client.connect(url, transports=["polling"], socketio_path="socket.io", wait_timeout=10)
        self.client.emit("session_request", {"session_id": self.session_id})

    def _on_reply(self, data: Any) -> None:
        with self._changed:
            self.replies.append(data)
            self._changed.notify_all()

    def deliver(self, event: str, data: Any) -> None:
        """Emit and wait until the server has handled it, so that polling does not
        batch more packets into one request than engine.io takes. Events with a
        handler are acknowledged; for the others a short pause does."""
        if event in ("user_uttered", "session_request"):
            self.client.call(event, data, timeout=30)
        else:
            self.client.emit(event, data)
            self.client.sleep(0.05)

    def ask(self, message: str) -> List[str]:
        """Send a message; the texts of the replies, once they have stopped coming."""
        before = len(self.replies)
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})
        deadline = time.monotonic() + REPLY_TIMEOUT
        with self._changed:
            while len(self.replies) == before and time.monotonic() < deadline:
                self._changed.wait(0.2)
            while self._changed.wait(QUIET_SECONDS):
                pass
        return [r.get("text", "") if isinstance(r, dict) else str(r) for r in self.replies[before:]]

    def close(self) -> None:
        self.client.disconnect()
