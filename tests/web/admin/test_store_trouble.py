"""Disk full and database locked, as SQLite itself reports them: staff get a Danish
page that says nothing saved is lost, what was saved stays, and the admin works
again by itself once the cause is gone (no restart)."""
import sqlite3
from contextlib import contextmanager

import sqlalchemy as sa

from tests.web.admin.test_api import current, edit

FILLER = "Den nye tekst fylder. " * 12  # each save needs room in the database file


@contextmanager
def disk_full(engine: sa.engine.Engine):
    """No page more for the database file: SQLite answers "database or disk is full",
    exactly as on a full disk."""
    def cap(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    engine.dispose()
    sa.event.listen(engine, "connect", cap)
    try:
        yield
    finally:
        sa.event.remove(engine, "connect", cap)
        engine.dispose()  # the cause is gone: new connections without the cap


@contextmanager
def short_busy_wait(engine: sa.engine.Engine):
    """Wait 0.5 s for a lock, not the 15 s the servers wait (bot/sqlite.py)."""
    def shorten(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout = 500")

    engine.dispose()
    sa.event.listen(engine, "connect", shorten)
    try:
        yield
    finally:
        sa.event.remove(engine, "connect", shorten)
        engine.dispose()


@contextmanager
def locked(path):
    """Another process holds the write lock (a long import, a backup tool gone wrong)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_full_disk_refuses_the_edit_in_danish_keeps_what_was_saved_and_passes(admin, answer_store):
    with disk_full(answer_store.engine):
        # Staff keep saving until the disk has no room: every save that was confirmed stays saved.
        for attempt in range(200):
            response = await edit(admin, "jobplaneten", summary=f"Jobplaneten, rettelse {attempt}. " + FILLER)
            if response.status != 200:
                break
            confirmed = attempt
        body = await response.json()
        assert response.status == 503, body
        assert body["kode"] == "utilgaengelig"
        assert "Det, der allerede er gemt, er ikke væk" in body["fejl"]
        # Reading still works, and shows the last confirmed save.
        assert (await current(admin, "jobplaneten"))["data"]["summary"].startswith(
            f"Jobplaneten, rettelse {confirmed}. ")
    response = await edit(admin, "jobplaneten", summary="Jobplaneten hjælper unge i job.")
    assert response.status == 200, await response.text()
    assert len(answer_store.entries.history("jobplaneten")) == confirmed + 3  # seed, saves, the one after


async def test_a_locked_database_refuses_the_edit_in_danish_and_works_when_released(
        admin, answer_store, caplog):
    with short_busy_wait(answer_store.engine), locked(answer_store.engine.url.database):
        response = await edit(admin, "jobplaneten", summary="Ændret under en lås.")
        assert response.status == 503
        assert "Prøv igen om lidt" in (await response.json())["fejl"]
    assert "database is locked" in caplog.text
    response = await edit(admin, "jobplaneten", summary="Ændret efter låsen.")
    assert response.status == 200, await response.text()
    assert answer_store.entries.get("jobplaneten").data["summary"] == "Ændret efter låsen."


async def test_the_staff_page_for_a_store_in_trouble_is_the_danish_error_page(admin, answer_store):
    stored = await current(admin, "jobplaneten")
    with short_busy_wait(answer_store.engine), locked(answer_store.engine.url.database):
        response = await admin.client.post(
            "/admin/entries/jobplaneten", data={"csrf_token": admin.csrf, "version": str(stored["version"]),
                                                **{k: v for k, v in stored["data"].items() if isinstance(v, str)}},
            headers={"Accept": "text/html"})
    html = await response.text()
    assert response.status == 503, html[:500]
    assert "Prøv igen om lidt" in html and "Det, der allerede er gemt, er ikke væk" in html
