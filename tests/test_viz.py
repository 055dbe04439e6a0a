"""Tests for graph.viz: the offline HTML page, checked as text (tests/test_browser.py renders it)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import networkx as nx
import pytest
from conftest import HOSTILE_ARTICLE, HOSTILE_TEXT, OW_TRIBE, OW_UNIT

from graph.errors import OutputError
from graph.network import to_networkx
from graph.records import ActorType
from graph.viz import LAYOUT_THRESHOLD, _load_style, to_html, write_html

REMOTE = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:|wss?:)?//""", re.IGNORECASE)


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ckg-data">(.*?)</script>', page, re.DOTALL)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


def random_network(n: int, seed: int = 3) -> nx.MultiDiGraph:
    """A deterministic actor network of n nodes and about 2n edges."""
    base = nx.gnm_random_graph(n, 2 * n, seed=seed, directed=True)
    kinds = ["attacked", "backed", "negotiated_with", "threatened"]
    types = ["state", "armed_forces", "non_state_armed_group", "person"]
    G = nx.MultiDiGraph()
    for i in base.nodes:
        G.add_node(f"a{i}", label=f"Actor {i}", type=types[i % 4], country=None)
    for j, (u, v) in enumerate(sorted(base.edges)):
        kind = kinds[j % 4]
        day = f"2020-{1 + j % 12:02d}-{1 + j % 28:02d}"
        G.add_edge(f"a{u}", f"a{v}", key=kind, kind=kind, weight=1 + j % 3, dates=[day], articles=["x"],
                   evidence=[{"sentence": f"Statement {j}.", "article": "x", "date": day}],
                   symmetric=kind == "negotiated_with")  # fmt: skip
    return G


def test_page_is_self_contained(kg):
    assert REMOTE.search('<script src="https://cdn.example/vis.js">')  # the check itself bites
    assert REMOTE.search("<link href=//fonts.example/x.css>")
    page = to_html(to_networkx(kg))
    assert REMOTE.search(page) is None
    assert "<link" not in page.lower()
    assert "@import" not in page
    assert "bootstrap" not in page.lower() and "tom-select" not in page.lower()
    assert "sourceMappingURL" not in page
    assert "vis-network" in page and "new vis.Network(" in page  # the library and our script are inline
    assert "default-src 'none'" in page  # and the page forbids itself any request


def test_page_holds_every_node_and_edge(kg):
    G = to_networkx(kg)
    data = page_data(to_html(G))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(G.nodes)
    assert len(data["edges"]) == G.number_of_edges()
    meta = {(e["from"], e["to"], e["kind"]): e for e in data["edgeMeta"]}
    assert meta["tur", "syr", "attacked"]["weight"] == 2
    assert [e["sentence"] for e in meta["tur", "syr", "attacked"]["evidence"]] == [
        "Turkey struck Syrian positions.",
        "Turkey hit Syrian airfields.",
    ]
    assert data["dateRange"] == ["2020-02-15", "2020-04-01"]


def test_colours_legend_and_sizes(kg):
    G = to_networkx(kg)
    data = page_data(to_html(G))
    colours = {e["id"]: e["color"]["color"] for e in data["edges"]}
    kind_of = {e["id"]: e["kind"] for e in data["edgeMeta"]}
    assert {kind_of[i]: c for i, c in colours.items()} == {
        "attacked": "#d62728",
        "backed": "#2ca02c",
        "negotiated_with": "#1f77b4",
    }
    assert [k["kind"] for k in data["kinds"]] == ["attacked", "backed", "negotiated_with"]
    assert {t["type"]: t["count"] for t in data["types"]}["state"] == 3
    node = {n["id"]: n for n in data["nodes"]}
    assert node["tur"]["value"] == G.degree("tur", weight="weight") == 5
    assert node["tur"]["color"] != node["rebels"]["color"]  # coloured by actor type
    arrows = {kind_of[e["id"]]: e["arrows"]["to"]["enabled"] for e in data["edges"]}
    assert arrows["negotiated_with"] is False and arrows["attacked"] is True


def test_every_actor_type_has_its_own_colour():
    colours = _load_style()["node_colors"]
    assert set(colours) == {t.value for t in ActorType}
    assert len(set(colours.values())) == len(colours)


def test_open_world_actors_look_different(open_kg):
    G = to_networkx(open_kg)
    data = page_data(to_html(G))
    node = {n["id"]: n for n in data["nodes"]}
    style = _load_style()
    for n in (OW_TRIBE, OW_UNIT):
        assert node[n]["shape"] == "diamond" and node[n]["shapeProperties"]["borderDashes"]
        assert node[n]["color"]["border"] == style["unlinked"]["border_color"]
        assert node[n]["borderWidth"] == 2
    # the type colour stays inside, so the legend's colours still read
    assert node[OW_TRIBE]["color"]["background"] == style["node_colors"]["communal_group"]
    assert node[OW_UNIT]["color"]["background"] == style["node_colors"]["military_unit"]
    for n in ("tur", "rebels"):
        assert node[n]["shape"] == "dot" and "shapeProperties" not in node[n]
        assert node[n]["color"] == style["node_colors"][G.nodes[n]["type"]]
    meta = {m["id"]: m for m in data["nodeMeta"]}
    assert meta[OW_TRIBE]["linked"] is False and meta["tur"]["linked"] is True
    assert data["unlinked"] == 2
    assert {"communal_group", "military_unit"} <= {t["type"] for t in data["types"]}
    # the page script says so in the legend and in the tooltip (tests/test_browser.py shows both)
    assert "not in the gazetteer (open-world)" in to_html(G)
    assert page_data(to_html(to_networkx(open_kg, linked_only=True)))["unlinked"] == 0


def test_graphs_without_linked_attribute_draw_every_actor_as_linked():
    G = random_network(10)
    data = page_data(to_html(G))
    assert data["unlinked"] == 0 and {n["shape"] for n in data["nodes"]} == {"dot"}
    assert all(m["linked"] is True for m in data["nodeMeta"])


def test_parallel_edges_are_curved_apart(kg):
    data = page_data(to_html(to_networkx(kg)))
    kind_of = {e["id"]: (e["from"], e["to"]) for e in data["edgeMeta"]}
    curved = {kind_of[e["id"]] for e in data["edges"] if "smooth" in e}
    assert curved == {("syr", "tur"), ("tur", "syr")}
    assert data["options"]["edges"]["smooth"] is False


def test_untrusted_text_cannot_break_out(hostile_kg):
    page = to_html(to_networkx(hostile_kg), title="<b>Idlib</b>")
    assert page.count("</script>") == 3  # the data block and two inline scripts, nothing more
    assert "window.__pwned" not in page.split('id="ckg-data">', 1)[0]
    assert "<img src=x" not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "<title>&lt;b&gt;Idlib&lt;/b&gt;</title>" in page
    data = page_data(page)  # and the text survives unchanged for the page script
    (edge,) = [e for e in data["edgeMeta"] if e["kind"] == "attacked"]
    assert edge["evidence"][0] == {"sentence": HOSTILE_TEXT, "article": HOSTILE_ARTICLE, "date": "2020-03-02"}


def test_page_script_never_uses_html_sinks():
    from graph import viz

    script = (viz._ASSETS / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_small_graphs_use_physics_big_graphs_a_fixed_layout(kg):
    small = page_data(to_html(to_networkx(kg)))
    assert small["physics"] is True
    assert small["options"]["physics"]["stabilization"]["iterations"] <= 1000
    assert all("x" not in n for n in small["nodes"])
    big = page_data(to_html(random_network(LAYOUT_THRESHOLD + 50)))
    assert big["physics"] is False and big["options"]["physics"] == {"enabled": False}
    assert big["options"]["layout"]["improvedLayout"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in big["nodes"])


def test_cap_keeps_the_most_connected():
    G = random_network(60)
    data = page_data(to_html(G, max_nodes=20))
    assert len(data["nodes"]) == 20
    strength = dict(G.degree(weight="weight"))
    kept = {n["id"] for n in data["nodes"]}
    assert min(strength[n] for n in kept) >= max(strength[n] for n in set(G) - kept)


def test_evidence_is_capped_per_edge():
    G = nx.MultiDiGraph()
    G.add_node("a", label="A", type="state", country=None)
    G.add_node("b", label="B", type="state", country=None)
    evidence = [{"sentence": f"s{i}", "article": "x", "date": None} for i in range(30)]
    G.add_edge(
        "a", "b", key="attacked", kind="attacked", weight=30, dates=[], evidence=evidence, articles=["x"]
    )
    (edge,) = page_data(to_html(G, max_evidence=5))["edgeMeta"]
    assert len(edge["evidence"]) == 5 and edge["more"] == 25


def test_output_is_deterministic(kg):
    assert to_html(to_networkx(kg)) == to_html(to_networkx(kg))
    big = random_network(LAYOUT_THRESHOLD + 10)
    assert to_html(big) == to_html(big)


def test_empty_graph_renders():
    data = page_data(to_html(nx.MultiDiGraph()))
    assert data["nodes"] == [] and data["dateRange"] is None


def test_write_html_is_atomic_and_leaves_no_lib_folder(kg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out" / "graph.html"
    write_html(to_networkx(kg), out)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["graph.html", "out"]
    with pytest.raises(OutputError):
        write_html(to_networkx(kg), tmp_path / "out")  # a folder, not a file


def test_import_does_not_load_pyvis():
    code = "import sys, graph.viz; print('pyvis' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_cli_viz_writes_the_page(kg, tmp_path):
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.rdf import write_graph

    write_graph(kg, tmp_path / "g.ttl", "turtle")
    result = CliRunner().invoke(app, ["viz", str(tmp_path / "g.ttl"), "--rollup", "--kind", "attacked"])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "3 actors, 3 edges" in result.output
    data = page_data((tmp_path / "g.html").read_text(encoding="utf-8"))
    assert sorted(n["id"] for n in data["nodes"]) == ["rebels", "syr", "tur"]
    assert {e["kind"] for e in data["edgeMeta"]} == {"attacked"}
