"""Passes over the whole Doc after the construction rules: a linear reading of relative clauses
the parser mangled (``relative``), and targets of attacks that state none (``implicit``)."""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.arguments import place_slot
from graph.extraction.context import Candidate, Context, side
from graph.extraction.spans import ActorSpan, token_texts
from graph.records import ActorType, RelationKind

__all__ = ["implicit_targets", "relative_fallback"]


def relative_fallback(ctx: Context, found: list[Candidate]) -> Iterator[Candidate]:
    """ "Iran, which arms and funds the Houthis, ...": when the parser mangles a relative clause
    (the small model reads "arms and funds" as nouns), read it linearly: actor, "which", trigger
    verbs, actor, all inside the commas."""
    doc = ctx.doc
    done = {c.trigger for c in found}
    texts, lowers, _ = token_texts(doc)
    for i, low in enumerate(lowers):
        if low not in ("which", "who") or i < 2 or texts[i - 1] != ",":
            continue
        tok = doc[i]
        antecedent = ctx.by_token.get(tok.i - 2)
        if antecedent is None or (
            antecedent.actor.type is ActorType.STATE and place_slot(ctx, doc[tok.i - 2])
        ):
            continue  # "attacks on Waza, in the far north region of Cameroon, which killed ...": a place
        trigger_tok = None
        for j in range(tok.i + 1, min(len(doc), tok.i + 8)):
            word = doc[j]
            if word.is_punct:
                break
            if j in ctx.by_token:
                if trigger_tok is not None and trigger_tok.i not in done:
                    trig = ctx.lex.verb(trigger_tok)
                    target = ctx.by_token[j]
                    if target.actor.id != antecedent.actor.id and trig.kind in (
                        RelationKind.ATTACKED,
                        RelationKind.BACKED,
                    ):
                        yield Candidate(trig.kind, antecedent, target, trigger_tok.i, "relative", 0.7)
                break
            # the verb nearest the actor: "which intervened militarily to support the Chadian
            # government" supports it ("intervene" attacks only an "against" phrase)
            if ctx.lex.verb(word) is not None:
                trigger_tok = word


def implicit_targets(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """ "Chadian and Nigerien forces launched a joint offensive", "the group struck back": an attack
    with no stated target is on the one enemy the article says the attacker fights elsewhere.

    Only when that enemy is unique; the relation is marked ``implicit`` with a low confidence.
    """
    enemies: dict[str, dict[str, ActorSpan]] = {}
    for c in found:
        if c.kind is not RelationKind.ATTACKED or c.target.actor.type is ActorType.CIVILIANS:
            continue
        if c.target.via == "located" or c.source.actor.type is ActorType.CIVILIANS:
            continue
        a, b = side(c.source.actor), side(c.target.actor)
        enemies.setdefault(a, {}).setdefault(b, c.target)
        enemies.setdefault(b, {}).setdefault(a, c.source)
    stated = {(c.trigger, c.source.actor.id) for c in found}
    out = []
    for agent, trigger in ctx.untargeted:
        foes = enemies.get(side(agent.actor), {})
        if not foes and agent.actor.id in ctx.joined:  # who joins an attack fights its target
            foes = enemies.get(side(ctx.joined[agent.actor.id]), {})
        if len(foes) == 1 and (trigger, agent.actor.id) not in stated:
            foe = next(iter(foes.values()))
            out.append(Candidate(RelationKind.ATTACKED, agent, foe, trigger, "implicit", 0.6))
            stated.add((trigger, agent.actor.id))
    return out
