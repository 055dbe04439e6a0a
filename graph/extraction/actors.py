"""The actor step (Doc → ActorSpan): find mentions, link them, resolve what refers back.

Resolution works in layers, most specific first:

1. gazetteer names, aliases, capitals and metonyms ("Hezbollah", "Ankara", "the Kremlin");
2. state institutions by pattern: an adjective or possessive of a state followed by an
   institution noun ("Turkish troops", "Syria's Foreign Ministry") → that state's armed forces
   or government, listed nowhere row by row;
3. people: listed people by name, anyone else by title ("Turkish Defense Minister Hulusi Akar");
4. generic mentions ("rebels", "Islamist militants", "civilians"), tied to a country when an
   adjective says so ("Syrian rebels");
5. definite descriptions and bare institutions ("the rebels", "the junta", "the army", "the
   country") by salience: the most recent compatible mention earlier in the article;
6. open-world actors: what is left that still denotes a participant ("ethnic Serbs", "Charlotte
   police", "the 3rd Assault Brigade") becomes an unlinked actor (:mod:`.open_mentions`).

:mod:`.mentions` finds the words (1), :mod:`.linking` turns them into actors (2–4),
:mod:`.descriptions` and :mod:`.coreference` resolve the rest (5). Pronouns are resolved on demand
by :func:`.coreference.resolve_pronoun`, because only pronouns that fill a relation's argument
matter. Anything actor-like that none of this resolves stays out of the graph and is counted
(``unresolved``).
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.extraction.coreference import (
    generic_owners,
    localize_generics,
    named_generics,
    people_mentions,
    peopled_generics,
    unify_generics,
)
from graph.extraction.descriptions import Descriptions, group_nouns, state_nouns
from graph.extraction.linking import Linker
from graph.extraction.mentions import ADJ, GEN, INST, NAME, Match, MentionMatcher
from graph.extraction.open_mentions import OpenMentions
from graph.extraction.spans import ActorSpan, sentence_bounds, sentence_index
from graph.gazetteer import Gazetteer, normalize
from graph.lexicon import Lexicon
from graph.records import Actor, ActorType

__all__ = ["ActorFinder"]

_NO_ACTOR = Actor(id="", label="", type=ActorType.OTHER)  # a word the gazetteer does not name


class ActorFinder:
    """Finds and resolves actor mentions; built once per (pipeline, gazetteer) and reused."""

    def __init__(
        self,
        nlp,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        heads: Mapping[str, ActorType],
        name_heads: Mapping[str, ActorType] | None = None,
        cities: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        self.gaz = gazetteer
        self.lex = lexicon
        self.matcher = MentionMatcher(nlp, gazetteer, lexicon)
        self.linker = Linker(gazetteer, lexicon)
        self.descriptions = Descriptions(gazetteer, lexicon)
        self.open_world = OpenMentions(gazetteer, lexicon, heads, name_heads or {}, cities or {})

    def find(
        self, doc, year: int | None = None, theatre: str | None = None
    ) -> tuple[list[ActorSpan], list[tuple[int, int]]]:
        """Resolve every actor mention in ``doc``; returns spans in order and the character
        offsets of actor-like entities left unresolved. ``theatre``: the state the dateline places
        the story in, the last guess for a "government" nothing in the text places."""
        matches = self.matcher.matches(doc)
        at: dict[int, Match] = {m[2]: m for m in matches}
        spans: list[ActorSpan] = []
        consumed: set[int] = set()
        unplaced: list[tuple[str, int, int]] = []  # institutions no state was found for yet

        def emit(span: ActorSpan) -> None:
            spans.append(span)
            consumed.update(range(span.start, span.end))

        for kind, value, start, end in matches:
            if start in consumed:
                continue
            if kind in (NAME, ADJ) and self.matcher.is_prefix(doc, end):
                # "Russian-backed", "Iran-backed", "Saudi-led": the backer, not the phrase's head
                actor = self.gaz.actors[value]
                emit(ActorSpan(start, end, end - 1, actor, "modifier", 0.95))
                continue
            if kind == NAME:
                if start > 1 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti":
                    continue  # "anti-Assad protesters" are not Assad ("pro-Saleh units" are his)
                if (
                    end - start >= 2
                    and start > 0
                    and all(t.text[:1].isupper() for t in doc[start:end] if t.is_alpha)
                    and self.gaz.actors[value].type not in (ActorType.STATE, ActorType.PERSON)
                    and doc[start - 1].pos_ == "PROPN"
                    and doc[start - 1].text[:1].isupper()
                    and doc[start - 1].dep_ == "compound"
                    and start <= doc[start - 1].head.i < end
                    and not doc[start - 1].is_sent_start
                    # (but "the U.N. Security Council": an organisation's own body)
                    and self.gaz.actors.get(
                        self.gaz.names.get(normalize(doc[start - 1].text), ""), _NO_ACTOR
                    ).type
                    in (ActorType.STATE, ActorType.OTHER)
                ):
                    # "the Uganda National Liberation Army" is not Colombia's "National Liberation
                    # Army": a longer name the gazetteer lacks (.open_mentions reads it)
                    continue
                emit(self.linker.name_span(doc, value, start, end, at))
            elif kind == ADJ:
                span = self.linker.coordinated_adjective(doc, value, start, end, at)
                if span is None:
                    span = self.linker.adjective_span(doc, value, start, end, at, year)
                if span is not None:
                    emit(span)
            elif kind == GEN:
                if (
                    end + 1 < len(doc)
                    and doc[start].text[:1].isupper()
                    and doc[end].lower_ in ("'s", "’s")
                    and doc[end + 1].text[:1].isupper()
                ):
                    continue  # "the People's Armed Forces of ...": the first word of a name
                emit(self.descriptions.generic_span(doc, value, start, end, spans))
            elif kind == INST:
                if (
                    doc[start].text[:1].isupper()
                    and start > 0
                    and doc[start - 1].pos_ == "PROPN"
                    and doc[start - 1].text[:1].isupper()
                    and start - 1 not in consumed
                    and not doc[start - 1].is_sent_start
                ):
                    continue  # "the National Resistance Army": a name's last word (see .open_mentions)
                span = self.descriptions.bare_institution(doc, ActorType(value), start, end, spans)
                if span is not None:
                    emit(span)
                else:
                    unplaced.append((value, start, end))
        spans.extend(self.matcher.hyphen_prefixes(doc, consumed))
        spans.extend(self._placed_by_groups(doc, unplaced, spans, consumed, theatre))
        spans.extend(state_nouns(doc, consumed, spans, self.gaz, self.lex))
        spans.extend(group_nouns(doc, consumed, spans, self.lex))
        spans.sort(key=lambda s: s.start)
        # after "the group" and "the country" are resolved: "its fighters" may point at them
        spans = generic_owners(doc, spans)
        people, unresolved = people_mentions(doc, consumed, spans)
        spans.extend(people)
        spans.sort(key=lambda s: s.start)
        spans = localize_generics(doc, unify_generics(spans), self.gaz)
        spans = named_generics(doc, spans, self.gaz)
        spans = peopled_generics(doc, spans, self.gaz)
        # last: what no layer above resolved may still be an open-world actor
        opened = self.open_world.spans(doc, spans)
        starts = {doc[s.start].idx for s in opened}
        unresolved = [u for u in unresolved if u[0] not in starts]
        return sorted([*spans, *opened], key=lambda s: s.start), unresolved

    def _story_theatre(self, doc, dateline: str | None) -> str | None:
        """The state a story happens in: the one country all its named cities belong to, else
        the dateline's when it names no city elsewhere ("NAIROBI, Kenya (AP) — ... government
        troops near Goma": a regional bureau's dateline says where the reporter sits)."""
        cities = self.open_world.cities
        named = [
            (ent, found[0]) for ent in doc.ents if (found := cities.get(normalize(ent.text))) is not None
        ]
        home = self.gaz.actors[dateline].country if dateline is not None else None
        if any(iso3 != home for _, iso3 in named):
            # a place the model tags as one, not a person or firm that shares a city's name
            countries = {iso3 for ent, iso3 in named if ent.label_ in ("GPE", "LOC", "FAC")}
            state = self.gaz.state_for(countries.pop()) if len(countries) == 1 else None
            return (
                state.id
                if state is not None and {iso3 for _, iso3 in named} <= {home, state.country}
                else None
            )
        return dateline

    def _placed_by_groups(
        self,
        doc,
        unplaced: list[tuple[str, int, int]],
        spans: list[ActorSpan],
        consumed: set[int],
        theatre: str | None = None,
    ) -> list[ActorSpan]:
        """Second pass over "the government", "government troops" that nothing placed: the
        country the sentence's named armed groups operate in (see ``bare_institution``), else,
        when the article names no other state anywhere, the dateline's ("JUBA, South Sudan (AP) —
        The rebels and government signed a truce")."""
        found: list[ActorSpan] = []
        if not unplaced:
            return found  # (most articles: no bare "government" left, no cities to look up)
        dateline = theatre
        story = self._story_theatre(doc, dateline)
        for value, start, end in unplaced:
            if any(i in consumed for i in range(start, end)):
                continue
            # troops are where the story's towns are; a government talks in Havana or Doha and
            # stays the dateline's unless the text names a city elsewhere
            troops = value == ActorType.ARMED_FORCES.value or (
                end < len(doc) and self.lex.has(doc[end], "armed_men")  # "Government soldiers"
            )
            theatre = story if troops or story in (None, dateline) else None
            home = self.gaz.actors[theatre].country if theatre is not None else None
            first, last = sentence_bounds(doc)[sentence_index(doc, start)]
            sentence = [s for s in spans if first <= s.start < last]
            earlier = [s for s in spans if s.start < start]
            span = self.descriptions.bare_institution(doc, ActorType(value), start, end, earlier, sentence)
            if (
                span is None
                and theatre is not None
                # a story datelined LONDON about a war elsewhere names that war's states somewhere
                and all((s.actor.country or s.actor.operates_in) in (None, home) for s in spans)
                # "government troops" but not "bombers": only a government word names a state
                and any(t.lower_ in ("government", "authorities") for t in doc[start:end])
            ):
                first = start - 1 if start > 0 and doc[start - 1].lower_ == "the" else start
                span = ActorSpan(
                    first, end, end - 1, self.gaz.institution(theatre, ActorType(value)), "coref", 0.6
                )
            if span is not None:
                found.append(span)
                consumed.update(range(span.start, span.end))
        return found
