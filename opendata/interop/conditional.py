"""Conditional GET for the harvesting doors (feeds, DCAT): ETag and Last-Modified, and a 304
when the client already holds the answer (RFC 9110 section 13).

If-None-Match decides when it is sent (a list of tags, weak ones compared weakly, or `*`);
If-Modified-Since only when it is not. Dates are HTTP dates (the standard library's
`email.utils` reads and writes them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers


def http_date(moment: datetime) -> str:
    """ "Sun, 06 Dec 2026 07:00:00 GMT" (whole seconds, as HTTP dates are)."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Headers, etag: str, last_modified: datetime | None = None) -> bool:
    """Does the client's copy (by its validators) still match this answer?"""
    if_none_match = request.get("if-none-match")
    if if_none_match is not None:
        tags = [_opaque(tag) for tag in if_none_match.split(",")]
        return "*" in tags or _opaque(etag) in tags
    if_modified_since = request.get("if-modified-since")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored (RFC 9110 13.1.3)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


def validators(etag: str, last_modified: datetime | None) -> dict[str, str]:
    headers = {"ETag": etag}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    return headers
