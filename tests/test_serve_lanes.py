"""Tests for graph.serve.lanes: admission, per-client fairness, timeouts and Retry-After, with fake workers.

A fake worker "runs" a query by sleeping for the seconds the query text names, so each limit is
tested in a fraction of a second and without processes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from graph.serve.config import EndpointConfig
from graph.serve.lanes import Lane, Lanes
from graph.serve.results import Reply, text_reply


class FakeWorker:
    """Answers ``("0.2", ...)`` after 0.2 s; None (a timeout) when that is over the timeout."""

    started = 0

    def __init__(self, store_dir: Path, nice: int = 0) -> None:
        FakeWorker.started += 1
        self.nice = nice
        self.killed = False

    def ask(self, message: tuple[Any, ...], timeout: float) -> Reply | None:
        seconds = float(message[0])
        time.sleep(min(seconds, timeout))
        return None if seconds > timeout else text_reply(200, f"slept {seconds}")

    def alive(self) -> bool:
        return not self.killed

    def kill(self) -> None:
        self.killed = True

    def stop(self) -> None:
        self.killed = True


def _lane(
    name: str = "ordinary", *, size: int = 1, wait: float = 1.0, client_limit: int = 1, **limits: Any
) -> Lane:
    config = EndpointConfig(store_dir=Path("unused"), **limits)
    return Lane(name, config, size=size, wait=wait, client_limit=client_limit, spawn=FakeWorker)


def _in_thread(lane: Lane, client: str, seconds: float, out: dict[str, Any], key: str) -> threading.Thread:
    def run() -> None:
        reply = lane.run(client, (str(seconds),))
        out[key] = (reply, time.monotonic())

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_query_waits_at_most_queue_wait_then_gets_503_with_retry_after() -> None:
    lane = _lane(wait=0.2, timeout=5.0)
    out: dict[str, Any] = {}
    busy = _in_thread(lane, "a", 0.8, out, "busy")
    time.sleep(0.05)
    started = time.monotonic()
    reply = lane.run("b", ("0.01",))
    assert reply.status == 503 and reply.retry_after == 1
    assert b"no ordinary worker was free within 0.2 s" in reply.body
    assert 0.15 < time.monotonic() - started < 0.6
    busy.join()
    assert out["busy"][0].status == 200
    lane.close()


def test_a_full_queue_refuses_at_once() -> None:
    lane = _lane(wait=2.0, max_waiting=1)
    out: dict[str, Any] = {}
    threads = [_in_thread(lane, "a", 0.5, out, "running"), _in_thread(lane, "b", 0.01, out, "waiting")]
    time.sleep(0.1)
    started = time.monotonic()
    reply = lane.run("c", ("0.01",))
    assert reply.status == 503 and reply.retry_after is not None and b"already waiting" in reply.body
    assert time.monotonic() - started < 0.1
    for thread in threads:
        thread.join()
    assert out["waiting"][0].status == 200
    lane.close()


def test_one_client_cannot_hold_every_worker() -> None:
    """Client a has 3 queries in; b's query, sent after them, starts on the worker a may not take."""
    lane = _lane(size=2, client_limit=1, wait=3.0)
    out: dict[str, Any] = {}
    threads = [_in_thread(lane, "a", 0.4, out, f"a{i}") for i in range(3)]
    time.sleep(0.05)
    started = time.monotonic()
    threads.append(_in_thread(lane, "b", 0.05, out, "b"))
    for thread in threads:
        thread.join()
    assert all(reply.status == 200 for reply, _ in out.values())
    assert out["b"][1] - started < 0.3  # b did not wait for a's queries
    assert (
        sorted(done for _, done in (out["a0"], out["a1"], out["a2"]))[-1] - started > 0.7
    )  # a's ran one by one


def test_the_timeout_counts_from_the_start_and_the_worker_is_replaced() -> None:
    FakeWorker.started = 0
    lane = _lane(wait=2.0, timeout=0.3)
    out: dict[str, Any] = {}
    first = _in_thread(lane, "a", 0.2, out, "first")  # finishes inside its own timeout
    time.sleep(0.05)
    started = time.monotonic()
    reply = lane.run("b", ("5",))  # waits ~0.15 s, then runs 0.3 s: not cut short by its wait
    first.join()
    assert out["first"][0].status == 200
    assert reply.status == 503 and reply.retry_after is None and b"timed out after 0.3 s" in reply.body
    assert time.monotonic() - started >= 0.4
    deadline = time.monotonic() + 2
    while lane.stats().idle < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert FakeWorker.started == 2 and lane.stats().workers == 1
    assert lane.run("c", ("0.01",)).status == 200
    lane.close()


def test_heavy_refusals_say_when_the_running_query_will_be_done() -> None:
    lane = _lane("heavy", wait=0.1, timeout=4.0)
    out: dict[str, Any] = {}
    busy = _in_thread(lane, "a", 1.2, out, "busy")
    time.sleep(0.05)
    reply = lane.run("b", ("0.01",), why="a cartesian product")
    assert reply.status == 503 and reply.retry_after == 4
    assert b"heavy query: a cartesian product" in reply.body
    busy.join()
    lane.close()


def test_lanes_are_separate_and_heavy_workers_run_niced() -> None:
    config = EndpointConfig(store_dir=Path("unused"), workers=2, heavy_workers=1, heavy_nice=7)
    lanes = Lanes(config, spawn=FakeWorker)
    stats = lanes.stats()
    assert stats["ordinary"].workers == 2 and stats["heavy"].workers == 1
    assert [w.nice for w in lanes.heavy._idle] == [7] and {w.nice for w in lanes.ordinary._idle} == {0}
    out: dict[str, Any] = {}
    busy = _in_thread(lanes.heavy, "a", 0.5, out, "heavy")
    time.sleep(0.05)
    assert lanes.ordinary.run("b", ("0.01",)).status == 200  # a busy heavy lane does not hold it up
    busy.join()
    lanes.close()
    assert lanes.ordinary.run("b", ("0.01",)).status == 503


@pytest.mark.parametrize("per_client, workers, expected", [(0, 3, 2), (0, 1, 1), (5, 3, 5)])
def test_client_limit_default(per_client: int, workers: int, expected: int) -> None:
    config = EndpointConfig(store_dir=Path("unused"), workers=workers, per_client=per_client)
    assert config.client_limit == expected
