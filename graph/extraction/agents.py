"""Who carried out an event noun: "Syrian shelling", "X's attack", "strikes by X", "a missile fired
by Hezbollah", "a drone strike attributed to Turkey", "as part of an offensive against X".

The lookups of :mod:`.arguments` (who fills a phrase or a clause) and these call each other; this
module reaches them through the module object, so the two can import each other.
"""

from __future__ import annotations

import graph.extraction.arguments as arguments
from graph.extraction.context import PRONOUNS, Context, is_event, repels
from graph.extraction.coreference import resolve_pronoun
from graph.extraction.spans import ActorSpan
from graph.records import RelationKind

__all__ = ["acl_agent", "agent_of_event", "attackers_of"]


def acl_agent(ctx: Context, tok, exclude, depth: int) -> ActorSpan | None:
    """The "by" agent of a participle modifying ``tok`` ("a missile fired by Hezbollah")."""
    for child in tok.children:
        if child.dep_ == "acl" and child.tag_ == "VBN":
            verb = ctx.lex.verbs.get(child.lemma_.lower())
            if verb is not None and verb.kind is RelationKind.BACKED:
                continue  # "the Sandinistas, supported by Cuba": who backs them, not who they are
            for agent in child.children:
                if agent.dep_ == "agent":
                    found = _object_actor(ctx, agent, exclude, depth)
                    if found is not None:
                        return found
    return None


def _object_actor(ctx: Context, prep, exclude, depth: int) -> ActorSpan | None:
    """The first actor a preposition's object names ("by Hezbollah", "to peasant militias")."""
    for pobj in prep.children:
        if pobj.dep_ == "pobj":
            found = arguments.actor_at(ctx, pobj, exclude, depth + 1)
            if found:
                return found[0]
    return None


def agent_of_event(ctx: Context, noun, exclude=None, depth: int = 0) -> ActorSpan | None:
    """Who carried out an event noun: "Syrian shelling", "X's attack", "strikes by X",
    "Turkey responded with drone attacks", "they launched an offensive"."""
    if depth > 6:
        return None
    children = list(noun.children)
    if noun.i > 1 and noun.doc[noun.i - 1].text == "-" and noun.doc[noun.i - 2].head.i != noun.i:
        # "the Chadian military counter-attack": the parser hangs the modifiers on "counter"
        children += [c for c in noun.doc[noun.i - 2].children if c.i < noun.i - 2]
    for child in children:
        if child.dep_ == "poss" and child.lower_ in PRONOUNS and noun.dep_ == "dobj":
            # "they mounted their largest attack": the possessive is the clause's subject
            subjects = arguments.subject_of(ctx, noun.head, exclude, depth + 1)
            if subjects:
                return subjects[0]
        # (a possessor after its noun: the adapter's "l'offensive des rebelles")
        if (
            child.dep_ in ("amod", "compound", "nmod")
            and child.i in ctx.by_token
            and ctx.by_token[child.i].via == "located"
        ):
            continue  # "the San Bernardino shootings", "the Mumbai attacks": where, not who
        if child.dep_ in ("poss", "amod", "compound", "nmod") and (child.i < noun.i or child.dep_ == "poss"):
            span = ctx.by_token.get(child.i) or (
                resolve_pronoun(ctx.doc, child.i, ctx.spans, exclude) if child.lower_ in PRONOUNS else None
            )
            if (
                span is not None
                and span.via == "generic"
                and noun.dep_ == "dobj"
                and (
                    ctx.lex.has(noun.head, "attack_holder")
                    # "the Khmer Rouge fought a guerrilla war": the verb is itself the fight
                    # ("condemns the terrorist attacks": a condemnation is no fight)
                    or (
                        noun.head.lemma_.lower() in ctx.lex.verbs
                        and ctx.lex.verbs[noun.head.lemma_.lower()].kind is RelationKind.ATTACKED
                        and not repels(ctx, noun.head)
                    )
                )
            ):
                # "the Contras waged a guerrilla war": a generic modifier says what kind of war;
                # who waged it is the clause's subject when it has one
                subjects = arguments.subject_of(ctx, noun.head, exclude, depth + 1)
                if subjects:
                    return subjects[0]
            if span is not None:
                return span
        if child.dep_ in ("prep", "agent") and child.lower_ == "by":
            found = _object_actor(ctx, child, exclude, depth)
            if found is not None:
                return found
        if child.dep_ == "prep" and (
            child.lower_ in ("against", "on")
            or (child.lower_ == "of" and ctx.lex.has(noun, "of_target_noun"))
        ):
            # "the massacre of Rohingya villagers by Myanmar soldiers", "attacks against
            # civilians by the RSF": "by" hung on the victims
            victims = [v for p in child.children if p.dep_ == "pobj" for v in (p, *p.conjuncts)]
            for victim in victims:
                for by in victim.children:
                    if by.dep_ == "prep" and by.lower_ == "by":
                        found = _object_actor(ctx, by, exclude, depth)
                        if found is not None:
                            return found
        if (
            child.dep_ == "amod"
            and child.i < noun.i
            and (child.lower_ == "led" or child.lower_.endswith("-led"))
        ):
            leader = ctx.prefix_of(child)  # "Saudi-led airstrikes": the leader's
            if leader is not None:
                return leader
    part = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    if part is not None and part.lower_ == "part" and part.dep_ == "pobj" and part.head.lower_ == "as":
        # "troops were deployed into Somalia as part of an offensive against al-Shabaab"
        clause = part.head.head
        if clause.pos_ in ("VERB", "AUX"):
            doers = arguments.subject_of(ctx, clause, exclude, depth + 1) or [
                a
                for c in clause.children
                if c.dep_ == "nsubjpass"
                for a in arguments.actor_at(ctx, c, exclude, depth + 1)
            ]
            if doers:
                return doers[0]
    for clause in noun.children:
        if clause.dep_ == "acl" and clause.lemma_.lower() in ("attribute", "blame"):
            # "a drone strike attributed to Turkey", "an attack blamed on the ADF"
            for prep in clause.children:
                if prep.dep_ == "prep" and prep.lower_ in ("to", "on"):
                    found = [
                        a
                        for p in prep.children
                        if p.dep_ == "pobj"
                        for a in arguments.actor_at(ctx, p, exclude)
                    ]
                    if found:
                        return found[0]
    acted_by = acl_agent(ctx, noun, exclude, depth)  # "the offensive, launched ... by X"
    if acted_by is not None:
        return acted_by
    if noun.dep_ == "appos" and is_event(ctx, noun.head):
        # "JeM claimed the bombing, the deadliest attack on Indian forces": the same event
        return agent_of_event(ctx, noun.head, exclude, depth + 1)
    head = noun.head
    if noun.dep_ == "dobj" and ctx.lex.has(head, "undergo_verb"):
        # "Shining Path suffered defeats to peasant militias": whom one loses to defeated one;
        # "faces attacks from Iranian-aligned groups"
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("to", "from"):
                found = _object_actor(ctx, prep, exclude, depth)
                if found is not None:
                    return found
    if noun.dep_ == "pobj" and head.lower_ == "for" and ctx.lex.has(head.head, "claim_noun"):
        claim = head.head  # "claimed responsibility for the bombing"
        if claim.dep_ == "dobj":
            subjects = arguments.subject_of(ctx, claim.head, exclude, depth + 1)
            return subjects[0] if subjects else None
    if noun.dep_ == "conj" and head.i != noun.i:
        return (
            agent_of_event(ctx, head, exclude, depth + 1)
            if head.pos_ == "NOUN"
            else ((arguments.subject_of(ctx, head, exclude, depth + 1) or [None])[0])
        )
    if noun.dep_ in ("dobj", "pobj"):
        verb = head if noun.dep_ == "dobj" else head.head
        if (
            noun.dep_ == "pobj"
            and head.lower_ == "of"
            and verb.dep_ == "dobj"
            and (ctx.lex.has(verb, "quantifier") or verb.like_num or verb.pos_ == "NUM")
        ):
            verb = verb.head  # "launched dozens of airstrikes", "carried out a series of raids"
        if verb.pos_ in ("VERB", "AUX") and ctx.lex.has(verb, "attack_holder"):
            subjects = arguments.subject_of(ctx, verb, exclude, depth + 1)
            return subjects[0] if subjects else None
    if noun.tag_ == "VBG" and noun.doc[noun.i - 1].pos_ == "PROPN":
        # "responding to Boko Haram shelling of two towns", the gerund read as a verb: the name
        # right before it does the shelling
        before = arguments.actor_ending_at(ctx, noun.i)
        if before is not None:
            return before
    # last resort: an open-world actor modifying the noun ("the police shooting of X")
    return next(
        (
            ctx.open_at[c.i]
            for c in noun.children
            if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < noun.i and c.i in ctx.open_at
        ),
        None,
    )


def attackers_of(ctx: Context, event, exclude: set[str] | None) -> list[ActorSpan]:
    """Who carried out an attack someone fended off: the target of the one who repels it."""
    agent = agent_of_event(ctx, event, exclude)
    return [agent] if agent is not None else []
