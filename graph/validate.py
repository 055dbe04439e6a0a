"""The validation stage: an rdflib graph in, plain-English SHACL violations out.

The shapes (``ontology/shapes.ttl``) cover both graphs built by conflictkg and the gazetteer graph
(:func:`graph.rdf.gazetteer_graph`). The ontology is added to (a copy of) the data while validating
because some constraints read it (which property a relation type produces, which class an actor
type means).
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from graph.errors import OntologyError

__all__ = ["load_ontology", "load_shapes", "validate"]

log = logging.getLogger(__name__)

SH = Namespace("http://www.w3.org/ns/shacl#")
_IRI = re.compile(r"https?://[^\s<>\"{}|^`]+[^\s<>\"{}|^`.,;:)]")


def _parse(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise OntologyError(f"{path}: missing; reinstall conflictkg") from exc
    except Exception as exc:  # rdflib raises many exception types for bad syntax
        raise OntologyError(f"{path}: not valid Turtle ({str(exc).splitlines()[0][:200]})") from exc
    return graph


@functools.lru_cache(maxsize=4)
def load_shapes(path: Path | None = None) -> Graph:
    """The SHACL shapes graph (default: the shipped ``ontology/shapes.ttl``); parsed once."""
    if path is None:
        from graph.resources import ontology_dir

        path = ontology_dir() / "shapes.ttl"
    return _parse(path)


@functools.lru_cache(maxsize=4)
def load_ontology(path: Path | None = None) -> Graph:
    """The ontology graph (default: the shipped ``ontology/conflictkg.ttl``); parsed once."""
    if path is None:
        from graph.resources import ontology_dir

        path = ontology_dir() / "conflictkg.ttl"
    return _parse(path)


def _short(graph: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    try:
        return node.n3(graph.namespace_manager)
    except Exception:  # a term rdflib cannot abbreviate
        return str(node)


def _acts_for_loops(graph: Graph, names: Graph) -> list[str]:
    """Actors whose ``ck:actsFor`` chain comes back to them (SHACL core cannot say this cheaply)."""
    from graph.vocab import CK

    parent = {s: o for s, o in graph.subject_objects(CK.actsFor)}
    found = []
    for start in parent:
        node, seen = parent.get(start), {start}
        while node is not None and node not in seen:
            seen.add(node)
            node = parent.get(node)
        if node == start:
            found.append(f"{_short(names, start)} ck:actsFor: the ck:actsFor chain of this actor loops back")
    return found


def validate(graph: Graph, shapes: Graph | None = None) -> list[str]:
    """Check ``graph`` against the shapes; return one plain-English line per violation, sorted.

    An empty list means the graph conforms. Each line names the node, the property and what is
    wrong, e.g. ``actor:tur rdfs:label: an actor needs exactly one rdfs:label (...)``.
    """
    import pyshacl

    shapes_graph = shapes if shapes is not None else load_shapes()
    # The ontology joins the data (a copy): pyshacl's ont_graph is only mixed in when it infers.
    data = Graph(bind_namespaces="none")
    for triple in graph:
        data.add(triple)
    for triple in load_ontology():
        data.add(triple)
    conforms, report, _text = pyshacl.validate(
        data_graph=data,
        shacl_graph=shapes_graph,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    names = Graph(bind_namespaces="none")
    from graph.rdf import bind_prefixes

    bind_prefixes(names)
    names.bind("rdf", str(RDF))
    messages: set[str] = set()
    results = [] if conforms else list(report.subjects(RDF.type, SH.ValidationResult))
    for result in results:
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = _short(names, report.value(result, SH.focusNode))
        path = _short(names, report.value(result, SH.resultPath))
        message = _IRI.sub(
            lambda m: _short(names, URIRef(m.group(0))),
            str(report.value(result, SH.resultMessage) or "does not match its shape"),
        )
        value = report.value(result, SH.value)
        where = f"{focus} {path}".strip()
        line = f"{where}: {message}"
        shown = _short(names, value)
        if value is not None and value != report.value(result, SH.focusNode) and shown not in message:
            line += f" (found {shown})"
        messages.add(line)
    messages.update(_acts_for_loops(graph, names))
    log.info("SHACL: %d violation(s)", len(messages))
    return sorted(messages)
