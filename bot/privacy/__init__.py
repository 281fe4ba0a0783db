"""Residents' privacy: what is removed, what is kept, and for how long.

- ``redaction``: finds CPR, card and phone numbers and e-mails in text (pure).
- ``logs``: scrubs every log record; senders appear only hashed.
- ``retention``: deletes conversations after ``RETENTION_DAYS`` (30).
- ``rate_limit``: per-sender flood limits.
- ``phrases``: what the resident is told, in Danish (``phrases.yml``).

Where they are applied in the Rasa server (the entrance, the channel checks,
the conversation store) is ``bot.rasa_server``.
"""
