"""``between``: "clashes between X and Y" (both directions), "talks between X and Y"."""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.arguments import actor_at, actor_single
from graph.extraction.context import Candidate, Context, noun_trigger
from graph.extraction.spans import ActorSpan, sentence_bounds, sentence_index, token_texts
from graph.records import RelationKind

__all__ = ["between_rule"]


def between_rule(ctx: Context) -> Iterator[Candidate]:
    """ "clashes between X and Y" (both directions), "talks between X and Y", "war between ..."."""
    doc = ctx.doc
    for i, low in enumerate(token_texts(doc)[1]):
        if low != "between":
            continue
        tok = doc[i]
        # the trigger noun: the head of "between" or the nearest trigger noun just before it
        trigger_tok = None
        trig = None
        # ("strained ties between Turkey and the US": a noun of its own heads the phrase; no look-back)
        look_back = tok.head.pos_ not in ("NOUN", "PROPN")
        for cand in [tok.head, *[doc[j] for j in range(tok.i - 1, max(-1, tok.i - 6), -1) if look_back]]:
            trig = noun_trigger(doc, cand, ctx.lex)
            if trig is not None:
                trigger_tok = cand
                break
        if trigger_tok is None and tok.head.pos_ == "VERB":
            # "the war was fought between X and Y", "they negotiated between ...": a verb of its own
            trig = ctx.lex.verb(tok.head)
            trigger_tok = tok.head if trig is not None else None
        if trigger_tok is None or trig is None:
            continue
        if trig.kind not in (RelationKind.ATTACKED, RelationKind.NEGOTIATED_WITH):
            continue
        sides = _two_sides(ctx, tok)
        if sides is not None:
            # "between the army on one side, and the SPLA and Nuba militias on the other"
            for a in sides[0]:
                for b in sides[1]:
                    if a.actor.id != b.actor.id:
                        yield Candidate(trig.kind, a, b, trigger_tok.i, "between", 0.85)
                        if trig.kind is RelationKind.ATTACKED:
                            yield Candidate(trig.kind, b, a, trigger_tok.i, "between", 0.85)
            continue
        parties = _between_parties(ctx, tok)
        if len(parties) < 2:
            continue
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                if a.actor.id == b.actor.id:
                    continue
                yield Candidate(trig.kind, a, b, trigger_tok.i, "between", 0.85)
                if trig.kind is RelationKind.ATTACKED:
                    yield Candidate(trig.kind, b, a, trigger_tok.i, "between", 0.85)


_DASHES = frozenset({"—", "–", "--"})


def _two_sides(ctx: Context, between) -> tuple[list[ActorSpan], list[ActorSpan]] | None:
    """The parties of "between A on one side, and B and C on the other" as two sides (allies on
    one side fought no one among themselves), or None when the phrase does not say so."""
    doc = ctx.doc
    end = sentence_bounds(doc)[sentence_index(doc, between.i)][1]
    lowers = [t.lower_ for t in doc[between.i : end]]
    one = next(
        (j for j in range(len(lowers) - 1) if lowers[j] == "one" and lowers[j + 1] in ("side", "hand")), None
    )
    if one is None or one < 2 or lowers[one - 1] not in ("on", "the"):
        return None
    other = next(
        (j for j in range(one + 2, len(lowers)) if lowers[j] == "other" and lowers[j - 1] == "the"), None
    )
    if other is None:
        return None
    spans = {s.start: s for s in (*ctx.open_at.values(), *ctx.by_token.values())}
    first = _outermost(doc, [s for k, s in sorted(spans.items()) if between.i < k < between.i + one])
    second = _outermost(
        doc, [s for k, s in sorted(spans.items()) if between.i + one + 2 < k < between.i + other]
    )
    return (first, second) if first and second else None


def _outermost(doc, spans: list[ActorSpan]) -> list[ActorSpan]:
    """The spans no other span's phrase contains ("Angola" of "the People's Armed Forces of
    Liberation of Angola" is part of a name, not a party); conjuncts stay separate parties."""

    def inside(s: ActorSpan, t: ActorSpan) -> bool:
        if t.start <= s.start < t.end and s is not t:
            return True
        tok = doc[s.head]
        # (an acronym in brackets is its name's, not a conjunct: "the SADF (South African ...)")
        while tok.head.i != tok.i and (
            tok.dep_ not in ("conj", "appos") or (tok.dep_ == "appos" and doc[tok.i - 1].text == "(")
        ):
            tok = tok.head
            if tok.i == t.head:
                return True
        return False

    return [s for s in spans if not any(inside(s, t) for t in spans if t is not s)]


def _in_place_slot(tok) -> bool:
    """ "talks between the government and Tigrayan leaders in Pretoria": a name after a locative
    preposition is where it happens, not a party."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "near", "inside", "outside", "from")


def _between_parties(ctx: Context, between) -> list[ActorSpan]:
    parties: list[ActorSpan] = []
    for pobj in between.children:
        if pobj.dep_ == "pobj":
            parties = actor_at(ctx, pobj)
    # "between soldiers and insurgents in Somalia, witnesses and officials said": a list closed by
    # "and" ends there; what a later comma adds belongs to another phrase
    closed = next((t.i for t in between.subtree if t.lower_ == "and" and t.i > between.i), None)
    if closed is not None:
        comma = next(
            (j for j in range(closed + 1, between.right_edge.i + 1) if ctx.doc[j].text in (",", ";")), None
        )
        if comma is not None:
            parties = [p for p in parties if p.start < comma]
    if len(parties) >= 2:
        return parties
    # linear fallback: the first actor after "between", and the first after the next "and"
    doc = ctx.doc
    sent_end = sentence_bounds(doc)[sentence_index(doc, between.i)][1]
    first = next(
        (ctx.by_token[j] for j in range(between.i + 1, min(sent_end, between.i + 5)) if j in ctx.by_token),
        None,
    )
    if first is None:
        return parties
    k = first.end
    limit = first.end + 8
    if k < sent_end and doc[k].text in _DASHES:
        # "between the M23 — among the strongest of dozens of armed groups — and the army": the
        # aside between dashes does not count
        close = next((j for j in range(k + 1, min(sent_end, k + 30)) if doc[j].text in _DASHES), None)
        if close is not None:
            k, limit = close + 1, close + 3
    while k < sent_end and doc[k].lower_ != "and" and k < limit:
        if (
            doc[k].text == ","
            and k + 1 < sent_end
            and (doc[k + 1].tag_ in ("VBN", "VBG") or doc[k + 1].lower_ in ("which", "who"))
        ):
            # "between the government of Guatemala, backed by the United States, and the URNG":
            # the aside between commas does not count
            close = next((j for j in range(k + 2, min(sent_end, k + 16)) if doc[j].text == ","), None)
            if close is not None:
                k, limit = close + 1, close + 3
                continue
        k += 1
    if k >= sent_end or doc[k].lower_ != "and":
        return parties
    second = next(
        (
            ctx.by_token[j]
            for j in range(k + 1, min(sent_end, k + 6))
            if j in ctx.by_token and not _in_place_slot(doc[ctx.by_token[j].head])
        ),
        None,
    )
    if second is None:
        # "the two sides" or a pronoun after "and"
        if k + 1 < sent_end:
            alt = actor_single(ctx, doc[k + 1], {first.actor.id}, 0)
            if alt is not None:
                return [first, alt]
        return parties
    return [first, second]
