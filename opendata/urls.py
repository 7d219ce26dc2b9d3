"""Every path the app serves, written once, and every link built from it.

`PATHS` maps a route name to its Starlette path template. The routes (app.py, the portal's and
the interop doors' route lists) read their paths from it, and every link (templates, mail,
DCAT, feeds, sitemap, schema.org, GraphQL URLs) is built from it by name, so a page's address
cannot be retyped somewhere and drift. `path` gives a relative path (links inside the site);
`PublicUrls` an absolute URL, under the configured public URL or, in the harvesting doors,
the address the request came in on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from starlette.convertors import Convertor
from starlette.requests import Request
from starlette.routing import compile_path

from opendata.config import Settings

# The suffixes the DCAT documents are served under (interop/dcat.FORMATS serializes each).
DCAT_SUFFIXES = ("ttl", "jsonld", "rdf")
STATIC_FILES = "/{path:path}"  # what follows a mount's prefix

PATHS: dict[str, str] = {
    # the API and its files
    "healthz": "/healthz",
    "readyz": "/readyz",
    "metrics": "/metrics",
    "graphql": "/graphql",
    "download_csv": "/download/{resource_id:str}.csv",
    "download_jsonl": "/download/{resource_id:str}.jsonl",
    "download_xlsx": "/download/{resource_id:str}.xlsx",
    # the Table Schema beside a download (the same query string) and beside a dataset
    "download_datapackage": "/download/{resource_id:str}.datapackage.json",
    "dataset_datapackage": "/dataset/{slug:str}/datapackage.json",
    "robots": "/robots.txt",
    "report": "/reports/{year:int}.{format:str}",
    "attachment": "/lampiran/{attachment_id:str}",
    "push": "/api/push/{dataset:str}/{resource:str}",
    # the harvesting doors
    "sitemap": "/sitemap.xml",
    "feed_datasets": "/feeds/datasets.atom",
    "feed_agency": "/feeds/instansi/{slug:str}.atom",
    "feed_topic": "/feeds/topik/{topic:str}.atom",
    "feed_exemptions": "/feeds/pengecualian.atom",
    "feed_request": "/feeds/permohonan/{agency:str}/{year:str}/{number:str}.atom",
    **{f"dcat_catalog_{suffix}": f"/catalog.{suffix}" for suffix in DCAT_SUFFIXES},
    **{f"dcat_dataset_{suffix}": f"/dataset/{{slug:str}}.{suffix}" for suffix in DCAT_SUFFIXES},
    "ckan_action": "/api/3/action/{action:str}",
    "ckan_action_unversioned": "/api/action/{action:str}",
    "ckan_api_version": "/api/3",
    # the web pages (pages.md)
    "home": "/",
    "search": "/cari",
    "dataset": "/dataset/{slug:str}",
    "agency": "/instansi/{slug:str}",
    "register": "/permohonan",
    "new_request": "/permohonan/baru",
    "request": "/permohonan/{agency:str}/{year:int}/{number:str}",
    "my_requests": "/saya",
    "sign_up": "/daftar",
    "sign_in": "/masuk",
    "sign_out": "/keluar",
    "deadline": "/tenggat",
    "dashboard": "/dasbor",
    "dashboard_csv": "/dasbor/{panel:str}.csv",
    "statistics": "/statistik",
    "statistics_csv": "/statistik.csv",
    "staff": "/petugas",
    "staff_act": "/petugas/permohonan/{agency:str}/{year:int}/{number:str}",
    "staff_letter": "/petugas/permohonan/{agency:str}/{year:int}/{number:str}/surat/{kind:str}.pdf",
    "staff_register": "/petugas/permohonan/baru",
    "staff_objections": "/petugas/keberatan",
    "staff_objection_register": "/petugas/keberatan/register",
    "staff_report": "/petugas/laporan",
    "staff_exemptions": "/petugas/pengecualian",
    "staff_jobs": "/petugas/pekerjaan",
    "staff_calendar": "/petugas/kalender",
    # publishing (issue 22): the producer's (produsen data) and the steward's (walidata) pages
    "staff_data": "/petugas/data",
    "staff_data_version": "/petugas/data/versi/{version_id:int}",
    "steward": "/walidata",
    "steward_version": "/walidata/versi/{version_id:int}",
    "steward_dataset": "/walidata/dataset/{slug:str}",
    # follow and be told, and the requester's printable receipt (issue 24)
    "follow": "/ikuti",
    "follow_confirm": "/ikuti/konfirmasi/{token:str}",
    "unfollow": "/ikuti/berhenti/{token:str}",
    "request_receipt": "/permohonan/{agency:str}/{year:int}/{number:str}/tanda-bukti",
    # the portal's own files (a mount: `path` is the file under it)
    "static": "/static" + STATIC_FILES,
}


def mount_prefix(name: str) -> str:
    """The prefix a mount is served under (`static` -> `/static`)."""
    template = PATHS[name]
    if not template.endswith(STATIC_FILES):
        raise ValueError(f"route {name!r} is not a mount")
    return template.removesuffix(STATIC_FILES)


@cache
def _compiled(name: str) -> tuple[re.Pattern[str], str, dict[str, Convertor[Any]]]:
    return compile_path(PATHS[name])


def matches(name: str, request_path: str) -> bool:
    """Whether a request's path is one of route `name`'s (as its Starlette route decides)."""
    return _compiled(name)[0].match(request_path) is not None


def path(name: str, /, **params: Any) -> str:
    """The path of route `name`: its parameters filled (each quoted as one path segment, a
    mount's `path` keeping its slashes); any other keyword, unless None, goes into the
    query string in the order given (quoted as Jinja's `urlencode` does: spaces as %20,
    slashes kept)."""
    _, path_format, convertors = _compiled(name)
    missing = convertors.keys() - params.keys()
    if missing:
        raise KeyError(f"route {name!r} needs {', '.join(sorted(missing))}")
    filled = path_format
    for key, convertor in convertors.items():
        text = convertor.to_string(params[key])
        filled = filled.replace("{" + key + "}", quote(text, safe="/" if key == "path" else ""))
    query = {
        key: str(value)
        for key, value in params.items()
        if key not in convertors and value is not None
    }
    return filled + ("?" + urlencode(query, safe="/", quote_via=quote) if query else "")


def numbered(registration_number: str) -> dict[str, str]:
    """A register number `AGENCY/YEAR/NUMBER` as the parameters of the routes showing it:
    `path("request", **numbered(number))`."""
    agency, year, sequence = registration_number.split("/")
    return {"agency": agency, "year": year, "number": sequence}


def absolute(base: str, relative: str) -> str:
    return base.rstrip("/") + relative


@dataclass(frozen=True)
class PublicUrls:
    """Absolute URLs under one base (no trailing slash)."""

    base: str

    @classmethod
    def for_request(cls, request: Request) -> PublicUrls:
        """`OPENDATA_PUBLIC_URL` when set (behind a proxy the request's own host may be an
        internal name), else the address the request came in on."""
        return cls.under(request.app.state.services.settings, str(request.base_url))

    @classmethod
    def under(cls, settings: Settings, request_base: str) -> PublicUrls:
        """`for_request` where only the request's base URL is at hand (a resolver's scope);
        with none (a scope no request made), the default `serve` address."""
        return cls((settings.public_url or request_base or settings.absolute_base_url).rstrip("/"))

    def route(self, name: str, /, **params: Any) -> str:
        return absolute(self.base, path(name, **params))

    def dataset(self, slug: str) -> str:
        return self.route("dataset", slug=slug)

    def agency(self, slug: str) -> str:
        return self.route("agency", slug=slug)

    def request(self, registration_number: str) -> str:
        return self.route("request", **numbered(registration_number))

    def download(self, resource_global_id: str) -> str:
        return self.route("download_csv", resource_id=resource_global_id)


def api_link(settings: Settings, name: str, /, **params: Any) -> str:
    """A link the API hands out (`Resource.downloadUrl`): absolute under the configured public
    URL, else relative to wherever the answer was asked (a cached answer serves any host)."""
    if settings.public_url:
        return PublicUrls(settings.public_url.rstrip("/")).route(name, **params)
    return path(name, **params)


def template_globals(build: Callable[..., str]) -> dict[str, Callable[..., Any]]:
    """What a Jinja environment needs to write links: `url('dataset', slug=...)` (relative or
    absolute, as `build` gives) and `numbered` for the routes of one request."""
    return {"url": build, "numbered": numbered}
