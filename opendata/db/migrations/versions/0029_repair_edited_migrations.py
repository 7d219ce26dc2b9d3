"""repair databases built from migrations edited after their release (0002, 0003, 0005, 0010)

Revision ID: 0029
Revises: 0025

Four migrations changed after databases had run them, so such a database said "at head"
and then failed. This brings one to the shape a new database has, and does nothing to a
database that already has it (each step looks before it changes):

- 0002: `request_events.action` was VARCHAR(20), now 30 (PostgreSQL enforces the length);
- 0003: `dataset_search` had `facet_keys` and `texts`, now `facet_topics`, `facet_other` and
  a `dataset_search_texts` table: the search tables are built again as 0003 builds them and
  the PostgreSQL search rows are rebuilt at the next start (they are derived data);
- 0005: it gave a running notice clock to requests the Commission had decided, and a running
  superior's clock to objections of requests past that stage: those clocks are removed;
- 0010: the `dashboards` table was added to it later: created when missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from opendata.db.base import JsonValue, UtcDateTime

revision = "0029"
down_revision = "0025"
branch_labels = None
depends_on = None

# meta keys of the PostgreSQL search rows (opendata.search.postgres_backend): without them
# the rows are rebuilt from the catalogue at start-up
SEARCH_META_KEYS = ("search_generation", "search_analyzer")


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    _widen_event_action(inspector)
    _search_tables(inspector)
    _clocks_of_past_duties()
    _dashboards(inspector)


def _widen_event_action(inspector: sa.Inspector) -> None:
    action = next(c for c in inspector.get_columns("request_events") if c["name"] == "action")
    length = getattr(action["type"], "length", None)
    if length is not None and length < 30:
        with op.batch_alter_table("request_events") as batch:
            batch.alter_column(
                "action", existing_type=sa.String(length), type_=sa.String(30), nullable=False
            )


def _search_tables(inspector: sa.Inspector) -> None:
    columns = {column["name"] for column in inspector.get_columns("dataset_search")}
    if "facet_topics" in columns and inspector.has_table("dataset_search_texts"):
        return
    for table in ("dataset_search_texts", "dataset_search", "search_words"):
        if inspector.has_table(table):
            op.drop_table(table)
    context.script.get_revision("0003").module.upgrade()  # the tables as 0003 builds them now
    meta = sa.table("meta", sa.column("key", sa.String))
    op.execute(meta.delete().where(meta.c.key.in_(SEARCH_META_KEYS)))


def _clocks_of_past_duties() -> None:
    op.execute(
        "DELETE FROM request_clocks WHERE kind = 'NOTICE' AND stopped_at IS NULL "
        "AND request_id IN (SELECT id FROM information_requests WHERE status = 'DISPUTE_DECIDED')"
    )
    op.execute(
        "DELETE FROM request_clocks WHERE kind = 'OBJECTION_ANSWER' AND stopped_at IS NULL "
        "AND objection_id IN (SELECT o.id FROM objections o JOIN information_requests r "
        "ON r.id = o.request_id WHERE o.answered_at IS NULL AND r.status <> 'OBJECTION_FILED')"
    )


def _dashboards(inspector: sa.Inspector) -> None:
    if not inspector.has_table("dashboards"):
        op.create_table(
            "dashboards",
            sa.Column("name", sa.String(40), primary_key=True),
            sa.Column("panels", JsonValue, nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("loaded_at", UtcDateTime(), nullable=False),
        )


def downgrade() -> None:
    """Nothing to undo: the repaired shape is the shape every migration now builds."""
