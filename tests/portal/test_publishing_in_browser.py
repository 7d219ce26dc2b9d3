"""Issue 22's first "Done when", in Chromium: a producer uploads a CSV with a NIK column;
publication is blocked and says why; the PPID withholds the column with a consequence test;
the steward sees the diff and approves; a visitor sees the new version without NIKs in the
page, the CSV download, GraphQL `rows`, CKAN `datastore_search` and search; the steward rolls
back and the visitor sees the previous version. Each new page passes axe-core and fits a
390 px phone and a desktop window; the screenshots go to $OPENDATA_SCREENSHOTS.

Sync Playwright holds an event loop in the test thread: the browser is module-scoped
(conftest) and closed before the async tests of other modules run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.portal.catalog import portal_catalog
from tests.portal.conftest import add_user, layout_problems, open_page, screenshots_dir
from tests.portal.test_staff_in_browser import sign_in
from tests.web.server import ServerProcess

SLUG = "penerima-bantuan-pangan"
TITLE = "Penerima Bantuan Pangan per Kecamatan"
V1 = "kecamatan,tahun,keluarga\nSungai Raya,2025,120\nSungai Kakap,2025,80\nKubu,2025,45\n"
# valid NIKs of Kubu Raya (61.12): born 5 Jan 1990 (a woman: day + 40) and 12 Mar 1985
NIKS = ("6112014501900001", "6112021203850002")
V2 = (
    "kecamatan,tahun,keluarga,nik\n"
    f"Sungai Raya,2025,125,{NIKS[0]}\n"
    f"Sungai Kakap,2025,80,{NIKS[1]}\n"
    "Rasau Jaya,2025,30,\n"
)
PHONE, DESKTOP = 390, 1280
PUBLIC = """query($slug: String!) { dataset(slug: $slug) { title
  resources { id downloadUrl fields { name withheld } rows(first: 50) { edges { node } } } } }"""
SEARCH = """query($q: String!) { datasets(query: $q, first: 20) { edges { node { slug } } } }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own (this test publishes), the portal catalogue loaded, and the
    producer of DINKES, the steward and DINKES's PPID officer."""
    root = tmp_path_factory.mktemp("publishing")
    started = ServerProcess(root / "data")
    started.run("catalog", "load", str(portal_catalog(root / "catalog")))
    add_user(started, "data@dinkes.go.id", "PRODUCER", "dinkes")
    add_user(started, "walidata@kuburayakab.go.id", "DATA_STEWARD")
    add_user(started, "ppid@dinkes.go.id", "OFFICER", "dinkes")
    started.start()
    yield started
    started.stop()


def public(server: ServerProcess) -> dict[str, Any]:
    """The dataset as an anonymous program reads it (GraphQL)."""
    answer = httpx.post(
        server.url + "/graphql", json={"query": PUBLIC, "variables": {"slug": SLUG}}, timeout=30
    ).json()
    assert "errors" not in answer, answer
    return answer["data"]["dataset"]  # type: ignore[no-any-return]


def column(dataset: dict[str, Any], name: str) -> list[Any]:
    return [edge["node"].get(name) for edge in dataset["resources"][0]["rows"]["edges"]]


def every_door(server: ServerProcess, visitor: Any) -> dict[str, str]:
    """What a visitor gets from each door: the page (in Chromium), the CSV download, GraphQL
    rows, CKAN datastore_search, and search for a NIK."""
    dataset = public(server)
    resource = dataset["resources"][0]
    visitor.goto(server.url + f"/dataset/{SLUG}")
    ckan = httpx.post(
        server.url + "/api/3/action/datastore_search",
        json={"resource_id": resource["id"]},
        timeout=30,
    )
    found = httpx.post(
        server.url + "/graphql",
        json={"query": SEARCH, "variables": {"q": NIKS[0]}},
        timeout=30,
    ).json()
    search_page = httpx.get(server.url + "/cari", params={"q": NIKS[0]}, timeout=30).text
    return {
        "page": visitor.locator("main").inner_text(),
        "csv": httpx.get(server.url + resource["downloadUrl"], timeout=30).text,
        "rows": str(column(dataset, "keluarga")) + str(column(dataset, "nik")),
        "datastore": str(ckan.json()["result"]["records"]),
        "search": str(found["data"]["datasets"]["edges"]) + (SLUG if SLUG in search_page else ""),
    }


def submit_form(page: Any, file_input: str) -> None:
    """The button of the form holding `file_input`."""
    form = page.locator(file_input).locator("xpath=ancestor::form")
    form.get_by_role("button", name="Unggah dan periksa").click()


@pytest.mark.slow
def test_a_nik_column_waits_for_the_ppid_then_every_door_shows_the_version_without_it(
    browser: object, server: ServerProcess, tmp_path: Path
) -> None:
    base = server.url
    shots = screenshots_dir(tmp_path)
    first, second = tmp_path / "penerima.csv", tmp_path / "penerima-2026.csv"
    first.write_text(V1)
    second.write_text(V2)
    problems: dict[str, object] = {}
    contexts = []

    def person(email: str, start: str, width: int = PHONE) -> Any:
        context, page, _ = open_page(browser, base, width)
        contexts.append(context)
        sign_in(page, base, email, start)
        return page

    def look(page: Any, name: str) -> None:
        page.screenshot(path=str(shots / f"publishing-{name}.png"), full_page=True)
        layout_problems(page, problems, name)

    try:
        # 1. the producer describes a new dataset and uploads its first file: nothing blocks
        producer = person("data@dinkes.go.id", "/petugas/data")
        producer.get_by_text("Jelaskan dataset dan unggah berkasnya").click()
        for field, value in {
            "#new-slug": SLUG,
            "#new-title": TITLE,
            "#new-description": "Jumlah keluarga penerima bantuan pangan per kecamatan.",
            "#new-topics": "sosial",
            "#new-keywords": "bantuan, pangan",
            "#new-temporal_start": "2025",
            "#new-temporal_end": "2025",
            "#new-contact_name": "Bidang Data Dinkes",
            "#new-contact_email": "data@dinkes.go.id",
        }.items():
            producer.fill(field, value)
        producer.select_option("#new-update_frequency", "MONTHLY")
        producer.locator("#new-file").set_input_files(str(first))
        look(producer, "producer-new-form")
        submit_form(producer, "#new-file")
        producer.wait_for_url(re.compile(r"/petugas/data/versi/\d+$"))
        assert "Tidak ada yang menahan penerbitan." in producer.locator("main").inner_text()

        # 2. the steward approves it: version 1 is public
        steward = person("walidata@kuburayakab.go.id", "/walidata", DESKTOP)
        steward.get_by_role("link", name=re.compile(f"{TITLE} · versi 1")).click()
        steward.get_by_role("button", name="Setujui dan terbitkan").click()
        steward.wait_for_url(re.compile(r"\?saved=approve$"))
        assert column(public(server), "keluarga") == [120, 80, 45]

        # 3. the producer uploads this year's file, which has a NIK column: blocked, and why
        producer.goto(base + "/petugas/data")
        look(producer, "producer-list")
        producer.select_option("#version-dataset", SLUG)
        producer.locator("#version-file").set_input_files(str(second))
        submit_form(producer, "#version-file")
        producer.wait_for_url(re.compile(r"/petugas/data/versi/\d+$"))
        checks = producer.locator("main").inner_text()
        assert "Penerbitan tertahan" in checks
        assert (
            "minta PPID mengecualikan kolom nik (Pasal 17 huruf h) atau walidata mencatat "
            "alasannya" in checks
        )
        look(producer, "producer-blocked")

        # 4. the steward sees the diff; approving is refused and says why
        steward.goto(base + "/walidata")
        look(steward, "steward-queue")
        steward.get_by_role("link", name=re.compile(f"{TITLE} · versi 2")).click()
        review = steward.locator("main").inner_text()
        assert "Perubahan dibanding versi terbit (versi 1)" in review
        assert re.search(r"Kolom ditambah\s+nik", review), review
        # no primary key: a changed row is one removed and one added
        assert re.search(r"Baris ditambah\s+2", review) and re.search(r"Baris dihapus\s+2", review)
        assert "tanpa kunci utama" in review, review
        review_url = steward.url
        steward.get_by_role("button", name="Setujui dan terbitkan").click()
        refusal = steward.get_by_role("alert").first.inner_text()
        assert "belum dapat diterbitkan" in refusal and "nik" in refusal, refusal
        assert NIKS[0] not in str(every_door(server, producer))  # still version 1 everywhere
        look(steward, "steward-refused")

        # 5. the PPID withholds the column (Pasal 17 huruf h) with a consequence test
        ppid = person("ppid@dinkes.go.id", "/petugas")
        ppid.goto(base + f"/petugas/pengecualian?dataset={SLUG}")
        ppid.check("#scope-FIELD")
        ppid.select_option("#field", "nik")
        ppid.select_option("#basis", "PASAL_17H")
        ppid.fill(
            "#consequence_test",
            "NIK kepala keluarga penerima bantuan adalah data pribadi; membukanya mengungkap "
            "rahasia pribadi (Pasal 17 huruf h).",
        )
        ppid.get_by_role("button", name=re.compile("Pratinjau")).click()
        ppid.get_by_role("button", name=re.compile("simpan", re.IGNORECASE)).click()
        ppid.wait_for_url(re.compile(r"\?saved="))

        # 6. the steward approves: the NIK check passes now
        steward.goto(review_url)
        steward.get_by_role("button", name="Setujui dan terbitkan").click()
        steward.wait_for_url(re.compile(r"\?saved=approve$"))
        look(steward, "steward-approved")

        # 7. a visitor sees version 2 at every door, and no NIK at any
        visitor_context, visitor, _ = open_page(browser, base, PHONE)
        contexts.append(visitor_context)
        doors = every_door(server, visitor)
        visitor.screenshot(path=str(shots / "publishing-visitor-v2.png"), full_page=True)
        for door, seen in doors.items():
            assert not any(nik in seen for nik in NIKS), (door, seen)
            if door != "search":
                assert "Rasau Jaya" in seen or "30" in seen, (door, seen)
        assert "125" in doors["csv"] and "Rasau Jaya" in doors["csv"]
        assert doors["search"] == "[]"
        assert column(public(server), "keluarga") == [125, 80, 30]

        # 8. the steward rolls back to version 1: the visitor sees it again
        steward.goto(base + f"/walidata/dataset/{SLUG}")
        look(steward, "steward-versions")
        steward.get_by_role("button", name="Kembalikan ke versi 1").click()
        steward.wait_for_url(re.compile(r"\?rolled_back=1$"))
        assert "versi 1 kembali terbuka untuk publik" in steward.locator("main").inner_text()
        back = every_door(server, visitor)
        visitor.screenshot(path=str(shots / "publishing-visitor-rolled-back.png"), full_page=True)
        assert column(public(server), "keluarga") == [120, 80, 45]
        assert "Kubu,2025,45" in back["csv"] and "Rasau Jaya" not in back["csv"]
        assert "Rasau Jaya" not in back["page"] and "Rasau Jaya" not in back["datastore"]

        # every new page at the other width too
        for email, path, width in (
            ("data@dinkes.go.id", "/petugas/data", DESKTOP),
            ("walidata@kuburayakab.go.id", "/walidata", PHONE),
        ):
            page = person(email, path, width)
            look(page, f"{path.strip('/').replace('/', '-')}-{width}")
            if "walidata" in path:
                page.goto(review_url)
                look(page, f"steward-review-{width}")
    finally:
        for context in contexts:
            context.close()
    assert problems == {}
