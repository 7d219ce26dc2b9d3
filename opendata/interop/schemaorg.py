"""schema.org `Dataset` JSON-LD for a dataset page (what Google Dataset Search reads).

`dataset_json_ld(record, urls)` is a plain function, dataset in and a JSON string out, safe
to put inside `<script type="application/ld+json">` as it is: `<`, `>` and `&` are written as
JSON escapes, so no title can close the script element. A dataset withheld whole offers no
download; its access conditions say why, with the Pasal 17 basis.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.dates import issued_on, modified_on
from opendata.db.models import Dataset
from opendata.interop.records import DatasetRecord, load_records, resource_global_id
from opendata.interop.vocabulary import CATALOG_TITLE_ID, REGENCY_ID, license_of, media_type_of
from opendata.urls import PublicUrls

SPATIAL_COVERAGE = f"{REGENCY_ID}, Kalimantan Barat, Indonesia"
# Characters that could end a <script> element or start markup, as JSON escapes.
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_safe_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_SAFE)


def dataset_schema(record: DatasetRecord, urls: PublicUrls) -> dict[str, Any]:
    dataset, agency = record.dataset, record.agency
    page = urls.dataset(dataset.slug)
    organization = {
        "@type": "GovernmentOrganization",
        "@id": urls.agency(agency.slug),
        "name": agency.name,
        "url": urls.agency(agency.slug),
        **({"sameAs": agency.website} if agency.website else {}),
    }
    access_id, access_en = record.access_statement()
    shown: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page,
        "url": page,
        "identifier": dataset.slug,
        "name": dataset.title,
        "description": dataset.description,
        "inLanguage": "id",
        "keywords": list(dataset.keywords),
        "license": license_of(dataset.license).url,
        "isAccessibleForFree": True,
        "creator": organization,
        "publisher": organization,
        "spatialCoverage": {"@type": "Place", "name": SPATIAL_COVERAGE},
        "conditionsOfAccess": f"{access_id} / {access_en}",
        "datePublished": issued_on(dataset).isoformat(),
        "dateModified": modified_on(dataset).isoformat(),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": CATALOG_TITLE_ID,
            "url": urls.route("home"),
        },
    }
    if dataset.title_en:
        shown["alternateName"] = dataset.title_en
    if dataset.temporal_start is not None:
        end = dataset.temporal_end if dataset.temporal_end is not None else dataset.temporal_start
        shown["temporalCoverage"] = f"{dataset.temporal_start}-01-01/{end}-12-31"
    if record.rows_public:
        shown["distribution"] = [
            {
                "@type": "DataDownload",
                "name": resource.name,
                "contentUrl": urls.download(resource_global_id(resource)),
                "encodingFormat": media_type_of("csv"),
            }
            for resource in record.resources
        ]
    return shown


def dataset_json_ld(record: DatasetRecord, urls: PublicUrls) -> str:
    """The JSON-LD text for the page's `<script type="application/ld+json">` (head_extra)."""
    return script_safe_json(dataset_schema(record, urls))


async def page_json_ld(session: AsyncSession, dataset: Dataset, urls: PublicUrls) -> str:
    """For a page handler that holds a dataset: its JSON-LD, visibility loaded with it."""
    (record,) = await load_records(session, [dataset])
    return dataset_json_ld(record, urls)
