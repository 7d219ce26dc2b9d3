"""/statistik in Debian's Chromium: complete, accessible, offline, fits a phone; sorts by links.

Requests are made through the real server's GraphQL API (an officer registers walk-ins and
answers one), so the page shows figures the lifecycle produced.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.portal.conftest import (
    WIDTHS,
    add_user,
    axe_violations,
    graphql,
    open_page,
    sideways_overflow,
)
from tests.web.server import ServerProcess

SCREENSHOTS = Path(os.environ.get("OPENDATA_SCREENSHOTS", "/tmp/opendata-screenshots"))


@pytest.fixture(scope="module")
def answered_requests(portal_server: ServerProcess) -> None:
    """Two walk-in requests at Dinkes this year, one of them refused under Pasal 17(h)."""
    email = f"ppid-{uuid.uuid4().hex[:8]}@dinkes.go.id"
    token = add_user(portal_server, email, "OFFICER", "dinkes")
    filed = []
    for _ in range(2):
        data = graphql(
            portal_server,
            token,
            """mutation($input: FileRequestInput!) { fileInformationRequest(input: $input) { id } }""",
            {
                "input": {
                    "agency": "dinkes",
                    "informationRequested": "Jumlah kasus DBD per desa",
                    "purpose": "Penelitian",
                    "deliveryForm": "SOFT_COPY",
                    "requester": {"name": "Warga Statistik", "address": "Jl. Rahasia 9"},
                }
            },
        )
        filed.append(data["fileInformationRequest"]["id"])
    graphql(
        portal_server,
        token,
        """mutation($input: AnswerRequestInput!) { answerInformationRequest(input: $input) { id } }""",
        {
            "input": {
                "id": filed[0],
                "decision": "REFUSED",
                "answer": "Data pasien",
                "exemptions": ["PASAL_17H"],
                "consequenceTest": "Rahasia pribadi pasien",
            }
        },
    )


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
def test_statistics_page_is_accessible_offline_and_fits_the_window(
    browser: object, portal_server: ServerProcess, answered_requests: None, width: int
) -> None:
    context, page, traffic = open_page(browser, portal_server.url, width)
    try:
        response = page.goto(portal_server.url + "/statistik")  # type: ignore[attr-defined]
        assert response.status == 200
        assert page.evaluate("document.documentElement.lang") == "id"  # type: ignore[attr-defined]
        assert sideways_overflow(page) == 0
        assert axe_violations(page) == []
        text = page.inner_text("main")  # type: ignore[attr-defined]
        assert "Dinas Kesehatan" in text and "Pasal 17 huruf h" in text
        assert "Warga Statistik" not in page.content()  # type: ignore[attr-defined]
        if width == 360:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "statistik-360.png"), full_page=True)  # type: ignore[attr-defined]
        # sorting is a link on a wide screen, the form's order on a phone: no script runs
        if width == 360:
            page.get_by_label("Urutkan menurut").select_option("received")  # type: ignore[attr-defined]
            page.get_by_label("Arah").select_option("desc")  # type: ignore[attr-defined]
            page.get_by_role("button", name="Tampilkan").click()  # type: ignore[attr-defined]
        else:
            page.get_by_role("link", name="Diterima", exact=True).click()  # type: ignore[attr-defined]
        header = page.locator("th[aria-sort]")  # type: ignore[attr-defined]
        assert header.get_attribute("aria-sort") == "descending"
        assert "sort=received" in page.url  # type: ignore[attr-defined]
        # the year form is a GET form
        page.get_by_role("button", name="Tampilkan").click()  # type: ignore[attr-defined]
        assert "year=" in page.url and "sort=received" in page.url  # type: ignore[attr-defined]
    finally:
        context.close()  # type: ignore[attr-defined]
    assert traffic.foreign == []
