"""Refusals of the document doors (DCAT, feeds, sitemap) as the API's bilingual JSON errors."""

from __future__ import annotations

from starlette.responses import JSONResponse

from opendata.errors import BadUserInput, DomainError
from opendata.inputs import is_number
from opendata.web.errors import error_body


def error_response(error: DomainError) -> JSONResponse:
    return JSONResponse(
        {"errors": [error_body(error.message_id, error.message_en, error.code)]},
        status_code=error.http_status,
    )


def page_number(raw: str | None) -> int:
    """`?page=` of a paged document: a whole number from 1."""
    if raw is None:
        return 1
    if not is_number(raw) or int(raw) < 1 or len(raw) > 9:
        raise BadUserInput(
            "`page` harus bilangan bulat mulai 1.",
            "`page` must be a whole number from 1.",
            field="page",
        )
    return int(raw)
