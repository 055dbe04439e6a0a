"""Atomic file writes, so a failed or interrupted run never leaves a half-written output behind.

Every output file (``graph.ttl``, ``graph.html``, ``relations.jsonl``, ...) goes through
:func:`write_atomic` or :func:`atomic_writer`: the data is written to a temporary file in the same
folder, flushed to disk, then renamed over the target with :func:`os.replace`, which is atomic on
POSIX and Windows when both paths are on the same file system. Readers therefore see either the old
file or the complete new one, never a mixture.

A build writes several files that belong together. Inside :func:`staged_outputs`, the renames are
held back until the block ends without error, so a run that fails while writing its third file
leaves all the earlier outputs as they were, not a new ``relations.jsonl`` beside an old graph.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_writer", "staged_outputs", "write_atomic"]

# The open stage of the current build, if any: a context variable rather than an argument so that
# write_graph, write_html and friends join it without knowing about it.
_STAGE: contextvars.ContextVar[_Stage | None] = contextvars.ContextVar("output_stage", default=None)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (UTF-8 for text); create the parent folder.

    On any failure the temporary file is removed and an existing ``path`` is left untouched.
    """
    mode = "wb" if isinstance(data, bytes) else "w"
    with atomic_writer(path, mode=mode) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_writer(path: Path | str, mode: str = "w") -> Iterator[IO[Any]]:
    """Yield a file handle whose content replaces ``path`` only when the block ends without error.

    Use it for streamed outputs (``relations.jsonl``) that are too large to build as one string.
    Inside :func:`staged_outputs` the replacement waits for the end of that block.

    Args:
        path: The final file.
        mode: ``"w"`` for UTF-8 text (``"\\n"`` line endings on every platform) or ``"wb"`` for bytes.

    Raises:
        ValueError: If ``mode`` is neither ``"w"`` nor ``"wb"``.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_writer mode must be 'w' or 'wb', not {mode!r}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same folder as the target: os.replace is only atomic within one file system.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        if mode == "wb":
            handle: IO[Any] = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        # BaseException too: Ctrl-C during a long write must not leave ".graph.ttl.xyz.tmp" behind.
        _remove(tmp)
        raise
    stage = _STAGE.get()
    if stage is not None:
        stage.add(tmp, target)
    else:
        _commit([(tmp, target)])


@contextlib.contextmanager
def staged_outputs() -> Iterator[None]:
    """Hold back every atomic write in the block and replace all targets together at its end.

    If the block raises (or is interrupted), no target is replaced and all temporary files are
    removed. Nested blocks join the outermost one.
    """
    if _STAGE.get() is not None:
        yield
        return
    stage = _Stage()
    token = _STAGE.set(stage)
    try:
        yield
    except BaseException:
        stage.discard()
        raise
    finally:
        _STAGE.reset(token)
    stage.commit()


class _Stage:
    """Temporary files waiting to replace their targets, in the order they were written."""

    def __init__(self) -> None:
        self._pending: dict[Path, Path] = {}  # target → temporary file

    def add(self, tmp: Path, target: Path) -> None:
        previous = self._pending.pop(target, None)
        if previous is not None:  # written twice in one stage: the last write wins
            _remove(previous)
        self._pending[target] = tmp

    def discard(self) -> None:
        for tmp in self._pending.values():
            _remove(tmp)
        self._pending.clear()

    def commit(self) -> None:
        pairs = [(tmp, target) for target, tmp in self._pending.items()]
        self._pending.clear()
        _commit(pairs)


def _commit(pairs: list[tuple[Path, Path]]) -> None:
    """Rename each temporary file over its target; on failure remove the temporary files left."""
    try:
        for tmp, target in pairs:
            _keep_permissions(target, tmp)
        for tmp, target in pairs:
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in pairs:
            _remove(tmp)
        raise
    for folder in dict.fromkeys(target.parent for _, target in pairs):
        _fsync_folder(folder)


def _remove(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()


def _keep_permissions(target: Path, tmp: Path) -> None:
    """Give the new file the old file's mode, or ``rw-r--r--`` for a new file.

    ``mkstemp`` creates files readable by the owner only, which would surprise users sharing ``out/``.
    (Reading the umask means setting it, which is not thread-safe, so a fixed default is used.)
    """
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    os.chmod(tmp, mode)


def _fsync_folder(folder: Path) -> None:
    """Make the renames themselves durable; not possible (nor needed) on every platform."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
