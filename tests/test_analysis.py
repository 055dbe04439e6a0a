"""Tests for graph.analysis on hand-built networks."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from conftest import KG_ACTORS, OW_TRIBE, OW_UNIT, build_kg

from graph.analysis import (
    alliance_blocs,
    analysis_rows,
    analyze,
    backers_and_clients,
    centrality,
    edges_per_month,
    enemy_of_my_enemy,
    fighting_and_talking,
    format_analysis,
    most_attacked,
    negotiation_network,
    signed_graph,
    top_attackers,
    triads,
)
from graph.errors import ConfigError
from graph.network import to_networkx


@pytest.fixture()
def states(kg) -> nx.MultiDiGraph:
    """The fixture graph rolled up to states (plus the rebels, who act for no one)."""
    return to_networkx(kg, rollup=True)


def net(*edges: tuple[str, str, str, int]) -> nx.MultiDiGraph:
    """A tiny network: (source, target, kind, weight) rows, labels = ids."""
    G = nx.MultiDiGraph()
    for u, v, kind, w in edges:
        for n in (u, v):
            G.add_node(n, label=n.upper(), type="state", country=None)
        G.add_edge(u, v, key=kind, kind=kind, weight=w, dates=[], evidence=[], articles=[],
                   symmetric=kind in ("negotiated_with", "cooperated"))  # fmt: skip
    return G


def test_attacker_rankings(states):
    assert [(s.actor, s.statements, s.counterparts) for s in top_attackers(states)] == [
        ("tur", 3, 1),
        ("syr", 2, 2),
    ]
    assert [(s.actor, s.statements) for s in most_attacked(states)] == [("syr", 3), ("rebels", 1), ("tur", 1)]
    assert top_attackers(states, 1)[0].label == "Turkey"


def test_backers_and_clients(states):
    assert [(b.backer, b.clients) for b in backers_and_clients(states)] == [
        ("rus", ("syr",)),
        ("tur", ("rebels",)),
    ]
    G = net(("usa", "b", "backed", 1), ("usa", "a", "backed", 2), ("fra", "a", "backed", 1))
    assert [(b.backer, b.clients, b.statements) for b in backers_and_clients(G)] == [
        ("usa", ("a", "b"), 3),
        ("fra", ("a",), 1),
    ]


def test_negotiation_network(states):
    (talks,) = negotiation_network(states)
    assert (talks.a, talks.b, talks.weight) == ("rus", "tur", 2)
    assert (talks.first_date, talks.last_date) == ("2020-03-05", "2020-04-01")


def test_centrality_per_layer(states):
    rows = centrality(states)
    assert {c.layer for c in rows} == {"attacked", "backed", "negotiated_with", "all"}
    attacked = [c for c in rows if c.layer == "attacked"]
    assert attacked[0].actor == "syr"  # the most attacked has the highest PageRank in that layer
    assert abs(sum(c.pagerank for c in attacked) - 1.0) < 1e-4
    talks = {c.actor: c for c in rows if c.layer == "negotiated_with"}
    assert talks["tur"].degree == 1.0 and talks["tur"].weighted_degree == 2
    overall = {c.actor: c.weighted_degree for c in rows if c.layer == "all"}
    assert overall == {"tur": 7, "syr": 6, "rus": 3, "rebels": 2}


def test_blocs_split_opposing_camps(states):
    assert [b.members for b in alliance_blocs(states)] == [("rebels", "tur"), ("rus", "syr")]
    # with negotiations counted, the Russia–Turkey talks join the two camps into one component
    merged = alliance_blocs(states, kinds=["backed", "negotiated_with"], method="components")
    assert [b.members for b in merged] == [("rebels", "rus", "syr", "tur")]
    with pytest.raises(ConfigError):
        alliance_blocs(states, method="louvain")


def test_blocs_leave_out_hostile_pairs():
    G = net(("a", "b", "backed", 1), ("a", "b", "attacked", 3), ("c", "d", "cooperated", 1))
    assert [b.members for b in alliance_blocs(G)] == [("c", "d")]


def test_signed_view_weighs_statements(states):
    S = signed_graph(states)
    assert S["syr"]["tur"]["sign"] == -1 and S["syr"]["tur"]["negative"] == 4
    assert S["rus"]["syr"]["sign"] == 1
    G = net(("a", "b", "attacked", 1), ("a", "b", "negotiated_with", 3))
    assert signed_graph(G)["a"]["b"]["sign"] == 1
    tie = net(("a", "b", "attacked", 1), ("a", "b", "backed", 1))
    assert signed_graph(tie)["a"]["b"]["sign"] == -1


def test_triads_report_turkey_syria_russia_unbalanced(states):
    found = {t.actors: t for t in triads(states)}
    assert set(found) == {("rus", "syr", "tur"), ("rebels", "syr", "tur")}
    tsr = found["rus", "syr", "tur"]
    assert tsr.signs == (1, 1, -1) and tsr.balanced is False  # friend of a friend is an enemy
    assert found["rebels", "syr", "tur"].balanced is True  # two friends share an enemy


def test_enemy_of_my_enemy():
    G = net(
        ("x", "b", "attacked", 1),
        ("b", "y", "attacked", 2),
        ("z", "b", "attacked", 1),
        ("x", "z", "backed", 1),
    )
    found = [(e.a, e.c, e.common_enemies) for e in enemy_of_my_enemy(G)]
    assert found == [("x", "y", ("b",)), ("y", "z", ("b",))]  # x and z are already linked


def test_fighting_and_talking():
    G = net(("a", "b", "attacked", 2), ("a", "b", "negotiated_with", 1), ("c", "d", "attacked", 1))
    (dyad,) = fighting_and_talking(G)
    assert (dyad.a, dyad.b, dyad.weight) == ("a", "b", 3)


def test_edges_per_month(states):
    assert [(m.month, m.kind, m.statements) for m in edges_per_month(states)] == [
        ("2020-02", "attacked", 2),
        ("2020-03", "attacked", 3),
        ("2020-03", "backed", 2),
        ("2020-03", "negotiated_with", 1),
        ("2020-04", "negotiated_with", 1),
    ]


def test_analyze_bundles_everything(kg):
    rolled = analyze(kg)
    assert (rolled.nodes, rolled.edges) == (4, 6)
    assert rolled.top_attackers[0].actor == "tur"
    unrolled = analyze(kg, rollup=False)
    assert unrolled.nodes == 7 and "tur_armed_forces" in {s.actor for s in unrolled.top_attackers}
    assert analyze(to_networkx(kg, rollup=True)) == rolled


def test_formats(kg):
    result = analyze(kg)
    data = json.loads(format_analysis(result, "json"))
    assert data["backers"][0]["backer"] == "rus"
    assert data["triads"][1]["actors"] == ["rus", "syr", "tur"]
    rows = list(csv.DictReader(io.StringIO(format_analysis(result, "csv"))))
    assert {"section": "triads", "actor": "rus;syr;tur", "value": "0"}.items() <= next(
        r for r in rows if r["section"] == "triads" and r["actor"] == "rus;syr;tur"
    ).items()
    table = format_analysis(result, "table")
    assert "== top attackers ==" in table and "unbalanced (+ + -)" in table
    with pytest.raises(ConfigError):
        format_analysis(result, "xml")


def test_tables_show_labels_not_ids(kg):
    G = to_networkx(kg)  # not rolled up: every actor has a label different from its id but rebels
    table = format_analysis(analyze(G), "table")
    for n, label in G.nodes(data="label"):
        if n != label:
            assert not re.search(rf"\b{re.escape(n)}\b", table), f"the table shows the id {n!r}"
    assert "Turkish Armed Forces" in table and "Recep Tayyip Erdogan  Russia" in table


def test_every_section_with_actors_has_labels_beside_ids(open_kg):
    rows = analysis_rows(analyze(open_kg, rollup=False))
    sections = {r["section"] for r in rows} - {"per_month"}
    assert sections == {"top_attackers", "most_attacked", "backers", "negotiations", "centrality", "blocs",
                        "signed_ties", "triads", "enemy_of_my_enemy"}  # fmt: skip
    label = dict(to_networkx(open_kg).nodes(data="label"))
    for r in rows:
        if r["section"] == "per_month":
            continue
        assert r["actor_label"] == "; ".join(label[a] for a in str(r["actor"]).split(";")), r
        assert r["other_label"] == "; ".join(label[a] for a in str(r["other"]).split(";") if a), r
    backers = {r["actor"]: r for r in rows if r["section"] == "backers"}
    assert backers["tur"]["other"] == f"{OW_TRIBE};rebels"
    assert backers["tur"]["other_label"] == "local tribesmen; rebels"
    foes = next(r for r in rows if r["section"] == "enemy_of_my_enemy" and r["actor"] == OW_TRIBE)
    assert foes["detail"] == "common enemy: rebels" and foes["other_label"] == "25th Division"


def test_records_carry_labels(open_kg):
    result = analyze(open_kg, rollup=False)
    (talks, _) = result.negotiations
    assert (talks.a, talks.a_label, talks.b_label) == ("erdogan", "Recep Tayyip Erdogan", "Russia")
    assert {c.label for c in result.centrality if c.actor == OW_UNIT} == {"25th Division"}
    tie = next(t for t in result.signed_ties if (t.a, t.b) == ("syr", "tur"))
    assert (tie.a_label, tie.b_label) == ("Syria", "Turkey")
    triad = {t.actors: t for t in result.triads}["rus", "syr", "tur"]
    assert triad.labels == ("Russia", "Syria", "Turkey")
    backer = {b.backer: b for b in result.backers}["tur"]
    assert backer.client_labels == ("local tribesmen", "rebels")
    eoe = {(e.a, e.c): e for e in result.enemy_of_my_enemy}[OW_TRIBE, "syr"]
    assert (eoe.a_label, eoe.c_label, eoe.common_enemy_labels) == ("local tribesmen", "Syria", ("rebels",))
    data = json.loads(format_analysis(result, "json"))
    assert data["negotiations"][0]["b_label"] == "Russia"


def test_a_label_shared_by_two_actors_gets_its_id():
    G = net(("ow_police_police_syr", "x", "attacked", 2), ("ow_police_police_tur", "x", "attacked", 1))
    for n in ("ow_police_police_syr", "ow_police_police_tur"):
        G.nodes[n]["label"] = "police"
    labels = [s.label for s in top_attackers(G)]
    assert labels == ["police (ow_police_police_syr)", "police (ow_police_police_tur)"]
    assert most_attacked(G)[0].label == "X"  # a label no other actor has stays as it is


def test_linked_only_leaves_out_open_world_actors(open_kg):
    everyone = json.dumps(analyze(open_kg, rollup=False).to_dict())
    assert OW_TRIBE in everyone and OW_UNIT in everyone
    linked = analyze(open_kg, rollup=False, linked_only=True)
    assert "ow_" not in json.dumps(linked.to_dict())
    # a projected network is filtered the same way
    assert analyze(to_networkx(open_kg), linked_only=True) == linked
    # with roll-up the division counts as Syria, the tribesmen (acting for no one) go
    rolled = analyze(open_kg, linked_only=True)
    assert (rolled.nodes, "ow_" in json.dumps(rolled.to_dict())) == (4, False)
    syria = {s.actor: s.statements for s in rolled.top_attackers}["syr"]
    assert syria == {s.actor: s.statements for s in analyze(open_kg).top_attackers}["syr"] == 3


def test_empty_network_gives_empty_results():
    empty = build_kg(KG_ACTORS, [], {"x": None})
    result = analyze(empty)
    assert result.nodes == 0 and result.triads == () and result.blocs == () and result.centrality == ()


def test_seeds_analysis(seeds_graph):
    """The Idlib seeds, through the real pipeline: the dyads and the triad analysts expect."""
    G = to_networkx(seeds_graph, rollup=True)
    assert G.has_edge("tur", "syr", "attacked") and G.has_edge("syr", "tur", "attacked")
    result = analyze(G)
    backers = {b.backer: b.clients for b in result.backers}
    assert "syr" in backers["rus"]
    assert any(c.startswith("rebels") for c in backers["tur"])  # the Syrian rebels
    assert {"tur", "syr"} <= {s.actor for s in result.top_attackers[:3]}
    triad = {t.actors: t for t in result.triads}[("rus", "syr", "tur")]
    assert triad.balanced is False  # Russia backs Syria, talks with Turkey, Turkey and Syria fight
    blocs = [set(b.members) for b in result.blocs]
    assert not any({"tur", "syr"} <= bloc for bloc in blocs)


def test_cli_analyze(kg, tmp_path):
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.rdf import write_graph

    write_graph(kg, tmp_path / "g.ttl", "turtle")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "g.ttl"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["top_attackers"][0]["actor"] == "tur"
    unrolled = CliRunner().invoke(app, ["analyze", str(tmp_path / "g.ttl"), "--no-rollup", "-f", "csv"])
    assert "tur_armed_forces" in unrolled.output
    bad = CliRunner().invoke(app, ["analyze", str(tmp_path / "g.ttl"), "--format", "xml"])
    assert bad.exit_code != 0
