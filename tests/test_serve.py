"""Tests for graph.serve: a real SPARQL client and curl against the endpoint on 127.0.0.1 (port 0)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_rdf_results
from SPARQLWrapper import CSV, JSON, POST, XML, SPARQLWrapper

from graph.errors import ConfigError, InputError
from graph.rdf import to_graph, write_graph
from graph.serve import SparqlServer, create_server, start_in_thread

PREFIX = "PREFIX ck: <https://w3id.org/conflictkg/ontology#>\n"
ATTACKS = PREFIX + "SELECT ?s ?t WHERE { ?s ck:attacked ?t } ORDER BY ?s ?t"
ACTOR = "https://w3id.org/conflictkg/id/actor/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
TIMEOUT = 1.5
CURL = shutil.which("curl")


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    write_graph(to_graph(make_rdf_results()), path, "turtle")
    return path


@pytest.fixture(scope="module")
def server(graph_file: Path) -> Iterator[SparqlServer]:
    # a generous queue wait: on a loaded test machine a busy worker must not turn a 400 into a 503
    srv = create_server(graph_file, port=0, timeout=TIMEOUT, max_results=3, workers=1, queue_wait=30)
    start_in_thread(srv)
    yield srv
    srv.close()


def _wrapper(server: SparqlServer, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url)
    client.setTimeout(20)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def _http(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _count(server: SparqlServer) -> int:
    result = _wrapper(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON).query().convert()
    return int(result["results"]["bindings"][0]["n"]["value"])


def test_sparqlwrapper_get_json(server: SparqlServer) -> None:
    result = _wrapper(server, ATTACKS, JSON).query().convert()
    assert result["head"]["vars"] == ["s", "t"]
    pairs = [(b["s"]["value"], b["t"]["value"]) for b in result["results"]["bindings"]]
    assert pairs == [
        (ACTOR + "syr", ACTOR + "rebels"),
        (ACTOR + "syr", ACTOR + "tur"),
        (ACTOR + "tur", ACTOR + "syr"),
    ]


def test_sparqlwrapper_post_csv_and_xml(server: SparqlServer) -> None:
    client = _wrapper(server, ATTACKS, CSV)
    client.setMethod(POST)
    lines = client.query().convert().decode().splitlines()
    assert lines[0] == "s,t" and lines[1] == f"{ACTOR}syr,{ACTOR}rebels"
    document = _wrapper(server, PREFIX + "ASK { ?s ck:attacked ?t }", XML).query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_literal_types_in_json(server: SparqlServer) -> None:
    query = (
        PREFIX + 'SELECT ?c ?d WHERE { ?x ck:evidence "Syrian troops attacked rebels near Saraqeb." ; '
        "ck:confidence ?c ; <http://semanticweb.cs.vu.nl/2009/11/sem/hasTimeStamp> ?d }"
    )
    binding = _wrapper(server, query, JSON).query().convert()["results"]["bindings"][0]
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    assert binding["c"] == {"type": "literal", "value": "0.857", "datatype": decimal}
    assert binding["d"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_result_cap_sets_header(server: SparqlServer) -> None:
    url = server.url + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    status, headers, body = _http(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers.get("X-Result-Truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 3


def test_updates_are_refused_and_change_nothing(server: SparqlServer) -> None:
    before = _count(server)
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    form = urllib.parse.urlencode({"update": update}).encode()
    assert _http(server.url, form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert _http(server.url, update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    # an update smuggled in as a query
    status, _, body = _http(server.url, update.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 403 and b"read-only" in body
    assert _http(server.url + "?" + urllib.parse.urlencode({"update": update}))[0] == 403
    assert _count(server) == before


def test_runaway_query_times_out_and_server_recovers(server: SparqlServer) -> None:
    started = time.monotonic()
    status, _, body = _http(server.url + "?" + urllib.parse.urlencode({"query": RUNAWAY}))
    assert status == 503 and b"timed out" in body
    assert time.monotonic() - started < TIMEOUT + 10
    # the killed worker was replaced: the next query is answered
    assert _count(server) > 0


def test_service_clauses_are_refused(server: SparqlServer) -> None:
    """pyoxigraph would fetch the URL from the server: a public endpoint must not be a proxy."""
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, headers, body = _http(server.url + "?" + urllib.parse.urlencode({"query": query}))
    assert status == 403 and b"SERVICE" in body and "Retry-After" not in headers


def test_health(server: SparqlServer) -> None:
    status, headers, body = _http(server.url.replace("/sparql", "/health"))
    assert status == 200 and headers["Content-Type"] == "application/json"
    health = json.loads(body)
    assert health["status"] == "ok"
    assert health["lanes"]["ordinary"]["workers"] == 1 and health["lanes"]["heavy"]["workers"] == 1


def test_bad_requests(server: SparqlServer) -> None:
    assert _http(server.url + "?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s }"}))[0] == 400
    assert _http(server.url)[0] == 400
    assert _http(server.url.replace("/sparql", "/nowhere"))[0] == 404
    assert _http(server.url, b"query=x", {"Content-Type": "text/plain"})[0] == 415
    # an oversized body is refused from its Content-Length, before the client sends it
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 10000000\r\n\r\n"
        )
        assert conn.recv(200).startswith(b"HTTP/1.1 413 ")
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(b"BREW /sparql HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = conn.recv(500)
        assert answer.startswith(b"HTTP/1.1 501 ") and b"Content-Type: text/plain" in answer


def test_query_page_escapes_values(server: SparqlServer) -> None:
    query = 'SELECT ?x WHERE { BIND ("<script>alert(1)</script>" AS ?x) }'
    page_url = server.url.replace("/sparql", "/") + "?" + urllib.parse.urlencode({"query": query})
    status, headers, body = _http(page_url)
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<td>&lt;script&gt;" in page and "<textarea" in page


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
def test_curl_tsv_and_construct(server: SparqlServer) -> None:
    tsv = subprocess.run(
        [
            CURL,
            "-s",
            "--max-time",
            "20",
            "-H",
            "Accept: text/tab-separated-values",
            "--data-urlencode",
            f"query={ATTACKS}",
            server.url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.splitlines()
    assert tsv[0] == "?s\t?t" and tsv[1] == f"<{ACTOR}syr>\t<{ACTOR}rebels>"
    construct = (
        PREFIX
        + "CONSTRUCT { ?t ck:attackedBy ?s } WHERE { ?s ck:attacked ?t . FILTER(?s = <"
        + ACTOR
        + "tur>) }"
    )
    out = subprocess.run(
        [
            CURL,
            "-s",
            "-i",
            "--max-time",
            "20",
            "-H",
            "Content-Type: application/sparql-query",
            "-H",
            "Accept: application/n-triples",
            "--data-binary",
            construct,
            server.url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert "content-type: application/n-triples" in out.lower()
    assert f"<{ACTOR}syr> <https://w3id.org/conflictkg/ontology#attackedBy> <{ACTOR}tur> ." in out


def test_config_errors(tmp_path: Path, graph_file: Path) -> None:
    with pytest.raises(ConfigError, match="either a GRAPH file or --store"):
        create_server()
    with pytest.raises(InputError, match="no store there"):
        create_server(store_dir=tmp_path / "nothing", port=0)
    with pytest.raises(ConfigError, match="must be positive"):
        create_server(graph_file, port=0, timeout=0)


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
@pytest.mark.parametrize("quiet", [False, True], ids=["access-log", "quiet"])
def test_cli_serve_from_a_store(tmp_path: Path, graph_file: Path, quiet: bool) -> None:
    cli = [sys.executable, "-c", "from graph.cli import main; main()"]
    subprocess.run(
        [*cli, "load", str(graph_file), "--store", str(tmp_path / "store")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    proc = subprocess.Popen(
        [*cli, "serve", "--store", str(tmp_path / "store"), "--port", "0", *(["--quiet"] if quiet else [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline()  # "SPARQL endpoint: http://127.0.0.1:PORT/sparql ..."
        url = line.split()[2]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/sparql")
        out = subprocess.run(
            [
                CURL,
                "-s",
                "--max-time",
                "20",
                "-H",
                "Accept: text/csv",
                "--data-urlencode",
                f"query={ATTACKS}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
        assert out.splitlines()[0] == "s,t" and len(out.splitlines()) == 5
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    log = proc.stderr.read().splitlines()
    if quiet:
        assert log == []
    else:
        assert len(log) == 1
        assert re.fullmatch(r"\S+Z 127\.0\.0\.1 POST /sparql 200 \d+ms lane=ordinary truncated=no", log[0])
