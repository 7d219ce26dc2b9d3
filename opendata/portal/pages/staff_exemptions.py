"""Exemption management (`/petugas/pengecualian`): the agency's DIK, kept by its PPID.

An officer lists the exemptions in force on their agency's datasets (admins: every
agency's), sees which end within 90 days, revokes one with a reason, and adds one in two
steps: a preview of what it would remove (rows, fields, search values; measured by
`exemptions.preview`, nothing saved), then a confirmation that saves it through the same
service as GraphQL's `addExemption`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.responses import Response

from opendata.accounts.viewer import Role, Viewer
from opendata.catalogue.queries import DatasetFilter
from opendata.db.models import Dataset, Exemption
from opendata.errors import BadUserInput, DomainError, not_found
from opendata.exemptions import register, service
from opendata.exemptions.preview import ExemptionPreview, preview_exemption
from opendata.inputs import int_or
from opendata.portal.page import ApiLink, Page, form_date, form_texts, page, shown_beside_the_form
from opendata.portal.staff import staff_viewer
from opendata.portal.visitor import checked_form
from opendata.regency_time import regency_today
from opendata.resolvers import catalogue as catalogue_resolvers
from opendata.visibility.fields import FieldDef, json_value, native
from opendata.visibility.rules import BASES, SCOPES, Basis, describe_target

# "Expiring soon" on this page: what the PPID should review (renew or let lapse) now.
EXPIRING_WITHIN = timedelta(days=90)
MAX_DATASETS = 100
SCOPE_LABELS = {
    "DATASET": ("Seluruh dataset", "The whole dataset"),
    "FIELD": ("Satu kolom", "One field"),
    "ROW": ("Baris yang cocok", "Matching rows"),
}
# "API for this page": the agency's DIK as the public API gives it
DIK_QUERY = """query DIK($agency: String!) {
  withheldDatasets(agency: $agency, first: 100) {
    totalCount
    edges { node { slug title exemptions {
      basis scope target consequenceTest decisionReference decidedOn expiresOn
    } } }
  }
}"""
DRAFT_FIELDS = (
    "dataset",
    "scope",
    "basis",
    "field",
    "row_field",
    "row_value",
    "consequence_test",
    "public_interest",
    "decision_reference",
    "decided_on",
    "expires_on",
)


@dataclass(frozen=True)
class InForce:
    exemption: Exemption
    dataset: Dataset
    target: str | None

    @property
    def basis(self) -> Basis:
        return BASES[self.exemption.basis]


def _managed_agency(viewer: Viewer) -> int | None:
    """The agency whose exemptions the viewer manages; None: every agency (admins)."""
    return None if viewer.role is Role.ADMIN else viewer.agency_id


async def _chosen_dataset(current: Page, viewer: Viewer, slug: str) -> Dataset | None:
    """The dataset being added to (published, or with a version under review, as saving
    takes it), if this viewer manages it; another agency's dataset is reported as missing,
    like one that does not exist."""
    if not slug:
        return None
    async with current.services.database.session() as session:
        found = await service.exemptible_dataset(session, slug)
    if found is None or not viewer.is_officer_of(found.agency_id):
        raise not_found("Dataset", "Dataset", slug, field="dataset")
    return found


async def _dataset_fields(current: Page, dataset: Dataset | None) -> list[FieldDef]:
    """Every field an exemption may name, once each: published or brought by a version under
    review (a NIK column the PPID must withhold first)."""
    if dataset is None:
        return []
    async with current.services.database.session() as session:
        resources = await service.exemptible_fields(session, dataset.id)
    fields: dict[str, FieldDef] = {}
    for definitions in resources.values():
        for definition in definitions:
            fields.setdefault(definition.name, definition)
    return list(fields.values())


async def _page(
    current: Page,
    viewer: Viewer,
    values: dict[str, str],
    *,
    status: int = 200,
    problem: DomainError | None = None,
    preview: ExemptionPreview | None = None,
    revoke_problem: tuple[str, DomainError] | None = None,
) -> Response:
    scope = current.scope
    today = regency_today()
    agency_id = _managed_agency(viewer)
    async with current.services.database.session() as session:
        found = await register.exemptions_in_force(session, agency_id, today)
    in_force = [
        InForce(
            exemption,
            dataset,
            describe_target(exemption.scope, exemption.field, exemption.row_filter),
        )
        for exemption, dataset in found
    ]
    expiring = sorted(
        (
            item
            for item in in_force
            if item.exemption.expires_on is not None
            and item.exemption.expires_on <= today + EXPIRING_WITHIN
        ),
        key=lambda item: (item.exemption.expires_on, item.exemption.id),
    )
    agency = await catalogue_resolvers.agency_by_id(scope, agency_id) if agency_id else None
    _, listed = await catalogue_resolvers.browse_datasets(
        scope,
        DatasetFilter(agencies=(agency.slug,)) if agency else DatasetFilter(),
        "TITLE",
        MAX_DATASETS,
        None,
        kind=f"staff-exemptions:{agency_id}",
        with_facets=False,
    )
    chosen = await _chosen_dataset(current, viewer, values.get("dataset", ""))
    return current.render(
        "staff_exemptions.html",
        status=status,
        agency=agency,
        in_force=in_force,
        expiring=expiring,
        expiring_days=EXPIRING_WITHIN.days,
        datasets=listed.datasets,
        chosen=chosen,
        fields=await _dataset_fields(current, chosen),
        values=values,
        bases=list(BASES.values()),
        scopes=[(kind, SCOPE_LABELS[kind]) for kind in SCOPES],
        scope_labels=SCOPE_LABELS,
        problem=problem,
        preview=preview,
        revoke_problem=revoke_problem,
        saved=current.request.query_params.get("saved"),
        revoked=current.request.query_params.get("revoked"),
        today=today,
        **({"api": ApiLink(DIK_QUERY, {"agency": agency.slug})} if agency else {}),
    )


@page
async def staff_exemptions(current: Page) -> Response:
    """The DIK in force, what expires soon, and the add form for a chosen dataset."""
    viewer = staff_viewer(current, Role.OFFICER, Role.ADMIN)
    values = dict.fromkeys(DRAFT_FIELDS, "")
    values["dataset"] = current.request.query_params.get("dataset", "")
    values["scope"] = "FIELD"
    return await _page(current, viewer, values)


def _row_filter(fields: list[FieldDef], name: str, text: str) -> dict[str, Any] | None:
    """One field = value pair, the value read under the field's type as the API takes it."""
    if not name:
        return None
    definition = next((f for f in fields if f.name == name), None)
    if definition is None:
        raise BadUserInput(
            "Kolom yang dipilih tidak ada di dataset ini.",
            "The chosen field does not exist in this dataset.",
            field="rowFilter",
        )
    try:
        value = json_value(definition, native(definition, text)) if text else None
    except ValueError:
        raise BadUserInput(
            f"Nilai untuk kolom '{name}' tidak sesuai tipenya ({definition.type}).",
            f"The value for field '{name}' does not fit its type ({definition.type}).",
            field="rowFilter",
        ) from None
    return {name: value}


async def _draft(
    current: Page, dataset: Dataset | None, values: dict[str, str]
) -> service.ExemptionRequest:
    scope = values["scope"]
    return service.ExemptionRequest(
        dataset_slug=values["dataset"],
        scope=scope,
        basis=values["basis"],
        consequence_test=values["consequence_test"],
        field=values["field"] or None if scope == "FIELD" else None,
        row_filter=_row_filter(
            await _dataset_fields(current, dataset), values["row_field"], values["row_value"]
        )
        if scope == "ROW"
        else None,
        decision_reference=values["decision_reference"] or None,
        expires_on=form_date(values["expires_on"], "expiresOn"),
        public_interest=values["public_interest"] or None,
        decided_on=form_date(values["decided_on"], "decidedOn"),
    )


@page
async def staff_exemptions_post(current: Page) -> Response:
    """Preview, save (after a preview) or revoke; refusals are shown beside the form."""
    viewer = staff_viewer(current, Role.OFFICER, Role.ADMIN)
    form = await checked_form(current.request, current.visitor)
    action = form.get("action")
    if action == "revoke":
        return await _revoke(current, viewer, form)
    values = form_texts(form, DRAFT_FIELDS)
    # another agency's dataset: not found
    dataset = await _chosen_dataset(current, viewer, values["dataset"])
    try:
        draft = await _draft(current, dataset, values)
        if action == "preview":
            found = await preview_exemption(current.services, viewer, draft)
            return await _page(current, viewer, values, preview=found)
        if action != "save":
            raise BadUserInput("Tindakan tidak dikenal.", "Unknown action.", field="action")
        await service.add_exemption(current.services, viewer, draft)
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        return await _page(current, viewer, values, status=400, problem=error)
    done = urlencode({"saved": values["dataset"]})
    return current.redirect(current.url("staff_exemptions") + "?" + done)


async def _revoke(current: Page, viewer: Viewer, form: FormData) -> Response:
    exemption_text = str(form.get("exemption") or "")
    exemption_id = int_or(exemption_text, -1)
    exemption = await catalogue_resolvers.exemption_by_id(current.scope, exemption_id)
    dataset = (
        await catalogue_resolvers.dataset_by_id(current.scope, exemption.dataset_id)
        if exemption is not None
        else None
    )
    if dataset is None or not viewer.is_officer_of(dataset.agency_id):
        raise not_found("Pengecualian", "Exemption", exemption_text, field="id")
    try:
        await service.revoke_exemption(
            current.services, viewer, exemption_id, str(form.get("reason") or "")
        )
    except DomainError as error:
        if not shown_beside_the_form(error):
            raise
        values = dict.fromkeys(DRAFT_FIELDS, "")
        return await _page(
            current, viewer, values, status=400, revoke_problem=(exemption_text, error)
        )
    done = urlencode({"revoked": exemption_text})
    return current.redirect(current.url("staff_exemptions") + "?" + done)
