"""The domain's value lists, registered with strawberry once: no retyped copies in `schema/`.

Each enum lives beside the rule it serves (lifecycle, rules, exemptions); this module only
gives it its GraphQL name and description (`strawberry.enum` marks the class in place).
"""

from __future__ import annotations

import strawberry

from opendata.information_requests.lifecycle import Action as RequestAction
from opendata.information_requests.lifecycle import Status as RequestStatus
from opendata.information_requests.rules import ClockKind as RequestClockKind
from opendata.information_requests.rules import Decision as RequestDecision
from opendata.information_requests.rules import (
    DeliveryForm,
    DisputeOutcome,
    ObjectionGround,
    ObjectionOutcome,
    ReceivedVia,
)
from opendata.information_requests.rules import Party as ExpectedParty
from opendata.visibility.rules import ExemptionBasis, InformationCategory

strawberry.enum(
    InformationCategory,
    description="The statutory category of information (UU KIP Pasal 9, 10, 11, 17).",
)
strawberry.enum(ExemptionBasis, description="UU KIP Pasal 17, letters a to j.")
strawberry.enum(RequestStatus, name="RequestStatus")
strawberry.enum(
    RequestAction,
    name="RequestAction",
    description="A step of the request lifecycle (`allowedActions`: those the viewer may take).",
)
strawberry.enum(RequestDecision, name="RequestDecision")
strawberry.enum(DeliveryForm)
strawberry.enum(ObjectionGround, description="UU KIP Pasal 35(1) letters a to g.")
strawberry.enum(ObjectionOutcome)
strawberry.enum(
    ReceivedVia, description="How a request an officer registers arrived (UU KIP Pasal 22(1))."
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

__all__ = [
    "DeliveryForm",
    "DisputeOutcome",
    "ExemptionBasis",
    "ExpectedParty",
    "InformationCategory",
    "ObjectionGround",
    "ObjectionOutcome",
    "ReceivedVia",
    "RequestAction",
    "RequestClockKind",
    "RequestDecision",
    "RequestStatus",
]
