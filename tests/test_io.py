"""Tests for graph.io: atomic writes keep the old file intact on failure and leave no temp files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from graph.io import atomic_writer, staged_outputs, write_atomic


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_text_creates_parent_and_writes_utf8(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "graph.ttl"
    write_atomic(target, "Türkiye — “quoted”\nline 2\n")
    assert target.read_bytes() == "Türkiye — “quoted”\nline 2\n".encode()
    assert _leftovers(target.parent) == []


def test_write_atomic_bytes_replaces_existing(tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    target.write_text("old")
    write_atomic(target, b"\x00new\xff")
    assert target.read_bytes() == b"\x00new\xff"


def test_write_atomic_new_file_is_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "relations.jsonl"
    write_atomic(target, "{}\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_write_atomic_keeps_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    target.chmod(0o600)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_write_atomic_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("old graph")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new graph")
    assert target.read_text() == "old graph"
    assert _leftovers(tmp_path) == []


def test_write_atomic_text_with_unencodable_surrogate_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("old graph")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "bad \ud800 text")
    assert target.read_text() == "old graph"
    assert _leftovers(tmp_path) == []


def test_atomic_writer_streams_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "relations.jsonl"
    target.write_text("old\n")
    with atomic_writer(target) as handle:
        for number in range(3):
            handle.write(f'{{"n": {number}}}\n')
        assert target.read_text() == "old\n"  # readers see the old file until the block ends
    assert target.read_text() == '{"n": 0}\n{"n": 1}\n{"n": 2}\n'
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()], ids=["exception", "ctrl-c"])
def test_atomic_writer_interrupted_keeps_old_file(tmp_path: Path, error: BaseException) -> None:
    target = tmp_path / "relations.jsonl"
    target.write_text("old\n")
    with pytest.raises(type(error)), atomic_writer(target) as handle:
        handle.write("half a line")
        raise error
    assert target.read_text() == "old\n"
    assert _leftovers(tmp_path) == []


def test_atomic_writer_writes_newlines_as_lf(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    with atomic_writer(target, mode="w") as handle:
        handle.write("a\nb\n")
    assert target.read_bytes() == b"a\nb\n"


def test_atomic_writer_rejects_append_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mode"), atomic_writer(tmp_path / "x", mode="a"):
        pass  # pragma: no cover


def test_staged_outputs_replace_all_files_at_the_end(tmp_path: Path) -> None:
    first, second = tmp_path / "relations.jsonl", tmp_path / "graph.ttl"
    first.write_text("old relations")
    with staged_outputs():
        with atomic_writer(first) as handle:
            handle.write("new relations")
        write_atomic(second, "new graph")
        assert first.read_text() == "old relations" and not second.exists()  # nothing replaced yet
    assert (first.read_text(), second.read_text()) == ("new relations", "new graph")
    assert _leftovers(tmp_path) == []


def test_staged_outputs_failure_keeps_every_old_file(tmp_path: Path) -> None:
    first, second = tmp_path / "relations.jsonl", tmp_path / "graph.ttl"
    first.write_text("old relations")
    second.write_text("old graph")
    with pytest.raises(RuntimeError, match="html failed"), staged_outputs():
        write_atomic(first, "new relations")
        write_atomic(second, "new graph")
        raise RuntimeError("html failed")
    assert (first.read_text(), second.read_text()) == ("old relations", "old graph")
    assert _leftovers(tmp_path) == []


def test_staged_outputs_last_write_wins_and_nesting_joins(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    with staged_outputs():
        write_atomic(target, "first")
        with staged_outputs():
            write_atomic(target, "second")
        assert not target.exists()  # the inner block did not commit on its own
    assert target.read_text() == "second"
    assert _leftovers(tmp_path) == []
    write_atomic(target, "after")  # outside any stage: immediate again
    assert target.read_text() == "after"
