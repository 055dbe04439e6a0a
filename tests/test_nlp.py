"""The spaCy stage (graph.nlp): the loaded pipeline, its attribute ruler, chunking of long texts."""

from __future__ import annotations

import pytest

from graph.errors import ModelNotFoundError
from graph.nlp import chunk_text, load_pipeline

# Sentences that exercise the attribute ruler's tag table and every kind of exception it carries:
# word and tag tests, dependency tests, two-token rules ("gonna", "y'all"), regexes, spaces.
TRICKY = [
    "I told you it's over, but the rebels said they gonna fight on.",
    "Y'all got what you wanted; he gets nothing.  Let's go, c'mon.",
    "There are no talks and there were none; do they have a plan? They do.",
    "That is what which army did:\n\n  shelled the town at dawn, ain't it?",
    "Turkish jets struck PKK targets in northern Iraq on Sunday, the ministry said.",
]


@pytest.fixture(scope="module")
def stock():
    """The model as spaCy loads it, with its stock attribute ruler."""
    import spacy

    from graph.nlp import installed_pipeline

    return spacy.load(installed_pipeline())


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]


def test_attribute_ruler_and_lemmatizer_replacements_give_identical_annotations(session_nlp, stock) -> None:
    assert session_nlp.get_pipe("attribute_ruler").__class__.__name__ == "TagMap"
    assert session_nlp.get_pipe("lemmatizer").__class__.__name__ == "LemmaMemo"
    assert session_nlp.pipe_names == stock.pipe_names
    # twice: the second time every signature and lemma comes from the components' memos
    for ours, theirs in zip(session_nlp.pipe(TRICKY * 2), stock.pipe(TRICKY * 2), strict=True):
        assert _annotations(ours) == _annotations(theirs)


def test_the_vocabulary_strings_file_is_not_loaded(stock) -> None:
    """The package's strings are not interned, yet every string the annotations read back is there."""
    nlp = load_pipeline()
    assert len(nlp.vocab.strings) < len(stock.vocab.strings) // 10
    doc = nlp("The Kurdish-led SDF repelled an assault by Islamic State fighters near Raqqa.")
    strings = nlp.vocab.strings
    for token in doc:
        for attr in ("orth", "lower", "norm", "shape", "prefix", "suffix", "lemma", "tag", "dep", "ent_type"):
            value = getattr(token, attr)
            assert value == 0 or value in strings, (token.text, attr)
    assert str(doc[0].morph) == str(stock("The")[0].morph)


def test_empty_text_passes_through(session_nlp) -> None:
    assert len(session_nlp("")) == 0


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFoundError, match="not installed"):
        load_pipeline("en_core_web_nonexistent")


def test_chunks_cover_the_text_at_paragraph_breaks() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(20))
    pieces = chunk_text(text, 400)
    assert all(len(p) <= 400 for _, p in pieces)
    assert "".join(p for _, p in pieces) == text
    assert all(text[offset : offset + len(p)] == p for offset, p in pieces)


def test_typographic_apostrophes_parse_like_ascii(session_nlp):
    """'the terrorists’ assaults' must parse as the ASCII spelling does (a possessive), while the
    Doc keeps the text as written."""
    curly = session_nlp("The Embassy is concerned by the terrorists’ continued assaults on villages.")
    plain = session_nlp("The Embassy is concerned by the terrorists' continued assaults on villages.")
    assert curly.text.count("’") == 1
    assert [(t.tag_, t.dep_, t.head.i) for t in curly] == [(t.tag_, t.dep_, t.head.i) for t in plain]
