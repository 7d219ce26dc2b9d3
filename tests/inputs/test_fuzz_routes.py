"""Issue 21's input rule, fuzzed: every route of `opendata.urls.PATHS` (pages, forms, downloads,
attachments, the harvesting doors) given NUL, control characters, Unicode digits, huge
integers and over-long strings in its path, query string and form fields answers no 500,
on both databases.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from opendata.db.base import utcnow
from opendata.services import Services
from opendata.urls import PATHS, numbered
from tests.information_requests.helpers import make_desk, online
from tests.portal.conftest import csrf_of, portal_as

pytestmark = pytest.mark.slow
HOSTILE = (
    "\x00",
    "a\x00b",
    "a\x07b\x1b[31m",
    "²",
    "١",
    "٢٠٢٦",
    "99999999999",
    "9" * 40,
    "x" * 5000,
)
QUERY_KEYS = (
    "page", "year", "q", "days", "start", "agency", "status", "where", "kecamatan", "format",
    "part", "sort", "direction", "limit", "offset", "lang", "resource", "panel", "next", "after",
)  # fmt: skip
FORM_FIELDS = (
    "action", "reason", "grounds", "note", "answer", "fee_amount", "fee_basis", "decided_on",
    "delivered_on", "expected_on", "expires_on", "exemption", "job", "objection", "outcome",
    "information_requested", "purpose", "identity_number", "address", "phone", "agency",
    "delivery_form", "email", "name", "password", "received_at", "dataset", "field", "scope",
)  # fmt: skip
FORMS = ("new_request", "request", "sign_up", "sign_in", "staff_act", "staff_register",
         "staff_objections", "staff_exemptions", "staff_jobs")  # fmt: skip
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def _fill(template: str, values: dict[str, str]) -> str:
    return PARAM.sub(lambda m: quote(values.get(m.group(1), "x"), safe=""), template)


async def _status(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> int | str:
    try:
        return (await client.request(method, url, **kw)).status_code
    except Exception as error:  # an exception out of the app is the 500 a server would send
        return f"500 {type(error).__name__}"


async def test_no_hostile_input_gives_a_500_anywhere(services: Services) -> None:
    desk = await make_desk(services)
    record = await online(desk, utcnow())
    plausible = {
        **numbered(record.request.registration_number),
        "slug": "diskominfo",
        "topic": "kesehatan",
        "resource_id": "x",
        "attachment_id": "1",
        "kind": "notice",
        "panel": "x",
        "format": "csv",
        "action": "package_search",
    }
    routes = {name: t for name, t in PATHS.items() if name != "static"}
    failures: list[tuple[str, str, object]] = []
    async with await portal_as(services, desk.officer) as officer:
        for name, template in routes.items():
            for value in HOSTILE:
                url = _fill(template, dict.fromkeys(plausible, value[:300]))
                if (status := await _status(officer, "GET", url)) in (500,) or str(
                    status
                ).startswith("500"):
                    failures.append((name, url[:80], status))
            base = _fill(template, plausible)
            for value in HOSTILE:
                params = dict.fromkeys(QUERY_KEYS, value[:1000])
                params[value[:20]] = "1"
                status = await _status(officer, "GET", base, params=params)
                if str(status).startswith("500"):
                    failures.append((name, f"?{value[:20]!r}", status))
    for who in (desk.requester, desk.officer):
        async with await portal_as(services, who) as client:
            for name in FORMS:
                url = _fill(PATHS[name], plausible)
                page = await client.get(url)
                token = csrf_of(page.text) if 'name="csrf_token"' in page.text else "x" * 43
                for value in HOSTILE:
                    form = dict.fromkeys(FORM_FIELDS, value)
                    form["csrf_token"] = token
                    form[value[:20]] = "1"
                    status = await _status(client, "POST", url, data=form)
                    if str(status).startswith("500"):
                        failures.append((name, f"POST {value[:20]!r}", status))
    assert failures == [], "\n".join(map(str, failures))
