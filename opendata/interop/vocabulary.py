"""Shared vocabularies the doors map our values onto, as data a reviewer can read.

Licences by SPDX id, our topics onto the EU data themes DCAT-AP uses, access levels onto the
EU access-right authority, resource formats onto IANA media types, and who publishes.
"""

from __future__ import annotations

from dataclasses import dataclass

from opendata.publishing.checks import wilayah

REGENCY_ID = "Kabupaten Kubu Raya"
REGENCY_EN = "Kubu Raya Regency"
REGENCY_CODE = wilayah.REGENCY  # the regency's Kemendagri code (kode wilayah), "61.12"
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


# ADMS licence types (what a licence asks of a re-user), as DCAT-AP's `dct:type` of a licence.
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"
LICENCE_TYPE_LABELS: dict[str, str] = {
    "Attribution": "Attribution",
    "ShareAlike": "Share-alike",
    "PublicDomain": "Public domain",
    "UnknownIPR": "Unknown IPR",
}
# CKAN's licence register (ckan/model/license.py, CKAN 2.11): ckanext-dcat's RDF parser gives
# a dataset the `license_id` whose register `url` is its distribution's `dct:license` URI.
CKAN_LICENSE_URL = "http://www.opendefinition.org/licenses/"


@dataclass(frozen=True)
class License:
    title: str
    url: str  # the licence's own page, for people (schema.org `license`)
    is_open: bool
    ckan_id: str = "notspecified"  # CKAN's `license_id`
    ckan_title: str = "License not specified"  # its title in CKAN's register
    kinds: tuple[str, ...] = ("UnknownIPR",)  # ADMS licence types

    @property
    def uri(self) -> str:
        """The licence as DCAT names it: the URI CKAN's register maps to `ckan_id` (so a
        CKAN harvest reads the same licence), else the licence's own page."""
        if self.ckan_id == "notspecified":
            return self.url
        return CKAN_LICENSE_URL + self.ckan_id


LICENSES: dict[str, License] = {
    "CC-BY-4.0": License(
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        True,
        "cc-by",
        "Creative Commons Attribution",
        ("Attribution",),
    ),
    "CC-BY-SA-4.0": License(
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        True,
        "cc-by-sa",
        "Creative Commons Attribution Share-Alike",
        ("Attribution", "ShareAlike"),
    ),
    "CC0-1.0": License(
        "Creative Commons CCZero",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        True,
        "cc-zero",
        "Creative Commons CCZero",
        ("PublicDomain",),
    ),
    "ODbL-1.0": License(
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        True,
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        ("Attribution", "ShareAlike"),
    ),
    "PDDL-1.0": License(
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
        True,
        "odc-pddl",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
        ("PublicDomain",),
    ),
}
# The licence of the catalogue's own descriptions (DCAT-AP `dct:license` of the catalogue).
CATALOG_LICENSE = "CC-BY-4.0"


def license_of(spdx_id: str) -> License:
    """A known licence, else the SPDX page of the id as written (not claimed open; CKAN
    reads it as "License not specified")."""
    return LICENSES.get(spdx_id) or License(
        spdx_id or "License not specified", f"https://spdx.org/licenses/{spdx_id}.html", False
    )


EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_THEME_SCHEME = EU_THEME.removesuffix("/")
EU_THEME_SCHEME_TITLE = "Data theme"
# The authority's own English labels of the themes we use.
EU_THEME_LABELS: dict[str, str] = {
    "HEAL": "Health",
    "EDUC": "Education, culture and sport",
    "TRAN": "Transport",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "REGI": "Regions and cities",
    "ENVI": "Environment",
    "ECON": "Economy and finance",
    "GOVE": "Government and public sector",
}
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
# (Indonesian, the authority's English label)
ACCESS_RIGHT_LABELS: dict[str, tuple[str, str]] = {
    "PUBLIC": ("terbuka", "public"),
    "RESTRICTED": ("terbatas", "restricted"),
    "NON_PUBLIC": ("tidak terbuka", "non-public"),
}
# The EU planned-availability authority: every published version stays downloadable.
EU_AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/"
AVAILABILITY = ("STABLE", "stabil", "stable")
# ADMS publisher type of every publisher here (a regency government and its agencies)
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
PUBLISHER_TYPE = ("LocalAuthority", "Pemerintah daerah", "Local Authority")

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
