"""The cost guard: a cheap look at a query's shape, before it runs, that decides where it may run.

Input is query text; output is a :class:`Verdict` with a :class:`Route`:

* ``ordinary``: every group of triple patterns is joined through shared variables;
* ``heavy``: a cartesian product somewhere (triple patterns, groups or an OPTIONAL that share no
  variable), or two or more patterns that fix no term (``?a ?b ?c``) joined together. On a graph of
  n triples a k-way product has n^k rows: the issue's four-way product over the 726 triples of the
  seeds graph is 2.8e11 rows. Heavy queries still run, but only in the heavy lane (see ``lanes``),
  so they can never hold the workers that ordinary queries need;
* ``update``: update text sent as a query (refused with 403, as every update is);
* ``federated``: a ``SERVICE`` clause. pyoxigraph would fetch the given URL from the server, which
  turns a public endpoint into a proxy into the server's network; refused with 403.

Why rdflib's parser and a shape check rather than a cost estimate: pyoxigraph has no query
explanation in Python, and a shape check needs no statistics and no store. It is conservative: a
small product of two selective patterns is called heavy too (it runs in the heavy lane and is
answered, only with less concurrency), and a connected but expensive query is called ordinary (its
timeout and the per-client limit still bound it). A query rdflib cannot parse (a typo, or syntax
only Oxigraph knows) and text over ``max_chars`` (parsing it would hold the server's GIL) go to the
heavy lane unparsed (unless the word SERVICE appears in them); Oxigraph then answers a typo with
400. Parsing a one-line query takes about 2 ms of the server's GIL, so verdicts are cached by query
text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["CostGuard", "Route", "Verdict", "classify"]

MAX_CHARS = 16_384  # longer queries are not parsed: they go to the heavy lane
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


class Route(StrEnum):
    """Where a query goes."""

    ORDINARY = "ordinary"
    HEAVY = "heavy"
    UPDATE = "update"
    FEDERATED = "federated"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The guard's decision and, for anything but ordinary, why (for the client and the log)."""

    route: Route
    reason: str = ""


def classify(text: str, max_chars: int = MAX_CHARS) -> Verdict:
    """The verdict on one query text (no cache; see :class:`CostGuard`)."""
    if len(text) > max_chars:
        if _SERVICE.search(text):  # unparsed, so any SERVICE word counts: never let one through
            return Verdict(Route.FEDERATED, "SERVICE (federated query) is not allowed here")
        return Verdict(Route.HEAVY, f"the query is over {max_chars} characters, too long to check")
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing's errors, and rdflib's own on odd but valid queries
        if _is_update(text):
            return Verdict(Route.UPDATE, "SPARQL updates are refused")
        if _SERVICE.search(text):
            return Verdict(Route.FEDERATED, "SERVICE (federated query) is not allowed here")
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        return Verdict(Route.HEAVY, f"the cost guard could not parse the query ({first})")
    try:
        return _shape_verdict(tree)
    except Exception as exc:  # a parse tree this check does not know: be careful, not sorry
        return Verdict(Route.HEAVY, f"the cost guard could not check the query ({type(exc).__name__})")


def _shape_verdict(tree: Any) -> Verdict:
    groups = []
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            return Verdict(Route.FEDERATED, "SERVICE (federated query) is not allowed here")
        if node.name in _GROUPS:
            groups.append(node)
    for group in groups:
        reason = _heavy_reason(group)
        if reason:
            return Verdict(Route.HEAVY, reason)
    return Verdict(Route.ORDINARY)


class CostGuard:
    """:func:`classify` with a bounded, thread-safe cache of verdicts by query text."""

    def __init__(self, max_chars: int = MAX_CHARS, cache_size: int = 1024) -> None:
        self.max_chars = max_chars
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Verdict] = OrderedDict()
        self._lock = threading.Lock()

    def classify(self, text: str) -> Verdict:
        with self._lock:
            verdict = self._cache.get(text)
            if verdict is not None:
                self._cache.move_to_end(text)
                return verdict
        verdict = classify(text, self.max_chars)
        with self._lock:
            self._cache[text] = verdict
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return verdict


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


# --- the shape check over rdflib's parse tree -------------------------------------------------------
#
# Why the parse tree rather than the algebra: rdflib's translation to algebra doubles the cost (about
# 1.1 ms of 2.5 ms for a one-line query), and a group graph pattern ({ ... }) is exactly the unit whose
# parts are joined: the parts that produce rows (triple patterns, nested groups, OPTIONAL, GRAPH,
# VALUES, sub-selects) must be connected through shared variables. BIND connects the variables it
# reads to the one it sets (one row in, one row out); FILTER connects nothing, as a product that a
# filter later cuts down is still computed; MINUS and EXISTS remove rows, and are checked as groups of
# their own.

_GROUPS = frozenset({"GroupGraphPatternSub", "FakeGroupGraphPatten"})  # (sic: rdflib's CONSTRUCT WHERE)


def _nodes(value: Any) -> Iterator[Any]:
    """Every parse-tree node (rdflib ``CompValue``) under ``value``, expressions and EXISTS included."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(value, CompValue):
        yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list | tuple | ParseResults):
        for child in value:
            yield from _nodes(child)


def _field(node: Any, key: str) -> Any:
    """A parse-tree node's field, or None (``CompValue.get`` returns the key itself when missing)."""
    return dict.get(node, key)


def _is_var(term: Any) -> bool:
    from rdflib import BNode, Variable

    return isinstance(term, Variable | BNode)  # blank nodes in a query act as variables


def _variables(value: Any) -> set[Any]:
    """Every variable mentioned anywhere under ``value`` (for BIND's expression)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if _is_var(value):
        return {value}
    if isinstance(value, CompValue):
        return set().union(*(_variables(child) for child in value.values()))
    if isinstance(value, list | tuple | ParseResults):
        return set().union(*(_variables(child) for child in value))
    return set()


def _triples(block: Any) -> list[tuple[Any, Any, Any]]:
    """The triple patterns of a ``TriplesBlock`` (each entry is s p o s p o ... for one subject)."""
    found = []
    for entry in _field(block, "triples") or []:
        terms = list(entry)
        found += [tuple(terms[i : i + 3]) for i in range(0, len(terms) - 2, 3)]
    return found


def _listed(value: Any) -> list[Any]:
    """A parse-tree field as a list: fields hold one node, or several in a list or ``ParseResults``."""
    from pyparsing import ParseResults

    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | ParseResults) else [value]


def _scope(node: Any) -> set[Any]:
    """The variables a graph pattern binds (a sub-select binds only what it projects)."""
    name = getattr(node, "name", "")
    if name in _GROUPS:
        return set().union(*(_scope(part) for part in _listed(_field(node, "part"))))
    if name == "TriplesBlock":
        return {t for triple in _triples(node) for t in triple if _is_var(t)}
    if name == "SubSelect":
        projection = [v for v in _listed(_field(node, "projection")) if hasattr(v, "name")]
        if not projection:  # SELECT *
            return _scope(_field(node, "where"))
        return {_field(v, "evar") or _field(v, "var") for v in projection}
    if name in ("OptionalGraphPattern", "GroupOrUnionGraphPattern"):
        return set().union(*(_scope(graph) for graph in _listed(_field(node, "graph"))))
    if name == "GraphGraphPattern":
        term = _field(node, "term")
        return _scope(_field(node, "graph")) | ({term} if _is_var(term) else set())
    if name == "InlineData":
        return {v for v in _listed(_field(node, "var")) if _is_var(v)}
    if name == "Bind":
        return {_field(node, "var")}
    return set()  # FILTER and MINUS bind nothing


def _heavy_reason(group: Any) -> str:
    """Why the parts of one group graph pattern make the query heavy, or '' if they do not."""
    parent: dict[Any, Any] = {}

    def find(x: Any) -> Any:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(variables: set[Any]) -> Any:
        first, *rest = variables
        for other in rest:
            parent[find(other)] = find(first)
        return first

    units, open_patterns = [], 0
    for part in _listed(_field(group, "part")):
        name = getattr(part, "name", "")
        if name == "TriplesBlock":
            for triple in _triples(part):
                variables = {t for t in triple if _is_var(t)}
                open_patterns += all(_is_var(t) for t in triple)
                if variables:
                    units.append(join(variables))
        elif name == "Bind":
            join(_variables(_field(part, "expr")) | {_field(part, "var")})
        elif name not in ("Filter", "MinusGraphPattern"):
            variables = _scope(part)
            if variables:
                units.append(join(variables))
    groups = len({find(unit) for unit in units})
    if groups > 1:
        return f"a cartesian product: {groups} groups of patterns share no variable"
    if open_patterns > 1:
        return f"{open_patterns} triple patterns that fix no term are joined"
    return ""
