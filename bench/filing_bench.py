"""Request filing on PostgreSQL with 50 concurrent clients over loopback: filings per second,
and a check that registration numbers have no gaps and no duplicates."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg

from bench.graphql_bench import SCRATCH, start_bench_server, write_bench_catalog
from bench.load import build_request, free_port, run_load, stop_server
from bench.scratch_database import scratch_database

FILE = """mutation { fileInformationRequest(input: { agency: "bench",
  informationRequested: "Data anggaran 2025", purpose: "Penelitian", deliveryForm: SOFT_COPY,
  requester: { name: "Warga", address: "Jl. Uji 1" } }) {
  registrationNumber } }"""


async def _prepare(url: str, data_dir: Path, clients: int) -> list[str]:
    from opendata.accounts.service import create_user
    from opendata.catalogue.loader import load_catalog
    from opendata.config import Settings
    from opendata.services import open_services

    services = await open_services(Settings(data_dir=data_dir, database_url=url))
    try:
        await load_catalog(
            services, write_bench_catalog(SCRATCH.parent / "filing-catalog", rows=5, wide_rows=5)
        )
        tokens = []
        for index in range(clients):
            created = await create_user(
                services.database,
                email=f"pemohon{index}@example.org",
                name=f"Pemohon {index}",
                role="REQUESTER",
            )
            tokens.append(created.token)
        return tokens
    finally:
        await services.close()


async def run(quick: bool) -> AsyncIterator[dict[str, object]]:
    clients, total, seconds = 50, (600 if quick else 5000), (10.0 if quick else 60.0)
    async with scratch_database(f"opendata_bench_filing_{os.getpid()}") as url:
        data_dir = SCRATCH.parent / "filing-data"
        shutil.rmtree(data_dir, ignore_errors=True)
        tokens = await _prepare(url, data_dir, clients)
        port = free_port()
        server = await start_bench_server(data_dir, port, "--database-url", url)
        try:
            body = json.dumps({"query": FILE}).encode()
            requests = [
                build_request(
                    "POST",
                    "/graphql",
                    body,
                    {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
                )
                for token in tokens
            ]
            result = await run_load(
                port, requests, concurrency=clients, total=total, max_seconds=seconds
            )
        finally:
            stop_server(server)
        conn = await asyncpg.connect(url.replace("+asyncpg", ""))
        try:
            numbers = [
                row[0]
                for row in await conn.fetch("SELECT registration_number FROM information_requests")
            ]
        finally:
            await conn.close()
    sequence = sorted(int(re.sub(r".*/", "", number)) for number in numbers)
    acknowledged = result.statuses.get(200, 0)
    yield {
        "figure": "filings_postgres_50_clients",
        **result.summary(),
        "statuses": result.statuses,
        "filings_per_second": round(acknowledged / result.seconds, 1),
    }
    yield {
        "figure": "registration_numbers",
        "stored": len(numbers),
        "acknowledged": acknowledged,
        "gaps_or_duplicates": sequence != list(range(1, len(sequence) + 1)),
        "met": sequence == list(range(1, len(sequence) + 1)) and len(numbers) == acknowledged,
    }
