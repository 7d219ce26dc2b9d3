"""The objection register (`objectionRegister`): declarative; behaviour in the domain module
`information_requests.objection_register` (who may read it, whose names it shows)."""

from __future__ import annotations

from datetime import date

import strawberry

from opendata.information_requests.objection_register import (
    ObjectionRegister,
    ObjectionState,
    RegisterEntry,
    objection_register,
)
from opendata.resolvers.requests import now
from opendata.schema.catalogue import AgencyType
from opendata.schema.enums import ObjectionGround, ObjectionOutcome
from opendata.schema.info import Info

strawberry.enum(
    ObjectionState,
    description="Where an objection stands: awaiting the superior's answer, answered, lapsed "
    "unanswered past its deadline, or its request withdrawn first.",
)


# fields read as the objection row stores them, and as the register entry works them out
_AS_STORED = ("reason", "filed_on", "due_on", "answer", "answered_on")
_AS_REGISTERED = ("state", "answered_late", "implemented_on", "requester_name")


@strawberry.type(name="ObjectionRegisterEntry")
class ObjectionRegisterEntryType:
    registration_number: str = strawberry.field(description="The objection's register number.")
    request_number: str
    agency: AgencyType
    state: ObjectionState
    grounds: list[ObjectionGround]
    reason: str
    filed_on: date
    due_on: date
    outcome: ObjectionOutcome | None
    answer: str | None
    answered_on: date | None
    answered_late: bool
    implemented_on: date | None = strawberry.field(
        description="For an upheld objection: the day the information was given after it."
    )
    requester_name: str | None = strawberry.field(
        description="Only for the PPID and the superior of the request's agency; never admins."
    )

    @classmethod
    def build(cls, entry: RegisterEntry) -> ObjectionRegisterEntryType:
        objection = entry.objection
        return cls(
            registration_number=objection.registration_number,
            request_number=entry.request.registration_number,
            agency=AgencyType.from_model(entry.agency),
            grounds=[ObjectionGround(ground) for ground in objection.grounds],
            outcome=ObjectionOutcome(objection.outcome) if objection.outcome else None,
            **{name: getattr(objection, name) for name in _AS_STORED},
            **{name: getattr(entry, name) for name in _AS_REGISTERED},
        )


@strawberry.type(name="ObjectionRegister")
class ObjectionRegisterType:
    year: int
    agency: AgencyType | None
    entries: list[ObjectionRegisterEntryType]

    @classmethod
    def build(cls, register: ObjectionRegister) -> ObjectionRegisterType:
        return cls(
            year=register.year,
            agency=AgencyType.from_model(register.agency) if register.agency else None,
            entries=[ObjectionRegisterEntryType.build(entry) for entry in register.entries],
        )


@strawberry.type
class ObjectionRegisterQuery:
    @strawberry.field(
        description="Staff only: the objection register (buku register keberatan) of a year, "
        "pending, answered and lapsed; the PPID's and superior's own agency, any agency (or "
        "all) for an admin."
    )
    async def objection_register(
        self, info: Info, year: int, agency: str | None = None
    ) -> ObjectionRegisterType:
        scope = info.context
        register = await objection_register(scope, scope.viewer, year, agency, now=now())
        return ObjectionRegisterType.build(register)
