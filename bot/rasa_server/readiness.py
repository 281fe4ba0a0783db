"""``GET /webhooks/ready/`` on the Rasa server: 200 only when a model is loaded
and understands a message.

Rasa's own ``/`` answers as soon as the web server is up, long before the model
is loaded, and the server runs without ``--enable-api`` (so no ``/status``).
A channel is Rasa's documented way to add a route; credentials.yml names it.
The answer holds no personal data: the model's id and how long a parse took.
"""
import time
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

# A message every model understands somehow; its intent does not matter, only that parsing works.
PROBE_MESSAGE = "hej"


async def readiness(agent: Any) -> Dict[Text, Any]:
    """What the Rasa server can do right now, as the readiness answer's body."""
    if agent is None or not agent.is_ready():
        return {"ready": False, "detail": "Ingen model er indlæst endnu."}
    started = time.perf_counter()
    try:
        parsed = await agent.parse_message(PROBE_MESSAGE)
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", said plainly
        return {"ready": False, "detail": f"Modellen kunne ikke læse en besked ({type(error).__name__})."}
    if not (parsed.get("intent") or {}).get("name"):
        return {"ready": False, "detail": "Modellen gav ingen hensigt for en besked."}
    return {
        "ready": True,
        "model": agent.model_id,
        "parse_ms": round((time.perf_counter() - started) * 1000, 1),
    }


class ReadinessInput(InputChannel):
    """Not a channel residents write to: one GET route that says whether the server is ready."""

    @classmethod
    def name(cls) -> Text:
        return "ready"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ready = Blueprint("readiness", __name__)

        @ready.route("/", methods=["GET"])
        async def answer(request: Request) -> response.HTTPResponse:
            body = await readiness(getattr(request.app.ctx, "agent", None))
            return response.json(body, status=200 if body["ready"] else 503)

        return ready
