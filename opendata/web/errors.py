"""One mapping from anything that can go wrong to the contract's error shape.

Domain errors keep their code and bilingual message; GraphQL's own validation errors become
BAD_USER_INPUT or QUERY_TOO_COMPLEX; anything unexpected becomes a generic message with no
stack trace, no SQL and no data.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from opendata.errors import DomainError

_TOO_COMPLEX_MARKERS = (
    "exceeds maximum operation depth",
    "aliases found. Allowed",
    "tokens. Parsing aborted",
    "exceeds the maximum cost",
)


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
