"""Network stage: project the RDF graph onto a networkx multigraph of actors, and export it.

In: an ``rdflib.Graph`` following the model in ``docs/architecture.md``. Out: an ``nx.MultiDiGraph``
whose nodes are actors and whose edges are relation kinds between two actors, each edge merging every
statement node that states it (weight, dates, evidence, articles). This is a projection, not a
triple dump: literals, types and articles never become nodes.

The statements are read column by column (one walk of the predicate index per property), never with
one lookup per statement, so 100k statements project in seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import ConfigError, OutputError
from graph.io import write_atomic
from graph.records import RelationKind
from graph.vocab import CK, CKM, CKR, CKT, ID, PROV, SCHEMA, SEM

__all__ = [
    "EXPORT_FORMATS",
    "actor_id_of",
    "drop_unlinked",
    "export_network",
    "root_actor",
    "scalar_graph",
    "to_networkx",
]

log = logging.getLogger(__name__)

EXPORT_FORMATS = ("graphml", "gexf", "csv")

_ACTOR_PREFIX = str(ID) + "actor/"
_ARTICLE_PREFIX = str(ID) + "article/"


def actor_id_of(iri: Node) -> str:
    """The canonical actor id of an actor IRI (its local name under ``id/actor/``)."""
    text = str(iri)
    if text.startswith(_ACTOR_PREFIX):
        return text[len(_ACTOR_PREFIX) :]
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _local(iri: Node, prefix: str) -> str:
    text = str(iri)
    return text[len(prefix) :] if text.startswith(prefix) else text.rsplit("/", 1)[-1]


@dataclass(slots=True)
class _EdgeAcc:
    """Statements merged into one (source, target, kind) edge while projecting."""

    weight: int = 0
    evidence: list[dict[str, str | None]] = field(default_factory=list)
    modalities: set[str] = field(default_factory=set)


def to_networkx(
    graph: Graph,
    *,
    kinds: Iterable[RelationKind | str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    rollup: bool = False,
    min_weight: int = 1,
    include_non_edges: bool = False,
    linked_only: bool = False,
) -> nx.MultiDiGraph:
    """Project statement nodes onto actors and keyed multi-edges.

    Nodes are actor ids with ``label``, ``type`` and ``country``; only actors taking part in a kept
    edge become nodes. Each edge is keyed by its relation kind value and carries ``kind``, ``weight``
    (number of statements), ``dates`` (sorted unique ISO dates), ``evidence`` (one
    ``{"sentence", "article", "date"}`` per statement, sorted), ``articles`` (sorted ids),
    ``modalities`` and ``symmetric``. Symmetric kinds (negotiated_with, cooperated) are stored once,
    from the smaller id to the larger, so both directions merge.

    Nodes also carry ``linked``: False for an open-world actor (``ck:linked false``, found in the
    text but in no gazetteer row); actors without the triple, from graphs written before open-world
    actors existed, count as linked.

    Args:
        graph: The knowledge graph.
        kinds: Relation kinds to keep; all when None.
        start: Keep statements dated on or after this day (undated statements are dropped when
            ``start`` or ``end`` is given).
        end: Keep statements dated on or before this day.
        rollup: Replace each actor by the actor it finally acts for (``ck:actsFor``, followed
            transitively), e.g. ``tur_armed_forces`` → ``tur``; self-loops this creates are dropped.
        min_weight: Drop edges stated fewer times than this.
        include_non_edges: Keep statements whose ``ck:isEdge`` is false (negated, alleged, ...).
        linked_only: Drop open-world actors and their edges. Applied after ``rollup``, so an
            open-world actor that acts for a gazetteer state is kept as that state.

    Returns:
        A new ``nx.MultiDiGraph``; ``G.graph`` records the options used.

    Raises:
        ConfigError: If a kind is unknown or ``start`` is after ``end``.
    """
    wanted = _wanted_kinds(kinds)
    if start and end and start > end:
        raise ConfigError(f"the date range is empty: start {start} is after end {end}; swap them")
    column = _columns(graph)
    statements = [s for s, _ in graph.subject_objects(CK.source)]
    actors = _read_actors(graph)
    parent = {a: t for a, t in column(CK.actsFor).items()} if rollup else {}
    article_ids = {a: str(i) for a, i in graph.subject_objects(SCHEMA.identifier)}
    article_dates = {a: _as_date(d) for a, d in graph.subject_objects(SCHEMA.datePublished)}

    targets, kinds_of = column(CK.target), column(CK.relationType)
    modality, evidence = column(CK.modality), column(CK.evidence)
    places = column(CK.placeName)
    stamp, article, is_edge = column(SEM.hasTimeStamp), column(PROV.wasDerivedFrom), column(CK.isEdge)
    sources = column(CK.source)

    acc: dict[tuple[str, str, str], _EdgeAcc] = defaultdict(_EdgeAcc)
    roots: dict[Node, Node] = {}
    for st in statements:
        if not include_non_edges and not _truthy(is_edge.get(st)):
            continue
        kind_iri = kinds_of.get(st)
        if kind_iri is None:
            continue
        kind = _local(kind_iri, str(CKR))
        if wanted is not None and kind not in wanted:
            continue
        art = article.get(st)
        day = _as_date(stamp.get(st)) or (article_dates.get(art) if art is not None else None)
        if (start or end) and (day is None or (start and day < start) or (end and day > end)):
            continue
        src, tgt = sources[st], targets.get(st)
        if tgt is None:
            continue
        if rollup:
            src, tgt = _root(src, parent, roots), _root(tgt, parent, roots)
            if src == tgt:
                continue
        a, b = actor_id_of(src), actor_id_of(tgt)
        symmetric = _is_symmetric(kind)
        if symmetric and b < a:
            a, b = b, a
        edge = acc[(a, b, kind)]
        edge.weight += 1
        mod = modality.get(st)
        edge.modalities.add(_local(mod, str(CKM)) if mod is not None else "asserted")
        entry = {
            "sentence": str(evidence[st]) if st in evidence else "",
            "article": _article_id(art, article_ids),
            "date": day.isoformat() if day else None,
        }
        if st in places:  # only where the statement names one
            entry["place"] = str(places[st])
        edge.evidence.append(entry)
    G = nx.MultiDiGraph(
        rollup=rollup, include_non_edges=include_non_edges, min_weight=min_weight, linked_only=linked_only
    )
    kept = sorted(k for k, e in acc.items() if e.weight >= min_weight)
    if linked_only:
        kept = [k for k in kept if _is_linked(actors, k[0]) and _is_linked(actors, k[1])]
    for a in sorted({k[0] for k in kept} | {k[1] for k in kept}):
        G.add_node(a, **actors.get(a, {"label": a, "type": "other", "country": None, "linked": True}))
    for a, b, kind in kept:
        edge = acc[(a, b, kind)]
        ev = sorted(edge.evidence, key=lambda e: (e["date"] or "", e["article"] or "", e["sentence"] or ""))
        G.add_edge(
            a,
            b,
            key=kind,
            kind=kind,
            weight=edge.weight,
            dates=sorted({e["date"] for e in ev if e["date"]}),
            evidence=ev,
            articles=sorted({e["article"] for e in ev if e["article"]}),
            modalities=sorted(edge.modalities),
            symmetric=_is_symmetric(kind),
        )
    log.debug("projected %d statements onto %d nodes, %d edges", len(statements), len(G), G.size())
    return G


def drop_unlinked(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of a projected network without open-world actors (``linked`` False) and their edges.

    Actors left with no edge by this are dropped too, as :func:`to_networkx` with ``linked_only``
    would never have made them nodes; actors without the attribute count as linked.
    """
    unlinked = [n for n, linked in G.nodes(data="linked", default=True) if not linked]
    H = G.copy()
    if not unlinked:
        return H
    partners = {m for n in unlinked for m in nx.all_neighbors(G, n)}
    H.remove_nodes_from(unlinked)
    H.remove_nodes_from([m for m in partners if m in H and H.degree(m) == 0])
    H.graph["linked_only"] = True
    return H


def _wanted_kinds(kinds: Iterable[RelationKind | str] | None) -> set[str] | None:
    if kinds is None:
        return None
    wanted = {str(k.value if isinstance(k, RelationKind) else k) for k in kinds}
    unknown = wanted - {k.value for k in RelationKind}
    if unknown:
        known = ", ".join(k.value for k in RelationKind)
        raise ConfigError(f"unknown relation kind(s) {', '.join(sorted(unknown))}; use one of: {known}")
    return wanted


def _is_symmetric(kind: str) -> bool:
    try:
        return RelationKind(kind).symmetric
    except ValueError:
        return False


def _columns(graph: Graph) -> Callable[[URIRef], dict[Node, Node]]:
    """Return ``column(p)``: a dict subject → first object of ``p``, built in one index walk."""

    def column(predicate: URIRef) -> dict[Node, Node]:
        out: dict[Node, Node] = {}
        for s, o in graph.subject_objects(predicate):
            out.setdefault(s, o)
        return out

    return column


def _read_actors(graph: Graph) -> dict[str, dict[str, str | bool | None]]:
    """Actor attributes by actor id, for every subject under ``id/actor/``."""
    actors: dict[str, dict[str, str | bool | None]] = {}

    def entry(s: Node) -> dict[str, str | bool | None] | None:
        if not str(s).startswith(_ACTOR_PREFIX):
            return None
        return actors.setdefault(
            actor_id_of(s), {"label": None, "type": None, "country": None, "linked": True}
        )

    for s, o in graph.subject_objects(RDFS.label):
        if (e := entry(s)) is not None and e["label"] is None:
            e["label"] = str(o)
    for s, o in graph.subject_objects(CK.actorType):
        if (e := entry(s)) is not None:
            e["type"] = _local(o, str(CKT))
    for s, o in graph.subject_objects(CK.countryCode):
        if (e := entry(s)) is not None:
            e["country"] = str(o)
    # Unlinked only when every ck:linked value says false: a graph merged with --append may hold
    # both, and a missing triple (graphs written before open-world actors) means linked.
    says: dict[str, set[bool]] = defaultdict(set)
    for s, o in graph.subject_objects(CK.linked):
        if (e := entry(s)) is not None:
            says[actor_id_of(s)].add(str(o).strip().lower() in ("true", "1"))
    for aid, values in says.items():
        actors[aid]["linked"] = True in values
    for aid, e in actors.items():
        e["label"] = e["label"] or aid
        e["type"] = e["type"] or "other"
    return actors


def _is_linked(actors: dict[str, dict[str, str | bool | None]], actor_id: str) -> bool:
    return bool(actors.get(actor_id, {}).get("linked", True))


def _root(actor: Node, parent: dict[Node, Node], memo: dict[Node, Node]) -> Node:
    """Follow ``ck:actsFor`` to the end of the chain; a cycle stops at the first repeat."""
    if actor in memo:
        return memo[actor]
    seen = [actor]
    node = actor
    while node in parent and parent[node] not in seen:
        node = parent[node]
        seen.append(node)
    for s in seen:
        memo[s] = node
    return node


def root_actor(actor, parent: dict, memo: dict):
    """The actor ``actor`` finally acts for (``ck:actsFor`` followed to the end), as ``--rollup``
    merges it; works on any hashable ids (rdflib nodes, IRIs as text)."""
    return _root(actor, parent, memo)


def _truthy(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _as_date(value: Node | None) -> dt.date | None:
    if value is None:
        return None
    py = value.toPython() if isinstance(value, Literal) else value
    if isinstance(py, dt.datetime):
        return py.date()
    if isinstance(py, dt.date):
        return py
    try:
        return dt.date.fromisoformat(str(py)[:10])
    except ValueError:
        return None


def _article_id(article: Node | None, ids: dict[Node, str]) -> str | None:
    if article is None:
        return None
    return ids.get(article) or _local(article, _ARTICLE_PREFIX)


# --- export -------------------------------------------------------------------------------------


def export_network(G: nx.MultiDiGraph, path: Path, fmt: str) -> list[Path]:
    """Write ``G`` as GraphML, GEXF (Gephi) or CSV node and edge lists; return the files written.

    GraphML and GEXF only hold scalar attributes, so lists are joined with ``"; "`` and the evidence
    becomes a JSON string. CSV writes ``nodes.csv`` and ``edges.csv`` into the folder ``path``;
    ``linked`` is a node column there (``true``/``false``) and a boolean attribute in GraphML and GEXF.

    Raises:
        ConfigError: If ``fmt`` is not one of :data:`EXPORT_FORMATS`.
        OutputError: If the files cannot be written.
    """
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
    try:
        if fmt == "csv":
            nodes, edges = _csv_tables(G)
            write_atomic(path / "nodes.csv", nodes)
            write_atomic(path / "edges.csv", edges)
            return [path / "nodes.csv", path / "edges.csv"]
        flat = scalar_graph(G)
        if fmt == "graphml":
            text = "\n".join(nx.generate_graphml(flat, named_key_ids=True)) + "\n"
        else:
            text = "\n".join(nx.generate_gexf(flat)) + "\n"
        write_atomic(path, text)
        return [path]
    except OSError as exc:
        reason = exc.strerror or exc
        raise OutputError(f"cannot write {path}: {reason}; check the folder exists and is writable") from exc


def scalar_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are all strings, numbers or booleans (for GraphML/GEXF)."""
    flat = nx.MultiDiGraph()
    for n, data in G.nodes(data=True):
        flat.add_node(n, **{k: ("" if v is None else v) for k, v in data.items()})
        flat.nodes[n]["weighted_degree"] = int(G.degree(n, weight="weight"))
    for u, v, key, data in G.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **_flat_edge(data))
    return flat


def _flat_edge(data: dict) -> dict[str, str | int | bool]:
    return {
        "kind": data["kind"],
        "weight": int(data["weight"]),
        "first_date": data["dates"][0] if data["dates"] else "",
        "last_date": data["dates"][-1] if data["dates"] else "",
        "dates": "; ".join(data["dates"]),
        "articles": "; ".join(data["articles"]),
        "modalities": "; ".join(data.get("modalities", ())),
        "symmetric": bool(data.get("symmetric", False)),
        "evidence": json.dumps(data["evidence"], ensure_ascii=False, sort_keys=True),
    }


_EMPTY_EDGE = {"kind": "", "weight": 0, "dates": [], "articles": [], "evidence": []}


def _csv_tables(G: nx.MultiDiGraph) -> tuple[str, str]:
    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(["id", "label", "type", "country", "weighted_degree", "linked"])
    for n, d in sorted(G.nodes(data=True)):
        degree = G.degree(n, weight="weight")
        linked = "true" if d.get("linked", True) else "false"
        w.writerow([n, d.get("label", n), d.get("type", ""), d.get("country") or "", degree, linked])
    edges = io.StringIO()
    cols = list(_flat_edge(_EMPTY_EDGE))
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(["source", "target", *cols])
    for u, v, _, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        flat = _flat_edge(d)
        w.writerow([u, v, *(flat[c] for c in cols)])
    return nodes.getvalue(), edges.getvalue()
