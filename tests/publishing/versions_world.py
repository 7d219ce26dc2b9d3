"""The app over HTTP with a small catalogue, a producer per agency, the steward, and helpers
that submit versions through the GraphQL multipart upload, as programs do."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from opendata.accounts.service import create_user
from opendata.services import Services
from tests.catalogue.builders import BASE_DATASET
from tests.publishing.builders import COMPLETE
from tests.web.helpers import data, gql

FIELDS = [
    {"name": "kecamatan", "type": "string", "title": "Kecamatan"},
    {"name": "tahun", "type": "integer", "title": "Tahun"},
    {"name": "jumlah", "type": "integer", "title": "Jumlah keluarga"},
]
V1 = "kecamatan,tahun,jumlah\nSungai Raya,2025,120\nSungai Kakap,2025,80\nKubu,2025,45\n"
V2 = "kecamatan,tahun,jumlah\nSungai Raya,2025,125\nSungai Kakap,2025,80\nRasau Jaya,2025,30\n"
# valid NIKs of Kubu Raya (61.12), born 5 Jan 1990 (a woman: day + 40) and 12 Mar 1985
WITH_NIK = (
    "kecamatan,tahun,jumlah,nik\n"
    "Sungai Raya,2025,120,6112014501900001\n"
    "Sungai Kakap,2025,80,6112021203850002\n"
)
NIK_FIELD = {"name": "nik", "type": "string", "title": "NIK kepala keluarga"}

VERSION_FIELDS = """id number state comment submittedBy reviewedBy rowCount
  checks { kind passed blocking field message messageEn }
  changes { rowsAdded rowsRemoved rowsChanged fieldsAdded fieldsRemoved metadataChanged }"""
SUBMIT = f"""mutation($input: SubmitVersionInput!) {{ submitDatasetVersion(input: $input) {{
  {VERSION_FIELDS} }} }}"""
APPROVE = f"""mutation($id: ID!, $comment: String) {{
  approveDatasetVersion(id: $id, comment: $comment) {{ {VERSION_FIELDS} }} }}"""
RETURN = f"""mutation($id: ID!, $comment: String!) {{
  returnDatasetVersion(id: $id, comment: $comment) {{ {VERSION_FIELDS} }} }}"""
ROLLBACK = """mutation($dataset: String!, $to: Int!) {
  rollbackDataset(dataset: $dataset, toVersion: $to) { slug title } }"""
ACCEPT = f"""mutation($id: ID!, $kind: CheckKind!, $field: String, $reason: String!) {{
  acceptPublicationCheck(versionId: $id, kind: $kind, field: $field, reason: $reason) {{
  {VERSION_FIELDS} }} }}"""
PUBLIC = """query($slug: String!) { dataset(slug: $slug) { title
  versions { number state }
  resources { id name downloadUrl fields { name withheld }
    rows(first: 50) { edges { node } } } } }"""
VERSIONS = """query($slug: String!) { dataset(slug: $slug) { versions { id number state } } }"""


@dataclass
class People:
    producer: str  # produsen data of dinkes
    other_producer: str  # produsen data of bpbd
    steward: str  # walidata
    officer: str  # PPID of dinkes
    admin: str
    requester: str


ACCOUNTS = {  # People field: (e-mail, role, agency)
    "producer": ("data@dinkes.test", "PRODUCER", "dinkes"),
    "other_producer": ("data@bpbd.test", "PRODUCER", "bpbd"),
    "steward": ("walidata@kominfo.test", "DATA_STEWARD", None),
    "officer": ("ppid@dinkes.test", "OFFICER", "dinkes"),
    "admin": ("admin@kuburaya.test", "ADMIN", None),
    "requester": ("warga@example.test", "REQUESTER", None),
}


async def make_people(services: Services) -> People:
    tokens = {}
    for key, (email, role, agency) in ACCOUNTS.items():
        made = await create_user(
            services.database, email=email, name=email.split("@")[0], role=role, agency_slug=agency
        )
        tokens[key] = made.token
    return People(**tokens)


def metadata(slug: str, fields: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    descriptor = copy.deepcopy(BASE_DATASET)
    descriptor.update(COMPLETE)
    descriptor.update(
        name=slug,
        title="Keluarga Penerima Bantuan per Kecamatan",
        resources=[{"name": "keluarga", "path": "x.csv", "schema": {"fields": fields}}],
    )
    descriptor.update(overrides)
    return descriptor


async def submit(
    client: httpx.AsyncClient,
    token: str | None,
    slug: str,
    csv_text: str,
    fields: list[dict[str, Any]] = FIELDS,
    agency: str = "dinkes",
    **overrides: Any,
) -> dict[str, Any]:
    """submitDatasetVersion as a multipart request (the GraphQL multipart request spec)."""
    operations = {
        "query": SUBMIT,
        "variables": {
            "input": {
                "dataset": slug,
                "agency": agency,
                "metadata": metadata(slug, fields, **overrides),
                "resources": [{"name": "keluarga", "file": None}],
            }
        },
    }
    response = await client.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.resources.0.file"]}),
        },
        files={"0": ("keluarga.csv", csv_text.encode(), "text/csv")},
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )
    # an anonymous upload is refused before the body is read (401)
    assert response.status_code == (200 if token else 401), response.text
    body: dict[str, Any] = response.json()
    return body


async def submitted(
    client: httpx.AsyncClient, token: str, slug: str, csv_text: str, **kw: Any
) -> dict[str, Any]:
    version: dict[str, Any] = data(await submit(client, token, slug, csv_text, **kw))[
        "submitDatasetVersion"
    ]
    return version


async def approved(client: httpx.AsyncClient, token: str, version_id: str) -> dict[str, Any]:
    version: dict[str, Any] = data(await gql(client, APPROVE, {"id": version_id}, token))[
        "approveDatasetVersion"
    ]
    return version


async def public_dataset(client: httpx.AsyncClient, slug: str, token: str | None = None) -> Any:
    return data(await gql(client, PUBLIC, {"slug": slug}, token))["dataset"]


def row_values(dataset: dict[str, Any], field: str) -> list[Any]:
    return [edge["node"][field] for edge in dataset["resources"][0]["rows"]["edges"]]


def catalogue_folder(tmp_path: Path) -> Path:
    from tests.catalogue.builders import small_catalog

    return small_catalog(tmp_path / "catalog")
