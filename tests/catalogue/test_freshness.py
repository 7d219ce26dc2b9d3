"""Freshness (opendata/catalogue/freshness.py) on both databases: a dataset is overdue once
more than one period of its `updateFrequency` has passed since its last published modification;
the same list shows in GraphQL, DCAT, the agency page and the dashboard."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from opendata.app import create_app
from opendata.catalogue.freshness import overdue_by_agency
from opendata.catalogue.loader import load_catalog
from opendata.catalogue.reader import read_catalog
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.catalogue.builders import small_catalog, write_agency, write_dataset
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

TODAY = regency_today()


def catalogue(root: Path) -> Path:
    """Dinkes: a MONTHLY dataset one day late, one due today, an IRREGULAR one years old, one
    declaring nothing. BPBD: a DAILY one ten days late and an ANNUAL one never dated."""
    small_catalog(root)
    write_agency(root, "bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD")
    monthly = {"updateFrequency": "MONTHLY"}
    write_dataset(root, "dinkes", "kasus-dbd", modified=str(TODAY - timedelta(days=32)), **monthly)
    write_dataset(root, "dinkes", "imunisasi-dasar", modified=str(TODAY - timedelta(31)), **monthly)
    write_dataset(
        root, "dinkes", "cagar", modified="2019-01-01", updateFrequency="IRREGULAR", title="Cagar"
    )
    write_dataset(root, "dinkes", "tanpa-janji", modified="2019-01-01", title="Tanpa janji")
    write_dataset(
        root,
        "bpbd",
        "kejadian-banjir",
        title="Kejadian Banjir",
        modified=str(TODAY - timedelta(days=11)),
        updateFrequency="DAILY",
    )
    write_dataset(root, "bpbd", "rencana", title="Rencana", modified=None, updateFrequency="ANNUAL")
    return root


async def test_overdue_datasets_per_agency(services: Services, tmp_path: Path) -> None:
    assert (await load_catalog(services, catalogue(tmp_path / "cat"))).ok
    found = await overdue_by_agency(services, today=TODAY)
    summary = {
        entry.slug: (entry.declared, [(o.slug, o.days_overdue) for o in entry.overdue])
        for entry in found
    }
    # the due day itself is on time; IRREGULAR and undeclared promise nothing; a dataset
    # without `modified` counts from the day it was first published (today)
    assert summary == {
        "bpbd": (2, [("kejadian-banjir", 10)]),
        "dinkes": (3, [("kasus-dbd", 1)]),
    }
    late = found[1].overdue[0]
    assert late.due_on == TODAY - timedelta(days=1) and late.frequency_label == (
        "Bulanan",
        "Monthly",
    )
    dinkes_only = await overdue_by_agency(services, today=TODAY, agency_ids=[found[1].agency_id])
    assert [entry.slug for entry in dinkes_only] == ["dinkes"]
    # a year on, the undated ANNUAL one is late too
    later = await overdue_by_agency(services, today=TODAY + timedelta(days=367))
    assert "rencana" in [o.slug for o in later[0].overdue]


async def test_graphql_dcat_and_pages_show_what_is_overdue(
    services: Services, tmp_path: Path
) -> None:
    assert (await load_catalog(services, catalogue(tmp_path / "cat"))).ok
    query = """{ a: dataset(slug: "kasus-dbd") { updateFrequency overdueForUpdate }
      b: dataset(slug: "imunisasi-dasar") { updateFrequency overdueForUpdate }
      c: dataset(slug: "tanpa-janji") { updateFrequency overdueForUpdate } }"""
    async with asgi_client(create_app(services)) as client:
        answer = data(await gql(client, query))
        turtle = (await client.get("/dataset/kejadian-banjir.ttl")).text
        agency = await client.get("/instansi/dinkes", params={"lang": "en"})
        dashboard = await client.get("/dasbor", params={"lang": "id"})
    assert answer == {
        "a": {"updateFrequency": "MONTHLY", "overdueForUpdate": True},
        "b": {"updateFrequency": "MONTHLY", "overdueForUpdate": False},
        "c": {"updateFrequency": None, "overdueForUpdate": False},
    }
    assert "accrualPeriodicity" in turtle and "authority/frequency/DAILY" in turtle
    section = agency.text.split('id="overdue-heading"')[1].split("</section>")[0]
    assert "1 of 3 datasets with a declared update frequency is overdue." in section
    assert "/dataset/kasus-dbd" in section and "Monthly" in section
    assert "/dataset/imunisasi-dasar" not in section and "Kejadian Banjir" not in section
    assert dashboard.status_code == 200
    board = dashboard.text.split('id="overdue-heading"')[1].split("</section>")[0]
    assert "/instansi/bpbd" in board and "/instansi/dinkes" in board
    assert "/dataset/kejadian-banjir" in board and "Harian" in board
    assert "2 dari 5 dataset" in board


def test_an_unknown_frequency_or_mode_is_refused_by_name(tmp_path: Path) -> None:
    root = tmp_path / "cat"
    write_agency(root, "dinkes", "Dinas Kesehatan", "Dinkes")
    write_dataset(root, "dinkes", "jam", updateFrequency="HOURLY")
    write_dataset(root, "dinkes", "mode", title="Mode", publicationMode="ROWS_AND_MORE")
    write_dataset(root, "dinkes", "baik", title="Baik", updateFrequency="SEMIANNUAL")
    read = read_catalog(root)
    assert sorted(r.prop for r in read.refusals) == ["publicationMode", "updateFrequency"]
    assert "ANNUAL" in " ".join(r.message for r in read.refusals)
    (good,) = read.datasets
    assert (good.update_frequency, good.publication_mode) == ("SEMIANNUAL", "ROWS")
