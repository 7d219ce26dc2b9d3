"""The dataset page's tables: filters as people type, each table's own state in the URL, the
download links carrying what is shown, a sentence when nothing matches. Both databases."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.conftest import asgi_client
from tests.portal.catalog import SECRET_NIK, portal_catalog

DEMO = Path(__file__).parents[2] / "catalog"
DBD = "/dataset/kasus-dbd-per-kecamatan"
TBC = "/dataset/register-pasien-tbc"
# the first table filtered, the second on its second page
BOTH_TABLES = {"kasus.kecamatan.contains": "sungai kakap", "kasus-bulanan.page": "2"}


def sections(page: str) -> list[str]:
    return [part.split("</section>")[0] for part in page.split('<section class="resource"')[1:]]


def cells(section: str, column: int) -> list[str]:
    """The text of one column of a section's table body."""
    body = section.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in section else ""
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [html.unescape(re.findall(r"<td[^>]*>(.*?)</td>", row)[column]) for row in rows]


def links(section: str, pattern: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', section) if pattern in h]


@pytest.fixture
async def portal(services: Services, tmp_path: Path) -> httpx.AsyncClient:
    root = portal_catalog(tmp_path / "cat")
    # the demo's dengue register: 63 rows, two resources (per district, per month)
    shutil.rmtree(root / "dinkes" / "kasus-dbd-per-kecamatan")
    shutil.copytree(
        DEMO / "dinkes" / "kasus-dbd-per-kecamatan", root / "dinkes" / "kasus-dbd-per-kecamatan"
    )
    assert (await load_catalog(services, root)).ok
    return asgi_client(create_app(services))


async def test_lower_case_words_find_the_rows_and_the_downloads_carry_them(
    portal: httpx.AsyncClient,
) -> None:
    async with portal as client:
        page = await client.get(DBD, params={"kasus.kecamatan.contains": "sungai kakap"})
        assert page.status_code == 200
        kasus, _ = sections(page.text)
        assert cells(kasus, 1) == ["Sungai Kakap"] * 7
        assert "7 baris, sesuai filter dan urutan di bawah" in kasus
        # the value list offers the districts to pick from
        assert '<option value="Sungai Kakap">' in kasus
        (csv_link,) = links(kasus, ".csv")
        assert dict(parse_qsl(urlsplit(csv_link).query)) == {
            "where": '{"kecamatan":{"contains":"sungai kakap"}}'
        }
        assert len((await client.get(csv_link)).text.splitlines()) == 1 + 7
        assert len(links(kasus, ".jsonl")) == 1 and len(links(kasus, ".xlsx")) == 1
        # accents and capitals do not matter, equality too, and a range narrows it
        page = await client.get(
            DBD,
            params={
                "kasus.kecamatan": "SUNGAI KÂKAP",
                "kasus.tahun.min": "2023",
                "kasus.tahun.max": "2024",
            },
        )
        kasus, _ = sections(page.text)
        assert cells(kasus, 0) == ["2023", "2024"]


async def test_sorting_and_paging_the_second_table_keeps_the_first_ones_filter(
    portal: httpx.AsyncClient,
) -> None:
    async with portal as client:
        page = await client.get(DBD, params={**BOTH_TABLES, "kasus-bulanan.sort": "-jumlah_kasus"})
        assert page.status_code == 200
        kasus, monthly = sections(page.text)
        assert cells(kasus, 1) == ["Sungai Kakap"] * 7
        counts = [int(c) for c in cells(monthly, 2)]
        assert len(counts) == 20 and counts == sorted(counts, reverse=True)
        assert "Baris 21 sampai 40 dari 84" in monthly
        # the second table's own links keep the first table's filter
        (next_page,) = [h for h in links(monthly, "kasus-bulanan.page=3")]
        followed = await client.get(next_page.split("#")[0])
        assert followed.status_code == 200
        kasus, monthly = sections(followed.text)
        assert cells(kasus, 1) == ["Sungai Kakap"] * 7
        assert "Baris 41 sampai 60 dari 84" in monthly


async def test_nothing_matching_says_so_in_a_sentence(portal: httpx.AsyncClient) -> None:
    async with portal as client:
        page = await client.get(DBD, params={"kasus.kecamatan.contains": "kakapp", "lang": "en"})
        kasus, monthly = sections(page.text)
        assert "No row of this table matches these filters." in kasus
        assert "Show every row" in kasus and "Rows 1 to 0" not in page.text
        assert "0 rows" in kasus
        assert len(cells(monthly, 0)) == 20  # the other table is untouched


async def test_withheld_and_small_groups_are_never_offered(portal: httpx.AsyncClient) -> None:
    async with portal as client:
        page = await client.get(TBC, params={"register.kecamatan.contains": "kubu"})
        assert page.status_code == 200
        (register,) = sections(page.text)
        # personal data: no district holds enough patients to be listed as a choice
        assert "<datalist" not in register
        assert "register.nik" not in register and SECRET_NIK not in page.text
        refused = await client.get(TBC, params={"register.nik.contains": "6112"})
        assert refused.status_code == 400 and SECRET_NIK not in refused.text


async def test_the_empty_boxes_of_the_form_leave_the_address(portal: httpx.AsyncClient) -> None:
    async with portal as client:
        sent = await client.get(DBD, params={"kasus.tahun.min": "", **BOTH_TABLES, "lang": "en"})
    assert sent.status_code == 303
    assert sent.headers["location"] == (
        f"{DBD}?lang=en&kasus.kecamatan.contains=sungai+kakap&kasus-bulanan.page=2"
    )
