"""Resumable and incremental builds (graph.build with graph.cache): only new work is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import make_corpus, outputs, reuse_pipeline

from graph.build import BuildOptions, build


@pytest.fixture(autouse=True)
def _pipeline(monkeypatch, session_nlp, session_extractor):
    reuse_pipeline(monkeypatch, session_nlp, session_extractor)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "c", extra=4)


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory, session_nlp, session_extractor) -> dict[str, bytes]:
    """Outputs of one uninterrupted build of the whole corpus."""
    out = tmp_path_factory.mktemp("clean") / "out"
    with pytest.MonkeyPatch.context() as mp:
        reuse_pipeline(mp, session_nlp, session_extractor)
        build([corpus], out)
    return outputs(out)


class Recorder:
    """An ``on_article`` callback that records article ids and can fail after ``stop_after``."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.ids: list[str] = []
        self.stop_after = stop_after

    def __call__(self, result) -> None:
        self.ids.append(result.article.id)
        if self.stop_after is not None and len(self.ids) >= self.stop_after:
            raise KeyboardInterrupt("stopped by the test")


def test_interrupted_build_resumes_and_equals_clean_build(corpus: Path, clean, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = Recorder(stop_after=2)
    with pytest.raises(KeyboardInterrupt):
        build([corpus], out, on_article=first)
    assert not (out / "graph.ttl").exists()  # nothing half-written
    second = Recorder()
    stats = build([corpus], out, on_article=second)
    everything = sorted(p.stem for p in corpus.glob("*.txt"))
    assert first.ids and not set(first.ids) & set(second.ids)  # nothing parsed twice
    assert sorted(first.ids + second.ids) == everything
    assert (stats.parsed, stats.cached, stats.articles) == (len(second.ids), len(first.ids), len(everything))
    assert outputs(out) == clean


def test_new_and_changed_articles_are_the_only_ones_parsed(corpus: Path, clean, tmp_path: Path) -> None:
    part = tmp_path / "copy" / corpus.name  # same folder name: the page title names it
    part.mkdir(parents=True)
    files = sorted(corpus.glob("*.txt"))
    for f in files[:-1]:
        (part / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "out"
    build([part], out)
    (part / files[-1].name).write_bytes(files[-1].read_bytes())  # a new article arrives
    rec = Recorder()
    stats = build([part], out, on_article=rec)
    assert rec.ids == [files[-1].stem] and stats.cached == len(files) - 1
    assert outputs(out) == clean

    changed = part / files[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\nRussia backed Syria.\n", encoding="utf-8")
    rec = Recorder()
    build([part], out, on_article=rec)
    assert rec.ids == [files[0].stem]
    assert b"Russia backed Syria." in (out / "graph.ttl").read_bytes()

    rec = Recorder()
    build([part], out, BuildOptions(resume=False), on_article=rec)
    assert len(rec.ids) == len(files)


def test_other_settings_do_not_reuse_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    extra = tmp_path / "actors.csv"
    extra.write_text(
        "id,label,type,country,acts_for,operates_in,wikidata,aliases,role,from,to\n"
        "idlib_rebels,Idlib rebels,non_state_armed_group,,,SYR,,,,,\n",
        encoding="utf-8",
    )
    rec = Recorder()
    stats = build([corpus], out, BuildOptions(actors_files=(extra,)), on_article=rec)
    assert stats.cached == 0 and len(rec.ids) == stats.articles
