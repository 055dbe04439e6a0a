"""Tests for graph.network: the actor projection and the exports."""

from __future__ import annotations

import csv
import datetime as dt
import json

import networkx as nx
import pytest
from conftest import KG_ACTORS, KG_ARTICLES, KG_STATEMENTS, OW_TRIBE, OW_UNIT, build_kg
from rdflib import Literal

from graph.errors import ConfigError
from graph.network import actor_id_of, drop_unlinked, export_network, scalar_graph, to_networkx
from graph.records import RelationKind
from graph.vocab import CK, actor_iri


def edges_of(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], int]:
    return {(u, v, k): d["weight"] for u, v, k, d in G.edges(keys=True, data=True)}


def test_actors_become_nodes_with_their_attributes(kg):
    G = to_networkx(kg)
    assert G.nodes["tur"] == {"label": "Turkey", "type": "state", "country": "TUR", "linked": True}
    assert G.nodes["rebels"] == {"label": "rebels", "type": "non_state_armed_group", "country": None,
                                 "linked": True}  # fmt: skip
    assert G.nodes["tur_armed_forces"]["type"] == "armed_forces"
    # tur_government takes part in no statement, so it is not a node of the projection
    assert "tur_government" not in G


def test_statements_merge_into_keyed_weighted_edges(kg):
    G = to_networkx(kg)
    assert edges_of(G) == {
        ("tur_armed_forces", "syr_government", "attacked"): 1,
        ("syr", "tur", "attacked"): 1,
        ("tur", "syr", "attacked"): 2,
        ("rus", "syr", "backed"): 1,
        ("tur", "rebels", "backed"): 1,
        ("erdogan", "rus", "negotiated_with"): 1,
        ("rus", "tur", "negotiated_with"): 1,
        ("syr", "rebels", "attacked"): 1,
    }
    edge = G.edges["tur", "syr", "attacked"]
    assert edge["kind"] == "attacked"
    assert edge["dates"] == ["2020-03-02", "2020-03-03"]
    assert edge["articles"] == ["a2"]
    assert edge["evidence"] == [
        {"sentence": "Turkey struck Syrian positions.", "article": "a2", "date": "2020-03-02"},
        {"sentence": "Turkey hit Syrian airfields.", "article": "a2", "date": "2020-03-03"},
    ]
    assert edge["symmetric"] is False


def test_non_edge_statements_only_on_request(kg):
    assert ("rus", "tur", "attacked") not in edges_of(to_networkx(kg))
    G = to_networkx(kg, include_non_edges=True)
    assert G.edges["rus", "tur", "attacked"]["modalities"] == ["negated"]
    assert G.edges["tur", "syr", "attacked"]["modalities"] == ["asserted"]


def test_kind_filter(kg):
    G = to_networkx(kg, kinds=[RelationKind.BACKED, "negotiated_with"])
    assert {k for _, _, k in G.edges(keys=True)} == {"backed", "negotiated_with"}
    assert "syr_government" not in G
    with pytest.raises(ConfigError, match="bombed"):
        to_networkx(kg, kinds=["bombed"])


def test_date_range_is_inclusive(kg):
    G = to_networkx(kg, start=dt.date(2020, 3, 2), end=dt.date(2020, 3, 3))
    assert edges_of(G) == {
        ("tur", "syr", "attacked"): 2,
        ("rus", "syr", "backed"): 1,
        ("tur", "rebels", "backed"): 1,
    }
    with pytest.raises(ConfigError, match="swap"):
        to_networkx(kg, start=dt.date(2020, 4, 1), end=dt.date(2020, 3, 1))


def test_undated_statement_takes_the_article_date():
    statements = [("attacked", "tur", "syr", "a1", None, "Turkey struck.", "asserted")]
    kg = build_kg(KG_ACTORS, statements, {"a1": "2020-03-09"})
    assert to_networkx(kg).edges["tur", "syr", "attacked"]["dates"] == ["2020-03-09"]
    undated = build_kg(KG_ACTORS, statements, {"a1": None})
    assert to_networkx(undated).edges["tur", "syr", "attacked"]["dates"] == []
    assert to_networkx(undated, start=dt.date(2020, 1, 1)).number_of_edges() == 0


def test_rollup_follows_acts_for_transitively(kg):
    G = to_networkx(kg, rollup=True)
    assert set(G) == {"tur", "syr", "rus", "rebels"}
    assert G.edges["tur", "syr", "attacked"]["weight"] == 3  # armed forces → government merged in
    talks = G.edges["rus", "tur", "negotiated_with"]  # erdogan → tur_government → tur
    assert talks["weight"] == 2
    assert talks["articles"] == ["a1", "a2"]
    assert G.graph["rollup"] is True


def test_rollup_drops_self_loops_and_survives_cycles():
    actors = [
        ("a_gov", "A government", "government", "AAA", "a_army"),
        ("a_army", "A army", "armed_forces", "AAA", "a_gov"),  # a cycle in the data
        ("b", "B", "state", "BBB", None),
    ]
    statements = [
        ("backed", "a_gov", "a_army", "x", "2020-01-01", "A's government backs its army.", "asserted"),
        ("attacked", "a_army", "b", "x", "2020-01-02", "A's army attacked B.", "asserted"),
    ]
    G = to_networkx(build_kg(actors, statements, {"x": "2020-01-02"}), rollup=True)
    assert G.number_of_edges() == 1
    ((u, v, k),) = edges_of(G)
    assert (v, k) == ("b", "attacked") and u in {"a_gov", "a_army"}


def test_symmetric_kinds_merge_both_directions():
    statements = [
        ("negotiated_with", "tur", "rus", "x", "2020-03-05", "Turkey met Russia.", "asserted"),
        ("negotiated_with", "rus", "tur", "x", "2020-03-06", "Russia met Turkey.", "asserted"),
        ("attacked", "tur", "syr", "x", "2020-03-06", "Turkey struck Syria.", "asserted"),
        ("attacked", "syr", "tur", "x", "2020-03-06", "Syria struck Turkey.", "asserted"),
    ]
    G = to_networkx(build_kg(KG_ACTORS, statements, {"x": "2020-03-06"}))
    assert edges_of(G) == {
        ("rus", "tur", "negotiated_with"): 2,
        ("tur", "syr", "attacked"): 1,
        ("syr", "tur", "attacked"): 1,
    }
    assert G.edges["rus", "tur", "negotiated_with"]["symmetric"] is True


def test_min_weight(kg):
    assert edges_of(to_networkx(kg, min_weight=2)) == {("tur", "syr", "attacked"): 2}
    assert edges_of(to_networkx(kg, rollup=True, min_weight=2)) == {
        ("tur", "syr", "attacked"): 3,
        ("rus", "tur", "negotiated_with"): 2,
    }


# --- open-world actors -------------------------------------------------------------------------------

OPEN_EDGES = {
    (OW_UNIT, "rebels", "attacked"): 1,
    ("rebels", OW_TRIBE, "attacked"): 1,
    ("tur", OW_TRIBE, "backed"): 1,
}


def test_open_world_actors_are_nodes_marked_unlinked(open_kg, kg):
    G = to_networkx(open_kg)
    assert G.nodes[OW_TRIBE] == {"label": "local tribesmen", "type": "communal_group", "country": None,
                                 "linked": False}  # fmt: skip
    assert G.nodes[OW_UNIT]["linked"] is False and G.nodes[OW_UNIT]["type"] == "military_unit"
    assert G.nodes["tur"]["linked"] is True
    assert edges_of(G) == {**edges_of(to_networkx(kg)), **OPEN_EDGES}
    assert G.graph["linked_only"] is False


def test_linked_only_drops_open_world_actors_and_their_edges(open_kg, kg):
    G = to_networkx(open_kg, linked_only=True)
    assert not any(n.startswith("ow_") for n in G)
    assert edges_of(G) == edges_of(to_networkx(kg))
    assert all(linked for _, linked in G.nodes(data="linked"))
    assert G.graph["linked_only"] is True
    # an actor whose only edges are with open-world actors has no kept edge, so it is no node
    assert set(to_networkx(open_kg, kinds=["backed"], linked_only=True)) == {"rus", "syr", "tur", "rebels"}
    alone = to_networkx(open_kg, kinds=["attacked"], start=dt.date(2020, 3, 10), linked_only=True)
    assert alone.number_of_nodes() == 0  # rebels fought only open-world actors that day


def test_linked_only_after_rollup_keeps_a_unit_as_its_state(open_kg):
    rolled = to_networkx(open_kg, rollup=True)
    assert OW_UNIT not in rolled  # it acts for Syria
    assert rolled.nodes[OW_TRIBE]["linked"] is False  # acts for no one: stays itself
    G = to_networkx(open_kg, rollup=True, linked_only=True)
    assert set(G) == {"tur", "syr", "rus", "rebels"}
    assert G.edges["syr", "rebels", "attacked"]["weight"] == 2  # Syria's own attack and the unit's
    assert edges_of(G) == {k: w for k, w in edges_of(rolled).items() if OW_TRIBE not in k[:2]}


def test_graphs_without_linked_triples_count_every_actor_as_linked(open_kg):
    open_kg.remove((None, CK.linked, None))  # as graphs written before open-world actors
    G = to_networkx(open_kg, linked_only=True)
    assert G.nodes[OW_TRIBE]["linked"] is True and OW_UNIT in G
    # a graph merged from two builds that disagree: linked wins
    open_kg.add((actor_iri(OW_TRIBE), CK.linked, Literal(False)))
    assert to_networkx(open_kg).nodes[OW_TRIBE]["linked"] is False
    open_kg.add((actor_iri(OW_TRIBE), CK.linked, Literal(True)))
    assert to_networkx(open_kg).nodes[OW_TRIBE]["linked"] is True


def test_drop_unlinked_matches_linked_only_and_leaves_the_input(open_kg):
    G = to_networkx(open_kg, kinds=["backed"])
    H = drop_unlinked(G)
    expected = to_networkx(open_kg, kinds=["backed"], linked_only=True)
    assert list(H.nodes(data=True)) == list(expected.nodes(data=True))
    assert edges_of(H) == edges_of(expected) and H.graph["linked_only"] is True
    assert OW_TRIBE in G and G.number_of_edges() == 3  # the input is not changed
    alone = drop_unlinked(to_networkx(open_kg, kinds=["attacked"], start=dt.date(2020, 3, 10)))
    assert alone.number_of_nodes() == 0  # rebels' only edges were with open-world actors


def test_actor_id_of():
    assert actor_id_of(actor_iri("tur_armed_forces")) == "tur_armed_forces"


def test_projection_is_deterministic(kg):
    a, b = to_networkx(kg), to_networkx(build_kg(KG_ACTORS, list(reversed(KG_STATEMENTS)), KG_ARTICLES))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


# --- exports ----------------------------------------------------------------------------------------


def test_scalar_graph_has_only_scalar_attributes(kg):
    flat = scalar_graph(to_networkx(kg))
    for _, _, d in flat.edges(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in d.values())
    for _, d in flat.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in d.values())


def test_graphml_round_trip(kg, tmp_path):
    G = to_networkx(kg, rollup=True)
    (path,) = export_network(G, tmp_path / "g.graphml", "graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert set(back.nodes) == set(G.nodes)
    assert back.number_of_edges() == G.number_of_edges()
    edge = back.edges["tur", "syr", "attacked"]
    assert edge["weight"] == 3
    assert edge["dates"] == "2020-03-01; 2020-03-02; 2020-03-03"
    assert [e["article"] for e in json.loads(edge["evidence"])] == ["a1", "a2", "a2"]
    assert back.nodes["tur"]["country"] == "TUR"
    assert back.nodes["tur"]["linked"] is True


def test_exports_carry_linked(open_kg, tmp_path):
    G = to_networkx(open_kg)
    (path,) = export_network(G, tmp_path / "g.graphml", "graphml")
    assert nx.read_graphml(path, force_multigraph=True).nodes[OW_TRIBE]["linked"] is False
    (path,) = export_network(G, tmp_path / "g.gexf", "gexf")
    assert nx.read_gexf(path).nodes[OW_TRIBE]["linked"] is False
    export_network(G, tmp_path / "csv", "csv")
    with open(tmp_path / "csv" / "nodes.csv", newline="", encoding="utf-8") as f:
        linked = {row["id"]: row["linked"] for row in csv.DictReader(f)}
    assert linked[OW_TRIBE] == linked[OW_UNIT] == "false" and linked["tur"] == "true"


def test_gexf_export_reads_back(kg, tmp_path):
    G = to_networkx(kg)
    (path,) = export_network(G, tmp_path / "g.gexf", "gexf")
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(G.nodes)
    assert back.number_of_edges() == G.number_of_edges()


def test_csv_export_writes_nodes_and_edges(kg, tmp_path):
    G = to_networkx(kg, rollup=True)
    written = export_network(G, tmp_path / "csv", "csv")
    assert [p.name for p in written] == ["nodes.csv", "edges.csv"]
    with open(tmp_path / "csv" / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = {row["id"]: row for row in csv.DictReader(f)}
    with open(tmp_path / "csv" / "edges.csv", newline="", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    assert set(nodes) == {"tur", "syr", "rus", "rebels"}
    assert nodes["tur"]["weighted_degree"] == "7"  # 3 + 1 attacked, 1 backed, 2 talks
    assert len(edges) == G.number_of_edges()
    row = next(e for e in edges if (e["source"], e["target"], e["kind"]) == ("tur", "syr", "attacked"))
    assert row["weight"] == "3" and row["first_date"] == "2020-03-01" and row["last_date"] == "2020-03-03"


def test_unknown_export_format(kg, tmp_path):
    with pytest.raises(ConfigError, match="graphml"):
        export_network(to_networkx(kg), tmp_path / "g.x", "dot")


def test_cli_export(kg, tmp_path):
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.rdf import write_graph

    write_graph(kg, tmp_path / "g.ttl", "turtle")
    runner = CliRunner()
    result = runner.invoke(
        app, ["export", str(tmp_path / "g.ttl"), "-f", "gexf", "-o", str(tmp_path / "g.gexf")]
    )
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == 7
    result = runner.invoke(app, ["export", str(tmp_path / "g.ttl"), "-f", "csv", "-o", str(tmp_path / "t"),
                                 "--rollup", "--from", "2020-03-02"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t" / "edges.csv").read_text(encoding="utf-8").count("\n") == 1 + 4  # header + 4 edges
