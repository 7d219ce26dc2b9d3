"""Query cost, as GitHub and Shopify count it: connections multiply their children by `first`.

Computed from the parsed document before execution, reported in `extensions.cost`, and
refused over the limit with QUERY_TOO_COMPLEX.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

MAX_PAGE = 1000

# Defaults of `first` on list fields (the contract's defaults).
PAGE_DEFAULTS = {
    "agencies": 50,
    "datasets": 20,
    "rows": 100,
    "informationRequests": 20,
    "myRequests": 20,
}


def _first(field: FieldNode, variables: Mapping[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return given if isinstance(given, int) and not isinstance(given, bool) else None
        return None
    return PAGE_DEFAULTS.get(field.name.value)


def _selection_cost(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    seen: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            children = _selection_cost(selection.selection_set, fragments, variables, seen)
            if selection.selection_set is None:
                total += 1
                continue
            # An out-of-range `first` is refused by the resolver as BAD_USER_INPUT, so it is
            # counted at the largest page any connection allows.
            multiplier = min(max(1, _first(selection, variables) or 1), MAX_PAGE)
            total += 1 + multiplier * children
        elif isinstance(selection, InlineFragmentNode):
            total += _selection_cost(selection.selection_set, fragments, variables, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                total += _selection_cost(
                    fragment.selection_set, fragments, variables, seen | {name}
                )
    return total


def query_cost(
    document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None
) -> int:
    """Cost of the operation that will run (the named one, or the only one)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return 0  # execution will refuse the ambiguity itself
    return _selection_cost(operations[0].selection_set, fragments, variables or {}, frozenset())
