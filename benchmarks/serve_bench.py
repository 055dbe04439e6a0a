"""Benchmark the SPARQL endpoint under a careless-analyst load; prints throughput and p50/p99 latency.

    python benchmarks/serve_bench.py [--graph FILE] [--clients 16] [--queries 800] [--every 100]
                                     [--repeat 3] [--runaway count|select] [--unique]
                                     [--serve-arg=--workers=2 ...]

The issue-15 load: ``conflictkg serve GRAPH`` with its default settings, started as its own process
(so the load generator's GIL does not slow the server), and ``--clients`` threads sending
``--queries`` queries between them, once with only ordinary queries
(``SELECT ?s ?t WHERE { ?s ck:attacked ?t }``) and once with one in ``--every`` replaced by a
runaway four-way cross product. Each load runs ``--repeat`` times, each on a fresh server, and the
median is printed too: runs take a second or two, so one run says little on a shared machine.

Two runaways: ``count`` (default) counts the product, ``SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c .
?d ?e ?f . ?g ?h ?i . ?j ?k ?l }``, which never finishes (726^4 rows on the seeds graph) and so
must end in 503 at the timeout; ``select`` asks for the rows (``SELECT *``), which the result cap
(``--max-results``) ends after 10,000 rows, so it is answered (200, truncated) when the heavy lane
has room.

Printed per run: ordinary queries per second (wall time of the run), p50/p99/max latency of
ordinary queries, status counts, and for runaways their statuses and slowest answer. Targets of
issue 15 (with runaways): every ordinary query 200, ordinary p99 < 500 ms, every runaway 503 within
the timeout + 1 s. The default graph is the seeds graph (``conflictkg build seeds``), as a new user
has it after ``make run``. Everything goes to 127.0.0.1 and the run stops by itself.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDINARY = "PREFIX ck: <https://w3id.org/conflictkg/ontology#>\nSELECT ?s ?t WHERE { ?s ck:attacked ?t }"
RUNAWAYS = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "select": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
}
REQUEST_TIMEOUT = 60.0  # seconds a client waits for one answer; nothing should come near it


@dataclass(frozen=True, slots=True)
class Answer:
    """One request's outcome as the client saw it."""

    runaway: bool
    status: int
    seconds: float
    retry_after: str | None
    done: float = 0.0  # when the answer was complete (perf_counter)


def _cli() -> list[str]:
    return [sys.executable, "-c", "from graph.cli import main; main()"]


def seeds_graph(folder: Path) -> Path:
    """The graph a new user has after ``make run``: the bundled seeds, built into ``folder``."""
    subprocess.run(
        [*_cli(), "build", str(ROOT / "seeds"), "-o", str(folder), "--no-html"],
        check=True,
        capture_output=True,
        timeout=600,
        cwd=ROOT,
    )
    return folder / "graph.ttl"


class Server:
    """``conflictkg serve GRAPH --port 0 [extra]`` in its own process group, stopped with Ctrl-C."""

    def __init__(self, graph: Path, extra: list[str]) -> None:
        self.process = subprocess.Popen(
            [*_cli(), "serve", str(graph), "--port", "0", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # "SPARQL endpoint: http://127.0.0.1:PORT/sparql ..."
        if not line.startswith("SPARQL endpoint: "):
            self.stop()
            raise SystemExit(f"the server did not start: {line!r}")
        self.url = line.split()[2]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


def _ask(url: str, query: str, runaway: bool) -> Answer:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            status, retry = response.status, response.headers.get("Retry-After")
    except urllib.error.HTTPError as exc:
        exc.read()
        status, retry = exc.code, exc.headers.get("Retry-After")
    except OSError:
        status, retry = 0, None  # connection refused, reset or timed out
    finished = time.perf_counter()
    return Answer(runaway, status, finished - started, retry, finished)


def run_load(
    url: str, clients: int, queries: int, every: int, runaway: str, unique: bool
) -> tuple[list[Answer], float]:
    """Send the queries from ``clients`` threads; return every answer and when the run started."""
    plan = [
        (RUNAWAYS[runaway], True)
        if every and i % every == every // 2
        else (ORDINARY + (f"\n# query {i}" if unique else ""), False)
        for i in range(queries)
    ]
    answers: list[Answer] = []
    lock = threading.Lock()
    todo = iter(plan)

    def client() -> None:
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            answer = _ask(url, *item)
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, started


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


@dataclass(frozen=True, slots=True)
class Figures:
    """One run's figures; throughput counts ordinary answers until the last of them."""

    ordinary: int
    ok: int
    per_second: float
    p50: float
    p99: float
    slowest: float
    statuses: dict[int, int]
    runaway_statuses: dict[int, int]
    runaway_slowest: float
    retry_after: tuple[str, ...]


def _count(values: list[int]) -> dict[int, int]:
    return {v: values.count(v) for v in sorted(set(values))}


def summarise(answers: list[Answer], started: float) -> Figures:
    ordinary = [a for a in answers if not a.runaway]
    runaways = [a for a in answers if a.runaway]
    latencies = sorted(a.seconds for a in ordinary)
    ok = sum(a.status == 200 for a in ordinary)
    return Figures(
        ordinary=len(ordinary),
        ok=ok,
        per_second=ok / (max(a.done for a in ordinary) - started),
        p50=statistics.median(latencies),
        p99=latencies[max(0, int(len(latencies) * 0.99 + 0.5) - 1)],
        slowest=latencies[-1],
        statuses=_count([a.status for a in ordinary]),
        runaway_statuses=_count([a.status for a in runaways]),
        runaway_slowest=max((a.seconds for a in runaways), default=0.0),
        retry_after=tuple(sorted({a.retry_after for a in runaways if a.retry_after})),
    )


def report(run: str, f: Figures) -> None:
    line = (
        f"  {run}: ordinary {f.ok}/{f.ordinary} answered 200 {f.statuses}; {f.per_second:,.0f} queries/s; "
        f"p50 {_ms(f.p50)}, p99 {_ms(f.p99)}, max {_ms(f.slowest)}"
    )
    if f.runaway_statuses:
        line += (
            f"; runaways {f.runaway_statuses}, slowest {f.runaway_slowest:.2f} s, "
            f"Retry-After {', '.join(f.retry_after) or 'none'}"
        )
    print(line, flush=True)


def report_median(runs: list[Figures]) -> None:
    """The median figures of the runs, and whether the issue's conditions held in every run."""
    line = (
        f"  median of {len(runs)}: {statistics.median(f.per_second for f in runs):,.0f} queries/s, "
        f"p50 {_ms(statistics.median(f.p50 for f in runs))}, "
        f"p99 {_ms(statistics.median(f.p99 for f in runs))}; "
        f"every ordinary query 200 in every run: {all(f.ok == f.ordinary for f in runs)}"
    )
    if any(f.runaway_statuses for f in runs):
        line += f"; slowest runaway answer {max(f.runaway_slowest for f in runs):.2f} s"
    print(line, flush=True)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="graph file to serve (default: the seeds, built now)")
    parser.add_argument("--clients", type=int, default=16, help="client threads (default 16)")
    parser.add_argument("--queries", type=int, default=800, help="queries per run (default 800)")
    parser.add_argument("--every", type=int, default=100, help="one runaway in this many (default 100)")
    parser.add_argument("--runaway", choices=sorted(RUNAWAYS), default="count", help="default count")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each load, fresh server each (default 3)"
    )
    parser.add_argument(
        "--unique",
        action="store_true",
        help="make every ordinary query's text differ (a comment), so no cache in the server helps",
    )
    parser.add_argument(
        "--serve-arg",
        action="append",
        default=[],
        help="an option for conflictkg serve, e.g. --serve-arg=--workers=2 (repeatable)",
    )
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    extra = [part for item in args.serve_arg for part in item.split("=", 1)]
    print(f"server: conflictkg serve GRAPH {' '.join(extra) or '(defaults)'}")
    unique = ", every ordinary query text different" if args.unique else ""
    print(f"load: {args.clients} clients, {args.queries} queries per run, runaway: {args.runaway}{unique}")
    with tempfile.TemporaryDirectory(prefix="conflictkg-serve-bench-") as tmp:
        graph = args.graph or seeds_graph(Path(tmp))
        for label, every in (("without runaways", 0), (f"with 1 in {args.every} runaways", args.every)):
            print(f"{label}:")
            runs = []
            for number in range(1, args.repeat + 1):
                server = Server(graph, extra)
                try:
                    _ask(server.url, ORDINARY, False)  # the first query warms the server up; not counted
                    answers, started = run_load(
                        server.url, args.clients, args.queries, every, args.runaway, args.unique
                    )
                finally:
                    server.stop()
                runs.append(summarise(answers, started))
                report(f"run {number}", runs[-1])
            report_median(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
