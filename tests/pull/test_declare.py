"""Declaring a source: in the descriptor (`source`) or by the steward; validated the same way;
a catalogue reload removes only the sources a descriptor declared."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from opendata.accounts.viewer import Role, Viewer
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.sources import DatasetSource
from opendata.errors import BadUserInput, Forbidden
from opendata.pull.declare import declare_source
from opendata.pull.schedule import current_tick, dedupe_key, scan_sources
from opendata.services import Services
from tests.catalogue.builders import write_agency, write_dataset
from tests.pull.helpers import FIRST_ROWS, SLUG, T0, dataset_with_source

STEWARD = Viewer(user_id=1, role=Role.DATA_STEWARD, agency_id=None, name="walidata", email="w@x.id")


async def _sources(services: Services) -> list[DatasetSource]:
    async with services.database.session() as session:
        return list(await session.scalars(select(DatasetSource)))


def test_ticks_are_the_same_on_every_server() -> None:
    assert current_tick(T0.replace(second=59), 1) == T0
    assert current_tick(T0.replace(minute=59), 60) == T0.replace(minute=0)
    assert dedupe_key(3, T0) == "pull:3:2031-03-04T05:06:00+00:00"


async def test_the_steward_sets_and_removes_a_source(store: Services, tmp_path: Path) -> None:
    steward = await dataset_with_source(
        store, tmp_path / "catalog", "https://data.example.org/a.csv", confirm=False
    )
    [declared] = await _sources(store)
    assert (declared.declared_in, declared.schedule_minutes, declared.review) == (
        "catalog",
        1,
        False,
    )

    source = {"url": "https://sirt.kuburayakab.go.id/rt.json", "format": "json", "schedule": "60"}
    stored = await declare_source(store, steward, SLUG, source)
    assert stored is not None and stored.declared_in == "api"
    assert stored.declared_by_user_id == steward.user_id  # its pulls submit as the steward
    [row] = await _sources(store)
    assert (row.url, row.format, row.schedule_minutes, row.review) == (
        source["url"],
        "json",
        60,
        True,
    )

    # a reload of a descriptor without `source` keeps the steward's source
    write_dataset(tmp_path / "catalog", "dinkes", SLUG, csv_text=FIRST_ROWS, title="Judul baru")
    await load_catalog(store, tmp_path / "catalog")
    assert [s.url for s in await _sources(store)] == [source["url"]]

    assert await declare_source(store, steward, SLUG, None) is None
    assert await _sources(store) == []
    assert await scan_sources(store, now=T0) == 0


async def test_a_reload_without_source_removes_the_catalogue_one(
    store: Services, tmp_path: Path
) -> None:
    root = tmp_path / "catalog"
    await dataset_with_source(store, root, "https://data.example.org/a.csv", confirm=False)
    write_dataset(root, "dinkes", SLUG, csv_text=FIRST_ROWS, title="Judul baru")
    await load_catalog(store, root)
    assert await _sources(store) == []


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ({"url": "file:///etc/passwd", "schedule": 5}, "source"),
        ({"url": "gopher://example.org/", "schedule": 5}, "source"),
        ({"url": "https://u:p@example.org/a.csv", "schedule": 5}, "source"),
        ({"url": "https://example.org/a.csv", "schedule": 0}, "source"),
        ({"url": "https://example.org/a.csv", "schedule": 5, "format": "xlsx"}, "source"),
        ({"url": "https://example.org/a.csv", "schedule": 5, "resource": "x"}, "source.resource"),
    ],
)
async def test_a_bad_source_is_refused(
    store: Services, tmp_path: Path, source: dict[str, object], field: str
) -> None:
    await dataset_with_source(store, tmp_path / "catalog", "https://data.example.org/a.csv")
    with pytest.raises(BadUserInput) as refused:
        await declare_source(store, STEWARD, SLUG, source)
    assert refused.value.field == field


async def test_a_bad_source_in_a_descriptor_is_refused_by_the_load(
    store: Services, tmp_path: Path
) -> None:
    root = tmp_path / "catalog"
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(root, "dinkes", SLUG, source={"url": "ftp://example.org/a.csv", "schedule": 1})
    summary = await load_catalog(store, root)
    assert summary.added == []
    assert [refusal.prop for refusal in summary.refused] == ["source"]


async def test_a_producer_sets_only_their_own_agencys_source(
    store: Services, tmp_path: Path
) -> None:
    await dataset_with_source(store, tmp_path / "catalog", "https://data.example.org/a.csv")
    other = Viewer(user_id=3, role=Role.PRODUCER, agency_id=999, name="p", email="p@x.id")
    with pytest.raises(Forbidden):
        await declare_source(store, other, SLUG, {"url": "https://x.example/a.csv", "schedule": 5})
    ppid = Viewer(user_id=4, role=Role.OFFICER, agency_id=None, name="o", email="o@x.id")
    with pytest.raises(Forbidden):
        await declare_source(store, ppid, SLUG, None)
