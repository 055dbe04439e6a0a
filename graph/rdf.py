"""The RDF stage: ``ArticleResult`` records in, rdflib graphs and files out.

Every node is an IRI minted from content (actor ids, article ids, a hash of a statement's fields), with
no blank nodes and no timestamps, so building the same articles twice gives the same triples, and
appending new articles to an existing graph is a set union (see :func:`merge_into`). Each relation
becomes a statement node (``ck:Relation``) carrying its evidence and provenance, plus a direct
"truthy" actor-to-actor triple when its modality makes it an edge. Term names come from
:mod:`graph.vocab`; the model is documented in ``ontology/README.md``.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

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
    def lit(value: str, datatype: str | None = None, lang: str | None = None) -> Literal:
        return Literal(value, datatype=datatype, lang=lang)


class NTriplesTerms:
    """Terms as N-Triples text, written exactly as rdflib's N-Triples serializer writes them.

    A build writes every triple once as a line and never needs the nodes; making them as strings
    costs a fifth of making rdflib nodes and asking for their N-Triples form.
    """

    @staticmethod
    def iri(value: str) -> str:
        return f"<{value}>"

    @staticmethod
    def lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
        quoted = value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
        if lang:
            return f'"{quoted}"@{lang}'
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


class _Terms(NamedTuple):
    """The constant terms of statements, made once per term maker: rdflib's namespace attribute
    lookups cost more than making a whole N-Triples line."""

    a: object
    relation: object
    source: object
    target: object
    relation_type: object
    modality: object
    is_edge: object
    evidence: object
    evidence_start: object
    evidence_end: object
    source_mention: object
    target_mention: object
    trigger: object
    extractor: object
    confidence: object
    derived_from: object
    has_geometry: object
    geometry: object
    as_wkt: object
    time_stamp: object
    place_name: object
    fatalities: object
    attributed_to: object
    event: object
    event_class: object
    source_count: object
    dataset_concept: object
    initiator_known: object
    cameo_code: object
    plover_category: object
    admin_area: object
    dataset_record: object
    entity: object
    dataset: object
    dataset_event_id: object
    identifier: object
    source_file: object
    source_line: object


@functools.lru_cache(maxsize=4)
def _terms(maker: type) -> _Terms:
    t = maker()
    return _Terms(
        *(t.iri(x) for x in (RDF.type, CK.Relation, CK.source, CK.target, CK.relationType, CK.modality)),
        *(t.iri(x) for x in (CK.isEdge, CK.evidence, CK.evidenceStart, CK.evidenceEnd, CK.sourceMention)),
        *(t.iri(x) for x in (CK.targetMention, CK.trigger, CK.extractor, CK.confidence, PROV.wasDerivedFrom)),
        *(t.iri(x) for x in (GEO.hasGeometry, GEO.Geometry, GEO.asWKT, SEM.hasTimeStamp, CK.placeName)),
        *(t.iri(x) for x in (CK.fatalities, CK.attributedTo, CK.event, CK.Event, CK.sourceCount)),
        *(t.iri(x) for x in (CK.datasetConcept, CK.initiatorKnown, CK.cameoCode, CK.ploverCategory)),
        *(t.iri(x) for x in (CK.adminArea, CK.DatasetRecord, PROV.Entity, CK.dataset, CK.datasetEventId)),
        *(t.iri(x) for x in (SCHEMA.identifier, CK.sourceFile, CK.sourceLine)),
    )


_BOOLEAN, _INTEGER, _DECIMAL, _DATE, _WKT = XSD.boolean, XSD.integer, XSD.decimal, XSD.date, GEO.wktLiteral


def _relation_triples(relation: Relation, t: Terms, lang: str | None = None) -> Iterator[Triple]:
    k = _terms(type(t))
    node = t.iri(statement_iri(relation))
    source, target = t.iri(actor_iri(relation.source_id)), t.iri(actor_iri(relation.target_id))
    yield node, k.a, k.relation
    yield node, k.source, source
    yield node, k.target, target
    yield node, k.relation_type, t.iri(relation_type_iri(relation.kind))
    yield node, k.modality, t.iri(modality_iri(relation.modality))
    yield node, k.is_edge, t.lit("true" if relation.is_edge else "false", _BOOLEAN)
    # the evidence stays in the article's language; a non-English one is tagged ("..."@fr)
    yield node, k.evidence, t.lit(relation.evidence.text, lang=lang)
    yield node, k.evidence_start, t.lit(str(relation.evidence.start), _INTEGER)
    yield node, k.evidence_end, t.lit(str(relation.evidence.end), _INTEGER)
    yield node, k.source_mention, t.lit(relation.source_mention.text)
    yield node, k.target_mention, t.lit(relation.target_mention.text)
    if relation.trigger:
        yield node, k.trigger, t.lit(relation.trigger, lang=lang)
    yield node, k.extractor, t.lit(relation.extractor)
    yield node, k.confidence, t.lit(_decimal(relation.confidence), _DECIMAL)
    if relation.dataset is None:
        yield node, k.derived_from, t.iri(article_iri(relation.article_id))
    else:
        yield from _dataset_triples(node, relation, t, k)
    if relation.point is not None:
        lat, lon = relation.point
        geometry = t.iri(geometry_iri(lat, lon))
        yield node, k.has_geometry, geometry
        yield geometry, k.a, k.geometry
        yield geometry, k.as_wkt, t.lit(f"POINT({lon:.5f} {lat:.5f})", _WKT)
    if relation.date is not None:
        yield node, k.time_stamp, t.lit(relation.date.isoformat(), _DATE)
    if relation.place:
        yield node, k.place_name, t.lit(relation.place)
    if relation.fatalities is not None:
        yield node, k.fatalities, t.lit(str(relation.fatalities), _INTEGER)
    if relation.attributed_to:
        yield node, k.attributed_to, t.lit(relation.attributed_to)
    if relation.event_id:
        event = t.iri(ID[f"event/{relation.event_id}"])
        yield node, k.event, event
        yield event, k.a, k.event_class
        if relation.dataset is not None:  # graph.fusion recounts when articles report it too
            yield event, k.source_count, t.lit("1", _INTEGER)
    if relation.is_edge:
        yield source, t.iri(RELATION_PROPERTY[relation.kind]), target


def _dataset_triples(node, relation: Relation, t: Terms, k: _Terms) -> Iterator[Triple]:
    """Provenance of a dataset statement: its row (a prov:Entity), the release, the licence."""
    ds = relation.dataset
    assert ds is not None  # only called for dataset statements
    record, release = t.iri(record_iri(ds.dataset, ds.event_id)), t.iri(dataset_iri(ds.dataset, ds.release))
    yield node, k.derived_from, record
    yield node, k.dataset_concept, t.lit(ds.concept)
    yield node, k.initiator_known, t.lit("true" if ds.initiator_known else "false", _BOOLEAN)
    if ds.cameo:
        yield node, k.cameo_code, t.lit(ds.cameo)
    if ds.plover:
        yield node, k.plover_category, t.iri(PLOVER[ds.plover])
    if ds.admin_area:
        yield node, k.admin_area, t.lit(ds.admin_area)
    yield record, k.a, k.dataset_record
    yield record, k.a, k.entity
    yield record, k.dataset, release
    yield record, k.dataset_event_id, t.lit(ds.event_id)
    yield record, k.identifier, t.lit(f"{ds.dataset}:{ds.event_id}")
    if ds.file:
        yield record, k.source_file, t.lit(ds.file)
        yield record, k.source_line, t.lit(str(ds.line), _INTEGER)


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
    lang = None if result.article.lang == "en" else result.article.lang
    for relation in result.relations:
        yield from _relation_triples(relation, t, lang)


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
