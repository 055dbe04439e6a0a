"""Streamed outputs of a build: N-Triples per article in, graph files and the page's network out.

A build appends each article's N-Triples to a temporary file as it goes; at the end the lines are
sorted with an external merge sort (N-Triples and N-Quads are those sorted lines) and the Turtle is
written from the sorted lines one subject at a time, so memory does not grow with the corpus. The
HTML page's actor network is projected incrementally from the records (:class:`NetworkProjection`),
keeping per edge only what the page shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import heapq
import itertools
import logging
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

import networkx as nx

from graph.errors import OutputError
from graph.records import Actor, ArticleResult, Relation, RelationKind

__all__ = [
    "ArticleOutputs",
    "EdgeEntry",
    "NetworkProjection",
    "NodeEntry",
    "actor_ntriples",
    "article_ntriples",
    "article_outputs",
    "edge_entries",
    "relation_edge_entries",
    "result_ntriples",
    "sort_lines",
    "to_nquads",
    "turtle_prefixes",
    "turtle_to_ntriples",
    "write_turtle",
]

log = logging.getLogger(__name__)

SORT_CHUNK_LINES = 200_000  # lines sorted in memory at a time by sort_lines

# What the page's projection keeps of one direct edge and of one actor, as plain tuples: the build
# cache stores them, and plain tuples pickle many times faster than the frozen records.
# source, target, kind, modality, ISO date, sentence, place
EdgeEntry = tuple[str, str, str, str, str | None, str, str | None]
NodeEntry = tuple[str, str, str, str | None, bool]  # actor id, label, type, country, linked


class ArticleOutputs(NamedTuple):
    """What the outputs need of an article besides :func:`article_ntriples`, in plain values."""

    actor_ids: tuple[str, ...]
    actors_ntriples: tuple[str, ...]  # actor_ntriples of each actor: mostly the same from article to article
    unresolved: int  # actor-like spans left out of the graph
    statements: tuple[tuple[str, bool, str], ...]  # per relation: kind, is an edge, relations.jsonl line
    edges: tuple[EdgeEntry, ...]  # the page's direct edges (edge_entries)
    nodes: tuple[NodeEntry, ...]


def article_outputs(result: ArticleResult) -> ArticleOutputs:
    """The part of an article's result the outputs use, made once when the article is parsed."""
    from graph.jsonl import relation_record, to_json_line

    actors = {a.id: a for a in result.actors}
    statements = tuple(
        (rel.kind.value, rel.is_edge, to_json_line(relation_record(rel, actors))) for rel in result.relations
    )
    edges, nodes = edge_entries(result)
    blocks = tuple(map(actor_ntriples, result.actors))
    return ArticleOutputs(tuple(actors), blocks, len(result.unresolved), statements, edges, nodes)


def result_ntriples(result: ArticleResult) -> str:
    """One article's triples (graph.rdf.result_triples) as N-Triples lines, as rdflib writes them."""
    return article_ntriples(result) + "".join(map(actor_ntriples, result.actors))


def article_ntriples(result: ArticleResult) -> str:
    """:func:`result_ntriples` without the triples of the article's actors (:func:`actor_ntriples`)."""
    from graph.rdf import NTriplesTerms, result_triples

    rest = dataclasses.replace(result, actors=())
    return "".join(f"{s} {p} {o} .\n" for s, p, o in result_triples(rest, NTriplesTerms()))


@functools.lru_cache(maxsize=4096)
def actor_ntriples(actor: Actor) -> str:
    """The triples of one actor as N-Triples lines."""
    # A memo of a pure function of a frozen record, not shared state: the same actors recur in
    # article after article.
    from graph.rdf import NTriplesTerms, actor_triples

    return "".join(f"{s} {p} {o} .\n" for s, p, o in actor_triples(actor, NTriplesTerms()))


def to_nquads(ntriples: str, graph_iri: str) -> str:
    """N-Triples lines moved into the named graph ``graph_iri``."""
    return "".join(f"{line[:-2]} <{graph_iri}> .\n" for line in ntriples.split("\n") if line.strip())


def sort_lines(source: Path, out: IO[str], *, chunk: int = SORT_CHUNK_LINES) -> int:
    """Write the unique lines of ``source`` to ``out`` in sorted order; return how many.

    An external merge sort: chunks of ``chunk`` lines are sorted in memory and spilled to temporary
    files next to ``source``, then merged, so memory stays bounded for any file size.
    """
    runs: list[Path] = []
    with source.open(encoding="utf-8") as handle:
        while True:
            lines = list(itertools.islice(handle, chunk))
            if not lines:
                break
            unique = sorted({line for line in lines if line.strip()})  # actors' triples repeat a lot
            if not runs and len(lines) < chunk:  # the whole file in one chunk: no temporary files
                out.writelines(unique)
                return len(unique)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=source.parent, delete=False, suffix=".run"
            ) as run:
                run.writelines(unique)
            runs.append(Path(run.name))
    handles = [p.open(encoding="utf-8") for p in runs]
    try:
        written = 0
        previous = None
        for line in heapq.merge(*handles):
            if line != previous and line.strip():
                out.write(line)
                written += 1
            previous = line
        return written
    finally:
        for h in handles:
            h.close()
        for p in runs:
            p.unlink(missing_ok=True)


def turtle_prefixes() -> dict[str, str]:
    """Our prefixes (graph.rdf.bind_prefixes), longest namespace first so the most specific wins."""
    from rdflib import Graph

    from graph.rdf import bind_prefixes

    pairs = {p: str(ns) for p, ns in bind_prefixes(Graph(bind_namespaces="none")).namespaces()}
    return dict(sorted(pairs.items(), key=lambda kv: (-len(kv[1]), kv[0])))


_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@functools.lru_cache(maxsize=4)
def _by_namespace(prefixes: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {ns: prefix for prefix, ns in reversed(prefixes)}


@functools.lru_cache(maxsize=4096)
def _under_a_prefix(namespace: str, prefixes: tuple[tuple[str, str], ...]) -> bool:
    """Whether any prefix's namespace starts ``namespace`` (else no IRI in it can be shortened)."""
    return any(namespace.startswith(ns) for _, ns in prefixes)


@functools.lru_cache(maxsize=4096)
def _compact_iri(term: str, prefixes: tuple[tuple[str, str], ...]) -> str:
    return _compact(term, dict(prefixes))


def _compact(term: str, prefixes: dict[str, str]) -> str:
    """An N-Triples IRI ``<...>`` as ``prefix:local`` when that is safe; anything else unchanged."""
    if term.startswith("<"):
        iri = term[1:-1]
        # the namespace up to the last separator is the longest that can match: one dict look-up
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        pairs = tuple(prefixes.items())
        prefix = _by_namespace(pairs).get(iri[:cut])
        if prefix is not None and _LOCAL.fullmatch(iri[cut:]):
            return f"{prefix}:{iri[cut:]}"
        if not _under_a_prefix(iri[:cut], pairs):
            return term
        for prefix, ns in prefixes.items():
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
                return f"{prefix}:{iri[len(ns) :]}"
        return term
    if term.endswith(">") and "^^<" in term:  # typed literal: compact its datatype (few, memoised)
        value, datatype = term.rsplit("^^", 1)
        return f"{value}^^{_compact_iri(datatype, tuple(prefixes.items()))}"
    return term


def write_turtle(sorted_ntriples: Path, out: IO[str]) -> int:
    """Write sorted, unique N-Triples lines as Turtle, one block per subject; return the triples.

    Streams: lines sharing a subject are adjacent because the file is sorted, so only one subject's
    lines are held at a time. Terms are copied as they are (an N-Triples term is a Turtle term), IRIs
    shortened with our prefixes, so literals keep their exact lexical form.
    """
    prefixes = turtle_prefixes()
    short: dict[str, str] = {_RDF_TYPE: "a"}  # predicates and actor IRIs repeat: compact each once

    def compact(term: str) -> str:
        done = short.get(term)
        if done is None:
            done = _compact(term, prefixes)
            if len(short) < 100_000 and not term.startswith('"'):
                short[term] = done
        return done

    known = short.get
    for prefix, ns in sorted(prefixes.items()):
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    count = 0
    subject = None
    with sorted_ntriples.open(encoding="utf-8") as lines:
        for line in lines:
            s, p, o = line.rstrip("\n")[:-2].split(" ", 2)  # drop the final " ."
            pred = known(p) or compact(p)
            obj = o if o[0] == '"' and o[-1] != ">" else known(o) or compact(o)  # plain literals as they are
            if s == subject:
                out.write(f" ;\n    {pred} {obj}")
            else:
                start = "\n" if subject is None else " .\n\n"
                out.write(f"{start}{known(s) or compact(s)}\n    {pred} {obj}")
                subject = s
            count += 1
    if subject is not None:
        out.write(" .\n")
    return count


def turtle_to_ntriples(path: Path, out: IO[str]) -> None:
    """Stream the triples of a Turtle file as N-Triples lines (for ``--append``), via pyoxigraph."""
    import pyoxigraph as ox

    try:
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            out.write(f"{t.subject} {t.predicate} {t.object} .\n")
    except (SyntaxError, ValueError, OSError) as exc:
        raise OutputError(
            f"{path}: cannot merge this graph ({exc}); fix or move it, or build without --append"
        ) from exc


def edge_entries(result: ArticleResult) -> tuple[tuple[EdgeEntry, ...], tuple[NodeEntry, ...]]:
    """One article's direct edges and the actors they join, as the page's projection needs them.

    A symmetric kind's two sides are put in id order, so both directions make one edge.
    """
    return relation_edge_entries(result.relations, result.actors, result.article.date)


def relation_edge_entries(
    relations: Iterable[Relation], actors: Iterable[Actor], default_date: dt.date | None = None
) -> tuple[tuple[EdgeEntry, ...], tuple[NodeEntry, ...]]:
    """:func:`edge_entries` for any statements (an article's, or a dataset row's)."""
    edges = []
    for rel in relations:
        if not rel.is_edge:
            continue
        a, b = rel.source_id, rel.target_id
        if rel.kind.symmetric and b < a:
            a, b = b, a
        day = rel.date or default_date
        iso = day.isoformat() if day else None
        edges.append((a, b, rel.kind.value, rel.modality.value, iso, rel.evidence.text, rel.place))
    ends = {aid for edge in edges for aid in edge[:2]}
    nodes = tuple((x.id, x.label, x.type.value, x.country, x.linked) for x in actors if x.id in ends)
    return tuple(edges), nodes


@dataclass(slots=True)
class _Edge:
    weight: int = 0
    evidence: list[dict[str, str | None]] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    # the edge's dates as a bit set over days: bit i is day ``day0 + i`` (proleptic ordinals), a few
    # bytes per edge however many statements share its days
    day0: int = 0
    days: int = 0
    modalities: set[str] = field(default_factory=set)

    def add_day(self, ordinal: int) -> None:
        if not self.days:
            self.day0 = ordinal
        elif ordinal < self.day0:
            self.days <<= self.day0 - ordinal
            self.day0 = ordinal
        self.days |= 1 << (ordinal - self.day0)

    def iso_days(self, names: dict[int, str]) -> list[str]:
        out, mask, i = [], self.days, 0
        while mask:
            if mask & 1:
                ordinal = self.day0 + i
                out.append(names.get(ordinal) or dt.date.fromordinal(ordinal).isoformat())
            mask >>= 1
            i += 1
        return out


_EVIDENCE_KEY = lambda e: (e["date"] or "", e["article"] or "", e["sentence"] or "")  # noqa: E731


class NetworkProjection:
    """:func:`graph.network.to_networkx` (default options), computed one article at a time.

    Gives the same nodes, edges and attributes as projecting the whole built graph, except that each
    edge keeps only its first ``max_evidence`` evidence entries in the projection's sort order (all
    the page shows; ``weight`` still counts every statement), so memory grows with distinct edges,
    not with the corpus. A test checks it against ``to_networkx`` on real builds.
    """

    def __init__(self, max_evidence: int) -> None:
        self.max_evidence = max_evidence
        self._nodes: dict[str, dict[str, str | bool | None]] = {}
        self._edges: dict[tuple[str, str, str], _Edge] = defaultdict(_Edge)
        self._ordinals: dict[str, int] = {}  # ISO day -> ordinal, for the edges' day bit sets

    def add(self, result: ArticleResult) -> None:
        """Add one article's direct edges (statements whose modality makes them edges)."""
        self.add_entries(result.article.id, *edge_entries(result))

    def add_entries(self, article_id: str, edges: Iterable[EdgeEntry], nodes: Iterable[NodeEntry]) -> None:
        """Add one article's direct edges as :func:`edge_entries` gives them."""
        actors = {n[0]: n for n in nodes}
        for a, b, kind, modality, iso, sentence, place in edges:
            for aid in (a, b):
                if aid not in self._nodes:
                    node = actors.get(aid)
                    self._nodes[aid] = (
                        {"label": node[1], "type": node[2], "country": node[3], "linked": node[4]}
                        if node
                        else {"label": aid, "type": "other", "country": None, "linked": True}
                    )
            edge = self._edges[(a, b, kind)]
            edge.weight += 1
            edge.modalities.add(modality)
            edge.articles.add(article_id)
            if iso:
                ordinal = self._ordinals.get(iso)
                if ordinal is None:
                    ordinal = self._ordinals[iso] = dt.date.fromisoformat(iso).toordinal()
                edge.add_day(ordinal)
            entry = {"sentence": sentence, "article": article_id, "date": iso}
            if place:  # only where the statement names one, as to_networkx does
                entry["place"] = place
            edge.evidence.append(entry)
            if len(edge.evidence) > 2 * self.max_evidence:
                edge.evidence = sorted(edge.evidence, key=_EVIDENCE_KEY)[: self.max_evidence]

    def to_networkx(self) -> nx.MultiDiGraph:
        """The projection as ``to_networkx`` returns it."""
        G = nx.MultiDiGraph(rollup=False, include_non_edges=False, min_weight=1, linked_only=False)
        names = {ordinal: iso for iso, ordinal in self._ordinals.items()}
        keys = sorted(self._edges)
        for n in sorted({k[0] for k in keys} | {k[1] for k in keys}):
            G.add_node(n, **self._nodes[n])
        for a, b, kind in keys:
            e = self._edges[(a, b, kind)]
            G.add_edge(
                a,
                b,
                key=kind,
                kind=kind,
                weight=e.weight,
                dates=e.iso_days(names),
                evidence=sorted(e.evidence, key=_EVIDENCE_KEY)[: self.max_evidence],
                articles=sorted(e.articles),
                modalities=sorted(e.modalities),
                symmetric=RelationKind(kind).symmetric,
            )
        return G
