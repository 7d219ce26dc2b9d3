"""True dates at every door: `issued` when a dataset first appeared (kept across reloads),
`modified` when its data changed; feeds that move when a dataset is added and answer 304."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import sqlalchemy as sa
from alembic import command
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from opendata.catalogue.loader import load_catalog
from opendata.db.base import UtcDateTime
from opendata.db.migrate import alembic_config
from opendata.db.models import Dataset
from opendata.interop.records import record_by_slug
from opendata.interop.schemaorg import dataset_json_ld
from opendata.regency_time import regency_today
from opendata.urls import PublicUrls
from tests.catalogue.builders import write_dataset
from tests.catalogue.test_migration import migrated
from tests.conftest import DatabaseFactory
from tests.interop.conftest import PUBLIC, World, harvest_catalog
from tests.publishing.versions_world import FIELDS, V1, approved, make_people, submitted

BASE = "http://testserver"
FIRST_MODIFIED = date(2026, 1, 15)  # `imunisasi-dasar` in the fixture catalogue


@dataclass(frozen=True)
class Dates:
    dcat: tuple[date, date]  # dct:issued, dct:modified
    schema: tuple[str, str]  # datePublished, dateModified
    atom: tuple[str, str]  # published, updated
    lastmod: str  # sitemap


async def _dates(world: World, slug: str) -> Dates:
    client = world.client
    graph = Graph().parse(data=(await client.get(f"/dataset/{slug}.ttl")).text, format="turtle")
    subject = URIRef(f"{BASE}/dataset/{slug}")
    issued = graph.value(subject, ns.DCTERMS.issued).toPython()  # type: ignore[union-attr]
    modified = graph.value(subject, ns.DCTERMS.modified).toPython()  # type: ignore[union-attr]
    async with world.services.database.session() as session:
        record = await record_by_slug(session, slug)
    assert record is not None
    schema = json.loads(dataset_json_ld(record, PublicUrls(BASE)))
    feed = feedparser.parse((await client.get("/feeds/datasets.atom")).content)
    (entry,) = [e for e in feed.entries if e.id == str(subject)]
    sitemap = ElementTree.fromstring((await client.get("/sitemap.xml")).content)
    space = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    (lastmod,) = [
        url.findtext("s:lastmod", namespaces=space)
        for url in sitemap.findall("s:url", space)
        if url.findtext("s:loc", namespaces=space) == str(subject)
    ]
    return Dates(
        (issued, modified),
        (schema["datePublished"], schema["dateModified"]),
        (entry.published[:10], entry.updated[:10]),
        lastmod or "",
    )


def _same_everywhere(dates: Dates, issued: date, modified: date) -> None:
    assert dates.dcat == (issued, modified)
    assert dates.schema == (issued.isoformat(), modified.isoformat())
    assert dates.atom == (issued.isoformat(), modified.isoformat())
    assert dates.lastmod == modified.isoformat()


async def test_issued_is_kept_across_reloads_and_modified_follows_the_data(
    world: World, tmp_path: Path
) -> None:
    # first appeared today, with data its publisher stated as modified on 15 January:
    # issued by then, never later than modified
    _same_everywhere(await _dates(world, PUBLIC), FIRST_MODIFIED, FIRST_MODIFIED)
    root = harvest_catalog(tmp_path / "again")
    write_dataset(
        root,
        "dinkes",
        PUBLIC,
        csv_text="kecamatan,tahun,kasus,nik,status\nKubu,2025,3,6112000000000009,terbuka\n",
        title="Cakupan Imunisasi Dasar",
        modified="2026-06-30",
        temporal={"start": 2025, "end": 2025},
    )
    summary = await load_catalog(world.services, root)
    assert PUBLIC in summary.updated
    _same_everywhere(await _dates(world, PUBLIC), FIRST_MODIFIED, date(2026, 6, 30))
    # loaded again unchanged: nothing moves
    await load_catalog(world.services, root)
    _same_everywhere(await _dates(world, PUBLIC), FIRST_MODIFIED, date(2026, 6, 30))


async def test_a_new_version_moves_modified_not_issued(world: World) -> None:
    people = await make_people(world.services)
    version = await submitted(world.client, people.producer, PUBLIC, V1, fields=FIELDS)
    await approved(world.client, people.steward, version["id"])
    _same_everywhere(await _dates(world, PUBLIC), FIRST_MODIFIED, regency_today())


async def test_a_dataset_first_published_through_the_service(
    world: World,
) -> None:
    people = await make_people(world.services)
    version = await submitted(world.client, people.producer, "bantuan-baru", V1, fields=FIELDS)
    await approved(world.client, people.steward, version["id"])
    # its descriptor states data modified on 30 June 2025 (BASE_DATASET): issued by then;
    # published today, which is when its data changed here
    _same_everywhere(await _dates(world, "bantuan-baru"), date(2025, 6, 30), regency_today())


def _http_date(response_header: str) -> datetime:
    return parsedate_to_datetime(response_header)


async def test_the_feed_moves_when_a_dataset_is_added_and_answers_304(
    world: World, tmp_path: Path
) -> None:
    client = world.client
    first = await client.get("/feeds/datasets.atom")
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    updated = feedparser.parse(first.content).feed.updated_parsed
    assert _http_date(last_modified).timetuple()[:6] == tuple(updated[:6])
    for validators in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
        again = await client.get("/feeds/datasets.atom", headers=validators)
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
    # a tag list with a weak copy of ours matches too; another tag does not
    listed = await client.get("/feeds/datasets.atom", headers={"If-None-Match": f'"x", W/{etag}'})
    assert listed.status_code == 304
    other = await client.get("/feeds/datasets.atom", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200

    # a dataset added with data older than every other: the feed still changed (a second
    # later at least: HTTP dates and Atom's, as feedparser reads them, have whole seconds)
    await asyncio.sleep(1.1)
    root = harvest_catalog(tmp_path / "more")
    write_dataset(root, "bpbd", "titik-banjir-lama", title="Titik Banjir", modified="2019-01-01")
    assert (await load_catalog(world.services, root)).added == ["titik-banjir-lama"]
    changed = await client.get(
        "/feeds/datasets.atom",
        headers={"If-None-Match": etag},
    )
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    feed = feedparser.parse(changed.content)
    assert feed.feed.updated_parsed > updated
    assert "titik-banjir-lama" in {e.id.rsplit("/", 1)[-1] for e in feed.entries}
    since_old = await client.get(
        "/feeds/datasets.atom", headers={"If-Modified-Since": last_modified}
    )
    assert since_old.status_code == 200
    future = format_datetime(datetime(2099, 1, 1).astimezone(), usegmt=False)
    assert (
        await client.get("/feeds/datasets.atom", headers={"If-Modified-Since": future})
    ).status_code == 304


# (slug, modified stated, the issued day migration 0026 gives it)
BEFORE_0026 = [
    ("dinyatakan-lebih-awal", "2026-01-15", date(2026, 1, 15)),
    ("tanpa-modified", None, date(2026, 3, 1)),  # the regency day: 03:00 WIB, not 28 Feb UTC
    ("dinyatakan-kemudian", "2026-06-30", date(2026, 3, 1)),
]


def _fill_0025(connection: sa.Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "0025")
    connection.execute(
        sa.text(
            "INSERT INTO agencies (id, slug, name, content_hash, created_at, updated_at) "
            "VALUES (1, 'bpbd', 'BPBD', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    )
    for number, (slug, modified, _) in enumerate(BEFORE_0026, start=1):
        connection.execute(
            sa.text(
                "INSERT INTO datasets (id, slug, agency_id, title, description, keywords, topics, "
                "license, category, modified, source_path, content_hash, created_at, updated_at) "
                "VALUES (:id, :slug, 1, 'Lama', '', '[]', '[]', '', 'PERIODIC', :modified, '', '', "
                ":appeared, :appeared)"
            ).bindparams(
                sa.bindparam("modified", type_=sa.Date()),
                sa.bindparam("appeared", type_=UtcDateTime()),
            ),
            {
                "id": number,
                "slug": slug,
                "modified": date.fromisoformat(modified) if modified else None,
                "appeared": datetime(2026, 2, 28, 20, 0, tzinfo=UTC),
            },
        )


async def test_migration_0026_gives_stored_datasets_their_issued_day(
    database_factory: DatabaseFactory, dialect: str, tmp_path: Path
) -> None:
    old = migrated(database_factory, dialect, tmp_path, _fill_0025)
    async with old as database, database.session() as session:
        stored = {d.slug: d.issued for d in await session.scalars(sa.select(Dataset))}
    assert stored == {slug: issued for slug, _, issued in BEFORE_0026}
