"""The per-Doc views of graph.extraction.spans answer as spaCy's own Tokens and Spans do."""

from __future__ import annotations

from pathlib import Path

from graph.extraction.spans import char_offsets, doc_text, head_indices, in_subtree, sentence_bounds

_TEXTS = (
    "The rebels, who had been armed by Iran, attacked the town on Monday.  Fighting erupted again "
    "last week near Goma,\nand the army said it had repelled them.",
    "Soviet and South African support for FRELIMO and RENAMO, respectively, ended in 1990. ",
    "“We will not negotiate,” the M23’s spokesman said on Tuesday.\n\nTalks resumed in Doha.",
)


def _texts() -> list[str]:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    return [*_TEXTS, *(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))]


def test_text_and_offsets_are_spacys(session_nlp):
    for doc in session_nlp.pipe(_texts()):
        text, (starts, ends) = doc_text(doc), char_offsets(doc)
        assert text == doc.text
        for a, b in sentence_bounds(doc):
            span = doc[a:b]
            assert (starts[a], ends[b - 1], text[starts[a] : ends[b - 1]]) == (
                span.start_char,
                span.end_char,
                span.text,
            )
        for ent in doc.ents:
            assert text[starts[ent.start] : ends[ent.end - 1]] == ent.text


def test_heads_and_subtrees_are_spacys(session_nlp):
    for doc in session_nlp.pipe(_texts()):
        assert head_indices(doc) == [t.head.i for t in doc]
        for tok in doc:
            inside = {t.i for t in tok.subtree}
            assert [in_subtree(doc, i, {tok.i}) for i in range(len(doc))] == [
                i in inside for i in range(len(doc))
            ]
