"""Lists of leaf-only objects completed in one loop (issue 26).

graphql-core completes every field of every list item on its own: a resolve info, strawberry's
resolver wrapper, `complete_value`, `complete_leaf_value` and the awaitable checks, 64 calls
for one `edges { node }` edge (cProfile, builtins counted) where this loop makes 11. Where a
list's items are objects whose selected fields are all leaves read by strawberry's plain
attribute resolver, the answer is fixed by the items alone:
`{response_key: leaf.coerce_output_value(getattr(item, name))}`, and likewise for a list of
leaves. `FastListExecutor` builds that plan once per list selection (from graphql-core's own
`collect_subfields`, so directives, fragments and aliases behave as before) and runs it.

Anything not plainly default takes graphql-core's path: a field with arguments, a resolver, a
field extension or permission class, a schema extension that hooks `resolve` (middleware), an
abstract item type, `@defer`/`@stream`. So does any list the plan cannot finish cleanly: an
exception, an awaitable, a null where a non-null is required, a refused type check. The whole
list then runs again the normal way, so errors, their paths and null propagation are
graphql-core's own.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import Any, NamedTuple, cast

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    Undefined,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

TYPENAME = "__typename"


# what a value the plan cannot finish completes to: graphql-core's path takes the list
UNFINISHED: Any = object()


class LeafField(NamedTuple):
    """One selected leaf: its response key, the attribute it reads, how it is coerced."""

    key: str
    attribute: str | None  # None: `__typename`, the object type's name
    leaf: GraphQLLeafType
    non_null: bool


class LeafListPlan(NamedTuple):
    """How to complete each item of one list selection: a leaf, or an object whose selected
    fields (`fields`) are all plain leaves."""

    item: GraphQLObjectType | GraphQLLeafType
    items_non_null: bool
    fields: tuple[LeafField, ...]


def _unwrapped(type_: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    if isinstance(type_, GraphQLNonNull):
        return type_.of_type, True
    return type_, False


def _plain_attribute(field: GraphQLField) -> str | None:
    """The attribute a field reads when strawberry resolves it with nothing but `getattr`;
    None for any field that is more than that."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if (
        not isinstance(definition, StrawberryField)
        or field.resolve is None
        or not is_default_resolver(field.resolve)
        or definition.base_resolver is not None
        or definition.extensions
        or definition.permission_classes
        or definition.default_resolver is not getattr
        or field.args
    ):
        return None
    return definition.python_name


def _leaf_value(leaf: GraphQLLeafType, non_null: bool, value: Any, awaitable: Any) -> Any:
    """`value` coerced as `complete_value` would, or UNFINISHED where it would not simply
    answer (an error, an awaitable, a null in a non-null place)."""
    if value is None or value is Undefined:
        return UNFINISHED if non_null else None
    if isinstance(value, Exception) or awaitable(value):
        return UNFINISHED
    coerced = leaf.coerce_output_value(value)
    return UNFINISHED if coerced is None or coerced is Undefined else coerced


class FastListExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with lists of leaves and of leaf-only objects completed in one
    loop each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # by the selection's identity, kept alive beside its plan (as collect_subfields does)
        self._plans: dict[int, tuple[FieldDetailsList, LeafListPlan | None]] = {}

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo,
        path: Path,
        result: AsyncIterable[Any] | Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        if isinstance(result, list | tuple):
            plan = self._plan(return_type, field_details_list, path)
            if plan is not None:
                completed = self._complete(plan, result, info)
                if completed is not UNFINISHED:
                    return completed
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plan(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> LeafListPlan | None:
        known = self._plans.get(id(field_details_list))
        if known is not None:
            return known[1]
        plan = self._new_plan(return_type, field_details_list, path)
        self._plans[id(field_details_list)] = (field_details_list, plan)
        return plan

    def _new_plan(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: FieldDetailsList,
        path: Path,
    ) -> LeafListPlan | None:
        item, items_non_null = _unwrapped(return_type.of_type)
        middleware = self.middleware_manager
        if middleware is not None and middleware.middlewares:
            return None  # a schema extension hooks every field's resolve
        if self.get_stream_usage(field_details_list, path) is not None:
            return None
        if is_leaf_type(item):
            return LeafListPlan(item, items_non_null, ())  # type: ignore[arg-type]
        if not isinstance(item, GraphQLObjectType):
            return None
        grouped, new_defer_usages, _ = self.collect_subfields(item, field_details_list)
        if new_defer_usages:
            return None
        fields: list[LeafField] = []
        for key, details in grouped.items():
            node = details[0].node
            if node.arguments:
                return None
            if node.name.value == TYPENAME:
                fields.append(LeafField(key, None, GraphQLString, True))
                continue
            field = self.schema.get_field(item, node.name.value)
            if field is None:
                return None
            leaf, non_null = _unwrapped(field.type)
            attribute = _plain_attribute(field)
            if attribute is None or not is_leaf_type(leaf):
                return None
            fields.append(LeafField(key, attribute, leaf, non_null))  # type: ignore[arg-type]
        return LeafListPlan(item, items_non_null, tuple(fields))

    def _complete(
        self, plan: LeafListPlan, items: list[Any] | tuple[Any, ...], info: GraphQLResolveInfo
    ) -> Any:
        """The completed list, or UNFINISHED (nothing of it kept) where graphql-core's path
        must answer, including on any exception (a raising attribute, a refused coercion)."""
        try:
            if isinstance(plan.item, GraphQLObjectType):
                return self._objects(plan, items, info)
            awaitable = self.is_awaitable
            leaf = cast(GraphQLLeafType, plan.item)
            completed = [_leaf_value(leaf, plan.items_non_null, v, awaitable) for v in items]
        except Exception:  # graphql-core's path raises it again, and reports it
            return UNFINISHED
        return UNFINISHED if any(v is UNFINISHED for v in completed) else completed

    def _objects(
        self, plan: LeafListPlan, items: list[Any] | tuple[Any, ...], info: GraphQLResolveInfo
    ) -> Any:
        awaitable = self.is_awaitable
        object_type = cast(GraphQLObjectType, plan.item)
        typename, is_type_of = object_type.name, object_type.is_type_of
        answers: list[Any] = []
        for item in items:
            if item is None or item is Undefined:
                if plan.items_non_null:
                    return UNFINISHED
                answers.append(None)
                continue
            if isinstance(item, Exception) or awaitable(item):
                return UNFINISHED
            if is_type_of is not None:
                checked = is_type_of(item, info)
                if not checked or awaitable(checked):
                    return UNFINISHED
            answer = {}
            for key, attribute, leaf, non_null in plan.fields:
                value = (
                    typename
                    if attribute is None
                    else _leaf_value(leaf, non_null, getattr(item, attribute), awaitable)
                )
                if value is UNFINISHED:
                    return UNFINISHED
                answer[key] = value
            answers.append(answer)
        return answers
