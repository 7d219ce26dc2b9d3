"""GraphQL types for the officer's queue: declarative; behaviour in resolvers/queue.py."""

from __future__ import annotations

from datetime import date

import strawberry

from opendata.copying import copied
from opendata.information_requests.deadlines import FIRST_REMINDER
from opendata.information_requests.queue import OfficerQueue, QueueItem
from opendata.resolvers import queue as resolve
from opendata.schema.enums import RequestClockKind, RequestStatus
from opendata.schema.info import Info
from opendata.schema.requests import InformationRequestType


@strawberry.type(name="QueueItem")
class QueueItemType:
    request: InformationRequestType
    duty: RequestClockKind
    due_on: date
    working_days_left: int
    overdue: bool
    due_soon: bool = strawberry.field(
        description=f"Within {FIRST_REMINDER} working days and not overdue."
    )

    @classmethod
    def build(cls, info: Info, item: QueueItem) -> QueueItemType:
        deadline = item.deadline
        assert deadline.due_on is not None and deadline.working_days_left is not None
        return copied(
            cls,
            deadline,
            request=InformationRequestType.build(info, item.request),
            duty=item.duty,
            due_soon=item.due_soon,
        )


@strawberry.type
class StageCount:
    status: RequestStatus
    count: int


@strawberry.type(name="OfficerQueue")
class OfficerQueueType:
    waiting: int
    overdue: int
    due_soon: int
    items: list[QueueItemType]
    counts: list[StageCount] = strawberry.field(
        description="The agency's requests (every agency's for an admin) per stage."
    )
    to_record: list[InformationRequestType] = strawberry.field(
        description="Given in the notice (in full or in part), the fulfilment not yet recorded."
    )

    @classmethod
    def build(cls, info: Info, queue: OfficerQueue) -> OfficerQueueType:
        return copied(
            cls,
            queue,
            items=[QueueItemType.build(info, item) for item in queue.items],
            counts=[StageCount(status=s, count=n) for s, n in queue.counts.items()],
            to_record=[InformationRequestType.build(info, r) for r in queue.to_record],
        )


@strawberry.type
class QueueQuery:
    @strawberry.field(
        description="Staff only: the requests whose next step is the agency's (the officer's "
        "own agency; every agency for an admin), soonest due first."
    )
    async def officer_queue(self, info: Info) -> OfficerQueueType:
        return OfficerQueueType.build(info, await resolve.queue_of_viewer(info.context))
