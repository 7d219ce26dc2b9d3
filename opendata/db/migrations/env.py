"""Alembic environment: runs migrations on the connection opendata hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from opendata.db.registry import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # Several servers may start at once on one database: one migrates, the rest wait.
        connection.execute(text("SELECT pg_advisory_xact_lock(727272)"))
    context.run_migrations()
