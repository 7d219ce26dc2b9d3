"""Who manages a dataset's source: the steward (walidata) for every agency, a producer for
their own; everyone else is refused, as the versions are."""

from __future__ import annotations

from opendata.accounts.viewer import Role, Viewer, require_role
from opendata.errors import Forbidden

MANAGERS = (Role.DATA_STEWARD, Role.PRODUCER)


def require_manager(viewer: Viewer | None, agency_id: int | None = None) -> Viewer:
    """The viewer if they may see or set sources (of `agency_id`, when given)."""
    who = require_role(
        viewer,
        MANAGERS,
        "Hanya walidata dan produsen data yang mengelola sumber data.",
        "Only the data steward and data producers manage data sources.",
    )
    if who.role is Role.PRODUCER and agency_id is not None and who.agency_id != agency_id:
        raise Forbidden(
            "Produsen data hanya mengelola sumber data instansinya sendiri.",
            "A data producer manages only their own agency's sources.",
        )
    return who
