"""What ships with the portal: vendored files as pinned, GraphiQL local, catalogs complete,
and each page's "API for this page" query valid against the schema."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from babel.messages.extract import extract_from_dir
from graphql import parse, validate

from opendata.config import Limits
from opendata.portal import api_queries
from opendata.portal.graphiql import graphiql_html
from opendata.portal.i18n import LOCALE_DIR, translations
from opendata.portal.vendor_assets import MANIFEST, PACKAGES
from opendata.web.graphql.build import build_schema


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.spec)
def test_every_vendored_file_is_the_pinned_one_with_its_licence(package: object) -> None:
    manifest = json.loads(MANIFEST.read_text())
    entry = manifest[package.name]  # type: ignore[attr-defined]
    assert entry["version"] == package.version  # type: ignore[attr-defined]
    assert entry["license"] == package.license  # type: ignore[attr-defined]
    folder = package.folder  # type: ignore[attr-defined]
    assert (folder / "LICENSE").read_text().strip()
    for name, integrity in entry["files"].items():
        digest = hashlib.sha384((folder / name).read_bytes()).digest()
        assert integrity == "sha384-" + base64.b64encode(digest).decode()


def test_graphiql_loads_nothing_from_another_host() -> None:
    html = graphiql_html()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/static/vendor/", "data:")), url
    assert "unpkg" not in html


def test_every_message_has_an_indonesian_translation() -> None:
    portal = LOCALE_DIR.parent
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    catalog = translations("id")
    untranslated = [
        message
        for _, _, message, *_ in extract_from_dir(
            portal, method_map, options, keywords={"_": None, "gettext": None}
        )
        if isinstance(message, str)
        and catalog.gettext(message) == message
        and message not in ("Dataset", "Status", "Format")  # the same word in both languages
    ]
    assert untranslated == []


@pytest.mark.parametrize(
    "name", ["HOME", "SEARCH", "DATASET", "AGENCY", "REGISTER", "REQUEST", "DEADLINE"]
)
def test_each_page_query_is_valid_against_the_schema(name: str) -> None:
    schema = build_schema(Limits())
    document = parse(getattr(api_queries, name))
    assert validate(schema._schema, document) == []
