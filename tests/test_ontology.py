"""Tests for the ontology files: parsed, documented, aligned with PLOVER and CAMEO; shapes are valid SHACL."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from graph.records import ActorType, RelationKind
from graph.resources import ontology_dir
from graph.vocab import ACTOR_CLASS, CK, PLOVER, RELATION_PROPERTY, actor_type_iri, relation_type_iri

# PLOVER's event categories (openeventdata/PLOVER, 2021 CAMEO mapping)
PLOVER_CATEGORIES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "COOPERATE",
    "AID",
    "CONCEDE",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "MOBILIZE",
    "SANCTION",
    "COERCE",
    "ASSAULT",
    "FIGHT",
    "CRIME",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "conflictkg.ttl", format="turtle")


def test_shape_file_name_contains_shape() -> None:
    assert [p.name for p in ontology_dir().glob("*shape*.ttl")] == ["shapes.ttl"]


def test_every_class_and_property_has_label_and_comment(ontology: Graph) -> None:
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for term in ontology.subjects(RDF.type, kind):
            assert ontology.value(term, RDFS.label) is not None, term
            assert ontology.value(term, RDFS.comment) is not None, term


def test_actor_classes_are_actors_and_match_their_concepts(ontology: Graph) -> None:
    for kind, cls in ACTOR_CLASS.items():
        assert (cls, RDFS.subClassOf, CK.Actor) in ontology
        assert (actor_type_iri(kind), RDFS.seeAlso, cls) in ontology
        assert (actor_type_iri(kind), SKOS.notation, None) in ontology


def test_relation_types_map_to_their_property_plover_and_cameo(ontology: Graph) -> None:
    for kind in RelationKind:
        concept = relation_type_iri(kind)
        assert ontology.value(concept, CK.property) == RELATION_PROPERTY[kind]
        matches = {str(m) for m in ontology.objects(concept, SKOS.closeMatch)}
        assert matches and all(m.startswith(str(PLOVER)) for m in matches), kind
        assert {m[len(str(PLOVER)) :] for m in matches} <= PLOVER_CATEGORIES, kind
        codes = [str(c) for c in ontology.objects(concept, CK.cameoCode)]
        assert codes and all(re.fullmatch(r"\d{2,4}", c) for c in codes), kind
        assert ontology.value(concept, SKOS.prefLabel) is not None
        assert ontology.value(concept, SKOS.definition) is not None


def test_specific_alignments(ontology: Graph) -> None:
    def plover(kind: RelationKind) -> set[str]:
        return {str(m).rsplit("#", 1)[1] for m in ontology.objects(relation_type_iri(kind), SKOS.closeMatch)}

    assert plover(RelationKind.ATTACKED) == {"ASSAULT"}
    assert plover(RelationKind.BACKED) == {"AID", "SUPPORT"}
    assert plover(RelationKind.NEGOTIATED_WITH) == {"CONSULT", "AGREE"}
    assert plover(RelationKind.SANCTIONED) == {"SANCTION"}
    attacked = relation_type_iri(RelationKind.ATTACKED)
    assert {str(c) for c in ontology.objects(attacked, CK.cameoCode)} == {"18", "19", "20"}


def test_symmetric_properties_match_the_enum(ontology: Graph) -> None:
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    assert symmetric == {RELATION_PROPERTY[k] for k in RelationKind if k.symmetric}
    assert symmetric == {CK.negotiatedWith, CK.cooperatedWith}


def test_schemes_list_every_concept(ontology: Graph) -> None:
    base = "https://w3id.org/conflictkg/ontology/"
    schemes = (("relation-type", len(RelationKind)), ("actor-type", len(ActorType)), ("modality", 6))
    for scheme, count in schemes:
        top = set(ontology.objects(URIRef(base + scheme), SKOS.hasTopConcept))
        assert len(top) == count
        assert all((c, SKOS.inScheme, URIRef(base + scheme)) in ontology for c in top)


def test_readme_documents_every_term() -> None:
    readme = (ontology_dir() / "README.md").read_text(encoding="utf-8")
    missing = [n for n in CK.__annotations__ if f"ck:{n}" not in readme]
    assert missing == []
    for kind in RelationKind:
        assert f"ckr:{kind.value}" in readme
    for section in ("## Gazetteer files", "## Extending: --actors my_actors.csv", "## SHACL shapes"):
        assert section in readme


def test_shapes_are_valid_shacl() -> None:
    import pyshacl

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text
