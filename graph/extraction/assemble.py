"""The last extraction step: candidates become records (Candidate → Relation, ArticleResult).

Each candidate gets its modality (:mod:`.modality`), the sentence as evidence, character offsets
for its mentions, a date, place and fatalities where stated, and a confidence from the rule and
the resolution; one statement is kept per dyad and sentence. Actors gain the parents they act
for, and statements of one event share an event id. Nothing spaCy leaves here.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from graph.dates import resolve_date
from graph.extraction.context import Candidate
from graph.extraction.modality import modality_of
from graph.extraction.spans import (
    ActorSpan,
    char_offsets,
    doc_text,
    entities_in,
    in_subtree,
    sentence_bounds,
    sentence_index,
    sentence_of,
)
from graph.gazetteer import Gazetteer
from graph.lexicon import Lexicon
from graph.records import (
    Actor,
    ActorType,
    Article,
    ArticleResult,
    Mention,
    Modality,
    Relation,
    TextSpan,
)

__all__ = ["EXTRACTOR_VERSION", "assemble_result"]

EXTRACTOR_VERSION = "v1"
_PLACE_PREPS = {"in", "near", "at", "outside", "around", "on"}


def assemble_result(
    doc,
    article: Article,
    spans: list[ActorSpan],
    unresolved: list[tuple[int, int]],
    candidates: list[Candidate],
    gazetteer: Gazetteer,
    lexicon: Lexicon,
    offset: int = 0,
) -> ArticleResult:
    """The records of one parsed article (or one chunk of it at ``offset``)."""
    relations = _to_relations(doc, candidates, article, lexicon, offset)
    actors: dict[str, Actor] = {}
    # relation ends first: a rule may re-resolve a pronoun to an actor no span carries
    for cand in candidates:
        actors.setdefault(cand.source.actor.id, cand.source.actor)
        actors.setdefault(cand.target.actor.id, cand.target.actor)
    # an open-world actor enters the graph only through a relation it takes part in: the text names
    # many collectives ("residents", "students") that are no party to anything
    spans = [s for s in spans if s.via != "open" or s.actor.id in actors]
    for span in spans:
        actors.setdefault(span.actor.id, span.actor)
    for actor in list(actors.values()):
        _add_acts_for(actor, actors, gazetteer)
    relations = [replace(r, event_id=_event_id(r, actors)) for r in relations]
    text = doc_text(doc)
    starts, ends = char_offsets(doc)  # character offsets without a Span per mention
    mentions = []
    for s in spans:
        first, last = starts[s.start], ends[s.end - 1]
        span = TextSpan(start=first + offset, end=last + offset, text=text[first:last])
        mentions.append(Mention(actor_id=s.actor.id, span=span, via=s.via))
    mentions = tuple(mentions)
    return ArticleResult(
        article=article,
        actors=tuple(sorted(actors.values(), key=lambda a: a.id)),
        mentions=mentions,
        relations=tuple(relations),
        unresolved=tuple(TextSpan(start=a + offset, end=b + offset, text=text[a:b]) for a, b in unresolved),
    )


def _side(actor_id: str, actors: dict[str, Actor]) -> str:
    """The actor an id rolls up to through ``acts_for`` (Turkish jets, Erdogan → Turkey)."""
    seen = 0
    while actor_id in actors and actors[actor_id].acts_for and seen < 5:
        actor_id = actors[actor_id].acts_for or actor_id
        seen += 1
    return actor_id


def _event_id(rel: Relation, actors: dict[str, Actor]) -> str | None:
    """Statements of one event share a key: kind, the two sides rolled up to states, the day.

    Two articles reporting "Turkey shot down two Syrian jets on Sunday" and "Turkish jets downed
    two Syrian planes on Sunday" give one event; undated statements have no key, since nothing
    says they are the same event.
    """
    if rel.date is None:
        return None
    a, b = _side(rel.source_id, actors), _side(rel.target_id, actors)
    if rel.kind.symmetric and b < a:
        a, b = b, a
    key = f"{rel.kind.value}|{a}|{b}|{rel.date.isoformat()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _add_acts_for(actor: Actor, actors: dict[str, Actor], gaz: Gazetteer) -> None:
    seen = 0
    while actor.acts_for and actor.acts_for not in actors and seen < 5:
        parent = gaz.actors.get(actor.acts_for)
        if parent is None:
            return
        actors[parent.id] = parent
        actor = parent
        seen += 1


def _char_span(doc, start: int, end: int, offset: int) -> TextSpan:
    """The text of tokens [start, end) and its offsets in the article, as ``doc[start:end]`` gives
    them, read from :func:`.spans.doc_text` (a Span's ``text`` makes a Token per word)."""
    if end <= start:  # an empty span: spaCy's own answer
        span = doc[start:end]
        return TextSpan(start=span.start_char + offset, end=span.end_char + offset, text=span.text)
    starts, ends = char_offsets(doc)
    first, last = starts[start], ends[end - 1]
    return TextSpan(start=first + offset, end=last + offset, text=doc_text(doc)[first:last])


def _to_relations(
    doc, candidates: list[Candidate], article: Article, lexicon: Lexicon, offset: int
) -> list[Relation]:
    best: dict[tuple, Relation] = {}
    for cand in candidates:
        trigger = doc[cand.trigger]
        sent_start, sent_end = sentence_bounds(doc)[sentence_index(doc, cand.trigger)]
        parties = frozenset(range(cand.source.start, cand.source.end)) | frozenset(
            range(cand.target.start, cand.target.end)
        )
        if cand.rule == "modifier":
            # "refused to recognise the U.N.-backed government": a relation folded into a noun
            # phrase's modifier is presupposed; the clause's negation or plan is about something else
            modality, attribution = Modality.ASSERTED, None
        else:
            modality, attribution = modality_of(trigger, lexicon, parties)
        confidence = round(cand.confidence * cand.source.confidence * cand.target.confidence, 3)
        rel = Relation(
            kind=cand.kind,
            source_id=cand.source.actor.id,
            target_id=cand.target.actor.id,
            article_id=article.id,
            evidence=_char_span(doc, sent_start, sent_end, offset),
            source_mention=_char_span(doc, cand.source.start, cand.source.end, offset),
            target_mention=_char_span(doc, cand.target.start, cand.target.end, offset),
            trigger=trigger.text,
            extractor=f"{cand.rule}.{EXTRACTOR_VERSION}",
            modality=modality,
            attributed_to=attribution,
            date=_event_date(trigger, article, modality),
            place=_place(trigger, cand),
            fatalities=_fatalities(trigger, cand, lexicon),
            confidence=confidence,
        )
        key = (rel.kind, rel.source_id, rel.target_id, rel.evidence.start)
        old = best.get(key)
        if old is None or _rank(rel) > _rank(old):
            best[key] = rel
    return sorted(best.values(), key=lambda r: (r.evidence.start, r.kind.value, r.source_id, r.target_id))


def _rank(rel: Relation) -> tuple[bool, float]:
    # within one sentence an asserted reading beats a hedged one of the same dyad only if surer
    return (rel.modality is Modality.ASSERTED, rel.confidence)


def _event_date(trigger, article: Article, modality: Modality = Modality.ASSERTED):
    sent = sentence_of(trigger.doc, trigger.i)
    dates = [e for e in entities_in(sent.doc, sent.start, sent.end) if e.label_ == "DATE"]
    if not dates:
        return None
    # prefer a date phrase attached to the trigger's own clause, else the nearest one
    clause = {trigger.i, trigger.head.i} if trigger.dep_ in ("xcomp", "conj") else {trigger.i}
    attached = [e for e in dates if any(in_subtree(sent.doc, i, clause) for i in range(e.start, e.end))]
    pick = min(attached or dates, key=lambda e: abs(e.start - trigger.i))
    # "will meet Thursday": a planned event looks forward from the article's date
    return resolve_date(pick.text, article.date, future=modality is Modality.INTENDED, lang=article.lang)


def _place(trigger, cand: Candidate) -> str | None:
    """A named place in the trigger's phrase after "in", "near", "at" ..., not one of the actors."""
    taken = set(range(cand.source.start, cand.source.end)) | set(range(cand.target.start, cand.target.end))
    root = trigger.head if trigger.dep_ in ("dobj", "pobj", "compound") else trigger
    lo, hi = root.left_edge.i, root.right_edge.i
    sent = sentence_of(trigger.doc, trigger.i)
    for ent in entities_in(trigger.doc, sent.start, sent.end):
        if ent.label_ not in ("GPE", "LOC", "FAC") or not lo <= ent.start <= hi:
            continue
        if any(i in taken for i in range(ent.start, ent.end)) or ent.start == 0:
            continue
        prev = trigger.doc[ent.start - 1]
        if prev.lower_ in _PLACE_PREPS or (
            prev.lower_ in ("'s", "’s") and ent.start >= 2 and trigger.doc[ent.start - 2].i - 1 >= 0
        ):
            return ent.text
    return None


def _fatalities(trigger, cand: Candidate, lexicon: Lexicon) -> int | None:
    if trigger.lemma_.lower() not in lexicon.of("kill_verb") or cand.target.actor.type is ActorType.STATE:
        return None
    head = trigger.doc[cand.target.head]
    for tok in [head, *head.ancestors][:3]:
        for child in tok.children:
            if child.dep_ == "nummod" and child.like_num:
                digits = child.text.replace(",", "")
                if digits.isdigit():
                    return int(digits)
    return None
