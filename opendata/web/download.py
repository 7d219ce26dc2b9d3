"""GET /download/<resource id>.csv: exactly what `Resource.rows` shows, as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from opendata.catalogue import queries
from opendata.errors import DomainError, not_found
from opendata.exemptions.visibility import load_policy
from opendata.resolvers.ids import from_global_id
from opendata.services import Services
from opendata.web.errors import error_body
from opendata.web.graphql import json_response

_STATUS = {"NOT_FOUND": 404, "FORBIDDEN": 403, "BAD_USER_INPUT": 400}


def _csv_line(values: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


class DownloadEndpoint:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle(self, request: Request) -> Response:
        try:
            return await self._download(request.path_params["resource_id"])
        except DomainError as error:
            return json_response(
                {"errors": [error_body(error.message_id, error.message_en, error.code)]},
                status=_STATUS.get(error.code, 400),
            )

    async def _download(self, global_id: str) -> Response:
        _, pk = from_global_id(global_id, expected="Resource")
        database = self.services.database
        async with database.session() as session:
            found = (await queries.resources_by_ids(session, [pk]))[0]
            if found is None:
                raise not_found("Sumber data", "Resource", global_id)
            resource = found
            policy = await load_policy(session, resource.dataset_id)
            policy.require_content()
        fields = queries.resource_fields(resource)

        async def body() -> AsyncIterator[str]:
            yield _csv_line([f.name for f in fields])
            async with database.session() as session:
                async for row in queries.iter_visible_rows(session, resource, policy, {}):
                    yield _csv_line([row[f.name] for f in fields])

        return StreamingResponse(
            body(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{resource.name}.csv"'},
        )
