"""What the SMS channels must remember across turns and restarts, in SQLite.

- seen message ids: a gateway that retries a webhook gets it processed once,
  also after a restart (kept for ``SEEN_TTL_SECONDS``);
- the options last offered to each sender, so a reply "2" can be mapped back;
  senders are stored only as keyed hashes (see ``sms_delivery.number_key``);
- the outbox: replies whose sending failed, kept until they are sent. They hold
  the phone number in clear because they must be sent to it; a row is deleted
  as soon as its reply is delivered. A reply given up on keeps only the keyed
  hash of the number (what the logs show) and is deleted by the privacy
  retention (``delete_given_up``).
"""
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Tuple

# GatewayAPI retries an undelivered webhook for at least 24 hours.
SEEN_TTL_SECONDS = 48 * 3600
# A numbered list older than this is no longer what "2" refers to.
OPTIONS_TTL_SECONDS = 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen_message (
    channel TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (channel, message_id)
);
CREATE TABLE IF NOT EXISTS last_options (
    sender_key TEXT PRIMARY KEY,
    titles TEXT NOT NULL,
    payloads TEXT NOT NULL,
    saved_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sender TEXT,
    message TEXT NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    last_error TEXT,
    given_up INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass
class OutboxItem:
    id: int
    channel: str
    recipient: str
    sender: Optional[str]
    message: str
    created_at: float
    attempts: int


class SmsStore:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.clock = clock
        # One connection used from the server's event loop thread only.
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # --- idempotency ---------------------------------------------------------

    def first_time(self, channel: str, message_id: str) -> bool:
        """True the first time a message id is seen on a channel, False after."""
        now = self.clock()
        self._db.execute("DELETE FROM seen_message WHERE seen_at < ?", (now - SEEN_TTL_SECONDS,))
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO seen_message (channel, message_id, seen_at) VALUES (?, ?, ?)",
            (channel, str(message_id), now),
        )
        return cursor.rowcount == 1

    # --- numbered options ---------------------------------------------------

    def remember_options(self, sender_key: str, titles: List[str], payloads: List[str]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO last_options (sender_key, titles, payloads, saved_at) VALUES (?, ?, ?, ?)",
            (sender_key, json.dumps(titles), json.dumps(payloads), self.clock()),
        )

    def last_options(self, sender_key: str) -> Optional[Tuple[List[str], List[str]]]:
        """(titles, payloads) last offered to the sender, or None."""
        row = self._db.execute(
            "SELECT titles, payloads FROM last_options WHERE sender_key = ? AND saved_at >= ?",
            (sender_key, self.clock() - OPTIONS_TTL_SECONDS),
        ).fetchone()
        return (json.loads(row[0]), json.loads(row[1])) if row else None

    # --- outbox --------------------------------------------------------------

    def keep_for_retry(
        self, channel: str, recipient: str, sender: Optional[str], message: str, error: str, retry_in: float
    ) -> int:
        now = self.clock()
        cursor = self._db.execute(
            "INSERT INTO outbox (channel, recipient, sender, message, created_at, attempts, next_attempt_at,"
            " last_error) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
            (channel, recipient, sender, message, now, now + retry_in, error),
        )
        return cursor.lastrowid

    def due(self, channel: str) -> List[OutboxItem]:
        rows = self._db.execute(
            "SELECT id, channel, recipient, sender, message, created_at, attempts FROM outbox"
            " WHERE channel = ? AND given_up = 0 AND next_attempt_at <= ? ORDER BY id",
            (channel, self.clock()),
        ).fetchall()
        return [OutboxItem(*row) for row in rows]

    def pending(self, channel: Optional[str] = None) -> int:
        query = "SELECT COUNT(*) FROM outbox WHERE given_up = 0"
        args: tuple = ()
        if channel:
            query, args = query + " AND channel = ?", (channel,)
        return self._db.execute(query, args).fetchone()[0]

    def delivered(self, item_id: int) -> None:
        self._db.execute("DELETE FROM outbox WHERE id = ?", (item_id,))

    def failed_again(self, item_id: int, error: str, retry_in: float) -> None:
        self._db.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
            (self.clock() + retry_in, error, item_id),
        )

    def give_up(self, item_id: int, error: str, recipient_key: str = "") -> None:
        """Stop retrying. The row stays so an operator can see what was lost, but
        the phone number is replaced by ``recipient_key`` (its keyed hash, as in
        the logs, or nothing): it is no longer needed to send anything."""
        self._db.execute(
            "UPDATE outbox SET given_up = 1, last_error = ?, recipient = ? WHERE id = ?",
            (error, recipient_key, item_id),
        )

    def delete_given_up(self, older_than: float) -> int:
        """Delete replies given up on that were created before ``older_than``
        (a Unix time). Returns how many."""
        cursor = self._db.execute("DELETE FROM outbox WHERE given_up = 1 AND created_at < ?", (older_than,))
        return cursor.rowcount
