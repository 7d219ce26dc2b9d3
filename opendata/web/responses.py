"""JSON answers of the HTTP doors, and the refusal that becomes one before any resolver runs."""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.responses import Response

from opendata.errors import DomainError
from opendata.web.errors import error_body


class RequestRefused(Exception):
    """An HTTP-level refusal, answered as a GraphQL error body with a status code."""

    def __init__(
        self,
        status: int,
        message_id: str,
        message_en: str,
        code: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.status = status
        self.body = {"errors": [error_body(message_id, message_en, code)]}
        self.headers = headers


# Dates, times and dataclasses go through `str` as the standard library's `default=str` wrote
# them; keys that are not strings become strings, as there.
_ORJSON_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def encode(payload: Any) -> bytes:
    """Compact UTF-8 JSON. orjson writes a page of 100 rows in a quarter of the standard
    library's time; what it refuses (an integer beyond 64 bits) is written by the standard
    library. A float that is not a number is written as null, which JSON can carry (the
    standard library wrote `NaN`, which no JSON parser reads)."""
    try:
        return orjson.dumps(payload, default=str, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return json.dumps(
            payload, ensure_ascii=False, separators=(",", ":"), default=str
        ).encode()


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        encode(payload), status_code=status, media_type="application/json", headers=headers
    )


def error_response(error: DomainError, status: int | None = None) -> Response:
    """A domain error as the contract's bilingual JSON error, with its HTTP status."""
    return json_response(
        {"errors": [error_body(error.message_id, error.message_en, error.code)]},
        status=error.http_status if status is None else status,
    )
