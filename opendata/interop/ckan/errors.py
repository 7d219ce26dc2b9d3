"""CKAN's error types with their status codes, and the mapping from our domain errors.

CKAN clients (`ckanapi`, ckanext-harvest) dispatch on `error.__type`; the message keeps
CKAN's "Not found: ..." prefix that `ckanapi` strips. Our bilingual rule holds: `message`
is Indonesian, `messageEn` beside it.
"""

from __future__ import annotations

from typing import Any

from opendata.errors import DomainError

NOT_FOUND = "Not Found Error"
AUTHORIZATION = "Authorization Error"
VALIDATION = "Validation Error"
SEARCH = "Search Error"
BAD_REQUEST = "Bad Request"

# (status, message prefix) per error type, as ckan/views/api.py answers them.
ERROR_TYPES: dict[str, tuple[int, str]] = {
    NOT_FOUND: (404, "Not found"),
    AUTHORIZATION: (403, "Access denied"),
    VALIDATION: (409, "Validation error"),
    SEARCH: (503, "Search error"),
    BAD_REQUEST: (400, "Bad request"),
}

# Our domain codes onto CKAN's error types.
DOMAIN_CODES: dict[str, str] = {
    "NOT_FOUND": NOT_FOUND,
    "FORBIDDEN": AUTHORIZATION,
    "SMALL_CELL": AUTHORIZATION,
    "UNAUTHENTICATED": AUTHORIZATION,
    "SEARCH_UNAVAILABLE": SEARCH,
}


class CkanError(Exception):
    """An action refused, in CKAN's terms; `field` names the parameter for validation errors."""

    def __init__(
        self, error_type: str, message_id: str, message_en: str, *, field: str | None = None
    ) -> None:
        super().__init__(message_en)
        self.error_type = error_type
        self.message_id = message_id
        self.message_en = message_en
        self.field = field

    @property
    def status(self) -> int:
        return ERROR_TYPES[self.error_type][0]

    def body(self) -> dict[str, Any]:
        prefix = ERROR_TYPES[self.error_type][1]
        error: dict[str, Any] = {
            "__type": self.error_type,
            "message": f"{prefix}: {self.message_id}",
            "messageEn": f"{prefix}: {self.message_en}",
        }
        if self.error_type == VALIDATION:
            # CKAN's validation errors list messages per parameter.
            error[self.field or "__before"] = [self.message_id, self.message_en]
        return error

    @classmethod
    def from_domain(cls, error: DomainError) -> CkanError:
        error_type = DOMAIN_CODES.get(error.code, VALIDATION)
        return cls(error_type, error.message_id, error.message_en, field=error.field)


def invalid(field: str, message_id: str, message_en: str) -> CkanError:
    return CkanError(VALIDATION, message_id, message_en, field=field)
