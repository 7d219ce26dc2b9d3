"""Upgrades: released migrations are frozen; a database built by the migrations as they were
first released, with data in it, upgrades to the shape a new database has; a server refuses
a schema that is behind (PostgreSQL) or ahead, and an old server left running refuses to
write after an upgrade."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from opendata.db.base import Base
from opendata.db.engine import Database
from opendata.db.migrate import (
    MIGRATIONS_DIR,
    SchemaChanged,
    SchemaRefused,
    SchemaStatus,
    prepare_schema,
    schema_state,
    upgrade_to_head,
)
from opendata.search.query import SearchQuery
from opendata.services import open_services
from tests.conftest import DatabaseFactory
from tests.observability.helpers import empty_postgres

REPO = Path(__file__).resolve().parents[2]
VERSIONS = MIGRATIONS_DIR / "versions"

# sha256 of every released migration: a released migration is never edited (a database that
# ran the old text would say "at head" and differ); the lead adds each session's new ones
RELEASED = {
    "0001_catalogue_tables.py": "3884b5e6c2d74dcd9afe427094e7982a90a6b7454936ec2018a202c659922d22",
    "0002_accounts_requests.py": "279e5d70aa2a8f6bc75b04d0e959cd49b9a8d2ef57be9257b03a71f710adc264",
    "0003_search.py": "2f4f5436f37b14be686eb50366fe32883b4e869af34343a7b9894f7722a41b06",
    "0004_hardening.py": "c7ab3bdaa1eff5904122be8a7468d07ffa70783f273128e7d53c20814cee1420",
    "0005_statute.py": "dc603a1cead24c0aba1349b70939c3854885560aa0d622082907a81300fa88f7",
    "0006_typed_rows.py": "1f689335d05f06151db1f01b8aab3f8674c3389c2995975e9822f087fe83fb5b",
    "0007_portal_sessions.py": "0c49463269b728b7008c2b5058c4d7b7ba435ee1d4b663cc9ff84205a0be4a6b",
    "0008_outbox_attachments.py": "069af52e4a616781139a05612f10f9a4ec43b0d19e1533b9fe7d582d86d8e3b8",
    "0010_minimum_cell_size.py": "a36d87cdaea80f817a21e75b430045e0834ec055035a122a1244d5ac1fb372cf",
    "0011_join_branches.py": "8142b357fb3d56c054d95f8420e5a7125a4671d7df41ed4939b4383d83e50488",
    "0012_duties.py": "301f10c39571500b07c613d5370e1b06d2ca68b6deeb4c9c64a0c1c465d5fc67",
    "0013_calendar_store.py": "9e48c9b1cad34c766b74b01be0568d045a81c77a5166fb1e349e51df68811171",
    "0014_issued_letters.py": "78a8d66611f8245286c86f27f1d0c04a02b6f3eab08188840a46cb0b48f35717",
    "0015_fee_payment.py": "7f31f6c244dcff44033bf5ab09748b9202ebc3a57ba1ecf6c136f22f56762a9b",
    "0016_report_narratives.py": "e7bc59eea2b0f83dbb02497ba0b330a8fc055431f212cfe2671130e196c4d385",
    "0017_registered_at.py": "1daa39d068827ac6f32b2bc989ff7127256e21f81713e5d2f4a4db3140eb4c77",
    "0018_join_issue20.py": "acf5603d9a1578eef30b3e65b264a6ed647d00360cec37f1a0f1d59448554955",
    "0019_dataset_versions.py": "6456faba623fe33e41daa5674b6eca514db6909f55a6831f171220822239d47d",
    "0020_publication_mode.py": "e1a3ab6596a7a4b8e43948536328ee82009ee4c4330291a15817b7f4c54d8d0b",
    "0021_app_tokens.py": "eaf799f7fa535fae3d9d9b7005709f8df2346eafb2db83787907b391f3cc8b88",
    "0022_dataset_sources.py": "3e19f7c2dc0b652874556139f1585dfc1943100fc8f0b1dd4fe46db6c6549c0e",
    "0025_join_publishing.py": "712b874001deb1d8da10026a40f3706c35d548b2f3a3aebbbf9c96f403fe069a",
    "0026_dataset_issued.py": "c1fd1b0555104afc9665dec4d2a3b271eb02dbb42110a5e82cead0bf39bcd674",
    "0027_follows.py": "911a7f878728a6127d7d26ba997d4a25bcba9e4d6ac3901994f82c1cf65b5e5f",
    "0028_shared_state.py": "de238cfbec8563e18530b0abc28718cdb9e0d6efb554dda15408c6b566c586d2",
    "0029_repair_edited_migrations.py": (
        "b696e93e989df94cd91bf8b9dfd1b803689a54787c432bb1ed761513b9496c74"
    ),
    "0035_join_operations.py": "08237605f51d8ec2244049c6f3fd2029a3fbbee2eada04a7338a00be0c4d097a",
    "0036_resource_titles.py": "eaf8b6ca4517ff20eb91327b70c2e9900b2669c49aff51ff89b92e5ad5160432",
}
# the oldest supported release the upgrade test starts from: up to the join 0025
OLDEST_RELEASE = [name for name in RELEASED if name[:4] <= "0025"]

# edited after their release (git log -p): the databases that ran their first text
EDITED = (
    "0002_accounts_requests.py",
    "0003_search.py",
    "0005_statute.py",
    "0010_minimum_cell_size.py",
)


def test_released_migrations_are_frozen() -> None:
    changed = {
        name: hashlib.sha256((VERSIONS / name).read_bytes()).hexdigest()
        for name, digest in RELEASED.items()
        if hashlib.sha256((VERSIONS / name).read_bytes()).hexdigest() != digest
    }
    assert changed == {}


# their text as first released, kept here (`git show` of the commit that added each), so the
# test needs no git history: CI may run on a shallow clone
FIRST_RELEASES = Path(__file__).parent / "first_releases"


def first_release(name: str) -> str:
    """The migration's text in the commit that added it: what the first databases ran."""
    return (FIRST_RELEASES / f"{name}.txt").read_text()


@pytest.fixture(scope="module")
def released_scripts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Config]:
    folder = tmp_path_factory.mktemp("released-migrations")
    (folder / "versions").mkdir()
    for name in ("env.py", "alembic.ini"):
        (folder / name).write_text((MIGRATIONS_DIR / name).read_text())
    for name in OLDEST_RELEASE:
        text = first_release(name) if name in EDITED else (VERSIONS / name).read_text()
        (folder / "versions" / name).write_text(text)
    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder))
    yield config


def _run_released(connection: Connection, config: Config, target: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, target)


def _row(table: sa.Table, **given: Any) -> dict[str, Any]:
    """`given`, and a plain value for every other required column of the table."""
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        try:
            kind: type = column.type.python_type
        except NotImplementedError:  # JSON and the like
            kind = dict
        values: dict[type, Any] = {
            int: 1,
            str: "x",
            bool: False,
            date: date(2026, 11, 2),
            datetime: datetime(2026, 11, 2, 3, tzinfo=UTC),
            dict: {},
            list: [],
        }
        row[column.name] = values.get(kind, "x")
    return row


def _insert(connection: Connection, table_name: str, **given: Any) -> int:
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    result = connection.execute(table.insert().values(**_row(table, **given)))
    return int(result.inserted_primary_key[0]) if result.inserted_primary_key else 0


def _old_data(connection: Connection) -> dict[str, int]:
    """What a regency had entered before 0005: an agency, two requests (one waiting for its
    notice, one the Commission decided with an objection never answered), their events."""
    agency = _insert(connection, "agencies", slug="diskominfo", name="Diskominfo")
    ids = {}
    for key, status in (("waiting", "RECEIVED"), ("decided", "DISPUTE_DECIDED")):
        ids[key] = _insert(
            connection,
            "information_requests",
            agency_id=agency,
            status=status,
            sequence=len(ids) + 1,
            registration_number=f"DISKOMINFO/REG/2026/{len(ids) + 1:06d}",
            received_on=date(2026, 11, 2),
            answer_due_on=date(2026, 11, 16),
        )
        _insert(connection, "request_events", request_id=ids[key], action="FILE", status=status)
    _insert(connection, "objections", request_id=ids["decided"], due_on=date(2026, 12, 30))
    return ids


async def _empty_database(dialect: str, tmp_path: Path, factory: DatabaseFactory) -> Database:
    if dialect == "postgres":
        database = Database((await empty_postgres(factory))[1])
    else:
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'released.sqlite3'}")
    return database


@pytest.fixture
async def released_database(
    dialect: str, tmp_path: Path, database_factory: DatabaseFactory, released_scripts: Config
) -> AsyncIterator[tuple[Database, dict[str, int]]]:
    """A database built by the migrations as first released, with data entered between
    0002/0003 and the rest (so 0005's first text ran over it)."""
    database = await _empty_database(dialect, tmp_path, database_factory)
    async with database.engine.begin() as connection:
        await connection.run_sync(_run_released, released_scripts, "0002")
        await connection.run_sync(_run_released, released_scripts, "0003")
        ids = await connection.run_sync(_old_data)
        await connection.run_sync(_run_released, released_scripts, "heads")
    yield database, ids
    await database.dispose()


def _differences(connection: Connection) -> set[str]:
    """How the database differs from the models (the same noise for every database)."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return {repr(difference) for difference in compare_metadata(context, Base.metadata)}


async def test_a_database_from_the_first_releases_upgrades_to_the_shape_of_a_new_one(
    released_database: tuple[Database, dict[str, int]],
    dialect: str,
    database_factory: DatabaseFactory,
    tmp_path: Path,
) -> None:
    database, ids = released_database
    assert (await schema_state(database)).status is SchemaStatus.BEHIND
    if dialect == "postgres":
        with pytest.raises(SchemaRefused, match="opendata db upgrade"):
            await prepare_schema(database)
    state = await upgrade_to_head(database)
    assert state.status is SchemaStatus.AT_HEAD
    assert (await upgrade_to_head(database)).status is SchemaStatus.AT_HEAD  # idempotent

    fresh = Database(await database_factory.url(dialect))
    async with fresh.engine.connect() as connection:
        expected = await connection.run_sync(_differences)
    await fresh.dispose()
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_differences) == expected
        clocks = (
            await connection.execute(
                sa.text("SELECT request_id, kind FROM request_clocks WHERE stopped_at IS NULL")
            )
        ).all()
    # the Commission decided the second request: no notice or superior's clock runs for it
    assert sorted(tuple(clock) for clock in clocks) == [(ids["waiting"], "NOTICE")]

    async with database.engine.begin() as connection:  # the longer event actions fit now
        await connection.run_sync(
            lambda sync: _insert(
                sync, "request_events", request_id=ids["waiting"], action="A" * 30, status="X"
            )
        )
    from opendata.config import Settings

    services = await open_services(Settings(data_dir=tmp_path / "data", database_url=database.url))
    try:
        results = await services.search.search(SearchQuery(text="diskominfo"))
        assert results is not None
    finally:
        await services.close()


async def test_an_old_server_refuses_a_newer_schema(
    dialect: str, database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    from opendata.accounts.service import create_user
    from opendata.config import Settings

    url = await database_factory.url(dialect)
    services = await open_services(Settings(data_dir=tmp_path / "data", database_url=url))
    try:
        await create_user(services.database, email="a@kubu.example", name="A", role="ADMIN")
        # a newer server upgrades the database past this code
        async with services.database.engine.begin() as connection:
            await connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
        services.database.write_guard.every = 0  # type: ignore[union-attr]
        with pytest.raises(SchemaChanged) as refused:
            await create_user(services.database, email="b@kubu.example", name="B", role="ADMIN")
        assert refused.value.http_status == 503
        assert "upgraded past this server" in refused.value.message_en
        with pytest.raises(SchemaRefused, match="newer than this server"):
            await prepare_schema(services.database)
        with pytest.raises(SchemaRefused, match="newer than this server"):
            await upgrade_to_head(services.database)
    finally:
        await services.close()
