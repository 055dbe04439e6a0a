"""The build cache that makes builds resumable and incremental (``out/.conflictkg/cache.sqlite``).

One row per article: its id, the SHA-256 of its content, its N-Triples and a record of the rest of
what the outputs need of it (:class:`graph.outputs.ArticleOutputs`: relations.jsonl lines, the
page's edges). A re-run skips every article whose content hash is already there, so an interrupted
build continues where it stopped and new articles are added without re-parsing the old ones; the
final outputs are re-assembled from these rows. SQLite gives crash-safe commits and keyed lookups on
disk, so neither the manifest nor the records have to fit in memory.

The cache belongs to one configuration: a fingerprint of the spaCy pipeline (name and version), the
ontology data, the extra gazetteers and the conflictkg code. When it changes, the cache is emptied.
Records are pickled as plain tuples (a whole result's frozen dataclasses pickle field by field in
Python, ten times slower, and the outputs need a small part of them). The cache is a private file of
the user's own output folder, and the fingerprint covers the code that writes the records, so a
pickle is only ever read by the code that wrote it.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.errors import OutputError
from graph.records import Article

__all__ = ["CACHE_DIR", "ResultCache", "article_digest", "fingerprint"]

log = logging.getLogger(__name__)

CACHE_DIR = ".conflictkg"
# Top-level modules that never change what is cached of an article; every other module of the
# package, sub-packages (graph/extraction/) included, is in the fingerprint, so a change to
# extraction code, to what is stored (cache, jsonl, outputs) or a new extraction module empties the
# cache.
_DOWNSTREAM = frozenset({
    "analysis", "build", "cli", "engine_dask", "errors", "evaluate", "heap", "io", "network", "progress",
    "query", "resources", "serve", "store", "validate", "viz", "__init__", "__main__",
    "codebooks", "datasets", "dataset_actors", "dataset_events", "fusion", "importer",
})  # fmt: skip
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, record BLOB NOT NULL, ntriples TEXT NOT NULL);
CREATE TEMP TABLE run (seq INTEGER PRIMARY KEY, id TEXT NOT NULL);
"""


def article_digest(article: Article) -> str:
    """SHA-256 of everything about an article that reaches the outputs (not where it was read from)."""
    parts = (
        article.id,
        article.text,
        str(article.date or ""),
        article.title or "",
        article.url or "",
        article.source or "",
        article.dateline or "",
        str(article.body_offset),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def fingerprint(model: str, model_version: str, actors_files: Iterable[Path]) -> str:
    """A hash of what decides an article's result besides its text: pipeline, data files and code."""
    from graph.resources import ontology_dir

    digest = hashlib.sha256(f"{model}\x1f{model_version}".encode())
    files = [
        *_code_files(),
        *sorted(p for p in ontology_dir().rglob("*") if p.is_file()),
        *(Path(p) for p in actors_files),
    ]
    for path in files:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:  # an unreadable extra gazetteer fails later with a proper message
            digest.update(b"?")
    return digest.hexdigest()


def _code_files() -> list[Path]:
    """The package's modules that decide what is cached: all but the top-level downstream ones."""
    code = Path(__file__).resolve().parent
    return sorted(p for p in code.rglob("*.py") if p.parent != code or p.stem not in _DOWNSTREAM)


class ResultCache:
    """Extraction results of earlier runs, keyed by article id and content hash.

    Also records the input order of the current run (a temporary table), so outputs can be
    assembled in that order without keeping the list of articles in memory.
    """

    def __init__(self, folder: Path, config: str, *, reuse: bool = True) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "cache.sqlite"
        if not reuse:
            self._remove()
        self._db = self._open()
        row = self._db.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()
        if row is None or row[0] != config:
            if row is not None:
                log.info("%s: configuration changed; re-parsing every article", self.path)
                # a new file rather than emptied tables: deleting every row is slow (SQLite journals
                # it), and a cache written by other code may have other columns
                self._db.close()
                self._remove()
                self._db = self._open()
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('config', ?)", (config,))
            self._db.commit()
        self._seq = 0

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path)
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise OutputError(
                f"{self.path}: unusable build cache ({exc}); if no other build is writing to this "
                "folder, build with --no-resume (or delete the file)"
            ) from exc
        return db

    def _remove(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def note(self, article: Article, digest: str) -> bool:
        """Record ``article`` as the next one of this run; True if its result is already cached."""
        self._seq += 1
        self._db.execute("INSERT INTO run VALUES (?, ?)", (self._seq, article.id))
        row = self._db.execute("SELECT sha256 FROM articles WHERE id = ?", (article.id,)).fetchone()
        return row is not None and row[0] == digest

    def put(self, article_id: str, digest: str, ntriples: str, record: tuple) -> None:
        """Store an article's N-Triples and ``record``, a tuple of plain values (kept by :meth:`commit`)."""
        blob = pickle.dumps(tuple(record), protocol=pickle.HIGHEST_PROTOCOL)
        row = (article_id, digest, blob, ntriples)
        self._db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", row)

    def commit(self) -> None:
        """Make the stored results durable; an interrupted build resumes from here."""
        self._db.commit()

    def run_articles(self) -> Iterator[tuple[str, str, tuple]]:
        """(article id, N-Triples, record) of every article of this run, in input order."""
        rows = self._db.execute(
            "SELECT a.id, a.ntriples, a.record FROM run r JOIN articles a ON a.id = r.id ORDER BY r.seq"
        )
        for article_id, nt, blob in rows:
            yield article_id, nt, pickle.loads(blob)

    def cached_ids(self) -> set[str]:
        """Ids of every cached article (for tests and reports)."""
        return {row[0] for row in self._db.execute("SELECT id FROM articles")}

    def close(self) -> None:
        """Commit and close the database."""
        self._db.commit()
        self._db.close()
