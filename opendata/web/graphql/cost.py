"""Query cost, as GitHub and Shopify count it: a connection multiplies its children by `first`.

Counted on a validated document (every field exists, fragments form no cycle), once per
fragment however often it is spread: nested spreads that would expand to millions of fields
are counted in time linear in the document's own size. `first` is read the way GraphQL
coerces it (the literal, else the variable's value, else the variable's default, else the
field's own default in the schema), so no way of writing a query costs less than its literal
twin. Reported in `extensions.cost`; over the limit the query is refused with
QUERY_TOO_COMPLEX before anything runs.

A page is not all the work: a field taking `where` (`rows`, `aggregate`) may scan its whole
table when it filters, orders, counts (`totalCount`) or groups. Such a field also costs one
point per SCAN_ROWS rows of the largest table in the catalogue (which table a query names is
known only when it runs, so the largest one is assumed), multiplied like any other field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    ValueNode,
    VariableNode,
    get_named_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

# An out-of-range `first` is refused by its resolver (BAD_USER_INPUT), so it is counted at the
# largest page any connection allows.
MAX_PAGE = 1000
# Costs past this are all "far too much"; keeps the reported figure a safe JSON integer.
COST_CEILING = 2**53 - 1

# rows a scanning field may read per point of cost: 50,000 points allow about 5 million rows
SCAN_ROWS = 100
# arguments and selections that make a `where`-taking field read past its page
_SCANNING_ARGUMENTS = ("where", "orderBy")
_SCANNING_SELECTIONS = ("totalCount",)

_META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


def find_operation(
    document: DocumentNode, operation_name: str | None
) -> OperationDefinitionNode | None:
    """The operation that will run (the named one, or the only one); None if ambiguous."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return operations[0] if len(operations) == 1 else None


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    largest_table: int = 0,
) -> int:
    """Cost of the operation that will run; 0 if none can (execution refuses that itself).

    `largest_table`: the most rows any resource holds (its stored `row_count`)."""
    operation = find_operation(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    counter = _CostCounter(
        schema, document, _variable_values(operation, variables or {}), largest_table // SCAN_ROWS
    )
    return min(counter.selections(root, operation.selection_set), COST_CEILING)


def _variable_values(
    operation: OperationDefinitionNode, given: Mapping[str, Any]
) -> dict[str, Any]:
    """Each variable's value: the one given, else its default (a literal), else absent."""
    values: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name in given:
            values[name] = given[name]
        elif definition.default_value is not None:
            values[name] = _literal(definition.default_value, {})
    return values


def _literal(node: ValueNode, variables: Mapping[str, Any]) -> Any:
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, VariableNode):
        return variables.get(node.name.value)
    if isinstance(node, NullValueNode):
        return None
    return Undefined


def _as_page(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


class _CostCounter:
    """One walk over one validated document, remembering each fragment's cost."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        scan_cost: int = 0,
    ) -> None:
        self.schema = schema
        self.scan_cost = scan_cost
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.fragment_costs: dict[str, int] = {}

    def selections(self, parent: GraphQLNamedType, selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(inner or parent, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> int:
        known = self.fragment_costs.get(name)
        if known is not None:
            return known
        self.fragment_costs[name] = 0  # validation forbids cycles; this only guards the walk
        definition = self.fragments.get(name)
        cost = 0
        if definition is not None:
            parent = self.schema.get_type(definition.type_condition.name.value)
            if parent is not None:
                cost = self.selections(parent, definition.selection_set)
        self.fragment_costs[name] = cost
        return cost

    def field(self, parent: GraphQLNamedType, node: FieldNode) -> int:
        if node.selection_set is None:
            return 1
        definition = _field_definition(parent, node.name.value)
        if definition is None:
            return 1
        children = self.selections(get_named_type(definition.type), node.selection_set)
        scan = self.scan_cost if self.scans(definition, node) else 0
        return min(1 + scan + self.page_size(definition, node) * children, COST_CEILING)

    def scans(self, definition: GraphQLField, node: FieldNode) -> bool:
        """Whether this field may read its whole table: it takes `where` and filters, orders
        or counts (or has no `first`: it groups, like `aggregate`)."""
        if "where" not in definition.args:
            return False
        if "first" not in definition.args:
            return True
        given = {
            a.name.value for a in node.arguments or () if not isinstance(a.value, NullValueNode)
        }
        if given.intersection(_SCANNING_ARGUMENTS):
            return True
        return _selects(node.selection_set, _SCANNING_SELECTIONS, self.fragments)

    def page_size(self, definition: GraphQLField, node: FieldNode) -> int:
        """The page this field will return at most: `first` as GraphQL will coerce it."""
        argument = definition.args.get("first")
        if argument is None:
            return 1
        value: Any = Undefined
        for given in node.arguments or ():
            if given.name.value == "first":
                value = _literal(given.value, self.variables)
        page = _as_page(value)
        if page is None:  # absent, null or not a number: the field's own default
            page = _as_page(argument.default_value)
        return min(max(1, page or 1), MAX_PAGE)


def _selects(
    selection_set: SelectionSetNode | None,
    names: tuple[str, ...],
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: set[str] | None = None,
) -> bool:
    """Whether a selection set asks for one of `names` (through fragments too, each looked
    into once: linear in the document's size)."""
    seen = set() if seen is None else seen
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode) and selection.name.value in names:
            return True
        if isinstance(selection, InlineFragmentNode) and _selects(
            selection.selection_set, names, fragments, seen
        ):
            return True
        if isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None and _selects(fragment.selection_set, names, fragments, seen):
                return True
    return False


def _field_definition(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if name in _META_FIELDS:
        return _META_FIELDS[name]
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None
