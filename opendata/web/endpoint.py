"""The file doors (downloads, attachments, reports): the service's parts, and one way to
answer a refusal."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from opendata.errors import DomainError
from opendata.request_scope import Parts
from opendata.web.responses import RequestRefused, error_response, json_response


class FileEndpoint:
    """A GET endpoint that answers with a file, or with the contract's bilingual JSON error
    carrying the refusal's HTTP status."""

    def __init__(self, services: Parts) -> None:
        self.services = services

    async def handle(self, request: Request) -> Response:
        try:
            return await self.answer(request)
        except RequestRefused as refused:
            return json_response(refused.body, status=refused.status, headers=refused.headers)
        except DomainError as error:
            return error_response(error, self.status_of(error))

    async def answer(self, request: Request) -> Response:
        """The file asked for; a refusal is raised."""
        raise NotImplementedError

    def status_of(self, error: DomainError) -> int:
        """The refusal's own status; a door that answers otherwise overrides this, saying why."""
        return error.http_status
