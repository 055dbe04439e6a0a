"""Tests for graph.validate: built and gazetteer graphs conform; each kind of defect is reported in words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDFS, XSD, Graph, Literal

from graph.gazetteer import load_gazetteer
from graph.rdf import gazetteer_graph, write_graph
from graph.resources import ontology_dir
from graph.validate import validate
from graph.vocab import CK, CKR, PROV, actor_iri


def _statement(graph: Graph, evidence: str):
    return next(graph.subjects(CK.evidence, Literal(evidence)))


def test_built_graph_conforms(rdf_graph: Graph) -> None:
    assert validate(rdf_graph) == []


def test_missing_label_is_reported(rdf_graph: Graph) -> None:
    rdf_graph.remove((actor_iri("tur"), RDFS.label, None))
    messages = validate(rdf_graph)
    assert len(messages) == 1
    assert messages[0].startswith("actor:tur rdfs:label: an actor needs exactly one rdfs:label")


def test_bad_country_code_and_country_on_non_state(rdf_graph: Graph) -> None:
    rdf_graph.set((actor_iri("syr"), CK.countryCode, Literal("sy")))
    rdf_graph.add((actor_iri("rebels"), CK.countryCode, Literal("SYR")))
    text = "\n".join(validate(rdf_graph))
    assert "actor:syr ck:countryCode: ck:countryCode must be one ISO 3166-1 alpha-3 code" in text
    assert '(found "sy")' in text
    assert "actor:rebels ck:countryCode: a non-state actor" in text


def test_institution_needs_its_state(rdf_graph: Graph) -> None:
    rdf_graph.remove((actor_iri("syr_government"), CK.actsFor, None))
    assert any(
        "actor:syr_government ck:actsFor: a government or armed forces needs ck:actsFor" in m
        for m in validate(rdf_graph)
    )


def test_acts_for_cycle(rdf_graph: Graph) -> None:
    rdf_graph.add((actor_iri("tur"), CK.actsFor, actor_iri("tur_government")))
    expected = "actor:tur ck:actsFor: the ck:actsFor chain of this actor loops back"
    assert expected in validate(rdf_graph)


def test_direct_triple_without_statement(rdf_graph: Graph) -> None:
    rdf_graph.add((actor_iri("un"), CK.backed, actor_iri("rebels")))
    messages = validate(rdf_graph)
    assert messages == [
        "actor:un: the direct triple ck:backed actor:rebels has no edge statement (ck:Relation with "
        "ck:isEdge true) behind it"
    ]


def test_edge_statement_without_direct_triple(rdf_graph: Graph) -> None:
    rdf_graph.remove((actor_iri("rus"), CK.backed, actor_iri("syr")))
    messages = validate(rdf_graph)
    assert len(messages) == 1
    assert messages[0].startswith("statement:")
    assert "is an edge (ck:isEdge true) but the direct triple ck:backed from its source" in messages[0]
    assert "(found" not in messages[0]


def test_statement_field_defects(rdf_graph: Graph) -> None:
    st = _statement(rdf_graph, "Syrian troops attacked rebels near Saraqeb.")
    rdf_graph.set((st, CK.confidence, Literal("1.5", datatype=XSD.decimal)))
    rdf_graph.remove((st, CK.source, None))
    rdf_graph.set((st, CK.relationType, CKR.invaded))
    rdf_graph.set((st, PROV.wasDerivedFrom, actor_iri("tur")))
    text = "\n".join(validate(rdf_graph))
    assert "ck:confidence: a statement needs exactly one ck:confidence, an xsd:decimal between 0 and" in text
    assert "ck:source: a statement needs exactly one ck:source" in text
    assert "ck:relationType: a statement needs exactly one ck:relationType from the relation-type" in text
    assert "prov:wasDerivedFrom: a statement needs exactly one prov:wasDerivedFrom, an article" in text


def test_messages_are_sorted_and_unique(rdf_graph: Graph) -> None:
    for actor in ("tur", "syr", "rus"):
        rdf_graph.remove((actor_iri(actor), RDFS.label, None))
    messages = validate(rdf_graph)
    assert messages == sorted(set(messages)) and len(messages) == 3


def test_gazetteer_graph_conforms_and_defects_show(tmp_path: Path) -> None:
    (tmp_path / "states.csv").write_text(
        "id,iso3,label,wikidata,names,adjectives,metonyms\ntur,TUR,Turkey,Q43,,Turkish,Ankara\n",
        encoding="utf-8",
    )
    (tmp_path / "groups.csv").write_text(
        "id,label,type,country,acts_for,operates_in,wikidata,aliases,role,from,to\n"
        "hts,Hayat Tahrir al-Sham,non_state_armed_group,,,SYR,,HTS,,,\n"
        "tsk,Turkish Armed Forces,armed_forces,TUR,tur,,,TSK,,,\n",
        encoding="utf-8",
    )
    assert validate(gazetteer_graph(load_gazetteer(tmp_path))) == []
    # a non-state group listed with a country breaks the contract's rule
    with (tmp_path / "groups.csv").open("a", encoding="utf-8") as fh:
        fh.write("pkk,Kurdistan Workers' Party,non_state_armed_group,TUR,,,,PKK,,,\n")
    messages = validate(gazetteer_graph(load_gazetteer(tmp_path)))
    assert len(messages) == 1 and messages[0].startswith("actor:pkk ck:countryCode: a non-state actor")


def test_shipped_gazetteer_conforms() -> None:
    if not (ontology_dir() / "gazetteer" / "states.csv").is_file():
        pytest.skip("the shipped gazetteer has no states.csv yet")
    assert validate(gazetteer_graph(load_gazetteer())) == []


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_validate_exit_codes(tmp_path: Path, rdf_graph: Graph) -> None:
    write_graph(rdf_graph, tmp_path / "good.ttl", "turtle")
    ok = _cli("validate", str(tmp_path / "good.ttl"))
    assert ok.returncode == 0 and "conforms to the shapes" in ok.stdout
    rdf_graph.remove((actor_iri("tur"), RDFS.label, None))
    rdf_graph.add((actor_iri("un"), CK.backed, actor_iri("rebels")))
    write_graph(rdf_graph, tmp_path / "bad.nt", "nt")
    bad = _cli("validate", str(tmp_path / "bad.nt"))
    assert bad.returncode == 8
    lines = bad.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("actor:tur rdfs:label: ")
    assert "2 violation(s)" in bad.stderr
