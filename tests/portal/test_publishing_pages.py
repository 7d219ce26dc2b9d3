"""The producer's page (/petugas/data) and the steward's pages (/walidata): who may open
them, what a version's review shows (checks with what to do, the changes), the mail the
producers get on a decision, and how an upload becomes a descriptor; on both databases."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.app import create_app
from opendata.catalogue.sources import DatasetSource
from opendata.db.base import utcnow
from opendata.db.models import Dataset
from opendata.information_requests.mails import MAIL_KIND
from opendata.outbox.models import OutboxJob
from opendata.publishing import drafts
from opendata.publishing.models import DatasetVersion, VersionState
from opendata.pull.models import PullOutcome, SourceAttempt
from opendata.regency_time import regency_today
from opendata.services import Services
from tests.information_requests.helpers import Desk, make_desk
from tests.portal.conftest import portal_as

NIK_CHECK = {
    "kind": "PERSONAL_DATA",
    "passed": False,
    "blocking": True,
    "field": "nik",
    "resource": "penerima",
    "message": "kolom nik berisi NIK",
    "message_en": "column nik holds NIKs",
}
SCHEMA_OK = {
    "kind": "SCHEMA",
    "passed": True,
    "blocking": True,
    "field": None,
    "resource": "penerima",
    "message": "skema sesuai",
    "message_en": "the schema validates",
}


async def producer_of(services: Services, agency: str, email: str) -> Viewer:
    """A new data producer (produsen data) of `agency`."""
    made = await create_user(
        services.database, email=email, name=email, role="PRODUCER", agency_slug=agency
    )
    return made.viewer


async def roles(services: Services) -> tuple[Desk, Viewer, Viewer]:
    """The PPID desk of `make_desk`, a producer of its agency and the steward."""
    desk = await make_desk(services)
    producer = await producer_of(services, "diskominfo", "data@diskominfo.go.id")
    steward = await create_user(
        services.database, email="walidata@kab.go.id", name="Walidata", role="DATA_STEWARD"
    )
    return desk, producer, steward.viewer


async def submitted(services: Services, producer: Viewer, number: int = 1) -> DatasetVersion:
    """A version as `submit_version` stores it, blocked by a NIK column."""
    async with services.database.write() as session:
        version = DatasetVersion(
            dataset_slug="penerima-bantuan",
            agency_id=producer.agency_id,
            number=number,
            state=VersionState.SUBMITTED.value,
            descriptor={"name": "penerima-bantuan", "title": "Penerima Bantuan Sosial"},
            submitted_by_user_id=producer.user_id,
            submitted_by=producer.name,
            row_count=3,
            checks=[SCHEMA_OK, NIK_CHECK],
            accepted=[],
            changes={
                "rows_added": 2,
                "rows_removed": 1,
                "rows_changed": 4,
                "fields_added": ["nik"],
                "fields_removed": ["rt"],
                "metadata_changed": ["title"],
            },
        )
        session.add(version)
    return version


async def test_each_page_opens_for_its_role_only(services: Services) -> None:
    desk, producer, steward = await roles(services)
    pages = {"/petugas/data": producer, "/walidata": steward}
    for path, admitted in pages.items():
        statuses = []
        for viewer in (None, desk.officer, desk.admin, producer, steward):
            async with await portal_as(services, viewer) as client:
                statuses.append((viewer, (await client.get(path)).status_code))
        expected = [(v, 200 if v == admitted else (401 if v is None else 403)) for v, _ in statuses]
        assert statuses == expected, path


async def test_the_staff_link_and_sub_navigation_lead_each_new_role_to_its_pages(
    services: Services,
) -> None:
    _, producer, steward = await roles(services)
    app = create_app(services)
    for viewer, home in ((producer, "/petugas/data"), (steward, "/walidata")):
        async with await portal_as(services, viewer, app) as client:
            html = (await client.get("/")).text
            assert f'href="{home}"' in html  # the main navigation's "Staff"
            page = (await client.get(home)).text
            nav = page[
                page.index('class="staff-nav"') : page.index(
                    "</nav>", page.index('class="staff-nav"')
                )
            ]
            links = re.findall(r'href="([^"]+)"', nav)
            assert links == [home]
            for link in links:
                assert (await client.get(link)).status_code == 200


async def test_the_review_shows_the_checks_with_what_to_do_and_the_changes(
    services: Services,
) -> None:
    desk, producer, steward = await roles(services)
    version = await submitted(services, producer)
    async with await portal_as(services, steward) as client:
        queue = (await client.get("/walidata")).text
        assert f'href="/walidata/versi/{version.id}"' in queue and "1 pemeriksaan menahan" in queue
        review = (await client.get(f"/walidata/versi/{version.id}")).text
    assert "Penerbitan tertahan" in review and "kolom nik berisi NIK" in review
    assert (
        "minta PPID mengecualikan kolom nik (Pasal 17 huruf h) atau walidata mencatat alasannya"
        in review
    )
    for label, value in (("Baris ditambah", 2), ("Baris dihapus", 1), ("Baris diubah", 4)):
        assert re.search(rf"<dt>{label}</dt><dd>{value}</dd>", review), label
    assert "<dt>Kolom ditambah</dt><dd>nik</dd>" in review
    assert "<dt>Kolom dihapus</dt><dd>rt</dd>" in review
    assert 'value="approve"' in review and 'value="return"' in review
    # the producer sees the same checks on their own version page, in English too
    async with await portal_as(services, producer) as client:
        listed = (await client.get("/petugas/data")).text
        own = (await client.get(f"/petugas/data/versi/{version.id}?lang=en")).text
    assert "Publication is blocked" in own
    assert "ask the PPID to withhold the column nik (Pasal 17 huruf h)" in own
    assert "Penerima Bantuan Sosial" in listed and "Menunggu pemeriksaan" in listed
    # another agency's producer does not see it
    other = await producer_of(services, "dinkes", "data@dinkes.go.id")
    async with await portal_as(services, other) as client:
        assert (await client.get(f"/petugas/data/versi/{version.id}")).status_code == 404
        assert "Penerima Bantuan Sosial" not in (await client.get("/petugas/data")).text
    assert desk.agency.slug == "diskominfo"


def test_an_upload_keeps_identifiers_as_text_and_reads_an_xlsx_sheet(tmp_path: Path) -> None:
    source = tmp_path / "penerima.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["nama", "nik", "umur", "bantuan", "tanggal", "telepon"],
                ["Siti", "6112014501900001", "34", "150000.5", "2026-01-02", "081234567890"],
                ["Budi", "6112011203850002", "41", "200000", "2026-01-03", ""],
            ]
        )
    fields = drafts.csv_fields(source)
    assert [(f["name"], f["type"]) for f in fields] == [
        ("nama", "string"),
        ("nik", "string"),
        ("umur", "integer"),
        ("bantuan", "number"),
        ("tanggal", "date"),
        ("telepon", "string"),
    ]
    # a new version keeps the published definition of a column it already had
    kept = drafts.kept_fields([{"name": "umur", "type": "integer", "title": "Umur"}], fields)
    assert kept[2] == {"name": "umur", "type": "integer", "title": "Umur"}
    workbook = tmp_path / "penerima.xlsx"
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(workbook, "w") as book:
        book.writestr(
            "xl/sharedStrings.xml",
            f"<sst {main}><si><t>nama</t></si><si><t>umur</t></si><si><t>Siti</t></si></sst>",
        )
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet {main}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
            '<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c>'
            '<c r="C2"><v>34.0</v></c></row></sheetData></worksheet>',
        )
    converted = tmp_path / "converted.csv"
    drafts.xlsx_to_csv(workbook, converted)
    assert converted.read_text().splitlines() == ["nama,umur", "Siti,,34"]


async def test_the_steward_sees_failed_pulls_and_overdue_datasets_and_the_producer_its_own(
    services: Services,
) -> None:
    desk, producer, steward = await roles(services)
    now = utcnow()
    async with services.database.write() as session:
        late, fresh = (
            Dataset(
                slug=slug,
                agency_id=desk.agency.id,
                title=title,
                category="PERIODIC",
                update_frequency=frequency,
                modified=modified,
            )
            for slug, title, frequency, modified in (
                ("stok-pangan-bulanan", "Stok Pangan Bulanan", "MONTHLY", date(2026, 1, 31)),
                ("harga-pangan-harian", "Harga Pangan Harian", "ANNUAL", regency_today()),
            )
        )
        session.add_all([late, fresh])
        await session.flush()
        source = DatasetSource(
            dataset_id=fresh.id,
            url="https://harga.example/ekspor.csv",
            format="csv",
            schedule_minutes=60,
        )
        session.add(source)
        await session.flush()
        session.add(
            SourceAttempt(
                source_id=source.id,
                tick=now - timedelta(hours=1),
                outcome=PullOutcome.FAILED.value,
                started_at=now - timedelta(hours=1),
                http_status=500,
                message="Sumber menjawab HTTP 500.",
                message_en="The source answered HTTP 500.",
            )
        )
    async with await portal_as(services, steward) as client:
        page = (await client.get("/walidata")).text
    failed = page[page.index('id="sources-heading"') : page.index('id="late-heading"')]
    assert "Harga Pangan Harian" in failed and "HTTP 500" in failed
    assert "Sumber menjawab HTTP 500." in failed and "setiap 60 menit" in failed
    overdue = page[page.index('id="late-heading"') :]
    assert "Dinas Komunikasi dan Informatika" in overdue and "Stok Pangan Bulanan" in overdue
    assert "Harga Pangan Harian" not in overdue
    async with await portal_as(services, producer) as client:
        own = (await client.get("/petugas/data")).text
    card = own[own.index("Stok Pangan Bulanan") :]
    assert "Terlambat dimutakhirkan" in card[: card.index("</li>\n</ul>")]
    assert own.count("Terlambat dimutakhirkan") == 1


def xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A one-sheet workbook of inline strings, as spreadsheet programs write them."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    cells = "".join(
        f'<row r="{r + 1}">'
        + "".join(
            f'<c r="{chr(65 + c)}{r + 1}" t="inlineStr"><is><t>{value}</t></is></c>'
            for c, value in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows)
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f"<worksheet {main}><sheetData>{cells}</sheetData></worksheet>",
        )
    return path


async def test_a_producer_submits_through_the_forms_and_hears_the_return(
    services: Services, tmp_path: Path
) -> None:
    _, producer, steward = await roles(services)
    new = {
        "action": "new",
        "slug": "stok-beras",
        "title": "Stok Beras per Kecamatan",
        "description": "Stok beras gudang per kecamatan.",
        "license": "CC-BY-4.0",
        "category": "PERIODIC",
        "update_frequency": "MONTHLY",
        "publication_mode": "ROWS",
        "topics": "pangan",
        "temporal_start": "2026",
        "contact_name": "Bidang Data",
        "contact_email": "data@diskominfo.go.id",
    }
    async with await portal_as(services, producer) as client:
        form = await client.get("/petugas/data")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token
        csrf = {"csrf_token": token.group(1)}
        first = await client.post(
            "/petugas/data",
            data={**csrf, **new},
            files={"file": ("stok.csv", b"kecamatan,ton\nSungai Raya,120\nKubu,45\n", "text/csv")},
        )
        assert first.status_code == 303, first.text
        shown = (await client.get(first.headers["location"])).text
        assert "Stok Beras per Kecamatan" in shown and "Menunggu pemeriksaan" in shown
        # the next month as a spreadsheet: the same resource, the column types kept
        sheet = xlsx(tmp_path / "stok.xlsx", [["kecamatan", "ton"], ["Sungai Raya", "130"]])
        second = await client.post(
            "/petugas/data",
            data={**csrf, "action": "version", "dataset": "stok-beras"},
            files={"file": ("stok.xlsx", sheet.read_bytes(), "application/octet-stream")},
        )
        assert second.status_code == 303, second.text
        refused = await client.post(
            "/petugas/data",
            data={**csrf, "action": "version", "dataset": "stok-beras"},
            files={"file": ("stok.pdf", b"%PDF-1.4", "application/pdf")},
        )
        assert refused.status_code == 400 and "Unggah berkas CSV atau XLSX." in refused.text
    async with services.database.session() as session:
        found = list(
            await session.scalars(
                select(DatasetVersion)
                .where(DatasetVersion.dataset_slug == "stok-beras")
                .order_by(DatasetVersion.number)
            )
        )
    assert [v.number for v in found] == [1, 2]
    assert [r.name for r in found[1].resources] == [r.name for r in found[0].resources] == ["stok"]
    assert [(f["name"], f["type"]) for f in found[1].resources[0].fields] == [
        ("kecamatan", "string"),
        ("ton", "integer"),
    ]
    assert found[1].row_count == 1
    async with await portal_as(services, steward) as client:
        review = await client.get(f"/walidata/versi/{found[0].id}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', review.text)
        assert token
        returned = await client.post(
            f"/walidata/versi/{found[0].id}",
            data={"csrf_token": token.group(1), "action": "return", "comment": "Satuan ton?"},
        )
        assert returned.status_code == 303
        assert (
            "Dikembalikan dengan catatan Anda"
            in (await client.get(returned.headers["location"])).text
        )
    async with services.database.session() as session:
        jobs = list(await session.scalars(select(OutboxJob).where(OutboxJob.kind == MAIL_KIND)))
    assert [(j.payload["template"], j.payload["to"]) for j in jobs] == [
        ("version_reviewed", producer.email)
    ]
    assert jobs[0].payload["context"]["comment"] == "Satuan ton?"
    async with await portal_as(services, producer) as client:
        listed = (await client.get("/petugas/data")).text
    assert "Dikembalikan" in listed and "Satuan ton?" in listed
