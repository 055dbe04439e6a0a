"""Import event-dataset exports into the graph: the ``conflictkg import`` command's library function.

Wires the dataset stages (:mod:`graph.datasets` → :mod:`graph.dataset_events`, with actors linked by
:mod:`graph.dataset_actors`) to the streamed outputs a build writes (:mod:`graph.outputs`):
``relations.jsonl`` line by line, the graph through a temporary N-Triples file sorted on disk, the
page from an incrementally projected network. ``--append`` merges into the graph already in the
folder (a build's or another import's), and statements the articles and the dataset both report
are fused (:mod:`graph.fusion`). Rows stream: memory does not grow with the number of rows.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import ConfigError, InputError, OutputError
from graph.fusion import FusionSettings
from graph.records import Skipped

if TYPE_CHECKING:
    from graph.codebooks import Codebooks
    from graph.dataset_actors import ActorLinker

__all__ = ["IMPORT_FORMATS", "ImportOptions", "ImportStats", "import_datasets"]

log = logging.getLogger(__name__)

IMPORT_FORMATS = ("ucdp", "acled", "gdelt")
GRAPH_FILES = {"turtle": "graph.ttl", "nt": "graph.nt"}
_MAX_SKIPPED_KEPT = 1000  # skipped rows kept for the summary; the rest are only counted
_MAX_WARNED = 50  # skipped rows logged one by one per import
_MAX_WRITTEN = 100_000  # actors' N-Triples remembered as written


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportOptions:
    """Settings of an import; the CLI fills them from its flags."""

    release: str | None = None  # the dataset release, e.g. "23.1" (part of the dataset's IRI)
    formats: tuple[str, ...] = ("turtle",)
    html: bool = True
    append: bool = False
    all_modalities: bool = False
    actors_files: tuple[Path, ...] = ()
    fusion: FusionSettings = field(default_factory=FusionSettings)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportStats:
    """What an import did, for the summary the CLI prints."""

    rows: int = 0  # data rows read
    imported: int = 0  # rows that gave at least one statement
    unmapped: int = 0  # rows of event types the mapping does not turn into relations
    skipped: tuple[Skipped, ...] = ()  # the first of the rows that could not be used
    skipped_count: int = 0
    actors: int = 0
    relations: dict[str, int] = field(default_factory=dict)  # direct edges by kind
    statements: int = 0
    fused_events: int = 0  # events a dataset and at least one article both report
    outputs: tuple[Path, ...] = ()


def import_datasets(
    dataset: str,
    files: Iterable[Path],
    out_dir: Path,
    options: ImportOptions = ImportOptions(),
    on_row: Callable[[int], None] | None = None,
) -> ImportStats:
    """Import ``files`` (exports of ``dataset``: ucdp, acled or gdelt) into ``out_dir``.

    Writes ``graph.ttl`` (and ``graph.nt`` when asked), ``relations.jsonl`` and ``graph.html``
    atomically, as ``build`` does. ``on_row`` is called with the number of rows read so far, every
    10,000 rows. A row that cannot be used is skipped with a one-line warning naming its file and
    line; the rest imports.

    Raises:
        ConfigError: unknown dataset or output format.
        InputError: a file is missing or is not an export of ``dataset``, or no row could be read.
        OutputError: the output folder cannot be written.
    """
    from graph.cache import CACHE_DIR
    from graph.codebooks import load_codebooks
    from graph.dataset_actors import ActorLinker
    from graph.gazetteer import load_gazetteer

    if dataset not in IMPORT_FORMATS:
        raise ConfigError(f"unknown dataset format {dataset!r}; choose from {', '.join(IMPORT_FORMATS)}")
    bad = [f for f in options.formats if f not in GRAPH_FILES]
    if bad:
        raise ConfigError(f"unknown graph format {bad[0]!r} for import; choose from {', '.join(GRAPH_FILES)}")
    files = [Path(f) for f in files]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise InputError(f"{missing[0]}: no such file; give the path of a {dataset.upper()} export")
    try:
        (out_dir / CACHE_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc})") from exc
    books = load_codebooks()
    linker = ActorLinker(load_gazetteer(extra=options.actors_files), books)
    with tempfile.TemporaryDirectory(prefix="import-", dir=out_dir / CACHE_DIR) as tmp_name:
        return _run(dataset, files, out_dir, Path(tmp_name), options, books, linker, on_row)


def _run(
    dataset: str,
    files: list[Path],
    out_dir: Path,
    tmp: Path,
    options: ImportOptions,
    books: Codebooks,
    linker: ActorLinker,
    on_row: Callable[[int], None] | None,
) -> ImportStats:
    from graph.dataset_events import RowResult, row_result
    from graph.datasets import read_rows
    from graph.io import atomic_writer, staged_outputs
    from graph.jsonl import relation_record, to_json_line
    from graph.outputs import NetworkProjection, actor_ntriples, relation_edge_entries
    from graph.rdf import NTriplesTerms, dataset_triples, statement_triples
    from graph.viz import MAX_EVIDENCE

    terms = NTriplesTerms()
    info = books.datasets[dataset]
    kinds: Counter[str] = Counter()
    actor_ids: set[str] = set()
    written: set = set()
    skipped: list[Skipped] = []
    rows = imported = unmapped = skipped_count = statements = 0
    projection = NetworkProjection(MAX_EVIDENCE)
    jsonl_path = out_dir / "relations.jsonl"
    existing = out_dir / GRAPH_FILES["turtle"]
    merge_existing = options.append and existing.exists()
    nt_path = tmp / "graph.nt"
    outputs: list[Path] = [jsonl_path]
    with staged_outputs():
        with atomic_writer(jsonl_path) as jsonl, nt_path.open("w", encoding="utf-8") as nt:
            if options.append and jsonl_path.exists():
                with jsonl_path.open(encoding="utf-8") as old:
                    shutil.copyfileobj(old, jsonl)
            nt.writelines(
                f"{s} {p} {o} .\n"
                for s, p, o in dataset_triples(
                    dataset, options.release, info.label, info.licence, info.publisher, terms
                )
            )
            for path in files:
                for item in read_rows(dataset, path):
                    if isinstance(item, Skipped):
                        skipped_count += 1
                        _note_skipped(item, skipped, skipped_count)
                        continue
                    rows += 1
                    if on_row is not None and rows % 10_000 == 0:
                        on_row(rows)
                    result = row_result(item, books, linker, options.release)
                    if result is None:
                        unmapped += 1
                        continue
                    if not isinstance(result, RowResult):
                        skipped_count += 1
                        _note_skipped(result, skipped, skipped_count)
                        continue
                    imported += 1
                    actors = {a.id: a for a in result.actors}
                    for actor in result.actors:
                        block = actor_ntriples(actor)
                        if block not in written:
                            nt.write(block)
                            if len(written) < _MAX_WRITTEN:
                                written.add(block)
                        if len(actor_ids) < _MAX_WRITTEN:
                            actor_ids.add(actor.id)
                    for rel in result.relations:
                        statements += 1
                        nt.writelines(f"{s} {p} {o} .\n" for s, p, o in statement_triples(rel, terms))
                        if rel.is_edge:
                            kinds[rel.kind.value] += 1
                        if rel.is_edge or options.all_modalities:
                            jsonl.write(to_json_line(relation_record(rel, actors)) + "\n")
                    if options.html and not merge_existing:
                        # the dataset, not the row, stands in for the article: the page's edges keep a
                        # set of articles, which must not grow with the rows
                        edges, nodes = relation_edge_entries(result.relations, result.actors)
                        projection.add_entries(dataset.upper(), edges, nodes)
        if rows == 0 and skipped_count == 0:
            raise InputError(
                f"{', '.join(map(str, files))}: no data rows; is this a {dataset.upper()} export?"
            )
        fused = _assemble_graph(nt_path, tmp, out_dir, options, merge_existing, outputs)
        if options.html:
            from graph.viz import write_html

            if merge_existing:  # the earlier graph's statements are only in its triples: project them all
                from graph.network import to_networkx
                from graph.rdf import read_graph

                G = to_networkx(read_graph(tmp / "final.nt"))
            else:
                G = projection.to_networkx()
            html_path = out_dir / "graph.html"
            write_html(
                G, html_path, title=f"conflictkg: {dataset.upper()} " + ", ".join(p.name for p in files)
            )
            outputs.append(html_path)
    if skipped_count > _MAX_WARNED:
        log.warning("%d rows skipped in all (the first %d are listed above)", skipped_count, _MAX_WARNED)
    return ImportStats(
        rows=rows,
        imported=imported,
        unmapped=unmapped,
        skipped=tuple(skipped),
        skipped_count=skipped_count,
        actors=len(actor_ids),
        relations=dict(kinds),
        statements=statements,
        fused_events=fused,
        outputs=tuple(outputs),
    )


def _note_skipped(item: Skipped, kept: list[Skipped], count: int) -> None:
    if count <= _MAX_WARNED:
        log.warning("skipped %s: %s", item.origin, item.reason)
    if len(kept) < _MAX_SKIPPED_KEPT:
        kept.append(item)


def _assemble_graph(
    nt_path: Path, tmp: Path, out_dir: Path, options: ImportOptions, merge_existing: bool, outputs: list[Path]
) -> int:
    """Sort the N-Triples (with the earlier graph when appending), fuse, write the graph files.

    Leaves the final sorted lines in ``tmp/final.nt``; returns the number of fused events.
    """
    from graph.fusion import fuse
    from graph.io import atomic_writer
    from graph.outputs import sort_lines, turtle_to_ntriples, write_turtle

    if merge_existing:
        with nt_path.open("a", encoding="utf-8") as nt:
            turtle_to_ntriples(out_dir / GRAPH_FILES["turtle"], nt)
    sorted_nt, final = tmp / "sorted.nt", tmp / "final.nt"
    with sorted_nt.open("w", encoding="utf-8") as handle:
        sort_lines(nt_path, handle)
    nt_path.unlink()
    stats = None
    if merge_existing:  # only an earlier graph can hold statements from articles to fuse with
        with final.open("w", encoding="utf-8") as handle:
            stats = fuse(sorted_nt, handle, options.fusion)
    if stats is None:
        sorted_nt.replace(final)
    else:
        sorted_nt.unlink()
    for fmt in options.formats:
        target = out_dir / GRAPH_FILES[fmt]
        with atomic_writer(target) as handle:
            if fmt == "turtle":
                write_turtle(final, handle)
            else:
                with final.open(encoding="utf-8") as lines:
                    shutil.copyfileobj(lines, handle)
        outputs.append(target)
    return stats.fused_events if stats else 0
