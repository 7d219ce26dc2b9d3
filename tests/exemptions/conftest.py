"""The app over HTTP with a small catalogue and one account of each kind that matters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.catalogue.builders import small_catalog, write_dataset
from tests.conftest import asgi_client

# An ON_REQUEST dataset (may be withheld whole) beside small_catalog's PERIODIC and IMMEDIATE.
INVESTIGATION_ROWS = (
    "kecamatan,tahun,kasus,nik,status\n"
    "Sungai Ambawang,2024,3,6112000000000101,dalam penyelidikan\n"
    "Teluk Pakedai,2024,1,6112000000000102,terbuka\n"
)


@dataclass
class Tokens:
    officer: str  # PPID officer of dinkes
    other_officer: str  # PPID officer of bpbd
    requester: str
    admin: str


@dataclass
class World:
    client: httpx.AsyncClient
    services: Services
    tokens: Tokens
    catalog: Path


async def make_tokens(services: Services) -> Tokens:
    async def token(email: str, role: str, agency: str | None = None) -> str:
        result = await create_user(
            services.database, email=email, name=email.split("@")[0], role=role, agency_slug=agency
        )
        return result.token

    return Tokens(
        officer=await token("ppid@dinkes.test", "OFFICER", "dinkes"),
        other_officer=await token("ppid@bpbd.test", "OFFICER", "bpbd"),
        requester=await token("warga@example.test", "REQUESTER"),
        admin=await token("admin@kuburaya.test", "ADMIN"),
    )


@pytest.fixture
async def world(services: Services, tmp_path: Path) -> AsyncIterator[World]:
    root = small_catalog(tmp_path / "catalog")
    write_dataset(
        root,
        "dinkes",
        "laporan-investigasi-wabah",
        csv_text=INVESTIGATION_ROWS,
        title="Laporan Investigasi Wabah",
        title_en="Outbreak investigation reports",
        category="ON_REQUEST",
    )
    summary = await load_catalog(services, root)
    assert summary.ok, summary.refused
    tokens = await make_tokens(services)
    async with asgi_client(create_app(services)) as client:
        yield World(client, services, tokens, root)
