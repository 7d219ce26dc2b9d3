"""The shared search backend: PostgreSQL full-text search in the catalogue's own database.

Rows of `dataset_search` are written in the same transaction as the dataset change, so every
app server on the database finds what was committed at once. Lexemes come from
`opendata.search.analysis` (Sastrawi for Indonesian, Porter2 for English, English lexemes
prefixed with `~`), written as a weighted tsvector literal: PostgreSQL then matches exactly
what whoosh matches, and ranks with `ts_rank` over weights A (title) to D (cell values).
Typos are corrected against `search_words` through its pg_trgm index.

Performance (see bench/search_bench.py): a search is one statement on the raw asyncpg
connection (its text depends only on the query's shape, so asyncpg's prepared statements are
reused), in a read-only transaction that only sets the planner's bounds, and it returns the
page with its highlight text, the facets from one GROUPING SETS pass over the matches and
the total. The exact query runs first; only a
query that finds nothing pays for the vocabulary check and typo correction. Rows are written
with COPY, and a bulk write merges the GIN pending list at once.

At national scale the cost followed the number of matches, not the page: the exact total,
facets and ranking read every matching row (~1 kB each, the weighted tsvector inline). At
1,000,000 synthetic datasets a common word matches ~15% of them, and p95 of typical queries
was 0.7-1.6 s (a sequential scan of the 1.1 GB table). So the work per query is bounded
(issue 26): a search reads at most EXACT_UP_TO + 1 matches through the GIN indexes, title
matches first (an expression index on the weight-A lexemes), and the planner is kept off
sequential scans. Up to EXACT_UP_TO matches everything is exact and unchanged; past it the
answer says so (`SearchResults.exact` false): the total is "more than EXACT_UP_TO", facet
counts are counted among the first EXACT_UP_TO matches (lower bounds), and the page is ranked
(or sorted by title or date) among those, title matches first. A filter's values are tags in
both GIN indexes beside the words (migration 0038), so a filtered search reads only rows
passing both, not every match of its words. PostgreSQL 15.20 no longer skips heap pages in
bitmap counts, so an exact count of 150,000 matches would still read them all; the cap is
what bounds the work.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any

import asyncpg
from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.changes import GENERATION_KEY as CATALOGUE_GENERATION
from opendata.catalogue.changes import read_generation
from opendata.catalogue.queries import DatasetFilter
from opendata.db.engine import Database
from opendata.db.models import Meta
from opendata.errors import StatementTimedOut
from opendata.search.analysis import ANALYZER_VERSION, max_typos
from opendata.search.documents import TEXT_GROUPS, SearchDocument, build_documents
from opendata.search.highlight import highlight
from opendata.search.index import (
    live_dataset_ids,
)
from opendata.search.models import DatasetSearch, DatasetSearchText, SearchWord
from opendata.search.query import (
    FACETS,
    QueryPlan,
    SearchHit,
    SearchQuery,
    SearchResults,
    WordPlan,
    exact_plans,
    finish_plan,
    search_results,
)

log = logging.getLogger(__name__)

GENERATION_KEY = "search_generation"
ANALYZER_KEY = "search_analyzer"
# ts_rank weights for D, C, B, A (cell values, description, keywords, title).
RANK_WEIGHTS = "{0.1,0.25,0.5,1.0}"
MAX_POSITION = 16383
TRIGRAM_THRESHOLD = "0.2"
BUILD_BATCH = 500
FLUSH_FROM = 100
_FLUSH_PENDING = """SELECT gin_clean_pending_list(i) FROM (VALUES
  (to_regclass('ix_dataset_search_document')), (to_regclass('ix_dataset_search_title'))) AS v(i)
WHERE i IS NOT NULL"""
COPY_CHUNK = 200
# Up to this many matches a search reads them all (exact total, facets and order); past it
# the work stops there (issue 26: 1,000,000 datasets, common words match 15% of them).
EXACT_UP_TO = 5_000
LONG_LIST = 1_000  # more hits than any page asks for

_WEIGHT = {name: weight for name, _, weight in TEXT_GROUPS}
_LANGUAGE = {name: language for name, language, _ in TEXT_GROUPS}

_COPY_COLUMNS = (
    "dataset_id", "agency", "category", "modified", "slug", "facet_topics", "facet_other",
    "topics", "formats", "years", "sort_title", "document",
)  # fmt: skip
_BEGIN = text("SELECT 1")
_INSERT_WORDS = text(
    "INSERT INTO search_words (word) SELECT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING"
)
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def lexeme(term: str, language: str) -> str:
    """The stored lexeme: English stems carry a `~` so they only meet English query terms."""
    return "~" + term if language == "en" else term


# "1A", "2A", ... per weight: the position labels of tsvector literals, formatted once.
_SPOTS = {weight: [f"{p}{weight}" for p in range(MAX_POSITION + 1)] for weight in "ABCD"}
_GROUP_SPOTS = tuple(
    (name, _SPOTS[weight], "~" if language == "en" else "")
    for name, language, weight in TEXT_GROUPS
)


def tsvector_literal(document: SearchDocument) -> str:
    """`'lexeme':1A,7A 'other':3C ...` from the document's analysed terms."""
    positions: dict[str, list[str]] = {}
    position = 0
    terms_by_group = document.terms()
    for name, spots, prefix in _GROUP_SPOTS:
        terms = terms_by_group.get(name)
        if terms:
            for term in [prefix + t for t in terms] if prefix else terms:
                if position < MAX_POSITION:
                    position += 1
                found = positions.get(term)
                if found is None:
                    positions[term] = [spots[position]]
                else:
                    found.append(spots[position])
        position = min(position + 1, MAX_POSITION)  # a gap between text groups
    # Terms are letters and digits (analysis.words); quote anything else all the same.
    if any("'" in word or "\\" in word for word in positions):
        positions = {_tsvector_word(word): spots for word, spots in positions.items()}
    return " ".join([f"'{word}':{','.join(spots)}" for word, spots in positions.items()])


def _tsvector_word(word: str) -> str:
    return word.replace("\\", "\\\\").replace("'", "''")


def word_tsquery(plan: WordPlan) -> str:
    alternatives = [lexeme(t, "id") for t in plan.id_terms]
    alternatives += [lexeme(t, "en") for t in plan.en_terms]
    return "(" + " | ".join(f"'{a}'" for a in dict.fromkeys(alternatives)) + ")"


def tsquery_literal(plan: QueryPlan) -> str:
    return " & ".join(word_tsquery(word) for word in plan.words)


_UNIT, _RECORD = "\x1f", "\x1e"  # separators inside facet keys (never in slugs or formats)


def facet_keys(document: SearchDocument) -> tuple[str, str]:
    """The two facet group keys of a row: topics, and formats then years."""
    topics = _UNIT.join(document.topics)
    other = _UNIT.join(document.formats) + _RECORD + _UNIT.join(map(str, document.years))
    return topics, other


def _split(key: str) -> list[str]:
    return key.split(_UNIT) if key else []


def _copy_text(value: str) -> str:
    """A value in COPY text format (backslash, tab, newline and return escaped)."""
    if _COPY_SPECIAL.search(value) is None:
        return value
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy_array(values: Iterable[Any]) -> str:
    items = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return _copy_text("{" + ",".join(items) + "}")


def copy_line(document: SearchDocument) -> str:
    """One `dataset_search` row in COPY text format."""
    topics, other = facet_keys(document)
    modified = document.modified.isoformat() if document.modified else "\\N"
    return "\t".join(
        (
            str(document.dataset_id),
            _copy_text(document.agency_slug),
            _copy_text(document.category),
            modified,
            _copy_text(document.slug),
            _copy_text(topics),
            _copy_text(other),
            _copy_array(document.topics),
            _copy_array(document.formats),
            "{" + ",".join(str(int(y)) for y in document.years) + "}",
            _copy_text(document.sort_title),
            _copy_text(tsvector_literal(document)),
        )
    )


def texts_line(document: SearchDocument) -> str:
    texts = json.dumps(document.texts(), ensure_ascii=False, separators=(",", ":"))
    return f"{document.dataset_id}\t{_copy_text(texts)}"


async def _driver_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, inside the session's transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def _chunks(
    documents: Sequence[SearchDocument], line: Callable[[SearchDocument], str]
) -> AsyncIterator[bytes]:
    """COPY data in chunks, so PostgreSQL parses one while Python formats the next."""
    for start in range(0, len(documents), COPY_CHUNK):
        chunk = documents[start : start + COPY_CHUNK]
        yield ("\n".join(line(d) for d in chunk) + "\n").encode()


async def write_documents(
    session: AsyncSession, documents: Sequence[SearchDocument], replace: Iterable[int]
) -> None:
    """Delete the rows of `replace`, COPY `documents` in, and add their words."""
    ids = sorted(set(replace))
    if ids:
        await session.execute(delete(DatasetSearch).where(DatasetSearch.dataset_id.in_(ids)))
        await session.execute(
            delete(DatasetSearchText).where(DatasetSearchText.dataset_id.in_(ids))
        )
    if not documents:
        return
    # A statement through the session first: SQLAlchemy's asyncpg adapter opens the
    # transaction lazily, and the COPYs below must be part of it.
    await session.execute(_BEGIN)
    driver = await _driver_connection(session)
    await driver.copy_to_table(
        "dataset_search", source=_chunks(documents, copy_line), columns=_COPY_COLUMNS, format="text"
    )
    await driver.copy_to_table(
        "dataset_search_texts",
        source=_chunks(documents, texts_line),
        columns=("dataset_id", "texts"),
        format="text",
    )
    vocabulary: set[str] = set()
    for document in documents:
        vocabulary |= document.surface_words()
    await session.execute(_INSERT_WORDS, {"words": sorted(vocabulary)})
    if len(documents) >= FLUSH_FROM:
        # New rows wait in the GIN pending list, which every search then reads through
        # (and which makes the planner give up the index). Merge a bulk load at once.
        await driver.execute(_FLUSH_PENDING)


async def _set_meta(session: AsyncSession, key: str, value: str) -> None:
    found = await session.scalar(select(Meta.value).where(Meta.key == key).with_for_update())
    if found is None:
        session.add(Meta(key=key, value=value))
        await session.flush()
    elif found != value:
        await session.execute(update(Meta).where(Meta.key == key).values(value=value))


async def record_generation(session: AsyncSession) -> None:
    generation = await read_generation(session)
    await _set_meta(session, GENERATION_KEY, str(generation))
    await _set_meta(session, ANALYZER_KEY, ANALYZER_VERSION)


# One statement, one round trip: the page (with its highlight text), the facet groups from
# one GROUPING SETS pass over the matches, and the total. The page is a top-N sort (no
# window over the whole set); row_number() numbers only the page.
#
# Bounded work (issue 26): `matched` stops at $4 + 1 rows ($4 is EXACT_UP_TO), title matches
# first (the GIN index on the weight-A lexemes, ix_dataset_search_title), then the others.
# A query with at most $4 matches reads them all: total, facets and order exact, as ever.
# Past that the total says "more than $4", and the page and facets are drawn from `kept`,
# the first $4 matches read (title matches first): facet counts are lower bounds.
_SEARCH = """
WITH in_title AS MATERIALIZED (
  SELECT {columns} FROM dataset_search s
  WHERE ts_filter(s.document, '{{a}}') @@ CAST($1 AS tsquery) {title_conditions} LIMIT $4 + 1
), matched AS MATERIALIZED (
  SELECT * FROM (
    SELECT * FROM in_title
    UNION ALL
    (SELECT {columns} FROM dataset_search s
     WHERE s.document @@ CAST($1 AS tsquery) {conditions}
       AND s.dataset_id NOT IN (SELECT dataset_id FROM in_title) LIMIT $4 + 1)
  ) AS found LIMIT $4 + 1
), kept AS MATERIALIZED (
  SELECT * FROM matched LIMIT $4
), page AS (
  SELECT dataset_id, slug, score, row_number() OVER (ORDER BY {order}) AS n
  FROM (SELECT * FROM kept ORDER BY {order} LIMIT $2 OFFSET $3) AS top
)
SELECT 0 AS kind, p.n AS n, p.dataset_id::text AS a, p.slug AS b, t.texts::text AS c,
       p.score::float8 AS score
  FROM page p LEFT JOIN dataset_search_texts t ON t.dataset_id = p.dataset_id
{facets}UNION ALL SELECT 8, count(*), NULL, NULL, NULL, NULL FROM matched
"""
_COLUMNS = """s.dataset_id, s.slug, {sort_columns} s.agency, s.facet_topics, s.facet_other,
         {score} AS score"""

_FACET_SQL = """UNION ALL
SELECT 1 + g.sets, g.n, g.agency, a.name, coalesce(g.facet_topics, g.facet_other), NULL
  FROM (SELECT grouping(agency, facet_topics, facet_other) AS sets, agency, facet_topics,
               facet_other, count(*) AS n
        FROM kept GROUP BY GROUPING SETS ((agency, facet_topics), (facet_other))) AS g
  LEFT JOIN agencies a ON a.slug = g.agency
"""
# JIT off: the planner's costs at 1,000,000 rows (and enable_seqscan's penalty) pass
# jit_above_cost, and compiling the plan took longer than running it (90 ms to 1.4 s at
# 100,000 datasets with JIT forced, the statement itself 40-60 ms). No parallel workers: a
# search reads at most exact_up_to + 1 rows, and a parallel bitmap scan's workers cost more
# to start and gather than they save (filtered searches at 1,000,000: 35 ms without them,
# 55-60 ms with), on cores other requests are using.
_SEARCH_SETTINGS = (
    "SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '16MB'; SET LOCAL jit = off;"
    " SET LOCAL max_parallel_workers_per_gather = 0"
)
# kinds: 0 a hit, 2 an (agency, topics) group, 7 a (formats, years) group, 8 the total
_KIND_HIT, _KIND_AGENCY_TOPICS, _KIND_OTHER, _KIND_TOTAL = 0, 2, 7, 8

# Slugs and folded titles compare by code point (COLLATE "C"), as whoosh's ordering does.
_ORDER_SQL = {
    "RELEVANCE": 'score DESC, slug COLLATE "C"',
    "TITLE": 'sort_title COLLATE "C", slug COLLATE "C"',
    "RECENTLY_UPDATED": 'modified DESC NULLS LAST, slug COLLATE "C"',
}
_SORT_COLUMNS = {"TITLE": "s.sort_title,", "RECENTLY_UPDATED": "s.modified,"}


# The filter values of a row as tags, the second column of both GIN indexes (migration 0038):
# a filter's tags meet the words inside the index scan, so only rows passing both are read.
# The first argument names the index the condition is for (the tags are the same).
_TAGS_SQL = "dataset_search_tags('{}', s.agency, s.category, s.topics, s.formats, s.years)"
# Each facet's condition on the row's own columns as well ({} its values): what the answer
# is defined by, checked on the rows the tags found (the same rows).
_FILTER_COLUMNS = {
    "agency": "s.agency = ANY({}::text[])",
    "category": "s.category = ANY({}::text[])",
    "topic": "s.topics && {}::text[]",
    "format": "s.formats && {}::text[]",
    "year": "s.years && {}::integer[]",
}


def filter_conditions(dataset_filter: DatasetFilter) -> list[tuple[str, list[str], list[Any]]]:
    """(condition on the columns, tags, values) per facet the filter restricts: a row passes
    with any of a facet's values (a tag `facet:value`), in every facet."""
    return [
        (
            _FILTER_COLUMNS[facet],
            [f"{facet}:{value}" for value in values],
            [int(v) for v in values] if facet == "year" else list(values),
        )
        for facet, values in dataset_filter.facet_conditions()
    ]


def search_sql(
    search_query: SearchQuery, tsquery: str, exact_up_to: int = EXACT_UP_TO
) -> tuple[str, list[Any]]:
    """The one statement that returns the page, the total and the four facets, with its
    positional arguments ($1 the tsquery). The text depends only on the shape of the query
    (order, which filters, facets or not), so asyncpg's prepared statements are reused."""
    args: list[Any] = [tsquery, search_query.limit, search_query.offset, exact_up_to]
    conditions: list[str] = []
    title_conditions: list[str] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    for on_columns, tags, values in filter_conditions(search_query.filter):
        tagged = arg(tags)
        title_conditions.append(f"{_TAGS_SQL.format('title')} && {tagged}::text[]")
        conditions.append(f"{_TAGS_SQL.format('document')} && {tagged}::text[]")
        on_own_columns = on_columns.format(arg(values))
        title_conditions.append(on_own_columns)
        conditions.append(on_own_columns)
    order = search_query.order if search_query.order in _ORDER_SQL else "RELEVANCE"
    relevance = order == "RELEVANCE"
    score = f"ts_rank('{RANK_WEIGHTS}', s.document, CAST($1 AS tsquery), 1)" if relevance else "0"
    columns = _COLUMNS.format(sort_columns=_SORT_COLUMNS.get(order, ""), score=score)
    sql = _SEARCH.format(
        columns=columns,
        title_conditions="".join(f" AND {c}" for c in title_conditions),
        conditions="".join(f" AND {c}" for c in conditions),
        order=_ORDER_SQL[order],
        facets=_FACET_SQL if search_query.with_facets else "",
    )
    return sql, args


# Per query word: is it in the index, and if not (and typos are forgiven for it) the
# indexed words that look like it, most similar first.
_PLAN_SQL = """
SELECT k.known,
       CASE WHEN NOT k.known AND t.fixable THEN ARRAY(
         SELECT v.word FROM search_words v WHERE v.word % t.w AND left(v.word, 1) = left(t.w, 1)
         ORDER BY similarity(v.word, t.w) DESC, v.word LIMIT 200) END
FROM unnest($1::text[], $2::text[], $3::boolean[]) WITH ORDINALITY AS t(q, w, fixable, i),
     LATERAL (SELECT EXISTS (SELECT 1 FROM dataset_search s
                             WHERE s.document @@ CAST(t.q AS tsquery)) AS known OFFSET 0) AS k
ORDER BY t.i
"""


class PostgresSearchIndex:
    """The SearchIndex on `dataset_search` in the catalogue database."""

    name = "postgres"

    def __init__(self, database: Database, exact_up_to: int = EXACT_UP_TO) -> None:
        self.database = database
        self.exact_up_to = exact_up_to

    async def index_datasets(self, session: AsyncSession, dataset_ids: Iterable[int]) -> None:
        ids = sorted(set(dataset_ids))
        documents, _ = await build_documents(session, ids)
        await write_documents(session, documents, ids)
        await record_generation(session)

    async def reindex_all(self) -> int:
        async with self.database.write() as session:
            # Serialise rebuilds of several servers starting together.
            await session.execute(
                select(Meta.value).where(Meta.key == CATALOGUE_GENERATION).with_for_update()
            )
            await session.execute(delete(DatasetSearch))
            await session.execute(delete(DatasetSearchText))
            await session.execute(delete(SearchWord))
            ids = await live_dataset_ids(session)
            for start in range(0, len(ids), BUILD_BATCH):
                documents, _ = await build_documents(session, ids[start : start + BUILD_BATCH])
                await write_documents(session, documents, [])
            await record_generation(session)
        return len(ids)

    async def check_and_repair(self) -> bool:
        async with self.database.session() as session:
            generation = await read_generation(session)
            rows = await session.execute(
                select(Meta.key, Meta.value).where(Meta.key.in_([GENERATION_KEY, ANALYZER_KEY]))
            )
            stored = {key: value for key, value in rows}
        if stored.get(GENERATION_KEY) == str(generation) and stored.get(ANALYZER_KEY) == (
            ANALYZER_VERSION
        ):
            return False
        log.warning("search rows at generation %s, database at %s: rebuilding", stored, generation)
        await self.reindex_all()
        return True

    async def close(self) -> None:
        return None

    @staticmethod
    async def plan(driver: Any, query_text: str) -> QueryPlan:
        """The query plan: which words the index knows, and the indexed words near each
        unknown one (pg_trgm candidates, then `close_words`), in one statement."""
        exact = exact_plans(query_text)
        if not exact:
            return QueryPlan(())
        async with driver.transaction(readonly=True):
            # EXISTS makes the planner hope for an early row and scan the table; an unknown
            # word has none, so the GIN index is always the right way in.
            await driver.execute(
                f"SET LOCAL pg_trgm.similarity_threshold = {TRIGRAM_THRESHOLD};"
                " SET LOCAL enable_seqscan = off"
            )
            rows = await driver.fetch(
                _PLAN_SQL,
                [word_tsquery(plan) for plan in exact],
                [plan.word for plan in exact],
                [max_typos(plan.word) > 0 for plan in exact],
            )
        known = [bool(row[0]) for row in rows]
        near = {plan.word: list(row[1] or []) for plan, row in zip(exact, rows, strict=True)}
        return finish_plan(exact, known, lambda word, _budget: near.get(word, []))

    async def search(self, search_query: SearchQuery) -> SearchResults:
        exact = exact_plans(search_query.text)
        if not exact:
            return search_results(0, [])
        # A caller asking for a list longer than any page (the CKAN door asks for 10,000
        # hits and counts them itself) gets that many matches read, as before the cap.
        cap = self.exact_up_to
        if search_query.limit > LONG_LIST:
            cap = max(cap, search_query.limit)
        # a read connection: its statements are bounded like every read's (the session's
        # statement_timeout, `db.engine`), and one past the bound is STATEMENT_TIMEOUT
        async with self.database.read_engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            # Optimistic: run the exact query first. If it finds anything every word is in
            # the index, which is exactly when the plan keeps the words as typed; only a
            # query that finds nothing pays for the vocabulary look-up and typo correction.
            plan = QueryPlan(tuple(exact))
            try:
                rows = await self._run(driver, search_query, plan, cap)
                if not _total(rows):
                    corrected = await self.plan(driver, search_query.text)
                    if corrected != plan:
                        plan = corrected
                        rows = await self._run(driver, search_query, plan, cap)
            except asyncpg.QueryCanceledError as error:
                raise StatementTimedOut() from error
        return self._results(search_query, plan, rows, cap)

    @staticmethod
    async def _run(
        driver: Any, search_query: SearchQuery, plan: QueryPlan, exact_up_to: int
    ) -> list[Any]:
        sql, args = search_sql(search_query, tsquery_literal(plan), exact_up_to)
        async with driver.transaction(readonly=True):
            # The indexes are always the way in: a search reads at most exact_up_to + 1
            # matches through them, where a sequential scan (which the planner picks when it
            # overestimates the matches of the LIMIT) may read the whole table. The bitmaps
            # of a million rows fit in 16 MB, so they stay exact (no per-row recheck).
            await driver.execute(_SEARCH_SETTINGS)
            return list(await driver.fetch(sql, *args))

    @staticmethod
    def _results(
        search_query: SearchQuery, plan: QueryPlan, rows: list[Any], exact_up_to: int
    ) -> SearchResults:
        total = _total(rows)
        exact = total <= exact_up_to
        hits: list[tuple[int, SearchHit]] = []
        counted: dict[str, dict[str, int]] = {facet: defaultdict(int) for facet in FACETS}
        names: dict[str, str] = {}
        for kind, n, a, b, c, score in rows:
            if kind == _KIND_HIT:
                snippet = None
                if search_query.with_highlights and c is not None:
                    snippet = highlight(json.loads(c), plan.id_terms, plan.en_terms)
                hits.append((n, SearchHit(int(a), b, round(float(score), 6), snippet)))
            elif kind == _KIND_AGENCY_TOPICS:
                counted["agency"][a] += n
                if b:
                    names[a] = b
                for topic in _split(c):
                    counted["topic"][topic] += n
            elif kind == _KIND_OTHER:
                formats, _, years = c.partition(_RECORD)
                for value in _split(formats):
                    counted["format"][value] += n
                for year in _split(years):
                    counted["year"][year] += n
        pairs = {facet: list(counted[facet].items()) for facet in FACETS}
        ranked = [h for _, h in sorted(hits)]
        counted_pairs = pairs if search_query.with_facets else None
        if not exact:
            return search_results(exact_up_to, ranked, counted_pairs, names, exact=False)
        return search_results(total, ranked, counted_pairs, names)


def _total(rows: Sequence[Any]) -> int:
    return next((int(row[1]) for row in rows if row[0] == _KIND_TOTAL), 0)


async def open_postgres_index(database: Database) -> PostgresSearchIndex:
    """Open and repair: on return the rows agree with the catalogue generation."""
    search_index = PostgresSearchIndex(database)
    await search_index.check_and_repair()
    return search_index
