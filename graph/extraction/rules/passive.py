"""Passive clauses (``passive``, ``passive_event``): "20 soldiers were killed by Taliban fighters",
"was backed by a U.S.-led coalition", "The M23 rebels, backed by Rwanda, ...", "were killed in an
attack by X", "agreed to a ceasefire brokered by Qatar".
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.arguments import (
    actor_at,
    actor_ending_at,
    agent_of_event,
    distinct,
    prep_objects,
    subject_of,
)
from graph.extraction.context import (
    ATTACK_PREPS,
    Candidate,
    Context,
    both_ways,
    is_event,
    noun_trigger,
    pairs,
)
from graph.extraction.spans import ActorSpan
from graph.records import RelationKind

__all__ = ["by_participle", "died_in", "first_participle", "passive_clause", "reduced_passive"]


def passive_clause(ctx: Context, verb, kind: RelationKind) -> Iterator[Candidate]:
    """A passive clause: its "by" agents (or an attack event's agents) act on its subject."""
    patients: list[ActorSpan] = []
    # "which is armed and funded by Iran": the conjunct shares its head's passive subject
    holder = (
        verb.head if verb.dep_ == "conj" and not any(c.dep_ == "nsubjpass" for c in verb.children) else verb
    )
    if kind is RelationKind.NEGOTIATED_WITH and any(
        c.dep_ == "nsubjpass"
        and (t := noun_trigger(ctx.doc, c, ctx.lex)) is not None
        and t.kind is RelationKind.NEGOTIATED_WITH
        for c in holder.children
    ):
        # "The agreement was signed by Armenia, Azerbaijan and Russia": the signatories
        signers = _agents(ctx, verb)
        if len(signers) >= 2:
            yield from pairs(signers, [], kind, verb.i, "passive", 0.8)
        return
    events = []
    for child in holder.children:
        if child.dep_ == "nsubjpass" and kind is RelationKind.ATTACKED and is_event(ctx, child):
            events.append(child)
        elif (
            child.dep_ == "nsubjpass"
            or (
                # "the M23, whom the UN says are backed by Rwanda": a relative pronoun the parser
                # made the active subject of a passive verb
                child.dep_ == "nsubj" and child.lower_ in ("who", "whom", "which", "that")
            )
            # "the Polisario Front, backed and supported by Algeria, ...": the participles misread
            or (child.dep_ == "nsubj" and holder.i != verb.i and holder.tag_ == "VBD")
        ):
            patients = actor_at(ctx, child)
    if (
        not patients
        and not events
        and holder.i != verb.i
        and not any(c.dep_ == "nsubjpass" for c in holder.children)
    ):
        # "attacked a base ... but were pushed back by Nigerian troops": the passive conjunct's
        # subject is the first clause's
        patients = subject_of(ctx, holder)
    if not patients and events:
        yield from _launched_event(ctx, verb, kind)
        return
    if not patients:
        if kind is RelationKind.ATTACKED and ctx.lex.has(verb, "symmetric_verb"):
            # "It was fought by the forces of Yugoslavia and the KLA": what is fought is a war
            sides = _agents(ctx, verb)
            if len(sides) >= 2:
                yield from both_ways(pairs(sides, [], kind, verb.i, "passive_event", 0.8))
        return
    agents: list[ActorSpan] = []
    rule = "passive"
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    agents += actor_at(ctx, pobj)
                    if kind is RelationKind.BACKED:
                        agents = distinct(agents + _givers(ctx, pobj))
    if not agents and kind is RelationKind.ATTACKED:
        # "were killed ... in an attack by X", "after air strikes by X"
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "after", "during", "by", "under"):
                for pobj in child.children:
                    lemma = pobj.lemma_.lower()
                    if pobj.dep_ == "pobj" and lemma in ctx.lex.nouns and ctx.lex.nouns[lemma].kind is kind:
                        agent = agent_of_event(ctx, pobj)
                        if agent is not None:
                            agents.append(agent)
                            rule = "passive_event"
    for a in agents:
        for p in patients:
            if a.actor.id != p.actor.id:
                yield Candidate(kind, a, p, verb.i, rule, 0.85)


def died_in(ctx: Context, verb) -> Iterator[Candidate]:
    """ "Five Palestinians died in an Israeli raid", "perished in Russian shelling": whoever carried
    out the attack the dead died in attacked them (as "were killed in" does, see above)."""
    victims = [a for c in verb.children if c.dep_ == "nsubj" for a in actor_at(ctx, c)]
    for child in verb.children:
        if child.dep_ != "prep" or child.lower_ not in ("in", "after", "during", "under"):
            continue
        for event in child.children:
            trig = ctx.lex.nouns.get(event.lemma_.lower()) if event.dep_ == "pobj" else None
            if trig is None or trig.kind is not RelationKind.ATTACKED:
                continue
            agent = agent_of_event(ctx, event)
            if agent is not None:
                yield from pairs([agent], victims, RelationKind.ATTACKED, verb.i, "passive_event", 0.8)


def _launched_event(ctx: Context, verb, kind: RelationKind) -> Iterator[Candidate]:
    """ "The campaign was launched by North Vietnamese forces against South Vietnamese troops":
    an attack event in a passive clause; its "by" agents attack what the "against" phrase names."""
    agents = _agents(ctx, verb)
    if not agents:
        return
    holders = [verb, *(p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj")]
    holders += [c for c in verb.children if c.dep_ == "nsubjpass"]
    exclude = {a.actor.id for a in agents}
    targets = [t for h in holders for _, t in prep_objects(ctx, h, ATTACK_PREPS, exclude)]
    if targets:
        yield from pairs(agents, targets, kind, verb.i, "passive_event", 0.8)
    elif len(agents) >= 2 and any(
        c.dep_ == "nsubjpass" and ctx.lex.has(c, "symmetric_noun") for c in verb.children
    ):
        # "The war was fought by the Ethiopian army and the TPLF": each side fought the other
        yield from both_ways(pairs(agents, [], kind, verb.i, "passive_event", 0.8))


def reduced_passive(ctx: Context, verb, kind: RelationKind) -> Iterator[Candidate]:
    """ "The M23 rebels, backed by Rwanda, ...": a reduced passive relative clause (its
    coordinated participles share the noun and the "by" phrase: "backed and trained by India")."""
    if kind is RelationKind.MEDIATED:
        yield from _mediators(ctx, verb)
        return
    by = by_participle(verb) or verb
    verb = first_participle(verb)
    nominal_head = verb.head.pos_ in ("NOUN", "PROPN")  # ("Backed by X, rebels attacked": a verb)
    if kind is RelationKind.NEGOTIATED_WITH and nominal_head:
        signers = _agents(ctx, by)
        if len(signers) >= 2:
            # "the deal, signed by Armenia and Azerbaijan in Washington": the signatories
            yield from pairs(signers, [], kind, verb.i, "passive", 0.8)
            return
    if nominal_head and (is_event(ctx, verb.head) or noun_trigger(ctx.doc, verb.head, ctx.lex) is not None):
        return  # "the offensive, launched by X", "a truce brokered by Y": an event, not a victim
    patients = actor_at(ctx, verb.head) if verb.dep_ != "advcl" else subject_of(ctx, verb.head)
    between = [c for c in verb.head.children if c.dep_ == "prep" and c.lower_ == "between"]
    before = actor_ending_at(ctx, verb.i - 1) if verb.i > 1 and ctx.doc[verb.i - 1].text == "," else None
    if verb.dep_ == "advcl" and between and before is not None and between[0].i < before.start < verb.i:
        # "fought between the government of Guatemala, backed by the United States, and ...": a
        # participle set off inside the list of sides describes the side right before it
        tok = ctx.doc[before.head]
        owner = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
        patients = [ctx.by_token.get(owner.i, before)] if owner is not None else [before]
    # "a fund financed by Norway and Germany": the fund is no actor, and must not borrow one from
    # the participle's own "by" phrase
    patients = [p for p in patients if not verb.left_edge.i <= p.start <= verb.right_edge.i]
    agents = _agents(ctx, by)
    for a in agents:
        for p in patients:
            if a.actor.id != p.actor.id:
                yield Candidate(kind, a, p, verb.i, "passive", 0.85)


def _mediators(ctx: Context, verb) -> Iterator[Candidate]:
    """ "agreed to a ceasefire brokered by Qatar and Egypt": the mediators and the parties."""
    agreement = verb.head
    holder = agreement.head.head if agreement.dep_ == "pobj" else agreement.head
    if holder.pos_ not in ("VERB", "AUX"):
        return
    parties = subject_of(ctx, holder)
    for m in _agents(ctx, verb):
        for p in parties:
            if m.actor.id != p.actor.id:
                yield Candidate(RelationKind.MEDIATED, m, p, verb.i, "passive", 0.8)


def _agents(ctx: Context, verb) -> list[ActorSpan]:
    """The actors of a passive verb's "by" phrase."""
    found = [
        a
        for c in verb.children
        if c.dep_ == "agent"
        for p in c.children
        if p.dep_ == "pobj"
        for a in distinct(actor_at(ctx, p) + _givers(ctx, p))
    ]
    if found:
        # "signed by the Angolan government and UNITA", "and UNITA" misread as the verb's own
        # conjunct: a bare actor name right after the "by" phrase is one more agent
        end = max(a.end for a in found)
        for c in verb.children:
            if c.dep_ != "conj" or c.pos_ != "PROPN" or c.i not in ctx.by_token or not end <= c.i <= end + 2:
                continue
            # (not "backed by Cuba, and UNITA, backed by ...": after a comma, another clause)
            between = ctx.doc[end : c.i]
            if between and between[0].lower_ == "and" and not any(t.is_punct for t in between):
                found.append(ctx.by_token[c.i])
    return found


def _givers(ctx: Context, theme) -> list[ActorSpan]:
    """ "backed by Soviet money and Cuban troops": support named by what is given stands for
    whoever gives it (the owners of each conjunct)."""
    found: list[ActorSpan] = []
    for noun in (theme, *(c for c in theme.subtree if c.dep_ == "conj" and c.pos_ == "NOUN")):
        if noun.i != theme.i and noun.i in ctx.by_token:
            found.append(ctx.by_token[noun.i])
            continue
        if not ctx.lex.has(noun, "support_theme"):
            continue
        for mod in noun.children:
            if mod.dep_ in ("amod", "compound", "poss") and mod.i in ctx.by_token:
                found.append(ctx.by_token[mod.i])
                found += [ctx.by_token[c.i] for c in mod.children if c.dep_ == "conj" and c.i in ctx.by_token]
    return found


def first_participle(verb):
    """The first of coordinated participles ("backed" of "backed and trained by India"): where the
    noun they share hangs."""
    while verb.dep_ == "conj" and verb.head.tag_ == "VBN" and verb.head.i != verb.i:
        verb = verb.head
    return verb


def by_participle(verb):
    """Of a participle and those coordinated with it, the one that carries the "by" phrase (itself
    first), or None."""
    return next((v for v in (verb, *verb.conjuncts) if any(c.dep_ == "agent" for c in v.children)), None)
