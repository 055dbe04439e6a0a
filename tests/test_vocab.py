"""Tests for graph.vocab: every term it names is declared in ontology/conflictkg.ttl; the maps are total."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph

from graph.records import ActorType, Modality, RelationKind
from graph.resources import ontology_dir
from graph.vocab import (
    ACTOR_CLASS,
    CK,
    RELATION_PROPERTY,
    actor_type_iri,
    modality_iri,
    relation_type_iri,
)

DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "conflictkg.ttl", format="turtle")


def test_every_ck_term_is_declared(ontology: Graph) -> None:
    names = sorted(CK.__annotations__)
    assert len(names) > 40
    undeclared = [n for n in names if not set(ontology.objects(CK[n], RDF.type)) & DECLARATIONS]
    assert undeclared == []


def test_ontology_declares_nothing_vocab_lacks(ontology: Graph) -> None:
    namespace = str(CK._NS)
    declared = {str(s)[len(namespace) :] for s in ontology.subjects() if str(s).startswith(namespace)}
    assert declared == set(CK.__annotations__)


def test_a_typo_raises() -> None:
    with pytest.raises(AttributeError):
        CK.attaked  # noqa: B018


def test_every_enum_value_is_a_concept(ontology: Graph) -> None:
    for kind, cls in ((RelationKind, CK.RelationType), (ActorType, CK.ActorType), (Modality, CK.Modality)):
        iri = {RelationKind: relation_type_iri, ActorType: actor_type_iri, Modality: modality_iri}[kind]
        for member in kind:
            assert (iri(member), RDF.type, cls) in ontology, member


def test_maps_cover_every_enum_member() -> None:
    assert set(RELATION_PROPERTY) == set(RelationKind)
    assert set(ACTOR_CLASS) == set(ActorType)
    assert len(set(RELATION_PROPERTY.values())) == len(RelationKind)
    assert len(set(ACTOR_CLASS.values())) == len(ActorType)
