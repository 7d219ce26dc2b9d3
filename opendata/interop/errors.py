"""Arguments of the document doors (DCAT, feeds, sitemap); their refusals are
`web.responses.error_response`."""

from __future__ import annotations

from opendata.errors import BadUserInput
from opendata.inputs import is_number


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
