"""THE visibility function: what of a dataset anyone may see, given its active exemptions.

Every output path (GraphQL rows and counts, CSV downloads, `Field.withheld`,
`Dataset.access`, the search indexer, error messages) asks a `DatasetPolicy` built here.
Nothing else decides who sees what: the exemptions in force, and the dataset's publication
mode (an AGGREGATES dataset lists and hands out no row at all: `rows_public`, `require_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, and_, not_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.db.models import Dataset, Exemption
from opendata.errors import ContentWithheld, RowsNotPublished
from opendata.regency_time import regency_today
from opendata.statute import exemption_article
from opendata.visibility.fields import FieldDef, native, row_matches
from opendata.visibility.rules import describe_target


class PublicationMode(StrEnum):
    """How a dataset is published (catalogue `publicationMode`): ROWS, its visible rows are
    public; AGGREGATES, no row is listed or downloaded, only grouped figures (`aggregate`,
    the dashboard) with small-cell suppression."""

    ROWS = "ROWS"
    AGGREGATES = "AGGREGATES"


class AccessLevel(StrEnum):
    """What of a dataset anyone may see (`DatasetPolicy.access`)."""

    PUBLIC = "PUBLIC"
    PARTIAL = "PARTIAL"
    WITHHELD = "WITHHELD"


def active_clause(today: date) -> ColumnElement[bool]:
    """SQL: not revoked, and not past its expiry date (the expiry day itself still applies)."""
    return and_(
        Exemption.revoked_at.is_(None),
        or_(Exemption.expires_on.is_(None), Exemption.expires_on >= today),
    )


def is_active(exemption: Exemption, today: date) -> bool:
    """Python twin of `active_clause`."""
    if exemption.revoked_at is not None:
        return False
    return exemption.expires_on is None or exemption.expires_on >= today


def typed_row_filter(
    row_filter: Mapping[str, Any], fields: Sequence[FieldDef]
) -> dict[str, Any] | None:
    """A ROW filter under one resource's own field types, or None where it does not apply.

    THE rule for ROW exemptions across resources: a filter applies to a resource that has
    every field it names, each value read under that resource's type of the field (`native`:
    "77" is 77 where `kode` is an integer). A value that cannot be one of that type matches
    no row there (and `validate_exemption` refuses such a filter before it is stored).
    SQL (`visible_rows_clause`) and Python (`row_visible`) both compare these values.
    """
    by_name = {f.name: f for f in fields}
    if not all(name in by_name for name in row_filter):
        return None
    try:
        return {name: native(by_name[name], value) for name, value in row_filter.items()}
    except ValueError:
        return None


def _may_overlap(one: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Two equality row filters can match a common row unless a shared field differs."""
    return all(one[name] == other[name] for name in one.keys() & other.keys())


@dataclass(frozen=True)
class DatasetPolicy:
    """The active exemptions of one dataset, and what they hide (each computed once)."""

    dataset_id: int
    exemptions: tuple[Exemption, ...] = field(default_factory=tuple)
    publication_mode: PublicationMode = PublicationMode.ROWS

    @cached_property
    def dataset_exemption(self) -> Exemption | None:
        return next((e for e in self.exemptions if e.scope == "DATASET"), None)

    @property
    def content_withheld(self) -> bool:
        return self.dataset_exemption is not None

    @cached_property
    def withheld_fields(self) -> frozenset[str]:
        return frozenset(e.field for e in self.exemptions if e.scope == "FIELD" and e.field)

    @cached_property
    def row_filters(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(e.row_filter for e in self.exemptions if e.scope == "ROW" and e.row_filter)

    @property
    def access(self) -> AccessLevel:
        if self.content_withheld:
            return AccessLevel.WITHHELD
        return AccessLevel.PARTIAL if self.exemptions else AccessLevel.PUBLIC

    @property
    def aggregates_only(self) -> bool:
        return self.publication_mode == PublicationMode.AGGREGATES

    @property
    def rows_public(self) -> bool:
        """May rows be listed or downloaded at all (a listing, a file, a link to one, a value
        in a search snippet)? Not when withheld whole, and never for an AGGREGATES dataset."""
        return not self.content_withheld and not self.aggregates_only

    def field_withheld(self, name: str) -> bool:
        return self.content_withheld or name in self.withheld_fields

    def notice_shows_value(self, exemption: Exemption, name: str) -> bool:
        """May a ROW notice (the DIK, or the history) show its filter value for field `name`?

        Never for a withheld field. An exemption in force shows it: describing the withheld
        rows is what the DIK is for. A past one (revoked, expired) shows it only while no rows
        are withheld, or the history would name values of rows another exemption hides.
        """
        if self.field_withheld(name):
            return False
        if any(active.id == exemption.id for active in self.exemptions):
            return True
        return not self.row_filters

    def notice_target(
        self, exemption: Exemption, only_resources: Sequence[str] | None = None
    ) -> str | None:
        """The exemption's public `target` (`describe_target`) with the ROW values this policy
        may not show masked: the DIK, the history, DCAT and the follow mails all say it so."""
        return describe_target(
            exemption.scope,
            exemption.field,
            exemption.row_filter,
            lambda name: not self.notice_shows_value(exemption, name),
            only_resources,
        )

    def still_withheld(self, exemption: Exemption) -> bool:
        """Is (some of) what `exemption` withholds still withheld by one in force? Asked before
        an ended exemption is announced as "now public" (a field may carry two exemptions)."""
        if self.content_withheld:
            return True
        if exemption.scope == "FIELD":
            return exemption.field is not None and self.field_withheld(exemption.field)
        if exemption.scope == "ROW":
            ended = exemption.row_filter or {}
            return any(_may_overlap(ended, other) for other in self.row_filters)
        return False

    def require_content(self) -> None:
        """Refuse access to the content of a wholly withheld dataset, citing the basis."""
        exemption = self.dataset_exemption
        if exemption is None:
            return
        article = exemption_article(exemption.basis[-1].lower())
        raise ContentWithheld(
            f"Isi dataset ini dikecualikan berdasarkan {article} ({exemption.basis}); "
            "pemberitahuan pengecualiannya tetap terbuka.",
            f"This dataset's content is withheld under {article} ({exemption.basis}); "
            "the exemption notice stays public.",
        )

    def require_rows(self) -> None:
        """Refuse any listing or download of rows that `rows_public` does not allow."""
        self.require_content()
        if self.aggregates_only:
            raise RowsNotPublished(
                "Dataset ini diterbitkan sebagai agregat saja: barisnya tidak pernah ditampilkan "
                "atau diunduh. Gunakan aggregate (angka per kelompok) atau dasbor.",
                "This dataset is published as aggregates only: its rows are never listed or "
                "downloaded. Use aggregate (figures per group) or the dashboard.",
            )

    def resource_row_filters(self, fields: Sequence[FieldDef]) -> list[dict[str, Any]]:
        """The ROW filters that hide rows of a resource with `fields`, values native."""
        cache: dict[tuple[FieldDef, ...], list[dict[str, Any]]]
        cache = self.__dict__.setdefault("_typed_filters", {})
        key = tuple(fields)
        if key not in cache:
            typed = (typed_row_filter(f, fields) for f in self.row_filters)
            cache[key] = [f for f in typed if f is not None]
        return cache[key]

    def visible_fields(self, fields: Sequence[FieldDef]) -> list[FieldDef]:
        """The fields whose column may be read at all (a withheld column is never selected)."""
        if self.content_withheld:
            return []
        return [f for f in fields if f.name not in self.withheld_fields]

    def visible_rows_clause(
        self, columns: Mapping[str, ColumnElement[Any]], fields: Sequence[FieldDef]
    ) -> ColumnElement[bool]:
        """SQL condition true for rows no ROW exemption withholds (NULL-safe), on a typed table.

        Each comparison is under the column's own type, so it can neither fail (an integer
        column compared with text) nor miss (77 against "77").
        """
        hidden = [
            and_(*(columns[name].is_not_distinct_from(value) for name, value in f.items()))
            for f in self.resource_row_filters(fields)
        ]
        if not hidden:
            return true()
        return and_(*(not_(clause) for clause in hidden))

    def row_visible(self, fields: Sequence[FieldDef], row: Mapping[str, Any]) -> bool:
        """Python twin of `visible_rows_clause`, for a row of native values in memory."""
        return not any(row_matches(f, row) for f in self.resource_row_filters(fields))

    def mask(self, row: Mapping[str, Any], fields: Sequence[FieldDef]) -> dict[str, Any]:
        """The row as shown: declared fields in order, withheld ones as null."""
        hidden = self.withheld_fields
        return {f.name: (None if f.name in hidden else row.get(f.name)) for f in fields}

    def visible_rows(
        self, fields: Sequence[FieldDef], rows: Iterable[Mapping[str, Any]]
    ) -> Iterable[dict[str, Any]]:
        """Rows in memory (native values) as anyone may see them; none if withheld whole."""
        if self.content_withheld:
            return
        for row in rows:
            if self.row_visible(fields, row):
                yield self.mask(row, fields)


def exemptions_in_force(today: date) -> ColumnElement[bool]:
    """SQL: the outer join of a dataset to its exemptions in force; a read that loads
    datasets may join it and build their policies from its rows (`policies_from_rows`)."""
    return and_(Exemption.dataset_id == Dataset.id, active_clause(today))


def policies_from_rows(
    dataset_ids: Iterable[int], rows: Iterable[tuple[int, str, Exemption | None]]
) -> dict[int, DatasetPolicy]:
    """Policies from rows of (dataset id, publication mode, exemption in force or None),
    ordered by exemption id within each dataset (`exemptions_in_force`)."""
    found: dict[int, list[Exemption]] = {dataset_id: [] for dataset_id in dataset_ids}
    modes: dict[int, PublicationMode] = {}
    for dataset_id, mode, exemption in rows:
        modes[dataset_id] = PublicationMode(mode)
        if exemption is not None:
            found[dataset_id].append(exemption)
    return {
        dataset_id: DatasetPolicy(
            dataset_id, tuple(exemptions), modes.get(dataset_id, PublicationMode.ROWS)
        )
        for dataset_id, exemptions in found.items()
    }


async def load_policies(
    session: AsyncSession, dataset_ids: Iterable[int], today: date | None = None
) -> dict[int, DatasetPolicy]:
    """Policies for many datasets in one query (DataLoader-friendly): each dataset's
    publication mode, with its exemptions in force joined."""
    ids = sorted(set(dataset_ids))
    if not ids:
        return {}
    result = await session.execute(
        select(Dataset.id, Dataset.publication_mode, Exemption)
        .outerjoin(Exemption, exemptions_in_force(today or regency_today()))
        .where(Dataset.id.in_(ids))
        .order_by(Dataset.id, Exemption.id)
    )
    return policies_from_rows(ids, result)


async def load_policy(
    session: AsyncSession, dataset_id: int, today: date | None = None
) -> DatasetPolicy:
    return (await load_policies(session, [dataset_id], today))[dataset_id]
