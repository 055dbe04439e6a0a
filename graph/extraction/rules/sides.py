"""Taking sides and coming under fire (``alongside``, ``under``, ``capture``, ``prep``): "fought
alongside X against Y", "joined the conflict on his side", "came under fire from X", "days after
losing it to X", "announced $100 million for the mission".
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.agents import agent_of_event
from graph.extraction.arguments import actor_at, actor_single, prep_objects, subject_of
from graph.extraction.context import (
    ATTACK_PREPS,
    PRONOUNS,
    Candidate,
    Context,
    both_ways,
    is_event,
    noun_trigger,
    pairs,
)
from graph.records import ActorType, RelationKind

__all__ = [
    "alongside",
    "at_request",
    "came_under",
    "fought_together",
    "joined_side",
    "lost_to",
    "money_for",
    "suffered_from",
    "took_part",
]


def joined_side(ctx: Context, verb) -> Iterator[Candidate]:
    """ "X joined the conflict on his side", "on the side of Y" → X backed him / Y; "X joined Y in
    the raids" → X backed Y, and X attacked whoever Y attacks."""
    events = [
        e
        for p in verb.children
        if p.dep_ == "prep" and p.lower_ == "in"
        for e in p.children
        if e.dep_ == "pobj" and is_event(ctx, e)
    ]
    if events:
        for partner in [a for o in verb.children if o.dep_ == "dobj" for a in actor_at(ctx, o)]:
            for s in subject_of(ctx, verb, {partner.actor.id}):
                if s.actor.id != partner.actor.id:
                    yield Candidate(RelationKind.BACKED, s, partner, verb.i, "alongside", 0.8)
                    ctx.untargeted.append((s, events[0].i))
                    ctx.joined[s.actor.id] = partner.actor
    holders = [p for p in verb.children if p.dep_ == "prep" and p.lower_ == "on"]
    holders += [
        p
        for o in verb.children
        if o.dep_ == "dobj"
        for p in o.children
        if p.dep_ == "prep" and p.lower_ == "on"
    ]
    for side_holder in holders:
        for pobj in side_holder.children:
            if pobj.dep_ != "pobj" or not ctx.lex.has(pobj, "side_noun"):
                continue
            targets = [actor_single(ctx, c, None, 0) for c in pobj.children if c.dep_ == "poss"]
            targets += [
                a
                for p in pobj.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children
                if o.dep_ == "pobj"
                for a in actor_at(ctx, o)
            ]
            for target in [t for t in targets if t is not None]:
                # the side's owner is never the one who joins it: resolve the subject without it
                for s in subject_of(ctx, verb, {target.actor.id}):
                    if target.actor.id != s.actor.id:
                        yield Candidate(RelationKind.BACKED, s, target, verb.i, "alongside", 0.8)


def fought_together(ctx: Context, verb) -> bool:
    """ "fought side by side", "fought together", "shoulder to shoulder", "jointly", "in tandem":
    the clause's sides are comrades, not enemies (a lone "X and Y fought" is a fight between them)."""
    for child in verb.children:
        if child.dep_ in ("advmod", "npadvmod", "dobj") and ctx.lex.has(child, "together_word"):
            return True
        if child.dep_ == "prep" and any(
            (child.lower_ == "in" and c.lower_ == "tandem")  # "in tandem"
            or (child.lower_ == "with" and c.dep_ == "advmod" and ctx.lex.has(c, "together_word"))
            for c in child.children
        ):
            return True  # "fought together with Russia": the parser hangs "together" on "with"
    return False


def _enemies(ctx: Context, holders) -> list:
    """Actors of every "against" phrase under ``holders`` ("fight side by side against X" hangs
    the phrase on "side"), outside relative clauses, which speak of someone else."""
    found = []
    for holder in holders:
        stack = [holder]
        while stack:
            tok = stack.pop()
            for c in tok.children:
                if (
                    c.dep_ in ("relcl", "acl", "ccomp", "advcl", "conj")
                    and c.pos_ in ("VERB", "AUX")
                    and not ctx.lex.has(c, "together_word")  # "shoulder to shoulder", read as a verb
                ):
                    continue
                if c.dep_ == "prep" and c.lower_ == "against":
                    found += [a for p in c.children if p.dep_ == "pobj" for a in actor_at(ctx, p)]
                stack.append(c)
    return found


def _comrades(ctx: Context, verb) -> Iterator[Candidate]:
    """ "Chadian and Nigerien troops fought side by side against Boko Haram", "Syria fought
    together with Russia": every pair of sides backed each other, and each attacked the enemy."""
    subjects = subject_of(ctx, verb)
    partners = [a for _, a in prep_objects(ctx, verb, {"with"})]
    sides = [*subjects, *(p for p in partners if p.actor.id not in {s.actor.id for s in subjects})]
    for a in sides:
        for b in sides:
            if a.actor.id != b.actor.id:
                yield Candidate(RelationKind.BACKED, a, b, verb.i, "alongside", 0.8)
    for enemy in _enemies(ctx, [verb]):
        for a in sides:
            if a.actor.id != enemy.actor.id:
                yield Candidate(RelationKind.ATTACKED, a, enemy, verb.i, "alongside", 0.8)


def alongside(ctx: Context, verb) -> Iterator[Candidate]:
    """ "X fought alongside Y against Z" → X backed Y, X attacked Z, Y attacked Z; "fought on
    behalf of Y", "fought for Y" → X backed Y; "X and Y fought side by side" → allies."""
    if fought_together(ctx, verb):
        yield from _comrades(ctx, verb)
        return
    allies = [a for _, a in prep_objects(ctx, verb, {"alongside", "beside"})]
    for prep in verb.children:
        if (
            prep.dep_ == "prep"
            and prep.lower_ in ("on", "in")
            and any(c.lemma_.lower() == "behalf" for c in prep.children)
        ):
            behalf = next(c for c in prep.children if c.lemma_.lower() == "behalf")
            allies += [a for _, a in prep_objects(ctx, behalf, {"of"})]
        if prep.dep_ == "prep" and prep.lower_ == "for" and verb.lemma_.lower() == "fight":
            allies += [
                a
                for c in prep.children
                if c.dep_ == "pobj"
                for a in actor_at(ctx, c)
                # ("fought for Daloa": a town fought over, an open name that is no party)
                if a.actor.type not in (ActorType.CIVILIANS, ActorType.OTHER) and a.via != "located"
            ]
    if not allies:
        return
    subjects = subject_of(ctx, verb)
    enemies = [a for _, a in prep_objects(ctx, verb, {"against"})]
    for pobj_holder in [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "alongside"]:
        for pobj in pobj_holder.children:
            for sub in pobj.subtree:
                if sub.dep_ == "prep" and sub.lower_ == "against":
                    enemies += [a for c in sub.children if c.dep_ == "pobj" for a in actor_at(ctx, c)]
    for s in subjects:
        for ally in allies:
            if ally.actor.id != s.actor.id:
                yield Candidate(RelationKind.BACKED, s, ally, verb.i, "alongside", 0.85)
    for enemy in enemies:
        for a in [*subjects, *allies]:
            if a.actor.id != enemy.actor.id:
                yield Candidate(RelationKind.ATTACKED, a, enemy, verb.i, "alongside", 0.8)


def took_part(ctx: Context, verb) -> Iterator[Candidate]:
    """ "Egypt's navy took part in the Saudi-led offensive against the Houthis", "Jordan
    participated in the campaign against Islamic State", "Chad joined the French operation": the
    participant attacked the operation's target and backed whoever leads it."""
    lemma = verb.lemma_.lower()
    holders = [verb]
    if lemma == "take":  # "took part in": "in" hangs on the verb or on "part"
        parts = [c for c in verb.children if c.dep_ == "dobj" and c.lower_ == "part"]
        if not parts:
            return
        holders += parts
    joined = [  # what the participant is "in": "took part in the offensive", "in talks with"
        e
        for h in holders
        for p in h.children
        if p.dep_ == "prep" and p.lower_ == "in"
        for e in p.children
        if e.dep_ == "pobj"
    ]
    events = [e for e in joined if is_event(ctx, e)]
    if lemma == "join":
        events += [e for e in verb.children if e.dep_ == "dobj" and is_event(ctx, e)]
    # "Kenya took part in talks with the rebels": a party to the talks negotiates with the others
    talks = [
        e
        for e in joined
        if (t := noun_trigger(ctx.doc, e, ctx.lex)) is not None and t.kind is RelationKind.NEGOTIATED_WITH
    ]
    for talk in talks[:1]:
        partners = [a for _, a in prep_objects(ctx, talk, {"with"})]
        for s in subject_of(ctx, verb, {p.actor.id for p in partners}):
            for p in partners:
                if p.actor.id != s.actor.id:
                    yield Candidate(RelationKind.NEGOTIATED_WITH, s, p, verb.i, "prep", 0.75)
    for event in events[:1]:
        subjects = subject_of(ctx, verb) or [  # "were involved in bloody clashes"
            a for c in verb.children if c.dep_ == "nsubjpass" for a in actor_at(ctx, c)
        ]
        if len(subjects) >= 2 and ctx.lex.has(event, "symmetric_noun"):
            # "the military and armed separatists have been involved in clashes": each other
            yield from both_ways(
                pairs(subjects[:1], subjects[1:], RelationKind.ATTACKED, verb.i, "joint", 0.75)
            )
            continue
        leader = agent_of_event(ctx, event)
        exclude = {s.actor.id for s in subjects}
        targets = [t for _, t in prep_objects(ctx, event, ATTACK_PREPS, exclude)] or [
            t for _, t in prep_objects(ctx, verb, ATTACK_PREPS - {"on", "at"}, exclude)
        ]
        for s in subjects:
            if leader is not None and leader.actor.id != s.actor.id:
                yield Candidate(RelationKind.BACKED, s, leader, verb.i, "alongside", 0.75)
            for t in targets:
                yield Candidate(RelationKind.ATTACKED, s, t, verb.i, "alongside", 0.75)
            if not targets:
                ctx.untargeted.append((s, verb.i))  # "took part in the operation": against whom?


def came_under(ctx: Context, under) -> Iterator[Candidate]:
    """ "British forces came under fire from Iraqi troops", "a convoy came under attack by
    rebels": whoever fires attacks the clause's subject."""
    verb = under.head
    if under.dep_ != "prep" or verb.pos_ not in ("VERB", "AUX"):
        return
    for event in under.children:
        if event.dep_ != "pobj" or not (event.lemma_.lower() == "fire" or is_event(ctx, event)):
            continue
        attackers = [a for _, a in prep_objects(ctx, event, {"from", "by"})]
        attackers += [a for _, a in prep_objects(ctx, verb, {"from"})]
        for target in subject_of(ctx, verb):
            for attacker in attackers:
                if attacker.actor.id != target.actor.id:
                    yield Candidate(RelationKind.ATTACKED, attacker, target, event.i, "under", 0.8)


def money_for(ctx: Context, verb) -> Iterator[Candidate]:
    """ "Blinken announced $100 million for the mission", "Nigeria pledged $100 million toward it":
    money given backs its recipient."""
    money = [c for c in verb.children if c.dep_ == "dobj" and c.ent_type_ == "MONEY"]
    if not money:
        return
    givers = subject_of(ctx, verb)
    exclude = {g.actor.id for g in givers}
    for holder in (money[0], verb):
        recipients = [
            a
            for prep in holder.children
            if prep.dep_ == "prep" and prep.lower_ in ("for", "to", "toward", "towards")
            for pobj in prep.children
            # "toward it": a pronoun here too often stands for a thing, not the last actor named
            if pobj.dep_ == "pobj" and pobj.lower_ not in PRONOUNS
            for a in actor_at(ctx, pobj, exclude)
        ]
        if recipients:
            for g in givers:
                for r in recipients:
                    if g.actor.id != r.actor.id:
                        yield Candidate(RelationKind.BACKED, g, r, verb.i, "prep", 0.75)
            return


def at_request(ctx: Context, noun) -> Iterator[Candidate]:
    """ "Rwanda deployed 1,000 troops at the request of the Mozambican government", "at Baghdad's
    invitation": forces sent at someone's request back whoever asked."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "at":
        return
    verb = prep.head
    if not ctx.lex.has(verb, "deploy_verb"):
        return
    askers = [a for c in noun.children if c.dep_ == "poss" for a in actor_at(ctx, c)]
    askers += [a for _, a in prep_objects(ctx, noun, {"of"})]
    if askers:
        yield from pairs(subject_of(ctx, verb), askers, RelationKind.BACKED, noun.i, "alongside", 0.8)


def suffered_from(ctx: Context, verb) -> Iterator[Candidate]:
    """ "the Maoists suffered heavy defeats to village militias", "sustained losses at the hands of
    X": whoever dealt the harm attacked the subject (the harm noun is what makes it a fight)."""
    harms = [o for o in verb.children if o.dep_ == "dobj" and ctx.lex.has(o, "harm_noun")]
    if not harms:
        return
    dealers = [a for _, a in prep_objects(ctx, verb, {"to", "from"})]
    for holder in [verb, *harms]:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.lower_ != "at":
                continue
            for hands in prep.children:  # "at the hands of X"
                if hands.dep_ == "pobj" and hands.lower_ == "hands":
                    dealers += [a for _, a in prep_objects(ctx, hands, {"of"})]
    dealers = [d for d in dealers if d.actor.type is not ActorType.CIVILIANS]
    victims = subject_of(ctx, verb)
    if victims:
        yield from pairs(dealers, victims, RelationKind.ATTACKED, verb.i, "under", 0.75)


def lost_to(ctx: Context, verb) -> Iterator[Candidate]:
    """ "days after losing it to rebel forces" → the rebels captured it from the subject."""
    winners = [a for _, a in prep_objects(ctx, verb, {"to"})]
    losers = subject_of(ctx, verb)
    for w in winners:
        for loser in losers:
            if w.actor.id != loser.actor.id and w.actor.type is not ActorType.CIVILIANS:
                yield Candidate(RelationKind.CAPTURED_FROM, w, loser, verb.i, "capture", 0.75)
                yield Candidate(RelationKind.ATTACKED, w, loser, verb.i, "capture", 0.7)
