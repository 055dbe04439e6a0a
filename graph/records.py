"""Records passed between pipeline stages.

Every stage takes and returns these frozen dataclasses (or spaCy / rdflib / networkx objects), so
stages can be tested alone and records can cross process boundaries cheaply (they pickle; spaCy
``Doc`` objects never leave the extraction stage). This module imports nothing of ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "EDGE_MODALITIES",
    "Actor",
    "ActorType",
    "Article",
    "ArticleResult",
    "DatasetSource",
    "Mention",
    "Modality",
    "Relation",
    "RelationKind",
    "Skipped",
    "TextSpan",
]


class ActorType(StrEnum):
    """Kinds of actor; values equal the SKOS concept local names in ``ontology/``."""

    STATE = "state"
    GOVERNMENT = "government"
    ARMED_FORCES = "armed_forces"
    PERSON = "person"
    NON_STATE_ARMED_GROUP = "non_state_armed_group"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    COALITION = "coalition"
    CIVILIANS = "civilians"
    POLICE = "police"
    COMMUNAL_GROUP = "communal_group"
    MILITARY_UNIT = "military_unit"
    OTHER = "other"


class RelationKind(StrEnum):
    """Relation types; values equal the SKOS concept local names in ``ontology/``."""

    ATTACKED = "attacked"
    BACKED = "backed"
    NEGOTIATED_WITH = "negotiated_with"
    THREATENED = "threatened"
    ACCUSED = "accused"
    DEMANDED = "demanded"
    COOPERATED = "cooperated"
    MEDIATED = "mediated"
    CAPTURED_FROM = "captured_from"
    SANCTIONED = "sanctioned"

    @property
    def symmetric(self) -> bool:
        """Whether ``a kind b`` implies ``b kind a`` (order carries no meaning)."""
        return self in (RelationKind.NEGOTIATED_WITH, RelationKind.COOPERATED)


class Modality(StrEnum):
    """How the text presents a relation.

    Only :data:`EDGE_MODALITIES` become direct actor-to-actor edges; every modality is kept on the
    statement node so nothing the text says is lost.
    """

    ASSERTED = "asserted"  # stated as fact, including plain reported speech ("X said Y attacked")
    NEGATED = "negated"  # "did not attack", "was not a party to the talks"
    INTENDED = "intended"  # planned, future, hoped, conditional ("plans to meet", "would strike")
    ALLEGED = "alleged"  # "accuses Rwanda of backing", "claimed"
    DENIED = "denied"  # the event is denied by someone ("a charge Yerevan denies")
    HEDGED = "hedged"  # "may have", "reportedly", "analysts say ... could"


EDGE_MODALITIES: frozenset[Modality] = frozenset({Modality.ASSERTED})


@dataclass(frozen=True, slots=True, kw_only=True)
class TextSpan:
    """Character offsets into an article's text, with the text they cover."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news article as read from disk, header parsed."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None  # agency or outlet, e.g. "AP"
    dateline: str | None = None  # place in the header, e.g. "BEIRUT"
    origin: str | None = None  # file (and line) it came from, for messages
    body_offset: int = 0  # where the body starts in ``text`` (after the header)
    lang: str = "en"  # ISO 639-1 code of the article's language: "en" or "fr"


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """An input that could not be used, with a one-line reason for the user."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A canonical actor: a state, one of its institutions, a person, a group, an organisation."""

    id: str  # snake_case, stable; the IRI local name
    label: str
    type: ActorType
    country: str | None = None  # ISO 3166-1 alpha-3 of the state it belongs to or acts for
    wikidata: str | None = None  # "Q43"
    aliases: tuple[str, ...] = ()
    acts_for: str | None = None  # actor id of the state (or group) it acts for
    operates_in: str | None = None  # ISO alpha-3 where a non-state actor operates, if known
    # False for an open-world actor: found in the text but in no gazetteer row or pattern; its id is
    # minted from its normalised label, type and country (graph.openworld), so it still merges
    linked: bool = True
    # the ids event datasets give this actor, prefixed by the dataset: "ucdp:113", "cameo:TURMIL"
    dataset_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """A span of an article resolved to a canonical actor."""

    actor_id: str
    span: TextSpan
    via: str  # how it was resolved: "gazetteer", "pattern", "title", "generic", "coref", ...


@dataclass(frozen=True, slots=True, kw_only=True)
class DatasetSource:
    """Where a statement imported from an event dataset (UCDP GED, ACLED, GDELT) came from."""

    dataset: str  # "ucdp", "acled", "gdelt": a row of ontology/datasets/datasets.csv
    event_id: str  # the dataset's own id of the event (UCDP id, ACLED event_id_cnty, GLOBALEVENTID)
    release: str | None = None  # the release the user names, e.g. "23.1"
    file: str = ""  # file name the row was read from (no folder, so outputs do not depend on it)
    line: int = 0
    concept: str = ""  # the dataset's own event type: CAMEO code, ACLED event/sub-event type, ...
    cameo: str | None = None  # CAMEO event code, when the dataset gives one
    plover: str | None = None  # PLOVER category the mapping table gives
    initiator_known: bool = True  # False where the dataset does not say which side started it
    admin_area: str | None = None  # first-level administrative area as the dataset names it


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation:
    """One statement of a relation between two actors, traceable to its sentence."""

    kind: RelationKind
    source_id: str
    target_id: str
    article_id: str
    evidence: TextSpan  # the sentence
    source_mention: TextSpan
    target_mention: TextSpan
    trigger: str  # the word(s) that fired the rule, e.g. "shot down"
    extractor: str  # rule name + version, e.g. "svo.v1"
    modality: Modality = Modality.ASSERTED
    attributed_to: str | None = None  # who said it ("Syria's Foreign Ministry"), as written
    date: dt.date | None = None
    place: str | None = None
    fatalities: int | None = None
    confidence: float = 1.0
    # shared by every statement of one event (same kind, same sides, same day), across articles
    event_id: str | None = None
    point: tuple[float, float] | None = None  # (latitude, longitude) of the place, when known
    dataset: DatasetSource | None = None  # set for statements imported from an event dataset

    @property
    def is_edge(self) -> bool:
        """Whether this statement becomes a direct actor-to-actor edge by default."""
        return self.modality in EDGE_MODALITIES


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleResult:
    """Everything extraction produced for one article; what workers send back to the driver."""

    article: Article
    actors: tuple[Actor, ...] = ()  # every actor referenced by a mention or relation
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    unresolved: tuple[TextSpan, ...] = field(default=())  # actor-like spans left out of the graph
    warnings: tuple[str, ...] = ()
