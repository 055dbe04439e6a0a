"""Line and paragraph separators inside article text survive every output format."""

from __future__ import annotations

from graph.rdf import read_graph, to_graph, write_graph


def test_line_separator_in_evidence_round_trips(tmp_path, extract_text):
    result = extract_text("Turkish troops shelled Syrian positions\u2028near Idlib\u2029on Sunday.")
    assert result.relations
    graph = to_graph([result])
    for fmt, name in (("nt", "g.nt"), ("turtle", "g.ttl"), ("nquads", "g.nq")):
        path = tmp_path / name
        write_graph(graph, path, fmt)
        assert len(read_graph(path)) == len(graph)
