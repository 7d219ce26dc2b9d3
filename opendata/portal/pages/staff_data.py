"""`/petugas/data`: the producer's (produsen data) datasets, and uploading new versions.

A producer sees their agency's datasets and each one's state (the published version, the one
waiting for the steward, the one returned with a comment, overdue for update), starts a new
dataset (metadata and a CSV/XLSX file), uploads a new version or edits the metadata. Every
submission goes through `publishing.versions.submit_version`, the same as GraphQL's
`submitDatasetVersion`; the page then shows the version's checks with what to do about each.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from opendata.accounts.viewer import Role, Viewer
from opendata.attachments.rules import MAX_UPLOAD_BYTES
from opendata.catalogue.freshness import overdue_by_agency
from opendata.db.models import Agency, Resource
from opendata.errors import BadUserInput, DomainError, not_found
from opendata.inputs import int_or
from opendata.portal.page import Page, form_text, form_texts, page, shown_beside_the_form
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form
from opendata.publishing import drafts, versions
from opendata.publishing.advice import advice
from opendata.publishing.desk import DatasetDesk, agency_desk
from opendata.publishing.models import DatasetVersion
from opendata.publishing.versions import Submission, submit_version
from opendata.visibility.rules import InformationCategory

METADATA_FIELDS = (
    "slug",
    "title",
    "title_en",
    "description",
    "description_en",
    "license",
    "category",
    "update_frequency",
    "publication_mode",
    "topics",
    "keywords",
    "temporal_start",
    "temporal_end",
    "contact_name",
    "contact_email",
    "quasi_identifiers",
)
UPLOAD_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class ShownCheck:
    """A check result as the pages show it: what was found and what to do."""

    kind: str
    passed: bool
    blocking: bool
    field: str | None
    resource: str | None
    message: tuple[str, str]
    todo: tuple[str, str] | None


def shown_checks(version: DatasetVersion) -> list[ShownCheck]:
    """The version's checks, failures first (blocking before warnings)."""
    shown = [
        ShownCheck(
            kind=str(raw["kind"]),
            passed=bool(raw["passed"]),
            blocking=bool(raw["blocking"]),
            field=raw.get("field"),
            resource=raw.get("resource"),
            message=(str(raw["message"]), str(raw["message_en"])),
            todo=None if raw["passed"] else advice(str(raw["kind"]), raw.get("field")),
        )
        for raw in version.checks
    ]
    return sorted(shown, key=lambda check: (check.passed, not check.blocking))


async def producer_and_agency(current: Page) -> tuple[Viewer, Agency]:
    """The signed-in producer and their agency."""
    viewer = staff_viewer(current, Role.PRODUCER)
    async with current.services.database.session() as session:
        agency = await session.get(Agency, viewer.agency_id) if viewer.agency_id else None
    if agency is None:  # a producer always has one (accounts refuse otherwise)
        raise not_found("Instansi", "Agency", str(viewer.agency_id), field="agency")
    return viewer, agency


def _metadata(values: dict[str, str]) -> drafts.Metadata:
    return drafts.Metadata(
        slug=values["slug"],
        title=values["title"],
        title_en=values["title_en"],
        description=values["description"],
        description_en=values["description_en"],
        license=values["license"],
        category=values["category"],
        update_frequency=values["update_frequency"],
        publication_mode=values["publication_mode"] or "ROWS",
        topics=drafts.words(values["topics"]),
        keywords=drafts.words(values["keywords"]),
        temporal_start=int_or(values["temporal_start"], 0) or None,
        temporal_end=int_or(values["temporal_end"], 0) or None,
        contact_name=values["contact_name"],
        contact_email=values["contact_email"],
        quasi_identifiers=drafts.words(values["quasi_identifiers"]),
    )


def metadata_values(descriptor: dict[str, Any]) -> dict[str, str]:
    """A stored descriptor as the metadata form's values (to edit it)."""
    temporal = descriptor.get("temporal") or {}
    contact = descriptor.get("contact") or {}
    licenses = descriptor.get("licenses") or [{}]
    return {
        "slug": str(descriptor.get("name") or ""),
        "title": str(descriptor.get("title") or ""),
        "title_en": str(descriptor.get("title_en") or ""),
        "description": str(descriptor.get("description") or ""),
        "description_en": str(descriptor.get("description_en") or ""),
        "license": str(licenses[0].get("name") or ""),
        "category": str(descriptor.get("category") or ""),
        "update_frequency": str(descriptor.get("updateFrequency") or ""),
        "publication_mode": str(descriptor.get("publicationMode") or "ROWS"),
        "topics": ", ".join(descriptor.get("topics") or []),
        "keywords": ", ".join(descriptor.get("keywords") or []),
        "temporal_start": str(temporal.get("start") or ""),
        "temporal_end": str(temporal.get("end") or ""),
        "contact_name": str(contact.get("name") or ""),
        "contact_email": str(contact.get("email") or ""),
        "quasi_identifiers": ", ".join(descriptor.get("quasiIdentifiers") or []),
    }


def _upload(form: FormData) -> UploadFile | None:
    part = form.get("file")
    return part if isinstance(part, UploadFile) and (part.filename or part.size) else None


async def _as_csv(upload: UploadFile, folder: Path) -> Path:
    """The uploaded file as a CSV in `folder` (an XLSX's first sheet converted)."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise BadUserInput(
            "Unggah berkas CSV atau XLSX.", "Upload a CSV or XLSX file.", field="file"
        )
    raw = folder / f"upload{suffix}"
    raw.write_bytes(await upload.read())
    if suffix == ".csv":
        return raw
    converted = folder / "upload.csv"
    drafts.xlsx_to_csv(raw, converted)
    return converted


async def _page(
    current: Page,
    viewer: Viewer,
    agency: Agency,
    *,
    values: dict[str, str] | None = None,
    editing: str = "",
    problem: DomainError | None = None,
    problem_form: str = "",
    status: int = 200,
) -> Response:
    return current.render(
        "staff_data.html",
        status=status,
        agency=agency,
        desks=await agency_desk(current.services, viewer, agency),
        overdue={
            late.slug: late
            for freshness in await overdue_by_agency(current.services, agency_ids=[agency.id])
            for late in freshness.overdue
        },
        values=values or dict.fromkeys(METADATA_FIELDS, ""),
        blank=dict.fromkeys(METADATA_FIELDS, ""),
        editing=editing,
        problem=problem,
        problem_form=problem_form,
        categories=[category.value for category in InformationCategory],
        frequencies=drafts.UPDATE_FREQUENCIES,
        modes=drafts.PUBLICATION_MODES,
        licenses=drafts.LICENSES,
    )


def _desk(desks: list[DatasetDesk], slug: str) -> DatasetDesk:
    found = next((desk for desk in desks if desk.slug == slug), None)
    if found is None:
        raise not_found("Dataset", "Dataset", slug, field="dataset")
    return found


@page
async def staff_data(current: Page) -> Response:
    """The agency's datasets; `?edit=<slug>` opens the metadata form filled in."""
    viewer, agency = await producer_and_agency(current)
    editing = current.request.query_params.get("edit", "")
    values = None
    if editing:
        desk = _desk(await agency_desk(current.services, viewer, agency), editing)
        follows = await _follows(current, desk)
        if follows is not None:
            values = metadata_values(follows.descriptor)
    return await _page(current, viewer, agency, values=values, editing=editing)


@dataclass(frozen=True)
class Follows:
    """What a new version starts from: the descriptor, and the first resource's name, column
    definitions and rows (a catalogue-loaded dataset has no staged file to reuse)."""

    descriptor: dict[str, Any]
    resource: str | None
    fields: list[dict[str, Any]]
    rows: Path | None


async def _follows(current: Page, desk: DatasetDesk) -> Follows | None:
    """The published version (else the latest), else the dataset as the catalogue loaded it."""
    base = desk.published or desk.latest
    if base is not None:
        first = base.resources[0] if base.resources else None
        return Follows(
            dict(base.descriptor),
            first.name if first else None,
            list(first.fields) if first else [],
            Path(base.staging_path) / first.path if first else None,
        )
    if desk.dataset is None:
        return None
    async with current.services.database.session() as session:
        first = await session.scalar(
            select(Resource)
            .where(Resource.dataset_id == desk.dataset.id)
            .order_by(Resource.position)
            .limit(1)
        )
    return Follows(
        drafts.catalogue_descriptor(desk.dataset),
        first.name if first else None,
        list(first.fields) if first else [],
        None,
    )


async def _submission(
    current: Page, viewer: Viewer, agency: Agency, form: FormData, folder: Path
) -> Submission:
    """The submission a posted form makes: `new` and `metadata` carry the metadata form,
    `version` a dataset and a file. A file keeps the resource name and the column
    definitions of what it follows (`_follows`)."""
    action = form_text(form, "action")
    slug = form_text(form, "dataset") or form_text(form, "slug")
    follows = None
    if action != "new":
        desk = _desk(await agency_desk(current.services, viewer, agency), slug)
        follows = await _follows(current, desk)
    if action == "version":
        described = follows.descriptor if follows is not None else {}
    else:
        described = _metadata(form_texts(form, METADATA_FIELDS)).descriptor()
    upload = _upload(form)
    if upload is None:
        if action != "metadata" or follows is None or follows.rows is None:
            raise BadUserInput(
                "Pilih berkas CSV atau XLSX.", "Choose a CSV or XLSX file.", field="file"
            )
        # metadata only: the rows of the version it follows, under the new metadata
        assert follows.resource is not None
        return Submission(
            slug,
            agency.slug,
            drafts.with_resource(described, follows.resource, follows.fields),
            [(follows.resource, follows.rows)],
        )
    csv_path = await _as_csv(upload, folder)
    inferred = drafts.csv_fields(csv_path)
    name = (follows.resource if follows else None) or drafts.resource_name(upload.filename or "")
    fields = drafts.kept_fields(follows.fields if follows else [], inferred)
    return Submission(
        slug, agency.slug, drafts.with_resource(described, name, fields), [(name, csv_path)]
    )


@page
async def staff_data_post(current: Page) -> Response:
    """A new dataset, a new version or new metadata: submitted, then its checks shown."""
    viewer, agency = await producer_and_agency(current)
    form = await checked_form(
        current.request, current.visitor, max_files=1, max_bytes=MAX_UPLOAD_BYTES
    )
    action = form_text(form, "action")
    try:
        with tempfile.TemporaryDirectory(prefix="opendata-upload-") as folder:
            submission = await _submission(current, viewer, agency, form, Path(folder))
            version = await submit_version(current.services, viewer, submission)
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        values = form_texts(form, METADATA_FIELDS)
        return await _page(
            current,
            viewer,
            agency,
            values=values,
            editing=form_text(form, "dataset") if action == "metadata" else "",
            problem=error,
            problem_form=action,
            status=400,
        )
    return current.redirect(current.url("staff_data_version", version_id=version.id))


async def visible_version(current: Page, viewer: Viewer) -> DatasetVersion:
    """The version of the path, if the viewer may see it here: the steward any, a producer
    only their agency's (not another agency's published ones either: this is a desk)."""
    version_id = int(current.request.path_params["version_id"])
    version = await versions.version_for(current.services, viewer, version_id)
    if version is None or (
        viewer.role is not Role.DATA_STEWARD and version.agency_id != viewer.agency_id
    ):
        raise not_found("Versi", "Version", str(version_id), field="version")
    return version


@page
async def staff_data_version(current: Page) -> Response:
    """One version as its producer follows it: state, checks with what to do."""
    viewer, _ = await producer_and_agency(current)
    version = await visible_version(current, viewer)
    return current.render("staff_data_version.html", version=version, checks=shown_checks(version))
