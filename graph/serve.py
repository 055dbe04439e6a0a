"""A read-only SPARQL 1.1 Protocol endpoint over an Oxigraph store, on the standard library's HTTP server.

Why the stdlib ``ThreadingHTTPServer``: the endpoint is a local tool (bound to 127.0.0.1 by default),
and it needs nothing a framework adds; one dependency less to keep safe.

Why worker processes: a pyoxigraph query running in a thread cannot be interrupted, so each query
runs in a worker process; a query that outlives ``timeout`` gets its worker killed (and replaced)
and the client an HTTP 503. Workers open the store read-only, so even a bug cannot write to it;
update requests (``update=``, ``application/sparql-update``, or update text sent as a query) are
answered with HTTP 403. A graph file given instead of a store is first bulk-loaded into a temporary
store, removed on shutdown.

Endpoints: ``/sparql`` (GET ``?query=``, POST ``application/sparql-query`` or form-encoded
``query=``), results by the Accept header as SPARQL JSON (default), XML, CSV or TSV; CONSTRUCT and
DESCRIBE as N-Triples or Turtle. ``/`` is a small HTML page with a query box and a results table.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
import pickle
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape as xml_escape

from graph.errors import ConfigError

__all__ = ["EndpointConfig", "SparqlServer", "create_server", "serve"]

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # bytes of query accepted in a POST body
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

# media type -> internal result format name
_RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "json",  # browsers asking /sparql get JSON; the HTML page lives at /
}
_GRAPH_TYPES = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
}
_CONTENT_TYPES = {
    "json": "application/sparql-results+json; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
}
_FORMAT_PARAMS = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "nt": "nt",
    "ntriples": "nt",
}


@dataclass(frozen=True, slots=True)
class EndpointConfig:
    """Limits of the endpoint."""

    store_dir: Path
    timeout: float = 10.0  # seconds a query may run
    max_results: int = 10_000  # rows (or triples) returned at most; the rest is cut, and a header says so
    workers: int = 2


# --- the worker process -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str | None, ...], ...] = ()


def _term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # RDF-star triples: their N-Triples text


def _term_xml(term: Any) -> str:
    data = _term_json(term)
    value = xml_escape(data["value"])
    if data["type"] == "uri":
        return f"<uri>{value}</uri>"
    if data["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in data:
        return f'<literal xml:lang="{xml_escape(data["xml:lang"], {chr(34): "&quot;"})}">{value}</literal>'
    if "datatype" in data:
        return f'<literal datatype="{xml_escape(data["datatype"], {chr(34): "&quot;"})}">{value}</literal>'
    return f"<literal>{value}</literal>"


def _csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _select_body(variables: list[str], solutions: list[list[Any]], fmt: str) -> bytes:
    """SPARQL 1.1 results (JSON, XML, CSV or TSV) for the solutions kept."""
    if fmt == "json":
        bindings = [
            {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in solutions
        ]
        return json.dumps(
            {"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False
        ).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f'<variable name="{xml_escape(v)}"/>' for v in variables]
        parts.append("</head><results>")
        for row in solutions:
            parts.append("<result>")
            parts += [
                f'<binding name="{xml_escape(v)}">{_term_xml(t)}</binding>'
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(_csv_cell(v) for v in variables)]
        lines += [
            ",".join(
                "" if t is None else _csv_cell(str(t.value) if hasattr(t, "value") else str(t)) for t in row
            )
            for row in solutions
        ]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    # tsv: terms in their N-Triples form, which is what str() of a pyoxigraph term gives
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in solutions]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _ask_body(answer: bool, fmt: str) -> tuple[str, bytes]:
    if fmt == "xml":
        text = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{str(answer).lower()}</boolean></sparql>\n"
        )
        return _CONTENT_TYPES["xml"], text.encode("utf-8")
    if fmt in ("csv", "tsv"):
        return "text/plain; charset=utf-8", f"{str(answer).lower()}\n".encode()
    return _CONTENT_TYPES["json"], json.dumps({"head": {}, "boolean": answer}).encode("utf-8")


def _run_one(store: Any, query: str, fmt: str, graph_fmt: str, max_results: int, want_rows: bool) -> _Reply:
    import pyoxigraph as ox

    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return _Reply(400, "text/plain; charset=utf-8", f"query does not parse: {exc}\n".encode())
    if isinstance(result, ox.QueryBoolean):
        content_type, body = _ask_body(bool(result), fmt)
        return _Reply(200, content_type, body, columns=("ask",), rows=((str(bool(result)).lower(),),))
    if isinstance(result, ox.QueryTriples):
        triples = []
        for triple in result:
            if len(triples) == max_results:
                truncated = True
                break
            triples.append(triple)
        else:
            truncated = False
        rdf_format = ox.RdfFormat.TURTLE if graph_fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        body = ox.serialize(triples, format=rdf_format) or b""
        return _Reply(200, _CONTENT_TYPES[graph_fmt], body, truncated=truncated)
    variables = [v.value for v in result.variables]
    solutions: list[list[Any]] = []
    truncated = False
    for solution in result:
        if len(solutions) == max_results:
            truncated = True
            break
        solutions.append([solution[v] for v in variables])
    rows: tuple[tuple[str | None, ...], ...] = ()
    if want_rows:
        rows = tuple(tuple(None if t is None else str(t.value) for t in row) for row in solutions)
    return _Reply(
        200, _CONTENT_TYPES[fmt], _select_body(variables, solutions, fmt), truncated, tuple(variables), rows
    )


def _worker_main(store_dir: str) -> None:
    """Worker process: open the store read-only, answer queries from stdin until told to stop."""
    import pyoxigraph as ox

    channel = os.dup(1)
    os.dup2(2, 1)  # stray prints go to stderr, never into the reply channel
    reader = Connection(0, writable=False)
    writer = Connection(channel, readable=False)
    store = ox.Store.read_only(store_dir)
    writer.send("ready")
    while True:
        try:
            message = reader.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        try:
            reply = _run_one(store, *message)
        except Exception as exc:  # report, never die silently: the parent waits for an answer
            reply = _Reply(500, "text/plain; charset=utf-8", f"query failed: {exc}\n".encode())
        writer.send(reply)


class _Worker:
    """One worker process (``python -m graph.serve --worker DIR``) and the pipes to it.

    A plain subprocess rather than ``multiprocessing``: spawning re-imports the caller's main
    script, which breaks scripts and notebooks without an ``if __name__ == "__main__"`` guard.
    """

    def __init__(self, store_dir: Path) -> None:
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.serve", "--worker", str(store_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None  # for the type checker
        self.writer = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.reader = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        try:
            ready = self.reader.poll(60) and self.reader.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise ConfigError(f"{store_dir}: the query worker could not open the store")

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, message: tuple[Any, ...], timeout: float) -> _Reply | None:
        """The worker's reply, or None if it took longer than ``timeout`` seconds."""
        self.writer.send(message)
        if self.reader.poll(timeout):
            reply: _Reply = self.reader.recv()
            return reply
        return None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.wait(5)
        for conn in (self.reader, self.writer) if hasattr(self, "reader") else ():
            with contextlib.suppress(Exception):
                conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.send(None)
            self.process.wait(2)
        self.kill()


class _Pool:
    """A fixed number of workers; a worker whose query timed out is killed and replaced."""

    def __init__(self, config: EndpointConfig) -> None:
        self.config = config
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        for _ in range(max(1, config.workers)):
            self.idle.put(_Worker(config.store_dir))

    def run(self, message: tuple[Any, ...]) -> _Reply | None:
        try:
            worker = self.idle.get(timeout=self.config.timeout)
        except queue.Empty:
            return _Reply(503, "text/plain; charset=utf-8", b"all query workers are busy; try again\n")
        try:
            reply = worker.ask(message, self.config.timeout)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError) as exc:  # the worker died
            log.warning("query worker died (%s); restarting it", exc)
            reply = _Reply(500, "text/plain; charset=utf-8", b"the query worker died; try again\n")
            worker.process.kill()
        if reply is None or not worker.alive():
            if reply is None:
                log.warning("query timed out after %ss; restarting its worker", self.config.timeout)
            worker.kill()
            try:
                worker = _Worker(self.config.store_dir)
            except ConfigError:
                log.exception("could not restart a query worker")
                return reply
        if self.closed:
            worker.stop()
        else:
            self.idle.put(worker)
        return reply

    def close(self) -> None:
        self.closed = True
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                return


# --- HTTP ---------------------------------------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>conflictkg SPARQL</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }} textarea {{ width: 100%; font-family: monospace; }}
table {{ border-collapse: collapse; margin-top: 1em; }} td, th {{ border: 1px solid #bbb; padding: 3px 6px;
text-align: left; vertical-align: top; font-size: 90%; }} .note {{ color: #555; }} .error {{ color: #a00; }}
</style></head>
<body><h1>conflictkg SPARQL endpoint</h1>
<p class="note">Read-only. Queries time out after {timeout:g} s and return at most {max_results} rows.
Protocol endpoint: <code>/sparql</code>.</p>
<form method="get" action="/"><textarea name="query" rows="12" aria-label="SPARQL query">{query}</textarea>
<p><button type="submit">Run query</button></p></form>
{results}
</body></html>
"""

_EXAMPLE = """PREFIX ck: <https://w3id.org/conflictkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?source ?target WHERE {
  ?s ck:attacked ?t .
  ?s rdfs:label ?source .
  ?t rdfs:label ?target .
}
ORDER BY ?source ?target"""


def _results_html(reply: _Reply) -> str:
    if reply.status != 200:
        return f'<p class="error">{html.escape(reply.body.decode("utf-8", "replace"))}</p>'
    if not reply.columns:
        return f"<pre>{html.escape(reply.body.decode('utf-8', 'replace'))}</pre>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in reply.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v or '')}</td>" for v in row) + "</tr>" for row in reply.rows
    )
    note = f'<p class="note">{len(reply.rows)} row(s){" (cut at the limit)" if reply.truncated else ""}</p>'
    return f"{note}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _is_update(text: str) -> bool:
    """Whether text that is not a valid query parses as a SPARQL update."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _negotiate(accept: str, params: dict[str, list[str]]) -> tuple[str, str]:
    """(results format, graph format) from a ``format``/``output`` parameter or the Accept header."""
    for key in ("format", "output"):
        value = (params.get(key) or [""])[0].lower()
        if value in _FORMAT_PARAMS:
            chosen = _FORMAT_PARAMS[value]
            if chosen in ("turtle", "nt"):
                return "json", chosen
            return chosen, "nt"
    results, graph = None, None
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, _, rest = part.strip().partition(";")
        quality = 1.0
        for param in rest.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                with contextlib.suppress(ValueError):
                    quality = float(value)
        ranked.append((-quality, index, media.strip().lower()))
    for _, _, media in sorted(ranked):
        if results is None and media in _RESULT_TYPES:
            results = _RESULT_TYPES[media]
        if graph is None and media in _GRAPH_TYPES:
            graph = _GRAPH_TYPES[media]
    return results or "json", graph or "nt"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "conflictkg-sparql"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before the client sends it (``Expect: 100-continue``)."""
        length = self.headers.get("Content-Length", "0")
        if length.isdigit() and int(length) > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {MAX_BODY} bytes")
            self.close_connection = True
            return False
        return super().handle_expect_100()

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, POST, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/":
            self._page(params)
        elif url.path == "/sparql":
            if "update" in params:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
            elif "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter: /sparql?query=...")
            else:
                self._query(params["query"][0], params)
        else:
            self._error(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql, the query page is /")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._error(HTTPStatus.NOT_FOUND, "not found: POST queries to /sparql")
            return
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            self._error(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header")
            self.close_connection = True
            return
        try:
            length = int(length_header)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length header")
            self.close_connection = True
            return
        if length < 0 or length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {MAX_BODY} bytes")
            self.close_connection = True  # the unread body must not be taken for the next request
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
        elif content_type == "application/sparql-query":
            self._query(body, params)
        elif content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form or "update" in params:
                self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
            elif "query" not in form:
                self._error(HTTPStatus.BAD_REQUEST, "missing the query field in the form")
            else:
                self._query(form["query"][0], {**params, **form})
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a query as application/sparql-query or application/x-www-form-urlencoded",
            )

    def _run(self, text: str, fmt: str, graph_fmt: str, want_rows: bool) -> _Reply:
        reply = self.server.pool.run((text, fmt, graph_fmt, self.server.config.max_results, want_rows))
        if reply is None:
            return _Reply(
                503,
                "text/plain; charset=utf-8",
                f"the query timed out after {self.server.config.timeout:g} s\n".encode(),
            )
        if reply.status == 400 and _is_update(text):
            return _Reply(
                403, "text/plain; charset=utf-8", b"this endpoint is read-only: SPARQL updates are refused\n"
            )
        return reply

    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        fmt, graph_fmt = _negotiate(self.headers.get("Accept", ""), params)
        reply = self._run(text, fmt, graph_fmt, want_rows=False)
        extra = {"X-Result-Truncated": "true"} if reply.truncated else {}
        self._send(reply.status, reply.content_type, reply.body, extra)

    def _page(self, params: dict[str, list[str]]) -> None:
        query = (params.get("query") or [""])[0]
        results = ""
        if query.strip():
            results = _results_html(self._run(query, "json", "nt", want_rows=True))
        config = self.server.config
        page = _PAGE.format(
            timeout=config.timeout,
            max_results=config.max_results,
            query=html.escape(query or _EXAMPLE),
            results=results,
        )
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"))


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its worker pool; ``close()`` stops both."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], config: EndpointConfig, cleanup: Path | None = None) -> None:
        self.config = config
        self.pool = _Pool(config)
        self._cleanup = cleanup
        try:
            super().__init__(address, _Handler)
        except OSError as exc:
            self.pool.close()
            raise ConfigError(f"cannot listen on {address[0]}:{address[1]} ({exc.strerror or exc})") from exc

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/sparql"

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._serving = True
        super().serve_forever(poll_interval)

    def close(self) -> None:
        """Stop serving (when started with ``serve_forever`` in another thread) and free everything."""
        if getattr(self, "_serving", False):
            self.shutdown()  # blocks until serve_forever returns, so only when it was started
        self.server_close()
        self.pool.close()
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)


def _temporary_store(graph_path: Path) -> Path:
    """Bulk-load a graph file into a new temporary store folder; the caller removes the folder."""
    from graph.store import load_store

    folder = Path(tempfile.mkdtemp(prefix="conflictkg-store-"))
    try:
        store = load_store(graph_path, folder / "store")
        del store  # closes it, so the read-only workers can open it
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def create_server(
    graph_path: Path | None = None,
    store_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 10.0,
    max_results: int = 10_000,
    workers: int = 2,
) -> SparqlServer:
    """Build the endpoint (not yet serving) for a graph file or an existing store.

    ``port=0`` picks a free port (see ``server.url``).

    Raises:
        ConfigError: neither or both of graph and store given, bad limits, or the port is taken.
        InputError: the graph file or store cannot be read.
    """
    if (graph_path is None) == (store_dir is None):
        raise ConfigError("serve needs either a GRAPH file or --store DIR (not both)")
    if timeout <= 0 or max_results <= 0 or workers <= 0:
        raise ConfigError("--timeout, --max-results and --workers must be positive")
    if host not in LOOPBACK:
        log.warning("serving on %s: anyone who can reach this address can query the graph", host)
    cleanup: Path | None = None
    if graph_path is not None:
        cleanup = _temporary_store(Path(graph_path))
        folder = cleanup / "store"
    else:
        from graph.store import open_store

        folder = Path(str(store_dir))
        probe = open_store(folder)  # fail early, with a clear message, if it is not a store
        del probe
    config = EndpointConfig(store_dir=folder, timeout=timeout, max_results=max_results, workers=workers)
    try:
        return SparqlServer((host, port), config, cleanup)
    except BaseException:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
        raise


def serve(server: SparqlServer) -> None:
    """Serve until interrupted (Ctrl-C), then free the workers and any temporary store."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()
        if server._cleanup is not None:
            shutil.rmtree(server._cleanup, ignore_errors=True)


def start_in_thread(server: SparqlServer) -> threading.Thread:
    """Serve from a daemon thread (tests, notebooks); stop with ``server.close()``."""
    thread = threading.Thread(target=server.serve_forever, name="conflictkg-sparql", daemon=True)
    thread.start()
    return thread


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--worker":
    # Run the package's copy of the module, so replies pickle as graph.serve._Reply, not __main__._Reply.
    from graph.serve import _worker_main as _package_worker_main

    _package_worker_main(sys.argv[2])
