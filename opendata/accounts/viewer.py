"""Who is asking: the authenticated viewer every permission check reads."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from opendata.errors import Forbidden, Unauthenticated


class Role(StrEnum):
    REQUESTER = "REQUESTER"
    OFFICER = "OFFICER"
    SUPERIOR = "SUPERIOR"
    ADMIN = "ADMIN"
    # Satu Data Indonesia (Perpres 39/2019): an agency's produsen data, and the walidata
    PRODUCER = "PRODUCER"
    DATA_STEWARD = "DATA_STEWARD"


# Roles that belong to exactly one agency (created with `--agency`).
AGENCY_ROLES = frozenset({Role.OFFICER, Role.SUPERIOR, Role.PRODUCER})


@dataclass(frozen=True)
class Viewer:
    """An authenticated user. Anonymous callers have no Viewer (None)."""

    user_id: int
    role: Role
    agency_id: int | None
    name: str
    email: str
    # the token this request authenticated with (what `signOut` revokes); not identity
    token_id: int | None = field(default=None, compare=False)

    def acts_for(self, agency_id: int) -> bool:
        """Officers and superiors act only for their own agency; admins for all."""
        if self.role is Role.ADMIN:
            return True
        return self.role in (Role.OFFICER, Role.SUPERIOR) and self.agency_id == agency_id

    def is_officer_of(self, agency_id: int) -> bool:
        """An officer (PPID) of this agency, or an admin."""
        if self.role is Role.ADMIN:
            return True
        return self.role is Role.OFFICER and self.agency_id == agency_id


def require_role(
    viewer: Viewer | None, roles: Collection[Role], refusal_id: str, refusal_en: str
) -> Viewer:
    """The signed-in viewer if their role is one of `roles`: else UNAUTHENTICATED for the
    anonymous, FORBIDDEN with the refusal (who it is for, in both languages) for the rest."""
    if viewer is None:
        raise Unauthenticated("Silakan masuk terlebih dahulu.", "Please sign in first.")
    if viewer.role not in roles:
        raise Forbidden(refusal_id, refusal_en)
    return viewer
