"""Streamed outputs (graph.outputs): external sort, Turtle through pyoxigraph, incremental network."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import _rdf_relation, make_rdf_results
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.network import to_networkx
from graph.outputs import (
    NetworkProjection,
    result_ntriples,
    sort_lines,
    to_nquads,
    turtle_to_ntriples,
    write_turtle,
)
from graph.rdf import serialize_graph, to_graph


@pytest.mark.parametrize("chunk", [2, 3, 100], ids=["spilled", "spilled-dups-across-runs", "in-memory"])
def test_sort_lines_is_an_external_sort_with_dedup(tmp_path: Path, chunk: int) -> None:
    src = tmp_path / "in.nt"
    src.write_text("c\nb\na\n\nb\nd\n \na\n", encoding="utf-8")
    out = io.StringIO()
    assert sort_lines(src, out, chunk=chunk) == 4
    assert out.getvalue() == "a\nb\nc\nd\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.nt"]  # spilled runs removed


def test_ntriples_and_turtle_match_rdflib(tmp_path: Path) -> None:
    results = make_rdf_results()
    nt = tmp_path / "g.nt"
    nt.write_text("".join(result_ntriples(r) for r in results), encoding="utf-8")  # type: ignore[arg-type]
    out = io.StringIO()
    sort_lines(nt, out)
    reference = to_graph(results)  # type: ignore[arg-type]
    assert out.getvalue() == serialize_graph(reference, "nt")
    sorted_nt = tmp_path / "sorted.nt"
    sorted_nt.write_text(out.getvalue(), encoding="utf-8")
    ttl = io.StringIO()
    assert write_turtle(sorted_nt, ttl) == len(reference)
    text = ttl.getvalue()
    assert "@prefix actor: <https://w3id.org/conflictkg/id/actor/> ." in text
    assert "actor:tur_armed_forces" in text and '"1.0"^^xsd:decimal' in text  # lexical forms kept
    assert isomorphic(Graph().parse(data=text, format="turtle"), reference)


def test_ntriples_text_escapes_like_rdflib() -> None:
    """Quotes, backslashes, line breaks, markup and non-ASCII text: the same lines rdflib writes."""
    import dataclasses

    from rdflib.plugins.serializers.nt import _nt_row

    from graph.rdf import result_triples

    text = 'He said "no" \\ C:\\path\r\nnext line <script>alert(1)</script> Genève \u2028 end.'
    base = make_rdf_results()[0]
    result = dataclasses.replace(
        base,  # type: ignore[arg-type]
        article=dataclasses.replace(
            base.article, title='A "quoted"\ntitle', url='https://x.test/a?b=1&c="2"'
        ),  # type: ignore[attr-defined]
        relations=(_rdf_relation("000_art_a", text, "attacked", "tur", "syr", 'sh"ot', place="Gen\\ève"),),
    )
    ours = sorted(line for line in result_ntriples(result).split("\n") if line)  # type: ignore[arg-type]
    reference = sorted(_nt_row(t).rstrip("\n") for t in result_triples(result))  # type: ignore[arg-type]
    assert ours == reference
    assert any("\\r\\n" in line and '\\"no\\"' in line for line in ours)


def test_turtle_to_ntriples_round_trips(tmp_path: Path) -> None:
    reference = to_graph(make_rdf_results())  # type: ignore[arg-type]
    ttl = tmp_path / "g.ttl"
    ttl.write_text(reference.serialize(format="turtle"), encoding="utf-8")
    out = io.StringIO()
    turtle_to_ntriples(ttl, out)
    assert isomorphic(Graph().parse(data=out.getvalue(), format="nt"), reference)


def test_nquads_put_each_line_in_the_article_graph() -> None:
    line = '<https://x/a> <https://x/p> "o" .\n'
    assert to_nquads(line, "https://x/g") == '<https://x/a> <https://x/p> "o" <https://x/g> .\n'


def test_projection_equals_to_networkx_and_caps_evidence() -> None:
    results = make_rdf_results()
    full = to_networkx(to_graph(results))  # type: ignore[arg-type]
    projection = NetworkProjection(max_evidence=100)
    for r in results:
        projection.add(r)  # type: ignore[arg-type]
    G = projection.to_networkx()
    assert sorted(G.nodes(data=True)) == sorted(full.nodes(data=True))
    assert sorted(G.edges(keys=True, data=True)) == sorted(full.edges(keys=True, data=True))
    assert G.graph == full.graph
    capped = NetworkProjection(max_evidence=1)
    for r in results:
        capped.add(r)  # type: ignore[arg-type]
    edge = capped.to_networkx().get_edge_data("tur", "syr")["attacked"]
    assert edge["weight"] == full.get_edge_data("tur", "syr")["attacked"]["weight"]
    assert edge["evidence"] == full.get_edge_data("tur", "syr")["attacked"]["evidence"][:1]
