"""The endpoint assembled: the HTTP server with its cost guard, worker lanes and access log.

Why the stdlib ``ThreadingHTTPServer``: the endpoint needs nothing a framework adds (one thread per
connection is fine when the queries themselves run in worker processes); one dependency less to keep
safe. Its defaults are made fit for many clients: a listen backlog of 128 (the default 5 made
simultaneous connections wait a second for a SYN retry, or fail), at most ``max_connections`` open
connections (each further one gets a 503 at once), and a silent connection is closed after
``idle_timeout`` seconds.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import socket
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import IO, Any

from graph.errors import ConfigError
from graph.serve.config import LOOPBACK, EndpointConfig
from graph.serve.cost import CostGuard
from graph.serve.lanes import Lanes
from graph.serve.page import EXAMPLE_QUERY
from graph.serve.protocol import AccessLog, Handler

__all__ = ["SparqlServer", "create_server", "serve", "start_in_thread"]

log = logging.getLogger(__name__)

_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
    b"Connection: close\r\nContent-Length: 46\r\n\r\nthe server is busy: too many open connections\n"
)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its worker lanes; ``close()`` stops both and removes a temporary store."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        config: EndpointConfig,
        cleanup: Path | None = None,
        access_log: IO[str] | None = None,
    ) -> None:
        self.config = config
        self.guard = CostGuard()
        self.guard.classify(EXAMPLE_QUERY)  # loads rdflib's SPARQL parser now, not on the first request
        self.access_log = AccessLog(access_log) if access_log is not None else None
        self._cleanup = cleanup
        self._connections = 0
        self._connections_lock = threading.Lock()
        self.lanes = Lanes(config)
        try:
            super().__init__(address, Handler)
        except OSError as exc:
            self.lanes.close()
            raise ConfigError(f"cannot listen on {address[0]}:{address[1]} ({exc.strerror or exc})") from exc

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/sparql"

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, up to ``max_connections``; past that a 503 at once."""
        with self._connections_lock:
            full = self._connections >= self.config.max_connections
            if not full:
                self._connections += 1
        if full:
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_BUSY)
            if self.access_log is not None:
                self.access_log.write(client_address[0], "-", "-", 503, 0.0, "-", False)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One log line, no traceback on standard error: clients that go away are normal."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | socket.timeout):
            log.debug("connection from %s ended: %s", client_address[0], exc)
        else:
            log.warning("request from %s failed: %s: %s", client_address[0], type(exc).__name__, exc)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._serving = True
        super().serve_forever(poll_interval)

    def close(self) -> None:
        """Stop serving (when started with ``serve_forever`` in another thread) and free everything."""
        if getattr(self, "_serving", False):
            self.shutdown()  # blocks until serve_forever returns, so only when it was started
            self._serving = False
        self.server_close()
        self.lanes.close()
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None


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
    workers: int = 3,
    heavy_workers: int = 1,
    queue_wait: float = 2.0,
    per_client: int = 0,
    access_log: IO[str] | None = None,
) -> SparqlServer:
    """Build the endpoint (not yet serving) for a graph file or an existing store.

    ``port=0`` picks a free port (see ``server.url``). ``per_client=0`` means ``workers - 1`` (at
    least 1). ``access_log``, e.g. ``sys.stderr``, gets one line per request.

    Raises:
        ConfigError: neither or both of graph and store given, bad limits, or the port is taken.
        InputError: the graph file or store cannot be read.
    """
    if (graph_path is None) == (store_dir is None):
        raise ConfigError("serve needs either a GRAPH file or --store DIR (not both)")
    if min(timeout, max_results, workers, heavy_workers, queue_wait) <= 0 or per_client < 0:
        raise ConfigError(
            "--timeout, --max-results, --workers, --heavy-workers and --queue-wait must be positive "
            "(--per-client 0 or more)"
        )
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
    config = EndpointConfig(
        store_dir=folder,
        timeout=timeout,
        max_results=max_results,
        workers=workers,
        heavy_workers=heavy_workers,
        queue_wait=queue_wait,
        per_client=per_client,
    )
    try:
        return SparqlServer((host, port), config, cleanup, access_log)
    except BaseException:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
        raise


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(server: SparqlServer) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), then free the workers and any temporary store."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._serving = False
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def start_in_thread(server: SparqlServer) -> threading.Thread:
    """Serve from a daemon thread (tests, notebooks); stop with ``server.close()``."""
    thread = threading.Thread(target=server.serve_forever, name="conflictkg-sparql", daemon=True)
    thread.start()
    return thread
