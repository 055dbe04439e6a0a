"""Active clauses (``svo``, ``prep``, ``joint``, ``capture``): "Turkey shot down two Syrian
warplanes", "met with", "signed a deal with", "Turkey, Russia and Iran signed an accord",
"captured the town from X", "sells weapons to Azerbaijan"; passive clauses go to :mod:`.passive`.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.arguments import (
    actor_at,
    actor_single,
    agent_of_event,
    attackers_of,
    distinct,
    objects_of,
    prep_objects,
    subject_of,
)
from graph.extraction.context import (
    ATTACK_PREPS,
    PRONOUNS,
    Candidate,
    Context,
    both_ways,
    is_event,
    noun_trigger,
    pairs,
    repels,
    state_located,
)
from graph.extraction.rules.passive import by_participle, first_participle, passive_clause, reduced_passive
from graph.extraction.rules.sides import fought_together
from graph.extraction.spans import ActorSpan
from graph.lexicon import Trigger
from graph.records import ActorType, RelationKind

__all__ = ["verb_rules"]

_PARTNER_PREPS = {"with"}


def verb_rules(ctx: Context, verb, trigger: Trigger) -> Iterator[Candidate]:
    """Relations an active (or passive) clause states, by the kind and lemma of its trigger verb."""
    kind = trigger.kind
    lemma = trigger.lemma
    if lemma in ctx.lex.of("talks_object_verb") and not any(
        c.dep_ in ("dobj", "nsubjpass")
        and (t := noun_trigger(ctx.doc, c, ctx.lex)) is not None
        and t.kind is RelationKind.NEGOTIATED_WITH
        for c in verb.children
    ):
        return  # "held talks" is a negotiation; "a town held by the insurgents" is not
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN"
        and verb.dep_ == "conj"
        and any(c.dep_ == "agent" for c in verb.children)
        and (any(c.dep_ == "nsubjpass" for c in verb.head.children) or _misread_participle(ctx, verb.head))
    )
    if passive:
        yield from passive_clause(ctx, verb, kind)
        return
    first = first_participle(verb)  # "backed and trained by India": the participles share the noun
    if (
        first.dep_ in ("acl", "relcl", "amod", "advcl")
        and verb.tag_ == "VBN"
        and first.tag_ == "VBN"
        and by_participle(verb) is not None
    ):
        yield from reduced_passive(ctx, verb, kind)
        return
    if lemma in ctx.lex.of("event_repel_verb") and not any(
        c.dep_ in ("dobj", "nsubjpass") and is_event(ctx, c) for c in verb.children
    ):
        return  # "halted the offensive" is a fight; "halted talks" is not
    if lemma in ctx.lex.of("pit_verb"):
        # "the conflict pitted the Sandinista government against the Contras": both ways
        sides = objects_of(ctx, verb)
        others = [t for _, t in prep_objects(ctx, verb, {"against"})]
        yield from both_ways(pairs(sides, others, kind, verb.i, "joint", 0.8))
        return
    subjects = subject_of(ctx, verb)
    if not subjects:
        return
    exclude = {s.actor.id for s in subjects}
    # "had to protect its peacekeepers": what one backs is often its own, so a possessive may
    # point back at the subject (the pair is then dropped); an attack is never on oneself
    skip = exclude if kind is not RelationKind.BACKED else None
    objects = [o for o in objects_of(ctx, verb, skip) if o.actor.id not in exclude]
    if kind is RelationKind.BACKED and not objects:
        # "militarily supported the attempt by the GUNT to overthrow Habré", "backed the Saudi
        # campaign": whoever makes the attempt is backed
        objects = [
            a
            for c in verb.children
            if c.dep_ == "dobj"
            and c.pos_ == "NOUN"
            and c.i not in ctx.by_token
            and (is_event(ctx, c) or ctx.lex.has(c, "attempt_noun"))
            # ("helped the government repel Haftar's offensive", the verb misread as a noun)
            and not any(ctx.lex.has(t, "repel_verb") for t in c.subtree if t.i < c.i)
            for a in [
                *(t for _, t in prep_objects(ctx, c, {"by"})),
                *(x for x in [agent_of_event(ctx, c)] if x),
            ]
            if a.actor.id not in exclude
        ]
        objects = distinct(objects)
    if kind is RelationKind.BACKED:
        # "to defend its people", "protect their civilians": one's own people are no side backed
        objects = [
            o
            for o in objects
            if not (
                o.actor.type is ActorType.CIVILIANS
                and (
                    any(c.dep_ == "poss" and c.lower_ in PRONOUNS for c in ctx.doc[o.head].children)
                    # "committed to protecting civilians": a duty to civilians, no side taken
                    or (o.via == "generic" and ctx.lex.has(verb, "protect_verb"))
                )
            )
        ]
    if kind is RelationKind.NEGOTIATED_WITH:
        yield from _negotiation(ctx, verb, lemma, kind, subjects, objects, exclude)
        return
    if kind is RelationKind.ATTACKED and any(
        c.dep_ == "dobj"
        and c.lower_ in ("other", "another")
        and any(d.lower_ in ("each", "one") for d in c.children)
        for c in verb.children
    ):
        # "the two militias shelled each other": every pair of subjects, both ways
        yield from both_ways(pairs(subjects, [], kind, verb.i, "joint", 0.8))
        # "... fought each other and against the army": a third side each of them fought
        thirds = [t for _, t in prep_objects(ctx, verb, {"against"}, exclude)]
        # (the parser often makes "and against X" a conjunct of the verb)
        thirds += [
            t
            for c in verb.children
            if c.dep_ == "conj" and c.lower_ == "against"
            for p in c.children
            if p.dep_ == "pobj"
            for t in actor_at(ctx, p, exclude)
        ]
        if thirds:
            yield from pairs(subjects, thirds, kind, verb.i, "svo", 0.8)
        return
    if lemma in ctx.lex.of("against_verb"):
        # "intervened in Yemen against the Houthis": only the "against" phrase is attacked (the
        # country intervened in is often the side helped)
        sides = [t for _, t in prep_objects(ctx, verb, {"against"}, exclude)]
        if sides:
            yield from pairs(subjects, sides, kind, verb.i, "svo", 0.8)
        return
    if lemma in ctx.lex.of("harm_verb"):
        # "dealt severe blows to Eritrea's air force", "inflicted losses on": the harm's recipient
        if any(c.dep_ == "dobj" and ctx.lex.has(c, "harm_noun") for c in verb.children):
            hurt = [t for _, t in prep_objects(ctx, verb, {"to", "on", "upon"}, exclude)]
            if hurt:
                yield from pairs(subjects, hurt, kind, verb.i, "svo", 0.85)
        return
    if kind is RelationKind.ATTACKED and lemma in ctx.lex.of("symmetric_verb"):
        if fought_together(ctx, verb):
            return  # "fought side by side against X": comrades (see sides.alongside)
        yield from _symmetric(ctx, verb, kind, subjects, objects, exclude)
        return
    if lemma in ctx.lex.of("swap_verb") and any(
        c.dep_ == "dobj" and ctx.lex.has(c, "prisoner_noun") for c in verb.children
    ):
        # "Russia and Ukraine swapped 115 prisoners of war": an exchange needs an agreement
        partners = [a for _, a in prep_objects(ctx, verb, {"with"})]
        yield from pairs(subjects, partners, RelationKind.NEGOTIATED_WITH, verb.i, "joint", 0.8)
        return
    if lemma in ctx.lex.of("mutual_verb"):
        # "Israel and Iran traded missile strikes", "exchanged fire with X": both directions
        if not any(
            c.dep_ == "dobj" and (noun_trigger(ctx.doc, c, ctx.lex) or c.lower_ in ("fire", "blows"))
            for c in verb.children
        ):
            return
        partners = [a for _, a in prep_objects(ctx, verb, {"with"})]
        yield from both_ways(pairs(subjects, partners, kind, verb.i, "joint", 0.8))
        return
    if lemma == "push" and not any(
        c.dep_ in ("prt", "advmod", "prep") and c.lower_ in ("back", "out") for c in verb.children
    ):
        return  # "pushed for talks" is no attack; "pushed Russian forces back" is
    if kind is RelationKind.CAPTURED_FROM:
        yield from _capture(ctx, verb, subjects, exclude)
        return
    if kind is RelationKind.BACKED and lemma in ctx.lex.of("reliance_verb"):
        # "Maputo relied on a private military company": the one relied on backs the subject
        for _, backer in prep_objects(ctx, verb, {"on", "upon"}):
            for s in subjects:
                if backer.actor.id != s.actor.id:
                    yield Candidate(kind, backer, s, verb.i, "prep", 0.75)
        return
    if kind is RelationKind.BACKED and lemma in ctx.lex.of("receive_verb"):
        # "the Houthis received drones from Iran": the giver backs the receiver
        if lemma in ctx.lex.of("theme_receive_verb") and not _gives_support(ctx, verb):
            return  # "stop buying oil from Saudi Arabia": trade, not support
        for _, giver in prep_objects(ctx, verb, {"from"}):
            for s in subjects:
                if giver.actor.id != s.actor.id:
                    yield Candidate(kind, giver, s, verb.i, "prep", 0.8)
        return
    if kind is RelationKind.BACKED and lemma in ctx.lex.of("give_verb"):
        if lemma in ctx.lex.of("theme_give_verb") and not _gives_support(ctx, verb):
            return  # "gave a speech", "handed them a defeat": only arms, aid or money back anyone
        yield from _giving(ctx, verb, lemma, kind, subjects, objects)
        return
    if kind is RelationKind.MEDIATED:
        # "Egypt, Qatar and the United States have mediated between Israel and Hamas"
        parties = [a for _, a in prep_objects(ctx, verb, {"between"})]
        for m in subjects:
            for p in parties + objects:
                if m.actor.id != p.actor.id:
                    yield Candidate(kind, m, p, verb.i, "prep", 0.8)
        return
    if kind is RelationKind.ATTACKED:
        bombs = [c for c in verb.children if c.dep_ == "dobj" and ctx.lex.has(c, "explosive_noun")]
        if bombs:
            # "their convoy hit a roadside bomb planted by ISWAP": whoever laid it attacked them
            layers = [a for b in bombs if (a := actor_single(ctx, b, exclude, 0)) is not None]
            if layers:
                yield from pairs(layers, subjects, kind, verb.i, "svo", 0.8)
            return
    targets = list(objects)
    if kind is RelationKind.ATTACKED:
        if not targets or all(o.actor.type is ActorType.CIVILIANS for o in targets):
            targets += [a for _, a in prep_objects(ctx, verb, ATTACK_PREPS)]
        if not targets:
            # "struck targets in Yemen controlled by the Houthis" (the clause hung on the verb)
            for clause in verb.children:
                if clause.dep_ in ("advcl", "acl") and ctx.lex.has(clause, "control_verb"):
                    targets += [
                        a
                        for c in clause.children
                        if c.dep_ == "agent"
                        for p in c.children
                        if p.dep_ == "pobj"
                        for a in actor_at(ctx, p)
                    ]
        if not targets:
            targets += _repelled(ctx, verb, exclude)
        if not targets:
            targets += _free_relative_targets(ctx, verb)
        if not targets and any(
            c.dep_ == "dobj"
            and (c.ent_type_ in ("GPE", "LOC", "FAC") or c.pos_ == "PROPN" or ctx.lex.has(c, "target_object"))
            for c in verb.children
        ):
            # "raided Bosso and Diffa in southeastern Niger", "bombed targets across Georgia": the
            # places attacked stand for the state they are in
            targets += [span for c in verb.children if (span := state_located(ctx, c)) is not None][:1]
    elif kind in (RelationKind.BACKED, RelationKind.COOPERATED, RelationKind.MEDIATED):
        targets += [a for p, a in prep_objects(ctx, verb, {"with"})]
        if lemma in ctx.lex.of("stand_verb"):
            targets += [a for p, a in prep_objects(ctx, verb, {"by", "behind"})]  # "stood by Kyiv"
    elif kind is RelationKind.SANCTIONED:
        targets += [a for p, a in prep_objects(ctx, verb, {"on", "against"})]  # "imposed sanctions on Russia"
    if kind is RelationKind.ATTACKED and not targets and not any(c.dep_ == "dobj" for c in verb.children):
        ctx.untargeted.extend((s, verb.i) for s in subjects)  # "the group struck back"
    for s in subjects:
        for t in targets:
            if t.actor.id != s.actor.id:
                yield Candidate(kind, s, t, verb.i, "svo", 0.9)


def _negotiation(
    ctx: Context, verb, lemma: str, kind: RelationKind, subjects, objects, exclude
) -> Iterator[Candidate]:
    """ "met with X", "signed a deal with X", "X and Y held talks": the subjects negotiate."""
    # "who held talks with him": a pronoun partner is never the subject itself
    partners = [a for _, a in prep_objects(ctx, verb, _PARTNER_PREPS, exclude)]
    if not partners:
        # "to sign a deal on their deployment with President Ruto": "with" deeper in the object
        for obj in verb.children:
            if obj.dep_ in ("dobj", "prep"):
                partners += [
                    a
                    for sub in obj.subtree
                    if sub.dep_ == "prep" and sub.lower_ == "with" and sub.head.i != obj.i
                    for p in sub.children
                    if p.dep_ == "pobj"
                    for a in actor_at(ctx, p, exclude)
                ]
    if not partners and lemma == "agree":
        # "Morocco agreed to normalise relations with Israel": the other side of the ties agreed on
        partners += [
            a
            for comp in verb.children
            if comp.dep_ == "xcomp"
            for sub in comp.subtree
            if sub.dep_ == "prep" and sub.lower_ == "with" and ctx.lex.has(sub.head, "ties_noun")
            for p in sub.children
            if p.dep_ == "pobj"
            for a in actor_at(ctx, p, exclude)
        ]
    if lemma in ("meet", "negotiate", "talk"):
        partners += objects
    elif lemma in ("sign", "reach", "conclude", "agree", "hold") and not partners and len(subjects) < 2:
        return
    yield from pairs(subjects, partners, kind, verb.i, "prep" if partners else "joint", 0.85)


def _symmetric(ctx: Context, verb, kind: RelationKind, subjects, objects, exclude) -> Iterator[Candidate]:
    """ "clashed with X" goes both ways; "fought against X" and "fought X" go one way."""
    # "clashed with X" goes both ways; "fought against X" and "fought X" go one way
    mutual = [a for _, a in prep_objects(ctx, verb, _PARTNER_PREPS, exclude)]
    one_way = [a for _, a in prep_objects(ctx, verb, {"against"}, exclude)] + objects
    one_way += _repelled(ctx, verb, exclude) if not one_way else []
    if not one_way:
        # "fought against the Soviet invasion of Afghanistan": whoever carries out the attack
        one_way += [
            a
            for prep in verb.children
            if prep.dep_ == "prep" and prep.lower_ == "against"
            for event in prep.children
            if event.dep_ == "pobj" and is_event(ctx, event)
            for a in attackers_of(ctx, event, exclude)
        ]
    partners = mutual + one_way
    for s in subjects:
        for p in mutual:
            yield Candidate(kind, s, p, verb.i, "svo", 0.85)
            yield Candidate(kind, p, s, verb.i, "svo", 0.8)
        for p in one_way:
            yield Candidate(kind, s, p, verb.i, "svo", 0.85)
    if len(subjects) >= 2 and not partners:
        for a in subjects:
            for b in subjects:
                if a.actor.id != b.actor.id:
                    yield Candidate(kind, a, b, verb.i, "joint", 0.8)


def _capture(ctx: Context, verb, subjects, exclude) -> Iterator[Candidate]:
    """ "captured the town from X", "retook the palace ... from the RSF": X lost it, and was attacked."""
    losers = [a for _, a in prep_objects(ctx, verb, {"from"})]
    if not losers:  # "retook the palace in Khartoum from the RSF": the phrase hangs off the object
        for obj in [c for c in verb.children if c.dep_ == "dobj"]:
            for sub in obj.subtree:
                if sub.dep_ == "prep" and sub.lower_ == "from":
                    losers += [a for p in sub.children if p.dep_ == "pobj" for a in actor_at(ctx, p)]
    if not losers:  # "recaptured the port town, held for a year by the insurgents": its holder
        clauses = [c for c in verb.children if c.dep_ in ("advcl", "acl")]
        for obj in [c for c in verb.children if c.dep_ == "dobj"]:
            clauses += [c for c in obj.subtree if c.dep_ in ("acl", "relcl")]
        for clause in clauses:
            if ctx.lex.has(clause, "control_verb"):
                for agent in clause.children:
                    if agent.dep_ == "agent":
                        losers += [a for p in agent.children if p.dep_ == "pobj" for a in actor_at(ctx, p)]
    if not losers:  # "seized one of Saddam Hussein's palaces", "captured Kilinochchi, the rebels' capital"
        for obj in [c for c in verb.children if c.dep_ == "dobj"]:
            owned = [
                obj,
                *[g for c in obj.children if c.dep_ in ("prep", "appos") for g in (c, *c.children)],
            ]
            losers += [
                a
                for noun in owned
                for c in noun.children
                if c.dep_ == "poss" and c.lower_ not in PRONOUNS
                for a in actor_at(ctx, c, exclude)
            ]
    if not losers:  # "seized the bases of other armed militias": their owner's
        losers = [
            a
            for obj in verb.children
            if obj.dep_ == "dobj" and ctx.lex.has(obj, "target_object")
            for _, a in prep_objects(ctx, obj, {"of"}, exclude)
        ]
    if not losers:
        # "Seleka rebels seized Bangui", "the M23 captured Goma": a state's city taken from it
        losers = (
            [
                a
                for obj in verb.children
                if obj.dep_ == "dobj"
                for a in actor_at(ctx, obj, exclude)
                if a.actor.type is ActorType.STATE
            ]
            or [  # "captured the city of Goma in eastern Congo": the state the place is in
                span
                for obj in verb.children
                if obj.dep_ == "dobj" and ctx.lex.has(obj, "place_noun")
                for holder in (obj, *(p for c in obj.children if c.dep_ == "prep" for p in c.children))
                for prep in holder.children
                if (span := state_located(ctx, prep)) is not None
            ][:1]
        )
    for s in subjects:
        for loser in losers:
            yield Candidate(RelationKind.CAPTURED_FROM, s, loser, verb.i, "capture", 0.85)
            yield Candidate(RelationKind.ATTACKED, s, loser, verb.i, "capture", 0.8)


def _gives_support(ctx: Context, verb) -> bool:
    """Whether what a plain giving verb gives is support: weapons, equipment, aid or money
    ("gave the Philippines ten patrol boats", "donated $5 million to X")."""
    for theme in verb.children:
        if theme.dep_ not in ("dobj", "nsubjpass"):
            continue
        if theme.ent_type_ == "MONEY" or any(t.ent_type_ == "MONEY" for t in theme.subtree):
            return True
        nouns = [theme, *(t for t in theme.subtree if t.dep_ == "pobj" and t.head.head.i == theme.i)]
        if any(
            ctx.lex.has(n, "weapon_noun")
            or ctx.lex.has(n, "support_theme")
            or noun_trigger(ctx.doc, n, ctx.lex)
            for n in nouns
        ):
            return True
    return False


def _giving(ctx: Context, verb, lemma: str, kind: RelationKind, subjects, objects) -> Iterator[Candidate]:
    """ "sells weapons to Azerbaijan", "supplied Ukraine with missiles": the giver backs the recipient."""
    # "sells weapons to Azerbaijan", "sent troops to support X" (the xcomp does the work)
    recipients = [a for p, a in prep_objects(ctx, verb, {"to"})]
    dobjs = [c for c in verb.children if c.dep_ == "dobj"]
    last_conjuncts = [t for d in dobjs for t in d.subtree if t.dep_ == "conj" and t.head.i >= d.i]
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children) or any(
        c.dep_ == "prep" and c.lower_ == "with" for t in last_conjuncts for c in t.children
    ):
        # "supplied Ukraine with missiles"; "providing Somalia, AMISOM and SNSF with support", the
        # parser hanging "with" on the last recipient
        recipients += objects
    # "have sent Ukraine missiles": the indirect object receives
    for child in verb.children:
        if child.dep_ == "dative" or (
            child.dep_ == "dobj" and any(c.dep_ == "dobj" and c.i > child.i for c in verb.children)
        ):
            recipients += actor_at(ctx, child)
        # the small model often reads "sent Ukraine missiles" as a compound "Ukraine missiles"
        if child.dep_ == "dobj":
            for comp in child.children:
                if comp.dep_ == "compound" and comp.i == verb.i + 1 and comp.i in ctx.by_token:
                    recipients.append(ctx.by_token[comp.i])
    if not recipients:
        # "supplied much of the Sri Lankan army's weaponry": the weapons' owner receives them
        for obj in [c for c in verb.children if c.dep_ == "dobj"]:
            held = [
                obj,
                *[p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children],
            ]
            for noun in held:
                if ctx.lex.has(noun, "weapon_noun"):
                    recipients += [a for c in noun.children if c.dep_ == "poss" for a in actor_at(ctx, c)]
    if not recipients and _gives_support(ctx, verb):
        recipients = _beneficiaries(ctx, verb, dobjs)
    if lemma in ("send",) and not recipients:
        return
    for s in subjects:
        for r in recipients:
            yield Candidate(kind, s, r, verb.i, "prep", 0.8)


def _beneficiaries(ctx: Context, verb, dobjs) -> list[ActorSpan]:
    """ "provided weapons for the Houthis", "supplied technology for Iran's Bushehr reactor": the
    "for" of aid names who gets it, or owns what gets it."""
    found: list[ActorSpan] = []
    for holder in (verb, *dobjs):
        for prep in holder.children:
            if prep.dep_ not in ("prep", "dative") or prep.lower_ != "for":
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                found += actor_at(ctx, pobj) or [
                    a for c in pobj.children if c.dep_ == "poss" for a in actor_at(ctx, c)
                ]
    return found


def _free_relative_targets(ctx: Context, verb) -> list[ActorSpan]:
    """ "bombed what New Delhi described as the group's training camp", "struck what the army said
    was a Hezbollah depot": the target is what the reported description names."""
    for clause in verb.children:
        if clause.dep_ != "ccomp" or not any(
            t.lower_ == "what" and t.dep_ in ("dobj", "nsubj", "nsubjpass") for t in clause.subtree
        ):
            continue
        for tok in clause.subtree:
            named = tok.dep_ == "attr" or (tok.dep_ == "pobj" and tok.head.lower_ == "as")
            if named and tok.pos_ in ("NOUN", "PROPN"):
                found = actor_at(ctx, tok)
                if found:
                    return found
    return []


def _repelled(ctx: Context, verb, exclude: set[str]) -> list[ActorSpan]:
    """ "fought off an assault by gang members", parsed with the assault under "off": its attackers."""
    out: list[ActorSpan] = []
    if repels(ctx, verb):
        for part in verb.children:
            if part.dep_ in ("prt", "prep") and part.lower_ in ("off", "back"):
                for event in part.children:
                    out += attackers_of(ctx, event, exclude) if is_event(ctx, event) else []
    return out


def _misread_participle(ctx: Context, head) -> bool:
    """ "the Polisario Front, backed and supported by Algeria, waged war": the first of two
    coordinated participles read as the clause's past-tense verb, with the noun as its subject
    and no object; the phrase is passive."""
    return (
        head.tag_ == "VBD"
        and head.lemma_.lower() in ctx.lex.verbs
        and any(c.dep_ == "nsubj" for c in head.children)
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in head.children)
    )
