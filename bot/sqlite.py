"""SQLite files as the project's stores use them on one machine (PostgreSQL
takes over when several machines share a store)."""
from pathlib import Path

import sqlalchemy as sa

BUSY_TIMEOUT_S = 15  # wait this long for another process's write instead of failing at once


def is_sqlite_file(url: str) -> bool:
    parsed = sa.engine.make_url(url)
    return parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:")


def sqlite_engine(url: str, *pragmas: str, future: bool = True) -> sa.engine.Engine:
    """An engine for the SQLite file at ``url`` in WAL mode (readers go on while
    one process writes), running ``pragmas`` on every new connection.

    Connections are pooled: SQLAlchemy 1.4 opens a new one per session for a
    file, and a new WAL connection must map the shared index again, which cost
    more than the query it served (bench/RESULTS.md, "Conversation store")."""
    database = sa.engine.make_url(url).database
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, future=future, poolclass=sa.pool.QueuePool,
                              connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for pragma in ("PRAGMA journal_mode=WAL", *pragmas):
            cursor.execute(pragma)
        cursor.close()

    return engine
