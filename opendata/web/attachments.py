"""GET /lampiran/<id>: an attachment's bytes, to those `can_read` lets see it.

Who is asking comes from the bearer token (as for /graphql) or, for this read-only GET, the
portal's session cookie, so the requester and the agency's staff download private documents
from the pages; nothing that changes state ever accepts the cookie. Anything not readable answers
404, the same as a missing id, so a private document's existence does not leak. Files are
always downloads (`Content-Disposition: attachment`, `nosniff`, a sandboxing CSP), never
pages rendered on our origin.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from opendata.accounts.sessions import SESSION_COOKIE, signed_in
from opendata.accounts.viewer import Viewer
from opendata.attachments.service import readable_attachment
from opendata.attachments.store import attachment_store
from opendata.errors import DomainError, Forbidden, NotFound
from opendata.inputs import is_number, text_problem
from opendata.request_scope import Parts
from opendata.web.bearer import authenticate, bearer_token
from opendata.web.endpoint import FileEndpoint


def refusal_status(error: DomainError) -> int:
    """The error's own status, except FORBIDDEN: a private attachment answers 404 like a
    missing id, so its existence does not leak (the one door that differs, on purpose)."""
    return NotFound.http_status if error.code == Forbidden.code else error.http_status


def content_disposition(name: str) -> str:
    fallback = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


class AttachmentEndpoint(FileEndpoint):
    def __init__(self, services: Parts) -> None:
        super().__init__(services)
        self.store = attachment_store(services)

    def status_of(self, error: DomainError) -> int:
        return refusal_status(error)

    async def answer(self, request: Request) -> Response:
        raw_id = request.path_params["attachment_id"]
        if not is_number(raw_id):  # ASCII digits within the key's range, not "١"
            raise NotFound("Lampiran tidak ditemukan.", "The attachment was not found.", field="id")
        viewer = await self._viewer(request)
        async with self.services.database.session() as session:
            attachment = await readable_attachment(session, viewer, int(raw_id))
        data = await self.store.read(attachment.storage_key)
        headers = {
            "Content-Disposition": content_disposition(attachment.name),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "ETag": f'"{attachment.sha256}"',
            "Cache-Control": "public, max-age=300" if attachment.public else "private, no-store",
        }
        if not attachment.public:
            headers["Vary"] = "Authorization, Cookie"
        return Response(data, media_type=attachment.content_type, headers=headers)

    async def _viewer(self, request: Request) -> Viewer | None:
        """The bearer token's account; without one, the portal session's (GET only)."""
        token = bearer_token(request)
        if token is not None or request.method not in ("GET", "HEAD"):
            return await authenticate(self.services.database, token)
        secret = request.cookies.get(SESSION_COOKIE, "")
        if text_problem(secret, multiline=False) is not None:
            return None
        session = await signed_in(self.services.database, secret)
        return session.viewer if session else None
