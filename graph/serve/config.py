"""The endpoint's settings: one frozen record, built once by ``create_server`` and passed down."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["LOOPBACK", "MAX_BODY", "EndpointConfig"]

MAX_BODY = 1 << 20  # bytes of query accepted in a POST body
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, slots=True, kw_only=True)
class EndpointConfig:
    """Limits of the endpoint; see the package docstring for why each exists.

    ``per_client`` of 0 means one less than ``workers`` (at least 1), so one client can never hold
    every ordinary worker.
    """

    store_dir: Path
    timeout: float = 10.0  # seconds a query may run, counted from when a worker starts it
    max_results: int = 10_000  # rows (or triples) returned at most; the rest is cut, and a header says so
    workers: int = 3  # worker processes for ordinary queries
    heavy_workers: int = 1  # worker processes, at low CPU priority, for queries the cost guard flags
    queue_wait: float = 2.0  # seconds an ordinary query may wait for a worker before a 503
    heavy_wait: float = 0.5  # the same for heavy queries; short, so a refused runaway learns it at once
    per_client: int = 0  # ordinary queries one client address may have running at once (0: workers - 1)
    heavy_per_client: int = 1  # heavy queries one client address may have running at once
    max_waiting: int = 64  # queries waiting for a worker per lane; more are refused at once
    max_connections: int = 256  # open connections (one thread each); more are refused at once
    heavy_nice: int = 10  # added to the heavy workers' nice value, so ordinary queries get the CPU first
    idle_timeout: float = 30.0  # seconds a connection may stay silent before it is closed

    @property
    def client_limit(self) -> int:
        """Ordinary queries one client may have running at once."""
        return self.per_client or max(1, self.workers - 1)
