"""`opendata serve` and the CLI as an administrator meets them: one clear line for a schema
that is behind (PostgreSQL) or a configuration mistake, never a traceback; `db current`,
`db check` and `db upgrade`; two servers starting at once on an empty database both come up;
letters refused with a clear error on a machine without fonts, never a crash."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from alembic import command
from sqlalchemy import Connection

from opendata.db.engine import Database
from opendata.db.migrate import alembic_config, head_versions, script_directory
from opendata.services import Services
from tests.conftest import DatabaseFactory, require_postgres
from tests.information_requests.helpers import make_desk, walk_in, wib
from tests.observability.helpers import empty_postgres
from tests.web.server import free_port


def opendata(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opendata.cli", *args],
        env={**os.environ, "OPENDATA_RATE_LIMITS": "off", **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def one_line_refusal(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    refusals = [line for line in done.stderr.splitlines() if line.startswith("opendata: ")]
    assert len(refusals) == 1, done.stderr
    return refusals[0]


async def test_a_postgres_schema_behind_is_refused_until_db_upgrade(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    await require_postgres()
    url = await database_factory.url("postgres")
    database = Database(url)
    head = script_directory().get_revision(next(iter(head_versions())))
    behind = str(head.down_revision)  # the last migration really taken back, not a label

    def take_back_the_last(sync: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = sync
        command.downgrade(config, behind)

    async with database.engine.begin() as connection:
        await connection.run_sync(take_back_the_last)
    await database.dispose()
    where = ("--data-dir", str(tmp_path / "data"), "--database-url", url)

    assert "opendata db upgrade" in one_line_refusal(
        opendata("serve", "--no-demo", "--port", str(free_port()), *where)
    )
    check = opendata("db", "check", *where)
    assert check.returncode == 1 and "behind" in check.stdout
    assert f"schema at {behind}" in opendata("db", "current", *where).stdout
    upgrade = opendata("db", "upgrade", *where)
    assert upgrade.returncode == 0, upgrade.stderr
    assert f"migration {head.revision} applied" in upgrade.stderr  # every migration is logged
    assert opendata("db", "check", *where).returncode == 0


def test_configuration_mistakes_print_one_line(tmp_path: Path) -> None:
    where = ("--data-dir", str(tmp_path / "data"))
    bad_number = opendata("db", "check", *where, OPENDATA_STATEMENT_TIMEOUT_MS="lima")
    assert "OPENDATA_STATEMENT_TIMEOUT_MS" in one_line_refusal(bad_number)
    unreachable = opendata(
        "users", "revoke", "--email", "a@b.id", *where,
        "--database-url", "postgresql://nobody@127.0.0.1:1/none",
    )  # fmt: skip
    assert "cannot open the database" in one_line_refusal(unreachable)
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    if os.access(read_only, os.W_OK):  # root writes anywhere: a file where the folder goes
        read_only = tmp_path / "a-file"
        read_only.write_text("")
    data_folder = opendata("serve", "--no-demo", "--data-dir", str(read_only / "data"))
    assert "data folder" in one_line_refusal(data_folder)
    bad_smtp = opendata(
        "serve", "--no-demo", "--port", str(free_port()), *where,
        OPENDATA_SMTP_URL="http://mail.kubu.example",
    )  # fmt: skip
    assert "OPENDATA_SMTP_URL must look like" in one_line_refusal(bad_smtp)


def _server(data_dir: Path, url: str, port: int, **env: str) -> subprocess.Popen[bytes]:
    log = open(data_dir.parent / f"server-{port}.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "opendata.cli", "serve", "--port", str(port),
         "--data-dir", str(data_dir), "--database-url", url],
        env={**os.environ, "OPENDATA_RATE_LIMITS": "off", **env},
        stdout=log,
        stderr=log,
    )  # fmt: skip


def _wait_ready(port: int, seconds: float = 150) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code
        except httpx.HTTPError:
            time.sleep(0.2)
    return 0


@pytest.mark.slow
async def test_two_servers_starting_at_once_on_an_empty_database_both_come_up(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    _, url = await empty_postgres(database_factory)  # empty: no schema at all
    ports = [free_port(), free_port()]
    servers = [_server(tmp_path / f"s{i}", url, port) for i, port in enumerate(ports)]
    try:
        assert [_wait_ready(port) for port in ports] == [200, 200]
        for server in servers:
            assert server.poll() is None
        agencies = '{"query": "{ agencies(first: 1) { totalCount } }"}'
        for port in ports:  # the demo catalogue loaded once, seen by both
            answer = httpx.post(
                f"http://127.0.0.1:{port}/graphql",
                content=agencies,
                headers={"Content-Type": "application/json"},
            )
            assert answer.json()["data"]["agencies"]["totalCount"] == 11
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    logs = "".join((tmp_path / f"server-{port}.log").read_text() for port in ports)
    assert logs.count("demo catalogue loaded") == 1
    assert "Traceback" not in logs


async def test_letters_are_refused_without_fonts_never_a_crash(
    services: Services, tmp_path: Path
) -> None:
    desk = await make_desk(services)
    record = await walk_in(desk, wib(2026, 3, 13))
    number = record.request.registration_number
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    where = ["--data-dir", str(services.settings.data_dir)]
    if services.settings.database_url:
        where += ["--database-url", services.settings.database_url]
    target = tmp_path / "tanda-terima.pdf"
    done = opendata(
        "letters", "pdf", number, "receipt", "-o", str(target), *where,
        FONTCONFIG_FILE=str(config),
    )  # fmt: skip
    line = one_line_refusal(done)  # exit 2 and one line, not a segfault (-11)
    assert "no fonts" in line and "tidak memiliki fon" in line
    assert not target.exists()


async def test_mail_without_a_public_address_or_a_server_that_answers_is_a_warning(
    tmp_path: Path,
) -> None:
    from opendata.config import MailSettings, Settings
    from opendata.observability.startup import start_up_problems

    closed = free_port()  # nothing listens there
    mail = MailSettings(smtp_url=f"smtp://127.0.0.1:{closed}")
    problems = await start_up_problems(Settings(data_dir=tmp_path, mail=mail))
    lines = [problem.line for problem in problems]
    assert not any(problem.fatal for problem in problems)
    assert any(f"127.0.0.1:{closed} does not answer" in line for line in lines)
    assert any("OPENDATA_PUBLIC_URL is not set" in line for line in lines)
    assert all("\n" not in line for line in lines)
    public = Settings(data_dir=tmp_path, public_url="https://data.kuburaya.example")
    assert await start_up_problems(public) == []  # no mail, fonts installed: nothing to say


@pytest.mark.slow
async def test_a_server_whose_database_went_away_is_not_ready_and_logs_little(
    database_factory: DatabaseFactory, tmp_path: Path
) -> None:
    from tests.conftest import take_away_pg_database
    from tests.web.server import ServerProcess

    name, url = await empty_postgres(database_factory)
    (tmp_path / "data").mkdir()
    server = ServerProcess(tmp_path / "data", url)
    server.start()
    try:
        # uvicorn closes a connection whose request raised: one connection per request
        fresh = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=server.url, timeout=10, limits=fresh) as client:
            assert (await client.get("/readyz")).status_code == 200
            await take_away_pg_database(database_factory, name)
            answer = await client.get("/readyz")
            assert answer.status_code == 503
            statuses = [(await client.get(f"/dataset/d{i}")).status_code for i in range(60)]
            assert set(statuses) == {500}
            await asyncio.sleep(1.5)  # the background workers fail on their polls too
    finally:
        server.stop()
    log = (tmp_path / f"server-{server.port}.log").read_text()
    errors = [line for line in log.splitlines() if " ERROR " in line or " WARNING " in line]
    # 60 failed requests and the workers' polls, yet a handful of lines per kind of fault
    assert len(errors) <= 30, "\n".join(errors)
    assert log.count("Exception in ASGI application") <= 5  # of 60 failed requests
    assert log.count(" opendata.access: ") >= 62  # every request still has its access line
