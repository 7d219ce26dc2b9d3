"""Property (issue 21, finding 1): a catalogue reload between an exemption and a query never
makes a withheld value public and never leaves the DIK calling an exemption active that
withholds nothing.

Hypothesis draws rows (every `nik` a unique marker), an exemption added through the API
(FIELD `nik`, ROW on `status` or on the integer `tahun`) and a reload that renames, retypes
or drops a field, changes the slug, or changes nothing; then every live dataset's rows and
field notices are read through GraphQL and compared with what the exemption withholds.
Complements test_properties.py (which draws the rules, not the reloads); both databases.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from opendata.accounts.viewer import Role, Viewer
from opendata.app import create_app
from opendata.catalogue.loader import load_catalog
from opendata.exemptions.service import ExemptionRequest, add_exemption
from opendata.services import Services
from tests.catalogue.builders import BASE_DATASET, write_agency
from tests.conftest import asgi_client
from tests.exemptions.helpers import DATASET, real_query_settings
from tests.web.helpers import data, error_codes, gql

EXAMPLES = int(os.environ.get("OPENDATA_RELOAD_EXAMPLES", "12"))
ADMIN = Viewer(user_id=0, role=Role.ADMIN, agency_id=None, name="Admin", email="a@kab.go.id")
AGENCY = "dinkes"
FIELDS = ("kecamatan", "tahun", "kasus", "nik", "status")
EXEMPTIONS: dict[str, dict[str, Any]] = {
    "field-nik": {"scope": "FIELD", "field": "nik"},
    "row-status": {"scope": "ROW", "row_filter": {"status": "rahasia"}},
    "row-tahun": {"scope": "ROW", "row_filter": {"tahun": 2023}},
}
# what a reload may do to the folder between the exemption and the query
RELOADS = (
    "unchanged",
    *(f"rename:{name}" for name in ("nik", "status", "tahun", "kasus")),
    "retype:tahun",
    *(f"drop:{name}" for name in ("nik", "status", "tahun")),
    "slug",
)
_examples = itertools.count(1)


@dataclass(frozen=True)
class Example:
    rows: list[tuple[int, str]]  # (tahun, status) per row; `nik` is a fresh marker
    exemption: str
    reload: str


examples = st.builds(
    Example,
    rows=st.lists(
        st.tuples(st.sampled_from((2023, 2024)), st.sampled_from(("terbuka", "rahasia"))),
        min_size=1,
        max_size=5,
    ),
    exemption=st.sampled_from(sorted(EXEMPTIONS)),
    reload=st.sampled_from(RELOADS),
)


def _write(root: Path, slug: str, table: list[dict[str, Any]], types: dict[str, str]) -> None:
    names = list(table[0])
    descriptor = copy.deepcopy(BASE_DATASET)
    descriptor["name"] = slug
    descriptor["resources"][0]["schema"]["fields"] = [
        {
            "name": name,
            "type": types.get(name, "integer" if name in ("tahun", "kasus") else "string"),
        }
        for name in names
    ]
    folder = root / AGENCY / slug
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / "datapackage.yaml").write_text(yaml.safe_dump(descriptor, sort_keys=False))
    lines = [",".join(names)] + [",".join(str(row[n]) for n in names) for row in table]
    (folder / "kasus.csv").write_text("\n".join(lines) + "\n")


def _reloaded(table: list[dict[str, Any]], change: str) -> Iterator[dict[str, Any]]:
    kind, _, name = change.partition(":")
    for row in table:
        if kind == "rename":
            yield {(f"{key}_baru" if key == name else key): value for key, value in row.items()}
        elif kind == "drop":
            yield {key: value for key, value in row.items() if key != name}
        else:
            yield dict(row)


def _withheld(table: list[dict[str, Any]], exemption: str) -> set[str]:
    rule = EXEMPTIONS[exemption]
    if rule["scope"] == "FIELD":
        return {row["nik"] for row in table}
    ((name, value),) = rule["row_filter"].items()
    return {row["nik"] for row in table if row[name] == value}


async def check(services: Services, root: Path, example: Example) -> None:
    random.seed()  # whoosh names its segments with `random` (see test_properties.py)
    number = next(_examples)
    slug = f"kasus-{number}"
    table = [
        {"kecamatan": f"Kec{i}", "tahun": tahun, "kasus": i, "nik": f"WHELD{number:04d}Q{i:04d}",
         "status": status}
        for i, (tahun, status) in enumerate(example.rows)
    ]  # fmt: skip
    _write(root, slug, table, {})
    assert (await load_catalog(services, root)).ok
    exemption = await add_exemption(
        services,
        ADMIN,
        ExemptionRequest(
            dataset_slug=slug,
            basis="PASAL_17H",
            consequence_test="Membuka ini mengungkap rahasia pribadi.",
            **EXEMPTIONS[example.exemption],
        ),
    )
    new_slug = slug
    if example.reload == "slug":
        (root / AGENCY / slug).rename(root / AGENCY / f"{slug}-baru")
        new_slug = f"{slug}-baru"
    _write(
        root,
        new_slug,
        list(_reloaded(table, example.reload)),
        {"tahun": "string"} if example.reload == "retype:tahun" else {},
    )
    await load_catalog(services, root)  # refused or not: what follows must hold either way
    # put the folder back so this dataset loads unchanged with the next examples
    if example.reload == "slug":
        (root / AGENCY / new_slug).rename(root / AGENCY / slug)
    _write(root, slug, table, {})
    withheld = _withheld(table, example.exemption)
    async with asgi_client(create_app(services)) as client:
        for name in {slug, new_slug}:
            body = await gql(client, DATASET, {"slug": name})
            if error_codes(body) == ["NOT_FOUND"]:  # a refused reload made no new slug
                continue
            dataset = data(body)["dataset"]
            if dataset is None:
                continue
            shown = repr(dataset)
            assert not [marker for marker in withheld if marker in shown], (example, name)
            active = [e for e in dataset["exemptions"] if e["active"]]
            if name == slug:
                assert [e["id"] for e in active] != [], example  # still decided, still shown
            fields = {f["name"]: f["withheld"] for r in dataset["resources"] for f in r["fields"]}
            for notice in active:  # an active exemption withholds something it names
                if notice["scope"] == "FIELD":
                    assert fields.get("nik") is True, (example, fields)
                else:
                    assert all(key in fields for key in EXEMPTIONS[example.exemption]["row_filter"])
    del exemption


async def test_reloads_between_exemption_and_query_leak_nothing(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "catalogue"
    write_agency(root, AGENCY, "Dinas Kesehatan", "Dinkes")
    loop = asyncio.get_running_loop()

    @real_query_settings(EXAMPLES)
    @given(example=examples)
    def property_holds(example: Example) -> None:
        asyncio.run_coroutine_threadsafe(check(services, root, example), loop).result()

    await asyncio.to_thread(property_holds)
