"""End to end on the bundled seeds: the relations, actors, RDF, SPARQL and HTML actually produced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.vocab import CK, ID

ROOT = Path(__file__).resolve().parents[1]
SECOND = "004_3cf37dcf96fb07d5"
FIRST = "000_200ce6940804762a"


def _lines(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "relations.jsonl").read_text(encoding="utf-8").splitlines()]


def _dyads(records: list[dict], article: str) -> set[tuple[str | None, str, str | None]]:
    return {
        (
            r["source"]["country"] or r["source"]["label"],
            r["relation"],
            r["target"]["country"] or r["target"]["label"],
        )
        for r in records
        if r["article"] == article
    }


def test_second_seed_first_sentence_turkey_attacked_syria(seeds_out):
    records = [r for r in _lines(seeds_out) if r["article"] == SECOND]
    first = records[0]["sentence"]
    assert first.startswith("Turkey on Sunday shot down two Syrian warplanes")
    hits = [r for r in records if r["sentence"] == first and r["relation"] == "attacked"]
    assert any(r["source"]["country"] == "TUR" and r["target"]["country"] == "SYR" for r in hits)


def test_seed_dyads(seeds_out):
    records = _lines(seeds_out)
    second = _dyads(records, SECOND)
    assert ("RUS", "backed", "SYR") in second
    assert any(s == "TUR" and k == "backed" and str(t).startswith("rebels") for s, k, t in second)
    assert {("TUR", "negotiated_with", "RUS"), ("TUR", "negotiated_with", "IRN")} <= second | {
        (t, k, s) for s, k, t in second
    }
    first = _dyads(records, FIRST)
    assert {("TUR", "attacked", "SYR"), ("SYR", "attacked", "TUR"), ("RUS", "backed", "SYR")} <= first
    # the planned Erdogan-Putin meeting is intended, so it is no plain edge
    assert not any(k == "negotiated_with" for _, k, _ in first)


def test_contract_fields(seeds_out):
    for rec in _lines(seeds_out):
        assert set(rec) >= {"article", "relation", "source", "target", "sentence", "date", "confidence"}
        for end in ("source", "target"):
            actor = rec[end]
            assert set(actor) >= {"id", "label", "aliases", "mention", "type", "country", "wikidata"}
            assert actor["id"].startswith("https://w3id.org/conflictkg/id/actor/")
            assert actor["mention"] and actor["mention"] in rec["sentence"]
            if actor["type"] in ("non_state_armed_group", "international_organization", "civilians"):
                assert actor["country"] is None
        assert 0 < rec["confidence"] <= 1
        assert rec["modality"] == "asserted"


def test_event_date_resolved_against_article_date(seeds_out):
    dated = [r for r in _lines(seeds_out) if r["article"] == FIRST and r["date"]]
    assert any(r["date"] == "2015-09-01" and r["relation"] == "backed" for r in dated)


def test_actor_facts_in_rdf(seeds_graph):
    tur = ID["actor/tur"]
    assert (tur, CK.countryCode, None) in seeds_graph
    assert (ID["actor/tur_armed_forces"], CK.actsFor, tur) in seeds_graph
    assert any(
        str(o).endswith("/Q43")
        for o in seeds_graph.objects(tur, URIRef("http://www.w3.org/2002/07/owl#sameAs"))
    )


def test_graph_conforms_to_shapes(seeds_graph):
    from graph.validate import validate

    assert validate(seeds_graph) == []


def test_cli_query_matches_rdflib(seeds_out):
    query = "PREFIX ck: <https://w3id.org/conflictkg/ontology#> SELECT ?s ?t WHERE { ?s ck:attacked ?t }"
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "query", str(seeds_out / "graph.ttl"), query, "--format", "csv"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    rows = proc.stdout.strip().splitlines()
    assert rows[0] == "s,t"
    from graph.rdf import read_graph

    expected = {f"{s},{t}" for s, t in read_graph(seeds_out / "graph.ttl").query(query)}
    assert set(rows[1:]) == expected and expected


def test_html_holds_the_nodes(seeds_out):
    html = (seeds_out / "graph.html").read_text(encoding="utf-8")
    for label in ("Turkey", "Russia", "Syria"):
        assert label in html
    import re

    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "the page loads something remotely"


def test_extract_cli_follows_contract(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "extract", str(ROOT / "seeds")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert records and {r["article"] for r in records} == {FIRST, SECOND}


@pytest.mark.parametrize("fmt", ["graph.nt", "graph.nq", "graph.jsonld"])
def test_other_formats_written(seeds_out, fmt):
    assert (seeds_out / fmt).stat().st_size > 1000
