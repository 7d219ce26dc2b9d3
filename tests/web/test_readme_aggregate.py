"""The README's `aggregate` example answers on every resource it asks (issue 23: it named a
field the dataset's second resource does not have, and failed there)."""

from __future__ import annotations

import re
from pathlib import Path

from opendata.app import create_app
from opendata.services import Services
from tests.catalogue.test_safe_files import load_demo_agencies
from tests.conftest import asgi_client
from tests.web.helpers import data, gql

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def dashboard_example() -> str:
    section = README.split("\n## Dashboard\n", 1)[1]
    found = re.search(r"```graphql\n(.*?)```", section, re.DOTALL)
    assert found is not None
    return found.group(1)


async def test_the_readme_aggregate_example_answers_on_every_resource(
    services: Services, tmp_path: Path
) -> None:
    await load_demo_agencies(services, tmp_path / "catalog", "dinkes")
    async with asgi_client(create_app(services)) as client:
        answer = data(await gql(client, dashboard_example()))
    resources = answer["dataset"]["resources"]
    assert [r["name"] for r in resources] == ["kasus", "kasus-bulanan"]
    for resource in resources:
        groups = resource["aggregate"]["groups"]
        assert groups and all(group["key"]["tahun"] >= 2023 for group in groups), groups
