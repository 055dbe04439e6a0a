"""Doc → ArticleResult: records, offsets, actors of every relation end, event keys."""

from __future__ import annotations

import datetime as dt

from graph.records import Article

MONDAY = dt.date(2020, 3, 2)


def test_offsets_point_into_the_article(extract_text):
    text = "Fighting went on. On Sunday, Turkey shot down two Syrian warplanes near Idlib."
    result = extract_text(text, MONDAY)
    rel = next(r for r in result.relations if r.kind.value == "attacked")
    assert text[rel.evidence.start : rel.evidence.end] == rel.evidence.text
    assert text[rel.source_mention.start : rel.source_mention.end] == rel.source_mention.text == "Turkey"
    ids = {a.id for a in result.actors}
    assert {rel.source_id, rel.target_id} <= ids
    assert "syr" in ids  # the state an institution acts for comes along


def test_same_event_in_two_articles_shares_an_event_id(session_nlp, session_extractor):
    from graph.extraction import extract_doc

    ids = []
    for n, text in enumerate(
        [
            "On Sunday, Turkey shot down two Syrian warplanes.",
            "Turkish jets downed two Syrian planes on Sunday, officials said.",
        ]
    ):
        article = Article(id=f"a{n}", text=text, date=MONDAY)
        result = extract_doc(session_nlp(text), article, session_extractor)
        rel = next(r for r in result.relations if r.kind.value == "attacked")
        assert rel.date == dt.date(2020, 3, 1)
        ids.append(rel.event_id)
    assert ids[0] is not None and ids[0] == ids[1]


def test_chunked_article_offsets(session_nlp, session_extractor):
    from graph.build import extract_articles

    paragraph = "Russian forces shelled Ukrainian positions near Bakhmut. "
    text = "\n\n".join(paragraph * 3 for _ in range(40))
    session_nlp.max_length, saved = 2000, session_nlp.max_length
    try:
        results = list(extract_articles([Article(id="long", text=text)], session_nlp, session_extractor))
    finally:
        session_nlp.max_length = saved
    assert len(results) == 1
    rels = results[0].relations
    assert len(rels) >= 40
    assert all(text[r.evidence.start : r.evidence.end] == r.evidence.text for r in rels)


def test_public_surface_is_the_extractor_and_its_two_functions():
    import graph.extraction as extraction

    assert extraction.__all__ == ["Extractor", "extract_doc", "load_extractor"]
    assert all(callable(getattr(extraction, name)) for name in extraction.__all__)
