"""Wire the pipeline: read articles, parse, extract, and write the graph, page and relations.

This is the one place that connects the stages (ingest → nlp → extract → rdf / jsonl / viz).
A build runs in two passes, both streamed so memory does not grow with the corpus:

1. every article not already in the build cache (``out/.conflictkg``, see :mod:`graph.cache`) is
   parsed and extracted, in this process, in ``--workers`` processes or on a Dask cluster, and what
   the outputs need of its result (N-Triples, relations.jsonl lines, the page's edges:
   :class:`graph.outputs.ArticleOutputs`) is stored in the cache as soon as it is done;
2. the outputs are assembled from the cache in input order: ``relations.jsonl`` line by line, the
   graph through a temporary N-Triples file sorted on disk, the page from an
   incrementally projected network (:mod:`graph.outputs`).

An interrupted build therefore resumes where it stopped, and a re-run with new articles parses only
those. Every output is written atomically and all of them together (:func:`graph.io.staged_outputs`).
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import shutil
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import ConfigError, InputError, OutputError
from graph.records import Article, ArticleResult, Skipped

__all__ = [
    "ENGINES",
    "BuildOptions",
    "BuildStats",
    "build",
    "count_articles",
    "extract_articles",
    "extract_batch",
    "iter_results",
]

log = logging.getLogger(__name__)

FORMAT_FILES = {"turtle": "graph.ttl", "nt": "graph.nt", "nquads": "graph.nq", "json-ld": "graph.jsonld"}
ENGINES = ("local", "dask")
_COMMIT_EVERY = 64  # articles between cache commits: what an interrupted build may have to redo
_MAX_WRITTEN = 100_000  # actors' N-Triples remembered as written, so memory stays bounded


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildOptions:
    """Settings of a build; the CLI fills them from its flags."""

    model: str | None = None  # the English pipeline (None: the default)
    models: tuple[tuple[str, str], ...] = ()  # (language, pipeline) for the other languages
    lang: str | None = None  # read every article as this language instead of detecting it
    workers: int = 1  # local engine: parser processes; dask engine: LocalCluster workers
    batch_size: int = 16  # articles per nlp.pipe batch
    actors_files: tuple[Path, ...] = ()
    formats: tuple[str, ...] = ("turtle",)
    html: bool = True
    append: bool = False
    all_modalities: bool = False  # relations.jsonl: every statement, not only direct edges
    engine: str = "local"  # "local" or "dask"
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    task_size: int = 32  # articles per task sent to a worker process or Dask worker
    resume: bool = True  # reuse results cached in out/.conflictkg by earlier runs


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildStats:
    """What a build did, for the summary the CLI prints."""

    articles: int = 0
    skipped: tuple[Skipped, ...] = ()
    actors: int = 0
    relations: dict[str, int] = field(default_factory=dict)  # direct edges by kind (statements)
    statements: int = 0
    unresolved: int = 0
    outputs: tuple[Path, ...] = ()
    parsed: int = 0  # articles parsed in this run
    cached: int = 0  # articles whose result came from the build cache


# --- parsing and extraction -----------------------------------------------------------------------


def model_for(options: BuildOptions, lang: str) -> str | None:
    """The pipeline ``options`` name for a language (None: that language's default)."""
    if lang == "en":
        return options.model
    return dict(options.models).get(lang)


def by_language(articles: Iterable[Article]) -> Iterator[tuple[str, Iterator[Article]]]:
    """Consecutive runs of articles in one language, in input order (a mixed folder alternates)."""
    yield from itertools.groupby(articles, key=lambda a: a.lang)


def extract_articles(
    articles: Iterable[Article], nlp, extractor, *, batch_size: int = 16, workers: int = 1, places=None
) -> Iterator[ArticleResult]:
    """Parse and extract articles in batches, yielding one result per article in input order.

    Articles longer than the pipeline's ``max_length`` are parsed in paragraph-aligned chunks and
    their results merged. ``workers`` > 1 uses spaCy's own ``n_process`` (Docs travel back to this
    process to be extracted); :func:`iter_results` with ``BuildOptions(workers=N)`` is faster.
    ``places`` (a :class:`graph.geocode.PlaceFinder`) gives statements that name a place coordinates.
    """
    from graph.extraction import extract_doc
    from graph.nlp import chunk_text

    max_chars = min(nlp.max_length, 100_000)

    def pieces() -> Iterator[tuple[str, tuple[Article, int, int]]]:
        for article in articles:
            chunks = chunk_text(article.text, max_chars)
            for n, (offset, piece) in enumerate(chunks):
                yield piece, (article, offset, len(chunks) - n - 1)

    pending: list[ArticleResult] = []
    for doc, (article, offset, remaining) in nlp.pipe(
        pieces(), as_tuples=True, batch_size=batch_size, n_process=max(1, workers)
    ):
        pending.append(extract_doc(doc, article, extractor, offset))
        if remaining == 0:
            result = _merge(pending) if len(pending) > 1 else pending[0]
            if places is not None:
                from graph.geocode import geocode_result

                result = geocode_result(result, places)
            yield result
            pending = []


def _merge(parts: list[ArticleResult]) -> ArticleResult:
    actors = {a.id: a for p in parts for a in p.actors}
    return ArticleResult(
        article=parts[0].article,
        actors=tuple(sorted(actors.values(), key=lambda a: a.id)),
        mentions=tuple(m for p in parts for m in p.mentions),
        relations=tuple(r for p in parts for r in p.relations),
        unresolved=tuple(u for p in parts for u in p.unresolved),
        warnings=tuple(w for p in parts for w in p.warnings),
    )


@functools.lru_cache(maxsize=4)
def _worker_pipeline(model: str | None, actors_files: tuple[Path, ...], lang: str = "en"):
    """The pipeline and extractor of a worker process, loaded on its first task.

    The one module-level cache in conflictkg, and on purpose: a worker process (multiprocessing or
    Dask) runs many tasks, and loading spaCy and the gazetteer per task would cost more than the
    parse. Inside a driver process everything is passed down as arguments instead.
    """
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one core per worker: BLAS threads would oversubscribe
    from graph.extraction import load_extractor
    from graph.geocode import PlaceFinder
    from graph.nlp import load_pipeline

    nlp = load_pipeline(model) if lang == "en" else load_pipeline(model, lang)
    return nlp, load_extractor(nlp, actors_files), PlaceFinder()


def extract_batch(
    articles: list[Article],
    model: str | None,
    actors_files: tuple[Path, ...],
    batch_size: int = 16,
    with_ntriples: bool = True,
    models: tuple[tuple[str, str], ...] = (),
) -> list[tuple[ArticleResult, str]]:
    """Parse and extract a batch of articles in a worker; the task of the process and Dask engines.

    Returns picklable records (never spaCy Docs), with each article's N-Triples when asked
    (:func:`graph.outputs.article_ntriples`: its actors' triples are made once, in the driver), so
    the driver only writes. ``model`` is the English pipeline, ``models`` the other languages'; a
    worker loads a language's pipeline on its first article in that language.
    """
    from graph.outputs import article_ntriples

    out = []
    for lang, run in by_language(articles):
        name = model if lang == "en" else dict(models).get(lang)
        nlp, extractor, places = _worker_pipeline(name, tuple(actors_files), lang)
        for r in extract_articles(run, nlp, extractor, batch_size=batch_size, places=places):
            out.append((r, article_ntriples(r) if with_ntriples else ""))
    return out


def _warm_worker(model: str | None, actors_files: tuple[Path, ...]) -> None:
    _worker_pipeline(model, actors_files)


def batched(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def in_order(
    submit: Callable[[list[Article]], object], batches: Iterable[list[Article]], window: int
) -> Iterator[tuple[ArticleResult, str]]:
    """Results of ``submit``ted batches in input order, with at most ``window`` batches in flight.

    ``submit`` returns a future (concurrent.futures or Dask) whose ``result()`` is a list; the
    window keeps the input from being read far ahead of the workers, so memory stays bounded.
    """
    pending: deque = deque()
    try:
        for batch in batches:
            pending.append(submit(batch))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _pool_results(
    articles: Iterable[Article], options: BuildOptions, with_ntriples: bool
) -> Iterator[tuple[ArticleResult, str]]:
    """The local engine with ``workers`` > 1: a process pool, one pipeline per process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the driver may run threads (progress bar, SQLite) that fork would copy mid-state
    with ProcessPoolExecutor(
        options.workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_warm_worker,
        initargs=(options.model, options.actors_files),
    ) as pool:

        def submit(batch: list[Article]):
            return pool.submit(
                extract_batch,
                batch,
                options.model,
                options.actors_files,
                options.batch_size,
                with_ntriples,
                options.models,
            )

        yield from in_order(submit, batched(articles, options.task_size), window=2 * options.workers)


def _nonempty(items: Iterable[Article]) -> Iterator[Article] | None:
    """``items`` as an iterator, or None when there is none (so no worker or cluster is started)."""
    it = iter(items)
    for first in it:
        return itertools.chain([first], it)
    return None


def _engine_results(
    articles: Iterable[Article],
    options: BuildOptions,
    with_ntriples: bool,
    on_loaded: Callable[[], None] | None = None,
) -> Iterator[tuple[ArticleResult, str]]:
    """Results on the chosen engine; ``on_loaded`` is called when this process has loaded a
    pipeline and its extractor (:func:`graph.heap.long_lived`)."""
    if options.engine not in ENGINES:
        raise ConfigError(f"unknown engine {options.engine!r}; choose from {', '.join(ENGINES)}")
    articles = _nonempty(articles)  # type: ignore[assignment]
    if articles is None:  # everything was cached: load no pipeline, start no worker
        return
    if options.engine == "dask":
        from graph.engine_dask import dask_results

        yield from dask_results(articles, options, with_ntriples)
    elif options.workers > 1:
        yield from _pool_results(articles, options, with_ntriples)
    else:
        from graph.extraction import load_extractor
        from graph.geocode import PlaceFinder
        from graph.nlp import load_pipeline
        from graph.outputs import article_ntriples

        loaded: dict[str, tuple] = {}  # language → (pipeline, extractor), loaded on first use
        places = PlaceFinder()
        for lang, run in by_language(articles):
            if lang not in loaded:
                name = model_for(options, lang)
                nlp = load_pipeline(name) if lang == "en" else load_pipeline(name, lang)
                loaded[lang] = nlp, load_extractor(nlp, options.actors_files)
                if on_loaded is not None:
                    on_loaded()
            nlp, extractor = loaded[lang]
            for result in extract_articles(run, nlp, extractor, batch_size=options.batch_size, places=places):
                yield result, article_ntriples(result) if with_ntriples else ""


def _readable(paths: Iterable[Path], skipped: list[Skipped], lang: str | None = None) -> Iterator[Article]:
    from graph.ingest import read_articles

    for item in read_articles(paths, lang=lang):
        if isinstance(item, Skipped):
            log.warning("skipped %s: %s", item.origin, item.reason)
            skipped.append(item)
        else:
            yield item


def iter_results(
    paths: Iterable[Path],
    options: BuildOptions,
    skipped: list[Skipped],
    on_article: Callable[[ArticleResult], None] | None = None,
) -> Iterator[ArticleResult]:
    """Read, parse and extract every article under ``paths``, in input order, on the chosen engine.

    Skipped inputs go into ``skipped``. Nothing is cached or written.
    """
    for result, _ in _engine_results(_readable(paths, skipped, options.lang), options, with_ntriples=False):
        if on_article is not None:
            on_article(result)
        yield result


def count_articles(paths: Iterable[Path]) -> int:
    """A cheap estimate of how many articles ``paths`` hold (for a progress bar's ETA).

    Counts ``.txt`` files and non-blank lines of ``.jsonl`` files without parsing anything.
    """
    from graph.ingest import ARTICLE_SUFFIXES

    def one(path: Path) -> int:
        suffix = path.suffix.lower()
        if suffix == ".txt":
            return 1
        if suffix != ".jsonl":
            return 0
        n = 0
        try:
            with path.open("rb") as handle:
                for line in handle:
                    n += bool(line.strip())
        except OSError:
            return 0
        return n

    total = 0
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                total += sum(
                    one(Path(root, n))
                    for n in names
                    if not n.startswith(".") and Path(n).suffix.lower() in ARTICLE_SUFFIXES
                )
        else:
            total += one(path)
    return total


# --- the build ------------------------------------------------------------------------------------


def _model_identity(model: str | None, lang: str = "en") -> tuple[str, str]:
    """(name, version) of the pipeline ``load_pipeline(model, lang)`` would load, without loading it."""
    import spacy

    from graph.nlp import DEFAULT_MODELS, installed_pipeline

    candidate = installed_pipeline(model, lang)
    if candidate is None:
        return model or DEFAULT_MODELS[lang], "?"  # load_pipeline raises the proper error later
    if spacy.util.is_package(candidate):
        return candidate, spacy.util.get_package_version(candidate) or "?"
    meta = Path(candidate, "meta.json")
    return str(Path(candidate).resolve()), meta.read_text() if meta.is_file() else "?"


def _parse_new(
    paths: list[Path],
    options: BuildOptions,
    cache,
    skipped: list[Skipped],
    on_article: Callable[[ArticleResult], None] | None,
    on_cached: Callable[[Article], None] | None,
    on_loaded: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """Pass 1: parse every article the cache does not hold; return (articles, parsed)."""
    from graph.cache import article_digest
    from graph.outputs import article_outputs

    digests: dict[str, str] = {}  # of articles in flight only
    seen = 0

    def uncached() -> Iterator[Article]:
        nonlocal seen
        for article in _readable(paths, skipped, options.lang):
            seen += 1
            digest = article_digest(article)
            if cache.note(article, digest):
                if on_cached is not None:
                    on_cached(article)
                continue
            digests[article.id] = digest
            yield article

    parsed = 0
    try:
        for result, nt in _engine_results(uncached(), options, with_ntriples=True, on_loaded=on_loaded):
            article_id = result.article.id
            cache.put(article_id, digests.pop(article_id), nt, article_outputs(result))
            parsed += 1
            if parsed % _COMMIT_EVERY == 0:
                cache.commit()
            if on_article is not None:
                on_article(result)
    finally:
        cache.commit()  # whatever happens next, the work done so far is kept for the next run
    return seen, parsed


def build(
    paths: Iterable[Path],
    out_dir: Path,
    options: BuildOptions = BuildOptions(),
    on_article: Callable[[ArticleResult], None] | None = None,
    *,
    on_cached: Callable[[Article], None] | None = None,
) -> BuildStats:
    """Build ``graph.ttl`` (and other formats), ``graph.html`` and ``relations.jsonl`` in ``out_dir``.

    Articles already built into ``out_dir`` with the same content and configuration are not parsed
    again (unless ``options.resume`` is False). ``on_article`` is called with each newly parsed
    article's result, ``on_cached`` with each article taken from the cache. Every file is written
    atomically: a failed run leaves earlier outputs as they were.

    Raises:
        InputError: no path exists, or no article could be read at all.
    """
    from graph.cache import CACHE_DIR, ResultCache, fingerprint
    from graph.heap import long_lived

    paths = list(paths)
    bad = [f for f in options.formats if f not in FORMAT_FILES]
    if bad:
        raise ConfigError(f"unknown format {bad[0]!r}; choose from {', '.join(FORMAT_FILES)}")
    skipped: list[Skipped] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc})") from exc
    name, version = _model_identity(options.model)
    for lang in sorted({"fr", *dict(options.models)}):  # every language's pipeline decides results
        other = _model_identity(model_for(options, lang), lang)
        name, version = f"{name}|{other[0]}", f"{version}|{other[1]}"
    config = fingerprint(name, version, options.actors_files)
    cache = ResultCache(out_dir / CACHE_DIR, config, reuse=options.resume)
    try:
        with long_lived() as loaded:  # the pipeline and gazetteer stay out of the collector's full passes
            n_articles, parsed = _parse_new(paths, options, cache, skipped, on_article, on_cached, loaded)
            if n_articles == 0:
                reasons = "; ".join(f"{s.origin}: {s.reason}" for s in skipped[:3])
                raise InputError(
                    "no article could be read"
                    + (f" ({reasons})" if reasons else "")
                    + "; give .txt or .jsonl files, or folders of them"
                )
            stats = _assemble(cache, paths, out_dir, options)
    finally:
        cache.close()
    return BuildStats(
        articles=n_articles, skipped=tuple(skipped), parsed=parsed, cached=n_articles - parsed, **stats
    )


def _assemble(cache, paths: list[Path], out_dir: Path, options: BuildOptions) -> dict:
    """Pass 2: write every output from the cached results of this run, in input order."""
    from graph.cache import CACHE_DIR
    from graph.io import atomic_writer, staged_outputs
    from graph.outputs import (
        ArticleOutputs,
        NetworkProjection,
        sort_lines,
        to_nquads,
        turtle_to_ntriples,
        write_turtle,
    )
    from graph.viz import MAX_EVIDENCE
    from graph.vocab import article_iri

    kinds: Counter[str] = Counter()
    actor_ids: set[str] = set()
    statements = unresolved = 0
    written: set[str] = set()  # actors' N-Triples already in the file
    projection = NetworkProjection(MAX_EVIDENCE)
    jsonl_path = out_dir / "relations.jsonl"
    outputs = [jsonl_path]
    existing_ttl = out_dir / FORMAT_FILES["turtle"]
    merge_existing = options.append and existing_ttl.exists()
    with (
        tempfile.TemporaryDirectory(prefix="assemble-", dir=out_dir / CACHE_DIR) as tmp_name,
        staged_outputs(),
    ):
        tmp = Path(tmp_name)
        nt_path, nq_path = tmp / "graph.nt", tmp / "graph.nq"
        with (
            atomic_writer(jsonl_path) as out,
            nt_path.open("w", encoding="utf-8") as nt_file,
            nq_path.open("w", encoding="utf-8") as nq_file,
        ):
            if options.append and jsonl_path.exists():
                with jsonl_path.open(encoding="utf-8") as old:
                    out.writelines(old)
            for article_id, nt, record in cache.run_articles():
                cached = ArticleOutputs._make(record)
                actor_ids.update(cached.actor_ids)
                unresolved += cached.unresolved
                nt_file.write(nt)
                for block in cached.actors_ntriples:  # the sort drops repeats; most are dropped here
                    if block not in written:
                        nt_file.write(block)
                        if len(written) < _MAX_WRITTEN:
                            written.add(block)
                if "nquads" in options.formats:
                    nq_file.write(
                        to_nquads(nt + "".join(cached.actors_ntriples), str(article_iri(article_id)))
                    )
                if options.html and not merge_existing:
                    projection.add_entries(article_id, cached.edges, cached.nodes)
                for kind, is_edge, line in cached.statements:
                    statements += 1
                    if is_edge:
                        kinds[kind] += 1
                    if is_edge or options.all_modalities:
                        out.write(line + "\n")
        if merge_existing:
            with nt_path.open("a", encoding="utf-8") as nt_file:
                turtle_to_ntriples(existing_ttl, nt_file)
        sorted_nt = tmp / "sorted.nt"
        with sorted_nt.open("w", encoding="utf-8") as handle:
            sort_lines(nt_path, handle)
        if merge_existing:  # the earlier graph may hold imported dataset events: fuse the new articles
            from graph.fusion import fuse

            fused_nt = tmp / "fused.nt"
            with fused_nt.open("w", encoding="utf-8") as handle:
                fusion = fuse(sorted_nt, handle)
            if fusion is not None:
                fused_nt.replace(sorted_nt)
        rdflib_graph = None
        for fmt in options.formats:
            target = out_dir / FORMAT_FILES[fmt]
            with atomic_writer(target) as handle:
                if fmt == "turtle":
                    write_turtle(sorted_nt, handle)
                elif fmt == "nt":
                    with sorted_nt.open(encoding="utf-8") as lines:
                        shutil.copyfileobj(lines, handle)
                elif fmt == "nquads":
                    sort_lines(nq_path, handle)
                else:  # JSON-LD needs the whole graph in memory (rdflib)
                    from graph.rdf import read_graph, serialize_graph

                    rdflib_graph = rdflib_graph or read_graph(sorted_nt)
                    handle.write(serialize_graph(rdflib_graph, fmt))
            outputs.append(target)
        if options.html:
            from graph.viz import write_html

            if merge_existing:  # the earlier graph's statements are only in its triples: project them all
                from graph.network import to_networkx
                from graph.rdf import read_graph

                G = to_networkx(rdflib_graph or read_graph(sorted_nt))
            else:
                G = projection.to_networkx()
            html_path = out_dir / "graph.html"
            write_html(G, html_path, title="conflictkg: " + ", ".join(p.name for p in paths))
            outputs.append(html_path)
    return {
        "actors": len(actor_ids),
        "relations": dict(kinds),
        "statements": statements,
        "unresolved": unresolved,
        "outputs": tuple(outputs),
    }
