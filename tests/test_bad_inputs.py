"""The bad-input battery, through the real ``conflictkg`` command.

A folder holding every kind of bad input plus good articles must build (exit code 1 = something
skipped), print one line per skipped input on standard error, never a traceback, and write the
good articles' relations. Failed runs must leave earlier outputs byte-identical.

Exit codes (graph/errors.py, README): 0 all fine, 1 some inputs skipped, 2 usage error, 3 input
error (missing path, nothing usable), 4 spaCy pipeline missing, 5 ontology error, 6 query error,
7 output error, 8 validation violations, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.ingest import parse_header

ROOT = Path(__file__).resolve().parent.parent
CONFLICTKG = Path(sys.executable).parent / "conflictkg"

GOOD = (
    "date 2023-05-14 KYIV, Ukraine (Reuters) — Ukrainian forces shelled Russian positions near Bakhmut on "
    "Sunday, the military said. Russia attacked Ukraine with drones and cruise missiles overnight, striking "
    "power stations in the east of the country.\n\n"
    "Poland has backed Ukraine with tanks and ammunition since the start of the war, officials in Warsaw "
    "said. Ukraine and Russia held talks in Istanbul on a grain deal last year.\n"
)
# Windows-1252 bytes (curly quotes, a dash): read with a warning, not skipped.
WINDOWS_1252 = (
    "date 2024-10-02 BEIRUT (AP) – Israel’s army said Hezbollah fired rockets at the town of Metula. "
    "Israel attacked Hezbollah in southern Lebanon overnight, the group said in a statement.\n"
)
GERMAN = (
    "Die ukrainischen Truppen haben in der Nacht russische Stellungen nahe der Stadt beschossen, teilte "
    "die Armee am Dienstag mit. Russland hat die Ukraine mit Drohnen und Raketen angegriffen, und die "
    "Behörden erklärten, die Angriffe hätten Kraftwerke im Osten des Landes getroffen."
)

# file → what the user must be told (a fragment of the one stderr line about it)
SKIPPED = {
    "blank.txt": "only whitespace",
    "empty.txt": "empty file",
    "german.txt": "not English",
    "huge.txt": "20,000,001 bytes, over the 20,000,000-byte limit",
    "lines.jsonl:1": "not valid JSON",
    "lines.jsonl:2": "missing 'text'",
    "lines.jsonl:3": "'text' must be a string",
    "photo.txt": "binary file (a PNG image)",
    "report.txt": "binary file (a PDF file)",
    "sub/good.txt": "duplicate article id 'good'",
}


def write_bad_corpus(folder: Path) -> Path:
    """Every kind of bad input, two readable articles (one UTF-8, one Windows-1252), and clutter."""
    folder.mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "windows.txt").write_bytes(WINDOWS_1252.encode("cp1252"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \r\n\t\n ")
    (folder / "report.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "german.txt").write_text(GERMAN, encoding="utf-8")
    with (folder / "huge.txt").open("wb") as handle:  # just over the default 20 MB limit
        handle.truncate(20_000_001)
    (folder / "lines.jsonl").write_text(
        '{"id": "cut", "text": "Russia attacked\n{"id": "no-text"}\n{"id": "num", "text": 12}\n\n',
        encoding="utf-8",
    )
    (folder / "sub").mkdir()
    (folder / "sub" / "good.txt").write_text("Another article that reuses the id good.", encoding="utf-8")
    (folder / "notes.md").write_text("# not an article: ignored")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


def _relations(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "relations.jsonl").read_text(encoding="utf-8").splitlines()]


def _dyads(out: Path) -> set[tuple[str, str, str, str]]:
    return {
        (r["article"], r["source"]["label"], r["relation"], r["target"]["label"]) for r in _relations(out)
    }


def _snapshot(out: Path) -> dict[str, bytes]:
    """The output files (a leftover temporary file would show up too); the cache folder is not an output."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def _check_skip_lines(stderr: str, corpus: Path) -> None:
    """Exactly one stderr line names each skipped input, with its reason; nothing else is skipped."""
    skip_lines = [line for line in stderr.splitlines() if "skipped" in line]
    assert len(skip_lines) == len(SKIPPED), stderr
    for name, reason in SKIPPED.items():
        [line] = [line for line in skip_lines if f"skipped {corpus / name}: " in line]
        assert reason in line, (name, line)


# --- the real installed command, as a user runs it -------------------------------------------------


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONFLICTKG), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.skipif(not CONFLICTKG.exists(), reason="conflictkg is not installed in this environment")
def test_bad_corpus_builds_then_failed_run_keeps_graph(tmp_path: Path) -> None:
    corpus = write_bad_corpus(tmp_path / "corpus")
    out = tmp_path / "out"

    first = _run("build", corpus, "-o", out, cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    for stream in (first.stdout, first.stderr):
        assert "Traceback" not in stream
    _check_skip_lines(first.stderr, corpus)
    assert f"{corpus / 'windows.txt'}: not valid UTF-8" in first.stderr and "cp1252" in first.stderr
    assert "articles: 2" in first.stdout
    dyads = _dyads(out)
    assert ("good", "Russia", "attacked", "Ukraine") in dyads
    assert ("good", "Poland", "backed", "Ukraine") in dyads
    assert {article for article, *_ in dyads} <= {"good", "windows"}
    assert "Russia" in (out / "graph.ttl").read_text(encoding="utf-8")
    before = _snapshot(out)
    assert set(before) == {"graph.html", "graph.ttl", "relations.jsonl"}

    second = _run("build", tmp_path / "no-such-folder", "-o", out, cwd=tmp_path)
    assert second.returncode == 3
    assert (
        second.stderr.strip()
        == f"error: {tmp_path / 'no-such-folder'}: no such file or folder; check the path"
    )
    assert "Traceback" not in second.stdout + second.stderr
    assert _snapshot(out) == before  # graph.ttl (and the rest) byte-identical, no temp files


# --- in-process runs of the same entry point, where the test must reach inside -----------------------


@pytest.fixture()
def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], session_nlp: object
) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """Run ``graph.cli.main`` in this process with the session's spaCy pipeline; restore logging after."""
    import graph.nlp
    from graph.cli import main

    monkeypatch.setattr(graph.nlp, "load_pipeline", lambda name=None: session_nlp)
    logger = logging.getLogger("graph")
    saved = (logger.handlers[:], logger.level, logger.propagate)

    def run(*args: str | Path) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["conflictkg", *map(str, args)])
        with pytest.raises(SystemExit) as exit_info:
            main()
        captured = capsys.readouterr()
        code = exit_info.value.code
        return (code if isinstance(code, int) else 0), captured.out, captured.err

    yield run
    logger.handlers[:], logger.level, logger.propagate = saved


def test_empty_folder_is_an_input_error_and_touches_nothing(tmp_path: Path, run_main) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.md").write_text("no articles here")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# an earlier graph\n")
    code, out_text, err = run_main("build", tmp_path / "empty", "-o", out)
    assert code == 3
    [line] = err.strip().splitlines()
    assert line.startswith("error: no article could be read")
    assert "Traceback" not in out_text + err
    assert _snapshot(out) == {"graph.ttl": b"# an earlier graph\n"}


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_main) -> None:
    # Tests run as root, where chmod 000 does not stop reading; simulate the permission error instead.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    (corpus / "locked.txt").write_text(GOOD.replace("Poland", "Lithuania"))
    real_open = Path.open

    def guarded_open(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    code, out, err = run_main("build", corpus, "-o", tmp_path / "out")
    assert code == 1
    assert f"skipped {corpus / 'locked.txt'}: cannot read: permission denied" in err
    assert "Traceback" not in out + err
    assert ("good", "Poland", "backed", "Ukraine") in _dyads(tmp_path / "out")


def test_article_longer_than_max_length_is_chunked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_main, session_nlp
) -> None:
    # The real limit is 1,000,000 characters; a low limit exercises the same chunking path quickly.
    monkeypatch.setattr(session_nlp, "max_length", 2_000)
    filler = "Officials said the weather in the capital was cold and that schools would stay open.\n\n" * 80
    text = GOOD + "\n" + filler + "Turkey attacked Syria near Idlib, the ministry said.\n"
    assert len(text) > 3 * 2_000
    (tmp_path / "long.txt").write_text(text)
    code, _, err = run_main("build", tmp_path / "long.txt", "-o", tmp_path / "out")
    assert code == 0, err
    dyads = _dyads(tmp_path / "out")
    assert ("long", "Russia", "attacked", "Ukraine") in dyads  # first chunk
    assert ("long", "Turkey", "attacked", "Syria") in dyads  # last chunk
    body = parse_header(text)[0]  # offsets count from the article body, after the header line
    late = [r for r in _relations(tmp_path / "out") if r["target"]["label"] == "Syria"]
    assert late and all(body[r["evidence_start"] : r["evidence_end"]] == r["sentence"] for r in late)


def _build_once(tmp_path: Path, run_main) -> tuple[Path, Path, dict[str, bytes]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD)
    out = tmp_path / "out"
    code, _, err = run_main("build", corpus, "-o", out)
    assert code == 0, err
    (corpus / "more.txt").write_text("Turkey attacked Syria near Idlib, the ministry said on Monday.")
    return corpus, out, _snapshot(out)


def test_interrupt_while_writing_relations_keeps_old_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_main
) -> None:
    corpus, out, before = _build_once(tmp_path, run_main)
    import graph.cache

    real = graph.cache.ResultCache.run_articles

    def interrupted(self):  # type: ignore[no-untyped-def]
        for n, row in enumerate(real(self)):
            if n == 1:
                raise KeyboardInterrupt  # Ctrl-C in the middle of streaming relations.jsonl
            yield row

    monkeypatch.setattr(graph.cache.ResultCache, "run_articles", interrupted)
    code, out_text, err = run_main("build", corpus, "-o", out)
    assert code == 130
    assert "Traceback" not in out_text + err
    assert _snapshot(out) == before


def test_failure_while_writing_html_keeps_all_old_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_main
) -> None:
    corpus, out, before = _build_once(tmp_path, run_main)
    import graph.viz

    def disk_full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(graph.viz, "write_atomic", disk_full)  # graph.html is written last
    code, out_text, err = run_main("build", corpus, "-o", out)
    assert code == 7, err
    assert "No space left on device" in err and "Traceback" not in out_text + err
    assert _snapshot(out) == before
