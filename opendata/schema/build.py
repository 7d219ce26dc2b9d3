"""Builds the strawberry Schema from the domains' parts, with strawberry's own limits."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from opendata.config import Limits
from opendata.errors import DomainError
from opendata.schema import catalogue
from opendata.schema.node import NodeQuery
from opendata.schema.root import MUTATION_PARTS, QUERY_PARTS

logger = logging.getLogger("opendata.graphql")


class OpendataSchema(strawberry.Schema):
    """Logs only unexpected errors: a refused operation is an answer, not an incident."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, DomainError | GraphQLError):
                logger.error("unexpected error in %s", error.path, exc_info=original)


def build_schema(limits: Limits) -> strawberry.Schema:
    query = merge_types("Query", (*QUERY_PARTS, NodeQuery))
    mutation = merge_types("Mutation", tuple(MUTATION_PARTS)) if MUTATION_PARTS else None
    # Factories: a fresh extension per request; the parse/validation caches are shared.
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=limits.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    return OpendataSchema(
        query=query,
        mutation=mutation,
        extensions=extensions,
        types=[
            catalogue.AgencyType,
            catalogue.DatasetType,
            catalogue.ResourceType,
            catalogue.ExemptionType,
        ],
    )
