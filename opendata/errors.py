"""Domain errors with stable codes and bilingual messages.

The domain raises these; the GraphQL layer maps them once to `extensions.code`, and every
HTTP door answers a refusal with its class's `http_status` (one table: this module). A message
is written for a person (Indonesian first, English beside it) and never carries internal
details or withheld data.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused or invalid operation, explained to the person who asked."""

    code = "BAD_USER_INPUT"
    http_status = 400

    def __init_subclass__(cls, *, code: str | None = None, http_status: int | None = None) -> None:
        """Each refusal states its code and HTTP status once, in its class line."""
        super().__init_subclass__()
        if code is not None:
            cls.code = code
        if http_status is not None:
            cls.http_status = http_status

    def __init__(self, message_id: str, message_en: str, *, field: str | None = None) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en
        self.field = field

    def extensions(self) -> dict[str, object]:
        ext: dict[str, object] = {"code": self.code, "messageEn": self.message_en}
        if self.field is not None:
            ext["field"] = self.field
        return ext


class BadUserInput(DomainError, code="BAD_USER_INPUT"): ...


class NotFound(DomainError, code="NOT_FOUND", http_status=404): ...


class Unauthenticated(DomainError, code="UNAUTHENTICATED", http_status=401): ...


class Forbidden(DomainError, code="FORBIDDEN", http_status=403): ...


class InvalidTransition(DomainError, code="INVALID_TRANSITION"): ...


class DeadlinePassed(DomainError, code="DEADLINE_PASSED"): ...


class QueryTooComplex(DomainError, code="QUERY_TOO_COMPLEX"): ...


class ContentWithheld(DomainError, code="FORBIDDEN", http_status=403):
    """The dataset's content is withheld under a Pasal 17 exemption (the notice stays public)."""


class RowsNotPublished(DomainError, code="FORBIDDEN", http_status=403):
    """Rows asked of a dataset published as AGGREGATES (`publicationMode`): only grouped
    figures leave the service. FORBIDDEN as for a dataset withheld whole (ContentWithheld)."""


class SmallCell(DomainError, code="SMALL_CELL", http_status=403):
    """A count over rows of personal data small enough to single a person out
    (opendata/visibility/disclosure_control.py: the query-set rule)."""


class TooLarge(DomainError, code="TOO_LARGE", http_status=413):
    """A posted form or upload over its size limit (413 on the pages)."""


class LengthRequired(DomainError, code="LENGTH_REQUIRED", http_status=411):
    """A posted form that does not state its size: it could not be refused before reading."""


class SearchUnavailable(DomainError, code="SEARCH_UNAVAILABLE", http_status=503):
    """The search index cannot be trusted right now (being rebuilt after a failed write)."""


class RateLimited(DomainError, code="RATE_LIMITED", http_status=429): ...


def not_found(kind_id: str, kind_en: str, key: str, *, field: str | None = None) -> NotFound:
    """The one NOT_FOUND message shape: `Dataset 'x' tidak ditemukan.` (key cut to 80 chars)."""
    key = key if len(key) <= 80 else key[:77] + "..."
    return NotFound(
        f"{kind_id} '{key}' tidak ditemukan.", f"{kind_en} '{key}' was not found.", field=field
    )


class StatementTimedOut(DomainError, code="STATEMENT_TIMEOUT", http_status=503):
    """One statement ran past the statement timeout and was stopped. 503, not 400: whether
    a query finishes in time depends on the server's load at that moment, not only on the
    query (which passed the cost limit), so asking again later, or a narrower filter, may do."""

    def __init__(self) -> None:
        super().__init__(
            "Kueri terlalu lama dan dihentikan; persempit filter atau coba lagi nanti.",
            "The query ran too long and was stopped; narrow the filter or try again later.",
        )


class CheckFailed(DomainError, code="CHECK_FAILED", http_status=409):
    """A dataset version cannot be published while a blocking check fails (issue 22); the
    failing checks travel with it (GraphQL `extensions.checks`, the push answer's body)."""

    def __init__(
        self, message_id: str, message_en: str, *, checks: list[dict[str, object]]
    ) -> None:
        super().__init__(message_id, message_en)
        self.checks = checks

    def extensions(self) -> dict[str, object]:
        return {**super().extensions(), "checks": self.checks}
