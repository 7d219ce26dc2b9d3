"""Telling followers, in the transaction of the change that causes it (outbox mail jobs).

- `queue_data_changed`: a dataset's data changed (a version approved or rolled back, a push,
  a catalogue reload with other content): its followers and its agency's are told.
- `queue_exemptions_ended`: the DIK watch. An exemption lapsed or was revoked: the followers of
  the DIK (the agency's or all agencies') and of the dataset are told what is public now. The
  dataset's policy, read after the change, is asked first: what another exemption in force
  still withholds is never announced (`DatasetPolicy.still_withheld`), and a row filter's
  value is masked where its field is withheld, as on the DIK page.
- `queue_request_moved`: a request moved a step: its followers hear its number and new stage,
  never the requester's name, contact or anything else private.

Each mail is one job per follower with a dedupe key per fact, so telling twice is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Agency, Dataset, Exemption
from opendata.follows.models import ALL_AGENCIES, Follow, FollowTarget
from opendata.follows.service import Followed, dik_label, target_context
from opendata.information_requests.lifecycle import STATUS_LABELS, Status
from opendata.information_requests.mails import enqueue_mail, request_path
from opendata.information_requests.models import InformationRequest, RequestEvent
from opendata.information_requests.steps import register_step_listener
from opendata.regency_time import regency_today
from opendata.urls import path
from opendata.visibility.policy import DatasetPolicy, load_policy
from opendata.visibility.rules import BASES


@dataclass(frozen=True)
class DataChange:
    """What changed, in both languages; `key` tells one change from the next (dedupe)."""

    key: str
    text_id: str
    text_en: str


def version_published(number: int) -> DataChange:
    return DataChange(
        f"v{number}", f"versi {number} diterbitkan", f"version {number} was published"
    )


def pushed_today(day: date) -> DataChange:
    """An app's pushes: at most one mail a day per follower, however often it pushes."""
    return DataChange(
        f"push:{day.isoformat()}",
        "aplikasi sumber mengirim data baru",
        "the source application sent new data",
    )


def reloaded(content_hash: str) -> DataChange:
    """A reload whose folder differs (`content_hash` covers the descriptor and its files)."""
    return DataChange(
        f"load:{content_hash}",
        "katalog dimuat ulang dengan isi yang berbeda (datanya atau keterangannya)",
        "the catalogue was reloaded with different content (its data or its description)",
    )


async def followers(
    session: AsyncSession, targets: Iterable[tuple[FollowTarget, int]]
) -> list[Follow]:
    """Confirmed, not unsubscribed follows of any of `targets`, each address once (the
    first target listed wins)."""
    wanted = list(targets)
    if not wanted:
        return []
    rows = await session.scalars(
        select(Follow)
        .where(
            or_(
                *(
                    (Follow.target_kind == kind.value) & (Follow.target_id == target_id)
                    for kind, target_id in wanted
                )
            ),
            Follow.confirmed_at.is_not(None),
            Follow.ended_at.is_(None),
        )
        .order_by(Follow.id)
    )
    order = {(kind.value, target_id): index for index, (kind, target_id) in enumerate(wanted)}
    chosen: dict[str, Follow] = {}
    for row in sorted(rows, key=lambda r: (order[(r.target_kind, r.target_id)], r.id)):
        chosen.setdefault(row.email, row)
    return list(chosen.values())


async def _dataset_target(session: AsyncSession, dataset_id: int) -> tuple[Dataset, Followed]:
    dataset = await session.get(Dataset, dataset_id)
    assert dataset is not None
    agency = await session.get(Agency, dataset.agency_id)
    followed = Followed(
        FollowTarget.DATASET,
        dataset.id,
        dataset.title,
        path("dataset", slug=dataset.slug),
        agency.name if agency else "",
    )
    return dataset, followed


async def _tell(
    session: AsyncSession,
    template: str,
    targets: list[tuple[FollowTarget, int]],
    followed: Followed,
    fact: str,
    values: dict[str, object],
) -> list[int]:
    queued = []
    for row in await followers(session, targets):
        label = followed.label
        if row.target_kind == FollowTarget.DIK.value:  # they follow the DIK, not the dataset
            label = dik_label(followed.agency_name if row.target_id != ALL_AGENCIES else None)
        context = {**target_context(row, followed), "target_label": label, **values}
        job = await enqueue_mail(
            session, template, row.email, context, dedupe_key=f"follow:{fact}:{row.id}"
        )
        if job is not None:
            queued.append(job)
    return queued


async def queue_data_changed(
    session: AsyncSession, dataset_ids: Iterable[int], change: DataChange
) -> list[int]:
    """Tell the followers of each dataset, and of its agency, that its data changed."""
    queued: list[int] = []
    for dataset_id in sorted(set(dataset_ids)):
        dataset, followed = await _dataset_target(session, dataset_id)
        queued += await _tell(
            session,
            "follow_data_changed",
            [(FollowTarget.DATASET, dataset.id), (FollowTarget.AGENCY, dataset.agency_id)],
            followed,
            f"data:{dataset.id}:{change.key}",
            {
                "dataset_title": dataset.title,
                "change_id": change.text_id,
                "change_en": change.text_en,
            },
        )
    return queued


def opened_words(exemption: Exemption, policy: DatasetPolicy) -> tuple[str, str]:
    """What the ended exemption withheld, as the DIK names it (values of withheld fields
    masked)."""
    if exemption.scope == "DATASET":
        if policy.exemptions:  # columns or rows another exemption still withholds stay so
            return (
                "isi dataset, kecuali yang masih dikecualikan oleh pengecualian lain",
                "the dataset's content, except what other exemptions still withhold",
            )
        return "seluruh isi dataset", "the whole dataset"
    target = policy.notice_target(exemption)
    if exemption.scope == "FIELD":
        return f"kolom {target}", f"the column {target}"
    return f"baris dengan {target}", f"the rows where {target}"


async def queue_exemptions_ended(
    session: AsyncSession, exemptions: Sequence[Exemption], today: date | None = None
) -> list[int]:
    """The DIK watch: tell who follows the DIK or the dataset what an ended exemption opened,
    unless another exemption in force still withholds it. Call after the end is flushed."""
    today = today or regency_today()
    queued: list[int] = []
    policies: dict[int, DatasetPolicy] = {}
    for exemption in exemptions:
        if exemption.dataset_id not in policies:
            policies[exemption.dataset_id] = await load_policy(session, exemption.dataset_id, today)
        policy = policies[exemption.dataset_id]
        if policy.still_withheld(exemption):
            continue
        dataset, followed = await _dataset_target(session, exemption.dataset_id)
        opened_id, opened_en = opened_words(exemption, policy)
        queued += await _tell(
            session,
            "follow_exemption_ended",
            [
                (FollowTarget.DIK, dataset.agency_id),
                (FollowTarget.DIK, ALL_AGENCIES),
                (FollowTarget.DATASET, dataset.id),
            ],
            followed,
            f"opened:{exemption.id}",
            {
                "dataset_title": dataset.title,
                "pasal": f"Pasal 17 huruf {BASES[exemption.basis].letter}",
                "opened_id": opened_id,
                "opened_en": opened_en,
            },
        )
    return queued


async def queue_request_moved(session: AsyncSession, request: InformationRequest) -> list[int]:
    """Tell a request's followers its new stage: its number and stage only."""
    step = await session.scalar(
        select(RequestEvent.id)
        .where(RequestEvent.request_id == request.id)
        .order_by(RequestEvent.id.desc())
        .limit(1)
    )
    agency = await session.get(Agency, request.agency_id)
    followed = Followed(
        FollowTarget.REQUEST,
        request.id,
        request.registration_number,
        request_path(request),
        agency.name if agency else "",
    )
    status_id, status_en = STATUS_LABELS[Status(request.status)]
    return await _tell(
        session,
        "follow_request_moved",
        [(FollowTarget.REQUEST, request.id)],
        followed,
        f"request:{request.id}:{step}",
        {"status_id": status_id, "status_en": status_en},
    )


register_step_listener("follows", queue_request_moved)  # each step tells the request's followers
