"""Tests for graph.store: load a graph file into an on-disk Oxigraph store, reopen it read-only, query it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph.errors import InputError, OutputError
from graph.query import load_query, run_query
from graph.rdf import to_dataset, write_graph
from graph.store import load_store, open_store, store_stats


@pytest.fixture()
def graph_file(tmp_path: Path, rdf_graph: Graph) -> Path:
    path = tmp_path / "graph.ttl"
    write_graph(rdf_graph, path, "turtle")
    return path


def test_load_then_open_read_only(tmp_path: Path, graph_file: Path, rdf_graph: Graph) -> None:
    store = load_store(graph_file, tmp_path / "store")
    assert store_stats(store).quads == len(rdf_graph)
    del store
    reader = open_store(tmp_path / "store")
    second = open_store(tmp_path / "store")  # read-only stores can be shared
    assert len(reader) == len(second) == len(rdf_graph)
    with pytest.raises(Exception, match="read-write"):
        reader.update("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    assert len(reader) == len(rdf_graph)


def test_store_answers_like_rdflib(tmp_path: Path, graph_file: Path, rdf_graph: Graph) -> None:
    load_store(graph_file, tmp_path / "store")
    store = open_store(tmp_path / "store")
    query = load_query("@who_attacked_whom")
    assert run_query(store, query, {"actor": "Syria"}) == run_query(rdf_graph, query, {"actor": "Syria"})


def test_loading_again_adds_nothing(tmp_path: Path, graph_file: Path, rdf_graph: Graph) -> None:
    load_store(graph_file, tmp_path / "store")
    store = load_store(graph_file, tmp_path / "store")
    assert len(store) == len(rdf_graph)


def test_nquads_keep_article_graphs_and_queries_see_union(tmp_path: Path, rdf_results, rdf_graph) -> None:
    write_graph(to_dataset(rdf_results), tmp_path / "graph.nq", "nquads")
    store = load_store(tmp_path / "graph.nq", tmp_path / "store")
    assert store_stats(store).named_graphs == 2
    query = load_query("@relations_by_type")
    assert run_query(store, query).rows == run_query(rdf_graph, query).rows


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such graph file"):
        load_store(tmp_path / "absent.ttl", tmp_path / "store")
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> .\n")
    with pytest.raises(InputError, match=r"bad\.nt: does not parse"):
        load_store(bad, tmp_path / "store")
    with pytest.raises(InputError, match="unknown RDF file extension"):
        load_store(tmp_path / "graph.csv", tmp_path / "store")
    with pytest.raises(InputError, match="no store there; create one with `conflictkg load"):
        open_store(tmp_path / "nothing")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        load_store(bad, tmp_path / "file")


def test_locked_store_is_a_clear_error(tmp_path: Path, graph_file: Path) -> None:
    writer = load_store(graph_file, tmp_path / "store")
    with pytest.raises(OutputError, match="cannot open the store for writing"):
        load_store(graph_file, tmp_path / "store")
    del writer


def test_cli_load_then_query_the_store(tmp_path: Path, graph_file: Path) -> None:
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "graph", *args], capture_output=True, text=True, timeout=120
        )

    loaded = cli("load", str(graph_file), "--store", str(tmp_path / "store"))
    assert loaded.returncode == 0 and "holds 315 quads" in loaded.stdout
    answer = cli(
        "query",
        "--store",
        str(tmp_path / "store"),
        "@negotiation_partners",
        "--bind",
        "actor=Turkey",
        "--format",
        "csv",
    )
    assert answer.returncode == 0
    assert answer.stdout.splitlines()[1:] == [
        "https://w3id.org/conflictkg/id/actor/rus,Russia,2,2020-04-02",
        "https://w3id.org/conflictkg/id/actor/syr,Syria,1,2020-04-03",
    ]
