"""Analysis stage: answers analysts ask of the actor network, as plain frozen records.

In: the ``nx.MultiDiGraph`` from :func:`graph.network.to_networkx` (or an ``rdflib.Graph``, projected
first). Out: frozen dataclasses — who attacks most, who is attacked most, backers and their clients,
the negotiation network, centrality per relation layer, alliance blocs, a signed view with structural
balance, and statements per month — bundled by :func:`analyze` and rendered by
:func:`format_analysis` for the CLI.

Records keep actor ids (stable keys for code) and the labels people read beside them; the text
tables show the labels only. A label several actors of the network share (open-world actors named
alike in two countries, "police") gets the id appended, so a table never merges two actors.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from itertools import combinations

import networkx as nx
from rdflib import Graph

from graph.errors import ConfigError
from graph.records import RelationKind
from graph.vocab import PROV

__all__ = [
    "ANALYSIS_FORMATS",
    "SIGN",
    "ActorScore",
    "Analysis",
    "Backer",
    "Bloc",
    "Centrality",
    "Coverage",
    "Dyad",
    "EnemyOfEnemy",
    "MonthCount",
    "SignedTie",
    "Triad",
    "alliance_blocs",
    "analysis_rows",
    "analyze",
    "backers_and_clients",
    "centrality",
    "dataset_coverage",
    "edges_per_month",
    "enemy_of_my_enemy",
    "fighting_and_talking",
    "format_analysis",
    "most_attacked",
    "negotiation_network",
    "signed_graph",
    "signed_ties",
    "top_attackers",
    "triads",
]

log = logging.getLogger(__name__)

ANALYSIS_FORMATS = ("table", "csv", "json")

#: Sign of each relation kind in the signed view; kinds not listed are neutral and left out.
SIGN: dict[str, int] = {
    RelationKind.ATTACKED.value: -1,
    RelationKind.BACKED.value: 1,
    RelationKind.NEGOTIATED_WITH.value: 1,
    RelationKind.COOPERATED.value: 1,
}

# Negotiation is left out of blocs by default: parties negotiate with their enemies' patrons
# (Turkey and Russia over Idlib), so talks alone would merge opposing camps into one bloc.
_BLOC_KINDS = (RelationKind.BACKED, RelationKind.COOPERATED)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorScore:
    """How often an actor does (or suffers) one kind of relation."""

    actor: str
    label: str
    statements: int  # sum of edge weights
    counterparts: int  # distinct actors on the other end


@dataclass(frozen=True, slots=True, kw_only=True)
class Backer:
    """An actor that backs others, with the actors it backs."""

    backer: str
    label: str
    clients: tuple[str, ...]
    client_labels: tuple[str, ...]
    statements: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Dyad:
    """Two actors linked by one relation kind (order kept for directed kinds)."""

    a: str
    b: str
    a_label: str
    b_label: str
    kind: str
    weight: int
    first_date: str | None = None
    last_date: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Centrality:
    """Centrality of an actor in one relation layer (``"all"`` = every kind together)."""

    layer: str
    actor: str
    label: str
    degree: float  # share of the other actors it is linked to, either direction
    weighted_degree: int  # statements touching the actor in this layer
    pagerank: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Bloc:
    """A group of actors tied by positive relations more than to the rest."""

    id: int
    members: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedTie:
    """The net sign between two actors: +1 friendly, -1 hostile (ties count as hostile)."""

    a: str
    b: str
    a_label: str
    b_label: str
    sign: int
    positive: int  # statements of positive kinds between them, either direction
    negative: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Triad:
    """Three actors all tied in the signed view; balanced when the product of the signs is positive."""

    actors: tuple[str, str, str]  # sorted
    labels: tuple[str, str, str]
    signs: tuple[int, int, int]  # for (a, b), (a, c), (b, c)
    balanced: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class EnemyOfEnemy:
    """Two actors with a common enemy and no relation between them: possible allies."""

    a: str
    c: str
    a_label: str
    c_label: str
    common_enemies: tuple[str, ...]
    common_enemy_labels: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthCount:
    """Statements of one kind dated in one month (``YYYY-MM``)."""

    month: str
    kind: str
    statements: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """How much of one dataset's events (of one kind) the articles in the graph also report."""

    dataset: str  # "ucdp", "acled", "gdelt"; "articles" for the text-only row
    kind: str
    events: int  # the dataset's events of this kind (asserted statements' events)
    corroborated: int  # of those, events at least one article also reports (fused)
    text_only: int  # events (or undated statements) of this kind only articles report

    @property
    def share(self) -> float:
        """Corroborated events as a share of the dataset's events."""
        return round(self.corroborated / self.events, 3) if self.events else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """Every analysis of one network, as returned by :func:`analyze`."""

    nodes: int
    edges: int
    top_attackers: tuple[ActorScore, ...]
    most_attacked: tuple[ActorScore, ...]
    backers: tuple[Backer, ...]
    negotiations: tuple[Dyad, ...]
    centrality: tuple[Centrality, ...]
    blocs: tuple[Bloc, ...]
    signed_ties: tuple[SignedTie, ...]
    triads: tuple[Triad, ...]
    fighting_and_talking: tuple[Dyad, ...]
    enemy_of_my_enemy: tuple[EnemyOfEnemy, ...]
    per_month: tuple[MonthCount, ...]
    coverage: tuple[Coverage, ...] = ()  # per dataset, when the graph holds imported datasets

    def to_dict(self) -> dict:
        """A JSON-ready dict (tuples become lists)."""
        return asdict(self)


# --- attackers, backers, negotiations ---------------------------------------------------------------


def _labels(G: nx.MultiDiGraph) -> dict[str, str]:
    """Actor id → the label tables show: the actor's label, with its id appended when shared."""
    label = {n: str(d.get("label") or n) for n, d in G.nodes(data=True)}
    shared = Counter(label.values())
    return {n: f"{text} ({n})" if shared[text] > 1 else text for n, text in label.items()}


def _scores(G: nx.MultiDiGraph, kind: str, *, outgoing: bool, n: int | None) -> tuple[ActorScore, ...]:
    total: Counter[str] = Counter()
    others: dict[str, set[str]] = defaultdict(set)
    for u, v, k, w in G.edges(keys=True, data="weight"):
        if k != kind:
            continue
        me, other = (u, v) if outgoing else (v, u)
        total[me] += w
        others[me].add(other)
    ranked = sorted(total, key=lambda a: (-total[a], -len(others[a]), a))[:n]
    labels = _labels(G)
    return tuple(
        ActorScore(actor=a, label=labels[a], statements=total[a], counterparts=len(others[a])) for a in ranked
    )


def top_attackers(G: nx.MultiDiGraph, n: int | None = 10) -> tuple[ActorScore, ...]:
    """Actors ranked by the number of attacked statements they are the source of."""
    return _scores(G, RelationKind.ATTACKED.value, outgoing=True, n=n)


def most_attacked(G: nx.MultiDiGraph, n: int | None = 10) -> tuple[ActorScore, ...]:
    """Actors ranked by the number of attacked statements they are the target of."""
    return _scores(G, RelationKind.ATTACKED.value, outgoing=False, n=n)


def backers_and_clients(G: nx.MultiDiGraph) -> tuple[Backer, ...]:
    """Each backer with the sorted actors it backs, most statements first."""
    clients: dict[str, set[str]] = defaultdict(set)
    total: Counter[str] = Counter()
    for u, v, k, w in G.edges(keys=True, data="weight"):
        if k == RelationKind.BACKED.value:
            clients[u].add(v)
            total[u] += w
    labels = _labels(G)
    out = []
    for b in sorted(clients, key=lambda b: (-total[b], b)):
        ids = tuple(sorted(clients[b]))
        out.append(
            Backer(
                backer=b,
                label=labels[b],
                clients=ids,
                client_labels=tuple(labels[c] for c in ids),
                statements=total[b],
            )
        )
    return tuple(out)


def _dyads(G: nx.MultiDiGraph, kind: str) -> tuple[Dyad, ...]:
    out = []
    labels = _labels(G)
    for u, v, k, d in G.edges(keys=True, data=True):
        if k == kind:
            dates = d.get("dates") or [None]
            out.append(
                Dyad(
                    a=u,
                    b=v,
                    a_label=labels[u],
                    b_label=labels[v],
                    kind=k,
                    weight=d["weight"],
                    first_date=dates[0],
                    last_date=dates[-1],
                )
            )
    return tuple(sorted(out, key=lambda x: (-x.weight, x.a, x.b)))


def negotiation_network(G: nx.MultiDiGraph) -> tuple[Dyad, ...]:
    """Pairs of actors that negotiated with each other, most statements first."""
    return _dyads(G, RelationKind.NEGOTIATED_WITH.value)


# --- centrality -------------------------------------------------------------------------------------


def _layer(G: nx.MultiDiGraph, kinds: Iterable[str] | None) -> nx.DiGraph:
    """Collapse the chosen kinds to a weighted DiGraph; symmetric edges count in both directions."""
    wanted = None if kinds is None else set(kinds)
    D = nx.DiGraph()
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]):
        if wanted is not None and k not in wanted:
            continue
        pairs = [(u, v), (v, u)] if d.get("symmetric") else [(u, v)]
        for a, b in pairs:
            w = D.edges[a, b]["weight"] + d["weight"] if D.has_edge(a, b) else d["weight"]
            D.add_edge(a, b, weight=w)
    return D


def centrality(G: nx.MultiDiGraph) -> tuple[Centrality, ...]:
    """Degree centrality and PageRank of every actor in each relation layer and in ``"all"``.

    PageRank follows edge direction: in the attacked layer it ranks the most (and most importantly)
    attacked; in the backed layer, the most backed.
    """
    layers = sorted({k for _, _, k in G.edges(keys=True)})
    labels = _labels(G)
    out: list[Centrality] = []
    for layer in [*layers, "all"]:
        D = _layer(G, None if layer == "all" else [layer])
        if D.number_of_nodes() == 0:
            continue
        # Distinct neighbours in either direction, so symmetric kinds are not counted twice.
        degree = nx.degree_centrality(D.to_undirected())
        rank = nx.pagerank(D, weight="weight")
        strength: Counter[str] = Counter()
        for u, v, k, w in G.edges(keys=True, data="weight"):
            if layer in ("all", k):
                strength[u] += w
                strength[v] += w
        for a in D.nodes:
            out.append(
                Centrality(
                    layer=layer,
                    actor=a,
                    label=labels[a],
                    degree=round(degree[a], 6),
                    weighted_degree=int(strength[a]),
                    pagerank=round(rank[a], 6),
                )
            )
    layer_order = {name: i for i, name in enumerate([*layers, "all"])}
    return tuple(sorted(out, key=lambda c: (layer_order[c.layer], -c.pagerank, c.actor)))


# --- signed view and blocs --------------------------------------------------------------------------


def signed_graph(G: nx.MultiDiGraph, sign: dict[str, int] | None = None) -> nx.Graph:
    """The undirected signed view: one edge per pair with ``sign``, ``positive``, ``negative``.

    The net sign weighs statements: a pair attacked three times and negotiating once is hostile. A
    tie counts as hostile, since one attack outweighs talk in a conflict.
    """
    sign = SIGN if sign is None else sign
    S = nx.Graph()
    for u, v, k, w in sorted(G.edges(keys=True, data="weight"), key=lambda e: e[:3]):
        s = sign.get(k, 0)
        if s == 0 or u == v:
            continue
        a, b = sorted((u, v))
        if not S.has_edge(a, b):
            S.add_edge(a, b, positive=0, negative=0)
        S.edges[a, b]["positive" if s > 0 else "negative"] += w
    for _, _, d in S.edges(data=True):
        d["sign"] = 1 if d["positive"] > d["negative"] else -1
    return S


def signed_ties(G: nx.MultiDiGraph) -> tuple[SignedTie, ...]:
    """Every pair in the signed view, sorted."""
    S = signed_graph(G)
    labels = _labels(G)
    return tuple(
        SignedTie(
            a=a,
            b=b,
            a_label=labels[a],
            b_label=labels[b],
            sign=d["sign"],
            positive=d["positive"],
            negative=d["negative"],
        )
        for a, b, d in sorted((*sorted((a, b)), d) for a, b, d in S.edges(data=True))
    )


def triads(G: nx.MultiDiGraph) -> tuple[Triad, ...]:
    """Every triangle of the signed view, with whether it is structurally balanced.

    Balanced: all friends, or two friends sharing an enemy. Unbalanced: a friend of a friend is an
    enemy, or three mutual enemies; these are the unstable configurations analysts look at.
    """
    S = signed_graph(G)
    labels = _labels(G)
    out = []
    for a in sorted(S):
        higher = sorted(n for n in S[a] if n > a)
        for b, c in combinations(higher, 2):
            if S.has_edge(b, c):
                signs = (S[a][b]["sign"], S[a][c]["sign"], S[b][c]["sign"])
                out.append(
                    Triad(
                        actors=(a, b, c),
                        labels=(labels[a], labels[b], labels[c]),
                        signs=signs,
                        balanced=signs[0] * signs[1] * signs[2] > 0,
                    )
                )
    return tuple(out)


def fighting_and_talking(G: nx.MultiDiGraph) -> tuple[Dyad, ...]:
    """Pairs with both attacked and negotiated_with statements (either direction); weight = both."""
    attacked: Counter[tuple[str, str]] = Counter()
    talked: Counter[tuple[str, str]] = Counter()
    for u, v, k, w in G.edges(keys=True, data="weight"):
        pair = (min(u, v), max(u, v))
        if k == RelationKind.ATTACKED.value:
            attacked[pair] += w
        elif k == RelationKind.NEGOTIATED_WITH.value:
            talked[pair] += w
    both = sorted(set(attacked) & set(talked))
    labels = _labels(G)
    return tuple(
        Dyad(
            a=a,
            b=b,
            a_label=labels[a],
            b_label=labels[b],
            kind="attacked+negotiated_with",
            weight=attacked[a, b] + talked[a, b],
        )
        for a, b in both
    )


def enemy_of_my_enemy(G: nx.MultiDiGraph) -> tuple[EnemyOfEnemy, ...]:
    """Pairs (A, C) both in an attacked relation with some B, with no relation at all between A and C."""
    enemies: dict[str, set[str]] = defaultdict(set)
    for u, v, k in G.edges(keys=True):
        if k == RelationKind.ATTACKED.value and u != v:
            enemies[u].add(v)
            enemies[v].add(u)
    linked = {frozenset((u, v)) for u, v in G.edges()}
    via: dict[tuple[str, str], set[str]] = defaultdict(set)
    for b, foes in enemies.items():
        for a, c in combinations(sorted(foes), 2):
            if frozenset((a, c)) not in linked:
                via[a, c].add(b)
    labels = _labels(G)
    out = []
    for a, c in sorted(via):
        common = tuple(sorted(via[a, c]))
        out.append(
            EnemyOfEnemy(
                a=a,
                c=c,
                a_label=labels[a],
                c_label=labels[c],
                common_enemies=common,
                common_enemy_labels=tuple(labels[b] for b in common),
            )
        )
    return tuple(out)


def alliance_blocs(
    G: nx.MultiDiGraph,
    *,
    kinds: Iterable[RelationKind | str] = _BLOC_KINDS,
    method: str = "modularity",
) -> tuple[Bloc, ...]:
    """Blocs of two or more actors from the undirected positive layer (by default backed, cooperated).

    Pairs whose net signed tie is hostile are left out, so fighting parties who also talk do not
    merge into one bloc. ``method="modularity"`` splits components with greedy modularity
    communities; ``"components"`` keeps whole connected components.

    Raises:
        ConfigError: If ``method`` is unknown.
    """
    if method not in ("modularity", "components"):
        raise ConfigError(f"unknown bloc method {method!r}; use 'modularity' or 'components'")
    wanted = {str(k.value if isinstance(k, RelationKind) else k) for k in kinds}
    S = signed_graph(G)
    U = nx.Graph()
    for u, v, k, w in sorted(G.edges(keys=True, data="weight"), key=lambda e: e[:3]):
        if k not in wanted or u == v:
            continue
        a, b = sorted((u, v))
        if S.has_edge(a, b) and S[a][b]["sign"] < 0:
            continue
        U.add_edge(a, b, weight=(U[a][b]["weight"] if U.has_edge(a, b) else 0) + w)
    if U.number_of_edges() == 0:
        return ()
    if method == "components":
        groups = [set(c) for c in nx.connected_components(U)]
    else:
        groups = [set(c) for c in nx.community.greedy_modularity_communities(U, weight="weight")]
    ordered = sorted((tuple(sorted(g)) for g in groups if len(g) > 1), key=lambda m: (-len(m), m))
    labels = _labels(G)
    return tuple(
        Bloc(id=i, members=m, labels=tuple(labels[a] for a in m)) for i, m in enumerate(ordered, start=1)
    )


# --- time -------------------------------------------------------------------------------------------


def edges_per_month(G: nx.MultiDiGraph) -> tuple[MonthCount, ...]:
    """Dated statements per month and kind (undated statements are not counted)."""
    counts: Counter[tuple[str, str]] = Counter()
    for _, _, k, evidence in G.edges(keys=True, data="evidence"):
        for e in evidence or ():
            if e.get("date"):
                counts[e["date"][:7], k] += 1
    return tuple(MonthCount(month=m, kind=k, statements=n) for (m, k), n in sorted(counts.items()))


# --- bundle and formats -----------------------------------------------------------------------------


PROV_DERIVED = PROV.wasDerivedFrom


def dataset_coverage(graph: Graph) -> tuple[Coverage, ...]:
    """Per imported dataset and relation kind: its events, how many the articles corroborate, and
    how many events of that kind only the articles report (the same in every row of a kind).

    Events are the ``ck:event`` nodes of asserted statements; a text statement with no event (no
    date) counts as an event of its own. Empty when the graph holds no dataset statements.
    """
    from rdflib import RDF

    from graph.vocab import CK, CKR, SCHEMA

    release_name = {r: str(n) for r, n in graph.subject_objects(SCHEMA.identifier)}
    record_dataset = {rec: release_name.get(rel, str(rel)) for rec, rel in graph.subject_objects(CK.dataset)}
    articles = set(graph.subjects(RDF.type, CK.Article))
    events: dict = {}
    text_events: dict[str, set] = defaultdict(set)
    data_events: dict[tuple[str, str], set] = defaultdict(set)
    for st, flag in graph.subject_objects(CK.isEdge):
        if not (hasattr(flag, "toPython") and flag.toPython() is True):
            continue
        kind_iri = graph.value(st, CK.relationType)
        origin = graph.value(st, PROV_DERIVED)
        if kind_iri is None or origin is None:
            continue
        kind = str(kind_iri)[len(str(CKR)) :]
        event = graph.value(st, CK.event) or st
        events[event] = kind
        if origin in articles:
            text_events[kind].add(event)
        elif origin in record_dataset:
            data_events[(record_dataset[origin], kind)].add(event)
    if not data_events:
        return ()
    reported = set().union(*data_events.values())
    rows = []
    for (dataset, kind), evs in sorted(data_events.items()):
        text = text_events.get(kind, set())
        rows.append(
            Coverage(
                dataset=dataset,
                kind=kind,
                events=len(evs),
                corroborated=len(evs & text),
                text_only=len(text - reported),
            )
        )
    return tuple(rows)


def analyze(
    graph: nx.MultiDiGraph | Graph,
    *,
    rollup: bool = True,
    top: int = 10,
    coverage: tuple[Coverage, ...] | None = None,
    linked_only: bool = False,
) -> Analysis:
    """Run every analysis on a projected network, or on an RDF graph projected here.

    Args:
        graph: The network from :func:`graph.network.to_networkx`, or the RDF graph itself.
        rollup: When ``graph`` is RDF, roll actors up to the state they act for before analysing.
        top: How many actors the attacker rankings keep.
        coverage: The dataset coverage table (:func:`dataset_coverage`); computed here when
            ``graph`` is RDF.
        linked_only: Leave out open-world actors (not in the gazetteer) and their relations; with
            ``rollup`` one that acts for a gazetteer state counts as that state.
    """
    if isinstance(graph, Graph):
        from graph.network import to_networkx

        G = to_networkx(graph, rollup=rollup, linked_only=linked_only)
        coverage = dataset_coverage(graph) if coverage is None else coverage
    elif linked_only:
        from graph.network import drop_unlinked

        G = drop_unlinked(graph)
    else:
        G = graph
    return Analysis(
        nodes=G.number_of_nodes(),
        edges=G.number_of_edges(),
        top_attackers=top_attackers(G, top),
        most_attacked=most_attacked(G, top),
        backers=backers_and_clients(G),
        negotiations=negotiation_network(G),
        centrality=centrality(G),
        blocs=alliance_blocs(G),
        signed_ties=signed_ties(G),
        triads=triads(G),
        fighting_and_talking=fighting_and_talking(G),
        enemy_of_my_enemy=enemy_of_my_enemy(G),
        per_month=edges_per_month(G),
        coverage=coverage or (),
    )


# Label columns come last so CSV readers that index the first six columns keep working.
_COLUMNS = ("section", "actor", "other", "kind", "value", "detail", "actor_label", "other_label")
# What the text tables show under each heading: labels where CSV has ids.
_TABLE_COLUMNS = (
    ("actor", "actor_label"),
    ("other", "other_label"),
    ("kind", "kind"),
    ("value", "value"),
    ("detail", "detail"),
)


def analysis_rows(result: Analysis) -> list[dict[str, str | int | float]]:
    """One flat row per finding, with the columns of :data:`_COLUMNS` (for CSV and tables).

    ``actor`` and ``other`` hold ids (several joined with ``;``); ``actor_label`` and
    ``other_label`` the labels (joined with ``; ``), and default to the id columns.
    """
    rows: list[dict[str, str | int | float]] = []

    def add(
        section: str,
        actor: str = "",
        other: str = "",
        kind: str = "",
        value: object = "",
        detail: str = "",
        *,
        actor_label: str | None = None,
        other_label: str | None = None,
    ):
        rows.append(
            {
                "section": section,
                "actor": actor,
                "other": other,
                "kind": kind,
                "value": value,
                "detail": detail,
                "actor_label": actor if actor_label is None else actor_label,
                "other_label": other if other_label is None else other_label,
            }
        )

    for name, scores in (("top_attackers", result.top_attackers), ("most_attacked", result.most_attacked)):
        for s in scores:
            add(
                name,
                s.actor,
                kind="attacked",
                value=s.statements,
                detail=f"{s.counterparts} counterpart(s)",
                actor_label=s.label,
            )
    for b in result.backers:
        add(
            "backers",
            b.backer,
            ";".join(b.clients),
            "backed",
            b.statements,
            actor_label=b.label,
            other_label="; ".join(b.client_labels),
        )
    for d in result.negotiations:
        add(
            "negotiations", d.a, d.b, d.kind, d.weight, _span(d), actor_label=d.a_label, other_label=d.b_label
        )
    for c in result.centrality:
        add(
            "centrality",
            c.actor,
            kind=c.layer,
            value=c.pagerank,
            detail=f"degree={c.degree} weighted={c.weighted_degree}",
            actor_label=c.label,
        )
    for bloc in result.blocs:
        add(
            "blocs",
            ";".join(bloc.members),
            value=bloc.id,
            detail=f"{len(bloc.members)} members",
            actor_label="; ".join(bloc.labels),
        )
    for t in result.signed_ties:
        add(
            "signed_ties",
            t.a,
            t.b,
            value=t.sign,
            detail=f"+{t.positive} -{t.negative}",
            actor_label=t.a_label,
            other_label=t.b_label,
        )
    for tr in result.triads:
        signs = " ".join("+" if s > 0 else "-" for s in tr.signs)
        add(
            "triads",
            ";".join(tr.actors),
            value=int(tr.balanced),
            detail=f"{'balanced' if tr.balanced else 'unbalanced'} ({signs})",
            actor_label="; ".join(tr.labels),
        )
    for d in result.fighting_and_talking:
        add("fighting_and_talking", d.a, d.b, d.kind, d.weight, actor_label=d.a_label, other_label=d.b_label)
    for e in result.enemy_of_my_enemy:
        add(
            "enemy_of_my_enemy",
            e.a,
            e.c,
            value=len(e.common_enemies),
            detail="common enemy: " + "; ".join(e.common_enemy_labels),
            actor_label=e.a_label,
            other_label=e.c_label,
        )
    for m in result.per_month:
        add("per_month", kind=m.kind, value=m.statements, detail=m.month)
    for c in result.coverage:
        add(
            "coverage",
            c.dataset,
            kind=c.kind,
            value=c.share,
            detail=f"events={c.events} corroborated={c.corroborated} text_only={c.text_only}",
        )
    return rows


def _span(d: Dyad) -> str:
    if not d.first_date:
        return ""
    return d.first_date if d.first_date == d.last_date else f"{d.first_date}..{d.last_date}"


def format_analysis(result: Analysis, fmt: str = "table") -> str:
    """Render an analysis as aligned text tables, one CSV, or JSON.

    Raises:
        ConfigError: If ``fmt`` is not one of :data:`ANALYSIS_FORMATS`.
    """
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    rows = analysis_rows(result)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    if fmt != "table":
        raise ConfigError(f"unknown format {fmt!r}; use one of: {', '.join(ANALYSIS_FORMATS)}")
    return _tables(result, rows)


def _tables(result: Analysis, rows: list[dict[str, str | int | float]]) -> str:
    out = [f"{result.nodes} actors, {result.edges} edges"]
    sections = [f.name for f in fields(Analysis) if f.name not in ("nodes", "edges")]
    for section in sections:
        block = [r for r in rows if r["section"] == section]
        if section == "coverage" and not block:
            continue  # a graph without imported datasets
        out.append("")
        out.append(f"== {section.replace('_', ' ')} ==")
        if not block:
            out.append("(none)")
            continue
        shown = [(head, c) for head, c in _TABLE_COLUMNS if any(r[c] != "" for r in block)]
        cols = [head for head, _ in shown]
        cells = [[str(r[c]) for _, c in shown] for r in block]
        widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
        out.append("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip())
        out.extend("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    return "\n".join(out) + "\n"
