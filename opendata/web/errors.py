"""One mapping from anything that can go wrong to the contract's error shape.

Domain errors keep their code and bilingual message; GraphQL's own validation errors become
BAD_USER_INPUT or QUERY_TOO_COMPLEX; anything unexpected becomes a generic message with no
stack trace, no SQL and no data.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError

from opendata.errors import DomainError

_TOO_COMPLEX_MARKERS = (
    "exceeds maximum operation depth",
    "aliases found. Allowed",
    "tokens. Parsing aborted",
    "exceeds the maximum cost",
)


# graphql-core's coercion messages end with the value it refused (`..., found: {...}`,
# `String cannot represent a non string value: [...]`): for a sign-in that may be a password.
_INVALID_VALUE = re.compile(r"^(Variable '\$\w+' has invalid value[^:]*): (.*)\Z", re.S)
_VALUE_TAIL = re.compile(r", but encountered error|[,.;] [Ff]ound\b|: ")
_ENUM_VALUE = re.compile(r"^Value .* does not exist in ('\w+' enum)", re.S)


def without_values(message: str) -> str:
    """A variable-coercion message with the refused value cut out; other messages as given."""
    match = _INVALID_VALUE.match(message)
    if match is None:
        return message
    prefix, reason = match.groups()
    enum = _ENUM_VALUE.match(reason)
    if enum is not None:
        reason = f"Value does not exist in {enum.group(1)}"
    else:
        tail = _VALUE_TAIL.search(reason)
        reason = reason[: tail.start()] if tail else reason
    return f"{prefix}: {reason.rstrip('.')}."


def error_body(message_id: str, message_en: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"message": message_id, "extensions": {"code": code, "messageEn": message_en, **extra}}


def format_graphql_error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    body: dict[str, Any]
    if isinstance(original, DomainError):
        body = {"message": original.message_id, "extensions": original.extensions()}
    elif original is None or isinstance(original, GraphQLError):
        message = error.message
        if any(marker in message for marker in _TOO_COMPLEX_MARKERS):
            body = error_body(
                "Kueri terlalu kompleks (batas kedalaman, alias, token atau biaya terlampaui).",
                f"The query is too complex: {message}",
                "QUERY_TOO_COMPLEX",
            )
        else:
            message = without_values(message)
            body = error_body(
                f"Kueri GraphQL tidak valid: {message}",
                f"Invalid GraphQL query: {message}",
                "BAD_USER_INPUT",
            )
    else:
        body = error_body(
            "Terjadi kesalahan internal; silakan coba lagi.",
            "An internal error occurred; please try again.",
            "INTERNAL_SERVER_ERROR",
        )
    if error.path:
        body["path"] = list(error.path)
    if error.locations:
        body["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return body
