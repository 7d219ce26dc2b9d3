"""The embedded search backend: a whoosh index in the data folder.

The index records the database identity and catalogue generation it reflects
(`opendata.search.index.IndexState`). It is never written beside a database transaction (a
process could die between the two commits, or another process's searcher lag behind): every
catalogue change logs its dataset ids in the database (`opendata.catalogue.changelog`), and
before each search the index replays whatever the log holds beyond its own generation, so no
search answers from an index behind the database. An index that is not of this database, or
ahead of it (an older backup restored), is rebuilt whole: only equality is trusted.

whoosh is synchronous: searches run in a worker thread under a lock (whoosh readers share
file handles), and facets, filters and ordering are done with numpy arrays cached per
searcher instead of walking hits in Python. Scoring too: BM25F is computed over whole posting
lists with numpy (the same formula and statistics as whoosh's BM25F, to float rounding),
not by whoosh's matchers one posting at a time. A bulk build puts the typo vocabulary in one
document instead of every document (it was 45% of the postings).
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.ext.asyncio import AsyncSession
from whoosh import columns, fields, index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import CLEAR

from opendata.catalogue.changelog import changed_between
from opendata.db.engine import Database
from opendata.errors import SearchUnavailable
from opendata.search.analysis import ANALYZER_VERSION
from opendata.search.documents import TEXT_GROUPS, SearchDocument, build_documents
from opendata.search.facets import FacetRow, FacetTable
from opendata.search.highlight import highlight
from opendata.search.index import IndexState, database_state, live_dataset_ids
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

# BM25F field boosts: title over keywords/agency over description over cell values.
FIELD_BOOSTS = {
    "title": 5.0,
    "title_en": 4.0,
    "meta": 2.5,
    "description": 1.5,
    "description_en": 1.2,
    "fields": 1.0,
    "values": 0.6,
}
# BM25F's free parameters (whoosh's defaults), used by the vectorised scorer.
BM25_B = 0.75
BM25_K1 = 1.2
GENERATION_FILE = "opendata-generation.json"
WRITE_LOCK_SECONDS = 20.0
VOCABULARY_KEY = "vocabulary"
BUILD_BATCH = 500
BUILD_PROCS = 2
PARALLEL_FROM = 5000
_LANGUAGE = {name: language for name, language, _ in TEXT_GROUPS}


def build_schema() -> fields.Schema:
    tokens = SpaceSeparatedTokenizer()
    text_fields = {
        name: fields.TEXT(analyzer=tokens, phrase=False, field_boost=boost)
        for name, boost in FIELD_BOOSTS.items()
    }
    return fields.Schema(
        key=fields.ID(unique=True),
        # scorable: whoosh checks the disk for a missing length column once per posting otherwise
        words=fields.KEYWORD(scorable=True),
        texts=fields.STORED(),
        facets=fields.COLUMN(columns.VarBytesColumn()),
        **text_fields,
    )


def whoosh_fields(document: SearchDocument, *, with_words: bool = True) -> dict[str, Any]:
    """The whoosh document: pre-analysed terms, the vocabulary, stored text and facets.

    `with_words=False` leaves the document's surface words out (a bulk build indexes the
    whole vocabulary once, in one vocabulary document)."""
    facets = {
        "id": document.dataset_id,
        "slug": document.slug,
        "sort": document.sort_title,
        "modified": document.modified.isoformat() if document.modified else "",
        "agency": document.agency_slug,
        "agency_name": document.agency_name,
        "topics": document.topics,
        "formats": document.formats,
        "years": document.years,
        "category": document.category,
    }
    values: dict[str, Any] = {name: " ".join(terms) for name, terms in document.terms().items()}
    if with_words:
        values["words"] = " ".join(sorted(document.surface_words()))
    values.update(
        key=str(document.dataset_id),
        texts=document.texts(),
        facets=json.dumps(facets, separators=(",", ":")).encode(),
    )
    return values


def write_fresh_index(
    directory: Path, documents: Sequence[SearchDocument], generation: int, identity: str = ""
) -> None:
    """Build a new index in `directory` from `documents` in one writer (bulk loads, bench)."""
    WhooshSearchIndex._create_empty(directory)
    fresh = index.open_dir(str(directory))
    # Two processes (the machine has two cores); whoosh's posting writer is pure Python.
    procs = BUILD_PROCS if len(documents) >= PARALLEL_FROM else 1
    writer = fresh.writer(limitmb=128, procs=procs, multisegment=procs > 1)
    try:
        vocabulary: set[str] = set()
        for document in documents:
            writer.add_document(**whoosh_fields(document, with_words=False))
            vocabulary |= document.surface_words()
        # The `words` field only feeds the typo-correction lexicon: one posting per word
        # instead of one per word and document (it was 45% of all postings). Like
        # PostgreSQL's search_words, the lexicon then keeps a word until the next rebuild.
        if vocabulary:
            writer.add_document(key=VOCABULARY_KEY, words=" ".join(sorted(vocabulary)))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    WhooshSearchIndex._write_state(directory, IndexState(identity, generation))
    fresh.close()


IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class _Snapshot:
    """One searcher and the per-document arrays derived from it."""

    searcher: Searcher
    dataset_ids: IntArray
    slugs: list[str]
    live: npt.NDArray[np.bool_]
    slug_rank: IntArray
    title_rank: IntArray
    recent_rank: IntArray
    table: FacetTable
    agency_names: dict[str, str]
    checked_at: float
    lengths: dict[str, FloatArray] = field(default_factory=dict)

    def field_lengths(self, field_name: str) -> FloatArray:
        """Every document's (decoded) length of a field, as BM25F sees it; built once."""
        found = self.lengths.get(field_name)
        if found is None:
            found = self.lengths[field_name] = _field_lengths(self.searcher, field_name)
        return found

    def postings(self, field_name: str, term: str) -> tuple[IntArray, FloatArray]:
        """(document numbers, weights) of a term, read a block at a time."""
        return _postings(self.searcher.reader(), field_name, term)

    def score(self, plan: QueryPlan) -> tuple[IntArray, FloatArray]:
        """The documents matching every word of the plan and their BM25F scores, as whoosh
        computes them (idf * tf(K1+1) / (tf + K1(1 - B + B fl/avgfl)), tf the posting weight
        with the field boost in it, summed over matched terms) but over whole posting lists
        with numpy instead of one Python call per posting."""
        searcher = self.searcher
        size = len(self.live)
        total = np.zeros(size, dtype=np.float64)
        matched: npt.NDArray[np.bool_] | None = None
        for word in plan.words:
            found = np.zeros(size, dtype=np.bool_)
            for field_name, term in _terms(word):
                docnums, weights = self.postings(field_name, term)
                if not len(docnums):
                    continue
                idf = searcher.idf(field_name, term)
                average = searcher.avg_field_length(field_name) or 1
                lengths = self.field_lengths(field_name)[docnums]
                total[docnums] += idf * (
                    (weights * (BM25_K1 + 1))
                    / (weights + BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average))
                )
                found[docnums] = True
            matched = found if matched is None else matched & found
        if matched is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        docnums = np.flatnonzero(matched)
        return docnums.astype(np.int64), total[docnums]

    @classmethod
    def load(cls, searcher: Searcher) -> _Snapshot:
        reader = searcher.reader()
        size = reader.doc_count_all()
        live = np.zeros(size, dtype=np.bool_)
        live[list(reader.all_doc_ids())] = True
        raw = list(reader.column_reader("facets")) if size else []
        infos = [json.loads(value) if value and live[i] else None for i, value in enumerate(raw)]
        for docnum, info in enumerate(infos):
            if info is None:  # deleted, or the vocabulary document: never a hit
                live[docnum] = False
        ids = np.asarray([info["id"] if info else -1 for info in infos], dtype=np.int64)
        slugs = [info["slug"] if info else "" for info in infos]
        rows = [
            FacetRow(i["agency"], i["topics"], i["formats"], i["years"], i["category"])
            if i
            else None
            for i in infos
        ]

        def rank(key: Any) -> IntArray:
            order = sorted(range(size), key=key)
            ranks = np.empty(size, dtype=np.int64)
            ranks[order] = np.arange(size, dtype=np.int64)
            return ranks

        # RECENTLY_UPDATED: newest first, undated last; ties by slug (as the SQL browse does).
        sorts = [info["sort"] if info else "" for info in infos]
        modified = [info["modified"] if info else "" for info in infos]

        def recent_key(i: int) -> tuple[int, str, str]:
            return (0 if modified[i] else 1, _invert(modified[i]), slugs[i])

        names = {i["agency"]: i["agency_name"] for i in infos if i}
        return cls(
            searcher=searcher,
            dataset_ids=ids,
            slugs=slugs,
            live=live,
            slug_rank=rank(lambda i: slugs[i]),
            title_rank=rank(lambda i: (sorts[i], slugs[i])),
            recent_rank=rank(recent_key),
            table=FacetTable(rows),
            agency_names=names,
            checked_at=time.monotonic(),
        )


def _field_lengths(searcher: Searcher, field_name: str) -> FloatArray:
    reader = searcher.reader()
    lengths = np.zeros(reader.doc_count_all(), dtype=np.float64)
    decode = np.asarray([byte_to_length(b) for b in range(256)], dtype=np.float64)
    for leaf, base in reader.leaf_readers():
        count = leaf.doc_count_all()
        column = None
        per_doc = getattr(leaf, "_perdoc", None)
        if per_doc is not None and hasattr(per_doc, "_cached_reader"):
            column = per_doc._cached_reader(_lenfield(field_name), LENGTHS_COLUMN)
        if column is not None:
            codes = np.fromiter(column, dtype=np.int64, count=count)
            lengths[base : base + count] = decode[codes]
        else:  # another codec: ask document by document
            for docnum in range(count):
                lengths[base + docnum] = leaf.doc_field_length(docnum, field_name, 0) or 0
    return lengths


def _postings(reader: Any, field_name: str, term: str) -> tuple[IntArray, FloatArray]:
    ids: list[Any] = []
    weights: list[Any] = []
    for leaf, base in reader.leaf_readers():
        if (field_name, term) not in leaf:
            continue
        matcher = leaf.postings(field_name, term)
        if isinstance(matcher, W3LeafMatcher):
            while matcher.is_active():  # whole blocks: ids and weights arrays
                matcher._read_ids()
                matcher._read_weights()
                ids.append(np.asarray(matcher._ids, dtype=np.int64) + base)
                weights.append(np.asarray(matcher._weights, dtype=np.float64))
                matcher._next_block()
        else:
            block_ids, block_weights = [], []
            while matcher.is_active():
                block_ids.append(matcher.id() + base)
                block_weights.append(matcher.weight())
                matcher.next()
            ids.append(np.asarray(block_ids, dtype=np.int64))
            weights.append(np.asarray(block_weights, dtype=np.float64))
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(ids), np.concatenate(weights)


def _invert(text: str) -> str:
    """A string that sorts in the reverse order of ISO dates."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


class WhooshSearchIndex:
    """The SearchIndex on a whoosh index in `directory`.

    The index is written only by replaying the database's change log (`catch_up`), under
    whoosh's own file lock, before a search: whichever process (server or CLI) committed a
    change, the next search anywhere first brings the index to the database's generation,
    so an answer never comes from an index behind the database it is served beside.
    """

    name = "whoosh"

    def __init__(self, directory: Path, database: Database) -> None:
        self.directory = directory
        self.database = database
        # The generation the open snapshot reflects (-1: unknown, catch up before answering),
        # and of which database
        self.generation = -1
        self.identity = ""
        self._lock = threading.RLock()
        self._catching_up = asyncio.Lock()
        self._index: index.Index | None = None
        self._snapshot: _Snapshot | None = None

    # ------------------------------------------------------------------ opening

    def _open(self) -> None:
        if index.exists_in(str(self.directory)):
            try:
                self._index = index.open_dir(str(self.directory))
                self._refresh()
                return
            except Exception:  # an unreadable index is rebuilt by check_and_repair
                log.exception("whoosh index at %s unreadable; it will be rebuilt", self.directory)
        self._create_empty(self.directory)
        self._index = index.open_dir(str(self.directory))
        self._refresh()

    @staticmethod
    def _create_empty(directory: Path) -> None:
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        index.create_in(str(directory), build_schema())

    def _refresh(self) -> None:
        """Open a new snapshot of what is on disk and the generation recorded beside it."""
        with self._lock:
            assert self._index is not None
            old = self._snapshot
            stored = self.stored_state()
            searcher = self._index.searcher(weighting=BM25F(B=BM25_B, K1=BM25_K1))
            self._snapshot = _Snapshot.load(searcher)
            self.generation = stored.generation if stored else -1
            self.identity = stored.identity if stored else ""
            if old is not None:
                old.searcher.close()

    def stored_state(self) -> IndexState | None:
        """What the index on disk reflects; None if unknown or made by another analyzer."""
        path = self.directory / GENERATION_FILE
        try:
            data = json.loads(path.read_text())
            if data["analyzer"] != ANALYZER_VERSION:
                return None
            return IndexState(str(data.get("identity", "")), int(data["generation"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @staticmethod
    def _write_state(directory: Path, state: IndexState) -> None:
        path = directory / GENERATION_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps(
                {
                    "identity": state.identity,
                    "generation": state.generation,
                    "analyzer": ANALYZER_VERSION,
                }
            )
        )
        temporary.replace(path)

    def _reflects(self, state: IndexState) -> bool:
        return self.generation == state.generation and self.identity == state.identity

    # ------------------------------------------------------------------ writing

    async def index_datasets(self, session: AsyncSession, dataset_ids: Iterable[int]) -> None:
        """Nothing to do inside the unit of work: `record_catalogue_change` logs the ids in
        the same transaction, and the next search anywhere replays them (`catch_up`)."""

    async def catch_up(self) -> None:
        """Bring the index to the database's state before answering from it.

        Reads the identity and generation (one statement), and only when the snapshot's
        differ takes the in-process lock, then whoosh's file lock (other processes on this
        folder), and rewrites the datasets the change log names, built from the database as
        it is now (or everything, when the index is not of this database or ahead of it).
        Everything is decided under the file lock from what is on disk, so two writers can
        never put an older document over a newer one."""
        async with self.database.session() as session:
            target = await database_state(session)
        if self._reflects(target):
            return
        async with self._catching_up:
            if self._reflects(target):
                return
            await self._replay()

    async def _replay(self) -> None:
        assert self._index is not None
        writer = await asyncio.to_thread(self._index.writer, timeout=WRITE_LOCK_SECONDS)
        try:
            stored = self.stored_state()
            async with self.database.session() as session:
                state = await database_state(session)
                if stored == state:  # another process got there first
                    writer.cancel()
                    await asyncio.to_thread(self._refresh)
                    return
                changed = None  # another database's index, or ahead of it: never trusted
                if (
                    stored is not None
                    and stored.identity == state.identity
                    and stored.generation < state.generation
                ):
                    changed = await changed_between(session, stored.generation, state.generation)
                rebuild = changed is None
                ids = await live_dataset_ids(session) if changed is None else sorted(changed)
                documents: list[SearchDocument] = []
                gone: list[int] = []
                for start in range(0, len(ids), BUILD_BATCH):
                    batch, batch_gone = await build_documents(
                        session, ids[start : start + BUILD_BATCH]
                    )
                    documents += batch
                    gone += batch_gone
            if rebuild:
                log.warning("whoosh index at %s, database at %s: rebuilding", stored, state)
            await asyncio.to_thread(self._write, writer, documents, gone, state, rebuild)
        except BaseException:
            writer.cancel()
            raise

    def _write(
        self,
        writer: Any,
        documents: Sequence[SearchDocument],
        gone: Sequence[int],
        state: IndexState,
        rebuild: bool,
    ) -> None:
        """Commit the documents, then record the state they bring the index to."""
        for dataset_id in gone:
            writer.delete_by_term("key", str(dataset_id))
        for document in documents:
            writer.update_document(**whoosh_fields(document))
        writer.commit(mergetype=CLEAR) if rebuild else writer.commit()
        self._write_state(self.directory, state)
        self._refresh()

    async def reindex_all(self) -> int:
        """Rebuild from the database into a new folder and swap it in (bulk, two processes)."""
        async with self._catching_up:
            async with self.database.session() as session:
                state = await database_state(session)
                ids = await live_dataset_ids(session)
                documents: list[SearchDocument] = []
                for start in range(0, len(ids), BUILD_BATCH):
                    batch, _ = await build_documents(session, ids[start : start + BUILD_BATCH])
                    documents += batch
            building = self.directory.with_name(self.directory.name + ".new")
            await asyncio.to_thread(
                write_fresh_index, building, documents, state.generation, state.identity
            )
            await asyncio.to_thread(self._swap_in, building)
        return len(ids)

    def _swap_in(self, building: Path) -> None:
        with self._lock:
            old = self.directory.with_name(self.directory.name + ".old")
            if old.exists():
                shutil.rmtree(old)
            if self.directory.exists():
                self.directory.rename(old)
            building.rename(self.directory)
            self._index = index.open_dir(str(self.directory))
            self._refresh()
            shutil.rmtree(old, ignore_errors=True)

    async def check_and_repair(self) -> bool:
        """At start-up: a fresh or foreign index (another database's, another analyzer's, or
        ahead of this database) is rebuilt in bulk, one that is merely behind replays the
        change log. True if anything was written."""
        async with self.database.session() as session:
            state = await database_state(session)
        stored = self.stored_state()
        if stored == state:
            return False
        if stored is None and state.generation == 0:  # a new, empty store: nothing to index
            self._write_state(self.directory, state)
            await asyncio.to_thread(self._refresh)
            return False
        if (
            stored is None
            or stored.identity != state.identity
            or stored.generation > state.generation
        ):
            log.warning("whoosh index %s, database at %s: rebuilding", stored, state)
            await self.reindex_all()
        else:
            await self.catch_up()
        return True

    async def close(self) -> None:
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.searcher.close()
                self._snapshot = None
            if self._index is not None:
                self._index.close()
                self._index = None

    # ------------------------------------------------------------------ searching

    async def search(self, search_query: SearchQuery) -> SearchResults:
        try:
            await self.catch_up()
        except Exception as error:  # never answer from an index that may be behind
            log.exception("bringing the whoosh index up to date failed")
            raise SearchUnavailable(
                "Pencarian sedang dibangun ulang; coba lagi sebentar lagi.",
                "Search is being rebuilt; try again shortly.",
            ) from error
        return await asyncio.to_thread(self.search_sync, search_query)

    def _current(self) -> _Snapshot:
        """The snapshot, refreshed at most once a second if another process wrote."""
        snapshot = self._snapshot
        assert snapshot is not None
        if time.monotonic() - snapshot.checked_at > 1.0:
            snapshot.checked_at = time.monotonic()
            if not snapshot.searcher.up_to_date():
                self._refresh()
                snapshot = self._snapshot
                assert snapshot is not None
        return snapshot

    def plan(self, text: str, snapshot: _Snapshot) -> QueryPlan:
        reader = snapshot.searcher.reader()
        exact = exact_plans(text)
        known = [
            any(reader.doc_frequency(field, term) > 0 for field, term in _terms(plan))
            for plan in exact
        ]

        def near(word: str, budget: int) -> list[str]:
            return list(reader.terms_within("words", word, budget, prefix=1))

        return finish_plan(exact, known, near)

    def search_sync(self, search_query: SearchQuery) -> SearchResults:
        with self._lock:
            snapshot = self._current()
            plan = self.plan(search_query.text, snapshot)
            if plan.empty:
                return search_results(0, [])
            docnums, scores = snapshot.score(plan)
            if search_query.order != "RELEVANCE":
                scores = np.zeros(len(docnums), dtype=np.float64)
            keep = snapshot.live[docnums]
            condition = snapshot.table.filter_mask(search_query.filter)
            if condition is not None:
                keep &= condition[docnums]
            docnums, scores = docnums[keep], scores[keep]
            order = self._order(snapshot, search_query.order, docnums, scores)
            window = order[search_query.offset : search_query.offset + search_query.limit]
            hits = [
                self._hit(snapshot, int(docnums[i]), float(scores[i]), plan, search_query)
                for i in window
            ]
            counted = None
            if search_query.with_facets:
                selected = np.zeros(snapshot.table.size, dtype=np.bool_)
                selected[docnums] = True
                counted = snapshot.table.count(selected, FACETS)
            return search_results(len(docnums), hits, counted, snapshot.agency_names)

    @staticmethod
    def _order(snapshot: _Snapshot, order: str, docnums: IntArray, scores: Any) -> IntArray:
        if order == "TITLE":
            return np.argsort(snapshot.title_rank[docnums], kind="stable")
        if order == "RECENTLY_UPDATED":
            return np.argsort(snapshot.recent_rank[docnums], kind="stable")
        # Rounded so that equal scores computed in another order still tie; ties by slug.
        return np.lexsort((snapshot.slug_rank[docnums], -np.round(scores, 6)))

    @staticmethod
    def _hit(
        snapshot: _Snapshot, docnum: int, score: float, plan: QueryPlan, search_query: SearchQuery
    ) -> SearchHit:
        snippet = None
        if search_query.with_highlights:
            texts = snapshot.searcher.stored_fields(docnum)["texts"]
            snippet = highlight(texts, plan.id_terms, plan.en_terms)
        return SearchHit(
            dataset_id=int(snapshot.dataset_ids[docnum]),
            slug=snapshot.slugs[docnum],
            score=round(score, 6),
            highlight=snippet,
        )


def _terms(plan: WordPlan) -> list[tuple[str, str]]:
    """(field, term) pairs one query word looks for in every text field."""
    pairs = []
    for field_name, language in _LANGUAGE.items():
        terms = plan.en_terms if language == "en" else plan.id_terms
        pairs += [(field_name, term) for term in terms]
    return pairs


async def open_whoosh_index(directory: Path, database: Database) -> WhooshSearchIndex:
    """Open (creating if needed) and repair: the index agrees with the database on return."""
    search_index = WhooshSearchIndex(directory, database)
    await asyncio.to_thread(search_index._open)
    await search_index.check_and_repair()
    return search_index
