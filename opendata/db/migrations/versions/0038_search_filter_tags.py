"""search: filter values beside the words in the search indexes (issue 26), PostgreSQL only

Revision ID: 0038
Revises: 0037

A filtered search ("penduduk" in 2020, "jalan" in a topic) read the word's matches and then
dropped the rows outside the filter: at 1,000,000 datasets that was tens of thousands of heap
rows read to keep 5,000. Now each row's filter values are tags (`agency:<slug>`,
`category:<c>`, `topic:<t>`, `format:<F>`, `year:<y>`, from `dataset_search_tags`, an
immutable function of the row's own columns) in a second column of both GIN indexes, so
the words and the filter meet inside one index scan and only matching rows are read. The
indexes keep their names; no row is rewritten and writes keep their shape. The agency's
btree (0037) goes: its tag does that work, and beside it the planner met a filter by agency
there and read the agency's every row to find the words. The function's first argument names
the index (it changes nothing in the tags): with one expression in both indexes, the planner
met the filter alone in the other index (its words left out) and read every row of the
filter; each query condition now fits one index only.
"""

from __future__ import annotations

from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

COLUMNS = "agency, category, topics, formats, years"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    op.execute(
        """CREATE OR REPLACE FUNCTION dataset_search_tags(index_name text,
             agency text, category text, topics text[], formats text[], years integer[])
           RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
             SELECT ARRAY['agency:' || agency, 'category:' || category]
               || ARRAY(SELECT 'topic:' || v FROM unnest(topics) AS v)
               || ARRAY(SELECT 'format:' || v FROM unnest(formats) AS v)
               || ARRAY(SELECT 'year:' || v FROM unnest(years) AS v)
           $$"""
    )
    op.execute("DROP INDEX IF EXISTS ix_dataset_search_document")
    op.execute(
        "CREATE INDEX ix_dataset_search_document ON dataset_search"
        f" USING gin (document, dataset_search_tags('document', {COLUMNS}))"
    )
    op.execute("DROP INDEX IF EXISTS ix_dataset_search_title")
    op.execute(
        "CREATE INDEX ix_dataset_search_title ON dataset_search"
        f" USING gin (ts_filter(document, '{{a}}'), dataset_search_tags('title', {COLUMNS}))"
    )
    op.execute("DROP INDEX IF EXISTS ix_dataset_search_agency")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX IF NOT EXISTS ix_dataset_search_agency ON dataset_search (agency)")
    op.execute("DROP INDEX IF EXISTS ix_dataset_search_title")
    op.execute(
        "CREATE INDEX ix_dataset_search_title ON dataset_search"
        " USING gin (ts_filter(document, '{a}'))"
    )
    op.execute("DROP INDEX IF EXISTS ix_dataset_search_document")
    op.execute("CREATE INDEX ix_dataset_search_document ON dataset_search USING gin (document)")
    op.execute(
        "DROP FUNCTION IF EXISTS dataset_search_tags(text, text, text, text[], text[], integer[])"
    )
