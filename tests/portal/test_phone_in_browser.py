"""Every page on a 360 px phone, as each person who uses it (issue 24, items 5 and 8).

A visitor, a requester, a PPID officer, a producer, the data steward and an admin each sign
in and open every page they use: none scrolls sideways (`scrollWidth <= innerWidth`), axe-core finds no
serious or critical violation, and the menu takes one line. Then what a person meets:
/statistik is a card per agency on a phone and a table at 1280 px whose headings never break
inside a word; the dashboard's number tables scroll inside their card, words whole; a folded
section shows its marker; a table shows data before withheld columns and names fields by
their titles; a refused sign-in puts its problem in view, focused.

Screenshots at 360 px go to $OPENDATA_SCREENSHOTS when set (to look at them), else tmp_path.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from opendata.urls import numbered, path
from tests.portal.conftest import (
    add_user,
    axe_violations,
    graphql,
    open_page,
    screenshots_dir,
    sideways_overflow,
)
from tests.portal.test_in_browser import PAGES
from tests.portal.test_staff_more_in_browser import sign_in
from tests.web.server import ServerProcess

# the public pages the desktop test opens, and the two pages of figures
PUBLIC = (*PAGES, "/permohonan/baru", "/statistik", "/dasbor")
# a script (the words of a test) that finds every word broken across two lines in `selector`
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    if (!cell.getClientRects().length) continue;  // not displayed
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@dataclass(frozen=True)
class People:
    requester: str
    officer: str
    producer: str
    steward: str
    admin: str
    request_path: str


@pytest.fixture(scope="module")
def people(portal_server: ServerProcess) -> People:
    """One of each, and a request the requester filed at Dinkes (through the API)."""
    tag = uuid.uuid4().hex[:6]
    emails = People(
        f"warga-{tag}@contoh.id",
        f"ppid-{tag}@dinkes.test",
        f"produsen-{tag}@dinkes.test",
        f"walidata-{tag}@kuburaya.test",
        f"admin-{tag}@kuburaya.test",
        "",
    )
    token = add_user(portal_server, emails.requester, "REQUESTER")
    add_user(portal_server, emails.officer, "OFFICER", "dinkes")
    add_user(portal_server, emails.producer, "PRODUCER", "dinkes")
    add_user(portal_server, emails.steward, "DATA_STEWARD")
    add_user(portal_server, emails.admin, "ADMIN")
    filed = graphql(
        portal_server,
        token,
        "mutation($i: FileRequestInput!) { fileInformationRequest(input: $i) "
        "{ registrationNumber } }",
        {
            "i": {
                "agency": "dinkes",
                "informationRequested": "Jumlah kasus DBD per desa 2024",
                "purpose": "Liputan",
                "deliveryForm": "SOFT_COPY",
                "requester": {"name": "Warga", "address": "Jl. Uji 1"},
            }
        },
    )["fileInformationRequest"]["registrationNumber"]
    return People(
        emails.requester,
        emails.officer,
        emails.producer,
        emails.steward,
        emails.admin,
        path("request", **numbered(filed)),
    )


@contextmanager
def opened(browser: object, server: ServerProcess, width: int, address: str) -> Iterator[Any]:
    """A fresh browser context at `width` showing `address`; closed afterwards."""
    context, page, _ = open_page(browser, server.url, width)
    try:
        page.goto(server.url + address)  # type: ignore[attr-defined]
        yield page
    finally:
        context.close()  # type: ignore[attr-defined]


def pages_of(people: People) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Who signs in (None: nobody) and the pages they open."""
    return {
        "visitor": (None, (*PUBLIC, people.request_path)),
        "requester": (people.requester, ("/saya", "/permohonan/baru", people.request_path)),
        "officer": (
            people.officer,
            (
                "/petugas",
                "/petugas" + people.request_path,
                "/petugas/permohonan/baru",
                "/petugas/keberatan",
                "/petugas/keberatan/register",
                "/petugas/pengecualian",
                "/petugas/pengecualian?dataset=register-pasien-tbc",
            ),
        ),
        "producer": (people.producer, ("/petugas/data",)),
        "steward": (people.steward, ("/walidata", "/walidata/dataset/kasus-dbd-per-kecamatan")),
        "admin": (people.admin, ("/petugas/laporan", "/petugas/pekerjaan")),
    }


def menu_lines(page: object) -> int:
    """How many lines the main menu's items stand on."""
    tops = page.evaluate(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('nav.main li')]"
        ".map(li => Math.round(li.getBoundingClientRect().top))"
    )
    return len(set(tops))


@pytest.mark.slow
def test_every_page_fits_a_phone_for_everyone_who_uses_it(
    browser: object, portal_server: ServerProcess, people: People, tmp_path: Path
) -> None:
    folder = screenshots_dir(tmp_path)
    problems: dict[str, object] = {}
    visited = 0
    for person, (email, paths) in pages_of(people).items():
        context, page, traffic = open_page(browser, portal_server.url, 360)
        try:
            if email:
                sign_in(page, portal_server.url, email)
            for address in paths:
                response = page.goto(portal_server.url + address)  # type: ignore[attr-defined]
                assert response.status == 200, (person, address)
                visited += 1
                overflow = sideways_overflow(page)
                violations = axe_violations(page)
                lines = menu_lines(page)
                if overflow > 0 or violations or lines > 1:
                    problems[f"{person} {address}"] = {
                        "overflow_px": overflow,
                        "axe": violations,
                        "menu_lines": lines,
                    }
                name = f"{person}{address}".replace("/", "-").replace("?", "-").replace("=", "-")
                page.screenshot(path=str(folder / f"{name[:80]}.png"))  # type: ignore[attr-defined]
        finally:
            context.close()  # type: ignore[attr-defined]
        assert traffic.foreign == []
    assert problems == {}
    assert visited >= 30


@pytest.mark.slow
def test_statistics_is_a_card_per_agency_on_a_phone_and_a_table_with_whole_words_wide(
    browser: object, portal_server: ServerProcess, people: People
) -> None:
    with opened(browser, portal_server, 360, "/statistik") as page:
        cards = page.locator(".agency-cards > li")
        assert cards.count() >= 2
        dinkes = cards.filter(has_text="Dinas Kesehatan").first
        assert dinkes.is_visible()
        # the first thing a resident reads: a sentence, with the agency's short name
        assert re.search(r"\w+: \d+ permohonan diterima", dinkes.inner_text())
        assert not page.locator("table.stats").first.is_visible()
        # the card's figures are folded, with a visible marker
        summary = dinkes.locator("summary")
        assert summary.evaluate("s => getComputedStyle(s).display") == "list-item"
        summary.click()
        assert dinkes.locator("dl.figures").is_visible()
        assert sideways_overflow(page) == 0
    with opened(browser, portal_server, 1280, "/statistik") as page:
        assert page.locator("table.stats").first.is_visible()
        assert not page.locator(".agency-cards").is_visible()
        assert page.evaluate(BROKEN_WORDS, "table.stats th") == []
        assert sideways_overflow(page) == 0


@pytest.mark.slow
def test_the_dashboards_number_tables_scroll_inside_their_card_with_words_whole(
    browser: object, portal_server: ServerProcess
) -> None:
    with opened(browser, portal_server, 360, "/dasbor") as page:
        for details in page.locator("details.numbers").all():
            details.evaluate("d => { d.open = true; }")
        assert page.locator(".panel table").count() >= 1
        assert page.evaluate(BROKEN_WORDS, ".panel th, .panel td") == []
        assert sideways_overflow(page) == 0
        # a table wider than its card scrolls inside its own region
        overflows = page.evaluate(
            "() => [...document.querySelectorAll('.panel .table-wrap')]"
            ".map(w => getComputedStyle(w).overflowX)"
        )
        assert overflows and set(overflows) == {"auto"}
        markers = page.evaluate(
            "() => [...document.querySelectorAll('summary')].map(s => getComputedStyle(s).display)"
        )
        assert markers and set(markers) == {"list-item"}
        # headed by the fields' titles, never their names
        headings = page.locator(".panel th").all_inner_texts()
        assert headings and not [h for h in headings if "_" in h]


@pytest.mark.slow
def test_a_phone_shows_data_first_and_names_fields_by_their_titles(
    browser: object, portal_server: ServerProcess
) -> None:
    with opened(browser, portal_server, 360, "/dataset/register-pasien-tbc") as page:
        headers = page.locator(".resource table thead th")
        classes = [headers.nth(i).get_attribute("class") or "" for i in range(headers.count())]
        withheld = ["withheld" in c for c in classes]
        assert any(withheld) and withheld == sorted(withheld)  # withheld columns last
        first_cell = page.locator(".resource table tbody tr").first.locator("td").first
        assert first_cell.get_attribute("class") != "withheld"
        text = page.inner_text("main")
        assert "nik_pasien" not in text and "NIK pasien" in text
        # no chart adds up ages (the rule itself: tests/portal/test_chart.py)
        captions = page.locator("figure.chart figcaption").all_inner_texts()
        assert all("Umur" not in caption for caption in captions)


@pytest.mark.slow
def test_a_refused_sign_in_shows_its_problem_in_view_and_focused(
    browser: object, portal_server: ServerProcess
) -> None:
    with opened(browser, portal_server, 360, "/masuk") as page:
        page.get_by_label("Surel").fill("tidak-ada@contoh.id")
        page.get_by_label("Kata sandi").fill("salah-sekali")
        page.get_by_role("button", name="Masuk", exact=True).click()
        page.wait_for_selector("#problem")
        top = page.evaluate("() => document.getElementById('problem').getBoundingClientRect().top")
        assert 0 <= top < 400
        # the browser applies `autofocus` at its next rendering step, not when the element
        # appears: wait for it (a page that never focuses the problem still fails here)
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'problem'",
            timeout=5000,
        )
