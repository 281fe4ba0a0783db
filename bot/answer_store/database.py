"""Opening the answer store's database: engine, migrations, first seeding."""
import contextlib
import fcntl
import logging
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.sqlite import is_sqlite_file, sqlite_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 7_274_600  # any fixed number: names the answer store's migration lock

logger = logging.getLogger(__name__)


def create_engine(url: str) -> sa.engine.Engine:
    if is_sqlite_file(url):
        # The web app writes while the action server reads: WAL lets both go on.
        return sqlite_engine(url, "PRAGMA foreign_keys=ON")
    return sa.create_engine(url, future=True, pool_pre_ping=True)


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def is_up_to_date(engine: sa.engine.Engine) -> bool:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


@contextlib.contextmanager
def _migration_lock(engine: sa.engine.Engine) -> Iterator[None]:
    """One process migrates at a time (web app and action server may start together)."""
    if engine.dialect.name == "sqlite" and engine.url.database:
        with open(f"{engine.url.database}.migrate-lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    elif engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK_KEY})
    else:
        yield


def migrate(engine: sa.engine.Engine) -> None:
    """Bring the schema to the newest migration (nothing to do when it is)."""
    if is_up_to_date(engine):
        return
    with _migration_lock(engine):
        if is_up_to_date(engine):  # another process did it while this one waited
            return
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    logger.info("Answer store schema migrated to the newest version.")
