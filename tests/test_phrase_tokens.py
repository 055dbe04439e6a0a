"""The actor matchers built from cached token texts (graph.phrase_tokens) hold exactly the patterns
Docs of the forms would give, in English and French, with the cache cold and warm."""

from __future__ import annotations

import pytest

from graph import user_cache
from graph.extraction import mentions
from graph.extraction.mentions import MentionMatcher


def _patterns(matcher: MentionMatcher) -> tuple[dict, dict]:
    """The key sequences of both PhraseMatchers, by label (as they pickle)."""
    return matcher._lower.__reduce__()[1][1], matcher._exact.__reduce__()[1][1]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_matchers_from_cached_tokens_equal_matchers_from_docs(lang, tmp_path, monkeypatch):
    from graph.gazetteer import load_gazetteer
    from graph.lexicon import load_lexicon
    from graph.nlp import load_pipeline

    monkeypatch.setenv(user_cache.ENV_VAR, str(tmp_path))
    nlp = load_pipeline(lang=lang)
    gazetteer, lexicon = load_gazetteer(lang=lang), load_lexicon(lang=lang)
    cold = _patterns(MentionMatcher(nlp, gazetteer, lexicon))
    assert len(list(tmp_path.glob(f"tokens-{lang}-*.pickle"))) == 1
    warm = _patterns(MentionMatcher(nlp, gazetteer, lexicon))
    with monkeypatch.context() as m:  # the patterns as Docs, the way spaCy documents it
        m.setattr(mentions, "form_tokens", lambda nlp, forms: {f: nlp.make_doc(f) for f in forms})
        m.setattr(mentions, "pattern", lambda vocab, doc, attr: doc)
        from_docs = _patterns(MentionMatcher(load_pipeline(lang=lang), gazetteer, lexicon))
    assert cold == warm == from_docs
    assert sum(len(v) for v in from_docs[0].values()) > 1000


def test_token_cache_follows_the_forms(tmp_path, monkeypatch, session_nlp):
    from graph.phrase_tokens import form_tokens

    monkeypatch.setenv(user_cache.ENV_VAR, str(tmp_path))
    assert form_tokens(session_nlp, ["U.S.-backed forces", "al-Shabaab"]) == {
        "U.S.-backed forces": tuple(t.text for t in session_nlp.make_doc("U.S.-backed forces")),
        "al-Shabaab": tuple(t.text for t in session_nlp.make_doc("al-Shabaab")),
    }
    assert set(form_tokens(session_nlp, ["Hamas"])) == {"Hamas"}  # other forms: another entry
    assert len(list(tmp_path.glob("tokens-en-*.pickle"))) == 2


def test_pattern_reads_orth_or_lower(session_nlp):
    from graph.phrase_tokens import pattern

    vocab = session_nlp.vocab
    assert pattern(vocab, ("Hamas",), "LOWER") == (vocab.strings["hamas"],)
    assert pattern(vocab, ("Hamas",), "ORTH") == (vocab.strings["Hamas"],)
    with pytest.raises(ValueError):
        pattern(vocab, ("Hamas",), "LEMMA")


def test_pattern_makes_no_lexeme(session_nlp):
    """A form's keys are those of the lexeme a Doc would make later, without making it now."""
    from graph.phrase_tokens import pattern

    vocab = session_nlp.vocab
    words = ("Qzxwarbian", "QZXWFRONT")
    assert not any(w in vocab for w in words)
    keys = pattern(vocab, words, "ORTH"), pattern(vocab, words, "LOWER")
    assert not any(w in vocab for w in words)
    doc = session_nlp.make_doc(" ".join(words))
    assert keys == (tuple(t.orth for t in doc), tuple(t.lower for t in doc))


def test_a_tokenizer_without_rules_to_serialise_is_not_cached(tmp_path, monkeypatch):
    from graph.phrase_tokens import form_tokens

    class Tokenizer:
        """A custom tokenizer: splits on spaces, cannot serialise itself."""

        def __call__(self, text):
            from spacy.tokens import Doc

            return Doc(nlp.vocab, words=text.split())

    class Pipeline:
        lang, meta, tokenizer = "en", {}, Tokenizer()

        def make_doc(self, text):
            return self.tokenizer(text)

    from spacy.vocab import Vocab

    nlp = Pipeline()
    nlp.vocab = Vocab()
    monkeypatch.setenv(user_cache.ENV_VAR, str(tmp_path))
    assert form_tokens(nlp, ["Free Syrian Army"]) == {"Free Syrian Army": ("Free", "Syrian", "Army")}
    assert not list(tmp_path.iterdir())
