"""Open-world actors: participants the text names that no gazetteer row or pattern knows.

Finding a participant and linking it are separate steps. When linking fails, the participant still
becomes an actor, with the label the text gives it ("ethnic Serbs", "the 3rd Assault Brigade",
"Charlotte police"), a type from its head noun (``ontology/lexicon/heads.csv``) and a country when the
text ties it to one. Its id is minted from the normalised label, the type and the country, so the
same unlinked actor named the same way merges across articles and across builds, and its IRI never
depends on the order articles were read in. Dataset importers use the same function, so an actor
that a dataset names and the text names the same way is one node.

This module is data-only (no spaCy), so every stage may use it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from graph.errors import OntologyError
from graph.records import Actor, ActorType

__all__ = [
    "OPEN_PREFIX",
    "is_open_id",
    "load_cities",
    "load_heads",
    "load_name_heads",
    "load_place_countries",
    "normalise_label",
    "open_actor",
]

OPEN_PREFIX = "ow_"
# Types whose country is stored as ck:countryCode (they act for a state); for every other type the
# country the text gives is where the actor operates (ck:operatesIn), as for gazetteer rows.
_STATE_BOUND = frozenset({ActorType.ARMED_FORCES, ActorType.GOVERNMENT, ActorType.POLICE, ActorType.PERSON})
_LEADING = re.compile(
    r"^(?:the|a|an|some|several|many|most|all|other|both|at least|about|around|more than|dozens of|"
    r"hundreds of|thousands of|scores of|members of|[0-9][0-9,.]*|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|twenty|fifty|hundred)\s+",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['’]s?$")


def normalise_label(text: str) -> str:
    """The label an open-world actor keeps: the words as written, without leading determiners,
    counts and quantities ("the", "dozens of", "12"), possessive endings or stray spaces."""
    label = " ".join(text.replace("\n", " ").split())
    label = _POSSESSIVE.sub("", label).strip(" ,.;:\"'“”‘’()")
    if label.count("(") > label.count(")"):
        # "People's Armed Forces of Liberation of Angola (FAPLA": the model cut the acronym short
        label = label[: label.rindex("(")].strip()
    previous = None
    while previous != label:
        previous = label
        label = _LEADING.sub("", label)
    return label


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "unnamed"


def is_open_id(actor_id: str) -> bool:
    """Whether an actor id was minted for an open-world actor."""
    return actor_id.startswith(OPEN_PREFIX)


def open_actor(
    label: str,
    kind: ActorType,
    country: str | None = None,
    *,
    acts_for: str | None = None,
) -> Actor:
    """An unlinked actor whose id is minted from its normalised label, type and country.

    ``country`` is an ISO 3166-1 alpha-3 code the text ties the actor to (a demonym, a possessive,
    "of X"). For state-bound types (armed forces, government, police, person) it becomes the actor's
    country; for the others it is where the actor operates, as non-state actors have no country.

    >>> open_actor("the Rohingya villagers", ActorType.CIVILIANS, "MMR").id
    'ow_civilians_rohingya_villagers_mmr'
    """
    name = normalise_label(label) or label.strip()
    cc = country.upper() if country else None
    parts = [OPEN_PREFIX + kind.value, _slug(name)]
    if cc:
        parts.append(cc.lower())
    bound = kind in _STATE_BOUND
    return Actor(
        id="_".join(parts),
        label=name,
        type=kind,
        country=cc if bound else None,
        operates_in=None if bound else cc,
        acts_for=acts_for,
        linked=False,
    )


def load_heads(path: Path | None = None, lang: str = "en") -> Mapping[str, ActorType]:
    """Head nouns that make a noun phrase an actor, with the type they give it (``heads.csv``;
    ``lexicon/<lang>/heads.csv`` for another language).

    Raises:
        OntologyError: the file is missing or a row names an unknown type.
    """
    return _read_types(path or _lexicon_file("heads.csv", lang), "head")


def load_cities(path: Path | None = None) -> Mapping[str, tuple[str, int]]:
    """Normalised names of the world's larger cities → (ISO alpha-3, population)
    (``ontology/places/cities.csv``,
    written by ``scripts/build_cities.py`` from GeoNames): a city the model tags as a person or an
    organisation ("shelled Kherson") is a place, not an actor. The file stores each name's
    normalised key, so loading folds nothing.

    Raises:
        OntologyError: the file is missing or malformed.
    """
    rows = _place_rows(path, "cities.csv", ["name", "key", "iso3", "population"])
    return {row[1]: (row[2], int(row[3])) for row in rows}


def load_place_countries(
    cities: Mapping[str, tuple[str, int]], path: Path | None = None
) -> Mapping[str, str]:
    """Normalised names of first-level regions (``ontology/places/regions.csv``, see
    ``scripts/build_regions.py``) and of the ``cities`` of :func:`load_cities` → ISO alpha-3 of
    their country: "a military base in Borno state" stands for the state it is in. A name that is
    a city of one country and a region of another keeps the city's.

    Raises:
        OntologyError: the file is missing or malformed.
    """
    table = {row[1]: row[2] for row in _place_rows(path, "regions.csv", ["name", "key", "iso3"])}
    table.update((key, iso3) for key, (iso3, _people) in cities.items())
    return table


def _place_rows(path: Path | None, name: str, header: list[str]) -> list[list[str]]:
    """The rows of a file of ``ontology/places/`` (or ``path``) with exactly ``header``'s columns."""
    from graph.resources import ontology_dir

    path = path or ontology_dir() / "places" / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh)
            if next(rows, None) != header:
                raise OntologyError(f"{path}: expected the header {','.join(header)}")
            return [row for row in rows if len(row) == len(header)]
    except OSError as exc:
        raise OntologyError(f"cannot read {path}: {exc.strerror or exc}") from None


def _lexicon_file(name: str, lang: str) -> Path:
    from graph.resources import ontology_dir

    folder = ontology_dir() / "lexicon"
    return (folder if lang == "en" else folder / lang) / name


def _read_types(path: Path, column: str) -> dict[str, ActorType]:
    """A ``word → actor type`` table from a CSV file with ``column`` and ``type`` columns."""
    table: dict[str, ActorType] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for lineno, row in enumerate(csv.DictReader(fh), start=2):
                word = (row.get(column) or "").strip().lower()
                if not word:
                    raise OntologyError(f"{path}:{lineno}: every row needs a {column}")
                try:
                    table[word] = ActorType((row.get("type") or "").strip())
                except ValueError:
                    raise OntologyError(f"{path}:{lineno}: unknown actor type {row.get('type')!r}") from None
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read {path.name} ({exc.strerror})") from exc
    return table


def load_name_heads(path: Path | None = None, lang: str = "en") -> Mapping[str, ActorType]:
    """The last words of organisation names that type an unlinked organisation the model tags
    ("... Liberation Front" → an armed group, "... Brigade" → a military unit): ``name_heads.csv``.
    A language without the file has none (its names then take their type from ``heads.csv``).

    Raises:
        OntologyError: a row names an unknown type, or the English file is missing.
    """
    path = path or _lexicon_file("name_heads.csv", lang)
    if lang != "en" and not path.is_file():
        return {}
    return _read_types(path, "word")
