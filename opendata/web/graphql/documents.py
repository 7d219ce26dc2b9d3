"""Each query text parsed, validated and measured once, off the event loop.

Parsing and validating a 4,000-token document can take a few hundred milliseconds of CPU;
on the event loop that would stall every other request (and `/healthz`). It runs in a worker
thread instead (the loop gets the interpreter back every few milliseconds), a bounded number
at a time, and the outcome is kept per query text in an LRU bounded by the memory it holds,
so a repeated query costs a dictionary look-up. The depth and alias limits are measured here
too, once per fragment (strawberry's own limiters re-walk a fragment at every spread:
exponential on nested spreads).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
import anyio.to_thread
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    Visitor,
    parse,
    specified_rules,
    visit,
)
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from opendata.config import Limits
from opendata.errors import BadUserInput, DomainError, QueryTooComplex
from opendata.web.graphql.inputs import text_problem

# Documents prepared at once; more wait their turn (each holds the interpreter while it runs).
PREPARING_AT_ONCE = 1
# The cache is bounded by the memory its entries hold, estimated from the query text and the
# errors: a document keeps every token, node and location, 25 to 100 bytes a character of
# its text, and a validation error about 600 bytes (measured with tracemalloc on
# graphql-core 3.3). Bounding characters alone let 2,000,000 characters hold ~330 MB.
BYTES_PER_CHARACTER = 100
BYTES_PER_ERROR = 1_000
CACHED_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class PreparedDocument:
    """A query text's document and everything wrong with it (empty when it may run)."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...] = ()


@dataclass(frozen=True)
class DocumentShape:
    """The deepest field nesting and the number of aliases of a document, spreads expanded."""

    depth: int
    aliases: int


class DocumentPreparer:
    """Prepared documents for one schema, by query text (bounded)."""

    def __init__(
        self, schema: GraphQLSchema, limits: Limits, max_bytes: int = CACHED_BYTES
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, PreparedDocument] = OrderedDict()
        self._bytes = 0
        self._limiter = anyio.CapacityLimiter(PREPARING_AT_ONCE)

    async def prepare(self, query: str) -> PreparedDocument:
        found = self._entries.get(query)
        if found is not None:
            self._entries.move_to_end(query)
            return found
        found = await anyio.to_thread.run_sync(self.prepare_now, query, limiter=self._limiter)
        if query not in self._entries:
            self._entries[query] = found
            self._bytes += _estimated_bytes(query, found)
        while self._bytes > self.max_bytes and self._entries:
            evicted = self._entries.popitem(last=False)
            self._bytes -= _estimated_bytes(*evicted)
        return found

    def prepare_now(self, query: str) -> PreparedDocument:
        """Parse, validate, and check the limits and the string literals (any thread)."""
        try:
            document = parse(query, max_tokens=self.limits.max_tokens)
        except GraphQLError as error:
            return PreparedDocument(None, (error,))
        except RecursionError:
            return PreparedDocument(None, (_error(_too_deep()),))
        fields = _written_fields(document)
        if fields > self.limits.max_fields:
            return PreparedDocument(document, (_error(self._too_many_fields(fields)),))
        errors = validate_document(self.schema, document, tuple(specified_rules))
        if any(isinstance(error, ValidationAbortedError) for error in errors):
            # graphql-core's own work budget (overlapping fields) ran out
            return PreparedDocument(document, (_error(_too_much_work()),))
        if errors:
            return PreparedDocument(document, tuple(errors))
        problems = [*self._limit_problems(measure(document)), *_literal_problems(document)]
        return PreparedDocument(document, tuple(_error(problem) for problem in problems))

    def _too_many_fields(self, fields: int) -> QueryTooComplex:
        limit = self.limits.max_fields
        return QueryTooComplex(
            f"Kueri memuat {fields} field, batas {limit}.",
            f"The query selects {fields} fields, more than the limit of {limit}.",
        )

    def _limit_problems(self, shape: DocumentShape) -> list[DomainError]:
        limits = self.limits
        problems: list[DomainError] = []
        if shape.depth > limits.max_query_depth:
            problems.append(
                QueryTooComplex(
                    f"Kueri terlalu dalam: {shape.depth} tingkat, batas {limits.max_query_depth}.",
                    f"The query exceeds maximum operation depth: {shape.depth} > "
                    f"{limits.max_query_depth}.",
                )
            )
        if shape.aliases > limits.max_aliases:
            problems.append(
                QueryTooComplex(
                    f"Kueri memakai {shape.aliases} alias, batas {limits.max_aliases}.",
                    f"{shape.aliases} aliases found. Allowed: {limits.max_aliases}.",
                )
            )
        return problems


def _estimated_bytes(query: str, prepared: PreparedDocument) -> int:
    """The memory a cached document holds, roughly (see BYTES_PER_CHARACTER)."""
    return len(query) * BYTES_PER_CHARACTER + len(prepared.errors) * BYTES_PER_ERROR


def _error(problem: DomainError) -> GraphQLError:
    return GraphQLError(problem.message_en, original_error=problem)


def _too_much_work() -> QueryTooComplex:
    return QueryTooComplex(
        "Kueri terlalu rumit untuk diperiksa (terlalu banyak field yang tumpang-tindih).",
        "The query is too complex to validate (too many overlapping fields).",
    )


def _too_deep() -> BadUserInput:
    return BadUserInput(
        "Kueri bersarang terlalu dalam.", "The query is nested too deeply.", field="query"
    )


def _written_fields(document: DocumentNode) -> int:
    """Field selections as written (each fragment counted once): linear, before validation."""
    count = 0
    pending: list[SelectionSetNode] = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                count += 1
            inner = getattr(selection, "selection_set", None)
            if inner is not None:
                pending.append(inner)
    return count


def _literal_problems(document: DocumentNode) -> list[DomainError]:
    """A string literal (`"\\u0000"`) meets the same rules as a string variable."""
    problems: list[DomainError] = []

    class Literals(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: object) -> None:
            problem = text_problem(node.value)
            if problem is not None and not problems:
                problems.append(problem)

    visit(document, Literals())
    return problems


def measure(document: DocumentNode) -> DocumentShape:
    """Depth and aliases over every operation, each fragment walked once.

    Introspection fields (`__schema`, `__type`) do not count towards depth, as in strawberry's
    QueryDepthLimiter, so GraphiQL can read the schema. Needs a validated document (no
    fragment cycles)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    known: dict[str, DocumentShape] = {}

    def fragment(name: str) -> DocumentShape:
        if name not in known:
            known[name] = DocumentShape(0, 0)  # guards the walk; validation forbids cycles
            definition = fragments.get(name)
            if definition is not None:
                known[name] = selections(definition.selection_set)
        return known[name]

    def selections(selection_set: SelectionSetNode) -> DocumentShape:
        depth = aliases = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                inner = DocumentShape(0, 0)
                if selection.selection_set is not None:
                    inner = selections(selection.selection_set)
                    if not selection.name.value.startswith("__"):
                        depth = max(depth, 1 + inner.depth)
                aliases += inner.aliases + (1 if selection.alias else 0)
                continue
            if isinstance(selection, InlineFragmentNode):
                inner = selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                inner = fragment(selection.name.value)
            else:
                continue
            depth = max(depth, inner.depth)
            aliases += inner.aliases
        return DocumentShape(depth, aliases)

    depth = aliases = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            shape = selections(definition.selection_set)
            depth = max(depth, shape.depth)
            aliases += shape.aliases
    return DocumentShape(depth, aliases)


class UsePreparedDocuments(SchemaExtension):
    """Hands strawberry the document the preparer already parsed and validated, so nothing
    is parsed or validated twice, or on the event loop."""

    def __init__(self, preparer: DocumentPreparer) -> None:
        super().__init__()
        self.preparer = preparer
        self.prepared: PreparedDocument | None = None

    async def on_parse(self) -> AsyncIterator[None]:  # type: ignore[override]
        query = self.execution_context.query
        if query is not None and self.execution_context.graphql_document is None:
            self.prepared = await self.preparer.prepare(query)
            self.execution_context.graphql_document = self.prepared.document
        yield

    async def on_validate(self) -> AsyncIterator[None]:  # type: ignore[override]
        if self.prepared is not None:
            self.execution_context.pre_execution_errors = list(self.prepared.errors)
        yield
