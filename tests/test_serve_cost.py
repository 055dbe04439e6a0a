"""Tests for graph.serve.cost: which queries the cost guard calls ordinary, heavy, updates or federated."""

from __future__ import annotations

import pytest

from graph.query import load_query, query_names
from graph.serve.cost import CostGuard, Route, classify

ORD, HEAVY, UPD, FED = Route.ORDINARY, Route.HEAVY, Route.UPDATE, Route.FEDERATED

CASES = [
    (
        "one pattern",
        "PREFIX ck: <https://w3id.org/conflictkg/ontology#> SELECT ?s ?t WHERE { ?s ck:attacked ?t }",
        ORD,
    ),
    ("the issue's runaway", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", HEAVY),
    ("counted runaway", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", HEAVY),
    ("product of two selective patterns", "SELECT * WHERE { ?a <p> ?c . ?d <q> ?e }", HEAVY),
    ("open patterns joined", "SELECT * WHERE { ?a ?b ?c . ?c ?d ?e }", HEAVY),
    ("one open pattern joined", "SELECT * WHERE { ?a <p> ?c . ?c ?d ?e }", ORD),
    ("OPTIONAL sharing a variable", "SELECT * WHERE { ?a <p> ?c OPTIONAL { ?c <q> ?e } }", ORD),
    ("OPTIONAL sharing none", "SELECT * WHERE { ?a <p> ?c OPTIONAL { ?d <q> ?e } }", HEAVY),
    ("two groups", "SELECT * WHERE { { ?a <p> ?c } { ?d <q> ?e } }", HEAVY),
    ("UNION", "SELECT * WHERE { { ?s <p> ?o } UNION { ?s <q> ?o } }", ORD),
    ("product cut by a FILTER", "SELECT * WHERE { ?a <p> ?c . ?d <q> ?e FILTER(?a = ?d) }", HEAVY),
    ("BIND links", "SELECT * WHERE { ?a <p> ?c BIND(STR(?c) AS ?k) ?d <q> ?k }", ORD),
    ("BIND of a constant", "SELECT * WHERE { ?s <p> ?o BIND(1 AS ?k) }", ORD),
    ("VALUES joined", "SELECT * WHERE { VALUES ?x { <a> <b> } ?x ?p ?o }", ORD),
    ("VALUES apart", "SELECT * WHERE { VALUES ?x { <a> <b> } ?y <p> ?o }", HEAVY),
    (
        "sub-select projecting the join variable",
        "SELECT * WHERE { ?a <p> ?c { SELECT ?a WHERE { ?a <q> ?x } } }",
        ORD,
    ),
    ("sub-select hiding it", "SELECT * WHERE { ?a <p> ?c { SELECT ?x WHERE { ?a <q> ?x } } }", HEAVY),
    ("GRAPH variable joins", "SELECT * WHERE { GRAPH ?g { ?s <p> ?o } ?g <q> ?z }", ORD),
    ("blank-node property list", "SELECT * WHERE { ?s <p> [ <q> ?z ] }", ORD),
    ("collection", "SELECT * WHERE { ?s <p> (1 2) }", ORD),
    ("property path", "SELECT * WHERE { ?s <p>* ?o }", ORD),
    ("MINUS apart", "SELECT * WHERE { ?s <p> ?o MINUS { ?x <q> ?y } }", ORD),
    ("product inside EXISTS", "SELECT * WHERE { ?s <p> ?o FILTER EXISTS { ?a ?b ?c . ?d ?e ?f } }", HEAVY),
    ("CONSTRUCT WHERE product", "CONSTRUCT WHERE { ?s ?p ?o . ?x ?y ?z }", HEAVY),
    ("ASK", "ASK { ?s ?p ?o }", ORD),
    ("DESCRIBE", "DESCRIBE <http://example.org/x>", ORD),
    ("update", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", UPD),
    ("update with WHERE", "DELETE WHERE { ?s ?p ?o }", UPD),
    ("SERVICE", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", FED),
    ("typo", "SELEC * WHERE { ?s ?p ?o }", HEAVY),
]


@pytest.mark.parametrize("query, route", [(q, r) for _, q, r in CASES], ids=[c[0] for c in CASES])
def test_routes(query: str, route: Route) -> None:
    verdict = classify(query)
    assert verdict.route is route
    assert bool(verdict.reason) == (route is not Route.ORDINARY)


@pytest.mark.parametrize("name", query_names())
def test_named_queries_are_ordinary(name: str) -> None:
    assert classify(load_query("@" + name)).route is Route.ORDINARY


def test_reasons_name_the_shape() -> None:
    assert classify(CASES[1][1]).reason == "a cartesian product: 4 groups of patterns share no variable"
    assert "could not parse" in classify("SELEC * WHERE { ?s ?p ?o }").reason


def test_long_queries_are_heavy_unparsed_and_verdicts_are_cached() -> None:
    long = "SELECT * WHERE { ?s <p> ?o } # " + "x" * 100
    assert classify(long, max_chars=50).route is Route.HEAVY
    long_service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } # " + "x" * 100
    assert classify(long_service, max_chars=50).route is Route.FEDERATED
    guard = CostGuard(cache_size=2)
    queries = [f"SELECT * WHERE {{ ?s <p{i}> ?o }}" for i in range(3)]
    verdicts = [guard.classify(q) for q in queries]
    assert guard.classify(queries[2]) is verdicts[2]  # cached: the same object
    assert len(guard._cache) == 2 and queries[0] not in guard._cache
