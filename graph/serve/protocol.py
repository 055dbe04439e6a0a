"""The HTTP side of the endpoint: SPARQL 1.1 Protocol requests, content negotiation, the access log.

Routes: ``/sparql`` (GET ``?query=``, POST ``application/sparql-query`` or form-encoded
``query=``), ``/`` (the query page), ``/health`` (JSON: each lane's workers; 200 while every lane
has a worker, else 503). Updates (``update=``, ``application/sparql-update``, or update text sent as
a query) get 403. Results follow the Accept header (or a ``format``/``output`` parameter): SPARQL
JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as N-Triples or Turtle.

Each request is one line on the access log (when the server has one): time (UTC), client address,
method, path without the query string, status, milliseconds, the lane that ran the query and
whether the result was cut, e.g. ``2025-01-31T12:00:00.123Z 127.0.0.1 POST /sparql 200 12ms
lane=ordinary truncated=no``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import threading
import time
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from graph.serve.config import MAX_BODY
from graph.serve.cost import Route
from graph.serve.page import query_page
from graph.serve.results import Reply, text_reply

if TYPE_CHECKING:
    from graph.serve.server import SparqlServer

__all__ = ["AccessLog", "Handler", "negotiate"]

log = logging.getLogger(__name__)

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
_FORMAT_PARAMS = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "turtle",
    "nt": "nt",
    "ntriples": "nt",
}
_TEXT = "text/plain; charset=utf-8"
_READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


def negotiate(accept: str, params: dict[str, list[str]]) -> tuple[str, str]:
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


class AccessLog:
    """Writes one line per request to a text stream (standard error in ``conflictkg serve``)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(
        self, client: str, method: str, path: str, status: int, ms: float, lane: str, cut: bool
    ) -> None:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        cut_text = "yes" if cut else "no"
        line = f"{now} {client} {method} {path} {status} {ms:.0f}ms lane={lane} truncated={cut_text}\n"
        with self._lock, contextlib.suppress(OSError, ValueError):  # a closed stderr must not stop serving
            self._stream.write(line)
            self._stream.flush()


class Handler(BaseHTTPRequestHandler):
    """One connection; each request on it is answered by a ``do_*`` method."""

    server: SparqlServer
    server_version = "conflictkg-sparql"
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.timeout = self.server.config.idle_timeout  # a silent connection is closed, not kept forever
        super().setup()

    def parse_request(self) -> bool:
        self._started = time.perf_counter()
        self._lane = "-"
        return super().parse_request()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Replaced by the access log line written in :meth:`_send`."""

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests, too-long lines, unknown methods: a one-line text answer, logged."""
        self.close_connection = True
        self._send(code, _TEXT, ((message or HTTPStatus(code).phrase) + "\n").encode("utf-8"))

    def _send(self, status: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        access = self.server.access_log
        if access is not None:
            started = getattr(self, "_started", time.perf_counter())
            access.write(
                self.client_address[0],
                self.command or "-",
                urlsplit(self.path).path if getattr(self, "path", None) else "-",
                status,
                (time.perf_counter() - started) * 1000,
                getattr(self, "_lane", "-"),
                (extra or {}).get("X-Result-Truncated") == "true",
            )

    def _reply(self, reply: Reply) -> None:
        extra = {}
        if reply.truncated:
            extra["X-Result-Truncated"] = "true"
        if reply.retry_after is not None:
            extra["Retry-After"] = str(reply.retry_after)
        self._send(reply.status, reply.content_type, reply.body, extra)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._reply(text_reply(status, message))

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before the client sends it (``Expect: 100-continue``)."""
        length = self.headers.get("Content-Length", "0")
        if length.isdigit() and int(length) > MAX_BODY:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {MAX_BODY} bytes")
            return False
        return super().handle_expect_100()

    def do_OPTIONS(self) -> None:
        extra = {"Allow": "GET, POST, HEAD, OPTIONS", "Access-Control-Allow-Headers": "Content-Type, Accept"}
        self._send(HTTPStatus.NO_CONTENT, _TEXT, b"", extra)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/":
            self._page(params)
        elif url.path == "/health":
            self._health()
        elif url.path == "/sparql":
            if "update" in params:
                self._error(HTTPStatus.FORBIDDEN, _READ_ONLY)
            elif "query" not in params:
                self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter: /sparql?query=...")
            else:
                self._query(params["query"][0], params)
        else:
            self._error(HTTPStatus.NOT_FOUND, "not found: the endpoint is /sparql, the query page is /")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self.close_connection = True  # its body is not read
            self._error(HTTPStatus.NOT_FOUND, "not found: POST queries to /sparql")
            return
        body = self._body()
        if body is None:
            return
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/sparql-update":
            self._error(HTTPStatus.FORBIDDEN, _READ_ONLY)
        elif content_type == "application/sparql-query":
            self._query(body, params)
        elif content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form or "update" in params:
                self._error(HTTPStatus.FORBIDDEN, _READ_ONLY)
            elif "query" not in form:
                self._error(HTTPStatus.BAD_REQUEST, "missing the query field in the form")
            else:
                self._query(form["query"][0], {**params, **form})
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a query as application/sparql-query or application/x-www-form-urlencoded",
            )

    def _body(self) -> str | None:
        """The POST body as text, or None after answering a request whose body cannot be taken."""
        length_header = self.headers.get("Content-Length")
        keep_open = not self.close_connection
        self.close_connection = True  # until the body is read: an unread body must not pass for a request
        if length_header is None:
            self._error(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header")
            return None
        try:
            length = int(length_header)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length header")
            return None
        if length < 0 or length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body is over {MAX_BODY} bytes")
            return None
        try:
            data = self.rfile.read(length)
        except OSError:  # the client went silent (idle timeout) or away
            return None
        if len(data) < length:
            return None  # the client closed the connection early
        self.close_connection = not keep_open
        return data.decode("utf-8", "replace")

    def _answer(self, text: str, fmt: str, graph_fmt: str, want_rows: bool) -> Reply:
        """The cost guard's verdict, then the lane it names: refused, timed out or answered."""
        verdict = self.server.guard.classify(text)
        if verdict.route is Route.UPDATE:
            return text_reply(HTTPStatus.FORBIDDEN, _READ_ONLY)
        if verdict.route is Route.FEDERATED:
            return text_reply(HTTPStatus.FORBIDDEN, f"this endpoint refuses the query: {verdict.reason}")
        lane = self.server.lanes.lane(verdict.route)
        self._lane = lane.name
        message = (text, fmt, graph_fmt, self.server.config.max_results, want_rows)
        return lane.run(self.client_address[0], message, verdict.reason)

    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        fmt, graph_fmt = negotiate(self.headers.get("Accept", ""), params)
        self._reply(self._answer(text, fmt, graph_fmt, want_rows=False))

    def _page(self, params: dict[str, list[str]]) -> None:
        query = (params.get("query") or [""])[0]
        reply = self._answer(query, "json", "nt", want_rows=True) if query.strip() else None
        config = self.server.config
        page = query_page(query, reply, timeout=config.timeout, max_results=config.max_results)
        extra = {"X-Result-Truncated": "true"} if reply is not None and reply.truncated else {}
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", page, extra)

    def _health(self) -> None:
        lanes = self.server.lanes.stats()
        ok = all(stats.workers > 0 for stats in lanes.values())
        body = {"status": "ok" if ok else "degraded", "lanes": {n: asdict(s) for n, s in lanes.items()}}
        status = HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE
        self._send(
            status, "application/json", json.dumps(body).encode("utf-8"), {"Cache-Control": "no-store"}
        )
