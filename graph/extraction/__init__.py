"""Extraction: a parsed article becomes records (Doc + Article → ArticleResult).

The steps, in order, one module (or folder) each:

1. the actor step (:mod:`.actors`, Doc → ActorSpan): :mod:`.mentions` finds the gazetteer's
   words, :mod:`.linking` turns them into canonical actors, :mod:`.descriptions` and
   :mod:`.coreference` resolve what refers back ("the rebels", "the army", "its fighters");
   :mod:`.spans` holds the span record and cached views of the Doc;
2. the relation step (:mod:`.candidates`, ActorSpan → Candidate): the families of constructions in
   :mod:`.rules` read the parse over a per-Doc :mod:`.context`, asking :mod:`.arguments` who
   fills a phrase or a clause;
3. :mod:`.modality`: asserted, negated, intended, alleged, denied or hedged, and who said so;
4. :mod:`.assemble` (Candidate → Relation, ArticleResult): evidence, offsets, date, place,
   fatalities, event ids.

Nothing spaCy leaves this package: records carry character offsets, so workers ship records.

Example::

    extractor = load_extractor(nlp)
    result = extract_doc(nlp(article.text), article, extractor)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.extraction.actors import ActorFinder
from graph.extraction.assemble import assemble_result
from graph.extraction.candidates import extract_candidates
from graph.gazetteer import Gazetteer, load_gazetteer, normalize
from graph.lexicon import Lexicon, load_lexicon
from graph.openworld import load_cities, load_heads, load_name_heads, load_place_countries
from graph.records import ActorType, Article, ArticleResult

__all__ = ["Extractor", "extract_doc", "load_extractor"]


@dataclass(frozen=True, slots=True)
class Extractor:
    """Everything extraction needs besides the Doc, built once at the edge and passed down."""

    gazetteer: Gazetteer
    lexicon: Lexicon
    finder: ActorFinder
    places: Mapping[str, str]  # city and region names -> ISO alpha-3 (a target's state)


def load_extractor(nlp, actors_files: Iterable[Path] = ()) -> Extractor:
    """Load the gazetteer and lexicon of ``nlp``'s language and build the matchers for its vocabulary."""
    gazetteer = load_gazetteer(extra=tuple(actors_files), lang=nlp.lang)
    lexicon = load_lexicon(lang=nlp.lang)
    cities = load_cities()
    finder = ActorFinder(
        nlp,
        gazetteer,
        lexicon,
        load_heads(lang=nlp.lang),
        load_name_heads(lang=nlp.lang),
        cities,
    )
    places = load_place_countries(cities)
    return Extractor(gazetteer=gazetteer, lexicon=lexicon, finder=finder, places=places)


def extract_doc(doc, article: Article, extractor: Extractor, offset: int = 0) -> ArticleResult:
    """Extract actors and relations from one parsed article (or one chunk of it at ``offset``)."""
    year = article.date.year if article.date else None
    spans, unresolved = extractor.finder.find(doc, year, _theatre(article, extractor))
    candidates = extract_candidates(doc, spans, extractor.lexicon, extractor.gazetteer, extractor.places)
    return assemble_result(
        doc, article, spans, unresolved, candidates, extractor.gazetteer, extractor.lexicon, offset
    )


def _theatre(article: Article, extractor: Extractor) -> str | None:
    """The state an article's dateline names ("JUBA, South Sudan", "KABUL", "Goma"), if one."""
    if not article.dateline:
        return None
    gaz = extractor.gazetteer
    for part in reversed(article.dateline.split(",")):  # "JUBA, South Sudan": the country first
        key = normalize(part.strip())
        sid = gaz.names.get(key)
        actor = gaz.actors.get(sid) if sid else None
        if actor is not None and actor.type is ActorType.STATE:
            return actor.id
        iso3 = extractor.places.get(key)
        state = gaz.state_for(iso3) if iso3 else None
        if state is not None:
            return state.id
    return None
