"""Tables of the PostgreSQL search backend (present but unused on SQLite).

`dataset_search` holds one row per live dataset: a weighted tsvector of the lexemes made by
`opendata.search.analysis` (the same as whoosh indexes), the facet values as arrays, the
sort keys and the public text for highlights. `search_words` is the vocabulary that typos
are corrected against, with a trigram index.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from opendata.db.base import Base

TextArray = JSON().with_variant(ARRAY(Text()), "postgresql")
IntArray = JSON().with_variant(ARRAY(Integer()), "postgresql")


class DatasetSearch(Base):
    __tablename__ = "dataset_search"

    dataset_id: Mapped[int] = mapped_column(
        ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True
    )
    slug: Mapped[str] = mapped_column(String(120))
    sort_title: Mapped[str] = mapped_column(Text)
    modified: Mapped[date | None] = mapped_column(Date)
    agency: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(20))
    topics: Mapped[list[str]] = mapped_column(TextArray)
    formats: Mapped[list[str]] = mapped_column(TextArray)
    years: Mapped[list[int]] = mapped_column(IntArray)
    # "topic:kesehatan", "format:CSV", "year:2023": one unnest counts three facets at once
    facet_keys: Mapped[list[str]] = mapped_column(TextArray)
    document: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    texts: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))

    __table_args__ = (
        Index("ix_dataset_search_document", "document", postgresql_using="gin"),
        Index("ix_dataset_search_slug", "slug"),
    )


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
