"""Reading a GraphQL request's body: bounded in size, decoded as JSON, its fields checked."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.types import Message, Receive

from opendata.errors import BadUserInput, TooLarge
from opendata.web.graphql.inputs import MAX_NESTING, check_payload
from opendata.web.responses import RequestRefused


async def read_limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def bounded_receive(request: Request, limit: int) -> Receive:
    """The request's `receive`, refusing (413) once more than `limit` body bytes have come:
    a reader over it (the multipart parser, which spools files to disk) never holds more."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    size = 0
    receive = request.receive

    async def bounded() -> Message:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if size > limit:
            raise _too_large(limit)
        return message

    return bounded


def _too_large(limit: int) -> RequestRefused:
    return RequestRefused(
        TooLarge.http_status,
        f"Isi permintaan terlalu besar (maksimum {limit} bita).",
        f"The request body is too large (at most {limit} bytes).",
        "BAD_USER_INPUT",
    )


def bad_request(message_id: str, message_en: str) -> RequestRefused:
    return RequestRefused(BadUserInput.http_status, message_id, message_en, "BAD_USER_INPUT")


def parse_operation(payload: Any) -> tuple[str, dict[str, Any] | None, str | None]:
    """(query, variables, operationName) from a decoded JSON body or query string."""
    if not isinstance(payload, dict):
        raise bad_request(
            "Isi permintaan harus objek JSON {query, variables, operationName}.",
            "The body must be a JSON object {query, variables, operationName}.",
        )
    query = payload.get("query")
    variables = payload.get("variables")
    operation_name = payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise bad_request("`query` wajib berupa teks.", "`query` must be a non-empty string.")
    if variables is not None and not isinstance(variables, dict):
        raise bad_request("`variables` harus objek JSON.", "`variables` must be a JSON object.")
    if operation_name is not None and not isinstance(operation_name, str):
        raise bad_request("`operationName` harus teks.", "`operationName` must be a string.")
    return query, variables, operation_name


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def decode_json(body: bytes) -> Any:
    """The decoded body, its strings and nesting checked (`check_payload`) when it is an object."""
    try:
        payload = json.loads(body.decode("utf-8"), parse_constant=_not_json)
    except UnicodeDecodeError as error:
        raise bad_request(
            "Isi permintaan bukan UTF-8 yang valid.", "The request body is not valid UTF-8."
        ) from error
    except ValueError as error:
        raise bad_request(
            "Isi permintaan bukan JSON yang valid.", "The request body is not valid JSON."
        ) from error
    except RecursionError as error:
        raise bad_request(
            f"JSON bersarang terlalu dalam (maksimum {MAX_NESTING} tingkat).",
            f"The JSON is nested too deeply (at most {MAX_NESTING} levels).",
        ) from error
    if isinstance(payload, dict):
        check_payload(payload)
    return payload
