"""RDF namespaces and terms of the conflictkg ontology, defined once.

A typo'd term raises (``_fail = True``), so code and ``ontology/conflictkg.ttl`` cannot drift apart
silently; ``tests/test_vocab.py`` checks that every term here is declared in the ontology file.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from graph.records import ActorType, Modality, RelationKind

__all__ = [
    "ACTOR_CLASS",
    "CK",
    "CKM",
    "CKR",
    "CKT",
    "DCTERMS",
    "GEO",
    "ID",
    "PLOVER",
    "PROV",
    "RELATION_PROPERTY",
    "SCHEMA",
    "SEM",
    "WD",
    "actor_iri",
    "article_iri",
]

BASE = "https://w3id.org/conflictkg/"


class CK(DefinedNamespace):
    """Classes and properties of the ontology core."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Actor: URIRef
    State: URIRef
    Government: URIRef
    ArmedForces: URIRef
    Person: URIRef
    NonStateArmedGroup: URIRef
    InternationalOrganization: URIRef
    Coalition: URIRef
    Civilians: URIRef
    Police: URIRef
    CommunalGroup: URIRef
    MilitaryUnit: URIRef
    OtherActor: URIRef
    Relation: URIRef  # a statement node: one sentence stating one relation
    Article: URIRef
    RelationType: URIRef
    ActorType: URIRef
    Modality: URIRef
    Event: URIRef  # one dated event, reported by one or more statements
    Dataset: URIRef  # an event dataset release (UCDP GED 23.1, an ACLED export, GDELT 2.0 events)
    DatasetRecord: URIRef  # one row of an event dataset, a prov:Entity
    # direct ("truthy") actor-to-actor properties
    attacked: URIRef
    backed: URIRef
    negotiatedWith: URIRef
    threatened: URIRef
    accused: URIRef
    demanded: URIRef
    cooperatedWith: URIRef
    mediated: URIRef
    capturedTerritoryFrom: URIRef
    sanctioned: URIRef
    # actor properties
    actorType: URIRef
    countryCode: URIRef
    actsFor: URIRef
    operatesIn: URIRef
    linked: URIRef  # false for an open-world actor (in no gazetteer row or pattern)
    # statement properties
    source: URIRef
    target: URIRef
    relationType: URIRef
    modality: URIRef
    evidence: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    sourceMention: URIRef
    targetMention: URIRef
    trigger: URIRef
    extractor: URIRef
    confidence: URIRef
    fatalities: URIRef
    placeName: URIRef
    attributedTo: URIRef
    isEdge: URIRef
    event: URIRef  # the event a statement reports; shared across articles
    sourceCount: URIRef  # on an event: independent sources (articles and datasets) that report it
    initiatorKnown: URIRef  # false where a dataset does not say which side started the fighting
    datasetConcept: URIRef  # the dataset's own event type ("Battles / Armed clash", "state-based")
    ploverCategory: URIRef  # the PLOVER category of a dataset statement
    adminArea: URIRef  # first-level administrative area of a statement's place, as a dataset names it
    # dataset provenance
    dataset: URIRef  # from a dataset record to its dataset release
    datasetEventId: URIRef
    sourceFile: URIRef
    sourceLine: URIRef
    release: URIRef
    datasetActorId: URIRef  # an id a dataset gives an actor ("ucdp:113", "cameo:TURMIL")
    # article properties
    dateline: URIRef
    # relation-type concept properties
    property: URIRef  # from a relation-type concept to its direct property
    cameoCode: URIRef


CKR = Namespace(BASE + "ontology/relation-type/")  # SKOS concepts, local names = RelationKind values
CKT = Namespace(BASE + "ontology/actor-type/")  # SKOS concepts, local names = ActorType values
CKM = Namespace(BASE + "ontology/modality/")  # SKOS concepts, local names = Modality values
ID = Namespace(BASE + "id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PLOVER = Namespace("https://github.com/openeventdata/PLOVER#")

RELATION_PROPERTY: dict[RelationKind, URIRef] = {
    RelationKind.ATTACKED: CK.attacked,
    RelationKind.BACKED: CK.backed,
    RelationKind.NEGOTIATED_WITH: CK.negotiatedWith,
    RelationKind.THREATENED: CK.threatened,
    RelationKind.ACCUSED: CK.accused,
    RelationKind.DEMANDED: CK.demanded,
    RelationKind.COOPERATED: CK.cooperatedWith,
    RelationKind.MEDIATED: CK.mediated,
    RelationKind.CAPTURED_FROM: CK.capturedTerritoryFrom,
    RelationKind.SANCTIONED: CK.sanctioned,
}

ACTOR_CLASS: dict[ActorType, URIRef] = {
    ActorType.STATE: CK.State,
    ActorType.GOVERNMENT: CK.Government,
    ActorType.ARMED_FORCES: CK.ArmedForces,
    ActorType.PERSON: CK.Person,
    ActorType.NON_STATE_ARMED_GROUP: CK.NonStateArmedGroup,
    ActorType.INTERNATIONAL_ORGANIZATION: CK.InternationalOrganization,
    ActorType.COALITION: CK.Coalition,
    ActorType.CIVILIANS: CK.Civilians,
    ActorType.POLICE: CK.Police,
    ActorType.COMMUNAL_GROUP: CK.CommunalGroup,
    ActorType.MILITARY_UNIT: CK.MilitaryUnit,
    ActorType.OTHER: CK.OtherActor,
}


def actor_iri(actor_id: str) -> URIRef:
    """The IRI of a canonical actor; ids are snake_case, so no escaping is needed."""
    return ID[f"actor/{actor_id}"]


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article, percent-encoding anything unsafe in its id."""
    from urllib.parse import quote

    return ID[f"article/{quote(article_id, safe='-._~')}"]


def dataset_iri(dataset: str, release: str | None) -> URIRef:
    """The IRI of a dataset release ("ucdp", "23.1"), or of the dataset when no release is named."""
    from urllib.parse import quote

    tail = f"/{quote(release, safe='-._~')}" if release else ""
    return ID[f"dataset/{dataset}{tail}"]


def record_iri(dataset: str, event_id: str) -> URIRef:
    """The IRI of one dataset row, from the dataset and the dataset's own event id."""
    from urllib.parse import quote

    return ID[f"record/{dataset}/{quote(event_id, safe='-._~')}"]


def geometry_iri(lat: float, lon: float) -> URIRef:
    """The IRI of a point geometry, minted from its coordinates (five decimals, about a metre)."""
    return ID[f"geometry/{lat:.5f}_{lon:.5f}"]


def relation_type_iri(kind: RelationKind) -> URIRef:
    """The SKOS concept of a relation type."""
    return CKR[kind.value]


def actor_type_iri(kind: ActorType) -> URIRef:
    """The SKOS concept of an actor type."""
    return CKT[kind.value]


def modality_iri(modality: Modality) -> URIRef:
    """The SKOS concept of a modality."""
    return CKM[modality.value]
