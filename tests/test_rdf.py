"""Tests for graph.rdf: triples per record, stable IRIs, formats, appending, the gazetteer graph."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import make_rdf_results
from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal
from rdflib.compare import isomorphic

from graph.errors import InputError, OutputError
from graph.gazetteer import load_gazetteer
from graph.rdf import (
    gazetteer_graph,
    merge_into,
    read_graph,
    result_triples,
    serialize_graph,
    statement_iri,
    to_dataset,
    to_graph,
    write_graph,
)
from graph.records import Modality
from graph.vocab import CK, CKM, CKR, CKT, PROV, SCHEMA, SEM, WD, actor_iri, article_iri


def _statement(graph: Graph, evidence: str):
    nodes = list(graph.subjects(CK.evidence, Literal(evidence)))
    assert len(nodes) == 1, nodes
    return nodes[0]


def test_article_node_has_schema_fields(rdf_graph: Graph) -> None:
    art = article_iri("000_art_a")
    assert (art, RDF.type, CK.Article) in rdf_graph
    assert (art, RDF.type, SCHEMA.NewsArticle) in rdf_graph
    assert rdf_graph.value(art, SCHEMA.identifier) == Literal("000_art_a")
    assert rdf_graph.value(art, SCHEMA.datePublished) == Literal("2020-03-02", datatype=XSD.date)
    assert rdf_graph.value(art, SCHEMA.headline) == Literal("Turkey downs Syrian jets")
    assert rdf_graph.value(art, SCHEMA.url) == Literal("https://example.org/a", datatype=XSD.anyURI)
    assert rdf_graph.value(art, SCHEMA.publisher) == Literal("AP")
    assert rdf_graph.value(art, CK.dateline) == Literal("BEIRUT")
    # the second article has no title, url, source or dateline: no triples for them
    art_b = article_iri("001_art_b")
    assert rdf_graph.value(art_b, SCHEMA.headline) is None
    assert rdf_graph.value(art_b, CK.dateline) is None


def test_actor_facts(rdf_graph: Graph) -> None:
    tur = actor_iri("tur")
    assert (tur, RDF.type, CK.Actor) in rdf_graph
    assert (tur, RDF.type, CK.State) in rdf_graph
    assert rdf_graph.value(tur, CK.actorType) == CKT.state
    assert rdf_graph.value(tur, RDFS.label) == Literal("Turkey")
    assert set(rdf_graph.objects(tur, SKOS.altLabel)) == {Literal("Turkish"), Literal("Ankara")}
    assert rdf_graph.value(tur, CK.countryCode) == Literal("TUR")
    assert rdf_graph.value(tur, OWL.sameAs) == WD.Q43
    forces = actor_iri("tur_armed_forces")
    assert rdf_graph.value(forces, CK.actsFor) == tur
    assert (forces, RDF.type, CK.ArmedForces) in rdf_graph
    rebels = actor_iri("rebels")
    assert rdf_graph.value(rebels, CK.operatesIn) == Literal("SYR")
    assert rdf_graph.value(rebels, CK.countryCode) is None


def test_statement_fields_and_datatypes(rdf_graph: Graph) -> None:
    st = _statement(rdf_graph, "Turkish forces shot down two Syrian government jets over Idlib.")
    assert (st, RDF.type, CK.Relation) in rdf_graph
    assert rdf_graph.value(st, CK.source) == actor_iri("tur_armed_forces")
    assert rdf_graph.value(st, CK.target) == actor_iri("syr_government")
    assert rdf_graph.value(st, CK.relationType) == CKR.attacked
    assert rdf_graph.value(st, CK.modality) == CKM.asserted
    assert rdf_graph.value(st, CK.isEdge) == Literal(True)
    assert rdf_graph.value(st, SEM.hasTimeStamp) == Literal("2020-03-01", datatype=XSD.date)
    assert rdf_graph.value(st, CK.fatalities) == Literal(2, datatype=XSD.integer)
    assert rdf_graph.value(st, CK.placeName) == Literal("Idlib")
    assert rdf_graph.value(st, CK.trigger) == Literal("shot down")
    assert rdf_graph.value(st, CK.extractor) == Literal("test.v1")
    assert rdf_graph.value(st, CK.evidenceStart) == Literal(40, datatype=XSD.integer)
    assert rdf_graph.value(st, PROV.wasDerivedFrom) == article_iri("000_art_a")
    confidence = rdf_graph.value(st, CK.confidence)
    assert confidence.datatype == XSD.decimal and confidence.toPython() == Decimal("0.9")


def test_confidence_is_rounded_to_three_places(rdf_graph: Graph) -> None:
    st = _statement(rdf_graph, "Syrian troops attacked rebels near Saraqeb.")
    assert str(rdf_graph.value(st, CK.confidence)) == "0.857"


def test_attribution_kept_on_non_edge_statement(rdf_graph: Graph) -> None:
    st = _statement(rdf_graph, "Turkish officials accused Syria of threatening Turkey.")
    assert rdf_graph.value(st, CK.attributedTo) == Literal("Turkish officials")
    assert rdf_graph.value(st, CK.modality) == CKM.alleged
    assert rdf_graph.value(st, CK.isEdge) == Literal(False)


def test_direct_triple_only_for_edges(rdf_graph: Graph) -> None:
    assert (actor_iri("tur"), CK.attacked, actor_iri("syr")) in rdf_graph
    assert (actor_iri("rus"), CK.backed, actor_iri("syr")) in rdf_graph
    assert (actor_iri("tur"), CK.negotiatedWith, actor_iri("rus")) in rdf_graph
    # negated, intended, alleged and hedged statements are kept but make no edge
    assert (actor_iri("rus"), CK.attacked, actor_iri("tur")) not in rdf_graph
    assert (actor_iri("un"), CK.mediated, actor_iri("syr")) not in rdf_graph
    assert (actor_iri("syr"), CK.threatened, actor_iri("tur")) not in rdf_graph
    assert (actor_iri("hts"), CK.attacked, actor_iri("isis")) not in rdf_graph
    negated = _statement(rdf_graph, "Russia did not attack Turkish troops.")
    assert rdf_graph.value(negated, CK.modality) == CKM.negated


def test_every_relation_has_one_statement_node(rdf_graph: Graph) -> None:
    a, b = make_rdf_results()
    assert len(set(rdf_graph.subjects(RDF.type, CK.Relation))) == len(a.relations) + len(b.relations)


def test_no_blank_nodes_and_no_bound_noise(rdf_graph: Graph) -> None:
    assert not any(isinstance(term, BNode) for triple in rdf_graph for term in triple)
    prefixes = {p for p, _ in rdf_graph.namespaces()}
    assert {"ck", "ckr", "ckt", "ckm", "prov", "schema", "sem", "wd"} <= prefixes
    assert "brick" not in prefixes and "foaf" not in prefixes


def test_statement_iri_depends_on_content_only(rdf_results) -> None:
    relation = rdf_results[0].relations[0]
    assert statement_iri(relation) == statement_iri(dataclasses.replace(relation))
    assert statement_iri(relation) != statement_iri(dataclasses.replace(relation, modality=Modality.NEGATED))
    assert statement_iri(relation) != statement_iri(dataclasses.replace(relation, trigger="downed"))
    assert len(str(statement_iri(relation)).rsplit("/", 1)[1]) == 20


def test_result_triples_is_the_graph(rdf_results) -> None:
    triples = set(result_triples(rdf_results[0]))
    assert triples == set(to_graph([rdf_results[0]]))


def test_sorted_ntriples_identical_across_builds(tmp_path: Path) -> None:
    write_graph(to_graph(make_rdf_results()), tmp_path / "one.nt", "nt")
    write_graph(to_graph(reversed(make_rdf_results())), tmp_path / "two.nt", "nt")
    one = (tmp_path / "one.nt").read_bytes()
    assert one == (tmp_path / "two.nt").read_bytes()
    lines = one.decode().splitlines()
    assert lines == sorted(lines) and len(lines) == len(to_graph(make_rdf_results()))


def test_turtle_is_deterministic_and_round_trips(tmp_path: Path, rdf_graph: Graph) -> None:
    write_graph(rdf_graph, tmp_path / "a.ttl", "turtle")
    write_graph(to_graph(make_rdf_results()), tmp_path / "b.ttl", "turtle")
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()
    assert isomorphic(read_graph(tmp_path / "a.ttl"), rdf_graph)


def test_json_ld_round_trips(tmp_path: Path, rdf_graph: Graph) -> None:
    write_graph(rdf_graph, tmp_path / "g.jsonld", "json-ld")
    assert isomorphic(read_graph(tmp_path / "g.jsonld"), rdf_graph)


def test_dataset_has_one_named_graph_per_article(tmp_path: Path, rdf_results, rdf_graph: Graph) -> None:
    dataset = to_dataset(rdf_results)
    write_graph(dataset, tmp_path / "g.nq", "nquads")
    reread = Dataset()
    reread.parse(tmp_path / "g.nq", format="nquads")
    names = {g.identifier for g in reread.graphs() if len(g)}
    assert names == {article_iri("000_art_a"), article_iri("001_art_b")}
    graph_a = reread.graph(article_iri("000_art_a"))
    # each article graph stands alone: its actors' facts are in it
    assert (actor_iri("tur"), RDFS.label, Literal("Turkey")) in graph_a
    assert (actor_iri("un"), RDFS.label, Literal("United Nations")) not in graph_a
    # the union of all article graphs is the plain graph
    assert isomorphic(read_graph(tmp_path / "g.nq"), rdf_graph)
    lines = (tmp_path / "g.nq").read_text().splitlines()
    assert lines == sorted(lines)


def test_append_equals_building_both(tmp_path: Path) -> None:
    first, second = make_rdf_results()
    write_graph(to_graph([first]), tmp_path / "graph.nt", "nt")
    merged = merge_into(tmp_path / "graph.nt", to_graph([second]))
    assert isomorphic(merged, to_graph([first, second]))
    # appending the same article again adds nothing
    write_graph(merged, tmp_path / "graph.nt", "nt")
    again = merge_into(tmp_path / "graph.nt", to_graph([second]))
    assert len(again) == len(merged)
    write_graph(again, tmp_path / "again.nt", "nt")
    write_graph(to_graph([first, second]), tmp_path / "both.nt", "nt")
    assert (tmp_path / "again.nt").read_bytes() == (tmp_path / "both.nt").read_bytes()


def test_merge_into_missing_file_starts_empty(tmp_path: Path, rdf_graph: Graph) -> None:
    assert isomorphic(merge_into(tmp_path / "absent.ttl", rdf_graph), rdf_graph)


def test_read_graph_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such graph file"):
        read_graph(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ck: <https://w3id.org/conflictkg/ontology#> .\nck:a ck:b \n")
    with pytest.raises(InputError, match=r"bad\.ttl: not valid turtle") as info:
        read_graph(bad)
    assert "\n" not in str(info.value)
    with pytest.raises(InputError, match="unknown RDF file extension"):
        read_graph(tmp_path / "graph.xyz")


def test_write_graph_rejects_unknown_format(tmp_path: Path, rdf_graph: Graph) -> None:
    with pytest.raises(OutputError, match="unknown RDF format"):
        write_graph(rdf_graph, tmp_path / "g.rdf", "rdfxml")
    assert serialize_graph(rdf_graph, "nquads") == serialize_graph(rdf_graph, "nt")


def _small_gazetteer(folder: Path):
    (folder / "states.csv").write_text(
        "id,iso3,label,wikidata,names,adjectives,metonyms\n"
        "tur,TUR,Turkey,Q43,Türkiye,Turkish,Ankara\n"
        "syr,SYR,Syria,Q858,,Syrian,Damascus\n",
        encoding="utf-8",
    )
    (folder / "groups.csv").write_text(
        "id,label,type,country,acts_for,operates_in,wikidata,aliases,role,from,to\n"
        "hts,Hayat Tahrir al-Sham,non_state_armed_group,,,SYR,Q28837934,HTS,,,\n"
        "erdogan,Recep Tayyip Erdogan,person,TUR,tur,,Q39259,Erdogan,president,2014,\n",
        encoding="utf-8",
    )
    return load_gazetteer(folder)


def test_gazetteer_graph_has_the_same_actor_triples(tmp_path: Path) -> None:
    graph = gazetteer_graph(_small_gazetteer(tmp_path))
    tur = actor_iri("tur")
    assert (tur, RDF.type, CK.State) in graph
    assert (tur, OWL.sameAs, WD.Q43) in graph
    assert (tur, SKOS.altLabel, Literal("Ankara")) in graph
    assert (actor_iri("hts"), CK.operatesIn, Literal("SYR")) in graph
    assert (actor_iri("erdogan"), CK.actsFor, tur) in graph
    assert len(set(graph.subjects(RDF.type, CK.Actor))) == 4
