"""The validation stage: an rdflib graph in, plain-English SHACL violations out.

The shapes (``ontology/shapes.ttl``) cover both graphs built by conflictkg and the gazetteer graph
(:func:`graph.rdf.gazetteer_graph`). The ontology is mixed in while validating because some
constraints read it (which property a relation type produces, which class an actor type means).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from rdflib import RDF, Graph, Namespace
from rdflib.term import Node

from graph.errors import OntologyError

__all__ = ["load_ontology", "load_shapes", "validate"]

log = logging.getLogger(__name__)

SH = Namespace("http://www.w3.org/ns/shacl#")


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


def validate(graph: Graph, shapes: Graph | None = None) -> list[str]:
    """Check ``graph`` against the shapes; return one plain-English line per violation, sorted.

    An empty list means the graph conforms. Each line names the node, the property and what is
    wrong, e.g. ``actor:tur rdfs:label: an actor needs exactly one rdfs:label (...)``.
    """
    import pyshacl

    shapes_graph = shapes if shapes is not None else load_shapes()
    conforms, report, _text = pyshacl.validate(
        data_graph=graph,
        shacl_graph=shapes_graph,
        ont_graph=load_ontology(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    if conforms:
        return []
    names = Graph(bind_namespaces="none")
    from graph.rdf import bind_prefixes

    bind_prefixes(names)
    names.bind("rdf", str(RDF))
    messages: set[str] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = _short(names, report.value(result, SH.focusNode))
        path = _short(names, report.value(result, SH.resultPath))
        message = str(report.value(result, SH.resultMessage) or "does not match its shape")
        value = report.value(result, SH.value)
        where = f"{focus} {path}".strip()
        line = f"{where}: {message}"
        if value is not None and not message.endswith(_short(names, value)):
            line += f" (found {_short(names, value)})"
        messages.add(line)
    log.info("SHACL: %d violation(s)", len(messages))
    return sorted(messages)
