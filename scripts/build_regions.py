"""Write ``ontology/places/regions.csv``: first-level regions (states, provinces, oblasts,
governorates) and their country, from GeoNames' ``admin1CodesASCII.txt`` (CC BY 4.0, GeoNames).

Extraction uses it for one thing: an unowned military target "in Borno state" or "in the Donetsk
region" stands for the state it is in, as a city or a state name already does. The file keeps only
names that say one country: a name shared by regions of two countries ("Central", "Northern"), a
name the gazetteer reads as an actor (Niger, a Nigerian state; Georgia, an American one), or a name
that is also a city of another country is left out, and so are the English words below.

    python scripts/build_regions.py admin1CodesASCII.txt   # from download.geonames.org/export/dump/
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from graph.gazetteer import load_gazetteer, normalize
from graph.openworld import load_cities

OUT = Path(__file__).resolve().parents[1] / "ontology" / "places" / "regions.csv"
# region names that are everyday English words or peoples' names: "in Delta" or "in Rivers" is no
# region for a reader, and "Somali" or "Shan" is a people before it is an Ethiopian or Burmese region
COMMON_WORDS = frozenset(
    [
        "capital",
        "centre",
        "center",
        "central",
        "coast",
        "delta",
        "east",
        "eastern",
        "islands",
        "lakes",
        "mon",
        "north",
        "northern",
        "plateau",
        "rivers",
        "south",
        "southern",
        "west",
        "western",
        "chin",
        "shan",
        "somali",
        "kachin",
        "karen",
        "kayin",
        "afar",
        "amhara",
        "oromiya",
        "harari",
        "mandalay",
        "kayah",
        "lagos",
    ]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("admin1", type=Path, help="GeoNames admin1CodesASCII.txt")
    args = parser.parse_args()
    gaz = load_gazetteer()
    cities = load_cities()
    import pycountry

    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    seen: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for line in args.admin1.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or fields[0].split(".")[0] not in iso3:
            continue
        country = iso3[fields[0].split(".")[0]]
        for name in {fields[1], fields[2]}:
            key = normalize(name)
            if len(key) < 4 or any(ch.isdigit() for ch in key):
                continue
            seen.setdefault(key, set()).add(country)
            names.setdefault(key, fields[2])
    rows = []
    for key, countries in seen.items():
        if len(countries) != 1 or key in gaz.names or key in COMMON_WORDS:
            continue
        (country,) = countries
        if key in cities and cities[key][0] != country:
            continue  # "Tripoli" is a Libyan city before it is a Lebanese district
        rows.append((names[key], key, country))
    rows.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["name", "key", "iso3"])
        writer.writerows(rows)
    print(f"{len(rows)} regions -> {OUT}")


if __name__ == "__main__":
    main()
