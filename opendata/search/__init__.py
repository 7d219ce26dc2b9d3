"""Dataset search: one interface (`SearchIndex`), a whoosh and a PostgreSQL backend."""

from opendata.search.index import SearchIndex
from opendata.search.query import SearchHit, SearchQuery, SearchResults

__all__ = ["SearchHit", "SearchIndex", "SearchQuery", "SearchResults"]
