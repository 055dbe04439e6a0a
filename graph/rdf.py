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
    DCTERMS,
    GEO,
    ID,
    PLOVER,
    PROV,
    RELATION_PROPERTY,
    SCHEMA,
    SEM,
    WD,
    actor_iri,
    actor_type_iri,
    article_iri,
    dataset_iri,
    geometry_iri,
    modality_iri,
    record_iri,
    relation_type_iri,
)

__all__ = [
    "FORMATS",
    "NTriplesTerms",
    "RdflibTerms",
    "actor_triples",
    "bind_prefixes",
    "dataset_triples",
    "gazetteer_graph",
    "merge_into",
    "read_graph",
    "result_triples",
    "statement_iri",
    "statement_triples",
    "to_dataset",
    "to_graph",
    "write_graph",
]

if TYPE_CHECKING:
    from graph.gazetteer import Gazetteer

log = logging.getLogger(__name__)

Triple = tuple[Node | str, Node | str, Node | str]  # rdflib nodes, or N-Triples text

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
    if relation.dataset is not None:  # a dataset row: its dataset and own id, not article offsets
        ds = relation.dataset
        parts: tuple[str, ...] = (
            "dataset",
            ds.dataset,
            ds.event_id,
            relation.kind.value,
            relation.source_id,
            relation.target_id,
            relation.modality.value,
        )
        digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
        return ID[f"statement/{digest}"]
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


class RdflibTerms:
    """Terms as rdflib nodes, for graphs."""

    @staticmethod
    def iri(value: str) -> URIRef:
        return value if type(value) is URIRef else URIRef(value)

    @staticmethod
    def lit(value: str, datatype: str | None = None) -> Literal:
        return Literal(value, datatype=datatype)


class NTriplesTerms:
    """Terms as N-Triples text, written exactly as rdflib's N-Triples serializer writes them.

    A build writes every triple once as a line and never needs the nodes; making them as strings
    costs a fifth of making rdflib nodes and asking for their N-Triples form.
    """

    @staticmethod
    def iri(value: str) -> str:
        return f"<{value}>"

    @staticmethod
    def lit(value: str, datatype: str | None = None) -> str:
        quoted = value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
        return f'"{quoted}"^^<{datatype}>' if datatype else f'"{quoted}"'


Terms = RdflibTerms | NTriplesTerms
_RDFLIB = RdflibTerms()


def actor_triples(actor: Actor, t: Terms = _RDFLIB) -> Iterator[Triple]:
    """Every fact about one canonical actor (the same for built graphs and the gazetteer)."""
    node = t.iri(actor_iri(actor.id))
    a = t.iri(RDF.type)
    yield node, a, t.iri(CK.Actor)
    yield node, a, t.iri(ACTOR_CLASS[actor.type])
    yield node, t.iri(CK.actorType), t.iri(actor_type_iri(actor.type))
    yield node, t.iri(RDFS.label), t.lit(actor.label)
    for alias in actor.aliases:
        if alias != actor.label:
            yield node, t.iri(SKOS.altLabel), t.lit(alias)
    if actor.country:
        yield node, t.iri(CK.countryCode), t.lit(actor.country)
    if actor.acts_for:
        yield node, t.iri(CK.actsFor), t.iri(actor_iri(actor.acts_for))
    if actor.operates_in:
        yield node, t.iri(CK.operatesIn), t.lit(actor.operates_in)
    if actor.wikidata:
        yield node, t.iri(OWL.sameAs), t.iri(WD[actor.wikidata])
    for dataset_id in actor.dataset_ids:
        yield node, t.iri(CK.datasetActorId), t.lit(dataset_id)
    yield node, t.iri(CK.linked), t.lit("true" if actor.linked else "false", XSD.boolean)


def _article_triples(article: Article, t: Terms) -> Iterator[Triple]:
    node = t.iri(article_iri(article.id))
    yield node, t.iri(RDF.type), t.iri(CK.Article)
    yield node, t.iri(RDF.type), t.iri(SCHEMA.NewsArticle)
    yield node, t.iri(SCHEMA.identifier), t.lit(article.id)
    if article.date is not None:
        yield node, t.iri(SCHEMA.datePublished), t.lit(article.date.isoformat(), XSD.date)
    if article.title:
        yield node, t.iri(SCHEMA.headline), t.lit(article.title)
    if article.url:
        yield node, t.iri(SCHEMA.url), t.lit(article.url, XSD.anyURI)
    if article.source:
        yield node, t.iri(SCHEMA.publisher), t.lit(article.source)
    if article.dateline:
        yield node, t.iri(CK.dateline), t.lit(article.dateline)


def _decimal(value: float) -> str:
    # str(round(...)) gives the shortest form ("0.9", not "0.900"), the same on every run.
    return str(Decimal(str(round(float(value), 3))))


def _relation_triples(relation: Relation, t: Terms) -> Iterator[Triple]:
    node = t.iri(statement_iri(relation))
    source, target = t.iri(actor_iri(relation.source_id)), t.iri(actor_iri(relation.target_id))
    yield node, t.iri(RDF.type), t.iri(CK.Relation)
    yield node, t.iri(CK.source), source
    yield node, t.iri(CK.target), target
    yield node, t.iri(CK.relationType), t.iri(relation_type_iri(relation.kind))
    yield node, t.iri(CK.modality), t.iri(modality_iri(relation.modality))
    yield node, t.iri(CK.isEdge), t.lit("true" if relation.is_edge else "false", XSD.boolean)
    yield node, t.iri(CK.evidence), t.lit(relation.evidence.text)
    yield node, t.iri(CK.evidenceStart), t.lit(str(relation.evidence.start), XSD.integer)
    yield node, t.iri(CK.evidenceEnd), t.lit(str(relation.evidence.end), XSD.integer)
    yield node, t.iri(CK.sourceMention), t.lit(relation.source_mention.text)
    yield node, t.iri(CK.targetMention), t.lit(relation.target_mention.text)
    if relation.trigger:
        yield node, t.iri(CK.trigger), t.lit(relation.trigger)
    yield node, t.iri(CK.extractor), t.lit(relation.extractor)
    yield node, t.iri(CK.confidence), t.lit(_decimal(relation.confidence), XSD.decimal)
    if relation.dataset is None:
        yield node, t.iri(PROV.wasDerivedFrom), t.iri(article_iri(relation.article_id))
    else:
        yield from _dataset_triples(node, relation, t)
    if relation.point is not None:
        lat, lon = relation.point
        geometry = t.iri(geometry_iri(lat, lon))
        yield node, t.iri(GEO.hasGeometry), geometry
        yield geometry, t.iri(RDF.type), t.iri(GEO.Geometry)
        yield geometry, t.iri(GEO.asWKT), t.lit(f"POINT({lon:.5f} {lat:.5f})", GEO.wktLiteral)
    if relation.date is not None:
        yield node, t.iri(SEM.hasTimeStamp), t.lit(relation.date.isoformat(), XSD.date)
    if relation.place:
        yield node, t.iri(CK.placeName), t.lit(relation.place)
    if relation.fatalities is not None:
        yield node, t.iri(CK.fatalities), t.lit(str(relation.fatalities), XSD.integer)
    if relation.attributed_to:
        yield node, t.iri(CK.attributedTo), t.lit(relation.attributed_to)
    if relation.event_id:
        event = t.iri(ID[f"event/{relation.event_id}"])
        yield node, t.iri(CK.event), event
        yield event, t.iri(RDF.type), t.iri(CK.Event)
        if relation.dataset is not None:  # graph.fusion recounts when articles report it too
            yield event, t.iri(CK.sourceCount), t.lit("1", XSD.integer)
    if relation.is_edge:
        yield source, t.iri(RELATION_PROPERTY[relation.kind]), target


def _dataset_triples(node, relation: Relation, t: Terms) -> Iterator[Triple]:
    """Provenance of a dataset statement: its row (a prov:Entity), the release, the licence."""
    ds = relation.dataset
    assert ds is not None  # only called for dataset statements
    record, release = t.iri(record_iri(ds.dataset, ds.event_id)), t.iri(dataset_iri(ds.dataset, ds.release))
    yield node, t.iri(PROV.wasDerivedFrom), record
    yield node, t.iri(CK.datasetConcept), t.lit(ds.concept)
    yield node, t.iri(CK.initiatorKnown), t.lit("true" if ds.initiator_known else "false", XSD.boolean)
    if ds.cameo:
        yield node, t.iri(CK.cameoCode), t.lit(ds.cameo)
    if ds.plover:
        yield node, t.iri(CK.ploverCategory), t.iri(PLOVER[ds.plover])
    if ds.admin_area:
        yield node, t.iri(CK.adminArea), t.lit(ds.admin_area)
    yield record, t.iri(RDF.type), t.iri(CK.DatasetRecord)
    yield record, t.iri(RDF.type), t.iri(PROV.Entity)
    yield record, t.iri(CK.dataset), release
    yield record, t.iri(CK.datasetEventId), t.lit(ds.event_id)
    yield record, t.iri(SCHEMA.identifier), t.lit(f"{ds.dataset}:{ds.event_id}")
    if ds.file:
        yield record, t.iri(CK.sourceFile), t.lit(ds.file)
        yield record, t.iri(CK.sourceLine), t.lit(str(ds.line), XSD.integer)


def dataset_triples(
    dataset: str, release: str | None, label: str, licence: str, publisher: str, t: Terms = _RDFLIB
) -> Iterator[Triple]:
    """The node of one dataset release: its label, release, licence and publisher."""
    node = t.iri(dataset_iri(dataset, release))
    yield node, t.iri(RDF.type), t.iri(CK.Dataset)
    yield node, t.iri(RDF.type), t.iri(PROV.Entity)
    yield node, t.iri(RDFS.label), t.lit(f"{label} {release}" if release else label)
    yield node, t.iri(SCHEMA.identifier), t.lit(dataset)
    if release:
        yield node, t.iri(CK.release), t.lit(release)
    yield node, t.iri(DCTERMS.license), t.iri(licence)
    yield node, t.iri(SCHEMA.publisher), t.lit(publisher)


def statement_triples(relation: Relation, t: Terms = _RDFLIB) -> Iterator[Triple]:
    """Every triple of one statement: its node, provenance, place and direct edge."""
    return _relation_triples(relation, t)


def result_triples(result: ArticleResult, t: Terms = _RDFLIB) -> Iterator[Triple]:
    """Every triple for one article: the article, its actors, its statements and their edges.

    ``t`` makes the terms: rdflib nodes by default, N-Triples text with :class:`NTriplesTerms`.
    """
    yield from _article_triples(result.article, t)
    for actor in result.actors:
        yield from actor_triples(actor, t)
    for relation in result.relations:
        yield from _relation_triples(relation, t)


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
