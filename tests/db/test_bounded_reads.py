"""A statement an index bounds runs where the event loop runs, on SQLite (issue 26).

Crossing to aiosqlite's thread costs two thread wake-ups a statement, on a busy machine a
wait for a core each: more than a key's lookup or a page after a key takes. So those
statements (`db.engine.bounded`) run on the loop's thread; anything that may read a whole
table (a count, a filter, a sort, a page under a ROW exemption) still crosses, so the loop
serves other requests meanwhile. A bounded statement keeps its deadline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.db.engine import BOUNDED_OPTION, Database, bounded
from opendata.db.models import Dataset, Resource
from opendata.errors import StatementTimedOut
from opendata.public_ids import to_global_id
from opendata.services import Services
from tests.catalogue.builders import ROW_EXEMPTION, write_agency, write_dataset
from tests.conftest import asgi_client
from tests.web.helpers import data, gql
from tests.web.test_statement_counts import listening

WHERE_AM_I = text("SELECT where_am_i()")
# a statement that runs for ever unless something stops it
ENDLESS = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
)


async def _thread_function(session: AsyncSession) -> None:
    """`where_am_i()` in SQL: the thread that runs the statement calling it."""
    raw = await (await session.connection()).get_raw_connection()
    await raw.driver_connection.create_function(  # type: ignore[union-attr]
        "where_am_i", 0, threading.get_ident
    )


async def test_a_bounded_statement_runs_on_the_loop_and_any_other_crosses(
    tmp_path: Path,
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with database.session() as session:
            await _thread_function(session)
            loop_thread = threading.get_ident()
            assert await session.scalar(bounded(WHERE_AM_I)) == loop_thread
            assert await session.scalar(WHERE_AM_I) != loop_thread
            # the mark is the statement's alone: the next one crosses again
            assert await session.scalar(bounded(WHERE_AM_I)) == loop_thread
            assert await session.scalar(WHERE_AM_I) != loop_thread
    finally:
        await database.dispose()


async def test_a_bounded_statement_still_stops_at_its_deadline(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", statement_timeout_ms=200)
    try:
        async with database.session() as session:
            with pytest.raises(StatementTimedOut):
                await session.scalar(bounded(ENDLESS))
            assert await session.scalar(bounded(select(1))) == 1  # the connection still serves
    finally:
        await database.dispose()


@contextmanager
def statement_marks(services: Services) -> Iterator[list[tuple[str, bool]]]:
    """(statement, whether it was marked bounded) for each statement sent meanwhile."""
    sent: list[tuple[str, bool]] = []

    def record(_conn: Any, _cursor: Any, statement: str, _p: Any, context: Any, _m: Any) -> None:
        if context is not None and statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, bool(context.execution_options.get(BOUNDED_OPTION))))

    with listening(services, record):
        yield sent


ROWS = """query($r: ID!, $where: JSON, $order: [RowOrder!], $total: Boolean!) {
  node(id: $r) { ... on Resource { rows(first: 2, where: $where, orderBy: $order) {
    totalCount @include(if: $total) edges { node } pageInfo { endCursor } } } } }"""


async def test_only_pages_along_the_key_are_bounded(services: Services, tmp_path: Path) -> None:
    """The endpoint's facts and a page in `_id` order are bounded; a count, a filter, an
    order or a ROW exemption (which may skip any number of rows) are not."""
    root = tmp_path / "cat"
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(root, "dinkes", "terbuka")
    write_dataset(root, "dinkes", "sebagian", exemptions=[ROW_EXEMPTION])
    assert (await load_catalog(services, root)).ok
    async with services.database.session() as session:
        ids = dict((await session.execute(select(Dataset.slug, Resource.id).join(Dataset))).all())
    async with asgi_client(create_app(services)) as client:

        async def marks(slug: str, **variables: Any) -> list[bool]:
            asked = {"r": to_global_id("Resource", ids[slug]), "total": False, **variables}
            with statement_marks(services) as sent:
                found = data(await gql(client, ROWS, asked))["node"]["rows"]
            assert found["edges"], found
            return [mark for _, mark in sent]

        await marks("terbuka")  # the resources are kept from here on: facts and the page
        assert await marks("terbuka") == [True, True]
        after = data(
            await gql(client, ROWS, {"r": to_global_id("Resource", ids["terbuka"]), "total": False})
        )["node"]["rows"]["pageInfo"]["endCursor"]
        assert await marks("terbuka", after=after) == [True, True]
        # its total is the stored row count: no statement counts
        assert await marks("terbuka", total=True) == [True, True]
        assert await marks("terbuka", where={"status": "terbuka"}, total=True) == [True, False]
        assert await marks("terbuka", where={"status": "terbuka"}) == [True, False]
        order = [{"field": "kasus", "direction": "DESC"}]
        assert await marks("terbuka", order=order) == [True, False]
        await marks("sebagian")
        assert await marks("sebagian") == [True, False]


DATASET = """query($slug: String!) { dataset(slug: $slug) { title agency { name }
  resources { name fields { name withheld } } exemptions { basis } } }"""


async def test_a_dataset_read_by_its_slug_is_bounded_throughout(
    services: Services, tmp_path: Path
) -> None:
    """The dataset with its agency, policy and resources: found by a key, in one statement
    beside the endpoint's facts."""
    root = tmp_path / "cat"
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(root, "dinkes", "sebagian", exemptions=[ROW_EXEMPTION])
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        with statement_marks(services) as sent:
            found = data(await gql(client, DATASET, {"slug": "sebagian"}))["dataset"]
    assert found["exemptions"] == [{"basis": "PASAL_17A"}]
    assert len(sent) == 2 and all(mark for _, mark in sent), sent  # facts; dataset and the rest


async def test_a_dataset_page_is_read_by_keys_and_the_home_page_counts_across(
    services: Services, tmp_path: Path
) -> None:
    """The page's facts (this dataset's requests), the dataset with its resources and the
    first rows of each table are found by keys, and the filter boxes' value lists come from
    those rows (no GROUP BY), on both databases. The home page's facts count every request
    naming a dataset."""
    root = tmp_path / "cat"
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(root, "dinkes", "terbuka")
    assert (await load_catalog(services, root)).ok
    async with asgi_client(create_app(services)) as client:
        with statement_marks(services) as sent:
            assert (await client.get("/dataset/terbuka")).status_code == 200
        crossing = [statement for statement, mark in sent if not mark]
        assert len(sent) >= 3, sent
        assert crossing == [], crossing
        with statement_marks(services) as sent:
            assert (await client.get("/")).status_code == 200
        assert sent[0][1] is False, sent[0]
