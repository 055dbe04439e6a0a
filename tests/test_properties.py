"""Property-based tests (hypothesis): random and adversarial input never crashes reading or extraction.

Every property ends in checks that can fail: the number and kind of records, clean text, valid JSON,
and RDF that rdflib parses back.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode

from graph.ingest import read_articles
from graph.records import Article, Skipped

PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")

ENGLISH = (
    "Ukrainian forces shelled Russian positions near Kharkiv on Monday, the army said. "
    "Russia attacked Ukraine with missiles and drones, and the Kremlin said it was ready for talks. "
)
FRAGMENTS = [
    ENGLISH,
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(document.cookie)">click</a>',
    "]]></evidence>\"'<>&",
    " date 2020-03-02 BEIRUT (AP) — ",
    "date 9999-99-99 (((( — ",
    "\x00\x01\x07\x1b[31m\x7f\x85\u2028\u2029",
    "\u202e\u200b\u200d\ufeff",
    "Türkiye’s army ☠️🇺🇦 شنّت إسرائيل غارات 以色列 空袭",
    '\\u0000 \\ud800 {"id": 1}',
    "a" * 5000,
    "\n\n\t \r\n",
    "@prefix ck: <x> . SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "",
]

adversarial_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=200)), max_size=8).map(
    "".join
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """One folder for the whole module (hypothesis does not mix with function-scoped tmp_path)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _fresh(workdir: Path) -> Path:
    folder = Path(tempfile.mkdtemp(dir=workdir))
    return folder


def _check_article(article: Article) -> None:
    assert article.id and article.text
    assert article.text == article.text.strip()
    assert not _FORBIDDEN.search(article.text), repr(article.text[:200])
    assert not _FORBIDDEN.search(article.id)
    article.text.encode("utf-8")  # raises if anything unencodable slipped through


def _check_skipped(skipped: Skipped) -> None:
    assert skipped.origin and skipped.reason
    assert "\n" not in skipped.reason and "Traceback" not in skipped.reason


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_txt_give_one_record(workdir: Path, data: bytes) -> None:
    path = _fresh(workdir) / "random.txt"
    path.write_bytes(data)
    records = list(read_articles([path]))
    assert len(records) == 1
    record = records[0]
    if isinstance(record, Article):
        assert record.id == "random"
        _check_article(record)
    else:
        _check_skipped(record)


@PROPERTY_SETTINGS
@given(text=adversarial_text)
def test_adversarial_text_as_txt_gives_one_clean_record(workdir: Path, text: str) -> None:
    path = _fresh(workdir) / "adv.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    records = list(read_articles([path]))
    assert len(records) == 1
    record = records[0]
    if isinstance(record, Article):
        _check_article(record)
        # markup is text: it is kept, never stripped
        for marker in ("<script>", "onerror=", "javascript:"):
            if marker in text and marker in text.split("—", 1)[-1]:
                assert marker in record.text
    else:
        _check_skipped(record)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | adversarial_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
jsonl_line = st.one_of(
    st.fixed_dictionaries(
        {"id": st.one_of(st.text(max_size=20), st.integers()), "text": adversarial_text}
    ).map(json.dumps),
    st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=10), "text": adversarial_text},
        optional={
            "date": st.text(max_size=25),
            "title": json_values,
            "url": json_values,
            "source": json_values,
        },
    ).map(lambda obj: json.dumps(obj, ensure_ascii=False)),
    json_values.map(json.dumps),
    st.text(max_size=100).filter(lambda s: "\n" not in s and "\r" not in s),
)


@PROPERTY_SETTINGS
@given(lines=st.lists(jsonl_line, max_size=6))
def test_jsonl_lines_each_give_at_most_one_record(workdir: Path, lines: list[str]) -> None:
    path = _fresh(workdir) / "batch.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    records = list(read_articles([path]))
    non_blank = [number for number, line in enumerate("\n".join(lines).split("\n"), 1) if line.strip()]
    if not non_blank or (len(records) == 1 and records[0].origin == str(path)):
        # no lines at all, or a whole file that looks binary (raw control bytes): one file-level skip
        assert len(records) == 1 and isinstance(records[0], Skipped)
        assert records[0].reason in {"empty file", "only whitespace"} or records[0].reason.startswith(
            "binary"
        )
        return
    assert [r.origin for r in records] == [f"{path}:{n}" for n in non_blank]
    ids = [r.id for r in records if isinstance(r, Article)]
    assert len(ids) == len(set(ids))  # duplicates were skipped
    for record in records:
        if isinstance(record, Article):
            _check_article(record)
        else:
            _check_skipped(record)


@PROPERTY_SETTINGS
@given(text=adversarial_text, article_id=st.text(min_size=1, max_size=30))
def test_articles_round_trip_through_jsonl(workdir: Path, text: str, article_id: str) -> None:
    """Reading what was read, written back as JSONL, gives the same article: cleaning is idempotent."""
    folder = _fresh(workdir)
    first_path = folder / "first.jsonl"
    first_path.write_text(json.dumps({"id": article_id, "text": text}) + "\n", encoding="utf-8")
    [first] = read_articles([first_path])
    if not isinstance(first, Article):
        _check_skipped(first)
        return
    second_path = folder / "second.jsonl"
    row = {"id": first.id, "text": first.text, "date": first.date and first.date.isoformat()}
    row |= {"title": first.title, "url": first.url, "source": first.source}
    second_path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    [second] = read_articles([second_path])
    assert isinstance(second, Article)
    assert (second.id, second.text, second.date, second.source) == (
        first.id,
        first.text,
        first.date,
        first.source,
    )


# --- the extractor: parse → extract → JSONL and RDF -----------------------------------------------

CONFLICT_SENTENCES = [
    "Russia attacked Ukraine with drones overnight.",
    "Turkish troops shelled Syrian government positions near Idlib on Sunday.",
    "Iran has backed Hezbollah for decades, officials said.",
    "Armenia and Azerbaijan held talks in Moscow.",
    "Rebels did not attack the convoy, the UN said.",
    "Israel may have struck Hamas targets in Gaza, analysts say.",
    "Ethiopia's government accused Eritrea of sending troops.",
    "Turkey, which backs the rebels, said it shot down two Syrian jets.",
]
article_text = st.lists(
    st.one_of(st.sampled_from(CONFLICT_SENTENCES), st.sampled_from(FRAGMENTS), st.text(max_size=80)),
    min_size=1,
    max_size=10,
).map(" ".join)
article_ids = st.one_of(
    st.text(min_size=1, max_size=20),
    st.sampled_from(["<script>alert(1)</script>", "a b#c?d", "../../etc/passwd", "jo\u0301se", "%2F%00"]),
)


def _articles_via_jsonl(folder: Path, rows: list[tuple[str, str]]) -> list[Article]:
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    return [r for r in read_articles([path]) if isinstance(r, Article)]


@PROPERTY_SETTINGS
@given(rows=st.lists(st.tuples(article_ids, article_text), min_size=1, max_size=3))
def test_extractor_never_crashes_and_writes_valid_jsonl_and_rdf(
    workdir: Path, session_nlp, session_extractor, rows: list[tuple[str, str]]
) -> None:
    from rdflib import Graph

    from graph.build import extract_articles
    from graph.jsonl import relation_record, to_json_line
    from graph.rdf import serialize_graph, to_graph

    articles = _articles_via_jsonl(_fresh(workdir), rows)
    results = list(extract_articles(articles, session_nlp, session_extractor))
    assert [r.article.id for r in results] == [a.id for a in articles]

    for result in results:
        actors = {actor.id: actor for actor in result.actors}
        for relation in result.relations:
            line = to_json_line(relation_record(relation, actors))
            assert "\n" not in line
            record = json.loads(line)
            assert record["article"] == result.article.id
            assert record["sentence"] == relation.evidence.text
            assert (
                result.article.text[relation.evidence.start : relation.evidence.end] == relation.evidence.text
            )
            assert 0 <= record["confidence"] <= 1

    graph = to_graph(results)
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt")):
        text = serialize_graph(graph, fmt)
        text.encode("utf-8")
        parsed = Graph().parse(data=text, format=parser)
        assert len(parsed) == len(graph)
    assert not any(isinstance(node, BNode) for triple in graph for node in triple)
