"""Thin: the officer's queue for the viewer (the staff page and `officerQueue` call this)."""

from __future__ import annotations

from opendata.accounts.viewer import Role
from opendata.errors import Forbidden, Unauthenticated
from opendata.information_requests.queue import OfficerQueue, officer_queue, queue_agency
from opendata.request_scope import RequestScope
from opendata.resolvers.requests import now

STAFF_ROLES = (Role.OFFICER, Role.SUPERIOR, Role.ADMIN)


async def queue_of_viewer(scope: RequestScope) -> OfficerQueue:
    """The viewer's agency's queue (every agency's for an admin); staff only."""
    viewer = scope.viewer
    if viewer is None:
        raise Unauthenticated("Silakan masuk terlebih dahulu.", "Please sign in first.")
    if viewer.role not in STAFF_ROLES:
        raise Forbidden(
            "Antrean ini hanya untuk petugas PPID.", "This queue is for PPID staff only."
        )
    async with scope.database.session() as session:
        return await officer_queue(session, queue_agency(viewer), scope.calendar, now())
