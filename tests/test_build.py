"""The streamed build (graph.build): same outputs as the in-memory reference, atomic, deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import make_corpus, outputs, reference, reuse_pipeline
from rdflib.compare import isomorphic

from graph.build import BuildOptions, build, count_articles
from graph.rdf import read_graph, serialize_graph, to_dataset


@pytest.fixture(autouse=True)
def _pipeline(monkeypatch, session_nlp, session_extractor):
    reuse_pipeline(monkeypatch, session_nlp, session_extractor)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return make_corpus(tmp_path / "corpus", extra=3)


def test_streamed_build_equals_in_memory_reference(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stats = build([corpus], out, BuildOptions(formats=("turtle", "nt", "nquads")))
    ref = reference([corpus])
    assert stats.articles == 5 and stats.parsed == 5 and stats.cached == 0
    assert stats.statements == sum(len(r.relations) for r in ref["results"])  # type: ignore[union-attr]
    assert stats.relations["attacked"] > 0
    built = read_graph(out / "graph.ttl")
    assert len(built) > 500
    assert isomorphic(built, ref["graph"])  # type: ignore[arg-type]
    assert (out / "graph.nt").read_text(encoding="utf-8") == ref["nt"]
    assert (out / "graph.nq").read_text(encoding="utf-8") == serialize_graph(
        to_dataset(ref["results"]), "nquads"
    )  # type: ignore[arg-type]
    assert (out / "relations.jsonl").read_text(encoding="utf-8") == ref["jsonl"]
    assert (out / "graph.html").read_text(encoding="utf-8") == ref["html"]


def test_two_builds_are_byte_identical(corpus: Path, tmp_path: Path) -> None:
    options = BuildOptions(formats=("turtle", "nt"))
    build([corpus], tmp_path / "a", options)
    build([corpus], tmp_path / "b", options)
    names = ("graph.ttl", "graph.nt", "relations.jsonl", "graph.html")
    assert outputs(tmp_path / "a", names) == outputs(tmp_path / "b", names)


def test_failed_build_leaves_earlier_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    before = outputs(out)
    (corpus / "late.txt").write_text(
        "Syrian forces attacked Turkish troops in Idlib on Monday.\n", encoding="utf-8"
    )

    def fail(_result) -> None:
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        build([corpus], out, on_article=fail)
    assert outputs(out) == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_append_merges_into_existing_graph(corpus: Path, tmp_path: Path) -> None:
    first, second = sorted(corpus.glob("0*.txt"))
    out = tmp_path / "out"
    build([first], out)
    stats = build([second], out, BuildOptions(append=True))
    assert stats.articles == 1
    merged = read_graph(out / "graph.ttl")
    assert isomorphic(merged, reference([first, second])["graph"])  # type: ignore[arg-type]
    lines = (out / "relations.jsonl").read_text(encoding="utf-8").splitlines()
    assert {line.split('"article": "')[1].split('"')[0] for line in lines} == {first.stem, second.stem}
    assert first.stem in (out / "graph.html").read_text(encoding="utf-8")


def test_count_articles_counts_txt_and_jsonl_lines(tmp_path: Path) -> None:
    make_corpus(tmp_path / "c", extra=1)
    (tmp_path / "c" / "more.jsonl").write_text('{"id": 1, "text": "a"}\n\n{"id": 2, "text": "b"}\n')
    (tmp_path / "c" / "notes.md").write_text("not an article")
    assert count_articles([tmp_path / "c"]) == 5


def test_unknown_engine_is_a_config_error(corpus: Path, tmp_path: Path) -> None:
    from graph.errors import ConfigError

    with pytest.raises(ConfigError, match="engine"):
        build([corpus], tmp_path / "out", BuildOptions(engine="spark"))


@pytest.mark.slow
def test_two_worker_processes_give_the_same_outputs(corpus: Path, tmp_path: Path) -> None:
    # the pool's workers load the real pipeline in their own processes (not the session's)
    build([corpus], tmp_path / "one")
    stats = build([corpus], tmp_path / "two", BuildOptions(workers=2, task_size=2))
    assert stats.parsed == 5
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
