"""Who may open the staff pages (`/petugas...`): officers, superiors and admins, signed in.

Every staff page calls one of these first, so an anonymous visitor or a requester gets the
same bilingual refusal (401 / 403) and never a glimpse of the page. Which *request* or
*agency* a staff member may act on is still decided by the domain (`Viewer.acts_for`,
`steps.allowed_actions`), not here.
"""

from __future__ import annotations

from opendata.accounts.viewer import Role, Viewer
from opendata.errors import Forbidden, Unauthenticated
from opendata.portal.page import Page

STAFF_ROLES = (Role.OFFICER, Role.SUPERIOR, Role.ADMIN)
# who a refusal says the page is for: never "PPID staff" to a PPID officer it refuses
ROLE_NAMES: dict[Role, tuple[str, str]] = {
    Role.OFFICER: ("petugas PPID", "PPID officers"),
    Role.SUPERIOR: ("atasan PPID", "the PPID's superior"),
    Role.ADMIN: ("admin", "admins"),
    Role.PRODUCER: ("produsen data", "data producers"),
    Role.DATA_STEWARD: ("walidata", "the data steward"),
}


def _listed(names: list[str], conjunction: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def refusal_for(roles: tuple[Role, ...]) -> Forbidden:
    """The refusal naming who the page is for, in both languages."""
    return Forbidden(
        f"Halaman ini hanya untuk {_listed([ROLE_NAMES[r][0] for r in roles], 'dan')}.",
        f"This page is for {_listed([ROLE_NAMES[r][1] for r in roles], 'and')} only.",
    )


def staff_viewer(page: Page, *roles: Role) -> Viewer:
    """The signed-in staff member, or a refusal; `roles` narrows who may enter."""
    viewer = page.visitor.viewer
    if viewer is None:
        raise Unauthenticated(
            "Halaman petugas: silakan masuk terlebih dahulu.",
            "Staff page: please sign in first.",
        )
    admitted = roles or STAFF_ROLES
    if viewer.role not in admitted:
        raise refusal_for(admitted)
    return viewer
