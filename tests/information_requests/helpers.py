"""A small public-body desk for request tests: two agencies and one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from opendata.accounts.service import create_user
from opendata.accounts.viewer import Viewer
from opendata.db.models import Agency
from opendata.information_requests.service import (
    FilingForm,
    RequesterDetails,
    RequestRecord,
    file_request,
)
from opendata.regency_time import REGENCY_TZ
from opendata.services import Services

NIK = "6171010101900001"


def wib(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in regency time (Asia/Pontianak, UTC+7)."""
    return datetime(year, month, day, hour, minute, tzinfo=REGENCY_TZ)


@dataclass
class Desk:
    services: Services
    agency: Agency
    other_agency: Agency
    officer: Viewer
    superior: Viewer
    admin: Viewer
    requester: Viewer
    other_requester: Viewer
    other_officer: Viewer
    other_superior: Viewer


async def make_desk(services: Services) -> Desk:
    async with services.database.write() as session:
        agency = Agency(
            slug="diskominfo", name="Dinas Komunikasi dan Informatika", acronym="DISKOMINFO"
        )
        other = Agency(slug="dinkes", name="Dinas Kesehatan", acronym="DINKES")
        session.add_all([agency, other])
        await session.flush()

    async def user(email: str, role: str, agency_slug: str | None = None) -> Viewer:
        result = await create_user(
            services.database,
            email=email,
            name=email.split("@")[0],
            role=role,
            agency_slug=agency_slug,
        )
        return result.viewer

    return Desk(
        services=services,
        agency=agency,
        other_agency=other,
        officer=await user("ppid@kab.go.id", "OFFICER", "diskominfo"),
        superior=await user("atasan@kab.go.id", "SUPERIOR", "diskominfo"),
        admin=await user("admin@kab.go.id", "ADMIN"),
        requester=await user("wartawan@example.org", "REQUESTER"),
        other_requester=await user("warga@example.org", "REQUESTER"),
        other_officer=await user("ppid@dinkes.go.id", "OFFICER", "dinkes"),
        other_superior=await user("atasan@dinkes.go.id", "SUPERIOR", "dinkes"),
    )


def walk_in_form(received_at: datetime | None, agency: str = "diskominfo") -> FilingForm:
    return FilingForm(
        agency_slug=agency,
        information_requested="Daftar penerima bantuan sosial 2025",
        purpose="Liputan",
        delivery_form="SOFT_COPY",
        requester=RequesterDetails(
            name="Siti Aminah", identity_number=NIK, address="Jl. Merdeka 1", phone="0812000000"
        ),
        received_at=received_at,
    )


async def walk_in(desk: Desk, received_at: datetime, agency: str = "diskominfo") -> RequestRecord:
    """A walk-in request registered by the agency's officer, received at `received_at`."""
    officer = desk.officer if agency == "diskominfo" else desk.other_officer
    return await file_request(
        desk.services, officer, walk_in_form(received_at, agency), now=received_at
    )


async def online(desk: Desk, now: datetime, requester: Viewer | None = None) -> RequestRecord:
    """A request filed online by a requester (with NIK and address on the first request)."""
    form = FilingForm(
        agency_slug="diskominfo",
        information_requested="Anggaran pengadaan laptop 2025",
        purpose="Penelitian",
        delivery_form="SOFT_COPY",
        requester=RequesterDetails(identity_number=NIK, address="Jl. Ahmad Yani 2"),
    )
    return await file_request(desk.services, requester or desk.requester, form, now=now)
