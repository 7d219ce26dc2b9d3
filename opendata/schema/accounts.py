"""GraphQL types for accounts: the viewer, roles, sign-up, sign-in and sign-out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from opendata.accounts.service import AuthResult
from opendata.accounts.viewer import Viewer
from opendata.copying import copied
from opendata.information_requests.queries import RequestFilter
from opendata.public_ids import to_global_id
from opendata.resolvers import accounts as resolve
from opendata.schema.catalogue import AgencyType
from opendata.schema.enums import Role
from opendata.schema.info import Info
from opendata.schema.paging import page_size

if TYPE_CHECKING:
    from opendata.schema.requests import InformationRequestConnection


@strawberry.type(name="Viewer")
class ViewerType:
    _viewer: strawberry.Private[Viewer]
    id: strawberry.ID
    name: str
    email: str
    role: Role

    @classmethod
    def from_domain(cls, viewer: Viewer) -> ViewerType:
        return copied(
            cls, viewer, _viewer=viewer, id=strawberry.ID(to_global_id("User", viewer.user_id))
        )

    @strawberry.field
    async def agency(self, info: Info) -> AgencyType | None:
        agency = await resolve.agency_of(info.context, self._viewer.agency_id)
        return AgencyType.from_model(agency) if agency else None

    @strawberry.field(description="The viewer's own requests, with their full personal details.")
    async def my_requests(
        self, info: Info, first: int | None = 20, after: str | None = None
    ) -> Annotated[InformationRequestConnection, strawberry.lazy("opendata.schema.requests")]:
        from opendata.schema.requests import request_connection

        own = RequestFilter(requester_user_id=self._viewer.user_id)
        return await request_connection(info, own, page_size(info, first), after, "my-requests")


@strawberry.type
class AuthPayload:
    token: str
    viewer: ViewerType

    @classmethod
    def from_domain(cls, result: AuthResult) -> AuthPayload:
        return cls(token=result.token, viewer=ViewerType.from_domain(result.viewer))


@strawberry.input
class SignUpInput:
    name: str
    email: str
    password: str


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in user, or null for anonymous callers.")
    def viewer(self, info: Info) -> ViewerType | None:
        viewer = info.context.viewer
        return ViewerType.from_domain(viewer) if viewer else None


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="A requester account; returns a bearer token.")
    async def sign_up(self, info: Info, input: SignUpInput) -> AuthPayload:
        result = await resolve.sign_up(info.context, input.name, input.email, input.password)
        return AuthPayload.from_domain(result)

    @strawberry.mutation(description="A new bearer token; failed attempts are rate-limited.")
    async def sign_in(self, info: Info, email: str, password: str) -> AuthPayload:
        return AuthPayload.from_domain(await resolve.sign_in(info.context, email, password))

    @strawberry.mutation(description="Revokes the token that made this call.")
    async def sign_out(self, info: Info) -> bool:
        return await resolve.sign_out(info.context)
