"""A dataset with everything a harvesting door describes: agency, resources, visibility.

Loaded in batches (one query each for agencies, resources and policies, whatever the number
of datasets) through the catalogue and visibility functions the resolvers use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue import queries
from opendata.catalogue.topics import CATEGORY_LABELS
from opendata.copying import copied
from opendata.db.models import Agency, Dataset, Exemption, Resource
from opendata.public_ids import to_global_id
from opendata.regency_time import regency_today
from opendata.statute import exemption_article
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import DatasetPolicy, load_policies
from opendata.visibility.rules import BASES


@dataclass(frozen=True)
class ExemptionNotice:
    """The public notice of one exemption in force (what the DIK says), never a withheld value."""

    basis: str
    letter: str
    reason_id: str
    reason_en: str
    scope: str
    target: str | None
    consequence_test: str
    decision_reference: str | None
    decided_on: date
    expires_on: date | None

    @property
    def article_id(self) -> str:
        """ "UU KIP Pasal 17 huruf a", from the one table of articles (opendata.statute)."""
        return exemption_article(self.letter).text

    @property
    def article_en(self) -> str:
        """ "UU KIP Article 17(a)": the same article, numbered the English way."""
        article = exemption_article(self.letter)
        return f"{article.law.value} Article {article.pasal}({article.huruf})"


def exemption_notice(policy: DatasetPolicy, exemption: Exemption) -> ExemptionNotice:
    """As `Exemption.target` in GraphQL: ROW values of withheld fields are masked."""
    basis = BASES[exemption.basis]
    target = policy.notice_target(exemption)
    return copied(
        ExemptionNotice,
        exemption,
        letter=basis.letter,
        reason_id=basis.label_id,
        reason_en=basis.label_en,
        target=target,
    )


@dataclass(frozen=True)
class DatasetRecord:
    dataset: Dataset
    agency: Agency
    resources: tuple[Resource, ...]
    policy: DatasetPolicy

    @property
    def global_id(self) -> str:
        return to_global_id("Dataset", self.dataset.id)

    @property
    def content_withheld(self) -> bool:
        return self.policy.content_withheld

    @property
    def rows_public(self) -> bool:
        """May a door offer its rows (a download link, a datastore)? `DatasetPolicy.rows_public`."""
        return self.policy.rows_public

    @property
    def notices(self) -> list[ExemptionNotice]:
        return [exemption_notice(self.policy, e) for e in self.policy.exemptions]

    def access_statement(self) -> tuple[str, str]:
        """(Indonesian, English) plain words on the category and every exemption in force."""
        category_id, category_en = CATEGORY_LABELS.get(
            self.dataset.category, (self.dataset.category, self.dataset.category)
        )
        parts_id, parts_en = [category_id + "."], [category_en + "."]
        for notice in self.notices:
            where = f" ({notice.target})" if notice.target else ""
            until_id = f", berlaku sampai {notice.expires_on}" if notice.expires_on else ""
            until_en = f", until {notice.expires_on}" if notice.expires_on else ""
            parts_id.append(
                f"Dikecualikan {notice.scope}{where} berdasarkan {notice.article_id}: "
                f"{notice.reason_id}{until_id}."
            )
            parts_en.append(
                f"Withheld {notice.scope}{where} under {notice.article_en}: {notice.reason_en}"
                f"{until_en}."
            )
        if not self.notices:
            parts_id.append("Seluruh isi terbuka.")
            parts_en.append("All content is public.")
        return " ".join(parts_id), " ".join(parts_en)

    def visible_fields(self, resource: Resource) -> list[FieldDef]:
        """The resource's fields anyone may see: none of a dataset withheld whole."""
        return [
            f for f in queries.resource_fields(resource) if not self.policy.field_withheld(f.name)
        ]


def resource_global_id(resource: Resource) -> str:
    return to_global_id("Resource", resource.id)


async def load_records(session: AsyncSession, datasets: Sequence[Dataset]) -> list[DatasetRecord]:
    """Records for live datasets, in the order given; three queries for any number."""
    ids = [d.id for d in datasets]
    agencies = await queries.agencies_by_ids(session, sorted({d.agency_id for d in datasets}))
    agency_by_id = {a.id: a for a in agencies if a is not None}
    resources = await queries.resources_by_dataset_ids(session, ids)
    policies = await load_policies(session, ids)
    return [
        DatasetRecord(d, agency_by_id[d.agency_id], tuple(found), policies[d.id])
        for d, found in zip(datasets, resources, strict=True)
    ]


async def record_by_slug(
    session: AsyncSession, slug: str, today: date | None = None
) -> DatasetRecord | None:
    """A live dataset's record in one statement: the dataset with its agency, its policy
    and its resources (`queries.dataset_and_resources_at_slug`)."""
    read = await queries.dataset_and_resources_at_slug(session, slug, today or regency_today())
    if read is None:
        return None
    found, resources = read
    return DatasetRecord(found.dataset, found.agency, resources, found.policy)
