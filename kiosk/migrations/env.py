"""Alembic's entry point: migrate the connection the application hands over."""

from __future__ import annotations

from alembic import context

from kiosk.models import Base
from kiosk.name_search import is_kept_by_the_database

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes its own connection
    raise RuntimeError("run migrations through kiosk.database.migrate(), not the alembic command")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
    # The name search's tables are the database's own (kept by triggers), not models.
    include_name=lambda name, kind, _parents: (
        kind != "table" or not is_kept_by_the_database(str(name))
    ),
)
with context.begin_transaction():
    context.run_migrations()
