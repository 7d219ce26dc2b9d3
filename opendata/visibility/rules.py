"""Pasal 17 as data: the bases, which must expire, and the checks every exemption passes.

The same checks serve the catalogue loader (DIK entries in datapackage files) and the
`addExemption` mutation, so a rule refused in one place is refused in the other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from opendata.db.base import utcnow
from opendata.db.models import Exemption
from opendata.errors import BadUserInput
from opendata.statute import Articles, exemption_article
from opendata.visibility.fields import FieldDef, check_filter_value, native


class ExemptionBasis(StrEnum):
    """UU KIP Pasal 17, letters a to j: the one list the API, the catalogue and requests use."""

    PASAL_17A = "PASAL_17A"
    PASAL_17B = "PASAL_17B"
    PASAL_17C = "PASAL_17C"
    PASAL_17D = "PASAL_17D"
    PASAL_17E = "PASAL_17E"
    PASAL_17F = "PASAL_17F"
    PASAL_17G = "PASAL_17G"
    PASAL_17H = "PASAL_17H"
    PASAL_17I = "PASAL_17I"
    PASAL_17J = "PASAL_17J"


class ExemptionScope(StrEnum):
    """What an exemption withholds: the whole dataset's content, one field, or matching rows."""

    DATASET = "DATASET"
    FIELD = "FIELD"
    ROW = "ROW"


class InformationCategory(StrEnum):
    """The statutory category of information (UU KIP Pasal 9, 10, 11, 17; kip-rules §4)."""

    PERIODIC = "PERIODIC"
    IMMEDIATE = "IMMEDIATE"
    ON_REQUEST = "ON_REQUEST"
    EXEMPT = "EXEMPT"


@dataclass(frozen=True)
class Basis:
    code: str
    letter: str
    label_id: str
    label_en: str
    # Pasal 20: exemptions under 17a-17f are not permanent and must carry an expiry date.
    must_expire: bool


BASES: dict[str, Basis] = {
    b.code: b
    for b in (
        Basis(
            "PASAL_17A", "a", "menghambat proses penegakan hukum", "obstruct law enforcement", True
        ),
        Basis(
            "PASAL_17B",
            "b",
            "mengganggu hak kekayaan intelektual dan persaingan usaha sehat",
            "harm intellectual property or fair competition",
            True,
        ),
        Basis(
            "PASAL_17C",
            "c",
            "membahayakan pertahanan dan keamanan negara",
            "endanger national defence and security",
            True,
        ),
        Basis(
            "PASAL_17D",
            "d",
            "mengungkapkan kekayaan alam Indonesia",
            "reveal Indonesia's natural wealth",
            True,
        ),
        Basis(
            "PASAL_17E",
            "e",
            "merugikan ketahanan ekonomi nasional",
            "harm national economic resilience",
            True,
        ),
        Basis(
            "PASAL_17F",
            "f",
            "merugikan kepentingan hubungan luar negeri",
            "harm foreign relations",
            True,
        ),
        Basis(
            "PASAL_17G",
            "g",
            "mengungkapkan isi akta otentik atau wasiat seseorang",
            "reveal authentic private deeds or a last will",
            False,
        ),
        Basis("PASAL_17H", "h", "mengungkap rahasia pribadi", "reveal personal secrets", False),
        Basis(
            "PASAL_17I",
            "i",
            "memorandum atau surat antar/intra badan publik yang rahasia",
            "reveal confidential memoranda of public bodies",
            False,
        ),
        Basis(
            "PASAL_17J",
            "j",
            "informasi yang tidak boleh diungkap berdasarkan undang-undang",
            "disclose what another law forbids disclosing",
            False,
        ),
    )
}

SCOPES = tuple(ExemptionScope)
# Pasal 18(1) and our rule: periodic and immediate information cannot be withheld whole.
CATEGORIES_NEVER_WITHHELD_WHOLE = (InformationCategory.PERIODIC, InformationCategory.IMMEDIATE)


@dataclass(frozen=True)
class ExemptionDraft:
    """An exemption as asked for, before it is stored."""

    scope: str
    basis: str
    consequence_test: str
    decided_on: date
    field: str | None = None
    row_filter: Mapping[str, Any] | None = None
    decision_reference: str | None = None
    expires_on: date | None = None
    public_interest: str | None = None


def exemption_record(
    dataset_id: int,
    draft: ExemptionDraft,
    *,
    source: str,
    created_by: str,
    source_key: str | None = None,
) -> Exemption:
    """The stored DIK entry for a validated draft (from a catalogue file or the API): each of
    the draft's fields is the column of the same name."""
    columns = {f.name: getattr(draft, f.name) for f in dataclasses.fields(ExemptionDraft)}
    columns["row_filter"] = dict(draft.row_filter) if draft.row_filter else None
    return Exemption(
        dataset_id=dataset_id,
        source=source,
        source_key=source_key,
        created_by=created_by,
        created_at=utcnow(),
        **columns,
    )


def _bad(message_id: str, message_en: str, field: str) -> BadUserInput:
    return BadUserInput(message_id, message_en, field=field)


def covered_resources(
    row_filter: Mapping[str, Any], resources: Mapping[str, Sequence[FieldDef]]
) -> list[str]:
    """The resources a ROW filter applies to: those that have every field it names."""
    return [
        name
        for name, fields in resources.items()
        if all(any(f.name == wanted for f in fields) for wanted in row_filter)
    ]


def _check_row_filter(
    row_filter: Mapping[str, Any], resources: Mapping[str, Sequence[FieldDef]]
) -> dict[str, Any]:
    """A ROW filter must name fields of the dataset, cover at least one resource, give each
    value the field's own JSON type in one covered resource, and be readable under the type
    of every covered resource (so SQL and Python compare it the same way everywhere)."""
    known = {f.name for fields in resources.values() for f in fields}
    for name in row_filter:
        if name not in known:
            raise _bad(
                f"Kolom '{name}' pada rowFilter tidak ada di dataset ini.",
                f"Field '{name}' in rowFilter does not exist in this dataset.",
                "rowFilter",
            )
    covered = covered_resources(row_filter, resources)
    if not covered:
        raise _bad(
            "Tidak ada sumber data yang memiliki semua kolom rowFilter.",
            "No resource of this dataset has every field of the rowFilter.",
            "rowFilter",
        )
    typed = [{f.name: f for f in resources[name]} for name in covered]
    for name, value in row_filter.items():
        refusals = []
        for by_name in typed:
            try:
                check_filter_value(by_name[name], value, "rowFilter")
            except BadUserInput as refusal:
                refusals.append(refusal)
        if len(refusals) == len(typed):
            raise refusals[0]
        for resource_name, by_name in zip(covered, typed, strict=True):
            try:
                native(by_name[name], value)
            except ValueError:
                kind = by_name[name].type
                raise _bad(
                    f"Nilai '{name}' pada rowFilter bukan {kind}, tipe kolom itu di sumber "
                    f"data '{resource_name}'.",
                    f"The rowFilter value of '{name}' is not a {kind}, that field's type in "
                    f"resource '{resource_name}'.",
                    "rowFilter",
                ) from None
    return dict(row_filter)


def validate_exemption(
    draft: ExemptionDraft,
    *,
    category: str,
    resources: Mapping[str, Sequence[FieldDef]],
    today: date | None = None,
) -> ExemptionDraft:
    """Check a draft against kip-rules.md; returns it with the row filter type-checked.

    `resources` maps each resource name of the dataset to its fields.
    """
    basis = BASES.get(draft.basis)
    if basis is None:
        raise _bad("Dasar pengecualian tidak dikenal.", "Unknown exemption basis.", "basis")
    if draft.scope not in SCOPES:
        raise _bad(
            "Cakupan harus DATASET, FIELD atau ROW.",
            "Scope must be DATASET, FIELD or ROW.",
            "scope",
        )
    if not draft.consequence_test.strip():
        raise _bad(
            f"Uji konsekuensi wajib diisi ({Articles.CONSEQUENCE_TEST.pasal_text}).",
            f"A consequence test is required ({Articles.CONSEQUENCE_TEST.pasal_text}).",
            "consequenceTest",
        )
    if basis.must_expire and draft.expires_on is None:
        raise _bad(
            f"Pengecualian berdasarkan {exemption_article(basis.letter).pasal_text} tidak "
            f"permanen ({Articles.NOT_PERMANENT.pasal_text}): tanggal berakhir wajib diisi.",
            f"Exemptions under {exemption_article(basis.letter).pasal_text} are not permanent "
            f"({Articles.NOT_PERMANENT.pasal_text}): an expiry date is required.",
            "expiresOn",
        )
    if draft.expires_on is not None and draft.expires_on < draft.decided_on:
        raise _bad(
            "Tanggal berakhir tidak boleh sebelum tanggal keputusan.",
            "The expiry date cannot be before the decision date.",
            "expiresOn",
        )
    if today is not None and draft.expires_on is not None and draft.expires_on < today:
        raise _bad(
            "Tanggal berakhir sudah lewat.", "The expiry date has already passed.", "expiresOn"
        )
    row_filter: dict[str, Any] | None = None
    if draft.scope == "DATASET":
        if category in CATEGORIES_NEVER_WITHHELD_WHOLE:
            raise _bad(
                "Informasi berkala dan serta-merta tidak dapat dikecualikan seluruhnya "
                f"({Articles.NEVER_EXEMPT.pasal_text}); kecualikan kolom atau baris yang memuat "
                "data pribadi.",
                "Periodic and immediate information cannot be withheld whole "
                f"({Articles.NEVER_EXEMPT.pasal_text}); "
                "withhold the fields or rows with personal data instead.",
                "scope",
            )
    elif draft.scope == "FIELD":
        if not draft.field or not any(
            f.name == draft.field for fields in resources.values() for f in fields
        ):
            raise _bad(
                "Kolom yang dikecualikan tidak ada di dataset ini.",
                "The withheld field does not exist in this dataset.",
                "field",
            )
    else:
        if not isinstance(draft.row_filter, Mapping) or not draft.row_filter:
            raise _bad(
                "Cakupan ROW memerlukan rowFilter berisi pasangan kolom dan nilai.",
                "ROW scope needs a rowFilter of field-value pairs.",
                "rowFilter",
            )
        row_filter = _check_row_filter(draft.row_filter, resources)
    return ExemptionDraft(
        scope=draft.scope,
        basis=draft.basis,
        consequence_test=draft.consequence_test.strip(),
        decided_on=draft.decided_on,
        field=draft.field if draft.scope == "FIELD" else None,
        row_filter=row_filter,
        decision_reference=draft.decision_reference,
        expires_on=draft.expires_on,
        public_interest=draft.public_interest,
    )


def unmatched_reason(
    scope: str,
    field: str | None,
    row_filter: Mapping[str, Any] | None,
    resources: Mapping[str, Sequence[FieldDef]],
) -> str | None:
    """Why a stored exemption would withhold nothing under these resources, or None.

    A catalogue reload may rename or retype a field: a FIELD exemption whose field is gone, or
    a ROW filter whose fields are gone or no longer read under their type, matches no value,
    and the data it was decided for would be public under its new name. The answer names what
    no longer matches, in both languages.
    """
    if scope == "FIELD":
        if not any(f.name == field for fields in resources.values() for f in fields):
            return f"its field '{field}' no longer exists / kolom '{field}' sudah tidak ada"
    elif scope == "ROW":
        try:
            _check_row_filter(row_filter or {}, resources)
        except BadUserInput as refusal:
            return f"its rowFilter no longer matches: {refusal.message_en} / {refusal.message_id}"
    return None


# What the public notice shows instead of a ROW filter value on a withheld field.
MASKED_VALUE = "[dikecualikan/withheld]"


def describe_target(
    scope: str,
    field: str | None,
    row_filter: Mapping[str, Any] | None,
    field_withheld: Callable[[str], bool] | None = None,
    only_resources: Sequence[str] | None = None,
) -> str | None:
    """The public notice's `target`: the field name, a description of the rows, or None.

    A ROW filter names values; where the filter's field is itself withheld (`field_withheld`,
    from the dataset's current policy) the value is masked, or the notice would leak it.
    `only_resources` names the resources a ROW filter covers when it is not all of them.
    """
    if scope == "FIELD":
        return field
    if scope == "ROW" and row_filter:
        hidden = field_withheld or (lambda _name: False)
        described = "; ".join(
            f"{name} = {MASKED_VALUE if hidden(name) else _shown(value)}"
            for name, value in row_filter.items()
        )
        if only_resources is not None:
            names = ", ".join(only_resources)
            described += f" (hanya sumber data/only resources: {names})"
        return described
    return None


def _shown(value: Any) -> str:
    if value is None:
        return "(kosong/empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
