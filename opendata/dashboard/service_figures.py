"""The information service on the dashboard and `/statistik`: an adapter over the report.

Every request figure comes from `information_requests.report.service_report` (the annual
report of kip-rules §5), per agency, so the dashboard and `serviceReport` cannot disagree.
This is the one module that reads the requests side: when the report changes shape, only
this adapter follows. Exemption figures come from the DIK (active exemptions, public).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from opendata.copying import copied
from opendata.db.models import Agency, Dataset, Exemption
from opendata.information_requests.report import ServiceReport, service_report
from opendata.parts import HasCalendar
from opendata.regency_time import regency_today
from opendata.visibility.policy import active_clause

EXPIRING_WITHIN_DAYS = 90  # the dashboard's window for "exemptions ending soon"


@dataclass
class AgencyService:
    """One agency's year of requests, as the report counts them."""

    agency_slug: str
    agency_name: str
    received: int
    answered: int
    on_time: int
    late: int
    # received this year, past the notice deadline and still without a notice
    overdue_unanswered: int
    decisions: dict[str, int]
    refusals_by_basis: list[tuple[str, int]]
    objections: int
    objections_upheld: int
    objections_rejected: int
    disputes: int
    disputes_decided: int
    average_working_days: float | None
    median_working_days: float | None
    p90_working_days: float | None
    # the report's: overdue requests with no notice count as late, not left out
    on_time_rate: float | None


@dataclass
class ExpiringExemption:
    dataset_slug: str
    dataset_title: str
    basis: str
    scope: str
    expires_on: date


@dataclass
class ServiceFigures:
    year: int
    agencies: list[AgencyService] = field(default_factory=list)
    exemptions_by_basis: list[tuple[str, int]] = field(default_factory=list)
    expiring: list[ExpiringExemption] = field(default_factory=list)


def _percentile(values: list[int], fraction: float) -> float | None:
    """Nearest-rank percentile (the rank a reader can check by counting)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil
    return float(ordered[int(rank) - 1])


def _working_days(report: ServiceReport) -> list[int]:
    """Receipt-to-notice working days of each answered request, from the report's lines."""
    return [line.working_days for line in report.lines if line.working_days is not None]


def agency_service(slug: str, name: str, report: ServiceReport) -> AgencyService:
    decisions = {
        "GRANTED": report.granted,
        "PARTIALLY_GRANTED": report.partially_granted,
        "REFUSED": report.refused,
        "NOT_HELD": report.not_held,
        "NOT_YET_DOCUMENTED": report.not_yet_documented,
    }
    days = _working_days(report)
    # the figures the report names alike (answered, on_time, objections, ...) are copied
    return copied(
        AgencyService,
        report,
        agency_slug=slug,
        agency_name=name,
        received=report.requests_received,
        late=report.answered_late,
        overdue_unanswered=report.unanswered_past_deadline,
        decisions=decisions,
        refusals_by_basis=list(report.refusals_by_basis),
        average_working_days=report.average_working_days_to_answer,
        median_working_days=float(statistics.median(days)) if days else None,
        p90_working_days=_percentile(days, 0.9),
    )


async def service_figures(
    services: HasCalendar, year: int, today: date | None = None
) -> ServiceFigures:
    """Per agency (by name) for `year`, plus exemptions by basis and those ending soon."""
    today = today or regency_today()
    async with services.database.session() as session:
        agencies = list(
            await session.execute(
                select(Agency.slug, Agency.name)
                .where(Agency.removed_at.is_(None))
                .order_by(Agency.name)
            )
        )
        live = (Exemption.dataset_id == Dataset.id, Dataset.removed_at.is_(None))
        by_basis = await session.execute(
            select(Exemption.basis, func.count())
            .join(Dataset, live[0])
            .where(live[1], active_clause(today))
            .group_by(Exemption.basis)
            .order_by(Exemption.basis)
        )
        horizon = today + timedelta(days=EXPIRING_WITHIN_DAYS)
        expiring = await session.execute(
            select(
                Dataset.slug, Dataset.title, Exemption.basis, Exemption.scope, Exemption.expires_on
            )
            .join(Dataset, live[0])
            .where(live[1], active_clause(today), Exemption.expires_on <= horizon)
            .order_by(Exemption.expires_on, Dataset.slug)
        )
        figures = ServiceFigures(
            year,
            exemptions_by_basis=[(basis, int(n)) for basis, n in by_basis],
            expiring=[
                ExpiringExemption(slug, title, basis, scope, ends)
                for slug, title, basis, scope, ends in expiring
                if ends is not None
            ],
        )
    for slug, name in agencies:
        report = await service_report(services, year, slug)
        figures.agencies.append(agency_service(slug, name, report))
    return figures
