"""Shared vocabularies the doors map our values onto, as data a reviewer can read.

Licences by SPDX id, our topics onto the EU data themes DCAT-AP uses, access levels onto the
EU access-right authority, resource formats onto IANA media types, and who publishes.
"""

from __future__ import annotations

from dataclasses import dataclass

REGENCY_ID = "Kabupaten Kubu Raya"
PUBLISHER_ID = "Pemerintah Kabupaten Kubu Raya"
PUBLISHER_EN = "Kubu Raya Regency Government"
CATALOG_TITLE_ID = "Katalog Data Terbuka Kabupaten Kubu Raya"
CATALOG_TITLE_EN = "Kubu Raya Regency open data catalogue"
CATALOG_DESCRIPTION_ID = (
    "Dataset badan publik Kabupaten Kubu Raya dan daftar informasi yang dikecualikan (DIK) "
    "menurut UU 14/2008 tentang Keterbukaan Informasi Publik."
)
CATALOG_DESCRIPTION_EN = (
    "Datasets of the public bodies of Kubu Raya Regency and the list of exempt information "
    "(DIK) under Law 14/2008 on Public Information Disclosure."
)


@dataclass(frozen=True)
class License:
    title: str
    url: str
    is_open: bool


LICENSES: dict[str, License] = {
    "CC-BY-4.0": License(
        "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/", True
    ),
    "CC-BY-SA-4.0": License(
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        True,
    ),
    "CC0-1.0": License(
        "Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/", True
    ),
    "ODbL-1.0": License(
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        True,
    ),
    "PDDL-1.0": License(
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
        True,
    ),
}


def license_of(spdx_id: str) -> License:
    """A known licence, else the SPDX page of the id as written (not claimed open)."""
    return LICENSES.get(spdx_id) or License(
        spdx_id or "License not specified", f"https://spdx.org/licenses/{spdx_id}.html", False
    )


EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
TOPIC_THEMES: dict[str, str] = {
    "kesehatan": "HEAL",
    "pendidikan": "EDUC",
    "infrastruktur": "TRAN",
    "kependudukan": "SOCI",
    "teknologi-informasi": "TECH",
    "perencanaan": "REGI",
    "kebencanaan": "ENVI",
    "lingkungan": "ENVI",
    "ekonomi": "ECON",
    "sosial": "SOCI",
    "keuangan": "GOVE",
}

EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
# PUBLIC / PARTIAL / WITHHELD (the visibility policy's `access`) onto the EU authority.
ACCESS_RIGHTS: dict[str, str] = {
    "PUBLIC": "PUBLIC",
    "PARTIAL": "RESTRICTED",
    "WITHHELD": "NON_PUBLIC",
}

IANA_MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "geojson": "application/geo+json",
}


def media_type_of(resource_format: str, declared: str | None = None) -> str:
    return declared or MEDIA_TYPES.get(resource_format.lower(), "application/octet-stream")
