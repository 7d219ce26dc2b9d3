"""The Frictionless data package (`datapackage.json`) beside each download: a Table Schema
that lets a tool read the CSV with its types and leading zeros kept.

`https://specs.frictionlessdata.io/tabular-data-package/`: a resource names its CSV (an
absolute URL, the download of exactly the rows and fields the reader chose), and its
`schema.fields` give each column's name, type and title, in the CSV's order. Withheld fields
are left out (the CSV leaves them out too), so the schema and the file always agree. Text
fields say `string`, so a code such as `0101` stays `0101` instead of becoming 101.

Constraints are carried for the typed fields (a minimum, an enum of numbers); for text
fields only `required`: a text cell the CSV neutralises (`exports.neutralised`, a leading
`'`) would no longer match a pattern, a length or an enum written for the raw text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opendata.db.models import Dataset
from opendata.visibility.fields import FieldDef

TABULAR_PACKAGE = "tabular-data-package"
TABULAR_RESOURCE = "tabular-data-resource"


def field_schema(field: FieldDef) -> dict[str, Any]:
    """One Table Schema field: name, type, title, and the constraints the CSV keeps."""
    described: dict[str, Any] = {"name": field.name, "type": field.type}
    if field.title:
        described["title"] = field.title
    constraints = field.constraints.to_json()
    if field.type == "string":
        constraints = {k: v for k, v in constraints.items() if k == "required"}
    if constraints:
        described["constraints"] = constraints
    return described


def resource_descriptor(name: str, csv_url: str, fields: Sequence[FieldDef]) -> dict[str, Any]:
    """A tabular data resource: the CSV at `csv_url`, whose columns are `fields`."""
    return {
        "name": name,
        "profile": TABULAR_RESOURCE,
        "path": csv_url,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
        "schema": {"fields": [field_schema(f) for f in fields], "missingValues": [""]},
    }


def package_descriptor(
    dataset: Dataset, homepage: str, resources: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """The dataset's package around its resources' descriptors."""
    package: dict[str, Any] = {
        "profile": TABULAR_PACKAGE,
        "name": dataset.slug,
        "title": dataset.title,
        "homepage": homepage,
        "keywords": list(dataset.keywords),
        "resources": list(resources),
    }
    if dataset.description:
        package["description"] = dataset.description
    if dataset.license:
        package["licenses"] = [{"name": dataset.license}]
    if dataset.modified:
        package["modified"] = dataset.modified.isoformat()
    return package
