"""Hyphenated modifiers (``modifier``): "Russian-backed Syrian forces", "Iran-backed militias",
"U.S.- and French-brokered truce"."""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.arguments import actor_at, agent_of_event
from graph.extraction.context import Candidate, Context, state_adjective
from graph.extraction.spans import ActorSpan
from graph.lexicon import Trigger
from graph.records import RelationKind

__all__ = ["modifier_rule"]


def modifier_rule(ctx: Context, tok, trigger: Trigger) -> Iterator[Candidate]:
    """ "Russian-backed Syrian forces", "U.S.- and French-brokered truce"."""
    doc = ctx.doc
    sources: list[ActorSpan] = []
    first = ctx.prefix_of(tok)
    if first is not None:
        sources.append(first)
        # "U.S.- and French-brokered": a coordinated prefix before "and"
        j = first.start - 1
        if j >= 1 and doc[j].lower_ == "and":
            # "Russian and Iranian-backed": the first demonym needs no hyphen of its own
            other = ctx.prefix_at.get(j - 1) or state_adjective(ctx, doc[j - 1])
            if other is not None:
                sources.append(other)
    if not sources:
        return
    # the noun the compound modifies: the next noun head to the right in the same phrase
    head = tok.head if tok.head.i > tok.i else None
    if head is None:
        for j in range(tok.i + 1, min(tok.i + 5, len(doc))):
            if doc[j].pos_ in ("NOUN", "PROPN"):
                head = doc[j]
                if doc[j].dep_ != "compound":
                    break
    if head is None:
        return
    if trigger.kind is RelationKind.BACKED:
        exclude = {s.actor.id for s in sources}
        target = ctx.by_token.get(head.i)
        targets = [target] if target is not None else []
        if target is None:
            lemma = head.lemma_.lower()
            if lemma in ctx.lex.nouns and ctx.lex.nouns[lemma].kind is RelationKind.ATTACKED:
                targets = [t for t in [agent_of_event(ctx, head, exclude)] if t is not None]
            else:
                # "the Russian-backed republics of South Ossetia and Abkhazia": every one the
                # phrase names, but not the phrase's own conjuncts ("... militias and the army")
                others = {t.i for c in head.children if c.dep_ == "conj" for t in c.subtree}
                targets = [t for t in actor_at(ctx, head, exclude) if t.head not in others]
        for target in targets:
            for s in sources:
                if s.actor.id != target.actor.id:
                    yield Candidate(RelationKind.BACKED, s, target, tok.i, "modifier", 0.85)
