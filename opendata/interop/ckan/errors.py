"""CKAN's error types with their status codes, and the mapping from our domain errors.

CKAN clients (`ckanapi`, ckanext-harvest) dispatch on `error.__type`; the message keeps
CKAN's "Not found: ..." prefix that `ckanapi` strips. Our bilingual rule holds: `message`
is Indonesian, `messageEn` beside it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
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

# A domain error's status (opendata/errors.py) onto CKAN's error type; any other is a
# validation error; an invalid input (our 400) answers CKAN's 409, which its clients expect.
TYPE_OF_STATUS: dict[int, str] = {
    404: NOT_FOUND,
    401: AUTHORIZATION,
    403: AUTHORIZATION,
    503: SEARCH,
}


@dataclass(eq=False)
class CkanError(Exception):
    """An action refused, in CKAN's terms; `field` names the parameter for validation errors.
    Its status is the error type's (`from_domain` keeps a domain refusal's own)."""

    error_type: str
    message_id: str
    message_en: str
    field: str | None = dataclasses.field(default=None, kw_only=True)
    status: int = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        super().__init__(self.message_en)
        self.status = ERROR_TYPES[self.error_type][0]

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
        """Our refusal in CKAN's terms, with the status every door answers it with."""
        error_type = TYPE_OF_STATUS.get(error.http_status, VALIDATION)
        refused = cls(error_type, error.message_id, error.message_en, field=error.field)
        if error.http_status != 400:
            refused.status = error.http_status
        return refused


def invalid(field: str, message_id: str, message_en: str) -> CkanError:
    return CkanError(VALIDATION, message_id, message_en, field=field)
