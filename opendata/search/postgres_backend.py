"""The shared search backend: PostgreSQL full-text search in the catalogue's own database.

Rows of `dataset_search` are written in the same transaction as the dataset change, so every
app server on the database finds what was committed at once. Lexemes come from
`opendata.search.analysis` (Sastrawi for Indonesian, Porter2 for English, English lexemes
prefixed with `~`), written as a weighted tsvector literal: PostgreSQL then matches exactly
what whoosh matches, and ranks with `ts_rank` over weights A (title) to D (cell values).
Typos are corrected against `search_words` through its pg_trgm index.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.queries import facet_values
from opendata.db.engine import Database
from opendata.db.models import Meta
from opendata.search.analysis import ANALYZER_VERSION
from opendata.search.documents import TEXT_GROUPS, SearchDocument, build_documents
from opendata.search.highlight import highlight
from opendata.search.index import (
    CATALOGUE_GENERATION_KEY,
    live_dataset_ids,
    read_catalogue_generation,
)
from opendata.search.models import DatasetSearch, SearchWord
from opendata.search.query import (
    FACETS,
    QueryPlan,
    SearchHit,
    SearchQuery,
    SearchResults,
    WordPlan,
    exact_plans,
    finish_plan,
)

log = logging.getLogger(__name__)

GENERATION_KEY = "search_generation"
ANALYZER_KEY = "search_analyzer"
# ts_rank weights for D, C, B, A (cell values, description, keywords, title).
RANK_WEIGHTS = "{0.1,0.25,0.5,1.0}"
MAX_POSITION = 16383
TRIGRAM_THRESHOLD = "0.2"
BUILD_BATCH = 500

_WEIGHT = {name: weight for name, _, weight in TEXT_GROUPS}
_LANGUAGE = {name: language for name, language, _ in TEXT_GROUPS}

_INSERT = text(
    "INSERT INTO dataset_search (dataset_id, slug, sort_title, modified, agency, category,"
    " topics, formats, years, facet_keys, document, texts) VALUES (:dataset_id, :slug,"
    " :sort_title, :modified, :agency, :category, :topics, :formats, :years, :facet_keys,"
    " CAST(:document AS tsvector), :texts)"
).bindparams(bindparam("texts", type_=JSONB))
_INSERT_WORDS = text(
    "INSERT INTO search_words (word) SELECT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING"
)


def lexeme(term: str, language: str) -> str:
    """The stored lexeme: English stems carry a `~` so they only meet English query terms."""
    return "~" + term if language == "en" else term


def tsvector_literal(document: SearchDocument) -> str:
    """`'lexeme':1A,7A 'other':3C ...` from the document's analysed terms."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for name, terms in document.terms().items():
        weight, language = _WEIGHT[name], _LANGUAGE[name]
        for term in terms:
            position = min(position + 1, MAX_POSITION)
            positions[lexeme(term, language)].append(f"{position}{weight}")
        position = min(position + 1, MAX_POSITION)  # a gap between text groups
    return " ".join(
        "'" + word.replace("'", "''") + "':" + ",".join(spots) for word, spots in positions.items()
    )


def word_tsquery(plan: WordPlan) -> str:
    alternatives = [lexeme(t, "id") for t in plan.id_terms]
    alternatives += [lexeme(t, "en") for t in plan.en_terms]
    return "(" + " | ".join(f"'{a}'" for a in dict.fromkeys(alternatives)) + ")"


def tsquery_literal(plan: QueryPlan) -> str:
    return " & ".join(word_tsquery(word) for word in plan.words)


def document_row(document: SearchDocument) -> dict[str, Any]:
    return {
        "dataset_id": document.dataset_id,
        "slug": document.slug,
        "sort_title": document.sort_title,
        "modified": document.modified,
        "agency": document.agency_slug,
        "category": document.category,
        "topics": document.topics,
        "formats": document.formats,
        "years": document.years,
        "facet_keys": [f"topic:{t}" for t in document.topics]
        + [f"format:{f}" for f in document.formats]
        + [f"year:{y}" for y in document.years],
        "document": tsvector_literal(document),
        "texts": document.texts(),
    }


async def write_documents(
    session: AsyncSession, documents: Sequence[SearchDocument], replace: Iterable[int]
) -> None:
    """Delete the rows of `replace`, insert `documents`, and add their words."""
    ids = sorted(set(replace))
    if ids:
        await session.execute(delete(DatasetSearch).where(DatasetSearch.dataset_id.in_(ids)))
    if documents:
        await session.execute(_INSERT, [document_row(d) for d in documents])
        vocabulary: set[str] = set()
        for document in documents:
            vocabulary |= document.surface_words()
        await session.execute(_INSERT_WORDS, {"words": sorted(vocabulary)})


async def _set_meta(session: AsyncSession, key: str, value: str) -> None:
    found = await session.scalar(select(Meta.value).where(Meta.key == key).with_for_update())
    if found is None:
        session.add(Meta(key=key, value=value))
        await session.flush()
    elif found != value:
        await session.execute(update(Meta).where(Meta.key == key).values(value=value))


async def record_generation(session: AsyncSession) -> None:
    generation = await read_catalogue_generation(session)
    await _set_meta(session, GENERATION_KEY, str(generation))
    await _set_meta(session, ANALYZER_KEY, ANALYZER_VERSION)


_SEARCH = """
WITH matched AS MATERIALIZED (
  SELECT s.dataset_id, s.slug, s.sort_title, s.modified, s.agency, s.facet_keys,
         {score} AS score
  FROM dataset_search s
  WHERE s.document @@ CAST(:q AS tsquery) {conditions}
), page AS (
  SELECT dataset_id, score, row_number() OVER (ORDER BY {order}) AS n
  FROM matched ORDER BY {order} LIMIT :limit OFFSET :offset
)
SELECT 'hit' AS kind, p.dataset_id::text AS value, s.slug AS label, p.score::float8 AS score,
       p.n AS n, s.texts::text AS texts
  FROM page p JOIN dataset_search s ON s.dataset_id = p.dataset_id
UNION ALL SELECT 'total', NULL, NULL, NULL, count(*), NULL FROM matched
{facets}
"""

# The agency facet groups a plain column; topic, format and year share one unnest.
_FACET_SQL = (
    "UNION ALL SELECT 'agency', m.agency, min(a.name), NULL, count(*), NULL"
    " FROM matched m LEFT JOIN agencies a ON a.slug = m.agency GROUP BY m.agency"
    " UNION ALL SELECT 'key', k, NULL, NULL, count(*), NULL"
    " FROM matched, unnest(facet_keys) k GROUP BY k"
)

# Slugs and folded titles compare by code point (COLLATE "C"), as whoosh's ordering does.
_ORDER_SQL = {
    "RELEVANCE": 'score DESC, slug COLLATE "C"',
    "TITLE": 'sort_title COLLATE "C", slug COLLATE "C"',
    "RECENTLY_UPDATED": 'modified DESC NULLS LAST, slug COLLATE "C"',
}


def search_sql(search_query: SearchQuery) -> tuple[str, dict[str, Any]]:
    """The one statement that returns the page, the total and the four facets."""
    params: dict[str, Any] = {"limit": search_query.limit, "offset": search_query.offset}
    conditions = []
    dataset_filter = search_query.filter
    if dataset_filter.agencies:
        conditions.append("s.agency = ANY(CAST(:agencies AS text[]))")
        params["agencies"] = list(dataset_filter.agencies)
    if dataset_filter.topics:
        conditions.append("s.topics && CAST(:topics AS text[])")
        params["topics"] = list(dataset_filter.topics)
    if dataset_filter.formats:
        conditions.append("s.formats && CAST(:formats AS text[])")
        params["formats"] = [f.upper() for f in dataset_filter.formats]
    if dataset_filter.year is not None:
        conditions.append("CAST(:year AS integer) = ANY(s.years)")
        params["year"] = dataset_filter.year
    if dataset_filter.categories:
        conditions.append("s.category = ANY(CAST(:categories AS text[]))")
        params["categories"] = list(dataset_filter.categories)
    relevance = search_query.order == "RELEVANCE"
    score = f"ts_rank('{RANK_WEIGHTS}', s.document, CAST(:q AS tsquery), 1)" if relevance else "0"
    sql = _SEARCH.format(
        score=score,
        conditions="".join(f" AND {c}" for c in conditions),
        order=_ORDER_SQL.get(search_query.order, _ORDER_SQL["RELEVANCE"]),
        facets=_FACET_SQL if search_query.with_facets else "",
    )
    return sql, params


class PostgresSearchIndex:
    """The SearchIndex on `dataset_search` in the catalogue database."""

    name = "postgres"

    def __init__(self, database: Database) -> None:
        self.database = database

    async def index_datasets(self, session: AsyncSession, dataset_ids: Iterable[int]) -> None:
        ids = sorted(set(dataset_ids))
        documents, _ = await build_documents(session, ids)
        await write_documents(session, documents, ids)
        await record_generation(session)

    async def reindex_all(self) -> int:
        async with self.database.write() as session:
            # Serialise rebuilds of several servers starting together.
            await session.execute(
                select(Meta.value).where(Meta.key == CATALOGUE_GENERATION_KEY).with_for_update()
            )
            await session.execute(delete(DatasetSearch))
            await session.execute(delete(SearchWord))
            ids = await live_dataset_ids(session)
            for start in range(0, len(ids), BUILD_BATCH):
                documents, _ = await build_documents(session, ids[start : start + BUILD_BATCH])
                await write_documents(session, documents, [])
            await record_generation(session)
        return len(ids)

    async def check_and_repair(self) -> bool:
        async with self.database.session() as session:
            generation = await read_catalogue_generation(session)
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

    async def plan(self, session: AsyncSession, query_text: str) -> QueryPlan:
        exact = exact_plans(query_text)
        if not exact:
            return QueryPlan(())
        found = await session.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM dataset_search WHERE document @@ CAST(w AS tsquery))"
                " FROM unnest(CAST(:queries AS text[])) WITH ORDINALITY AS t(w, i) ORDER BY i"
            ),
            {"queries": [word_tsquery(plan) for plan in exact]},
        )
        known = [bool(row[0]) for row in found]
        near: dict[str, list[str]] = {}
        for plan, is_known in zip(exact, known, strict=True):
            if not is_known:
                near[plan.word] = await self._near(session, plan.word)
        return finish_plan(exact, known, lambda word, _budget: near.get(word, []))

    @staticmethod
    async def _near(session: AsyncSession, word: str) -> list[str]:
        await session.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
            {"t": TRIGRAM_THRESHOLD},
        )
        rows = await session.scalars(
            text(
                "SELECT word FROM search_words WHERE word % :w AND left(word, 1) = left(:w, 1)"
                " ORDER BY similarity(word, :w) DESC, word LIMIT 200"
            ),
            {"w": word},
        )
        return list(rows)

    async def search(self, search_query: SearchQuery) -> SearchResults:
        async with self.database.session() as session:
            plan = await self.plan(session, search_query.text)
            if plan.empty:
                return SearchResults(total=0, hits=[], facets={f: [] for f in FACETS})
            sql, params = search_sql(search_query)
            params["q"] = tsquery_literal(plan)
            rows = (await session.execute(text(sql), params)).all()
        total = 0
        hits: list[tuple[int, SearchHit]] = []
        counted: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
        names: dict[str, str] = {}
        for kind, value, label, score, n, texts in rows:
            if kind == "total":
                total = int(n)
            elif kind == "hit":
                snippet = None
                if search_query.with_highlights:
                    snippet = highlight(json.loads(texts), plan.id_terms, plan.en_terms)
                hit = SearchHit(int(value), label, round(float(score), 6), snippet)
                hits.append((int(n), hit))
            elif kind == "agency":
                counted[kind].append((value, int(n)))
                if label:
                    names[value] = label
            else:
                facet, _, facet_value = value.partition(":")
                counted[facet].append((facet_value, int(n)))
        facets = {facet: facet_values(facet, counted[facet], names) for facet in FACETS}
        if not search_query.with_facets:
            facets = {facet: [] for facet in FACETS}
        return SearchResults(total=total, hits=[h for _, h in sorted(hits)], facets=facets)


async def open_postgres_index(database: Database) -> PostgresSearchIndex:
    """Open and repair: on return the rows agree with the catalogue generation."""
    search_index = PostgresSearchIndex(database)
    await search_index.check_and_repair()
    return search_index
