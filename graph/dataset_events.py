"""Turn rows of event datasets into statements: the records the text path produces, with provenance.

In: a :class:`graph.datasets.Row`, the mapping tables (:mod:`graph.codebooks`) and an
:class:`graph.dataset_actors.ActorLinker`. Out: a :class:`RowResult` (actors and ``Relation``
records carrying a :class:`graph.records.DatasetSource`), ``None`` for a row whose event type the
tables know but do not map (protests, statements), or a :class:`graph.records.Skipped` with the
row's file and line for a row that cannot be used (missing actor, unknown code, bad date).

Mapping, from the tables in ``ontology/datasets``: UCDP state-based and non-state violence become
``attacked`` in both directions (the dataset does not say who started it: ``initiator_known`` is
false), one-sided violence side A ``attacked`` civilians; ACLED battles, explosions/remote violence
and violence against civilians become actor1 ``attacked`` actor2, agreements ``negotiated_with``, and
an associated actor of an armed actor ``backed`` it; GDELT rows follow their CAMEO code.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from graph.codebooks import Codebooks, EventRule
from graph.dataset_actors import ActorLinker
from graph.datasets import Row
from graph.records import Actor, DatasetSource, Modality, Relation, RelationKind, Skipped, TextSpan

__all__ = ["RowResult", "dataset_event_id", "parse_date", "row_result"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RowResult:
    """Everything one dataset row states: its actors and statements."""

    origin: str  # "ACLED SYR1234": what the page shows in place of an article id
    actors: tuple[Actor, ...]
    relations: tuple[Relation, ...]


_MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for m in names
}


@functools.lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date | None:
    """A date as the exports write it: ISO ``2020-03-01`` (a time after it is ignored), ACLED's
    ``01 March 2020`` or ``01-Mar-2020``, or GDELT's ``20200301``; None when it is none of these."""
    text = text.strip().strip('"')
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) >= 10 and text[4] == "-" and text[7] == "-":
            return dt.date.fromisoformat(text[:10])
        parts = text.replace("-", " ").replace("/", " ").split()
        if len(parts) == 3 and parts[1].lower() in _MONTHS:
            return dt.date(int(parts[2]), _MONTHS[parts[1].lower()], int(parts[0]))
    except ValueError:
        return None
    return None


def _int(text: str | None) -> int | None:
    try:
        value = int(float((text or "").strip()))
    except ValueError:
        return None
    return value if value >= 0 else None


def _point(lat: str | None, lon: str | None) -> tuple[float, float] | None:
    try:
        y, x = float((lat or "").strip()), float((lon or "").strip())
    except ValueError:
        return None
    if not (-90 <= y <= 90 and -180 <= x <= 180) or (y == 0 and x == 0):
        return None
    return (y, x)


def dataset_event_id(dataset: str, event_id: str, kind: RelationKind) -> str:
    """The event id of a dataset row's statements of one kind: the dataset's name and 16 hex digits
    (``acled-3f2a9c1d0b7e4a55``), so an event node tells whether a dataset reports it."""
    text = f"dataset\x1f{dataset}\x1f{event_id}\x1f{kind.value}"
    return f"{dataset}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:16]}"


@dataclass(frozen=True, slots=True, kw_only=True)
class _Event:
    """What every statement of one row shares."""

    row: Row
    dataset: str
    event_id: str
    release: str | None
    date: dt.date
    concept: str
    rule: EventRule
    description: str
    place: str | None
    admin_area: str | None
    point: tuple[float, float] | None
    fatalities: int | None
    cameo: str | None = None


def _statement(
    ev: _Event,
    books: Codebooks,
    kind: RelationKind,
    source: tuple[Actor, str],
    target: tuple[Actor, str],
    *,
    modality: Modality = Modality.ASSERTED,
    initiator_known: bool = True,
    plover: str | None = None,
) -> Relation:
    info = books.datasets[ev.dataset]
    return Relation(
        kind=kind,
        source_id=source[0].id,
        target_id=target[0].id,
        article_id="",
        evidence=TextSpan(start=0, end=len(ev.description), text=ev.description),
        source_mention=TextSpan(start=0, end=len(source[1]), text=source[1]),
        target_mention=TextSpan(start=0, end=len(target[1]), text=target[1]),
        trigger=ev.concept,
        extractor=info.extractor,
        modality=modality,
        date=ev.date,
        place=ev.place,
        fatalities=ev.fatalities,
        confidence=info.confidence,
        event_id=dataset_event_id(ev.dataset, ev.event_id, kind),
        point=ev.point,
        dataset=DatasetSource(
            dataset=ev.dataset,
            event_id=ev.event_id,
            release=ev.release,
            file=ev.row.file.name,
            line=ev.row.line,
            concept=ev.concept,
            cameo=ev.cameo,
            plover=plover if plover is not None else ev.rule.plover,
            initiator_known=initiator_known,
            admin_area=ev.admin_area,
        ),
    )


def _skip(row: Row, reason: str) -> Skipped:
    return Skipped(origin=row.origin, reason=reason)


def _result(
    ev: _Event, linker: ActorLinker, actors: list[Actor], relations: list[Relation]
) -> RowResult | None:
    relations = [r for r in relations if r.source_id != r.target_id]
    if not relations:
        return None
    unique: dict[str, Actor] = {}
    for actor in linker.with_parents(actors):
        unique.setdefault(actor.id, actor)
    return RowResult(
        origin=f"{ev.dataset}:{ev.event_id}",
        actors=tuple(unique[k] for k in sorted(unique)),
        relations=tuple(relations),
    )


def _ucdp(row: Row, books: Codebooks, linker: ActorLinker, release: str | None) -> RowResult | Skipped | None:
    f = row.fields
    event_id = f.get("id", "").strip()
    if not event_id:
        return _skip(row, "no event id (column id)")
    code = f.get("type_of_violence", "").strip()
    rule = books.ucdp_violence.get(code)
    if rule is None:
        return _skip(row, f"unknown type_of_violence {code!r} (the GED codebook has 1, 2 and 3)")
    date = parse_date(f.get("date_start", ""))
    if date is None:
        return _skip(row, f"bad date_start {f.get('date_start', '')!r}")
    if rule.kind is None:
        return None
    country = f.get("country", "")
    side_a = linker.ucdp(f.get("side_a", ""), f.get("side_a_new_id", ""), country)
    target_name = "Civilians" if rule.target == "civilians" and not f.get("side_b") else f.get("side_b", "")
    side_b = linker.ucdp(target_name, f.get("side_b_new_id", ""), country)
    if side_a is None or side_b is None:
        return _skip(row, "missing actor (side_a or side_b is empty)")
    place = f.get("where_coordinates", "").strip() or f.get("adm_1", "").strip() or None
    ev = _Event(
        row=row,
        dataset="ucdp",
        event_id=event_id,
        release=release,
        date=date,
        concept=f"type_of_violence {code}: {rule.label}",
        rule=rule,
        description=(
            f"UCDP GED event {event_id}: {f.get('side_a', '').strip()} against {target_name.strip()}, "
            f"{rule.label}, {place or country}, {date.isoformat()}"
            + (f"; best estimate {f['best'].strip()} deaths" if f.get("best", "").strip() else "")
            + (f" ({f['where_description'].strip()})" if f.get("where_description", "").strip() else "")
        ),
        place=place,
        admin_area=f.get("adm_1", "").strip() or None,
        point=_point(f.get("latitude"), f.get("longitude")),
        fatalities=_int(f.get("best")),
    )
    a, b = (side_a, f.get("side_a", "").strip()), (side_b, target_name.strip())
    relations = [_statement(ev, books, rule.kind, a, b, initiator_known=rule.initiator_known)]
    if not rule.initiator_known:
        relations.append(_statement(ev, books, rule.kind, b, a, initiator_known=False))
    return _result(ev, linker, [side_a, side_b], relations)


def _associates(cell: str) -> list[str]:
    return [name.strip() for name in cell.split(";") if name.strip()]


def _acled(
    row: Row, books: Codebooks, linker: ActorLinker, release: str | None
) -> RowResult | Skipped | None:
    f = row.fields
    event_id = f.get("event_id_cnty", "").strip() or f.get("data_id", "").strip()
    if not event_id:
        return _skip(row, "no event id (column event_id_cnty)")
    event_type, sub_type = f.get("event_type", "").strip(), f.get("sub_event_type", "").strip()
    rule = books.acled_rule(event_type, sub_type)
    if rule is None:
        return _skip(row, f"unknown event_type {event_type!r} (not in ontology/datasets/acled_events.csv)")
    date = parse_date(f.get("event_date", ""))
    if date is None:
        return _skip(row, f"bad event_date {f.get('event_date', '')!r} (use 01 March 2020 or 2020-03-01)")
    if rule.kind is None:
        return None
    country = f.get("country", "")
    names = (f.get("actor1", "").strip(), f.get("actor2", "").strip())
    inters = (f.get("inter1", ""), f.get("inter2", ""))
    main = [linker.acled(names[i], inters[i], country) for i in (0, 1)]
    if main[0] is None or main[1] is None:
        return _skip(row, f"missing actor ({'actor1' if main[0] is None else 'actor2'} is empty)")
    place = f.get("location", "").strip() or f.get("admin1", "").strip() or None
    notes = f.get("notes", "").strip()
    ev = _Event(
        row=row,
        dataset="acled",
        event_id=event_id,
        release=release,
        date=date,
        concept=f"{event_type} / {sub_type}" if sub_type else event_type,
        rule=rule,
        description=notes
        or f"ACLED {event_id}: {names[0]} against {names[1]}, {event_type}, {place or country}, {date}",
        place=place,
        admin_area=f.get("admin1", "").strip() or None,
        point=_point(f.get("latitude"), f.get("longitude")),
        fatalities=_int(f.get("fatalities")),
    )
    pairs = [(main[0], names[0]), (main[1], names[1])]
    relations = [_statement(ev, books, rule.kind, pairs[0], pairs[1], modality=rule.modality)]
    actors = [main[0], main[1]]
    for i, column in ((0, "assoc_actor_1"), (1, "assoc_actor_2")):
        ally_inter = books.acled_backs.get(inters[i].strip())
        if ally_inter is None:
            continue
        for name in _associates(f.get(column, "")):
            ally = linker.acled(name, ally_inter, country)
            if ally is not None:
                actors.append(ally)
                relations.append(
                    _statement(ev, books, RelationKind.BACKED, (ally, name), pairs[i], plover="SUPPORT")
                )
    return _result(ev, linker, actors, relations)


def _gdelt(
    row: Row, books: Codebooks, linker: ActorLinker, release: str | None
) -> RowResult | Skipped | None:
    f = row.fields
    event_id = f["GLOBALEVENTID"].strip()
    if not event_id:
        return _skip(row, "no GLOBALEVENTID")
    code = f["EventCode"].strip()
    rule = books.cameo_rule(code) if code.isdigit() and 2 <= len(code) <= 4 else None
    if rule is None:
        return _skip(row, f"unknown CAMEO event code {code!r}")
    date = parse_date(f["SQLDATE"])
    if date is None:
        return _skip(row, f"bad SQLDATE {f['SQLDATE']!r} (YYYYMMDD)")
    if rule.kind is None:
        return None
    actors = []
    for n in ("1", "2"):
        types = tuple(
            f[f"Actor{n}Type{i}Code"].strip() for i in (1, 2, 3) if f[f"Actor{n}Type{i}Code"].strip()
        )
        actors.append(linker.cameo(f[f"Actor{n}Code"], f[f"Actor{n}Name"], f[f"Actor{n}CountryCode"], types))
    if actors[0] is None or actors[1] is None:
        return _skip(row, f"missing actor (Actor{1 if actors[0] is None else 2}Code is empty)")
    place = f["ActionGeo_FullName"].strip() or None
    names = [f[f"Actor{n}Name"].strip() or f[f"Actor{n}Code"].strip() for n in ("1", "2")]
    url = f["SOURCEURL"].strip()
    ev = _Event(
        row=row,
        dataset="gdelt",
        event_id=event_id,
        release=release,
        date=date,
        concept=f"CAMEO {code}",
        rule=rule,
        description=(
            f"GDELT event {event_id}: {names[0]} → {names[1]}, CAMEO {code} ({rule.label}), "
            f"{place or 'no place'}, {date.isoformat()}" + (f"; {url}" if url else "")
        ),
        place=place,
        admin_area=f["ActionGeo_ADM1Code"].strip() or None,
        point=_point(f["ActionGeo_Lat"], f["ActionGeo_Long"]),
        fatalities=None,
        cameo=code,
    )
    a, b = (actors[0], names[0]), (actors[1], names[1])
    return _result(ev, linker, actors, [_statement(ev, books, rule.kind, a, b, modality=rule.modality)])


_CONVERTERS = {"ucdp": _ucdp, "acled": _acled, "gdelt": _gdelt}


def row_result(
    row: Row, books: Codebooks, linker: ActorLinker, release: str | None = None
) -> RowResult | Skipped | None:
    """The statements of one dataset row; None for a row of a known but unmapped event type."""
    return _CONVERTERS[row.dataset](row, books, linker, release)
