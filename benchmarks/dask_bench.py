"""Dask benchmark: why a naive Dask build is slower than spaCy's n_process, and what fixes it.

Prints articles/s for the same generated articles (parse + extraction + N-Triples, no output files):

* spaCy ``nlp.pipe(n_process=2)`` with extraction in the driver (Docs are pickled back);
* our process pool (``BuildOptions(workers=2)``), for reference;
* Dask LocalCluster variants, timed after a warm-up task so cluster start-up and model loading are
  reported separately: 2 processes x 1 thread with one article per task and with batches of 32;
  1 process x 2 threads (the GIL); with and without the workers' statistical profiler; and one article
per task loading the pipeline in every task.

Usage: ``python benchmarks/dask_bench.py [--n 80]``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import texts

from graph.build import BuildOptions, batched, extract_batch, in_order, iter_results
from graph.records import Article


def _uncached_batch(articles: list[Article]) -> list:
    """A task that loads the pipeline itself, as a naive Dask port would."""
    from graph.build import extract_articles
    from graph.extraction import load_extractor
    from graph.nlp import load_pipeline

    nlp = load_pipeline()
    return list(extract_articles(articles, nlp, load_extractor(nlp)))


def _dask(
    articles: list[Article], *, n_workers: int, threads: int, task_size: int, func=None, profile: bool = True
) -> tuple[float, float]:
    """(start-up seconds, processing seconds) on a fresh LocalCluster."""
    import dask
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with dask.config.set({"distributed.worker.profile.enabled": profile}):
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    client = Client(cluster)
    if func is None:  # warm every worker: load the pipeline once per process
        client.run(lambda: extract_batch([], None, ()))
    startup = time.perf_counter() - start
    start = time.perf_counter()
    if func is None:

        def submit(batch):
            return client.submit(extract_batch, batch, None, (), 16, True, pure=False)
    else:

        def submit(batch):
            return client.submit(func, batch, pure=False)

    for _ in in_order(submit, batched(articles, task_size), window=2 * n_workers * threads + 1):
        pass
    work = time.perf_counter() - start
    client.close()
    cluster.close()
    return startup, work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=80)
    args = parser.parse_args()
    n = args.n
    articles = [Article(id=f"d{i}", text=t) for i, t in enumerate(texts(n, seed=3))]

    from graph.build import extract_articles
    from graph.extraction import load_extractor
    from graph.nlp import load_pipeline

    nlp = load_pipeline()
    extractor = load_extractor(nlp)
    start = time.perf_counter()
    for _ in extract_articles(articles, nlp, extractor, workers=2):
        pass
    spacy_np = time.perf_counter() - start
    print(f"dask bench: {n} articles")
    print(
        f"  spaCy nlp.pipe(n_process=2), extraction in driver : {n / spacy_np:6.2f} articles/s "
        "(incl. start-up)"
    )

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp, "c.jsonl")
        import json

        corpus.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles))
        start = time.perf_counter()
        for _ in iter_results([corpus], BuildOptions(workers=2), []):
            pass
        pool = time.perf_counter() - start
    print(f"  process pool, 2 workers, 32 per task             : {n / pool:6.2f} articles/s (incl. start-up)")

    variants = (
        ("2 proc x 1 thread, 1 article per task, profiler on ", {"task_size": 1}),
        ("2 proc x 1 thread, 32 per task, profiler on       ", {"task_size": 32}),
        ("2 proc x 1 thread, 32 per task, profiler off      ", {"task_size": 32, "profile": False}),
        (
            "1 proc x 2 threads, 32 per task, profiler off     ",
            {"task_size": 32, "profile": False, "n_workers": 1, "threads": 2},
        ),
    )
    for label, kw in variants:
        opts = {"n_workers": 2, "threads": 1, **kw}
        startup, work = _dask(articles, **opts)  # type: ignore[arg-type]
        print(f"  Dask {label}: {n / work:6.2f} articles/s after {startup:.1f} s start-up")
    few = articles[: min(8, n)]
    startup, work = _dask(few, n_workers=2, threads=1, task_size=1, func=_uncached_batch)
    print(
        f"  Dask 2 proc x 1 thread, pipeline loaded per task: {len(few) / work:6.2f} articles/s "
        f"({work / len(few):.1f} s per task)"
    )


if __name__ == "__main__":
    main()
