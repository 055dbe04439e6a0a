"""Tokenised gazetteer forms for spaCy's PhraseMatcher, kept in the user cache.

Building the actor matchers tokenises some six thousand names, adjectives and generic terms with
the pipeline's tokenizer (``nlp.make_doc``), a third of a second per run in English and more in
French; the tokens of a form depend only on the form, the tokenizer's rules and spaCy's version.
:func:`form_tokens` keeps each form's token texts in the user cache (:mod:`graph.user_cache`), keyed
on those, and :func:`pattern` turns them into the keys the PhraseMatcher stores for a pattern Doc:
each token's lexeme attribute (``ORTH`` or ``LOWER``) looked up in the pipeline's vocabulary, which
creates the same lexemes ``make_doc`` would. ``PhraseMatcher.add`` takes such key sequences as
patterns (it is how it unpickles itself), so the matcher is the one the Docs would make."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from graph import user_cache

__all__ = ["form_tokens", "pattern"]


def form_tokens(nlp, forms: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each form's token texts as ``nlp``'s tokenizer splits it, through the user cache."""
    import spacy

    wanted = sorted(set(forms))
    meta = nlp.meta or {}
    name = f"tokens-{nlp.lang}-{meta.get('name', '')}".replace("/", "_")

    def split() -> dict[str, tuple[str, ...]]:
        return {form: tuple(t.text for t in nlp.make_doc(form)) for form in wanted}

    try:
        rules = nlp.tokenizer.to_bytes(exclude=["vocab"])
    except Exception:  # a custom tokenizer that cannot say what its rules are: no cache
        return split()
    key = user_cache.digest([spacy.__version__, rules, *wanted])
    found = user_cache.cached(name, key, split)
    if not isinstance(found, dict) or not all(form in found for form in wanted):
        return split()  # pragma: no cover - a foreign entry under a colliding name
    return found


def pattern(vocab, words: tuple[str, ...], attr: str) -> tuple[int, ...]:
    """The key sequence a PhraseMatcher with ``attr`` ("ORTH" or "LOWER") stores for a Doc of
    ``words``: each word's lexeme attribute in ``vocab``, as a Doc of them would give it.

    No lexeme is created for it: most of the gazetteer's seven thousand words never occur in a
    corpus, and making a lexeme (its shape, prefix, suffix, norm ...) costs ten times more than the
    key. A word's ORTH is the hash of its text; its LOWER is its lexeme's when the vocabulary has one
    (a language adapter may have set it: French "par" reads "by"), otherwise the hash of what the
    vocabulary's getter would give the lexeme when a Doc creates it.
    """
    if attr == "ORTH":
        return tuple(vocab.strings.add(w) for w in words)
    if attr == "LOWER":
        from spacy.attrs import LOWER

        getter = (vocab.lex_attr_getters or {}).get(LOWER)
        return tuple(vocab[w].lower if w in vocab else _new_lower(vocab, getter, w) for w in words)
    raise ValueError(f"a phrase pattern reads ORTH or LOWER, not {attr!r}")


def _new_lower(vocab, getter: Callable[[str], str | None] | None, word: str) -> int:
    """The LOWER a lexeme of ``word`` would get when a Doc creates it (spaCy's ``Vocab._new_lexeme``)."""
    value = getter(word) if getter is not None else None
    return vocab.strings.add(value) if value else 0
