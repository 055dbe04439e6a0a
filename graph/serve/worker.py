"""One query worker process and the server's handle on it.

Why processes: a pyoxigraph query cannot be interrupted from another thread, so each query runs in
a worker process that can be killed when it outlives its timeout. Workers open the store read-only,
so even a bug cannot write to it.

Why a plain subprocess (``python -m graph.serve --worker DIR``) rather than ``multiprocessing``:
spawning re-imports the caller's main script, which breaks scripts and notebooks without an
``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from graph.errors import ConfigError
from graph.serve.results import Reply, run_query, text_reply

__all__ = ["Worker", "worker_main"]

START_TIMEOUT = 60.0  # seconds a new worker may take to open the store


def worker_main(store_dir: str, nice: int = 0) -> None:
    """The worker process: open the store read-only, answer queries from stdin until told to stop."""
    import pyoxigraph as ox

    # Ctrl-C reaches the whole process group; the server stops its workers itself, without tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), name="watch-server", daemon=True).start()
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
            reply = run_query(store, *message)
        except Exception as exc:  # report, never die silently: the server waits for an answer
            reply = text_reply(500, f"query failed: {exc}")
        writer.send(reply)


def _exit_with_parent(parent: int) -> None:
    """End this worker when the server is gone, even in the middle of a runaway query.

    A killed server closes the pipes, but a worker busy in a query never reads them; pyoxigraph
    releases the GIL while it runs, so this thread still gets to look.
    """
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


class Worker:
    """A running worker process and the pipes to it; ``nice`` lowers its CPU priority."""

    def __init__(self, store_dir: Path, nice: int = 0) -> None:
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.serve", "--worker", str(store_dir), "--nice", str(nice)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None  # for the type checker
        self._writer = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self._reader = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        try:
            ready = self._reader.poll(START_TIMEOUT) and self._reader.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise ConfigError(f"{store_dir}: the query worker could not open the store")

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, message: tuple[Any, ...], timeout: float) -> Reply | None:
        """The worker's reply, or None if it took longer than ``timeout`` seconds.

        Raises:
            OSError, EOFError: the worker died (a pickling error reads as one too).
        """
        self._writer.send(message)
        if self._reader.poll(timeout):
            try:
                reply: Reply = self._reader.recv()
            except Exception as exc:  # an unpicklable or cut reply: treat the worker as dead
                raise EOFError(str(exc)) from exc
            return reply
        return None

    def kill(self) -> None:
        """Kill the process at once (a runaway query, or a worker in a bad state)."""
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.wait(5)
        for conn in (self._reader, self._writer) if hasattr(self, "_reader") else ():
            with contextlib.suppress(Exception):
                conn.close()

    def stop(self) -> None:
        """Ask the process to finish, then make sure it has."""
        with contextlib.suppress(Exception):
            self._writer.send(None)
            self.process.wait(2)
        self.kill()
