"""CKAN's `q` and `fq`: the part of Solr's (Lucene's) query syntax CKAN's clients send.

A grammar (lark, LALR), not string splitting. It reads:

- words and "quoted phrases" (free text: the catalogue's search index answers them);
- `field:value`, `field:"a phrase"`, `field:prefix*`, `field:*`, `*:*`, `field:(a OR b)`;
- ranges `field:[low TO high]`, `{...}` exclusive, `*` open
  (`metadata_modified:[2026-01-01T00:00:00Z TO *]`);
- `AND` / `&&`, `OR` / `||`, `NOT` / `!` / `-` (excluded), `+` (required), `( groups )`;
- boosts and fuzziness (`word^2`, `word~1`) are read and ignored, as they only change ranks.

Precedence: `NOT`/`-`/`+` bind tightest, then `AND`, then `OR`; clauses side by side are
all required (Solr's `q.op=AND`, which CKAN sets) and bind loosest, so the harvester's
`organization:a OR organization:b metadata_modified:[... TO *]` means (a or b) and changed
since. Operators are upper case, as in Solr's standard parser.

The result is a small tree (`Node`) that `opendata.interop.ckan.matching` evaluates against
the catalogue; which fields exist is decided there.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedInput

from opendata.interop.ckan.errors import CkanError, invalid

GRAMMAR = r"""
start: clause*
?clause: disjunction
?disjunction: conjunction (_OR conjunction)*
?conjunction: unary (_AND unary)*
?unary: _NOT unary -> negated
      | _MINUS unary -> negated
      | _PLUS unary
      | atom _BOOST?
?atom: "(" clause+ ")" -> group
     | TERM ":" value -> fielded
     | TERM -> word
     | PHRASE -> phrase
?value: TERM -> word
      | PHRASE -> phrase
      | RANGE -> range
      | "(" clause+ ")" -> group

_OR.2: /OR(?=[\s()"]|$)/ | "||"
_AND.2: /AND(?=[\s()"]|$)/ | "&&"
_NOT.2: /NOT(?=[\s()"]|$)/ | "!"
_MINUS: "-"
_PLUS: "+"
_BOOST: /[\^~][0-9.]*/
PHRASE: /"(?:[^"\\]|\\.)*"/
RANGE: /[\[{][^\]}]*[\]}]/
TERM: /(?:[^\s()"\\:\[\]{}^~+\-!&|]|\\.)(?:[^\s()"\\:\[\]{}^~!]|\\.)*/

%import common.WS
%ignore WS
"""

_PARSER = Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


class Node:
    """A node of a parsed query."""


@dataclass(frozen=True)
class Everything(Node):
    """`*:*` (and an empty query): every dataset."""


@dataclass(frozen=True)
class Words(Node):
    """Free text: a word or a quoted phrase, for the search index."""

    text: str


@dataclass(frozen=True)
class Match(Node):
    """`field:value`; `value` may end in `*` (a prefix) or be `*` (the field has a value)."""

    field: str
    value: str
    phrase: bool = False


@dataclass(frozen=True)
class Range(Node):
    """`field:[low TO high]`; None is an open end (`*`)."""

    field: str
    low: str | None
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class Not(Node):
    node: Node


@dataclass(frozen=True)
class AllOf(Node):
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf(Node):
    nodes: tuple[Node, ...]


def _unescape(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    return "".join(out)


def _refused(argument: str, detail_id: str, detail_en: str) -> CkanError:
    return invalid(
        argument,
        f"`{argument}` tidak dapat dibaca: {detail_id}.",
        f"`{argument}` cannot be read: {detail_en}.",
    )


def _range(text: str, field: str, argument: str) -> Range:
    parts = text[1:-1].split()
    if len(parts) != 3 or parts[1] != "TO":
        raise _refused(
            argument,
            f"rentang '{text}' harus berbentuk [awal TO akhir]",
            f"the range '{text}' must read [low TO high]",
        )
    low, high = (None if p == "*" else _unescape(p.strip('"')) for p in (parts[0], parts[2]))
    return Range(field, low, high, text[0] == "[", text[-1] == "]")


def _all_of(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))


def _node(tree: Tree[Token] | Token, field: str | None, argument: str) -> Node:
    """The lark tree as a query tree; inside `field:( ... )` bare words match that field."""
    if isinstance(tree, Token):  # only the unlabelled `_PLUS unary` passes a bare token
        return _node(Tree("word", [tree]), field, argument)
    kind, children = tree.data, tree.children
    if kind in ("start", "group", "conjunction"):
        nodes = [_node(child, field, argument) for child in children]
        return _all_of(nodes) if nodes else Everything()
    if kind == "disjunction":
        return AnyOf(tuple(_node(child, field, argument) for child in children))
    if kind == "negated":
        return Not(_node(children[0], field, argument))
    if kind == "fielded":
        if field is not None:
            raise _refused(
                argument, f"kolom di dalam kolom '{field}'", f"a field inside field '{field}'"
            )
        name = _unescape(str(children[0]))
        if name == "*":
            return Everything()
        return _node(children[1], name, argument)
    text = str(children[0])
    if kind == "range":
        if field is None:  # the grammar only reads a range after `field:`
            raise _refused(argument, "rentang tanpa kolom", "a range without a field")
        return _range(text, field, argument)
    phrase = kind == "phrase"
    value = _unescape(text[1:-1] if phrase else text)
    if field is None:
        return Everything() if value == "*" else Words(value)
    return Match(field, value, phrase)


def parse_query(text: str, argument: str) -> Node:
    """`q` or `fq` as a query tree; a syntax error is refused, naming where it is."""
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as error:
        position = getattr(error, "pos_in_stream", None) or 0
        shown = text[position : position + 30] or "akhir"
        shown_en = text[position : position + 30] or "the end"
        raise _refused(
            argument,
            f"tidak terduga pada posisi {position + 1} ('{shown}')",
            f"unexpected at position {position + 1} ('{shown_en}')",
        ) from None
    except LarkError:
        raise _refused(argument, "sintaks tidak sah", "invalid syntax") from None
    return _node(tree, None, argument)
