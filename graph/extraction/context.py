"""What the relation rules share for one Doc: the :class:`Candidate` they yield, the
:class:`Context` tables (which token belongs to which actor span, and notes left for later passes),
and small predicates over tokens ("is this noun an attack?", "which state does 'in Syria' name?").

Who fills a phrase or a clause's argument is :mod:`.arguments`; the rules are :mod:`.rules`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from graph.extraction.spans import ActorSpan
from graph.gazetteer import Gazetteer, normalize
from graph.lexicon import Lexicon, Trigger
from graph.records import Actor, ActorType, RelationKind

__all__ = [
    "ATTACK_PREPS",
    "PRONOUNS",
    "Candidate",
    "Context",
    "both_ways",
    "is_event",
    "noun_trigger",
    "pairs",
    "repels",
    "side",
    "state_adjective",
    "state_located",
]

PRONOUNS = {"he", "him", "his", "she", "her", "it", "its", "they", "them", "their"}
ATTACK_PREPS = {"on", "at", "against", "into", "upon", "toward", "towards"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A relation found in a sentence, in token terms (:mod:`.assemble` turns it into a Relation)."""

    kind: RelationKind
    source: ActorSpan
    target: ActorSpan
    trigger: int  # token index
    rule: str
    confidence: float


class Context:
    """The per-Doc tables the rules share, and the notes they leave for the later passes."""

    def __init__(
        self,
        doc,
        spans: Sequence[ActorSpan],
        lexicon: Lexicon,
        gazetteer: Gazetteer | None = None,
        places: Mapping[str, str] | None = None,
    ) -> None:
        self.doc = doc
        self.gaz = gazetteer
        self.places = places or {}  # city and region names -> ISO alpha-3
        self.spans = [s for s in spans if s.via != "open"]  # open-world actors are no antecedents
        self.lex = lexicon
        self.by_token: dict[int, ActorSpan] = {}
        # open-world actors (.open_mentions): a fallback for a phrase no linked reading resolves
        self.open_at: dict[int, ActorSpan] = {}
        self.prefix_at: dict[int, ActorSpan] = {}  # "Russian" of "Russian-backed": a modifier, not a phrase
        self.untargeted: list[tuple[ActorSpan, int]] = []  # attacks with an agent and no target
        self.joined: dict[str, Actor] = {}  # "the UAE joined Saudi jets in the raids": UAE -> Saudi
        self.coordinated: dict[
            int, list[ActorSpan]
        ] = {}  # "Indian" of "Indian and Pakistani troops", by head
        for span in spans:
            table = (
                self.prefix_at
                if span.via == "modifier"
                else self.open_at
                if span.via == "open"
                else self.by_token
            )
            for i in range(span.start, span.end):
                table[i] = span
            if span.via == "coordinated":
                self.coordinated.setdefault(span.head, []).append(span)

    def prefix_of(self, tok) -> ActorSpan | None:
        """The actor before "-backed", "-led" ...: "Russian" of "Russian-backed" (three tokens) or
        of "U.S.-led" (one token)."""
        if tok.i >= 2 and self.doc[tok.i - 1].text in ("-", "‐"):
            return self.prefix_at.get(tok.i - 2)
        return self.prefix_at.get(tok.i)


def noun_trigger(doc, tok, lexicon: Lexicon) -> Trigger | None:
    """The lexicon entry of a noun, joining hyphenated compounds the tokenizer split ("cease-fire")."""
    if tok.i >= 2 and doc[tok.i - 1].text == "-":
        joined = f"{doc[tok.i - 2].lower_}-{tok.lower_}"
        for key in (joined, joined.rstrip("s"), joined.replace("-", "")):
            if key in lexicon.nouns:
                return lexicon.nouns[key]
        if doc[tok.i - 2].lower_ in ("cease",):
            return None
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and tok.lower_ == "cease":
        return None  # the "cease" of "cease-fire": the compound is read at "fire"
    trig = lexicon.nouns.get(tok.lemma_.lower()) or lexicon.nouns.get(tok.lower_)
    if (
        trig is not None
        and trig.kind is RelationKind.ATTACKED
        and tok.dep_ == "pobj"
        and tok.head.lower_ in ("of", "to")
        and tok.head.head.lemma_.lower() in lexicon.of("cessation_noun")
    ):
        # "a cessation of hostilities agreement between X and Y", "an end to the fighting": a truce
        return lexicon.nouns.get("truce")
    return trig


def is_event(ctx: Context, tok) -> bool:
    """Whether a noun names an attack event ("offensive", "strike") rather than a participant."""
    trig = noun_trigger(ctx.doc, tok, ctx.lex)
    return trig is not None and trig.kind is RelationKind.ATTACKED and tok.i not in ctx.by_token


_LOCATING_PREPS = {"in", "inside", "across", "throughout"}


def state_located(ctx: Context, prep) -> ActorSpan | None:
    """The state a locating phrase names ("in Syria", "across Georgia"), as a target's stand-in."""
    if prep.dep_ != "prep" or prep.lower_ not in _LOCATING_PREPS:
        return None
    for pobj in prep.children:
        if pobj.dep_ != "pobj":
            continue
        # "in Syria"; "in Russia's Samara region" (a region named through its state)
        holders = [pobj, *(c for c in pobj.children if c.dep_ == "poss")]
        if ctx.lex.has(pobj, "place_noun"):
            holders += [c for c in pobj.children if c.dep_ in ("compound", "amod")]
        for holder in holders:
            span = ctx.by_token.get(holder.i)
            if span is not None and span.actor.type is ActorType.STATE:
                return ActorSpan(span.start, span.end, span.head, span.actor, "located", 0.7)
        placed = _placed_state(ctx, pobj)
        if placed is not None:
            return placed
    return None


def _placed_state(ctx: Context, pobj) -> ActorSpan | None:
    """ "in Borno state", "in the Donetsk region", "near Kandahar": a city or first-level region
    no actor covers stands for the one state it is in (``Context.places``)."""
    if ctx.gaz is None or not ctx.places or pobj.i in ctx.by_token or pobj.i in ctx.open_at:
        return None
    place_noun = ctx.lex.has(pobj, "place_noun") and pobj.pos_ == "NOUN"
    name = [c for c in pobj.children if c.dep_ == "compound" and c.i < pobj.i and c.pos_ == "PROPN"]
    if not place_noun:
        if pobj.pos_ != "PROPN":
            return None
        name.append(pobj)
    if not name or any(t.i in ctx.by_token for t in name):
        return None
    first, last = name[0].i, name[-1].i
    while any(c.dep_ == "compound" and c.i == first - 1 for c in ctx.doc[first].children):
        first -= 1  # "Cabo Delgado province": the name's own first word hangs on its second
    if any(t.i in ctx.by_token for t in ctx.doc[first:last]):
        return None
    iso3 = ctx.places.get(normalize(ctx.doc[first : last + 1].text))
    state = ctx.gaz.state_for(iso3) if iso3 else None
    if state is None:
        return None
    return ActorSpan(first, pobj.i + 1, pobj.i, state, "located", 0.6)


def repels(ctx: Context, verb) -> bool:
    """ "repelled", "fought off", "beat back", "held off": the verb's object is an attack to fend off."""
    if ctx.lex.has(verb, "repel_verb"):
        return True
    particles = {c.lower_ for c in verb.children if c.dep_ in ("prt", "advmod")}
    return bool(particles & {"off", "back"}) and verb.lemma_.lower() in ("fight", "beat", "hold", "fend")


def both_ways(candidates: Iterator[Candidate]) -> Iterator[Candidate]:
    """Each candidate and its reverse: "X and Y traded strikes", "X is at war with Y"."""
    for cand in candidates:
        yield cand
        yield replace(cand, source=cand.target, target=cand.source)


def pairs(subjects, partners, kind, trigger_i, rule, conf) -> Iterator[Candidate]:
    """Each subject with each partner, or, with no partners, each pair of subjects."""
    if partners:
        for s in subjects:
            for p in partners:
                if s.actor.id != p.actor.id:
                    yield Candidate(kind, s, p, trigger_i, rule, conf)
    else:
        for i, a in enumerate(subjects):
            for b in subjects[i + 1 :]:
                if a.actor.id != b.actor.id:
                    yield Candidate(kind, a, b, trigger_i, rule, conf)


def side(actor) -> str:
    """The state (or group) an actor acts for: Chad's army and Chad are one side."""
    return actor.acts_for or actor.id


def state_adjective(ctx: Context, tok) -> ActorSpan | None:
    """The state a demonym adjective names where no pattern made it a span ("Libyan assistance",
    "Russian and Iranian-backed forces")."""
    if ctx.gaz is None or tok.pos_ not in ("ADJ", "PROPN"):
        return None
    state_id = ctx.gaz.adjectives.get(normalize(tok.text))
    if state_id is None:
        return None
    return ActorSpan(tok.i, tok.i + 1, tok.i, ctx.gaz.actors[state_id], "adjective", 0.8)
