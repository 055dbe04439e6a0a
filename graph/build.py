"""Wire the pipeline: read articles, parse, extract, and write the graph, page and relations.

This is the one place that connects the stages (ingest → nlp → extract → rdf / jsonl / viz).
Results stream: relations go to disk as each article is done; the RDF graph keeps only triples.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError
from graph.records import Article, ArticleResult, Skipped

__all__ = ["BuildOptions", "BuildStats", "build", "extract_articles", "iter_results"]

log = logging.getLogger(__name__)

FORMAT_FILES = {"turtle": "graph.ttl", "nt": "graph.nt", "nquads": "graph.nq", "json-ld": "graph.jsonld"}


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildOptions:
    """Settings of a build; the CLI fills them from its flags."""

    model: str | None = None
    workers: int = 1
    batch_size: int = 16
    actors_files: tuple[Path, ...] = ()
    formats: tuple[str, ...] = ("turtle",)
    html: bool = True
    append: bool = False
    all_modalities: bool = False  # relations.jsonl: every statement, not only direct edges


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


def extract_articles(articles: Iterable[Article], nlp, extractor, *, batch_size: int = 16,
                     workers: int = 1) -> Iterator[ArticleResult]:
    """Parse and extract articles in batches, yielding one result per article in input order.

    Articles longer than the pipeline's ``max_length`` are parsed in paragraph-aligned chunks and
    their results merged.
    """
    from graph.extract import extract_doc
    from graph.nlp import chunk_text

    max_chars = min(nlp.max_length, 100_000)

    def pieces() -> Iterator[tuple[str, tuple[Article, int, int]]]:
        for article in articles:
            chunks = chunk_text(article.text, max_chars)
            for n, (offset, piece) in enumerate(chunks):
                yield piece, (article, offset, len(chunks) - n - 1)

    pending: list[ArticleResult] = []
    n_process = max(1, workers)
    for doc, (article, offset, remaining) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size,
                                                      n_process=n_process):
        pending.append(extract_doc(doc, article, extractor, offset))
        if remaining == 0:
            yield _merge(pending) if len(pending) > 1 else pending[0]
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


def iter_results(paths: Iterable[Path], options: BuildOptions, skipped: list[Skipped],
                 on_article: Callable[[ArticleResult], None] | None = None) -> Iterator[ArticleResult]:
    """Read, parse and extract every article under ``paths``; skipped inputs go into ``skipped``."""
    from graph.extract import load_extractor
    from graph.ingest import read_articles
    from graph.nlp import load_pipeline

    nlp = load_pipeline(options.model)
    extractor = load_extractor(nlp, options.actors_files)

    def good() -> Iterator[Article]:
        for item in read_articles(paths):
            if isinstance(item, Skipped):
                log.warning("skipped %s: %s", item.origin, item.reason)
                skipped.append(item)
            else:
                yield item

    for result in extract_articles(good(), nlp, extractor, batch_size=options.batch_size,
                                   workers=options.workers):
        if on_article is not None:
            on_article(result)
        yield result


def build(paths: Iterable[Path], out_dir: Path, options: BuildOptions = BuildOptions(),
          on_article: Callable[[ArticleResult], None] | None = None) -> BuildStats:
    """Build ``graph.ttl`` (and other formats), ``graph.html`` and ``relations.jsonl`` in ``out_dir``.

    Every file is written atomically: a failed run leaves earlier outputs as they were.

    Raises:
        InputError: no path exists, or no article could be read at all.
    """
    from graph.io import atomic_writer
    from graph.jsonl import relation_record, to_json_line
    from graph.rdf import merge_into, result_triples, to_dataset, to_graph, write_graph

    paths = list(paths)
    skipped: list[Skipped] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    kinds: Counter[str] = Counter()
    actor_ids: set[str] = set()
    n_articles = statements = unresolved = 0
    results: list[ArticleResult] = []  # kept only when N-Quads (one graph per article) are wanted
    graph = to_graph(())
    jsonl_path = out_dir / "relations.jsonl"
    with atomic_writer(jsonl_path) as out:
        if options.append and jsonl_path.exists():
            out.write(jsonl_path.read_text(encoding="utf-8"))
        for result in iter_results(paths, options, skipped, on_article):
            n_articles += 1
            actors = {a.id: a for a in result.actors}
            actor_ids.update(actors)
            unresolved += len(result.unresolved)
            for triple in result_triples(result):
                graph.add(triple)
            if "nquads" in options.formats:
                results.append(result)
            for rel in result.relations:
                statements += 1
                if rel.is_edge:
                    kinds[rel.kind.value] += 1
                if rel.is_edge or options.all_modalities:
                    out.write(to_json_line(relation_record(rel, actors)) + "\n")
        if n_articles == 0:
            reasons = "; ".join(f"{s.origin}: {s.reason}" for s in skipped[:3])
            raise InputError("no article could be read" + (f" ({reasons})" if reasons else "")
                             + "; give .txt or .jsonl files, or folders of them")
    outputs = [jsonl_path]
    existing = out_dir / FORMAT_FILES["turtle"]
    if options.append and existing.exists():
        graph = merge_into(existing, graph)
    for fmt in options.formats:
        target = out_dir / FORMAT_FILES[fmt]
        write_graph(to_dataset(results) if fmt == "nquads" else graph, target, fmt)  # type: ignore[arg-type]
        outputs.append(target)
    if options.html:
        from graph.network import to_networkx
        from graph.viz import write_html

        html_path = out_dir / "graph.html"
        write_html(to_networkx(graph), html_path, title="conflictkg: " + ", ".join(p.name for p in paths))
        outputs.append(html_path)
    return BuildStats(articles=n_articles, skipped=tuple(skipped), actors=len(actor_ids), relations=dict(kinds),
                      statements=statements, unresolved=unresolved, outputs=tuple(outputs))
