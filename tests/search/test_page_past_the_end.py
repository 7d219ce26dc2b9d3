"""A search page past the last one says so and leads back, never "nothing found, ask for it".

A hand-typed `page=` past the results (or, on PostgreSQL past the bounded count, past the
matches a search reads) showed "Nothing found. Ask for it" under a line saying how many
datasets were found. Both tests failed on 3585682.
"""

from __future__ import annotations

import html
import re

from opendata.app import create_app
from opendata.search.postgres_backend import PostgresSearchIndex
from opendata.services import Services
from tests.conftest import asgi_client
from tests.search.test_bounded import postgres as postgres  # the fixture


def _said(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def test_a_page_past_the_results_says_where_they_end(searchable: Services) -> None:
    async with asgi_client(create_app(searchable)) as client:
        past = await client.get("/cari", params={"q": "kesehatan", "page": "9"})
        english = await client.get("/cari", params={"q": "kesehatan", "page": "9", "lang": "en"})
        first = await client.get("/cari", params={"q": "kesehatan"})
    said = _said(past.text)
    assert past.status_code == 200
    assert "3 dataset ditemukan" in said
    assert "Halaman ini melewati hasil pencarian" in said
    assert "Hasil pencarian berakhir di halaman 1." in said
    assert "Tidak ditemukan" not in said
    assert 'href="/cari?q=kesehatan"' in past.text  # back to the one page there is
    assert "This page is past the results" in _said(english.text)
    assert "The results end at page 1." in _said(english.text)
    # a search with no match at all still offers to ask for it
    assert "melewati" not in _said(first.text)


async def test_past_the_bounded_count_the_page_says_to_narrow_the_search(
    postgres: Services,
) -> None:
    assert isinstance(postgres.search, PostgresSearchIndex)
    postgres.search.exact_up_to = 2
    async with asgi_client(create_app(postgres)) as client:
        past = await client.get("/cari", params={"q": "kesehatan", "page": "2"})
        nothing = await client.get("/cari", params={"q": "zzzyxw", "page": "2"})
    said = _said(past.text)
    assert "Lebih dari 2 dataset ditemukan" in said
    assert "Hanya 2 hasil pertama yang dapat ditelusuri per halaman" in said
    assert "Tidak ditemukan" not in said
    # no match at all, on any page: the offer to ask stays
    assert "Tidak ditemukan. Mintalah" in _said(nothing.text)
