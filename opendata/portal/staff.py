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


def staff_viewer(page: Page, *roles: Role) -> Viewer:
    """The signed-in staff member, or a refusal; `roles` narrows who may enter."""
    viewer = page.visitor.viewer
    if viewer is None:
        raise Unauthenticated(
            "Halaman petugas: silakan masuk terlebih dahulu.",
            "Staff page: please sign in first.",
        )
    if viewer.role not in (roles or STAFF_ROLES):
        raise Forbidden(
            "Halaman ini hanya untuk petugas PPID.",
            "This page is for PPID staff only.",
        )
    return viewer
