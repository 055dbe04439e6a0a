"""Load test of the endpoint (issue 15): under many clients and a few runaways, every ordinary query is
answered while the runaways are refused. It asserts correctness, not speed (the machine is shared);
the latency figures come from ``benchmarks/serve_bench.py``. Bounded: 320 requests to 127.0.0.1.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_rdf_results

from graph.rdf import to_graph, write_graph
from graph.serve import SparqlServer, create_server, start_in_thread

ORDINARY = "PREFIX ck: <https://w3id.org/conflictkg/ontology#>\nSELECT ?s ?t WHERE { ?s ck:attacked ?t }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 304^4 rows
UPDATE = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
TIMEOUT = 2.0
SLACK = 2.0  # a runaway's answer may come this long after its timeout on a busy, shared machine
CLIENTS, REQUESTS, EVERY = 16, 320, 40
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 (GET|POST) /\S* \d{3} \d+ms "
    r"lane=(ordinary|heavy|-) truncated=(yes|no)$"
)


@pytest.fixture(scope="module")
def access_log() -> io.StringIO:
    return io.StringIO()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, access_log: io.StringIO) -> Iterator[SparqlServer]:
    path = tmp_path_factory.mktemp("serve-load") / "graph.ttl"
    write_graph(to_graph(make_rdf_results()), path, "turtle")
    srv = create_server(Path(path), port=0, timeout=TIMEOUT, access_log=access_log)  # default lanes
    start_in_thread(srv)
    yield srv
    srv.close()


def _post(url: str, query: str) -> tuple[int, dict[str, str], bytes, float]:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        status, headers, body = exc.code, dict(exc.headers), exc.read()
    return status, headers, body, time.monotonic() - started


def test_ordinary_queries_all_succeed_while_runaways_are_refused(
    server: SparqlServer, access_log: io.StringIO
) -> None:
    plan = [RUNAWAY if i % EVERY == EVERY // 2 else ORDINARY for i in range(REQUESTS)]
    results: list[tuple[str, int, dict[str, str], bytes, float]] = []
    lock = threading.Lock()
    todo = iter(plan)

    def client() -> None:
        while True:
            with lock:
                query = next(todo, None)
            if query is None:
                return
            outcome = _post(server.url, query)
            with lock:
                results.append((query, *outcome))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    health_during = urllib.request.urlopen(server.url.replace("/sparql", "/health"), timeout=10)
    for thread in threads:
        thread.join(60)
    assert len(results) == REQUESTS

    ordinary = [r for r in results if r[0] == ORDINARY]
    assert [r[1] for r in ordinary] == [200] * len(ordinary)
    assert all(r[3].decode().splitlines()[0] == "s,t" and len(r[3].splitlines()) == 5 for r in ordinary)

    runaways = [r for r in results if r[0] == RUNAWAY]
    assert len(runaways) == REQUESTS // EVERY
    assert [r[1] for r in runaways] == [503] * len(runaways)
    assert max(r[4] for r in runaways) < TIMEOUT + SLACK
    timed_out = [r for r in runaways if b"timed out" in r[3]]
    refused = [r for r in runaways if b"busy" in r[3]]
    assert timed_out and len(timed_out) + len(refused) == len(runaways)
    assert all("Retry-After" not in r[2] for r in timed_out)  # the query, not the load, was the problem
    assert all(1 <= int(r[2]["Retry-After"]) <= TIMEOUT for r in refused)

    assert health_during.status == 200
    assert json.loads(health_during.read())["status"] == "ok"
    lines = [line for line in access_log.getvalue().splitlines() if "/sparql" in line]
    assert len(lines) >= REQUESTS and all(LOG_LINE.match(line) for line in lines)
    assert sum("lane=heavy" in line for line in lines) == len(runaways)


def test_updates_are_refused_under_load_and_the_server_recovers(server: SparqlServer) -> None:
    statuses = [_post(server.url, UPDATE)[0] for _ in range(3)]
    assert statuses == [403, 403, 403]
    status, _, body, _ = _post(server.url, "ASK { <http://example.org/a> ?p ?o }")
    assert status == 200 and body.strip() == b"false"
    deadline = time.monotonic() + 10  # the worker killed for the runaway is back
    while server.lanes.stats()["heavy"].idle < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    health = json.loads(urllib.request.urlopen(server.url.replace("/sparql", "/health"), timeout=10).read())
    assert health["lanes"]["heavy"] == {"workers": 1, "idle": 1, "running": 0, "starting": 0, "waiting": 0}
    assert health["lanes"]["ordinary"]["workers"] == 3
