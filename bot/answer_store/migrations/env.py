"""Alembic environment: runs on the connection ``bot.answer_store.database``
hands it (the store's own URL), never on a URL from alembic.ini."""
from alembic import context

from bot.answer_store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
