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
    "char_offsets",
    "doc_text",
    "entities",
    "entities_in",
    "head_indices",
    "in_subtree",
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


def char_offsets(doc) -> tuple[list[int], list[int]]:
    """(start, end) character offsets of every token, read once per Doc.

    What ``Span.start_char`` and ``Span.end_char`` are made of: a span [a, b) runs from
    ``starts[a]`` to ``ends[b - 1]``. Asking a Span instead costs a Span per mention.
    """
    cached = doc.user_data.get("conflictkg.offsets")
    if cached is None:
        from spacy.attrs import IDX

        starts = doc.to_array([IDX]).tolist()
        ends = [start + len(word) for start, word in zip(starts, token_texts(doc)[0], strict=True)]
        cached = doc.user_data["conflictkg.offsets"] = (starts, ends)
    return cached


def doc_text(doc) -> str:
    """``doc.text``, made once per Doc from the token texts and their trailing spaces.

    ``Doc.text`` builds a Token object per word on every read, and so does ``Span.text``; a span
    [a, b)'s text is ``doc_text(doc)[starts[a]:ends[b - 1]]`` (:func:`char_offsets`): each token's
    text and trailing space, less the last token's space, as ``Span.text`` joins them.
    """
    text = doc.user_data.get("conflictkg.text")
    if text is None:
        from spacy.attrs import SPACY

        spaces = doc.to_array([SPACY]).tolist()
        words = token_texts(doc)[0]
        text = "".join([w + " " if s else w for w, s in zip(words, spaces, strict=True)])
        doc.user_data["conflictkg.text"] = text
    return text


def head_indices(doc) -> list[int]:
    """The index of every token's head (a root is its own head), read once per Doc."""
    heads = doc.user_data.get("conflictkg.heads")
    if heads is None:
        from spacy.attrs import HEAD

        # HEAD is an offset from the token, stored unsigned: back to signed, then absolute
        offsets = doc.to_array([HEAD]).astype("int64").tolist()
        heads = doc.user_data["conflictkg.heads"] = [i + d for i, d in enumerate(offsets)]
    return heads


def in_subtree(doc, i: int, roots: frozenset[int] | set[int]) -> bool:
    """Whether token ``i`` is in the subtree of one of the tokens ``roots`` (``Token.subtree``).

    A token's subtree is the token and every token whose chain of heads reaches it, so walking up
    from ``i`` answers without making the subtree's Tokens.
    """
    heads = head_indices(doc)
    for _ in range(len(heads)):  # a tree's chain is shorter; the bound only guards a malformed parse
        if i in roots:
            return True
        head = heads[i]
        if head == i:
            return False
        i = head
    return False


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
