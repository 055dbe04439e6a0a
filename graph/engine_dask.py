"""The Dask engine: parse and extract on a Dask cluster; the driver gathers records and writes.

Articles go to the workers in batches (``BuildOptions.task_size`` per task), each worker loads the
spaCy pipeline once (:func:`graph.build.extract_batch` keeps it per process) and sends back
``ArticleResult`` records with their N-Triples, never spaCy Docs. The driver keeps a bounded window
of tasks in flight and takes results in input order, so the outputs are the same as the local
engine's. Without a scheduler address a ``LocalCluster`` of single-threaded worker processes is
started: spaCy holds the GIL for much of a parse, so threads in one worker would not run in parallel.

Needs ``pip install 'conflictkg[dask]'``; on a real cluster every worker needs conflictkg and the
spaCy pipeline installed (see the README).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from graph.errors import ConfigError

if TYPE_CHECKING:
    from graph.build import BuildOptions
    from graph.records import Article, ArticleResult

__all__ = ["dask_results", "open_client"]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = "20s"  # how long to wait for a scheduler given by address


def open_client(scheduler: str | None, workers: int):
    """A ``distributed.Client`` on ``scheduler``, or on a new LocalCluster of ``workers`` processes.

    Raises:
        ConfigError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ConfigError("the dask engine needs Dask: pip install 'conflictkg[dask]'") from exc
    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it with "
                "`dask scheduler` and check the address"
            ) from exc
    import dask

    n = max(1, workers)
    # One thread per worker process (spaCy and extraction hold the GIL), no dashboard (it needs bokeh
    # and a free port), and no statistical profiler: it samples every thread's Python stack every
    # 10 ms under the GIL, which measurably slows a pure-Python workload (see benchmarks/dask_bench.py).
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    return Client(cluster)


def dask_results(
    articles: Iterable[Article], options: BuildOptions, with_ntriples: bool = True
) -> Iterator[tuple[ArticleResult, str]]:
    """(result, N-Triples) per article, in input order, computed on the Dask cluster."""
    from graph.build import batched, extract_batch, in_order

    client = open_client(options.scheduler, options.workers)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        log.info("dask: %d workers at %s", n_workers, client.scheduler.address)

        def submit(batch: list[Article]):
            # pure=False: two identical batches are still two tasks (and keys never collide)
            return client.submit(
                extract_batch,
                batch,
                options.model,
                options.actors_files,
                options.batch_size,
                with_ntriples,
                options.models,
                pure=False,
            )

        yield from in_order(submit, batched(articles, options.task_size), window=2 * n_workers + 1)
    finally:
        cluster = client.cluster if not options.scheduler else None
        client.close()
        if cluster is not None:
            cluster.close()
