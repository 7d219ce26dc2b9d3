"""A parsed `q`/`fq` (`solr.py`) evaluated against the catalogue: which datasets, in what order.

Every listed dataset is a `Candidate` with the values of the Solr fields CKAN indexes and we
have (`name`, `title`, `tags`, `organization`, `groups`, `res_format`, `license_id`,
`metadata_modified`, ...). Free text goes to the catalogue's own search index (whoosh or
PostgreSQL), which holds only what anyone may see, so a withheld value never matches;
fields are metadata that `package_show` already shows. `NOT` is the complement within the
listed datasets, as in Solr. Scores come from the search index; without free text every
match scores the same.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from opendata.catalogue.topics import topic_label
from opendata.db.models import Agency, Dataset, DatasetFacet
from opendata.interop.ckan.action import MAX_LISTED, ActionContext, all_datasets
from opendata.interop.ckan.errors import CkanError, invalid
from opendata.interop.ckan.solr import (
    AllOf,
    AnyOf,
    Everything,
    Match,
    Node,
    Not,
    Range,
    Words,
)
from opendata.interop.vocabulary import license_of
from opendata.public_ids import to_global_id
from opendata.resolvers.catalogue import MAX_QUERY_LENGTH
from opendata.search.query import SearchQuery


@dataclass(frozen=True)
class Candidate:
    """A listed dataset with the values of the fields a query or a sort can name."""

    dataset: Dataset
    global_id: str
    organization: str
    organization_id: str
    organization_title: str
    formats: tuple[str, ...]
    modified: datetime  # metadata_modified, aware UTC
    created: datetime  # metadata_created, aware UTC


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# Fields holding exact strings (Solr `string` fields: whole value, case kept).
EXACT_FIELDS: dict[str, Callable[[Candidate], Sequence[str]]] = {
    "id": lambda c: (c.global_id,),
    "name": lambda c: (c.dataset.slug,),
    "organization": lambda c: (c.organization,),
    "owner_org": lambda c: (c.organization_id,),
    "groups": lambda c: c.dataset.topics,
    "tags": lambda c: c.dataset.keywords,
    "res_format": lambda c: c.formats,
    "license_id": lambda c: (c.dataset.license,),
    "dataset_type": lambda c: ("dataset",),
    "type": lambda c: ("dataset",),
    "state": lambda c: ("active",),
    "capacity": lambda c: ("public",),
}
# Fields whose values are compared without case (a format is "CSV" or "csv" alike).
CASELESS_FIELDS = frozenset({"res_format"})
# Fields of words (Solr `text` fields): every word of the value is among the field's words.
TEXT_FIELDS: dict[str, Callable[[Candidate], str]] = {
    "title": lambda c: c.dataset.title,
    "notes": lambda c: c.dataset.description,
}
DATE_FIELDS: dict[str, Callable[[Candidate], datetime]] = {
    "metadata_modified": lambda c: c.modified,
    "metadata_created": lambda c: c.created,
}
# `text:` is the default search field: the search index answers it.
FREE_TEXT_FIELDS = frozenset({"text"})

_WORD = re.compile(r"\w+")
_NOW = re.compile(
    r"NOW(?:([+-])(\d+)(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)S?)?(?:/(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)S?)?"
)
_UNIT_SECONDS = {"DAY": 86400, "HOUR": 3600, "MINUTE": 60, "SECOND": 1}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _unknown_field(name: str, argument: str) -> CkanError:
    known = ", ".join(sorted({*EXACT_FIELDS, *TEXT_FIELDS, *DATE_FIELDS, *FREE_TEXT_FIELDS}))
    return invalid(
        argument,
        f"Kolom '{name[:60]}' tidak dikenal. Kolom yang ada: {known}.",
        f"Unknown field '{name[:60]}'. Fields: {known}.",
    )


def _rounded(moment: datetime, unit: str) -> datetime:
    if unit == "YEAR":
        return moment.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "MONTH":
        return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    seconds = _UNIT_SECONDS[unit]
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = (moment - start).total_seconds()
    return start + timedelta(seconds=elapsed - elapsed % seconds)


def _shifted(moment: datetime, sign: str, amount: int, unit: str) -> datetime:
    step = amount if sign == "+" else -amount
    if unit in ("YEAR", "MONTH"):
        months = moment.month - 1 + (step * 12 if unit == "YEAR" else step)
        year, month = moment.year + months // 12, months % 12 + 1
        return moment.replace(year=year, month=month, day=min(moment.day, 28))
    return moment + timedelta(seconds=step * _UNIT_SECONDS[unit])


def parse_date(text: str, argument: str) -> datetime:
    """Solr dates: `2026-01-01T00:00:00Z` (fractions allowed), a plain day, or `NOW` with
    one step and a rounding (`NOW-7DAYS`, `NOW/DAY`)."""
    now = _NOW.fullmatch(text)
    if now is not None:
        moment = datetime.now(UTC)
        sign, amount, unit, rounding = now.groups()
        if sign:
            moment = _shifted(moment, sign, int(amount), unit)
        return _rounded(moment, rounding) if rounding else moment
    try:
        return _utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise invalid(
            argument,
            f"Tanggal '{text[:40]}' tidak sah (contoh: 2026-01-01T00:00:00Z atau NOW-7DAYS).",
            f"Invalid date '{text[:40]}' (e.g. 2026-01-01T00:00:00Z or NOW-7DAYS).",
        ) from None


def _value_matches(values: Iterable[str], wanted: str, caseless: bool) -> bool:
    if caseless:
        values, wanted = (v.casefold() for v in values), wanted.casefold()
    if wanted == "*":
        return any(values)
    if wanted.endswith("*"):
        return any(v.startswith(wanted[:-1]) for v in values)
    return wanted in values


def _words_match(text: str, value: str, phrase: bool) -> bool:
    have, wanted = _words(text), _words(value)
    if value == "*":
        return bool(have)
    if value.endswith("*") and len(wanted) == 1:
        return any(word.startswith(wanted[0]) for word in have)
    if phrase:
        size = len(wanted)
        return any(have[i : i + size] == wanted for i in range(len(have) - size + 1))
    return all(word in have for word in wanted)


class Evaluator:
    """Evaluates one query over the listed datasets; collects scores from free text."""

    def __init__(self, ctx: ActionContext, candidates: Sequence[Candidate], argument: str):
        self.ctx = ctx
        self.by_id = {c.dataset.id: c for c in candidates}
        self.universe = frozenset(self.by_id)
        self.scores: dict[int, float] = defaultdict(float)
        self.argument = argument

    async def _search(self, text: str, scoring: bool) -> frozenset[int]:
        if len(text) > MAX_QUERY_LENGTH:  # what the search index takes from any door
            raise invalid(
                self.argument,
                f"Teks pencarian paling panjang {MAX_QUERY_LENGTH} karakter.",
                f"Search text is at most {MAX_QUERY_LENGTH} characters.",
            )
        results = await self.ctx.scope.search.search(
            SearchQuery(text=text, limit=MAX_LISTED, with_facets=False, with_highlights=False)
        )
        found = frozenset(hit.dataset_id for hit in results.hits) & self.universe
        if scoring:
            for hit in results.hits:
                if hit.dataset_id in found:
                    self.scores[hit.dataset_id] += hit.score
        return found

    def _field(self, node: Match | Range) -> frozenset[int]:
        name = node.field
        if isinstance(node, Range):
            return self._range(node)
        if name in EXACT_FIELDS:
            read, caseless = EXACT_FIELDS[name], name in CASELESS_FIELDS
            return frozenset(
                i for i, c in self.by_id.items() if _value_matches(read(c), node.value, caseless)
            )
        if name in TEXT_FIELDS:
            text_of = TEXT_FIELDS[name]
            return frozenset(
                i
                for i, c in self.by_id.items()
                if _words_match(text_of(c), node.value, node.phrase)
            )
        if name in DATE_FIELDS:
            moment = parse_date(node.value, self.argument)
            return frozenset(i for i, c in self.by_id.items() if DATE_FIELDS[name](c) == moment)
        raise _unknown_field(name, self.argument)

    def _range(self, node: Range) -> frozenset[int]:
        name = node.field
        if name in DATE_FIELDS:
            read_date = DATE_FIELDS[name]
            low = None if node.low is None else parse_date(node.low, self.argument)
            high = None if node.high is None else parse_date(node.high, self.argument)
            keys: dict[int, Any] = {i: read_date(c) for i, c in self.by_id.items()}
            bounds: tuple[Any, Any] = (low, high)
        elif name in EXACT_FIELDS:
            read = EXACT_FIELDS[name]
            keys = {i: v for i, c in self.by_id.items() for v in read(c)[:1]}
            bounds = (node.low, node.high)
        else:
            raise _unknown_field(name, self.argument)
        low, high = bounds

        def inside(value: Any) -> bool:
            above = low is None or (value >= low if node.include_low else value > low)
            below = high is None or (value <= high if node.include_high else value < high)
            return bool(above and below)

        return frozenset(i for i, value in keys.items() if inside(value))

    async def ids(self, node: Node, scoring: bool = True) -> frozenset[int]:
        if isinstance(node, Everything):
            return self.universe
        if isinstance(node, Words):
            return await self._search(node.text, scoring)
        if isinstance(node, Match) and node.field in FREE_TEXT_FIELDS:
            return await self._search(node.value, scoring)
        if isinstance(node, Match | Range):
            return self._field(node)
        if isinstance(node, Not):
            return self.universe - await self.ids(node.node, scoring=False)
        if isinstance(node, AnyOf):
            found: frozenset[int] = frozenset()
            for child in node.nodes:
                found |= await self.ids(child, scoring)
            return found
        assert isinstance(node, AllOf)
        # Words side by side go to the search index together: its ranking sees the phrase.
        words = [child.text for child in node.nodes if isinstance(child, Words)]
        kept = self.universe if not words else await self._search(" ".join(words), scoring)
        for child in node.nodes:
            if not isinstance(child, Words):
                kept &= await self.ids(child, scoring)
        return kept


async def candidates(ctx: ActionContext) -> list[Candidate]:
    """Every listed dataset (what package_list names), with its organization and formats."""
    datasets = await all_datasets(ctx)
    ids = [d.id for d in datasets]
    async with ctx.scope.database.session() as session:
        agencies = {
            a.id: a
            for a in await session.scalars(
                select(Agency).where(Agency.id.in_({d.agency_id for d in datasets}))
            )
        }
        formats: dict[int, list[str]] = defaultdict(list)
        rows = await session.execute(
            select(DatasetFacet.dataset_id, DatasetFacet.value).where(
                DatasetFacet.dataset_id.in_(ids), DatasetFacet.facet == "format"
            )
        )
        for dataset_id, value in rows:
            formats[dataset_id].append(value)
    return [
        Candidate(
            dataset=d,
            global_id=to_global_id("Dataset", d.id),
            organization=agencies[d.agency_id].slug,
            organization_id=to_global_id("Agency", d.agency_id),
            organization_title=agencies[d.agency_id].name,
            formats=tuple(formats[d.id]),
            modified=_utc(d.updated_at),
            created=_utc(d.created_at),
        )
        for d in datasets
    ]


# ---------------------------------------------------------------- order


SORT_KEYS: dict[str, Callable[[Candidate, Mapping[int, float]], Any]] = {
    "score": lambda c, scores: scores.get(c.dataset.id, 0.0),
    "id": lambda c, scores: c.global_id,
    "name": lambda c, scores: c.dataset.slug,
    "title_string": lambda c, scores: c.dataset.title.casefold(),
    "title": lambda c, scores: c.dataset.title.casefold(),
    "metadata_modified": lambda c, scores: c.modified,
    "metadata_created": lambda c, scores: c.created,
}
DEFAULT_SORT = "score desc, metadata_modified desc"


def parse_sort(text: str | None) -> tuple[tuple[str, bool], ...]:
    """'field dir, field dir' on the sortable fields; `rank` or nothing is CKAN's default."""
    text = (text or "").strip()
    if text in ("", "rank"):
        text = DEFAULT_SORT
    keys = []
    for part in text.split(","):
        words = part.split()
        if (
            not 1 <= len(words) <= 2
            or words[0] not in SORT_KEYS
            or (len(words) == 2 and words[1].lower() not in ("asc", "desc"))
        ):
            choices = ", ".join(SORT_KEYS)
            raise invalid(
                "sort",
                f"`sort` tidak sah: '{part.strip()[:60]}'. Pakai kolom ({choices}) lalu asc "
                "atau desc, dipisah koma.",
                f"Invalid `sort`: '{part.strip()[:60]}'. Use a field ({choices}) then asc or "
                "desc, separated by commas.",
            )
        keys.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    return tuple(keys)


def ordered(
    found: Iterable[Candidate], sort: Sequence[tuple[str, bool]], scores: Mapping[int, float]
) -> list[Candidate]:
    """Sorted by each key in turn (stable sorts from the last key), then by name."""
    shown = sorted(found, key=lambda c: c.dataset.slug)
    for name, descending in reversed(sort):
        shown.sort(key=lambda c: SORT_KEYS[name](c, scores), reverse=descending)
    return shown


# ---------------------------------------------------------------- facets


FACET_VALUES: dict[str, Callable[[Candidate], Sequence[str]]] = {
    "organization": EXACT_FIELDS["organization"],
    "groups": EXACT_FIELDS["groups"],
    "tags": EXACT_FIELDS["tags"],
    "res_format": EXACT_FIELDS["res_format"],
    "license_id": EXACT_FIELDS["license_id"],
}


def _display_names(field: str, found: Sequence[Candidate]) -> dict[str, str]:
    if field == "organization":
        return {c.organization: c.organization_title for c in found}
    if field == "groups":
        return {t: topic_label(t)[0] for c in found for t in c.dataset.topics}
    if field == "license_id":
        return {c.dataset.license: license_of(c.dataset.license).title for c in found}
    return {}


def facets(
    found: Sequence[Candidate], fields: Sequence[str], limit: int, mincount: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """CKAN's `facets` ({field: {value: count}}) and `search_facets` (titled items), most
    frequent first, over every match (not one page)."""
    plain: dict[str, Any] = {}
    titled: dict[str, Any] = {}
    for field in fields:
        counted = Counter(v for c in found for v in dict.fromkeys(FACET_VALUES[field](c)))
        items = sorted(
            ((value, n) for value, n in counted.items() if n >= mincount),
            key=lambda item: (-item[1], item[0]),
        )
        shown = items if limit < 0 else items[:limit]
        names = _display_names(field, found)
        plain[field] = dict(shown)
        titled[field] = {
            "title": field,
            "items": [
                {"name": value, "display_name": names.get(value, value), "count": n}
                for value, n in shown
            ],
        }
    return plain, titled
