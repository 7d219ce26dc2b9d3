"""GraphQL documents and small calls shared by the exemption tests."""

from __future__ import annotations

from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, settings

from tests.web.helpers import data, gql


def real_query_settings(max_examples: int) -> settings:
    """Hypothesis for properties whose every case runs real queries: derandomized (a failure
    reproduces as is), no shrinking (each case is costly), no example database."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=False,
    )


ADD = """mutation($input: AddExemptionInput!) { addExemption(input: $input) {
  id basis scope target consequenceTest decisionReference decidedOn expiresOn active
  revokedAt revokeReason } }"""

REVOKE = """mutation($id: ID!, $reason: String!) { revokeExemption(id: $id, reason: $reason) {
  id active revokedAt revokeReason } }"""

DATASET = """query($slug: String!, $first: Int = 100, $after: String, $where: JSON) {
  dataset(slug: $slug) { title access
    exemptions { id basis scope target consequenceTest expiresOn active }
    resources { id name downloadUrl fields { name withheld }
      rows(first: $first, after: $after, where: $where) {
        totalCount edges { node } pageInfo { hasNextPage endCursor } } } } }"""

NOTICE = """query($slug: String!) { dataset(slug: $slug) { access
  exemptions { id basis scope target active } resources { id downloadUrl fields { name withheld } } } }"""

HISTORY = """query($slug: String!) { exemptionHistory(dataset: $slug) {
  id basis scope target active revokedAt revokeReason } }"""

SEARCH = """query($q: String!) { datasets(query: $q, first: 50) { totalCount
  edges { highlight node { slug } }
  facets { agency { value count } topic { value count } format { value count } year { value count } } } }"""


def add_input(dataset: str, scope: str, basis: str = "PASAL_17H", **extra: Any) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "scope": scope,
        "basis": basis,
        "consequenceTest": "Membuka informasi ini merugikan kepentingan yang dilindungi.",
        "decisionReference": "SK PPID No. 7/2026",
        **extra,
    }


async def add(client: httpx.AsyncClient, token: str | None, **input_: Any) -> dict[str, Any]:
    return await gql(client, ADD, {"input": add_input(**input_)}, token=token)


async def rows_of(client: httpx.AsyncClient, slug: str) -> tuple[int, list[dict[str, Any]]]:
    """(totalCount, rows) of the dataset's first resource."""
    resource = data(await gql(client, DATASET, {"slug": slug}))["dataset"]["resources"][0]
    return resource["rows"]["totalCount"], [edge["node"] for edge in resource["rows"]["edges"]]


async def first_resource(client: httpx.AsyncClient, slug: str) -> dict[str, Any]:
    resource: dict[str, Any] = data(await gql(client, NOTICE, {"slug": slug}))["dataset"][
        "resources"
    ][0]
    return resource


async def download(client: httpx.AsyncClient, resource_id: str) -> httpx.Response:
    return await client.get(f"/download/{resource_id}.csv")


async def search_slugs(client: httpx.AsyncClient, text: str) -> list[str]:
    result = data(await gql(client, SEARCH, {"q": text}))["datasets"]
    return [edge["node"]["slug"] for edge in result["edges"]]
