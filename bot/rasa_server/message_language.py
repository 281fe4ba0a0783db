"""Each message to the widget says its language and direction.

The widget sets ``lang`` and ``dir`` on each message from them (WCAG 2.1
3.1.2, language of parts): Arabic, Farsi and Urdu replies read right to
left, a Danish reply inside an English conversation is read by a screen
reader with Danish pronunciation. The language is read from the message's own
text (``bot.language.detect``; Danish when it cannot be told): a turn can hold
a sentence in Arabic and an answer in Danish, each its own message.

Installed by ``bot.rasa_server.install()`` around
``SocketIOOutput._send_message``, through which Rasa 3.6 sends every message
of the socket.io channel.
"""
from typing import Any, Dict

from rasa.core.channels.socketio import SocketIOOutput

from bot.language.detect import DANISH, detect, is_right_to_left


def marked(response: Any) -> Any:
    """``response`` with ``lang`` and ``dir`` for its text (a copy; other messages unchanged)."""
    if not isinstance(response, dict) or not isinstance(response.get("text"), str):
        return response
    language = detect(response["text"]) or DANISH
    return {**response, "lang": language, "dir": "rtl" if is_right_to_left(language) else "ltr"}


_send_unmarked = None


async def _send_marked(self: SocketIOOutput, socket_id: str, response: Dict[str, Any]) -> None:
    await _send_unmarked(self, socket_id, marked(response))


def install() -> None:
    """Mark every socket.io message with its language. Idempotent."""
    global _send_unmarked
    if _send_unmarked is None:
        _send_unmarked = SocketIOOutput._send_message
        SocketIOOutput._send_message = _send_marked
