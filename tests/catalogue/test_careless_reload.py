"""A careless reload never wipes the catalogue: wrong paths are refused with nothing touched,
agencies absent from the folder stay unless `--prune`, and `--dry-run` changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from opendata.catalogue.changes import read_generation
from opendata.catalogue.loader import load_catalog
from opendata.cli import build_parser
from opendata.db.models import Agency, Dataset
from opendata.services import Services
from tests.catalogue.builders import small_catalog, write_dataset


async def _live(services: Services) -> tuple[list[str], list[str], int]:
    """(live agency slugs, live dataset slugs, catalogue generation)."""
    async with services.database.session() as session:
        agencies = await session.scalars(
            select(Agency.slug).where(Agency.removed_at.is_(None)).order_by(Agency.slug)
        )
        datasets = await session.scalars(
            select(Dataset.slug).where(Dataset.removed_at.is_(None)).order_by(Dataset.slug)
        )
        return list(agencies), list(datasets), await read_generation(session)


@pytest.fixture
async def loaded(services: Services, tmp_path: Path) -> Path:
    root = small_catalog(tmp_path / "cat")
    assert (await load_catalog(services, root)).ok
    return root


async def test_missing_empty_or_agency_folder_is_refused_with_nothing_touched(
    services: Services, loaded: Path, tmp_path: Path
) -> None:
    before = await _live(services)
    (tmp_path / "empty").mkdir()
    (tmp_path / "no-agencies" / "stray").mkdir(parents=True)
    for path in (
        tmp_path / "nonexistent",
        tmp_path / "empty",
        tmp_path / "no-agencies",
        loaded / "dinkes",
        loaded / "dinkes" / "agency.yaml",
    ):
        summary = await load_catalog(services, path)
        assert not summary.ok, path
        assert "nothing was changed" in summary.refused[0].message
        assert summary.removed == [] and summary.agencies_removed == []
        assert await _live(services) == before, path


async def test_a_folder_with_some_agencies_removes_no_other_agency_unless_pruned(
    services: Services, loaded: Path, tmp_path: Path
) -> None:
    only_bpbd = tmp_path / "only-bpbd"
    only_bpbd.mkdir()
    shutil.copytree(loaded / "bpbd", only_bpbd / "bpbd")
    before = await _live(services)
    summary = await load_catalog(services, only_bpbd)
    assert summary.ok and summary.removed == [] and summary.agencies_removed == []
    assert (await _live(services))[:2] == before[:2]

    pruned = await load_catalog(services, only_bpbd, prune=True)
    assert pruned.agencies_removed == ["dinkes"]
    assert sorted(pruned.removed) == ["imunisasi-dasar", "kasus-dbd"]
    assert (await _live(services))[:2] == (["bpbd"], ["kejadian-banjir"])

    recovered = await load_catalog(services, loaded)  # the README's recovery: load it again
    assert sorted(recovered.updated) == ["imunisasi-dasar", "kasus-dbd"]
    assert (await _live(services))[:2] == before[:2]


async def test_a_dataset_gone_from_its_agency_folder_is_still_removed(
    services: Services, loaded: Path
) -> None:
    shutil.rmtree(loaded / "dinkes" / "imunisasi-dasar")
    summary = await load_catalog(services, loaded)
    assert summary.removed == ["imunisasi-dasar"] and summary.agencies_removed == []


async def test_dry_run_reports_the_changes_and_makes_none(services: Services, loaded: Path) -> None:
    before = await _live(services)
    shutil.rmtree(loaded / "dinkes" / "imunisasi-dasar")
    write_dataset(loaded, "bpbd", "kebakaran-lahan", title="Kebakaran Lahan")
    summary = await load_catalog(services, loaded, dry_run=True)
    assert summary.added == ["kebakaran-lahan"] and summary.removed == ["imunisasi-dasar"]
    assert summary.lines()[-1].startswith("dry run, nothing changed; would be datasets: 1 added")
    assert await _live(services) == before
    applied = await load_catalog(services, loaded)
    assert applied.added == ["kebakaran-lahan"] and applied.removed == ["imunisasi-dasar"]


async def test_the_cli_refuses_a_missing_path_and_dry_runs(
    services: Services, loaded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await _live(services)

    async def run(*argv: str) -> int:
        args = build_parser().parse_args(["catalog", "load", *argv])
        return int(await args.handler(services, args))

    assert await run(str(tmp_path / "nonexistent")) == 1
    assert "nothing was changed" in capsys.readouterr().out
    shutil.rmtree(loaded / "bpbd")
    assert await run(str(loaded), "--dry-run", "--prune") == 0
    out = capsys.readouterr().out
    assert "agency removed: bpbd" in out and "dry run, nothing changed" in out
    assert await _live(services) == before
