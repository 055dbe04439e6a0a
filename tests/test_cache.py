"""The build cache (graph.cache): records kept per configuration, read back in the run's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.cache import ResultCache
from graph.errors import OutputError
from graph.records import Article


def _article(article_id: str) -> Article:
    return Article(id=article_id, text=f"Text of {article_id}.")


def _fill(folder: Path, config: str, ids: list[str]) -> None:
    cache = ResultCache(folder, config)
    for n, article_id in enumerate(ids):
        assert not cache.note(_article(article_id), f"sha-{article_id}")
        cache.put(article_id, f"sha-{article_id}", f"<{article_id}> <p> <o> .\n", (n, ("x", article_id)))
    cache.close()


def test_records_come_back_in_the_order_of_this_run(tmp_path: Path) -> None:
    _fill(tmp_path, "c1", ["a", "b", "c"])
    cache = ResultCache(tmp_path, "c1")
    assert cache.note(_article("c"), "sha-c") and cache.note(_article("a"), "sha-a")
    assert not cache.note(_article("b"), "changed")  # content changed: parse it again
    rows = list(cache.run_articles())
    assert [(i, record) for i, _, record in rows] == [
        ("c", (2, ("x", "c"))),
        ("a", (0, ("x", "a"))),
        ("b", (1, ("x", "b"))),
    ]
    assert rows[0][1] == "<c> <p> <o> .\n"
    cache.close()


@pytest.mark.parametrize(
    ("config", "reuse", "kept"), [("c1", True, True), ("c2", True, False), ("c1", False, False)]
)
def test_other_configuration_or_no_resume_starts_empty(
    tmp_path: Path, config: str, reuse: bool, kept: bool
) -> None:
    _fill(tmp_path, "c1", ["a", "b"])
    cache = ResultCache(tmp_path, config, reuse=reuse)
    assert cache.cached_ids() == ({"a", "b"} if kept else set())
    cache.close()


def test_unusable_file_is_an_output_error_unless_no_resume(tmp_path: Path) -> None:
    (tmp_path / "cache.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(OutputError, match="--no-resume"):
        ResultCache(tmp_path, "c1")
    cache = ResultCache(tmp_path, "c1", reuse=False)
    assert cache.cached_ids() == set()
    cache.close()


@pytest.mark.parametrize(
    ("module", "counts"),
    [
        ("extraction/spans.py", True),
        ("extraction/actors.py", True),
        ("records.py", True),
        ("viz.py", False),  # downstream of the cache: the page is re-assembled, not cached
    ],
)
def test_editing_code_that_decides_records_changes_the_fingerprint(
    monkeypatch, module: str, counts: bool
) -> None:
    """Editing extraction code (sub-packages included) must empty the cache; editing viz must not."""
    from graph import cache

    target = (Path(cache.__file__).resolve().parent / module).resolve()
    assert target.is_file()
    before = cache.fingerprint("model", "1", ())
    real = Path.read_bytes
    monkeypatch.setattr(
        Path, "read_bytes", lambda p: real(p) + (b"# edited" if p.resolve() == target else b"")
    )
    assert (cache.fingerprint("model", "1", ()) != before) is counts
