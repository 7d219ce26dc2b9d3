"""Builds the strawberry Schema from the domains' parts, with our document limits."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from opendata.config import Limits
from opendata.errors import DomainError
from opendata.schema import catalogue
from opendata.schema.node import NodeQuery
from opendata.schema.root import MUTATION_PARTS, QUERY_PARTS
from opendata.schema.scalars import SCALAR_OVERRIDES
from opendata.web.graphql.documents import DocumentPreparer, UsePreparedDocuments
from opendata.web.graphql.fast_lists import FastListExecutor

logger = logging.getLogger("opendata.graphql")


class OpendataSchema(strawberry.Schema):
    """Logs only unexpected errors: a refused operation is an answer, not an incident.

    Documents are parsed, validated and held to the depth, alias and token limits by its
    `documents` preparer (off the event loop, once per query text)."""

    def __init__(self, *args: Any, limits: Limits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = DocumentPreparer(self._schema, limits)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, DomainError | GraphQLError):
                logger.error("unexpected error in %s", error.path, exc_info=original)


def build_schema(limits: Limits) -> OpendataSchema:
    query = merge_types("Query", (*QUERY_PARTS, NodeQuery))
    mutation = merge_types("Mutation", tuple(MUTATION_PARTS)) if MUTATION_PARTS else None
    schema: OpendataSchema

    def prepared_documents() -> UsePreparedDocuments:  # a fresh extension per request
        return UsePreparedDocuments(schema.documents)

    schema = OpendataSchema(
        query=query,
        mutation=mutation,
        extensions=[prepared_documents],
        execution_context_class=FastListExecutor,  # leaf-only lists in one loop each
        scalar_overrides=SCALAR_OVERRIDES,
        types=[
            catalogue.AgencyType,
            catalogue.DatasetType,
            catalogue.ResourceType,
            catalogue.ExemptionType,
        ],
        limits=limits,
    )
    return schema
