"""What a newcomer does first works as the README and the schema say: relevance ranking,
the README's own examples, its links, `--data-dir` after any command, one time offset, and a
`make serve` that installs only what serving needs."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from opendata.accounts.service import create_user
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.cli import build_parser
from opendata.regency_time import regency_now
from opendata.services import Services
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"


@pytest.fixture
async def demo(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """The app over the demo catalogue the README's answers are written for."""
    summary = await load_catalog(services, services.settings.demo_catalog)
    assert summary.ok
    async with asgi_client(create_app(services)) as client:
        yield client


SEARCH = """query($q: String!, $order: DatasetOrder) {
  datasets(query: $q, orderBy: $order, first: 10) { edges { score node { slug title } } } }"""


async def test_a_text_query_without_order_is_ranked_by_relevance(demo: httpx.AsyncClient) -> None:
    default = data(await gql(demo, SEARCH, {"q": "kesehatan"}))["datasets"]["edges"]
    ranked = data(await gql(demo, SEARCH, {"q": "kesehatan", "order": "RELEVANCE"}))["datasets"][
        "edges"
    ]
    by_title = data(await gql(demo, SEARCH, {"q": "kesehatan", "order": "TITLE"}))["datasets"][
        "edges"
    ]
    assert default == ranked
    scores = [edge["score"] for edge in default]
    assert all(score > 0 for score in scores) and scores == sorted(scores, reverse=True)
    assert [e["node"]["slug"] for e in default] != [e["node"]["slug"] for e in by_title]
    assert default[0]["node"]["slug"] == "fasilitas-kesehatan-per-kecamatan"


def graphql_blocks() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README.read_text(), re.S)


async def test_the_readme_rows_example_runs_as_written(demo: httpx.AsyncClient) -> None:
    blocks = graphql_blocks()
    rows_at = next(i for i, block in enumerate(blocks) if "query Rows($id: ID!)" in block)
    resources = data(await gql(demo, blocks[rows_at - 1]))["dataset"]["resources"]
    rows = data(await gql(demo, blocks[rows_at], {"id": resources[0]["id"]}))
    assert rows["node"]["rows"]["totalCount"] == 7


def test_every_document_the_readmes_point_to_exists() -> None:
    named: list[tuple[Path, str]] = []
    for document in (README, REPO / "catalog" / "README.md", *sorted((REPO / "docs").glob("*.md"))):
        text = document.read_text()
        links = re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text)
        mentions = re.findall(r"(?<![\w/(])((?:docs/)?[\w-]+\.md)\b", text)
        named += [(document, link) for link in links]
        named += [(document, mention) for mention in mentions if mention.startswith("docs/")]
    assert any(target.endswith("catalog-format.md") for _, target in named)
    assert any(target.endswith("kip-rules.md") for _, target in named)
    missing = []
    for document, target in named:
        if not (document.parent / target).exists() and not (REPO / target).exists():
            missing.append(f"{document.relative_to(REPO)} -> {target}")
    assert missing == []
    assert (REPO / "docs" / "catalog-format.md").exists() and (
        REPO / "docs" / "kip-rules.md"
    ).exists()


COMMANDS = [
    ["serve"],
    ["catalog", "load", "catalog"],
    ["db", "upgrade"],
    ["search", "reindex"],
    ["users", "add", "--email", "a@b.id", "--name", "A", "--role", "ADMIN"],
    ["exemptions", "sweep"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_data_dir_and_database_url_are_accepted_before_or_after_any_command(
    command: list[str],
) -> None:
    parser = build_parser()
    after = parser.parse_args([*command, "--data-dir", "/srv/od", "--database-url", "sqlite://x"])
    before = parser.parse_args(["--data-dir", "/srv/od", "--database-url", "sqlite://x", *command])
    for args in (after, before):
        assert (args.data_dir, args.database_url) == ("/srv/od", "sqlite://x")
    plain = parser.parse_args(command)
    assert getattr(plain, "data_dir", None) is None


def test_users_add_writes_to_the_data_dir_given_after_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "elsewhere"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "opendata.cli",
            "users",
            "add",
            "--email",
            "admin@kubu.example",
            "--name",
            "Admin",
            "--role",
            "ADMIN",
            "--data-dir",
            str(data_dir),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (data_dir / "opendata.sqlite3").exists()
    assert not (tmp_path / ".opendata").exists()
    assert done.stdout.strip().splitlines()[-1].startswith("odt_")


FILE = """mutation($input: FileRequestInput!) { fileInformationRequest(input: $input) {
  registrationNumber receivedAt timeline { at } } }"""
READ = "query($n: String!) { informationRequest(registrationNumber: $n) { receivedAt } }"


def filing(
    received_at: str | None = None, requester: dict[str, Any] | None = None
) -> dict[str, Any]:
    form: dict[str, Any] = {
        "agency": "dinkes",
        "informationRequested": "Anggaran pengendalian DBD 2025",
        "purpose": "Liputan",
        "deliveryForm": "SOFT_COPY",
        "requester": {"name": "Rina", "address": "Jl. Kenari 4"},
    }
    if received_at is not None:
        form["receivedAt"] = received_at
    if requester is not None:
        form["requester"] = requester
    return {"input": form}


async def test_received_at_is_answered_in_one_offset_for_online_and_walk_in_filings(
    api: httpx.AsyncClient, services: Services
) -> None:
    officer = await create_user(
        services.database,
        email="ppid-time@dinkes.example",
        name="PPID",
        role="OFFICER",
        agency_slug="dinkes",
    )
    signed_up = data(
        await gql(
            api,
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
            {
                "i": {
                    "name": "Rina",
                    "email": "rina-time@example.org",
                    "password": "sandi-yang-panjang-1",
                }
            },
        )
    )["signUp"]["token"]
    # yesterday afternoon: within how far back a receipt may be dated (backdating.py)
    yesterday = (regency_now() - timedelta(days=1)).date().isoformat()
    walk_in = data(
        await gql(
            api,
            FILE,
            filing(f"{yesterday}T15:30:00+07:00", {"name": "Budi", "address": "Jl. Merdeka 1"}),
            officer.token,
        )
    )["fileInformationRequest"]
    online = data(await gql(api, FILE, filing(), signed_up))["fileInformationRequest"]
    assert walk_in["receivedAt"] == f"{yesterday}T08:30:00+00:00"
    assert walk_in["timeline"][0]["at"] == walk_in["receivedAt"]
    assert online["receivedAt"].endswith("+00:00")
    for filed in (walk_in, online):
        read = data(await gql(api, READ, {"n": filed["registrationNumber"]}))
        assert read["informationRequest"]["receivedAt"] == filed["receivedAt"]


def make_dry_run(target: str) -> str:
    done = subprocess.run(
        ["make", "-n", "-B", target, "VENV=/nonexistent/venv"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_make_serve_installs_only_the_runtime_and_make_test_the_test_tools() -> None:
    serve = make_dry_run("serve")
    assert "pip install --quiet -e ." in serve
    assert "[test]" not in serve
    assert '-e ".[test]"' in make_dry_run("test")
