"""Load the actor gazetteer from ``ontology/gazetteer/`` (data, never Python literals).

Files (documented in ``ontology/README.md``):

* ``states.csv`` — one row per UN member or observer state (and a few widely reported
  de-facto states): ``id,iso3,label,wikidata,names,adjectives,metonyms``. Codes and official
  names also come from pycountry; the file adds short names, adjectives/demonyms, capitals and
  seat-of-power metonyms and the Wikidata QID.
* ``groups.csv``, ``organizations.csv``, ``people.csv`` (and any other ``*.csv`` with the same
  header): ``id,label,type,country,acts_for,operates_in,wikidata,aliases,role,from,to``.
* ``generics.csv`` — generic mentions ("rebels", "militants", "civilians"):
  ``id,label,type,terms``.
* ``institutions.csv`` — state institution nouns ("troops", "air force", "foreign ministry"):
  ``term,type,bare``; ``bare`` says whether the word alone ("the army") is resolved to the state
  the article is about, or only with an owner ("Israeli warplanes", never bare "tanks").

Multi-valued cells are separated by ``|``. Users add or override rows with ``--actors FILE``
(a CSV with the actor header); a row whose id already exists replaces it.
"""

from __future__ import annotations

import csv
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph.errors import OntologyError
from graph.records import Actor, ActorType

__all__ = [
    "ACTOR_FIELDS",
    "Gazetteer",
    "Person",
    "load_gazetteer",
    "normalize",
]

log = logging.getLogger(__name__)

ACTOR_FIELDS = (
    "id",
    "label",
    "type",
    "country",
    "acts_for",
    "operates_in",
    "wikidata",
    "aliases",
    "role",
    "from",
    "to",
)
STATE_FIELDS = ("id", "iso3", "label", "wikidata", "names", "adjectives", "metonyms")
GENERIC_FIELDS = ("id", "label", "type", "terms")
INSTITUTION_FIELDS = ("term", "type", "bare")
_SPECIAL = {"states.csv", "generics.csv", "institutions.csv"}

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})
_ID = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """Fold a surface form for lookup: accents, quotes, case, dots, a leading article, spaces.

    Remembered: the gazetteer, the matchers and every Doc fold the same few thousand forms again.
    """
    if text.isascii():  # no accents or typographic quotes to fold (the common case)
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", "")
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    text = re.sub(r"'s$", "", text)
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """Role and years in office of a listed person, for "Turkey's president" in a dated article."""

    actor_id: str
    role: str
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Gazetteer:
    """Canonical actors and the surface forms that name them."""

    actors: Mapping[str, Actor]
    names: Mapping[str, str]  # normalized name, alias or metonym -> actor id
    adjectives: Mapping[str, str]  # normalized adjective or demonym -> state id ("turkish" -> "tur")
    states: Mapping[str, str]  # ISO alpha-3 -> state id
    institutions: Mapping[str, ActorType]  # normalized institution term -> government / armed_forces
    bare_institutions: frozenset[str] = frozenset()  # terms resolved by salience when they stand alone
    generics: Mapping[str, str]  # normalized generic term -> generic actor id ("rebels" -> "rebels")
    people: tuple[Person, ...] = field(default=())
    # surface forms matched in text but not shown as aliases ("People's Republic of China")
    extra_forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # another language's adjectives and demonyms of a state, matched but not shown ("maliennes")
    adjective_forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # normalized names written in lower case that still name an actor ("l'armée malienne")
    lowercase_names: frozenset[str] = frozenset()
    # another language's generic and institution terms as written, by normalized term ("armee" →
    # "armée"): the lower-case matcher keeps accents, the lookup tables fold them
    term_forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def state_for(self, iso3: str) -> Actor | None:
        """The state actor for an ISO alpha-3 code."""
        sid = self.states.get(iso3.upper())
        return self.actors.get(sid) if sid else None

    def institution(self, state_id: str, kind: ActorType) -> Actor:
        """The government or armed forces of a state, made on demand (not listed row by row)."""
        suffix = kind.value if kind in (ActorType.ARMED_FORCES, ActorType.POLICE) else "government"
        listed = self.actors.get(f"{state_id}_{suffix}")
        if listed is not None:  # a named row ("Israel Defense Forces") wins over the pattern
            return listed
        state = self.actors[state_id]
        # the first adjective as written in the file ("Turkish", "Guinea-Bissauan"), else the name
        adjective = next(
            (
                a
                for a in state.aliases
                if normalize(a) in self.adjectives and self.adjectives[normalize(a)] == state_id
            ),
            None,
        )
        noun = {ActorType.ARMED_FORCES: "armed forces", ActorType.POLICE: "police"}.get(kind, "government")
        label = f"{state.label} {noun}" if adjective is None else f"{adjective} {noun}"
        return Actor(
            id=f"{state_id}_{suffix}",
            label=label,
            type=kind,
            country=state.country,
            acts_for=state_id,
        )

    def office_holder(self, iso3: str, roles: Iterable[str], year: int | None) -> Actor | None:
        """The listed person holding one of ``roles`` for a state in ``year`` (None if unsure)."""
        wanted = set(roles)
        found = [
            self.actors[p.actor_id]
            for p in self.people
            if p.role in wanted
            and self.actors[p.actor_id].country == iso3
            and year is not None
            and (p.start is None or p.start <= year)
            and (p.end is None or year <= p.end)
        ]
        return found[0] if len(found) == 1 else None


def _split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def _year(cell: str | None, where: str) -> int | None:
    cell = (cell or "").strip()
    if not cell:
        return None
    if not cell.isdigit():
        raise OntologyError(f"{where}: year {cell!r} is not a whole number")
    return int(cell)


def _rows(path: Path, expected: tuple[str, ...]) -> Iterable[tuple[str, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [f for f in expected if f not in (reader.fieldnames or ())]
            if missing:
                raise OntologyError(
                    f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(expected)}"
                )
            for lineno, row in enumerate(reader, start=2):
                if not any((v or "").strip() for v in row.values()):
                    continue
                yield f"{path.name}:{lineno}", row
    except UnicodeDecodeError as exc:
        raise OntologyError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read ({exc.strerror})") from exc


def _check_common(where: str, aid: str, wikidata: str) -> None:
    if not _ID.match(aid):
        raise OntologyError(f"{where}: id {aid!r} must be snake_case (a-z, 0-9, _)")
    if wikidata and not _QID.match(wikidata):
        raise OntologyError(f"{where}: wikidata {wikidata!r} must look like Q123")


def _actor_type(where: str, value: str) -> ActorType:
    try:
        return ActorType(value.strip())
    except ValueError:
        allowed = ", ".join(t.value for t in ActorType)
        raise OntologyError(f"{where}: type {value!r} is not one of {allowed}") from None


def _load_states(
    path: Path,
    actors: dict[str, Actor],
    names: dict[str, str],
    adjectives: dict[str, str],
    states: dict[str, str],
    extra_forms: dict[str, tuple[str, ...]],
) -> None:
    import pycountry

    official: dict[str, list[str]] = {}
    for where, row in _rows(path, STATE_FIELDS):
        sid, iso3, wikidata = row["id"].strip(), row["iso3"].strip().upper(), row["wikidata"].strip()
        _check_common(where, sid, wikidata)
        forms = [row["label"].strip(), *_split(row["names"])]
        country = pycountry.countries.get(alpha_3=iso3)
        official[sid] = [
            getattr(country, a)
            for a in ("name", "common_name", "official_name")
            if country is not None and hasattr(country, a)
        ]
        metonyms = _split(row["metonyms"])
        adjs = _split(row["adjectives"])
        # aliases are what people call the state; pycountry's formal names are matched, not shown
        aliases = tuple(dict.fromkeys(f for f in [*forms[1:], *adjs, *metonyms] if f != forms[0]))
        actors[sid] = Actor(
            id=sid,
            label=forms[0],
            type=ActorType.STATE,
            country=iso3,
            wikidata=wikidata or None,
            aliases=aliases,
        )
        states[iso3] = sid
        for form in [*forms, *metonyms]:
            names.setdefault(normalize(form), sid)
        for adj in adjs:
            adjectives.setdefault(normalize(adj), sid)
    # the file's own names win over pycountry's ("Congo" is the DRC in news copy)
    for sid, forms in official.items():
        kept = tuple(f for f in forms if normalize(f) not in names or names[normalize(f)] == sid)
        for form in kept:
            names.setdefault(normalize(form), sid)
        extra_forms[sid] = kept


def _load_actor_file(
    path: Path, actors: dict[str, Actor], people: dict[str, Person], overrides: bool = False
) -> None:
    for where, row in _rows(path, ACTOR_FIELDS):
        aid, wikidata = row["id"].strip(), row["wikidata"].strip()
        _check_common(where, aid, wikidata)
        if aid in actors and not overrides:
            raise OntologyError(
                f"{where}: id {aid!r} is already defined by another gazetteer row; ids are unique "
                "across files (use --actors to override a shipped row)"
            )
        country = row["country"].strip().upper() or None
        actors[aid] = Actor(
            id=aid,
            label=row["label"].strip(),
            type=_actor_type(where, row["type"]),
            country=country,
            wikidata=wikidata or None,
            aliases=tuple(_split(row["aliases"])),
            acts_for=row["acts_for"].strip() or None,
            operates_in=row["operates_in"].strip().upper() or None,
        )
        if row["role"].strip():
            people[aid] = Person(
                actor_id=aid,
                role=row["role"].strip(),
                start=_year(row["from"], where),
                end=_year(row["to"], where),
            )
        else:
            people.pop(aid, None)


def load_gazetteer(folder: Path | None = None, extra: Iterable[Path] = (), lang: str = "en") -> Gazetteer:
    """Read every gazetteer file in ``folder`` (default: the shipped one), then ``extra`` overrides.

    For a language other than English, ``folder/<lang>/`` adds that language's names of the same
    actors (same ids, so the same IRIs and QIDs), matched in text but not shown as aliases: see
    :func:`_load_language`.

    Raises:
        OntologyError: a file is missing, malformed, or refers to an unknown actor.
    """
    if folder is None:
        from graph.resources import ontology_dir

        folder = ontology_dir() / "gazetteer"
    actors: dict[str, Actor] = {}
    names: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    states: dict[str, str] = {}
    people: dict[str, Person] = {}
    extra_forms: dict[str, tuple[str, ...]] = {}
    states_file = folder / "states.csv"
    if not states_file.is_file():
        raise OntologyError(f"{states_file}: missing; the gazetteer needs a states file")
    _load_states(states_file, actors, names, adjectives, states, extra_forms)
    for path in sorted(folder.glob("*.csv")):
        if path.name not in _SPECIAL:
            _load_actor_file(path, actors, people)
    for path in extra:
        if path.suffix.lower() != ".csv":
            raise OntologyError(f"{path}: --actors takes a CSV file with columns {','.join(ACTOR_FIELDS)}")
        _load_actor_file(path, actors, people, overrides=True)

    institutions: dict[str, ActorType] = {}
    bare: set[str] = set()
    inst_file = folder / "institutions.csv"
    if inst_file.is_file():
        for where, row in _rows(inst_file, INSTITUTION_FIELDS):
            institutions[normalize(row["term"])] = _actor_type(where, row["type"])
            if row["bare"].strip().lower() in ("yes", "true", "1"):
                bare.add(normalize(row["term"]))
    generics: dict[str, str] = {}
    gen_file = folder / "generics.csv"
    if gen_file.is_file():
        for where, row in _rows(gen_file, GENERIC_FIELDS):
            gid = row["id"].strip()
            _check_common(where, gid, "")
            terms = _split(row["terms"])
            actors[gid] = Actor(
                id=gid, label=row["label"].strip(), type=_actor_type(where, row["type"]), aliases=tuple(terms)
            )
            for term in terms:
                generics[normalize(term)] = gid

    adjective_forms: dict[str, tuple[str, ...]] = {}
    term_forms: dict[str, tuple[str, ...]] = {}
    lowercase: set[str] = set()
    if lang != "en":
        _load_language(
            folder / lang,
            actors,
            names,
            adjectives,
            extra_forms,
            adjective_forms,
            institutions,
            bare,
            generics,
            term_forms,
        )
        lowercase = {normalize(f) for forms in extra_forms.values() for f in forms if f.islower()}
    generic_ids = set(generics.values())
    # a name the gazetteer itself writes in lower case is matched in lower case ("peshmerga",
    # "colectivos"); other names need a capital in the text
    lowercase |= {
        normalize(f)
        for actor in actors.values()
        if actor.id not in generic_ids
        for f in actor.aliases
        if f.islower()
    }
    for actor in actors.values():
        if actor.acts_for and actor.acts_for not in actors:
            raise OntologyError(f"actor {actor.id!r}: acts_for {actor.acts_for!r} is not a known actor id")
        if actor.type is ActorType.STATE or actor.id in generic_ids:
            continue
        for form in (actor.label, *actor.aliases):
            key = normalize(form)
            # a state's own names win over any other actor's alias
            if names.get(key) not in states.values():
                names[key] = actor.id
    return Gazetteer(
        actors=actors,
        names=names,
        adjectives=adjectives,
        states=states,
        institutions=institutions,
        bare_institutions=frozenset(bare),
        generics=generics,
        people=tuple(people.values()),
        extra_forms=extra_forms,
        adjective_forms=adjective_forms,
        lowercase_names=frozenset(lowercase),
        term_forms=term_forms,
    )


LANGUAGE_FIELDS = ("id", "names", "adjectives")


def _load_language(
    folder: Path,
    actors: dict[str, Actor],
    names: dict[str, str],
    adjectives: dict[str, str],
    extra_forms: dict[str, tuple[str, ...]],
    adjective_forms: dict[str, tuple[str, ...]],
    institutions: dict[str, ActorType],
    bare: set[str],
    generics: dict[str, str],
    term_forms: dict[str, tuple[str, ...]],
) -> None:
    """Add one language's forms: ``names.csv`` (``id,names,adjectives`` for any actor id; an
    adjective cell lists the masculine singular, and regular feminine and plural forms are made:
    malien → malienne, maliens, maliennes), ``generics.csv`` (``id,terms``) and ``institutions.csv``
    (``term,type,bare``), all in ``folder``."""
    names_file = folder / "names.csv"
    if not names_file.is_file():
        raise OntologyError(f"{names_file}: missing; a language's gazetteer needs its names file")
    rows = list(_rows(names_file, LANGUAGE_FIELDS))
    patterns = folder / "institution_patterns.csv"
    if patterns.is_file():  # "l'armée malienne": the language puts the adjective after the noun
        nouns = [
            (r["noun"].strip(), _actor_type(w, r["type"]), r["form"].strip())
            for w, r in _rows(patterns, ("noun", "type", "form"))
        ]
        probe = Gazetteer(
            actors=actors, names=names, adjectives=adjectives, states={}, institutions={}, generics={}
        )
        for _, row in rows:
            sid = row["id"].strip()
            if sid not in actors or actors[sid].type is not ActorType.STATE or not row["adjectives"].strip():
                continue
            by_form = _agreement(_split(row["adjectives"])[0])
            for noun, kind, form in nouns:
                institution = probe.institution(sid, kind)
                actors.setdefault(institution.id, institution)
                phrase = f"{noun} {by_form[form]}"
                extra_forms[institution.id] = (*extra_forms.get(institution.id, ()), phrase)
                names.setdefault(normalize(phrase), institution.id)
    for where, row in rows:
        aid = row["id"].strip()
        if aid not in actors:
            raise OntologyError(f"{where}: id {aid!r} is not an actor of the gazetteer")
        forms = _split(row["names"])
        extra_forms[aid] = (*extra_forms.get(aid, ()), *forms)
        for form in forms:
            names.setdefault(normalize(form), aid)
        adjs = [form for adj in _split(row["adjectives"]) for form in inflections(adj)]
        if adjs:
            adjective_forms[aid] = tuple(dict.fromkeys(adjs))
            for adj in adjs:
                adjectives.setdefault(normalize(adj), aid)
    gen_file = folder / "generics.csv"
    if gen_file.is_file():
        for where, row in _rows(gen_file, ("id", "terms")):
            gid = row["id"].strip()
            if gid not in actors:
                raise OntologyError(f"{where}: id {gid!r} is not a generic actor of generics.csv")
            for term in _split(row["terms"]):
                generics.setdefault(normalize(term), gid)
                _add_form(term_forms, term)
    inst_file = folder / "institutions.csv"
    if inst_file.is_file():
        for where, row in _rows(inst_file, INSTITUTION_FIELDS):
            institutions[normalize(row["term"])] = _actor_type(where, row["type"])
            _add_form(term_forms, row["term"])
            if row["bare"].strip().lower() in ("yes", "true", "1"):
                bare.add(normalize(row["term"]))


def _add_form(term_forms: dict[str, tuple[str, ...]], term: str) -> None:
    """Keep a term as written when folding changes it ("armée", "insurgés"), for the matcher."""
    term, key = term.strip(), normalize(term)
    if term.lower() != key:
        term_forms[key] = tuple(dict.fromkeys((*term_forms.get(key, ()), term)))


def _agreement(adjective: str) -> dict[str, str]:
    """The form of an adjective agreeing with a masculine/feminine singular/plural noun (ms, fs, mp, fp).

    A regular adjective gives its four forms even where two coincide ("rwandais": ms and mp, so
    "les troupes rwandaises" is fp); a ``/`` list of four is ms/fs/mp/fp, of two singular/plural.
    """
    if "/" not in adjective:
        return dict(zip(("ms", "fs", "mp", "fp"), _regular_forms(adjective), strict=True))
    forms = inflections(adjective)
    if len(forms) == 4:
        return dict(zip(("ms", "fs", "mp", "fp"), forms, strict=True))
    singular = next((f for f in forms if not f.endswith(("s", "x"))), forms[0])
    plural = next((f for f in forms if f.endswith(("s", "x")) and f != singular), singular)
    return {"ms": singular, "fs": singular, "mp": plural, "fp": plural}


def inflections(adjective: str) -> list[str]:
    """A French adjective's four forms when regular (``malien`` → ``malienne``, ``maliens``,
    ``maliennes``); a form with ``/`` lists them itself (``russe/russes``)."""
    if "/" in adjective:
        return [f.strip() for f in adjective.split("/") if f.strip()]
    return list(dict.fromkeys(_regular_forms(adjective)))


def _regular_forms(adjective: str) -> tuple[str, str, str, str]:
    """A regular French adjective's masculine and feminine singular and plural forms."""
    a = adjective.strip()
    if a.endswith("e"):
        fem = a
    elif a.endswith(("ien", "éen", "on")) and not a.endswith("ain"):
        fem = a + "ne"
    elif a.endswith("if"):
        fem = a[:-1] + "ve"
    else:
        fem = a + "e"
    masc_plural = a if a.endswith(("s", "x")) else a + "s"
    return a, fem, masc_plural, fem + "s"
