"""Fuse statements from articles with events from datasets: one event node, the number of sources.

In: a graph as sorted, unique N-Triples lines (what a build or an import has just assembled). Out:
the same lines, with every text statement and dataset event that report the same event pointing to
one ``ck:Event`` node, and every event node carrying ``ck:sourceCount``: how many independent
sources (articles, datasets) report it. A graph with no dataset statements is left alone, so text
builds are unchanged.

Two statements report the same event when, after linking and roll-up to states
(:func:`graph.network.root_actor`, as ``--rollup`` does), they have the same kind and the same two
sides (either order for symmetric kinds), their dates are within ``days`` of each other (a text
statement with no date of its own happened on or before its article's date: the ``undated_days``
before it), and their places are within ``km`` of each other or the text names the dataset row's
place or admin area (a text statement with no coordinates does not rule a place out). Only
statements that are direct edges (asserted) are fused.

The file is read three times and never held in memory: once for the actors, articles and text
statements (a few per article), once to match each dataset statement against them, once to write.
Events that match merge transitively; the merged event keeps the smallest IRI among them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rdflib import RDF

from graph.network import root_actor
from graph.records import RelationKind
from graph.vocab import CK, CKR, ID, PROV, SCHEMA, SEM

__all__ = ["FusionSettings", "FusionStats", "fuse"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FusionSettings:
    """When a text statement and a dataset event are the same event."""

    days: int = 2  # dates at most this many days apart
    km: float = 50.0  # places at most this far apart (or the same admin area)
    undated_days: int = 7  # a statement with no date: on or up to this many days before its article


@dataclass(frozen=True, slots=True, kw_only=True)
class FusionStats:
    """What fusion found."""

    text_statements: int = 0  # asserted text statements considered
    dataset_statements: int = 0  # asserted dataset statements considered
    matches: int = 0  # (dataset statement, text statement) pairs that report the same event
    fused_events: int = 0  # events that both a dataset and an article report


def _iri(term) -> str:
    return f"<{term}>"


_TYPE, _RELATION = _iri(RDF.type), _iri(CK.Relation)
_SOURCE, _TARGET, _KIND = _iri(CK.source), _iri(CK.target), _iri(CK.relationType)
_IS_EDGE, _EVENT, _STAMP = _iri(CK.isEdge), _iri(CK.event), _iri(SEM.hasTimeStamp)
_DERIVED, _PLACE, _ADMIN = _iri(PROV.wasDerivedFrom), _iri(CK.placeName), _iri(CK.adminArea)
_GEOMETRY, _CONCEPT = "<http://www.opengis.net/ont/geosparql#hasGeometry>", _iri(CK.datasetConcept)
_ACTS_FOR, _PUBLISHED, _COUNT = _iri(CK.actsFor), _iri(SCHEMA.datePublished), _iri(CK.sourceCount)
_EVENT_PREFIX, _STATEMENT_PREFIX = "<" + str(ID) + "event/", "<" + str(ID) + "statement/"
_RECORD_PREFIX, _GEOMETRY_PREFIX = str(ID) + "record/", str(ID) + "geometry/"
_KIND_PREFIX = "<" + str(CKR)
_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
_SYMMETRIC = {_KIND_PREFIX + k.value + ">" for k in RelationKind if k.symmetric}
_ADMIN_WORDS = re.compile(r"\b(governorate|province|region|state|district|oblast|county|department)\b")


def _blocks(path: Path) -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    """(subject, [(subject, predicate, object)]) for each run of lines sharing a subject."""
    subject, block = None, []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            s, p, o = line[:-3].split(" ", 2)  # every line ends with " .\n"
            if s != subject:
                if block:
                    yield subject, block  # type: ignore[misc]
                subject, block = s, []
            block.append((s, p, o))
    if block:
        yield subject, block  # type: ignore[misc]


def _date(literal: str | None) -> dt.date | None:
    if not literal or len(literal) < 11:
        return None
    try:
        return dt.date.fromisoformat(literal[1:11])
    except ValueError:
        return None


def _point(geometry: str | None) -> tuple[float, float] | None:
    if not geometry or _GEOMETRY_PREFIX not in geometry:
        return None
    lat, _, lon = geometry[1:-1].rsplit("/", 1)[-1].partition("_")
    try:
        return float(lat), float(lon)
    except ValueError:
        return None


def _text(literal: str | None) -> str:
    return literal[1 : literal.rfind('"')] if literal else ""


def _place_key(name: str) -> str:
    return " ".join(_ADMIN_WORDS.sub(" ", name.lower().replace("-", " ")).split())


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12_742 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(slots=True)
class _Statement:
    """What matching needs of one statement."""

    iri: str
    kind: str
    source: str
    target: str
    date: dt.date | None
    origin: str  # article IRI, or dataset record IRI
    events: tuple[str, ...]
    place: str
    admin: str
    point: tuple[float, float] | None
    dataset: bool
    edge: bool


def _statement(block: list[tuple[str, str, str]]) -> _Statement | None:
    """The fields of a statement node's block; None for anything else."""
    values: dict[str, str] = {}
    events, relation = [], False
    for _, p, o in block:
        if p == _EVENT:
            events.append(o)
        elif p == _TYPE:
            relation = relation or o == _RELATION
        else:
            values.setdefault(p, o)
    if not relation:
        return None
    if _SOURCE not in values or _TARGET not in values or _KIND not in values:
        return None
    return _Statement(
        iri=block[0][0],
        kind=values[_KIND],
        source=values[_SOURCE],
        target=values[_TARGET],
        date=_date(values.get(_STAMP)),
        origin=values.get(_DERIVED, ""),
        events=tuple(sorted(events)),
        place=_place_key(_text(values.get(_PLACE))),
        admin=_place_key(_text(values.get(_ADMIN))),
        point=_point(values.get(_GEOMETRY)),
        dataset=_CONCEPT in values,
        edge=not values.get(_IS_EDGE, "").startswith('"false'),
    )


@dataclass(slots=True)
class _Clusters:
    """Union-find over event keys (event IRIs, or a dateless statement's own IRI)."""

    parent: dict[str, str] = field(default_factory=dict)

    def find(self, key: str) -> str:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        self.parent.setdefault(ra, ra)
        self.parent.setdefault(rb, rb)
        if ra != rb:
            # the real event IRI with the smallest value represents the cluster, whatever the order
            keep, drop = sorted((ra, rb), key=lambda k: (not k.startswith(_EVENT_PREFIX), k))
            self.parent[drop] = keep


def _dataset_of(origin: str) -> str | None:
    if _RECORD_PREFIX not in origin:
        return None
    return origin[1:-1][len(_RECORD_PREFIX) :].split("/", 1)[0]


def fuse(sorted_nt: Path, out: IO[str], settings: FusionSettings = FusionSettings()) -> FusionStats | None:
    """Write ``sorted_nt`` to ``out`` with matching text and dataset statements fused.

    Returns None, writing nothing, when the graph has no dataset statements or no text statements
    (the caller keeps its file as it is).
    """
    parents: dict[str, str] = {}
    article_dates: dict[str, dt.date] = {}
    index: dict[tuple[str, str, str], list[_Statement]] = defaultdict(list)
    event_articles: dict[str, set[str]] = defaultdict(set)  # event key -> articles reporting it
    clusters = _Clusters()
    n_text = n_data = 0
    for subject, block in _blocks(sorted_nt):  # pass 1: actors, articles, text statements
        if subject.startswith(_STATEMENT_PREFIX):
            st = _statement(block)
            if st is None:
                continue
            if st.dataset:
                n_data += st.edge
                continue
            key = st.events[0] if st.events else st.iri
            for other in st.events[1:]:  # a statement re-added by build --append after a fusion
                clusters.union(key, other)
            for ev in st.events or (st.iri,):
                event_articles[ev].add(st.origin)
            if st.edge:
                n_text += 1
                index[_dyad(st, parents)].append(st)
        else:
            for _, p, o in block:
                if p == _ACTS_FOR:
                    parents[subject] = o
                elif p == _PUBLISHED:
                    date = _date(o)
                    if date is not None:
                        article_dates[subject] = date
    if n_data == 0 or n_text == 0:
        return None
    event_datasets: dict[str, set[str]] = defaultdict(set)
    matches = 0
    for subject, block in _blocks(sorted_nt):  # pass 2: match dataset statements
        if not subject.startswith(_STATEMENT_PREFIX):
            continue
        st = _statement(block)
        if st is None or not st.dataset or not st.edge or not st.events or st.date is None:
            continue
        for text in index.get(_dyad(st, parents), ()):
            if _same_event(st, text, article_dates, settings):
                matches += 1
                dataset = _dataset_of(st.origin)
                if dataset:
                    event_datasets[st.events[0]].add(dataset)
                clusters.union(st.events[0], text.events[0] if text.events else text.iri)
    members: dict[str, list[str]] = defaultdict(list)
    for key in list(clusters.parent):
        members[clusters.find(key)].append(key)
    sources: dict[str, int] = {}
    fused = 0
    for rep, keys in members.items():
        articles = set().union(*(event_articles.get(k, set()) for k in keys))
        datasets = set().union(*(event_datasets.get(k, set()) for k in keys))
        sources[rep] = len(articles) + len(datasets)
        fused += bool(articles and datasets)
    _write(sorted_nt, out, clusters, sources, event_articles)
    return FusionStats(text_statements=n_text, dataset_statements=n_data, matches=matches, fused_events=fused)


def _dyad(st: _Statement, parents: dict[str, str]) -> tuple[str, str, str]:
    memo: dict[str, str] = {}
    a, b = root_actor(st.source, parents, memo), root_actor(st.target, parents, memo)
    if st.kind in _SYMMETRIC and b < a:
        a, b = b, a
    return st.kind, a, b


def _same_event(
    data: _Statement, text: _Statement, article_dates: dict[str, dt.date], s: FusionSettings
) -> bool:
    assert data.date is not None
    if text.date is not None:
        if abs((data.date - text.date).days) > s.days:
            return False
    else:
        published = article_dates.get(text.origin)
        if published is None or not (0 <= (published - data.date).days <= s.undated_days):
            return False
    if text.point is None or data.point is None:
        return True  # no coordinates to compare: the place does not rule the event out
    return _km(text.point, data.point) <= s.km or (
        bool(text.place) and text.place in (data.place, data.admin)
    )


def _write(
    sorted_nt: Path,
    out: IO[str],
    clusters: _Clusters,
    sources: dict[str, int],
    event_articles: dict[str, set[str]],
) -> None:
    """Pass 3: rewrite ``ck:event`` to each cluster's event, drop merged events, count sources."""
    merged = clusters.parent
    for subject, block in _blocks(sorted_nt):
        lines = [(s, p, o) for s, p, o in block if p != _COUNT]
        if subject.startswith(_EVENT_PREFIX):
            rep = clusters.find(subject) if subject in merged else subject
            if rep != subject:
                continue  # merged into another event node
            count = sources.get(rep)
            if count is None:
                dataset = 1 if _is_dataset_event(subject) else 0
                count = len(event_articles.get(subject, ())) + dataset
            lines.append((subject, _COUNT, f'"{count}"^^{_INTEGER}'))
        elif subject.startswith(_STATEMENT_PREFIX) and (
            subject in merged or any(p == _EVENT for _, p, _ in lines)
        ):
            events = {clusters.find(o) if o in merged else o for _, p, o in lines if p == _EVENT}
            if subject in merged:  # a dateless text statement that joined an event
                events.add(clusters.find(subject))
            lines = [(s, p, o) for s, p, o in lines if p != _EVENT]
            lines += [(subject, _EVENT, ev) for ev in events]
        out.writelines(sorted({f"{s} {p} {o} .\n" for s, p, o in lines}))


def _is_dataset_event(event: str) -> bool:
    """Dataset events' ids start with the dataset's name (``acled-…``); text events' are hex."""
    return "-" in event.rsplit("/", 1)[-1]
