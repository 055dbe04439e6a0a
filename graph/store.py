"""A persistent Oxigraph store for graphs too large for rdflib's in-memory SPARQL.

``conflictkg load GRAPH --store DIR`` bulk-loads a graph file into an on-disk store (RocksDB);
``query`` and ``serve`` then open it read-only with ``--store DIR``, which takes well under a
second whatever the graph's size. Loading more files into the same store adds to it: IRIs are
minted from content, so loading the same triples twice changes nothing. Triples of N-Quads files
keep their named graphs; queries see the union of all graphs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import InputError, OutputError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["StoreStats", "load_store", "open_store", "store_stats"]

log = logging.getLogger(__name__)

_FORMATS = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".ntriples": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".nquads": "N_QUADS",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".trig": "TRIG",
}


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What a store holds, for the CLI's summary line."""

    quads: int
    named_graphs: int


def _rdf_format(path: Path) -> pyoxigraph.RdfFormat:
    import pyoxigraph as ox

    name = _FORMATS.get(path.suffix.lower())
    if name is None:
        raise InputError(f"{path}: unknown RDF file extension; use one of {', '.join(sorted(_FORMATS))}")
    return getattr(ox.RdfFormat, name)


def load_store(graph_path: Path, store_dir: Path) -> pyoxigraph.Store:
    """Bulk-load ``graph_path`` into the (new or existing) store at ``store_dir``; return the store.

    The store is opened read-write, so no other process may have it open.

    Raises:
        InputError: the graph file is missing, has an unknown extension or does not parse.
        OutputError: the store folder cannot be created or is locked by another process.
    """
    import pyoxigraph as ox

    graph_path, store_dir = Path(graph_path), Path(store_dir)
    fmt = _rdf_format(graph_path)
    if not graph_path.is_file():
        raise InputError(f"{graph_path}: no such graph file")
    if store_dir.exists() and not store_dir.is_dir():
        raise OutputError(f"{store_dir}: exists and is not a folder; pick another --store")
    try:
        store = ox.Store(str(store_dir))
    except OSError as exc:
        raise OutputError(
            f"{store_dir}: cannot open the store for writing ({_first_line(exc)}); "
            "is a `conflictkg serve` or another load using it?"
        ) from exc
    try:
        store.bulk_load(path=str(graph_path), format=fmt)
        store.flush()
    except SyntaxError as exc:
        raise InputError(f"{graph_path}: does not parse ({_first_line(exc)}); nothing was loaded") from exc
    except OSError as exc:
        raise OutputError(f"{store_dir}: loading {graph_path.name} failed ({_first_line(exc)})") from exc
    log.info("loaded %s into %s", graph_path, store_dir)
    return store


def open_store(store_dir: Path, *, read_only: bool = True) -> pyoxigraph.Store:
    """Open an existing store (read-only by default, so several readers can share it).

    Raises:
        InputError: the folder is missing or does not hold an Oxigraph store.
    """
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    if not store_dir.is_dir() or not any(store_dir.iterdir()):
        hint = f"create one with `conflictkg load GRAPH --store {store_dir}`"
        raise InputError(f"{store_dir}: no store there; {hint}")
    try:
        return ox.Store.read_only(str(store_dir)) if read_only else ox.Store(str(store_dir))
    except OSError as exc:
        raise InputError(f"{store_dir}: cannot open the store ({_first_line(exc)})") from exc


def store_stats(store: pyoxigraph.Store) -> StoreStats:
    """How many quads and named graphs a store holds."""
    return StoreStats(quads=len(store), named_graphs=sum(1 for _ in store.named_graphs()))


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
