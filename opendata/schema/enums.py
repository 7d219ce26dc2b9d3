"""The domain's value lists, registered with strawberry once: no retyped copies in `schema/`.

Each enum lives beside the rule it serves (lifecycle, rules, exemptions); this module only
gives it its GraphQL name and description (`strawberry.enum` marks the class in place).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

import strawberry
from strawberry.types.enum import has_enum_definition

from opendata.accounts.viewer import Role
from opendata.information_requests.lifecycle import Action as RequestAction
from opendata.information_requests.lifecycle import Status as RequestStatus
from opendata.information_requests.rules import ClockKind as RequestClockKind
from opendata.information_requests.rules import (
    CourtFiler,
    CourtOutcome,
    DeliveryForm,
    DisputeOutcome,
    ObjectionGround,
    ObjectionOutcome,
    ReceivedVia,
)
from opendata.information_requests.rules import Decision as RequestDecision
from opendata.information_requests.rules import Party as ExpectedParty
from opendata.statute import Articles, cite
from opendata.visibility.policy import AccessLevel, PublicationMode
from opendata.visibility.rules import ExemptionBasis, ExemptionScope, InformationCategory


def describe_values(enum: type[Enum], descriptions: Mapping[Enum, str]) -> None:
    """Give the members of a registered domain enum their GraphQL descriptions."""
    by_name = {member.name: text for member, text in descriptions.items()}
    if not has_enum_definition(enum):
        raise TypeError(f"{enum.__name__} is not registered with strawberry.enum")
    for value in enum.__strawberry_definition__.values:
        value.description = by_name.get(value.name)


strawberry.enum(Role)
strawberry.enum(ExemptionScope)
strawberry.enum(AccessLevel)
describe_values(
    AccessLevel,
    {
        AccessLevel.PUBLIC: "Everything is public.",
        AccessLevel.PARTIAL: "Some fields or rows are withheld; the rest is public.",
        AccessLevel.WITHHELD: "The content is withheld; the dataset's existence and the "
        "exemption notice are public (the DIK).",
    },
)
strawberry.enum(PublicationMode)
describe_values(
    PublicationMode,
    {
        PublicationMode.ROWS: "The visible rows are public (withheld fields and rows removed).",
        PublicationMode.AGGREGATES: "No row is ever listed or downloaded; only aggregate() "
        "and the dashboard, with small-cell suppression.",
    },
)
strawberry.enum(
    InformationCategory,
    description="The statutory category of information ("
    + cite(Articles.PERIODIC, Articles.IMMEDIATE, Articles.ON_REQUEST, Articles.EXEMPTIONS).text
    + ").",
)
strawberry.enum(ExemptionBasis, description=f"{Articles.EXEMPTIONS}, letters a to j.")
strawberry.enum(RequestStatus, name="RequestStatus")
strawberry.enum(
    RequestAction,
    name="RequestAction",
    description="A step of the request lifecycle (`allowedActions`: those the viewer may take).",
)
strawberry.enum(RequestDecision, name="RequestDecision")
strawberry.enum(DeliveryForm)
strawberry.enum(ObjectionGround, description=f"{Articles.OBJECTION_GROUNDS}, letters a to g.")
strawberry.enum(ObjectionOutcome)
strawberry.enum(
    ReceivedVia,
    description=f"How a request an officer registers arrived ({Articles.REQUEST_ANY_FORM}).",
)
strawberry.enum(DisputeOutcome, description="How the Information Commission ended a dispute.")
strawberry.enum(
    RequestClockKind,
    name="RequestClockKind",
    description="A statutory clock of a request (in `officerQueue`: what the agency owes).",
)
strawberry.enum(
    ExpectedParty,
    name="ExpectedParty",
    description="Who is expected to act next on a request (`dueOn`).",
)
strawberry.enum(
    CourtFiler,
    description=f"Who took the Commission's decision to court ({Articles.COURT_WINDOW}).",
)
strawberry.enum(
    CourtOutcome,
    description="The court's decision on a case against the Commission's decision "
    f"({Articles.COURT}).",
)

__all__ = [
    "AccessLevel",
    "CourtFiler",
    "CourtOutcome",
    "DeliveryForm",
    "DisputeOutcome",
    "ExemptionBasis",
    "ExemptionScope",
    "ExpectedParty",
    "InformationCategory",
    "ObjectionGround",
    "ObjectionOutcome",
    "PublicationMode",
    "ReceivedVia",
    "RequestAction",
    "RequestClockKind",
    "RequestDecision",
    "RequestStatus",
    "Role",
]
