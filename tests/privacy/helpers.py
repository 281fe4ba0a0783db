"""Reading what the stack's Rasa server stored and logged."""
import json
import sqlite3
from pathlib import Path
from typing import List


def conversation_db(stack) -> Path:
    return Path(stack["logs"]) / "var" / "conversations.db"


def stored_rows(stack, sender_id: str = None) -> List[str]:
    """Every stored event of ``sender_id`` (or of everyone), as stored."""
    with sqlite3.connect(conversation_db(stack)) as db:
        if sender_id is None:
            rows = db.execute("SELECT sender_id, data FROM events").fetchall()
            return [f"{sender} {data}" for sender, data in rows]
        rows = db.execute("SELECT data FROM events WHERE sender_id = ?", (sender_id,)).fetchall()
    return [data for (data,) in rows]


def stored_user_texts(stack, sender_id: str) -> List[str]:
    return [json.loads(data)["text"] for data in stored_rows(stack, sender_id) if json.loads(data)["event"] == "user"]


def server_log(stack) -> str:
    return (Path(stack["logs"]) / "Rasa-server.log").read_bytes().decode("utf-8", "replace")
