"""Every shipped named query answers on the seeds graph, with the answers asserted."""

from __future__ import annotations

import pytest

from graph.query import load_query, query_names, run_query

ID = "https://w3id.org/conflictkg/id/actor/"


def _rows(graph, name, **bindings):
    result = run_query(graph, load_query(f"@{name}"), bindings or None)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_every_shipped_query_is_covered_here():
    covered = {
        "who_attacked_whom",
        "backers_of",
        "negotiation_partners",
        "attacks_over_time",
        "fought_and_talked",
        "evidence_for_edge",
        "actors",
        "relations_by_type",
        "statements_by_modality",
        "actor_rollup",
        "statements_between",
        "corroborated",
        "text_only",
        "dataset_only",
    }
    assert set(query_names()) == covered


def test_dataset_queries_on_a_text_only_graph(seeds_graph):
    assert _rows(seeds_graph, "corroborated") == [] and _rows(seeds_graph, "dataset_only") == []
    text_only = _rows(seeds_graph, "text_only")
    attacked = _rows(seeds_graph, "relations_by_type")
    edges = sum(int(r["edge_statements"]) for r in attacked)
    assert len(text_only) == edges  # every asserted statement is text-only without a dataset


def test_who_attacked_whom(seeds_graph):
    rows = _rows(seeds_graph, "who_attacked_whom")
    pairs = {
        (r["source"].rsplit("/", 1)[1].split("_")[0], r["target"].rsplit("/", 1)[1].split("_")[0])
        for r in rows
    }
    assert ("tur", "syr") in pairs and ("syr", "tur") in pairs
    assert all(int(r["statements"]) >= 1 for r in rows)
    only_turkey = _rows(seeds_graph, "who_attacked_whom", actor="Turkey")
    assert only_turkey and all(ID + "tur" in (r["source"], r["target"]) for r in only_turkey)


def test_backers_of_syria_include_russia(seeds_graph):
    rows = _rows(seeds_graph, "backers_of", actor="Syria")
    assert rows[0]["backer"] == ID + "rus"
    assert int(rows[0]["statements"]) >= 2 and rows[0]["first_date"] == "2015-09-01"


def test_negotiation_partners_of_turkey(seeds_graph):
    partners = {r["partner"] for r in _rows(seeds_graph, "negotiation_partners", actor="Turkey")}
    assert {ID + "rus", ID + "irn"} <= partners


def test_attacks_over_time(seeds_graph):
    rows = _rows(seeds_graph, "attacks_over_time")
    assert [r["month"] for r in rows] == sorted(r["month"] for r in rows)
    assert any(r["month"] == "2020-03" and int(r["attacks"]) >= 2 for r in rows)


def test_fought_and_talked_is_empty_on_the_seeds(seeds_graph):
    # Turkey talked with Russia and Iran and fought Syria: no pair did both in these two reports
    assert _rows(seeds_graph, "fought_and_talked") == []


def test_evidence_for_edge_reaches_institutions(seeds_graph):
    rows = _rows(seeds_graph, "evidence_for_edge", source="Russia", target="Syria", relation="backed")
    assert rows and any("Russian-backed" in r["evidence"] for r in rows)
    assert {r["relation_type"] for r in rows} == {"backed"}


def test_actors(seeds_graph):
    rows = {r["actor"]: r for r in _rows(seeds_graph, "actors")}
    assert rows[ID + "tur"]["country"] == "TUR" and rows[ID + "tur"]["wikidata"].endswith("Q43")
    assert rows[ID + "tur_armed_forces"]["acts_for"] == ID + "tur"


def test_relations_by_type(seeds_graph):
    rows = {r["relation"]: r for r in _rows(seeds_graph, "relations_by_type")}
    assert int(rows["attacked"]["edge_statements"]) >= 5
    assert int(rows["negotiated_with"]["statements"]) > int(rows["negotiated_with"]["edge_statements"])


def test_statements_by_modality(seeds_graph):
    rows = {
        (r["modality"], r["relation"]): int(r["statements"])
        for r in _rows(seeds_graph, "statements_by_modality")
    }
    assert rows[("asserted", "attacked")] >= 5
    assert rows[("intended", "negotiated_with")] >= 1  # the planned Erdogan-Putin meeting


def test_actor_rollup(seeds_graph):
    rows = {(r["source"], r["target"], r["relation_type"]) for r in _rows(seeds_graph, "actor_rollup")}
    assert (ID + "tur", ID + "syr", "attacked") in rows and (ID + "syr", ID + "tur", "attacked") in rows
    assert (ID + "rus", ID + "syr", "backed") in rows


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [("2018-01-01", "2018-12-31", "negotiated_with"), ("2015-09-01", "2015-09-30", "backed")],
)
def test_statements_between(seeds_graph, start, end, expected):
    rows = _rows(seeds_graph, "statements_between", **{"from": start, "to": end})
    assert rows and {r["relation"] for r in rows} == {expected}
