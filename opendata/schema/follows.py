"""GraphQL `follow` and `unfollow` (issue 24): the same service as the portal's "Ikuti"."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from opendata.errors import BadUserInput, Unauthenticated
from opendata.follows import service
from opendata.follows.models import FollowTarget
from opendata.schema.info import Info


@strawberry.enum(name="FollowTarget")
class FollowTargetKind(Enum):
    DATASET = "DATASET"
    AGENCY = "AGENCY"
    REQUEST = "REQUEST"
    DIK = "DIK"


@strawberry.type(name="FollowResult")
class FollowResult:
    target: FollowTargetKind
    label: str = strawberry.field(description="What is followed, as its mails name it.")
    following: bool = strawberry.field(
        description="The signed-in account is told from now on. Always false for an "
        "anonymous caller: whether an address follows something is told to that address "
        "alone, by mail."
    )


KEY_DESCRIPTION = (
    "A dataset's or agency's slug, a request's registration number, or for DIK an agency's "
    'slug ("" for every agency).'
)


@strawberry.type
class FollowsMutation:
    @strawberry.mutation(
        description="Be e-mailed when a dataset changes, when an exemption ends (DIK), or when "
        "a request moves. Signed in: the account's address, at once. Anonymous: `email`, "
        "once the link mailed to it (unless it already follows) is opened."
    )
    async def follow(
        self,
        info: Info,
        target: FollowTargetKind,
        key: Annotated[str, strawberry.argument(description=KEY_DESCRIPTION)],
        email: str | None = None,
        language: str = "id",
    ) -> FollowResult:
        scope = info.context
        outcome = await service.follow(
            scope, scope.viewer, FollowTarget(target.value), key, email, language
        )
        return FollowResult(
            target=target,
            label=outcome.target.label,
            following=scope.viewer is not None and outcome.follow.active,
        )

    @strawberry.mutation(
        description="Stop the mails: with the `token` of a mail's unsubscribe link, or signed "
        "in, with `target` and `key`."
    )
    async def unfollow(
        self,
        info: Info,
        token: str | None = None,
        target: FollowTargetKind | None = None,
        key: Annotated[str | None, strawberry.argument(description=KEY_DESCRIPTION)] = None,
    ) -> FollowResult:
        scope = info.context
        if token:
            followed = await service.unfollow(scope, token)
        elif target is None or key is None:
            raise BadUserInput(
                "Sebutkan token tautan berhenti, atau target dan key.",
                "Give the unsubscribe link's token, or target and key.",
                field="token",
            )
        elif scope.viewer is None:
            raise Unauthenticated(
                "Masuk untuk berhenti mengikuti tanpa token.",
                "Sign in to unfollow without a token.",
            )
        else:
            followed = await service.unfollow_as(
                scope, scope.viewer, FollowTarget(target.value), key
            )
        return FollowResult(
            target=FollowTargetKind(followed.kind.value),
            label=followed.label,
            following=False,
        )
