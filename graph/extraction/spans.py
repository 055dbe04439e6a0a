"""What extraction works with inside a Doc: actor spans and cached views of the Doc.

An :class:`ActorSpan` is a token span resolved to an actor; it never leaves extraction (records
carry character offsets instead). The helpers read sentences, token texts and entities once per
Doc and keep them in ``doc.user_data``, because the rules ask for them thousands of times.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from graph.records import Actor

__all__ = [
    "ActorSpan",
    "entities",
    "entities_in",
    "sentence_bounds",
    "sentence_index",
    "sentence_of",
    "token_texts",
]


@dataclass(frozen=True, slots=True)
class ActorSpan:
    """A token span of a Doc resolved to an actor (internal to extraction; never leaves it)."""

    start: int
    end: int
    head: int  # token index of the phrase's head noun
    actor: Actor
    via: str
    confidence: float = 1.0


def sentence_bounds(doc) -> list[tuple[int, int]]:
    """(start, end) token offsets of the Doc's sentences, computed once per Doc.

    ``Token.sent`` walks the parse on every call; the rules ask for sentences thousands of times
    per article, so the boundaries are kept in ``doc.user_data``.
    """
    bounds = doc.user_data.get("conflictkg.sentences")
    if bounds is None:
        bounds = [(s.start, s.end) for s in doc.sents]
        index = [0] * len(doc)
        for k, (a, b) in enumerate(bounds):
            for t in range(a, b):
                index[t] = k
        doc.user_data["conflictkg.sentences"] = bounds
        doc.user_data["conflictkg.sentence_index"] = index
    return bounds


def sentence_index(doc, i: int) -> int:
    """The index (in :func:`sentence_bounds`) of the sentence holding token ``i``."""
    sentence_bounds(doc)
    return doc.user_data["conflictkg.sentence_index"][i]


def token_texts(doc) -> tuple[list[str], list[str], list[str]]:
    """(text, lower, lemma) of every token, read once per Doc.

    Each ``for tok in doc`` builds a Token object per word; the passes that only look for a few
    words scan these lists instead and touch Tokens where a word matches.
    """
    cached = doc.user_data.get("conflictkg.texts")
    if cached is None:
        from spacy.attrs import LEMMA, LOWER, ORTH

        # one array of string hashes instead of a Token object per word
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, LOWER, LEMMA]).tolist()
        texts = [strings[r[0]] for r in rows]
        lowers = [strings[r[1]] for r in rows]
        lemmas = [strings[r[2]].lower() for r in rows]
        cached = doc.user_data["conflictkg.texts"] = (texts, lowers, lemmas)
    return cached


def entities(doc) -> tuple:
    """``doc.ents``, built once per Doc (the property makes new Span objects on every call)."""
    ents = doc.user_data.get("conflictkg.ents")
    if ents is None:
        ents = doc.user_data["conflictkg.ents"] = tuple(_trimmed(e) for e in doc.ents)
    return ents


def _trimmed(ent):
    """A person's name without the count the model ran into it ("shot Ali Karimi 16 times")."""
    end = ent.end
    while end - ent.start > 1 and ent.label_ == "PERSON" and ent.doc[end - 1].like_num:
        end -= 1
    return ent if end == ent.end else Span(ent.doc, ent.start, end, label=ent.label_)


def entities_in(doc, start: int, end: int) -> list:
    """The entities inside the token range [start, end)."""
    return [e for e in entities(doc) if start <= e.start and e.end <= end]


def sentence_of(doc, i: int):
    """The sentence Span holding token ``i``, from the cached boundaries."""
    a, b = sentence_bounds(doc)[sentence_index(doc, i)]
    return doc[a:b]
