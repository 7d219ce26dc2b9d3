"""Tables of the PostgreSQL search backend (present but unused on SQLite).

`dataset_search` holds one row per live dataset: a weighted tsvector of the lexemes made by
`opendata.search.analysis` (the same as whoosh indexes), the facet values and the sort keys.
It is the table every search scans, so it is kept narrow: small columns first (a row is
deformed left to right, so the facet keys are read without stepping over the tsvector) and
the public text for highlights lives in `dataset_search_texts`, read for the page only.
Bounded searches (postgres_backend) find title matches first through a GIN index on the title
lexemes, `ts_filter(document, '{a}')` (migration 0037); both GIN indexes hold the row's filter
values as tags in a second column, `dataset_search_tags(...)` (migration 0038).
`search_words` is the vocabulary that typos are corrected against, with a trigram index.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base

TextArray = JSON().with_variant(ARRAY(Text()), "postgresql")
IntArray = JSON().with_variant(ARRAY(Integer()), "postgresql")
# the filter values of a row, `agency:<slug>`, `year:<y>`, ... (migration 0038's function)
_COLUMNS = "agency, category, topics, formats, years"


class DatasetSearch(Base):
    __tablename__ = "dataset_search"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    agency: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(20))
    modified: Mapped[date | None] = mapped_column(Date)
    slug: Mapped[str] = mapped_column(String(120))
    # Facet group keys: the topics, and the formats then the years (values joined by \x1f,
    # \x1e between formats and years). Facets are counted with GROUPING SETS ((agency,
    # facet_topics), (facet_other), ()): two hashes per hit instead of one unnest row per
    # value, expanded in Python over the few hundred groups.
    facet_topics: Mapped[str] = mapped_column(Text)
    facet_other: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(TextArray)
    formats: Mapped[list[str]] = mapped_column(TextArray)
    years: Mapped[list[int]] = mapped_column(IntArray)
    sort_title: Mapped[str] = mapped_column(Text)
    document: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))

    __table_args__ = (
        Index(
            "ix_dataset_search_document",
            "document",
            text(f"dataset_search_tags('document', {_COLUMNS})"),
            postgresql_using="gin",
        ),
        Index(
            "ix_dataset_search_title",
            func.ts_filter(text("document"), text("'{a}'")),
            text(f"dataset_search_tags('title', {_COLUMNS})"),
            postgresql_using="gin",
        ),
        Index("ix_dataset_search_slug", "slug"),
    )


class DatasetSearchText(Base):
    """The public text of a dataset's search document, for highlighting the page's hits."""

    __tablename__ = "dataset_search_texts"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    texts: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))


class SearchWord(Base):
    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(String(40), primary_key=True)

    __table_args__ = (
        Index(
            "ix_search_words_trgm",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
        ),
    )
