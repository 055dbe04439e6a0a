"""Force named by its instrument (``instrument``): "Russia used drones against Ukrainian cities",
"the army deployed artillery against rebel positions", "Iraq's use of chemical weapons against
Iranian troops".

The verb ("use", "deploy", "employ": the ``use_verb`` class of ``ontology/lexicon/words.csv``)
states no relation by itself; with a weapon or an attack noun as its object and a target after
"against" or "on", its subject attacked that target.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.arguments import agent_of_event, prep_objects, subject_of
from graph.extraction.context import Candidate, Context, noun_trigger
from graph.records import RelationKind

__all__ = ["use_against", "used_against"]

_TARGET_PREPS = {"against", "on"}


def used_against(ctx: Context, verb) -> Iterator[Candidate]:
    """Who attacked whom when a clause uses a weapon against a target."""
    instruments = [
        c
        for c in verb.children
        if c.dep_ in ("dobj", "nsubjpass")
        and (
            ctx.lex.has(c, "instrument_noun")
            or ((t := noun_trigger(ctx.doc, c, ctx.lex)) and t.kind is RelationKind.ATTACKED)
        )
    ]
    if not instruments:
        return
    users = subject_of(ctx, verb)
    targets = [t for _, t in prep_objects(ctx, verb, _TARGET_PREPS)]
    for noun in instruments:
        targets += [t for _, t in prep_objects(ctx, noun, _TARGET_PREPS)]
    for user in users:
        for target in targets:
            if user.actor.id != target.actor.id:
                yield Candidate(RelationKind.ATTACKED, user, target, verb.i, "instrument", 0.75)


def use_against(ctx: Context, noun) -> Iterator[Candidate]:
    """The noun: "Iraq's use of chemical weapons against Iranian troops", "the use of drones by
    Russia on Ukrainian cities": the user (the noun's owner or "by" phrase) attacked the target."""
    weapons = [
        p
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children
        if p.dep_ == "pobj" and ctx.lex.has(p, "instrument_noun")
    ]
    if not weapons:
        return
    user = agent_of_event(ctx, noun)
    if user is None:
        return
    targets = [t for h in (noun, *weapons) for _, t in prep_objects(ctx, h, _TARGET_PREPS)]
    for target in targets:
        if user.actor.id != target.actor.id:
            yield Candidate(RelationKind.ATTACKED, user, target, noun.i, "instrument", 0.75)
