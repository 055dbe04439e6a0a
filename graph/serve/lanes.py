"""The worker pool and its limits: two lanes of worker processes, each with bounded admission.

A request comes in with a route from the cost guard (``cost``) and a client address, and leaves
with a :class:`~graph.serve.results.Reply`. Each lane has its own workers, so heavy queries can
never hold the workers ordinary queries need:

* **admission before execution**: a query first waits for a free worker of its lane, at most
  ``queue_wait`` seconds (``heavy_wait`` in the heavy lane) and behind at most ``max_waiting``
  others; past either limit it gets 503 with ``Retry-After`` at once, instead of piling up;
* **the timeout counts from when a worker starts the query**, so time spent waiting never eats into
  it; a query that outlives it has its worker killed (503, no ``Retry-After``: the query itself is
  the problem) and a new worker is started in the background, after the answer has gone out;
* **per-client limits**: one client address may have at most ``client_limit`` ordinary queries
  (one less than the workers) and ``heavy_per_client`` heavy ones running; its further queries
  wait, and other clients' queries behind them go first. Waiting queries are otherwise served in
  arrival order;
* **heavy workers run at a lower CPU priority** (``nice``), so on a small machine a runaway takes
  only the CPU time ordinary queries leave.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import ConfigError
from graph.serve.config import EndpointConfig
from graph.serve.cost import Route
from graph.serve.results import Reply, text_reply
from graph.serve.worker import Worker

__all__ = ["Lane", "LaneStats", "Lanes"]

log = logging.getLogger(__name__)

Spawn = Callable[[Path, int], Worker]


@dataclass(frozen=True, slots=True)
class LaneStats:
    """A lane's state for ``/health``: ``workers`` counts running, idle and starting ones."""

    workers: int
    idle: int
    running: int
    starting: int
    waiting: int


@dataclass(eq=False, slots=True)
class _Waiter:
    """A query waiting for a worker; the lane hands it one and sets ``ready``."""

    client: str
    ready: threading.Event = field(default_factory=threading.Event)
    worker: Worker | None = None


class Lane:
    """Worker processes for one kind of query, with bounded, per-client-fair admission."""

    def __init__(
        self,
        name: str,
        config: EndpointConfig,
        *,
        size: int,
        wait: float,
        client_limit: int,
        nice: int = 0,
        spawn: Spawn = Worker,
    ) -> None:
        self.name = name
        self.config = config
        self.wait = wait
        self.client_limit = client_limit
        self.nice = nice
        self._spawn = spawn
        self._lock = threading.Lock()
        self._idle: list[Worker] = []
        self._running: dict[Worker, float] = {}  # worker -> when its query started (monotonic)
        self._starting = 0
        self._waiting: deque[_Waiter] = deque()
        self._per_client: Counter[str] = Counter()
        self._closed = False
        with ThreadPoolExecutor(max_workers=size) as pool:  # start them side by side: faster start-up
            futures = [pool.submit(spawn, config.store_dir, nice) for _ in range(size)]
            errors = [f.exception() for f in futures if f.exception() is not None]
            self._idle = [f.result() for f in futures if f.exception() is None]
        if errors:
            self.close()
            raise errors[0]  # type: ignore[misc]  # a ConfigError naming the store

    def run(self, client: str, message: tuple[Any, ...], why: str = "") -> Reply:
        """Run one query for ``client``: its reply, a timeout (503) or a refusal (503 + Retry-After).

        ``why`` says why the query is in this lane; it is added to 503 messages.
        """
        note = f" ({self.name} query: {why})" if why else ""
        waiter = _Waiter(client)
        with self._lock:
            if self._closed:
                return text_reply(503, "the server is shutting down", retry_after=1)
            if len(self._waiting) >= self.config.max_waiting:
                return self._refusal(f"{len(self._waiting)} queries are already waiting{note}")
            self._waiting.append(waiter)
            self._dispatch()
        if not waiter.ready.wait(self.wait):
            with self._lock:
                if waiter.worker is None:  # (it may have been handed a worker just now)
                    with contextlib.suppress(ValueError):  # (close() may have taken it off)
                        self._waiting.remove(waiter)
                    return self._refusal(f"no {self.name} worker was free within {self.wait:g} s{note}")
        if waiter.worker is None:  # the lane was closed while it waited
            return text_reply(503, "the server is shutting down", retry_after=1)
        return self._execute(waiter.worker, client, message, note)

    def _dispatch(self) -> None:
        """Hand free workers to waiting queries, in arrival order, skipping clients at their limit.

        Called with the lock held whenever a worker or a client's slot frees up; it wakes only the
        queries it hands a worker to (waking every waiter would make each of them fight for the GIL).
        """
        while self._idle and self._waiting:
            waiter = next((w for w in self._waiting if self._per_client[w.client] < self.client_limit), None)
            if waiter is None:
                return
            self._waiting.remove(waiter)
            waiter.worker = self._idle.pop()
            self._running[waiter.worker] = time.monotonic()
            self._per_client[waiter.client] += 1
            waiter.ready.set()

    def _execute(self, worker: Worker, client: str, message: tuple[Any, ...], note: str) -> Reply:
        timeout = self.config.timeout
        try:
            reply = worker.ask(message, timeout)
            failed = reply is None or not worker.alive()
        except (OSError, EOFError) as exc:
            log.warning("a %s query worker died (%s); starting a new one", self.name, exc)
            reply, failed = text_reply(500, "the query worker died; try again"), True
        if reply is None:
            log.info("a %s query ran for %gs; killing its worker", self.name, timeout)
            reply = text_reply(503, f"the query timed out after {timeout:g} s and was stopped{note}")
        if failed:
            worker.kill()  # fast (SIGKILL); the new worker starts in the background
        with self._lock:
            del self._running[worker]
            self._per_client[client] -= 1
            if self._per_client[client] <= 0:
                del self._per_client[client]
            retire = self._closed and not failed
            if failed and not self._closed:
                self._starting += 1
                threading.Thread(
                    target=self._replace, name=f"sparql-{self.name}-restart", daemon=True
                ).start()
            elif not failed and not self._closed:
                self._idle.append(worker)
            self._dispatch()
        if retire:
            worker.stop()
        return reply

    def _replace(self) -> None:
        try:
            worker: Worker | None = self._spawn(self.config.store_dir, self.nice)
        except ConfigError as exc:
            log.error("could not start a new %s query worker: %s", self.name, exc)
            worker = None
        with self._lock:
            self._starting -= 1
            if worker is not None and not self._closed:
                self._idle.append(worker)
                worker = None
                self._dispatch()
        if worker is not None:
            worker.stop()

    def _refusal(self, why: str) -> Reply:
        """503 with Retry-After: 1 s for ordinary queries (they are short); in the heavy lane, the
        time until the soonest running query reaches its timeout, when a worker is free at the latest."""
        retry = 1
        if self.name == Route.HEAVY and self._running:
            now = time.monotonic()
            soonest = min(started + self.config.timeout - now for started in self._running.values())
            retry = max(1, min(math.ceil(soonest), math.ceil(self.config.timeout)))
        return text_reply(503, f"the server is busy: {why}; retry after {retry} s", retry_after=retry)

    def stats(self) -> LaneStats:
        with self._lock:
            idle, running, starting = len(self._idle), len(self._running), self._starting
            return LaneStats(idle + running + starting, idle, running, starting, len(self._waiting))

    def close(self) -> None:
        """Stop idle workers, kill running ones (their queries end with an error) and refuse new ones."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            running = list(self._running)
            waiting, self._waiting = self._waiting, deque()
        for waiter in waiting:
            waiter.ready.set()  # with no worker: they answer that the server is shutting down
        for worker in idle:
            worker.stop()
        for worker in running:
            worker.kill()


class Lanes:
    """The ordinary and the heavy lane, built from the endpoint's settings."""

    def __init__(self, config: EndpointConfig, spawn: Spawn = Worker) -> None:
        self.ordinary = Lane(
            Route.ORDINARY,
            config,
            size=config.workers,
            wait=config.queue_wait,
            client_limit=config.client_limit,
            spawn=spawn,
        )
        try:
            self.heavy = Lane(
                Route.HEAVY,
                config,
                size=config.heavy_workers,
                wait=min(config.heavy_wait, config.queue_wait),
                client_limit=config.heavy_per_client,
                nice=config.heavy_nice,
                spawn=spawn,
            )
        except BaseException:
            self.ordinary.close()
            raise

    def lane(self, route: Route) -> Lane:
        return self.heavy if route is Route.HEAVY else self.ordinary

    def stats(self) -> dict[str, LaneStats]:
        return {lane.name: lane.stats() for lane in (self.ordinary, self.heavy)}

    def close(self) -> None:
        self.ordinary.close()
        self.heavy.close()
