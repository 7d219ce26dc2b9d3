"""What a dataset contributes to search: one document per live dataset, from public text only.

Row values are read through the one visible-rows builder (`row_query.stream_rows`, which
compiles THE visibility function onto the typed table), so a withheld field or row never
reaches an index, and a dataset withheld whole contributes only
its metadata. Both backends index these documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opendata.catalogue.row_query import distinct_values, row_source
from opendata.catalogue.topics import topic_label
from opendata.db.models import Agency, Dataset, Resource
from opendata.search.analysis import stem_words, words
from opendata.visibility.fields import FieldDef
from opendata.visibility.policy import load_policies

# Cell values longer than this are prose or identifiers, not names people type.
MAX_VALUE_CHARS = 80
MAX_VALUES_PER_DATASET = 2000

# Text groups of a document: (name, language, weight). The weight letter is PostgreSQL's
# (A > B > C > D); whoosh gives each group the matching BM25F field boost.
TEXT_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("title", "id", "A"),
    ("title_en", "en", "A"),
    ("meta", "id", "B"),
    ("description", "id", "C"),
    ("description_en", "en", "C"),
    ("fields", "id", "C"),
    ("values", "id", "D"),
)


# Groups whose text repeats across datasets (keywords, topics and agency; field labels), all
# Indonesian-analysed: their analysis is kept by text, so a bulk build analyses each once.
SHARED_GROUPS = frozenset({"meta", "fields"})
MAX_SHARED = 20_000
_SHARED: dict[str, tuple[list[str], list[str]]] = {}


@dataclass
class SearchDocument:
    """The public, searchable view of one dataset."""

    dataset_id: int
    slug: str
    title: str
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    keywords: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    agency_slug: str = ""
    agency_name: str = ""
    agency_acronym: str = ""
    field_labels: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    category: str = ""
    formats: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    modified: date | None = None
    _analysed: tuple[dict[str, list[str]], set[str]] | None = field(
        default=None, repr=False, compare=False
    )

    def texts(self) -> dict[str, str]:
        """Each text group as one string (newline-separated parts)."""
        topic_words = [part for topic in self.topics for part in (topic, *topic_label(topic))]
        meta = [*self.keywords, *topic_words, self.agency_name, self.agency_acronym]
        return {
            "title": self.title,
            "title_en": self.title_en,
            "meta": "\n".join(part for part in meta if part),
            "description": self.description,
            "description_en": self.description_en,
            "fields": "\n".join(self.field_labels),
            "values": "\n".join(self.values),
        }

    def terms(self) -> dict[str, list[str]]:
        """Analysed terms per text group (Indonesian or English per the group's language)."""
        return self.analyse()[0]

    def surface_words(self) -> set[str]:
        """Every folded word in the document: the vocabulary typos are corrected against."""
        return self.analyse()[1]

    def analyse(self) -> tuple[dict[str, list[str]], set[str]]:
        """(terms per text group, surface words), computed once per document."""
        if self._analysed is None:
            texts = self.texts()
            terms: dict[str, list[str]] = {}
            surface: set[str] = set()
            for name, language, _ in TEXT_GROUPS:
                text = texts[name]
                cached = _SHARED.get(text) if name in SHARED_GROUPS else None
                if cached is None:
                    found = words(text)
                    cached = (found, stem_words(found, language))
                    if name in SHARED_GROUPS:
                        if len(_SHARED) >= MAX_SHARED:
                            _SHARED.clear()
                        _SHARED[text] = cached
                surface.update(cached[0])
                terms[name] = list(cached[1])
            self._analysed = (terms, surface)
        return self._analysed

    @property
    def sort_title(self) -> str:
        return self.title.casefold()


async def build_documents(
    session: AsyncSession, dataset_ids: Iterable[int]
) -> tuple[list[SearchDocument], list[int]]:
    """(documents for the live datasets among `dataset_ids`, ids to drop from the index)."""
    ids = sorted(set(dataset_ids))
    if not ids:
        return [], []
    datasets = {
        dataset.id: dataset
        for dataset in await session.scalars(
            select(Dataset).where(Dataset.id.in_(ids), Dataset.removed_at.is_(None))
        )
    }
    gone = [dataset_id for dataset_id in ids if dataset_id not in datasets]
    if not datasets:
        return [], gone
    agency_ids = {dataset.agency_id for dataset in datasets.values()}
    agencies = {
        agency.id: agency
        for agency in await session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))
    }
    resources: dict[int, list[Resource]] = defaultdict(list)
    for resource in await session.scalars(
        select(Resource)
        .where(Resource.dataset_id.in_(list(datasets)))
        .order_by(Resource.dataset_id, Resource.position)
    ):
        resources[resource.dataset_id].append(resource)
    policies = await load_policies(session, list(datasets))
    documents = []
    for dataset_id, dataset in datasets.items():
        policy = policies[dataset_id]
        agency = agencies[dataset.agency_id]
        labels: list[str] = []
        values: dict[str, None] = {}
        for resource in resources[dataset_id]:
            fields = [FieldDef.from_json(raw) for raw in resource.fields]
            labels += [label for f in fields for label in (f.name, f.title) if label]
            text_fields = [f.name for f in fields if f.type == "string"]
            if not policy.rows_public or not text_fields:  # no cell value of unlisted rows
                continue
            source = row_source(resource, policy)
            for name in text_fields:
                room = MAX_VALUES_PER_DATASET - len(values)
                if room <= 0:
                    break
                found = await distinct_values(session, source, name, room)
                _collect_values([{name: value} for value in found], [name], values)
        documents.append(
            SearchDocument(
                dataset_id=dataset_id,
                slug=dataset.slug,
                title=dataset.title,
                title_en=dataset.title_en or "",
                description=dataset.description or "",
                description_en=dataset.description_en or "",
                keywords=list(dataset.keywords or []),
                topics=list(dataset.topics or []),
                agency_slug=agency.slug,
                agency_name=agency.name,
                agency_acronym=agency.acronym or "",
                field_labels=list(dict.fromkeys(labels)),
                values=list(values)[:MAX_VALUES_PER_DATASET],
                category=dataset.category,
                formats=sorted({r.format.upper() for r in resources[dataset_id] if r.format}),
                years=dataset.years,
                modified=dataset.modified,
            )
        )
    documents.sort(key=lambda document: document.dataset_id)
    return documents, gone


def _collect_values(
    rows: Sequence[dict[str, object]], text_fields: Sequence[str], values: dict[str, None]
) -> None:
    """Distinct short text cells (masked cells are None and skipped)."""
    for row in rows:
        for name in text_fields:
            value = row.get(name)
            if isinstance(value, str):
                value = value.strip()
                if value and len(value) <= MAX_VALUE_CHARS:
                    values.setdefault(value, None)
