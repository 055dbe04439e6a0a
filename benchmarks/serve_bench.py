"""Benchmark the SPARQL endpoint under a careless-analyst load; prints throughput and p50/p99 latency.

    python benchmarks/serve_bench.py [--graph FILE] [--clients 16] [--queries 800] [--every 100]
                                     [--runaway count|select] [--serve-arg=--workers=2 ...]

The issue-15 load: ``conflictkg serve GRAPH`` with its default settings, started as its own process
(so the load generator's GIL does not slow the server), and ``--clients`` threads sending
``--queries`` queries between them, once with only ordinary queries
(``SELECT ?s ?t WHERE { ?s ck:attacked ?t }``) and once with one in ``--every`` replaced by a
runaway four-way cross product. Each run gets a fresh server.

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


def report(label: str, answers: list[Answer], started: float) -> None:
    """Print one run's figures; throughput counts until the last ordinary answer."""
    ordinary = [a for a in answers if not a.runaway]
    wall = max(a.done for a in ordinary) - started
    runaways = [a for a in answers if a.runaway]
    latencies = sorted(a.seconds for a in ordinary)
    p99 = latencies[max(0, int(len(latencies) * 0.99 + 0.5) - 1)] if latencies else 0.0
    statuses: dict[int, int] = {}
    for a in ordinary:
        statuses[a.status] = statuses.get(a.status, 0) + 1
    ok = statuses.get(200, 0)
    print(f"{label}:")
    print(
        f"  ordinary: {len(ordinary)} queries, {ok} answered 200, statuses {dict(sorted(statuses.items()))}"
    )
    print(
        f"  ordinary: {ok / wall:,.0f} queries/s over {wall:.1f} s; latency p50 "
        f"{_ms(statistics.median(latencies))}, p99 {_ms(p99)}, max {_ms(latencies[-1])}"
    )
    if runaways:
        by_status: dict[int, int] = {}
        for a in runaways:
            by_status[a.status] = by_status.get(a.status, 0) + 1
        retry = sorted({a.retry_after for a in runaways if a.retry_after})
        print(
            f"  runaways: {len(runaways)}, statuses {dict(sorted(by_status.items()))}, slowest answer "
            f"{max(a.seconds for a in runaways):.2f} s, Retry-After values {retry or 'none'}"
        )


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
            server = Server(graph, extra)
            try:
                _ask(server.url, ORDINARY, False)  # the first query warms the server up; not counted
                answers, started = run_load(
                    server.url, args.clients, args.queries, every, args.runaway, args.unique
                )
            finally:
                server.stop()
            report(label, answers, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
