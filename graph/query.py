"""The query stage: SPARQL (named ``.rq`` files or raw text) with bindings, over rdflib or Oxigraph.

Named queries live in ``graph/queries/*.rq``; each starts with a comment saying what it answers,
its bindings (``# @bind NAME required|optional: ...``) and its columns. Binding values never go
into the query text as user strings: each value is first turned into an RDF term (an IRI that is
checked, a literal, a resolved actor). rdflib gets the terms through ``initBindings``; Oxigraph,
and rdflib for queries with subqueries (which ``initBindings`` do not reach), get a ``VALUES`` row
of the terms serialised by pyoxigraph or rdflib, opening the query's ``WHERE`` group and each
subquery's (so ``FILTER(!BOUND(?actor) || ...)`` sees it). Both engines give the same answers.

An actor binding may be an IRI (``<https://...>``, ``https://...`` or ``actor:tur``) or a label,
resolved by a normalised match on ``rdfs:label``, then on ``skos:altLabel``, then as a bare actor id
(``tur``); a label naming two actors is an error unless exactly one matches it exactly.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryError
from graph.records import ActorType, Modality, RelationKind
from graph.vocab import CKM, CKR, CKT

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "FORMATS",
    "QueryResult",
    "format_result",
    "load_query",
    "parse_bindings",
    "query_bindings",
    "query_names",
    "resolve_binding",
    "run_query",
]

log = logging.getLogger(__name__)

FORMATS = ("table", "csv", "json")

_ACTOR_VARS = frozenset({"actor", "source", "target", "state", "backer", "partner", "actor_a", "actor_b"})
_DATE_VARS = frozenset({"from", "to", "date", "start", "end", "since", "until"})
_CONCEPTS: dict[str, tuple[type, Any]] = {
    "relation": (RelationKind, CKR),
    "relation_type": (RelationKind, CKR),
    "modality": (Modality, CKM),
    "actor_type": (ActorType, CKT),
}
_BIND_LINE = re.compile(r"^#\s*@bind\s+([A-Za-z_][A-Za-z0-9_]*)\s+(required|optional)\b", re.MULTILINE)
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_SCHEME = re.compile(r"^(https?|urn|ftp|file|mailto):", re.IGNORECASE)
_LABELS_QUERY = """
PREFIX ck: <https://w3id.org/conflictkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?actor ?label ?kind WHERE {
  ?actor ck:actorType ?type .
  { ?actor rdfs:label ?label BIND ("label" AS ?kind) }
  UNION
  { ?actor skos:altLabel ?label BIND ("alias" AS ?kind) }
}"""


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of a query as plain strings (IRIs and literal lexical forms); ``None`` for unbound.

    ``ASK`` gives one column ``ask`` with ``"true"``/``"false"``; ``CONSTRUCT``/``DESCRIBE`` give
    the columns ``subject``, ``predicate``, ``object``.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]


# --- loading ---------------------------------------------------------------------------------------


def query_names() -> list[str]:
    """The names of the shipped queries (``@name`` on the command line)."""
    from graph.resources import queries_dir

    return sorted(p.stem for p in queries_dir().glob("*.rq"))


def load_query(name_or_text: str) -> str:
    """SPARQL text from ``@name`` (a shipped query), ``@path.rq`` (a file) or the text itself.

    Raises:
        QueryError: the named query or file does not exist.
    """
    if not name_or_text.startswith("@"):
        return name_or_text
    ref = name_or_text[1:]
    if ref.endswith(".rq") or "/" in ref or "\\" in ref:
        path = Path(ref).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"{path}: no such query file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read the query file ({exc})") from exc
    from graph.resources import queries_dir

    path = queries_dir() / f"{ref}.rq"
    if not path.is_file():
        raise QueryError(f"no named query {ref!r}; the shipped ones are: {', '.join(query_names())}")
    return path.read_text(encoding="utf-8")


def query_bindings(text: str) -> dict[str, bool]:
    """The bindings a query's header declares: variable name -> required."""
    return {m.group(1): m.group(2) == "required" for m in _BIND_LINE.finditer(text)}


# --- bindings ----------------------------------------------------------------------------------------


def _expand_prefixed(value: str) -> str | None:
    from graph.rdf import _PREFIXES

    prefix, sep, local = value.partition(":")
    if sep and prefix in _PREFIXES and " " not in local:
        return _PREFIXES[prefix] + local
    return None


def _as_iri(value: str) -> URIRef | None:
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if _IRI_SCHEME.match(value) and " " not in value:
        return URIRef(value)
    expanded = _expand_prefixed(value)
    return URIRef(expanded) if expanded else None


def _select(source: Graph | pyoxigraph.Store, text: str) -> list[tuple[str | None, ...]]:
    return list(_execute(source, text, {}).rows)


def _actor_by_id(source: Graph | pyoxigraph.Store, actor_id: str) -> URIRef | None:
    """The actor IRI for a bare actor id (``tur``), if that actor is in the graph."""
    from graph.vocab import CK, actor_iri

    if not re.match(r"^[a-z0-9]+(?:_[a-z0-9]+)*$", actor_id):
        return None
    iri = actor_iri(actor_id)
    if isinstance(source, Graph):
        return iri if (iri, CK.actorType, None) in source else None
    import pyoxigraph as ox

    quads = source.quads_for_pattern(ox.NamedNode(str(iri)), ox.NamedNode(str(CK.actorType)), None, None)
    return iri if next(iter(quads), None) is not None else None


def _resolve_actor(source: Graph | pyoxigraph.Store, name: str, value: str) -> URIRef:
    from graph.gazetteer import normalize

    wanted = normalize(value)
    found: dict[str, dict[str, set[str]]] = {"label": {}, "alias": {}}
    for actor, label, kind in _select(source, _LABELS_QUERY):
        if actor and label and kind in found and normalize(label) == wanted:
            found[kind].setdefault(actor, set()).add(label)
    for kind in ("label", "alias"):
        matches = found[kind]
        if len(matches) > 1:
            exact = [a for a, labels in matches.items() if value in labels]
            if len(exact) == 1:
                return URIRef(exact[0])
            listed = ", ".join(f"<{a}>" for a in sorted(matches))
            raise QueryError(f"--bind {name}={value!r} is ambiguous: it names {listed}; bind the IRI instead")
        if matches:
            return URIRef(next(iter(matches)))
    by_id = _actor_by_id(source, value.strip())
    if by_id is not None:
        return by_id
    raise QueryError(
        f"--bind {name}={value!r}: no actor has that label, alias or id in this graph; "
        "run the `actors` query (@actors) to list them, or bind an IRI"
    )


def resolve_binding(source: Graph | pyoxigraph.Store, name: str, value: str) -> Node:
    """Turn one ``--bind name=value`` into an RDF term.

    Actor variables (``actor``, ``source``, ``target``, ...) take an IRI or a label; ``relation``,
    ``modality`` and ``actor_type`` take a concept name (``attacked``) or IRI; date variables
    (``from``, ``to``, ...) take ``YYYY-MM-DD``; anything else is an IRI if it looks like one,
    else a plain string literal.

    Raises:
        QueryError: the value does not resolve, or resolves to more than one actor.
    """
    if name in _ACTOR_VARS:
        iri = _as_iri(value)
        return iri if iri is not None else _resolve_actor(source, name, value)
    if name in _CONCEPTS:
        enum, namespace = _CONCEPTS[name]
        iri = _as_iri(value)
        if iri is not None:
            return iri
        try:
            return namespace[enum(value.strip()).value]
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise QueryError(f"--bind {name}={value!r}: not one of {allowed}") from None
    if name in _DATE_VARS:
        import datetime as dt

        try:
            return Literal(dt.date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"--bind {name}={value!r}: expected a date like 2020-03-01") from None
    iri = _as_iri(value)
    return iri if iri is not None else Literal(value)


def _check_bindings(text: str, bindings: Mapping[str, str]) -> None:
    declared = query_bindings(text)
    for name in bindings:
        if not _VAR_NAME.match(name):
            raise QueryError(f"--bind {name}=...: {name!r} is not a SPARQL variable name")
        if not re.search(rf"[?$]{re.escape(name)}\b", text):
            known = ", ".join(sorted(declared)) or "none declared"
            raise QueryError(f"--bind {name}=...: the query has no ?{name} variable (its bindings: {known})")
    missing = [n for n, required in declared.items() if required and n not in bindings]
    if missing:
        flags = " ".join(f"--bind {n}=..." for n in missing)
        raise QueryError(f"this query needs {flags}")


# --- execution -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def _prepared(text: str) -> Any:
    """Parse and translate a query once; rdflib's first parse of a query is slow."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text)
    except Exception as exc:  # pyparsing.ParseException and friends
        raise QueryError(f"the query does not parse: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _rdflib_value(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _with_values(text: str, serialised: Mapping[str, str]) -> str:
    """The query with one ``VALUES`` row of already-serialised terms opening each WHERE group.

    Each subquery gets the row too, since SPARQL evaluates subqueries before joining them: a
    subquery grouping by ``?actor`` must see the bound actor, not every actor.
    """
    names = sorted(serialised)
    row = " ".join(serialised[n] for n in names)
    clause = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    for at in reversed(_where_braces(text)):
        text = text[:at] + clause + text[at:]
    return text


_SAFE_IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]+$')


def _rdflib_term(term: Node) -> str:
    """N-Triples form of a bound term; IRIs are checked, literals escaped by rdflib."""
    if isinstance(term, URIRef) and not _SAFE_IRI.match(str(term)):
        raise QueryError(f"cannot bind <{term}>: not a valid IRI")
    if not isinstance(term, URIRef | Literal):
        raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be bound")
    return term.n3()


def _run_rdflib(graph: Graph, text: str, terms: Mapping[str, Node]) -> QueryResult:
    # initBindings pre-bind variables, which keeps rdflib fast (a VALUES join made one query 100x
    # slower), but they do not reach subqueries that project the variable: those get VALUES rows.
    init: dict[str, Node] = dict(terms)
    if terms and len(_where_braces(text)) > 1:
        text, init = _with_values(text, {n: _rdflib_term(t) for n, t in terms.items()}), {}
    prepared = _prepared(text)
    try:
        result = graph.query(prepared, initBindings=init)
        if result.type == "ASK":
            return QueryResult(columns=("ask",), rows=((str(bool(result.askAnswer)).lower(),),))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            rows = sorted((str(s), str(p), str(o)) for s, p, o in result.graph)  # type: ignore[union-attr]
            return QueryResult(columns=("subject", "predicate", "object"), rows=tuple(rows))
        columns = tuple(str(v) for v in (result.vars or ()))
        rows_out = tuple(tuple(_rdflib_value(row[i]) for i in range(len(columns))) for row in result)  # type: ignore[index,arg-type]
    except RecursionError as exc:
        raise QueryError(
            "rdflib ran out of recursion depth on this query; load the graph into an Oxigraph store "
            "(`conflictkg load GRAPH --store DIR`) and query it with --store"
        ) from exc
    except QueryError:
        raise
    except Exception as exc:  # evaluation errors surface as many types in rdflib
        raise QueryError(f"the query failed: {_first_line(exc)}") from exc
    return QueryResult(columns=columns, rows=rows_out)


# Tokens that can contain "{" or "WHERE" without meaning them: comments, strings, IRIs, variables,
# prefixed names.
_TOKENS = re.compile(
    r"""(?P<skip>\#[^\n]*
        |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
        |<[^<>"{}|^`\\\s]*>
        |[?$][A-Za-z0-9_]+
        |[A-Za-z_][A-Za-z0-9_.-]*:[A-Za-z0-9_.:%-]*|:[A-Za-z0-9_.:%-]*)
      |(?P<brace>\{)
      |(?P<word>[A-Za-z]+)""",
    re.VERBOSE | re.DOTALL,
)


def _where_braces(text: str) -> list[int]:
    """Offsets just after each ``{`` that opens a WHERE group: the query's, then each subquery's."""
    found: list[int] = []
    pending: str | None = None  # a query form seen whose WHERE group has not opened yet
    seen_where = False
    for match in _TOKENS.finditer(text):
        if match.group("word"):
            word = match.group("word").upper()
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and pending is None:
                pending, seen_where = word, False
            elif word == "WHERE" and pending is not None:
                seen_where = True
        elif match.group("brace") and pending is not None and (pending != "CONSTRUCT" or seen_where):
            found.append(match.end())
            pending = None
    if not found:
        raise QueryError("cannot bind values: the query has no WHERE { ... } group")
    return found


def _to_oxigraph(term: Node) -> Any:
    import pyoxigraph as ox

    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    except ValueError as exc:
        raise QueryError(f"cannot bind {term!r}: {exc}") from exc
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be bound")


def _oxigraph_value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _run_oxigraph(store: pyoxigraph.Store, text: str, terms: Mapping[str, Node]) -> QueryResult:
    import pyoxigraph as ox

    if terms:
        # str() of a pyoxigraph term is its N-Triples form: checked and escaped by pyoxigraph.
        text = _with_values(text, {n: str(_to_oxigraph(t)) for n, t in terms.items()})
    try:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(columns=("ask",), rows=((str(bool(result)).lower(),),))
        if isinstance(result, ox.QueryTriples):
            rows = sorted((t.subject.value, t.predicate.value, str(t.object.value)) for t in result)
            return QueryResult(columns=("subject", "predicate", "object"), rows=tuple(rows))
        columns = tuple(v.value for v in result.variables)
        rows_out = tuple(tuple(_oxigraph_value(solution[c]) for c in columns) for solution in result)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {_first_line(exc)}") from exc
    except OSError as exc:
        raise QueryError(f"the store failed while querying: {_first_line(exc)}") from exc
    return QueryResult(columns=columns, rows=rows_out)


def _execute(source: Graph | pyoxigraph.Store, text: str, terms: Mapping[str, Node]) -> QueryResult:
    if isinstance(source, Graph):
        return _run_rdflib(source, text, terms)
    return _run_oxigraph(source, text, terms)


def run_query(
    source: Graph | pyoxigraph.Store, query: str, bindings: Mapping[str, str] | None = None
) -> QueryResult:
    """Run SPARQL ``query`` (text, as :func:`load_query` returns it) on a graph or an Oxigraph store.

    Args:
        source: an rdflib ``Graph`` (in memory) or a ``pyoxigraph.Store`` (see :mod:`graph.store`).
        query: SPARQL text.
        bindings: variable name -> value as typed by the user (see :func:`resolve_binding`).

    Raises:
        QueryError: the query does not parse, a binding is unknown, missing or does not resolve.
    """
    bindings = dict(bindings or {})
    _check_bindings(query, bindings)
    terms = {name: resolve_binding(source, name, value) for name, value in bindings.items()}
    result = _execute(source, query, terms)
    log.info("query returned %d row(s)", len(result.rows))
    return result


# --- output ---------------------------------------------------------------------------------------------


def _shorten(value: str) -> str:
    from graph.rdf import _PREFIXES

    for prefix, namespace in _PREFIXES.items():
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return value


def _table(result: QueryResult, width: int = 80) -> str:
    def cell(value: str | None) -> str:
        text = "" if value is None else _shorten(value).replace("\n", " ")
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = [[cell(v) for v in row] for row in result.rows]
    widths = [len(c) for c in result.columns]
    for row in rows:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render rows as an aligned ``table`` (IRIs shortened), ``csv`` (header row, full values) or
    ``json`` (a list of objects, one per row, column -> value or null; not SPARQL JSON results).

    Raises:
        QueryError: unknown format.
    """
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(["" if v is None else v for v in row] for row in result.rows)
        return buffer.getvalue()
    if fmt == "json":
        objects = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")


def parse_bindings(pairs: Sequence[str]) -> dict[str, str]:
    """``["actor=Turkey", ...]`` from the command line -> ``{"actor": "Turkey"}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--bind {pair!r}: expected NAME=VALUE, e.g. --bind actor=Turkey")
        out[name.strip().lstrip("?$")] = value
    return out
