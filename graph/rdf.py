"""The RDF stage: ``ArticleResult`` records in, rdflib graphs and files out.

Every node is an IRI minted from content (actor ids, article ids, a hash of a statement's fields), with
no blank nodes and no timestamps, so building the same articles twice gives the same triples, and
appending new articles to an existing graph is a set union (see :func:`merge_into`). Each relation
becomes a statement node (``ck:Relation``) carrying its evidence and provenance, plus a direct
"truthy" actor-to-actor triple when its modality makes it an edge. Term names come from
:mod:`graph.vocab`; the model is documented in ``ontology/README.md``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import InputError, OutputError
from graph.records import Actor, Article, ArticleResult, Relation
from graph.vocab import (
    ACTOR_CLASS,
    CK,
    CKM,
    CKR,
    CKT,
    ID,
    PROV,
    RELATION_PROPERTY,
    SCHEMA,
    SEM,
    WD,
    actor_iri,
    actor_type_iri,
    article_iri,
    modality_iri,
    relation_type_iri,
)

__all__ = [
    "FORMATS",
    "actor_triples",
    "bind_prefixes",
    "gazetteer_graph",
    "merge_into",
    "read_graph",
    "result_triples",
    "statement_iri",
    "to_dataset",
    "to_graph",
    "write_graph",
]

if TYPE_CHECKING:
    from graph.gazetteer import Gazetteer

log = logging.getLogger(__name__)

Triple = tuple[Node, Node, Node]

#: Output formats of :func:`write_graph` and the file extension each conventionally uses.
FORMATS: dict[str, str] = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "json-ld": ".jsonld"}

# File extension -> rdflib parser name, for read_graph.
_PARSERS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".nquads": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}

_PREFIXES: dict[str, str] = {
    "ck": str(CK._NS),
    "ckr": str(CKR),
    "ckt": str(CKT),
    "ckm": str(CKM),
    "actor": str(ID["actor/"]),
    "article": str(ID["article/"]),
    "statement": str(ID["statement/"]),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "wd": str(WD),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind our small prefix set (rdflib's default binds ~30 we never use)."""
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def _new_graph() -> Graph:
    return bind_prefixes(Graph(bind_namespaces="none"))


def statement_iri(relation: Relation) -> URIRef:
    """The IRI of a statement, a hash of the fields that make it a distinct statement."""
    parts = (
        relation.article_id,
        relation.kind.value,
        relation.source_id,
        relation.target_id,
        str(relation.evidence.start),
        str(relation.evidence.end),
        relation.trigger,
        relation.modality.value,
    )
    # \x1f (unit separator) cannot occur in ids, so different field splits never collide.
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return ID[f"statement/{digest}"]


def actor_triples(actor: Actor) -> Iterator[Triple]:
    """Every fact about one canonical actor (the same for built graphs and the gazetteer)."""
    node = actor_iri(actor.id)
    yield node, RDF.type, CK.Actor
    yield node, RDF.type, ACTOR_CLASS[actor.type]
    yield node, CK.actorType, actor_type_iri(actor.type)
    yield node, RDFS.label, Literal(actor.label)
    for alias in actor.aliases:
        if alias != actor.label:
            yield node, SKOS.altLabel, Literal(alias)
    if actor.country:
        yield node, CK.countryCode, Literal(actor.country)
    if actor.acts_for:
        yield node, CK.actsFor, actor_iri(actor.acts_for)
    if actor.operates_in:
        yield node, CK.operatesIn, Literal(actor.operates_in)
    if actor.wikidata:
        yield node, OWL.sameAs, WD[actor.wikidata]


def _article_triples(article: Article) -> Iterator[Triple]:
    node = article_iri(article.id)
    yield node, RDF.type, CK.Article
    yield node, RDF.type, SCHEMA.NewsArticle
    yield node, SCHEMA.identifier, Literal(article.id)
    if article.date is not None:
        yield node, SCHEMA.datePublished, Literal(article.date.isoformat(), datatype=XSD.date)
    if article.title:
        yield node, SCHEMA.headline, Literal(article.title)
    if article.url:
        yield node, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)
    if article.source:
        yield node, SCHEMA.publisher, Literal(article.source)
    if article.dateline:
        yield node, CK.dateline, Literal(article.dateline)


def _decimal(value: float) -> Literal:
    # str(round(...)) gives the shortest form ("0.9", not "0.900"), the same on every run.
    return Literal(Decimal(str(round(float(value), 3))), datatype=XSD.decimal)


def _relation_triples(relation: Relation) -> Iterator[Triple]:
    node = statement_iri(relation)
    source, target = actor_iri(relation.source_id), actor_iri(relation.target_id)
    yield node, RDF.type, CK.Relation
    yield node, CK.source, source
    yield node, CK.target, target
    yield node, CK.relationType, relation_type_iri(relation.kind)
    yield node, CK.modality, modality_iri(relation.modality)
    yield node, CK.isEdge, Literal(relation.is_edge)
    yield node, CK.evidence, Literal(relation.evidence.text)
    yield node, CK.evidenceStart, Literal(relation.evidence.start, datatype=XSD.integer)
    yield node, CK.evidenceEnd, Literal(relation.evidence.end, datatype=XSD.integer)
    yield node, CK.sourceMention, Literal(relation.source_mention.text)
    yield node, CK.targetMention, Literal(relation.target_mention.text)
    if relation.trigger:
        yield node, CK.trigger, Literal(relation.trigger)
    yield node, CK.extractor, Literal(relation.extractor)
    yield node, CK.confidence, _decimal(relation.confidence)
    yield node, PROV.wasDerivedFrom, article_iri(relation.article_id)
    if relation.date is not None:
        yield node, SEM.hasTimeStamp, Literal(relation.date.isoformat(), datatype=XSD.date)
    if relation.place:
        yield node, CK.placeName, Literal(relation.place)
    if relation.fatalities is not None:
        yield node, CK.fatalities, Literal(relation.fatalities, datatype=XSD.integer)
    if relation.attributed_to:
        yield node, CK.attributedTo, Literal(relation.attributed_to)
    if relation.event_id:
        event = ID[f"event/{relation.event_id}"]
        yield node, CK.event, event
        yield event, RDF.type, CK.Event
    if relation.is_edge:
        yield source, RELATION_PROPERTY[relation.kind], target


def result_triples(result: ArticleResult) -> Iterator[Triple]:
    """Every triple for one article: the article, its actors, its statements and their edges."""
    yield from _article_triples(result.article)
    for actor in result.actors:
        yield from actor_triples(actor)
    for relation in result.relations:
        yield from _relation_triples(relation)


def to_graph(results: Iterable[ArticleResult]) -> Graph:
    """One graph of all articles; actors shared between articles merge because their IRIs are equal."""
    graph = _new_graph()
    for result in results:
        for triple in result_triples(result):
            graph.add(triple)
    return graph


def to_dataset(results: Iterable[ArticleResult]) -> Dataset:
    """A dataset with one named graph per article (graph IRI = article IRI), for N-Quads.

    Actors appear in every article graph that mentions them, so each graph stands alone.
    """
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for result in results:
        named = dataset.graph(article_iri(result.article.id))
        for triple in result_triples(result):
            named.add(triple)
    return dataset


def gazetteer_graph(gaz: Gazetteer) -> Graph:
    """The gazetteer's actors as RDF (the same actor triples as built graphs), for SHACL checks."""
    graph = _new_graph()
    for actor in sorted(gaz.actors.values(), key=lambda a: a.id):
        for triple in actor_triples(actor):
            graph.add(triple)
    return graph


def _sorted_lines(text: str) -> str:
    # split on "\n" only: str.splitlines() also breaks at U+2028 inside a literal
    lines = sorted({line for line in text.split("\n") if line.strip()})
    return "\n".join(lines) + ("\n" if lines else "")


def serialize_graph(graph: Graph, fmt: str) -> str:
    """The text of ``graph`` in ``fmt`` (turtle, nt, nquads or json-ld), deterministic.

    N-Triples and N-Quads are sorted line by line, so two builds of the same input compare
    byte-identical; a plain ``Graph`` written as N-Quads lands in the default graph.
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown RDF format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "nquads":
        if isinstance(graph, Dataset):
            return _sorted_lines(graph.serialize(format="nquads"))
        return _sorted_lines(graph.serialize(format="nt"))
    if isinstance(graph, Dataset) and fmt in ("turtle", "nt"):
        flat = _new_graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            flat.add((s, p, o))
        graph = flat
    if fmt == "nt":
        return _sorted_lines(graph.serialize(format="nt"))
    if fmt == "json-ld":
        context = {prefix: ns for prefix, ns in _PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, sort_keys=True, indent=2)
    return graph.serialize(format="turtle")


def write_graph(graph: Graph, path: Path, fmt: str) -> None:
    """Write ``graph`` (or a ``Dataset``) to ``path`` atomically in ``fmt``.

    Raises:
        OutputError: unknown format, or the file cannot be written.
    """
    from graph.io import write_atomic

    text = serialize_graph(graph, fmt)
    try:
        write_atomic(path, text)
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(f"{path}: cannot write the graph ({reason}); check the folder") from exc


def _format_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _PARSERS:
        known = ", ".join(sorted(_PARSERS))
        raise InputError(f"{path}: unknown RDF file extension {suffix or '(none)'!r}; use one of {known}")
    return _PARSERS[suffix]


def read_graph(path: Path) -> Graph:
    """Read a Turtle, N-Triples, N-Quads or JSON-LD file (by extension) into one graph.

    Named graphs (N-Quads, JSON-LD) are merged into one graph, which is what queries want.

    Raises:
        InputError: the file is missing, has an unknown extension, or does not parse.
    """
    path = Path(path)
    fmt = _format_for(path)
    if not path.is_file():
        raise InputError(f"{path}: no such graph file; build one with `conflictkg build` first")
    graph = _new_graph()
    try:
        if fmt in ("nquads", "json-ld"):
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many unrelated exception types for bad syntax
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{path}: not valid {fmt} ({first[:200]})") from exc
    bind_prefixes(graph)
    return graph


def merge_into(existing: Path, new: Graph) -> Graph:
    """The graph in ``existing`` plus ``new``: appending, since equal content means equal IRIs.

    A missing ``existing`` file is treated as an empty graph, so the first ``--append`` run works.
    """
    existing = Path(existing)
    merged = read_graph(existing) if existing.exists() else _new_graph()
    for triple in new:
        merged.add(triple)
    return merged
