"""`/walidata`: the data steward's (walidata) review queue with the pulled sources that
failed and the datasets overdue for update, one version's review, and a dataset's versions
with rollback.

Per submission the steward sees the checks (with what resolves each), the changes against
the published version (rows added, removed, changed; columns added, removed; metadata), and
approves, returns with a comment (the producers are e-mailed either way), or records why a
flagged column is not personal data. Every decision is `publishing.versions`', the same as
GraphQL's; the page only shows and forwards.
"""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response

from opendata.accounts.viewer import Role, Viewer
from opendata.catalogue.freshness import overdue_by_agency
from opendata.db.models import Dataset
from opendata.errors import BadUserInput, DomainError, not_found
from opendata.inputs import int_or
from opendata.portal.page import Page, form_text, page, shown_beside_the_form
from opendata.portal.pages.staff_data import shown_checks, visible_version
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form
from opendata.publishing import versions
from opendata.publishing.checks import CheckKind
from opendata.publishing.models import DatasetVersion
from opendata.publishing.review_mail import notify_producers
from opendata.pull.status import source_statuses

CHANGE_LABELS = {
    "rows_added": ("Baris ditambah", "Rows added"),
    "rows_removed": ("Baris dihapus", "Rows removed"),
    "rows_changed": ("Baris diubah", "Rows changed"),
}


def steward_viewer(current: Page) -> Viewer:
    return staff_viewer(current, Role.DATA_STEWARD)


@page
async def steward(current: Page) -> Response:
    """The versions waiting for review, oldest first."""
    viewer = steward_viewer(current)
    waiting = await versions.review_queue(current.services, viewer)
    sources = await source_statuses(current.services, viewer)
    return current.render(
        "steward.html",
        waiting=waiting,
        failing=[source for source in sources if source.last_failure is not None],
        late=[agency for agency in await overdue_by_agency(current.services) if agency.overdue],
    )


async def _review_page(
    current: Page,
    version: DatasetVersion,
    *,
    problem: DomainError | None = None,
    status: int = 200,
) -> Response:
    async with current.services.database.session() as session:
        dataset = await session.get(Dataset, version.dataset_id) if version.dataset_id else None
    published = dataset.published_version if dataset is not None else None
    return current.render(
        "steward_version.html",
        status=status,
        version=version,
        published=published if published != version.number else None,
        checks=shown_checks(version),
        changes=version.changes or {},
        change_labels=CHANGE_LABELS,
        problem=problem,
        saved=current.request.query_params.get("saved", ""),
    )


@page
async def steward_version(current: Page) -> Response:
    viewer = steward_viewer(current)
    return await _review_page(current, await visible_version(current, viewer))


@page
async def steward_version_post(current: Page) -> Response:
    """Approve, return (comment required) or accept a flagged check with a reason."""
    viewer = steward_viewer(current)
    version = await visible_version(current, viewer)
    version_id = version.id
    form = await checked_form(current.request, current.visitor)
    action = form_text(form, "action")
    comment = form_text(form, "comment")
    try:
        if action == "approve":
            decided = await versions.approve_version(current.services, viewer, version_id, comment)
        elif action == "return":
            decided = await versions.return_version(current.services, viewer, version_id, comment)
        elif action == "accept":
            kind = form_text(form, "kind")
            if kind not in CheckKind.__members__:
                raise BadUserInput(
                    "Jenis pemeriksaan tidak dikenal.", "Unknown check.", field="kind"
                )
            await versions.accept_check(
                current.services,
                viewer,
                version_id,
                CheckKind(kind),
                form_text(form, "field") or None,
                form_text(form, "reason"),
            )
            return current.redirect(
                current.url("steward_version", version_id=version_id, saved="accepted")
            )
        else:
            raise BadUserInput("Tindakan tidak dikenal.", "Unknown action.", field="action")
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _review_page(current, version, problem=error, status=error.http_status)
    await notify_producers(
        current.services, decided, approved=action == "approve", steward_name=viewer.name
    )
    return current.redirect(current.url("steward_version", version_id=version_id, saved=action))


async def _dataset_page(
    current: Page,
    viewer: Viewer,
    slug: str,
    *,
    problem: DomainError | None = None,
    status: int = 200,
) -> Response:
    async with current.services.database.session() as session:
        dataset = await session.scalar(select(Dataset).where(Dataset.slug == slug))
    if dataset is None:
        raise not_found("Dataset", "Dataset", slug, field="dataset")
    found = await versions.versions_of(current.services, viewer, dataset.id)
    return current.render(
        "steward_dataset.html",
        status=status,
        slug=slug,
        dataset=dataset,
        versions=[(version, versions.state_of(version, dataset).value) for version in found],
        problem=problem,
        rolled_back=current.request.query_params.get("rolled_back", ""),
    )


@page
async def steward_dataset(current: Page) -> Response:
    """Every version of a dataset, newest first, each with its rollback button."""
    viewer = steward_viewer(current)
    return await _dataset_page(current, viewer, current.request.path_params["slug"])


@page
async def steward_dataset_post(current: Page) -> Response:
    """Roll the dataset back to an earlier version (one action)."""
    viewer = steward_viewer(current)
    slug = current.request.path_params["slug"]
    form = await checked_form(current.request, current.visitor)
    number = int_or(form_text(form, "number"), 0)
    try:
        await versions.rollback_dataset(current.services, viewer, slug, number)
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _dataset_page(current, viewer, slug, problem=error, status=error.http_status)
    return current.redirect(current.url("steward_dataset", slug=slug, rolled_back=number))
