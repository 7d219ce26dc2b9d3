"""Who may see a requester's personal data: THE one check, used by every reader.

The public register shows what the law makes public (Pasal 22 register, kip-rules §5) and
never the requester's name, NIK, address, phone or email. Only the requester themself and the
officers or superiors of the agency that holds the request see them; admins do not.
"""

from __future__ import annotations

from opendata.accounts.viewer import Role, Viewer
from opendata.information_requests.models import InformationRequest


def can_see_requester(viewer: Viewer | None, request: InformationRequest) -> bool:
    if viewer is None:
        return False
    if request.requester_user_id is not None and viewer.user_id == request.requester_user_id:
        return True
    return viewer.role in (Role.OFFICER, Role.SUPERIOR) and viewer.agency_id == request.agency_id
