"""Files that cannot run code and keep their types (issue 23 items 4-5, issue 24 item 1):
XLSX cells typed by their field (text never a formula), CSV text neutralised the OWASP way,
file names that name the dataset, `datapackage.json` beside every download, withheld fields
in no file. Read back with openpyxl and the csv module, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl
import sqlalchemy as sa

from opendata.app import create_app
from opendata.catalogue import exports
from opendata.catalogue.loader import load_catalog
from opendata.config import DEMO_CATALOG
from opendata.services import Services
from tests.catalogue.test_rows import rows_of, write_typed
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

HOSTILE_CSV = (
    "kode,nama,tanggal,waktu,nilai,aktif,anggaran\n"
    "1,=SUM(A1:A2),2024-02-29,2024-02-29T10:15:30,-1.5,true,-7\n"
    '2,"=HYPERLINK(""http://x.invalid"",""klik"")",1899-12-31,,,false,9223372036854775807\n'
    "3,+62 812 0000,,,,,\n"
    "4,-nya rusak,,,,,\n"
    "5,@SUM(1+1),,,,,\n"
    "6,-2,,,,,\n"
    "7,Sungai Kakap,2023-07-01,,12.5,,\n"
)
# the CSV as written (the header, then each line): text neutralised, numbers untouched
NEUTRALISED_CSV = [
    "kode,nama,tanggal,waktu,nilai,aktif,anggaran",
    "1,'=SUM(A1:A2),2024-02-29,2024-02-29T10:15:30,-1.5,true,-7",
    '2,"\'=HYPERLINK(""http://x.invalid"",""klik"")",1899-12-31,,,false,9223372036854775807',
    "3,'+62 812 0000,,,,,",
    "4,'-nya rusak,,,,,",
    "5,'@SUM(1+1),,,,,",
    "6,'-2,,,,,",
    "7,Sungai Kakap,2023-07-01,,12.5,,",
]
TEXTS = [
    "=SUM(A1:A2)",
    '=HYPERLINK("http://x.invalid","klik")',
    "+62 812 0000",
    "-nya rusak",
    "@SUM(1+1)",
    "-2",
    "Sungai Kakap",
]


async def load_demo_agencies(services: Services, root: Path, *agencies: str) -> None:
    """Only these agencies' folders of the demo catalogue, loaded (faster than all)."""
    for agency in agencies:
        shutil.copytree(DEMO_CATALOG / agency, root / agency)
    assert (await load_catalog(services, root)).ok


def workbook_rows(content: bytes) -> list[list[Any]]:
    """Every cell of the only sheet, after checking that none of them is a formula."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = list(sheet.iter_rows())
    formulas = [cell.coordinate for line in cells for cell in line if cell.data_type == "f"]
    assert formulas == []
    return [[cell for cell in line] for line in cells]


async def test_each_formula_trigger_is_neutralised_alike_in_python_and_sql(
    services: Services,
) -> None:
    """The loader trims cells, so a tab or carriage return cannot lead a stored one; the rule
    still covers them, in the Python writer and in the SQL of PostgreSQL's COPY alike."""
    texts = ["=1", "+1", "-1", "@A1", "\tx", "\rx", "1-", " =1", "", "'=1"]
    async with services.database.session() as session:
        in_sql = [
            await session.scalar(sa.select(exports.neutralised_column(sa.literal(text))))
            for text in texts
        ]
    expected = ["'=1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "1-", " =1", "", "'=1"]
    assert [exports.neutralised(text) for text in texts] == in_sql == expected


async def test_text_is_never_a_formula_and_numbers_dates_stay_typed(
    services: Services, tmp_path: Path
) -> None:
    assert (await load_catalog(services, write_typed(tmp_path / "cat", HOSTILE_CSV))).ok
    async with asgi_client(create_app(services)) as client:
        resource = await rows_of(client, first=10)
        base = f"/download/{resource['id']}"
        csv_text = (await client.get(f"{base}.csv")).text
        single = (await client.get(f"{base}.csv?fields=nama&orderBy=kode")).text
        jsonl = (await client.get(f"{base}.jsonl")).text
        xlsx = await client.get(f"{base}.xlsx")
    # CSV (PostgreSQL writes it with COPY, SQLite through Python: the same bytes)
    assert csv_text.split("\n")[:-1] == NEUTRALISED_CSV
    # one text column alone (COPY writes it through its own path)
    assert list(csv.reader(io.StringIO(single))) == [
        [line[1]] for line in csv.reader(NEUTRALISED_CSV)
    ]
    # JSON Lines is for programs: every value exactly
    assert [json.loads(line)["nama"] for line in jsonl.splitlines()] == TEXTS
    lines = workbook_rows(xlsx.content)
    assert [cell.value for cell in lines[0]] == [
        "kode",
        "nama",
        "tanggal",
        "waktu",
        "nilai",
        "aktif",
        "anggaran",
    ]
    body = lines[1:]
    assert [line[1].value for line in body] == TEXTS
    assert {line[1].data_type for line in body} == {"s"}
    first, second = body[0], body[1]
    # numbers are numbers (a negative one too), booleans booleans
    assert (first[0].data_type, first[0].value) == ("n", 1)
    assert (first[4].data_type, first[4].value) == ("n", -1.5)
    assert (first[6].data_type, first[6].value) == ("n", -7)
    assert (first[5].data_type, first[5].value) == ("b", True)
    # dates and times are Excel dates with a date format
    assert first[2].is_date and first[2].value == datetime(2024, 2, 29)
    assert first[2].number_format == "yyyy-mm-dd"
    assert first[3].is_date and first[3].value == datetime(2024, 2, 29, 10, 15, 30)
    # exact where Excel cannot be: past 2**53 and before Excel's calendar, as text
    assert (second[6].data_type, second[6].value) == ("s", "9223372036854775807")
    assert (second[2].data_type, second[2].value) == ("s", "1899-12-31")
    assert body[6][2].value == datetime.combine(date(2023, 7, 1), datetime.min.time())


async def test_no_cell_of_any_demo_resource_is_a_formula(
    services: Services, tmp_path: Path
) -> None:
    """Every resource of the demo catalogue, with residents' own text in RT Online reports
    written as a spreadsheet would run it."""
    root = tmp_path / "catalog"
    shutil.copytree(DEMO_CATALOG, root)
    reports = root / "diskominfo" / "laporan-rt-online" / "laporan.csv"
    with reports.open("a", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for number, text in enumerate(TEXTS[:5]):
            place = ["2026-02-27", "Sungai Raya", "Kapur", f"0{number:02d}", "sampah"]
            writer.writerow([*place, text, "selesai", "ZQPELAPOR", "0812999000111"])
    assert (await load_catalog(services, root)).ok
    query = "{ datasets(first: 100) { edges { node { slug resources { name downloadUrl } } } } }"
    async with asgi_client(create_app(services)) as client:
        found = data(await gql(client, query))["datasets"]["edges"]
        links = [
            (edge["node"]["slug"], resource["name"], resource["downloadUrl"])
            for edge in found
            for resource in edge["node"]["resources"]
            if resource["downloadUrl"]
        ]
        assert len(links) > 20
        for slug, name, link in links:
            answer = await client.get(link.replace(".csv", ".xlsx"))
            assert answer.status_code == 200, (slug, answer.text)
            assert (
                f"filename*=UTF-8''{quote(f'{slug}-{name}.xlsx')}"
                in (answer.headers["content-disposition"])
            )
            lines = workbook_rows(answer.content)
            if slug == "laporan-rt-online":
                texts = [line[5].value for line in lines]
                assert all(text in texts for text in TEXTS[:5])
                # withheld fields (the reporter's name and phone) are in no column
                assert [cell.value for cell in lines[0]][-2:] == ["uraian", "status"]
                reports_csv = (await client.get(link)).text
                assert "'=SUM(A1:A2)" in reports_csv and "ZQPELAPOR" not in reports_csv


async def test_datapackage_describes_each_download_and_withheld_fields_are_in_no_file(
    services: Services, tmp_path: Path
) -> None:
    await load_demo_agencies(services, tmp_path / "catalog", "diskominfo")
    async with asgi_client(create_app(services)) as client:
        dataset = data(
            await gql(
                client,
                """{ dataset(slug: "laporan-rt-online") { resources { id name
                fields { name withheld } } } }""",
            )
        )["dataset"]
        resource = dataset["resources"][0]
        withheld = {f["name"] for f in resource["fields"] if f["withheld"]}
        assert withheld == {"pelapor", "telepon_pelapor"}
        base = f"/download/{resource['id']}"
        where = quote(json.dumps({"kecamatan": "Sungai Kakap"}))
        asked = f"?where={where}&orderBy=-tanggal&fields=tanggal,rt,uraian"
        package = (await client.get(f"{base}.datapackage.json{asked}")).json()
        whole = (await client.get("/dataset/laporan-rt-online/datapackage.json")).json()
        files = {
            extension: await client.get(f"{base}.{extension}")
            for extension in ("csv", "jsonl", "xlsx")
        }
        described = package["resources"][0]
        chosen = await client.get(described["path"])
    assert package["profile"] == "tabular-data-package"
    assert package["name"] == "laporan-rt-online"
    assert described["path"] == f"http://testserver{base}.csv{asked}"
    assert described["schema"]["fields"] == [
        {"name": "tanggal", "type": "date", "title": "Tanggal laporan"},
        {"name": "rt", "type": "string", "title": "Nomor RT"},
        {"name": "uraian", "type": "string", "title": "Uraian"},
    ]
    # the file the package names is the chosen rows, in the chosen order, leading zeros kept
    chosen_rows = list(csv.DictReader(io.StringIO(chosen.text)))
    assert list(chosen_rows[0]) == ["tanggal", "rt", "uraian"]
    assert [r["tanggal"] for r in chosen_rows] == sorted(
        (r["tanggal"] for r in chosen_rows), reverse=True
    )
    assert all(len(r["rt"]) == 3 and r["rt"].isdigit() for r in chosen_rows)
    # the dataset's package: every field but the withheld ones, in the file's order
    (entire,) = whole["resources"]
    names = [f["name"] for f in entire["schema"]["fields"]]
    assert names == ["tanggal", "kecamatan", "desa", "rt", "kategori", "uraian", "status"]
    assert entire["path"] == f"http://testserver{base}.csv"
    assert files["csv"].text.splitlines()[0].split(",") == names
    assert list(json.loads(files["jsonl"].text.splitlines()[0])) == names
    assert [cell.value for cell in workbook_rows(files["xlsx"].content)[0]] == names
    assert files["csv"].headers["content-disposition"] == (
        'attachment; filename="laporan-rt-online-laporan.csv"; '
        "filename*=UTF-8''laporan-rt-online-laporan.csv"
    )


async def test_a_datapackage_is_refused_where_rows_are(services: Services, tmp_path: Path) -> None:
    """A register published as figures only has no rows to describe: 403, like its file."""
    await load_demo_agencies(services, tmp_path / "catalog", "dinkes")
    async with asgi_client(create_app(services)) as client:
        answer = await client.get("/dataset/register-pasien-tbc/datapackage.json")
        missing = await client.get("/dataset/tidak-ada/datapackage.json")
    assert answer.status_code == 403 and "nik" not in answer.text
    assert missing.status_code == 404
