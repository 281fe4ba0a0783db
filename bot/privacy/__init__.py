"""Residents' privacy: what is removed, what is kept, and for how long.

- ``redaction``: finds CPR, card and phone numbers and e-mails in text (pure).
- ``entrance``: applies it to every message, on every channel, before Rasa
  parses, stores or logs it, and tells the resident kindly (``phrases.yml``).
- ``logs``: scrubs every log record; senders appear only hashed.
- ``tracker_store``: the conversation store (SQLite or PostgreSQL), which
  survives restarts and installs the entrance when Rasa loads it.
- ``retention``: deletes conversations after ``RETENTION_DAYS`` (30).
- ``channels`` and ``rate_limit``: size, payload and per-sender rate checks
  on Rasa's REST and socket.io channels.
"""
