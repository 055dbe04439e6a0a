"""The Dask engine (graph.engine_dask): the same build on a LocalCluster gives the same outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import make_corpus, outputs, reference, reuse_pipeline
from rdflib.compare import isomorphic

from graph.build import BuildOptions, build, iter_results
from graph.rdf import read_graph

pytest.importorskip("distributed")


@pytest.mark.slow
def test_dask_build_equals_local_build(tmp_path: Path, monkeypatch, session_nlp, session_extractor) -> None:
    corpus = make_corpus(tmp_path / "corpus", extra=2)
    with monkeypatch.context() as mp:  # the reference in this process; Dask workers load their own
        reuse_pipeline(mp, session_nlp, session_extractor)
        ref = reference([corpus])
    out = tmp_path / "out"
    options = BuildOptions(engine="dask", workers=1, task_size=2)
    stats = build([corpus], out, options)
    assert (stats.articles, stats.parsed) == (4, 4)
    assert isomorphic(read_graph(out / "graph.ttl"), ref["graph"])  # type: ignore[arg-type]
    assert (out / "relations.jsonl").read_text(encoding="utf-8") == ref["jsonl"]
    assert (out / "graph.html").read_text(encoding="utf-8") == ref["html"]
    # a second run on the same folder takes everything from the cache and starts no cluster
    again = build([corpus], out, options)
    assert (again.parsed, again.cached) == (0, 4)
    assert outputs(out)["relations.jsonl"] == ref["jsonl"].encode()  # type: ignore[union-attr]


def test_unreachable_scheduler_is_a_config_error(tmp_path: Path, monkeypatch) -> None:
    from graph import engine_dask
    from graph.errors import ConfigError

    monkeypatch.setattr(engine_dask, "CONNECT_TIMEOUT", "1s")

    options = BuildOptions(engine="dask", scheduler="tcp://127.0.0.1:9")
    with pytest.raises(ConfigError, match="scheduler"):
        list(iter_results([make_corpus(tmp_path / "c", extra=0)], options, []))
