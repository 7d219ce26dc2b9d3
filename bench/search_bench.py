"""Search at two scales: build time and latency of both backends against SQLite FTS5.

Synthetic datasets (titles, English titles, descriptions, keywords, fields and cell values
in the shape of a regency's catalogue) are generated with a fixed seed, indexed by whoosh
(in bench/.scratch/) and by PostgreSQL (in a fresh database, dropped afterwards), and
searched through the search module: query, top 20 with highlights, all four facets. The
reference is plain SQLite FTS5 on the same records: bm25 top 20 with snippets plus a
GROUP BY facet count.

Build figures include text analysis for both backends (each gets freshly generated
documents). The query mix below is fixed. Share of datasets each query matches at 10,000
(1-word queries): kakap 42%, penduduk 16%, kesehatan/health/kesehtan 14%, sekolah 7%,
jalan 6%, banjir 4%, jembatan 3%, anggaran 3%; 2-word: sungai kakap 17%, jumlah penduduk
10%, the rest 2-4% (imunisasi balita 0%); 3-word: 1-3% (two match nothing). "kakap" is
broad because every synthetic dataset lists 8 place names as cell values, as per-kecamatan
tables of a regency do (every one of them names Sungai Kakap); it is kept as the stress
case. With 30 queries, p95 is set by the two or three broadest queries, not the typical one.

Beside that mix (`p50_ms`/`p95_ms` without `queries`), each backend reports p50/p95 by kind
of typical query (`queries`: one_word, two_words, typo, filter, stem, english; "typical" is
all of them together) and, apart, the broad stress case. The full run measures 10,000 and
100,000 datasets; `OPENDATA_BENCH_SEARCH_SCALES=100000,1000000` picks the scales (national
scale, issue 26: whoosh is left out above 100,000, its build runs near 500 datasets/s).
Documents are generated and written in batches, never all held at once.
`OPENDATA_BENCH_SEARCH_KEEP=1` keeps each PostgreSQL scale in `opendata_bench_search_<scale>`
and measures it again on the next run (migrated to head, not rebuilt; no build figures then):
loading 1,000,000 datasets takes minutes. Drop those databases by hand when done.

PostgreSQL reads at most EXACT_UP_TO (5,000) matches per query (issue 26): at 1,000,000 most
typical queries here match more than that, so their totals and facets say "more than 5,000"
(`exact` false) and FTS5's reference still counts every match.
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
import sqlite3
import statistics
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import insert

from opendata.catalogue.changes import bump_generation
from opendata.catalogue.queries import DatasetFilter
from opendata.catalogue.topics import TOPIC_LABELS
from opendata.db.engine import Database
from opendata.db.migrate import upgrade_to_head
from opendata.db.models import Agency, Dataset
from opendata.search.documents import SearchDocument
from opendata.search.index import database_state
from opendata.search.postgres_backend import PostgresSearchIndex, write_documents
from opendata.search.query import SearchQuery
from opendata.search.whoosh_backend import WhooshSearchIndex, write_fresh_index

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / ".scratch" / "search"
PG_DSN = os.environ.get("OPENDATA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")

TARGETS = {
    ("whoosh", 10_000, "p95_ms"): 25.0,
    ("postgres", 10_000, "p95_ms"): 10.0,
    ("postgres", 100_000, "p95_ms"): 50.0,
    ("postgres", 1_000_000, "p95_ms"): 100.0,
    ("whoosh", None, "datasets_per_second"): 2_000.0,
    ("postgres", None, "datasets_per_second"): 10_000.0,
}

SUBJECTS = {
    "kesehatan": [
        ("tenaga kesehatan", "health workers"),
        ("kasus demam berdarah", "dengue fever cases"),
        ("imunisasi dasar lengkap", "complete basic immunisation"),
        ("balita gizi buruk", "severely malnourished toddlers"),
        ("kunjungan puskesmas", "community health centre visits"),
        ("angka kematian ibu", "maternal mortality"),
    ],
    "pendidikan": [
        ("jumlah siswa sekolah dasar", "primary school pupils"),
        ("guru bersertifikat", "certified teachers"),
        ("angka partisipasi sekolah", "school enrolment rate"),
        ("ruang kelas rusak", "damaged classrooms"),
    ],
    "infrastruktur": [
        ("kondisi jalan kabupaten", "district road condition"),
        ("jembatan", "bridges"),
        ("jaringan irigasi", "irrigation network"),
        ("penerangan jalan umum", "street lighting"),
    ],
    "kependudukan": [
        ("jumlah penduduk", "population"),
        ("penduduk miskin", "people in poverty"),
        ("kelahiran dan kematian", "births and deaths"),
        ("kepemilikan KTP elektronik", "electronic ID card ownership"),
    ],
    "keuangan": [
        ("realisasi anggaran daerah", "regional budget realisation"),
        ("pendapatan asli daerah", "own-source revenue"),
        ("belanja modal", "capital expenditure"),
        ("pajak kendaraan bermotor", "motor vehicle tax"),
    ],
    "kebencanaan": [
        ("kejadian banjir", "floods"),
        ("kebakaran hutan dan lahan", "forest and land fires"),
        ("pengungsi bencana", "disaster evacuees"),
    ],
    "ekonomi": [
        ("produksi padi", "rice production"),
        ("harga bahan pokok", "staple food prices"),
        ("usaha mikro kecil", "micro and small enterprises"),
        ("hasil tangkapan nelayan", "fishermen's catch"),
    ],
    "sosial": [
        ("penerima bantuan sosial", "social assistance recipients"),
        ("penyandang disabilitas", "people with disabilities"),
        ("rumah tidak layak huni", "uninhabitable houses"),
    ],
}
MEASURES = ["Jumlah", "Data", "Rekapitulasi", "Persentase", "Daftar", "Profil", "Indeks"]
QUALIFIERS = [
    ("per kecamatan", "by subdistrict"),
    ("per desa", "by village"),
    ("menurut jenis kelamin", "by sex"),
    ("menurut kelompok umur", "by age group"),
    ("per bulan", "by month"),
    ("menurut status", "by status"),
]
PLACE_PARTS = [
    "Sungai", "Kuala", "Teluk", "Batu", "Rasau", "Punggur", "Kakap", "Ambawang", "Mandor",
    "Sepatah", "Terentang", "Kubu", "Pinang", "Parit", "Tanjung", "Limbung", "Arang", "Jawi",
    "Durian", "Padang", "Tebang", "Bengkayang", "Segedong", "Siantan", "Retok", "Mempawah",
]  # fmt: skip
PLACE_SUFFIXES = ["Raya", "Jaya", "Besar", "Kecil", "Baru", "Lama", "Hulu", "Hilir", "Dalam"]
FILLER = [
    "data",
    "ini",
    "disusun",
    "oleh",
    "bidang",
    "terkait",
    "berdasarkan",
    "laporan",
    "bulanan",
    "dari",
    "unit",
    "pelaksana",
    "teknis",
    "dan",
    "diverifikasi",
    "sebelum",
    "dipublikasikan",
    "kepada",
    "masyarakat",
    "sebagai",
    "bahan",
    "perencanaan",
    "pembangunan",
    "evaluasi",
    "program",
    "pemantauan",
    "kinerja",
    "pelayanan",
    "publik",
    "pengambilan",
    "keputusan",
    "penelitian",
    "dan",
    "pengawasan",
    "oleh",
    "warga",
]
FIELD_LABELS = [
    ("kecamatan", "Kecamatan"),
    ("desa", "Desa/Kelurahan"),
    ("tahun", "Tahun"),
    ("jumlah", "Jumlah"),
    ("laki_laki", "Laki-laki"),
    ("perempuan", "Perempuan"),
    ("persentase", "Persentase"),
    ("keterangan", "Keterangan"),
]
FORMATS = ["CSV", "XLSX", "JSON", "PDF"]

QUERIES = [
    # one word: broad, narrow, English, a typo
    "kesehatan", "penduduk", "sekolah", "jalan", "anggaran", "banjir", "kakap", "health",
    "kesehtan", "jembatan",
    # two words
    "tenaga kesehatan", "jumlah penduduk", "kondisi jalan", "realisasi anggaran",
    "sungai kakap", "demam berdarah", "school enrolment", "penduduk miskin",
    "imunisasi balita", "bantuan sosial",
    # three words
    "jumlah tenaga kesehatan", "realisasi anggaran daerah", "kasus demam berdarah",
    "penduduk miskin desa", "kejadian banjir kecamatan", "produksi padi kecamatan",
    "angka kematian ibu", "jalan rusak kabupaten", "road condition district",
    "guru sekolah dasar",
]  # fmt: skip
# Typical queries by kind (issue 26), each kind's p50/p95 reported beside the mix above.
# "broad" is the stress case kept apart: "kakap" matches 42% of all datasets.
NO_FILTER = DatasetFilter()
KINDS: dict[str, list[tuple[str, DatasetFilter]]] = {
    "one_word": [
        (t, NO_FILTER) for t in ("kesehatan", "sekolah", "banjir", "jembatan", "anggaran")
    ],
    "two_words": [
        (t, NO_FILTER)
        for t in (
            "tenaga kesehatan",
            "jumlah penduduk",
            "demam berdarah",
            "penduduk miskin",
            "bantuan sosial",
        )
    ],
    "typo": [(t, NO_FILTER) for t in ("kesehtan", "pendudk", "jembtan", "angaran", "sekolh")],
    "filter": [
        ("kesehatan", DatasetFilter(agencies=("opd-000",))),
        ("penduduk", DatasetFilter(year=2020)),
        ("jalan", DatasetFilter(topics=("infrastruktur",))),
        ("banjir", DatasetFilter(formats=("CSV",))),
        ("jumlah penduduk", DatasetFilter(agencies=("opd-003",), year=2022)),
    ],
    "stem": [(t, NO_FILTER) for t in ("kependudukan", "penduduk", "pendidikan", "didik", "sehat")],
    "english": [
        (t, NO_FILTER)
        for t in ("health", "population", "school enrolment", "floods", "road condition")
    ],
    "broad": [(t, NO_FILTER) for t in ("kakap", "sungai kakap")],
}
TYPICAL = [kind for kind in KINDS if kind != "broad"]
# The full run's scales; OPENDATA_BENCH_SEARCH_SCALES=300000,1000000 for national scale
# (PostgreSQL and the FTS5 reference only above WHOOSH_UP_TO: whoosh builds ~500/s).
FULL_SCALES = (10_000, 100_000)
WHOOSH_UP_TO = 100_000
BATCH = 10_000


def place_names(rng: random.Random, count: int) -> list[str]:
    names = {f"{rng.choice(PLACE_PARTS)} {rng.choice(PLACE_PARTS + PLACE_SUFFIXES)}"}
    while len(names) < count:
        names.add(f"{rng.choice(PLACE_PARTS)} {rng.choice(PLACE_PARTS + PLACE_SUFFIXES)}")
    return sorted(names)


def agency_rows() -> list[tuple[str, str, str]]:
    """The 40 agencies as (slug, name, acronym)."""
    topics = list(SUBJECTS)
    return [
        (f"opd-{i:03d}", f"Dinas {TOPIC_LABELS[topics[i % len(topics)]][0]} Wilayah {i}", f"D{i}")
        for i in range(40)
    ]


def iter_documents(count: int, seed: int = 7) -> Iterator[SearchDocument]:
    """The documents one at a time (a million of them, analysed, do not fit in memory
    comfortably), deterministic for a seed: the same sequence as `generate`."""
    rng = random.Random(seed)
    topics = list(SUBJECTS)
    agencies = agency_rows()
    places = place_names(rng, 400)
    for number in range(count):
        agency_index = rng.randrange(len(agencies))
        topic = topics[agency_index % len(topics)]
        subject, subject_en = rng.choice(SUBJECTS[topic])
        qualifier, qualifier_en = rng.choice(QUALIFIERS)
        measure = rng.choice(MEASURES)
        start = rng.randint(2015, 2024)
        end = min(2024, start + rng.randint(0, 3))
        place = rng.choice(places)
        title = f"{measure} {subject.title()} {qualifier} di {place} Tahun {start}"
        description = (
            f"{measure} {subject} {qualifier} di wilayah {place} tahun {start} sampai {end}. "
            + " ".join(rng.sample(FILLER, 14))
            + "."
        )
        fields = rng.sample(FIELD_LABELS, 4)
        yield SearchDocument(
            dataset_id=number + 1,
            slug=f"ds-{number:06d}",
            title=title,
            title_en=f"{subject_en.capitalize()} {qualifier_en} in {place}, {start}",
            description=description,
            description_en=f"{subject_en.capitalize()} {qualifier_en}, {start} to {end}.",
            keywords=[subject, topic],
            topics=[topic] + ([rng.choice(topics)] if rng.random() < 0.2 else []),
            agency_slug=agencies[agency_index][0],
            agency_name=agencies[agency_index][1],
            agency_acronym=agencies[agency_index][2],
            field_labels=[label for pair in fields for label in pair],
            values=rng.sample(places, 8),
            category="PERIODIC",
            formats=sorted(set(rng.sample(FORMATS, rng.randint(1, 2)))),
            years=list(range(start, end + 1)),
            modified=date(end, rng.randint(1, 12), rng.randint(1, 28)),
        )


def generate(count: int, seed: int = 7) -> tuple[list[tuple[str, str, str]], list[SearchDocument]]:
    """(agencies as (slug, name, acronym), documents), deterministic for a seed."""
    return agency_rows(), list(iter_documents(count, seed))


def batches(count: int, size: int) -> Iterator[list[SearchDocument]]:
    """Freshly generated documents in lists of `size` (each backend analyses its own)."""
    documents = iter_documents(count)
    while batch := list(itertools.islice(documents, size)):
        yield batch


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98]}


def figures(
    backend: str, scale: int, values: dict[str, float], **extra: Any
) -> list[dict[str, Any]]:
    out = []
    for metric, value in values.items():
        target = TARGETS.get((backend, scale, metric), TARGETS.get((backend, None, metric)))
        figure: dict[str, Any] = {
            "scale": scale,
            "backend": backend,
            "metric": metric,
            "value": round(value, 3),
        }
        if target is not None:
            better = value <= target if metric.endswith("_ms") else value >= target
            figure.update(target=target, met=better)
        out.append({**figure, **extra})
    return out


Search = Callable[[str, DatasetFilter], Any]


async def measure(search: Search, rounds: int) -> dict[str, list[float]]:
    """Latency samples (ms) by kind: "mix" (QUERIES) and each of KINDS."""
    queries = [("mix", text, NO_FILTER) for text in QUERIES]
    queries += [(kind, text, f) for kind, entries in KINDS.items() for text, f in entries]
    for _, text, dataset_filter in queries:  # warm caches once
        await search(text, dataset_filter)
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, text, dataset_filter in queries:
            started = time.perf_counter()
            await search(text, dataset_filter)
            samples.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return samples


def latency_figures(
    backend: str, scale: int, build: float, samples: dict[str, list[float]]
) -> list[dict[str, Any]]:
    """Build figures and the mix's percentiles (as before issue 26), then per kind and over
    all typical kinds together (`queries`)."""
    values = {"build_seconds": build, "datasets_per_second": scale / build}
    if build != build:  # NaN: a kept database, built by an earlier run
        values = {}
    values.update(percentiles(samples["mix"]))
    out = figures(backend, scale, values)
    typical = [sample for kind in TYPICAL for sample in samples[kind]]
    for kind, kind_samples in [("typical", typical), *[(k, samples[k]) for k in KINDS]]:
        cuts = percentiles(kind_samples)
        out += figures(
            backend, scale, {"p50_ms": cuts["p50_ms"], "p95_ms": cuts["p95_ms"]}, queries=kind
        )
    return out


def searcher(index: Any) -> Search:
    async def search(text: str, dataset_filter: DatasetFilter) -> Any:
        return await index.search(SearchQuery(text=text, filter=dataset_filter, limit=20))

    return search


# ---------------------------------------------------------------------------- whoosh


async def bench_whoosh(scale: int, rounds: int) -> list[dict]:
    directory = SCRATCH / f"whoosh-{scale}"
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    # the index checks the database identity and generation before each search: a database
    # at the state the index was written at, as the service has beside it (written with
    # identity "", the index was rebuilt from this empty database before the first search)
    database = Database(f"sqlite+aiosqlite:///{directory / 'catalogue.sqlite3'}")
    await upgrade_to_head(database)
    async with database.write() as session:
        await bump_generation(session)
    async with database.session() as session:
        state = await database_state(session)
    documents = generate(scale)[1]
    started = time.perf_counter()
    write_fresh_index(directory / "index", documents, state.generation, state.identity)
    build = time.perf_counter() - started
    index = WhooshSearchIndex(directory / "index", database=database)
    index._open()
    try:
        samples = await measure(searcher(index), rounds)
    finally:
        await index.close()
        await database.dispose()
    return latency_figures("whoosh", scale, build, samples)


# ---------------------------------------------------------------------------- postgres


async def load_postgres(database: Database, scale: int) -> float:
    """Agencies, datasets and their search rows, BATCH datasets per transaction; returns
    the seconds spent writing search rows (analysis included) and analysing the table."""
    agencies = agency_rows()
    ids = {slug: i + 1 for i, (slug, _, _) in enumerate(agencies)}
    async with database.write() as session:
        await session.execute(
            insert(Agency), [{"slug": s, "name": n, "acronym": a} for s, n, a in agencies]
        )
    build = 0.0
    for documents in batches(scale, BATCH):
        rows = [
            {
                "id": d.dataset_id,
                "slug": d.slug,
                "agency_id": ids[d.agency_slug],
                "title": d.title,
                "keywords": d.keywords,
                "topics": d.topics,
                "category": d.category,
                "description": "",
                "license": "",
                "source_path": "",
                "content_hash": "",
            }
            for d in documents
        ]
        async with database.write() as session:
            for start in range(0, len(rows), 5000):
                await session.execute(insert(Dataset), rows[start : start + 5000])
            started = time.perf_counter()
            for start in range(0, len(documents), 2000):
                await write_documents(session, documents[start : start + 2000], [])
            build += time.perf_counter() - started
    started = time.perf_counter()
    async with database.engine.connect() as connection:
        # VACUUM as autovacuum would after a bulk load: the visibility map lets a count
        # skip heap pages (PostgreSQL's bitmap scan skip-fetch).
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.exec_driver_sql("VACUUM ANALYZE dataset_search")
        await connection.exec_driver_sql("VACUUM ANALYZE dataset_search_texts")
    return build + time.perf_counter() - started


def kept() -> bool:
    """OPENDATA_BENCH_SEARCH_KEEP=1: build each scale once into a kept database."""
    return os.environ.get("OPENDATA_BENCH_SEARCH_KEEP", "") == "1"


async def kept_rows(admin: asyncpg.Connection, base: str, name: str) -> int | None:
    """Search rows in the kept database `name`, or None when there is no such database."""
    if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
        return None
    connection = await asyncpg.connect(f"{base}/{name}")
    try:
        if not await connection.fetchval("SELECT to_regclass('dataset_search') IS NOT NULL"):
            return 0
        return int(await connection.fetchval("SELECT count(*) FROM dataset_search"))
    finally:
        await connection.close()


async def bench_postgres(scale: int, rounds: int) -> list[dict]:
    keep = kept()
    name = f"opendata_bench_search_{scale}" if keep else f"opendata_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(PG_DSN)
    base, _, _ = PG_DSN.rpartition("/")
    found = await kept_rows(admin, base, name) if keep else None
    if found is not None and found != scale:  # a build cut short: start again
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    if found != scale:
        await admin.execute(f'CREATE DATABASE "{name}"')
    database = Database(f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        await upgrade_to_head(database)
        build = await load_postgres(database, scale) if found != scale else float("nan")
        samples = await measure(searcher(PostgresSearchIndex(database)), rounds)
    finally:
        await database.dispose()
        if not keep:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return latency_figures("postgres", scale, build, samples)


# ---------------------------------------------------------------------------- fts5


def fts5_rows(document: SearchDocument) -> tuple[tuple[Any, ...], list[tuple[int, str, str]]]:
    texts = document.texts()
    row = (
        document.dataset_id,
        texts["title"],
        texts["title_en"],
        texts["meta"],
        texts["description"],
        texts["description_en"],
        texts["fields"],
        texts["values"],
    )
    pairs = [("agency", document.agency_slug)]
    pairs += [("topic", t) for t in document.topics]
    pairs += [("format", f) for f in document.formats]
    pairs += [("year", str(y)) for y in document.years]
    return row, [(document.dataset_id, *p) for p in pairs]


async def bench_fts5(scale: int, rounds: int) -> list[dict]:
    path = SCRATCH / f"fts5-{scale}.sqlite3"
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    started = time.perf_counter()
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, title_en, meta, description,"
        " description_en, fields, cells, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("CREATE TABLE facets (doc INTEGER, facet TEXT, value TEXT)")
    for documents in batches(scale, BATCH):
        for document in documents:
            row, pairs = fts5_rows(document)
            connection.execute(
                "INSERT INTO docs (rowid, title, title_en, meta, description, description_en,"
                " fields, cells) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            connection.executemany("INSERT INTO facets VALUES (?, ?, ?)", pairs)
    connection.execute("CREATE INDEX ix_facets_doc ON facets (doc)")
    connection.execute("CREATE INDEX ix_facets_value ON facets (facet, value, doc)")
    connection.commit()
    build = time.perf_counter() - started

    def fts_query(text: str) -> str:
        return " ".join('"' + word.replace('"', "") + '"' for word in text.split())

    def restrict(dataset_filter: DatasetFilter) -> tuple[str, list[str]]:
        """The filter as `rowid IN (facet rows)` conditions, one per facet asked."""
        sql, args = "", []
        for facet, values in dataset_filter.facet_conditions():
            marks = ", ".join("?" * len(values))
            sql += f" AND +rowid IN (SELECT doc FROM facets WHERE facet = ? AND value IN ({marks}))"
            args += [facet, *values]
        return sql, args

    async def search(text: str, dataset_filter: DatasetFilter) -> Any:
        match = fts_query(text)
        condition, args = restrict(dataset_filter)
        top = connection.execute(
            "SELECT rowid, bm25(docs, 5.0, 4.0, 2.5, 1.5, 1.2, 1.0, 0.6) AS rank,"
            " snippet(docs, -1, '<mark>', '</mark>', '…', 24) FROM docs WHERE docs MATCH ?"
            f"{condition} ORDER BY rank LIMIT 20",
            (match, *args),
        ).fetchall()
        facets = connection.execute(
            "SELECT facet, value, count(*) FROM facets WHERE doc IN"
            f" (SELECT rowid FROM docs WHERE docs MATCH ?{condition}) GROUP BY facet, value",
            (match, *args),
        ).fetchall()
        return top, facets

    try:
        samples = await measure(search, rounds)
    finally:
        connection.close()
        path.unlink(missing_ok=True)
    return latency_figures("sqlite-fts5", scale, build, samples)


def full_scales() -> tuple[int, ...]:
    """FULL_SCALES, or the scales OPENDATA_BENCH_SEARCH_SCALES lists (comma-separated)."""
    listed = os.environ.get("OPENDATA_BENCH_SEARCH_SCALES", "")
    return tuple(int(s.replace("_", "")) for s in listed.split(",") if s.strip()) or FULL_SCALES


async def run(quick: bool) -> AsyncIterator[dict[str, Any]]:
    scales = (2_000, 10_000) if quick else full_scales()
    rounds = 2 if quick else 5
    SCRATCH.mkdir(parents=True, exist_ok=True)
    for scale in scales:
        reference = await bench_fts5(scale, rounds)
        for figure in reference:
            yield figure
        # Each backend generates its own documents (same seed, same content): documents
        # cache their analysis, so sharing them let the second build skip it.
        backends = [bench_postgres]
        if scale <= WHOOSH_UP_TO:
            backends.insert(0, bench_whoosh)
        for bench in backends:
            results = await bench(scale, rounds)
            for figure in results:
                yield figure
            for kind in ("mix", "typical"):
                ours, fts = (
                    next(
                        f["value"]
                        for f in figs
                        if f["metric"] == "p95_ms" and f.get("queries", "mix") == kind
                    )
                    for figs in (results, reference)
                )
                yield {
                    "scale": scale,
                    "backend": results[0]["backend"],
                    "metric": "p95_ratio_to_fts5",
                    "queries": kind,
                    "value": round(ours / fts, 2),
                }
    shutil.rmtree(SCRATCH, ignore_errors=True)
