"""Quality gates on held-out data, through the served model."""


class BenchClient:
    """The served assistant as bench's evaluation code talks to it (``turn``: messages, time)."""

    def __init__(self, assistant):
        self.assistant = assistant

    def turn(self, sender, text):
        return self.assistant.ask(sender, text), 0.0
