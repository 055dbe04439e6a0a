"""Tests for graph.query: every shipped query answers on the hand-built graph, on rdflib and Oxigraph."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import make_rdf_results
from rdflib import Graph

from graph.errors import QueryError
from graph.query import (
    _prepared,
    _where_braces,
    format_result,
    load_query,
    parse_bindings,
    query_bindings,
    query_names,
    run_query,
)
from graph.rdf import serialize_graph, to_graph, write_graph
from graph.resources import queries_dir

ACTOR = "https://w3id.org/conflictkg/id/actor/"
ARTICLE = "https://w3id.org/conflictkg/id/article/"


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def source(request: pytest.FixtureRequest) -> Graph | ox.Store:
    graph = to_graph(make_rdf_results())
    if request.param == "rdflib":
        return graph
    store = ox.Store()
    store.load(serialize_graph(graph, "nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def rows(source: Graph | ox.Store, name: str, columns: tuple[str, ...], /, **bindings: str) -> list[tuple]:
    """The chosen columns of a named query's rows, actor IRIs shortened to their ids."""
    result = run_query(source, load_query(f"@{name}"), bindings)
    index = [result.columns.index(c) for c in columns]
    out = []
    for row in result.rows:
        values = tuple(row[i] for i in index)
        out.append(tuple(v[len(ACTOR) :] if v and v.startswith(ACTOR) else v for v in values))
    return out


# --- one test per shipped query, asserted answers --------------------------------------------------------

TESTED: set[str] = set()


def covers(name: str):
    TESTED.add(name)
    return name


def test_who_attacked_whom(source) -> None:
    name = covers("who_attacked_whom")
    assert sorted(rows(source, name, ("source", "target", "statements", "articles"))) == [
        ("syr", "rebels", "1", "1"),
        ("syr", "tur", "1", "1"),
        ("tur", "syr", "1", "1"),
        ("tur_armed_forces", "syr_government", "1", "1"),
    ]
    # the negated and hedged attacks make no edge
    assert ("rus", "tur") not in [r[:2] for r in rows(source, name, ("source", "target"))]
    # optional binding, by label, alias or IRI
    expected = [("syr", "tur"), ("tur", "syr")]
    assert sorted(rows(source, name, ("source", "target"), actor="Turkey")) == expected
    assert sorted(rows(source, name, ("source", "target"), actor="ankara")) == expected
    assert sorted(rows(source, name, ("source", "target"), actor=f"<{ACTOR}tur>")) == expected
    assert sorted(rows(source, name, ("source", "target"), actor="actor:tur")) == expected


def test_backers_of(source) -> None:
    name = covers("backers_of")
    got = rows(source, name, ("backer", "backer_label", "statements"), actor="Syria")
    assert got == [("rus", "Russia", "1")]
    assert rows(source, name, ("backer", "first_date", "last_date"), actor="rebels") == [
        ("tur", "2020-04-01", "2020-04-01")
    ]
    assert rows(source, name, ("backer",), actor="Russia") == []


def test_negotiation_partners_in_both_directions(source) -> None:
    name = covers("negotiation_partners")
    assert rows(source, name, ("partner", "statements", "last_date"), actor="Turkey") == [
        ("rus", "2", "2020-04-02"),
        ("syr", "1", "2020-04-03"),
    ]
    assert rows(source, name, ("partner", "statements"), actor="Syria") == [("tur", "1")]


def test_attacks_over_time(source) -> None:
    name = covers("attacks_over_time")
    assert rows(source, name, ("month", "attacks", "articles")) == [
        ("2020-02", "1", "1"),
        ("2020-03", "1", "1"),
        ("2020-04", "2", "1"),
    ]


def test_fought_and_talked(source) -> None:
    name = covers("fought_and_talked")
    assert rows(source, name, ("actor_a", "actor_b", "attacks", "negotiations")) == [("syr", "tur", "2", "1")]


def test_evidence_for_edge(source) -> None:
    name = covers("evidence_for_edge")
    cols = ("relation_type", "modality", "is_edge", "date", "evidence")
    got = rows(source, name, cols, source="Russia", target="Turkey")
    # the asserted negotiation (stored rus->tur), the one stored tur->rus (symmetric), the negated attack
    assert got == [
        (
            "negotiated_with",
            "asserted",
            "true",
            "2020-03-05",
            "Turkey and Russia will hold talks on Thursday.",
        ),
        ("negotiated_with", "asserted", "true", "2020-04-02", "Russian and Turkish envoys met in Moscow."),
        ("attacked", "negated", "false", None, "Russia did not attack Turkish troops."),
    ]
    cols = ("modality", "article")
    attacked = rows(source, name, cols, source="Russia", target="Turkey", relation="attacked")
    assert attacked == [("negated", ARTICLE + "000_art_a")]
    # attacks are not symmetric: nothing stored as tur -> rus
    assert rows(source, name, ("evidence",), source="Turkey", target="Russia", relation="attacked") == []


def test_actors(source) -> None:
    name = covers("actors")
    cols = ("actor", "type", "country", "acts_for", "wikidata", "statements")
    got = {r[0]: r[1:] for r in rows(source, name, cols)}
    assert len(got) == 11
    assert got["tur"] == ("state", "TUR", None, "http://www.wikidata.org/entity/Q43", "8")
    assert got["tur_armed_forces"] == ("armed_forces", "TUR", "tur", None, "1")
    assert got["rebels"] == ("non_state_armed_group", None, None, None, "2")
    assert got["erdogan"][-1] == "0"


def test_relations_by_type(source) -> None:
    name = covers("relations_by_type")
    assert rows(source, name, ("relation", "statements", "edge_statements", "edges")) == [
        ("attacked", "6", "4", "4"),
        ("negotiated_with", "3", "3", "3"),
        ("backed", "2", "2", "2"),
        ("mediated", "1", "0", "0"),
        ("threatened", "1", "0", "0"),
    ]


def test_statements_by_modality(source) -> None:
    name = covers("statements_by_modality")
    assert rows(source, name, ("modality", "relation", "statements")) == [
        ("alleged", "threatened", "1"),
        ("asserted", "attacked", "4"),
        ("asserted", "backed", "2"),
        ("asserted", "negotiated_with", "3"),
        ("hedged", "attacked", "1"),
        ("intended", "mediated", "1"),
        ("negated", "attacked", "1"),
    ]


def test_actor_rollup(source) -> None:
    name = covers("actor_rollup")
    attacks = rows(source, name, ("source", "target", "relation_type", "statements"), relation="attacked")
    # tur_armed_forces -> syr_government rolls up to tur -> syr, beside the direct tur -> syr
    assert sorted(attacks) == [
        ("syr", "rebels", "attacked", "1"),
        ("syr", "tur", "attacked", "1"),
        ("tur", "syr", "attacked", "2"),
    ]
    every = rows(source, name, ("source", "target", "relation_type", "statements"))
    assert len(every) == 8 and ("rus", "syr", "backed", "1") in every


def test_statements_between(source) -> None:
    name = covers("statements_between")
    dates = {"from": "2020-03-02", "to": "2020-04-01"}
    got = rows(source, name, ("date", "relation", "source_label"), **dates)
    assert got == [
        ("2020-03-05", "negotiated_with", "Turkey"),
        ("2020-04-01", "attacked", "Syria"),
        ("2020-04-01", "attacked", "Turkey"),
        ("2020-04-01", "backed", "Turkey"),
    ]


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def fused_source(request: pytest.FixtureRequest, tmp_path_factory) -> Graph | ox.Store:
    """The hand-built graph with two UCDP rows: one fused with syr->tur of 2020-02-27, one not."""
    import datetime as dt

    from graph.fusion import fuse
    from graph.outputs import result_ntriples, sort_lines
    from graph.rdf import NTriplesTerms, statement_triples
    from graph.records import DatasetSource, Relation, RelationKind, TextSpan

    def row(event_id: str, day: str) -> Relation:
        text = f"UCDP GED event {event_id}"
        return Relation(
            kind=RelationKind.ATTACKED, source_id="syr", target_id="tur", article_id="",
            evidence=TextSpan(start=0, end=len(text), text=text),
            source_mention=TextSpan(start=0, end=5, text="Syria"),
            target_mention=TextSpan(start=0, end=6, text="Turkey"),
            trigger="type_of_violence 1", extractor="ucdp_ged.v1", date=dt.date.fromisoformat(day),
            event_id=f"ucdp-{event_id}",
            dataset=DatasetSource(dataset="ucdp", event_id=event_id, concept="type_of_violence 1"),
        )  # fmt: skip

    folder = tmp_path_factory.mktemp("fused")
    lines = "".join(result_ntriples(r) for r in make_rdf_results())
    for rel in (row("1", "2020-02-28"), row("2", "2019-01-01")):
        lines += "".join(f"{s} {p} {o} .\n" for s, p, o in statement_triples(rel, NTriplesTerms()))
    lines += '<https://w3id.org/conflictkg/id/dataset/ucdp> <https://schema.org/identifier> "ucdp" .\n'
    (folder / "raw.nt").write_text(lines, encoding="utf-8")
    with (folder / "sorted.nt").open("w", encoding="utf-8") as out:
        sort_lines(folder / "raw.nt", out)
    with (folder / "fused.nt").open("w", encoding="utf-8") as out:
        assert fuse(folder / "sorted.nt", out) is not None
    if request.param == "rdflib":
        return Graph().parse(folder / "fused.nt", format="nt")
    store = ox.Store()
    store.load(path=str(folder / "fused.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def test_corroborated_text_only_dataset_only(fused_source) -> None:
    name = covers("corroborated")
    got = rows(fused_source, name, ("dataset", "dataset_event_id", "article", "relation", "date", "sources"))
    assert got == [("ucdp", "1", "000_art_a", "attacked", "2020-02-28", "2")]
    name = covers("dataset_only")
    assert rows(fused_source, name, ("dataset_event_id", "date")) == [("2", "2019-01-01")]
    name = covers("text_only")
    text_only = rows(fused_source, name, ("article", "relation", "source", "target"))
    assert ("000_art_a", "attacked", "Syria", "Turkey") not in text_only  # reported by UCDP too
    assert ("000_art_a", "backed", "Russia", "Syria") in text_only
    assert ("001_art_b", "attacked", "Turkey", "Syria") in text_only


def test_every_shipped_query_is_tested() -> None:
    # runs after the query tests in this file (pytest keeps file order)
    assert set(query_names()) == TESTED


def test_every_query_header_names_columns_and_bindings() -> None:
    for path in sorted(queries_dir().glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# {path.stem}: "), path
        assert "# Columns: " in text, path
        for name in query_bindings(text):
            assert f"?{name}" in text.split("PREFIX", 1)[1], (path, name)
        if "@bind" not in text:
            assert "# No bindings." in text, path


# --- bindings -------------------------------------------------------------------------------------------


def test_binding_errors(source) -> None:
    query = load_query("@who_attacked_whom")
    with pytest.raises(QueryError, match=r"ambiguous: it names <.*actor/hts>, <.*actor/isis>"):
        run_query(source, query, {"actor": "jihadists"})
    with pytest.raises(QueryError, match="no actor has that label, alias or id"):
        run_query(source, query, {"actor": "Atlantis"})
    with pytest.raises(QueryError, match=r"no \?country variable"):
        run_query(source, query, {"country": "TUR"})
    with pytest.raises(QueryError, match=r"needs --bind actor=\.\.\."):
        run_query(source, load_query("@backers_of"), {})
    with pytest.raises(QueryError, match="not one of attacked, backed"):
        run_query(source, load_query("@actor_rollup"), {"relation": "invaded"})
    with pytest.raises(QueryError, match="expected a date like"):
        run_query(source, load_query("@statements_between"), {"from": "March", "to": "2020-04-01"})


def test_actor_id_and_exact_label_resolve(source) -> None:
    query = load_query("@backers_of")
    assert run_query(source, query, {"actor": "syr"}).rows[0][0] == ACTOR + "rus"
    # case and a leading article are normalised away
    assert run_query(source, query, {"actor": "the REBELS"}).rows[0][0] == ACTOR + "tur"


def test_bound_values_never_become_query_text(source) -> None:
    nasty = 'x" } ; DROP ALL ; SELECT * { ?s ?p "'
    result = run_query(source, "SELECT ?out WHERE { BIND (?text AS ?out) }", {"text": nasty})
    assert result.rows == ((nasty,),)
    with pytest.raises(QueryError, match="no actor has that label"):
        run_query(source, load_query("@backers_of"), {"actor": "Syria> } UNION { ?x ?y ?z"})


def test_raw_query_ask_and_construct(source) -> None:
    ask = run_query(source, "PREFIX ck: <https://w3id.org/conflictkg/ontology#> ASK { ?a ck:attacked ?b }")
    assert ask.columns == ("ask",) and ask.rows == (("true",),)
    construct = run_query(
        source,
        "PREFIX ck: <https://w3id.org/conflictkg/ontology#> CONSTRUCT { ?t ck:attackedBy ?s } "
        "WHERE { ?s ck:attacked ?t }",
        {"s": "actor:tur"},
    )
    assert construct.columns == ("subject", "predicate", "object")
    predicate = "https://w3id.org/conflictkg/ontology#attackedBy"
    assert construct.rows == ((ACTOR + "syr", predicate, ACTOR + "tur"),)


def test_syntax_error_is_a_query_error(source) -> None:
    with pytest.raises(QueryError, match="does not parse"):
        run_query(source, "SELECT ?s WHERE { ?s ?p }")


def test_where_braces_skip_comments_strings_iris_names_and_templates() -> None:
    text = '# a { comment\nPREFIX x: <http://x/{y}>\nCONSTRUCT { ?s x:select "{" } WHERE { ?s ?p ?o }'
    (at,) = _where_braces(text)
    assert text[at - 7 : at] == "WHERE {"
    select = "SELECT ?where { ?s ?p ?o }"
    assert [select[:at] for at in _where_braces(select)] == ["SELECT ?where {"]
    nested = "SELECT * WHERE { { SELECT ?a WHERE { ?a ?b ?c } } FILTER NOT EXISTS { ?a ?b ?a } }"
    assert [nested[:at][-16:] for at in _where_braces(nested)] == ["SELECT * WHERE {", "ELECT ?a WHERE {"]
    with pytest.raises(QueryError):
        _where_braces("DROP ALL")


def test_prepared_queries_are_cached() -> None:
    text = load_query("@actors")
    assert _prepared(text) is _prepared(text)


# --- loading and output ---------------------------------------------------------------------------------


def test_load_query_forms(tmp_path: Path) -> None:
    assert load_query("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    assert load_query("@who_attacked_whom").startswith("# who_attacked_whom: ")
    own = tmp_path / "mine.rq"
    own.write_text("SELECT ?s WHERE { ?s ?p ?o }", encoding="utf-8")
    assert load_query(f"@{own}") == "SELECT ?s WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="no named query 'nope'; the shipped ones are: actor_rollup"):
        load_query("@nope")
    with pytest.raises(QueryError, match="no such query file"):
        load_query(f"@{tmp_path / 'absent.rq'}")


def test_formats(rdf_graph: Graph) -> None:
    result = run_query(rdf_graph, load_query("@backers_of"), {"actor": "Syria"})
    csv_text = format_result(result, "csv")
    header = "backer,backer_label,statements,first_date,last_date"
    assert csv_text.splitlines() == [header, f"{ACTOR}rus,Russia,1,,"]
    assert json.loads(format_result(result, "json")) == [
        {
            "backer": ACTOR + "rus",
            "backer_label": "Russia",
            "statements": "1",
            "first_date": None,
            "last_date": None,
        }
    ]
    table = format_result(result, "table").splitlines()
    assert table[0].split() == ["backer", "backer_label", "statements", "first_date", "last_date"]
    assert table[2].split() == ["actor:rus", "Russia", "1"]
    assert table[-1] == "(1 row)"
    with pytest.raises(QueryError, match="unknown output format"):
        format_result(result, "xml")


def test_parse_bindings() -> None:
    assert parse_bindings(["actor=Turkey", "?from=2020-01-01", "x=a=b"]) == {
        "actor": "Turkey",
        "from": "2020-01-01",
        "x": "a=b",
    }
    with pytest.raises(QueryError, match="expected NAME=VALUE"):
        parse_bindings(["Turkey"])


def test_cli_query_csv_matches_rdflib(tmp_path: Path, rdf_graph: Graph) -> None:
    import subprocess
    import sys

    write_graph(rdf_graph, tmp_path / "graph.ttl", "turtle")
    text = "PREFIX ck: <https://w3id.org/conflictkg/ontology#> SELECT ?s ?t WHERE { ?s ck:attacked ?t }"
    out = subprocess.run(
        [sys.executable, "-m", "graph", "query", str(tmp_path / "graph.ttl"), text, "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "s,t"
    assert sorted(out[1:]) == sorted(f"{s},{t}" for s, t in rdf_graph.query(text))
    named = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "query",
            str(tmp_path / "graph.ttl"),
            "@backers_of",
            "-b",
            "actor=Syria",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert named.returncode == 0 and named.stdout.splitlines()[2].split()[:2] == ["actor:rus", "Russia"]
    missing = subprocess.run(
        [sys.executable, "-m", "graph", "query", str(tmp_path / "graph.ttl"), "@backers_of"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 6 and missing.stderr.strip() == "error: this query needs --bind actor=..."


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_undated_statements_do_not_blank_dates(engine: str) -> None:
    """Engines differ on MIN/MAX over unbound values; the shipped queries give the same dates."""
    import dataclasses

    first, second = make_rdf_results()
    backing = next(r for r in second.relations if r.kind.value == "backed")
    undated = dataclasses.replace(backing, date=None, trigger="arms", article_id=second.article.id)
    graph = to_graph([first, dataclasses.replace(second, relations=(*second.relations, undated))])
    source: Graph | ox.Store = graph
    if engine == "oxigraph":
        source = ox.Store()
        source.load(serialize_graph(graph, "nt"), format=ox.RdfFormat.N_TRIPLES)
    cols = ("backer", "statements", "first_date", "last_date")
    assert rows(source, "backers_of", cols, actor="rebels") == [("tur", "2", "2020-04-01", "2020-04-01")]
