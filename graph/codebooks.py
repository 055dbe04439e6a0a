"""Mapping tables for event datasets, read from ``ontology/datasets/*.csv``.

The tables say how a dataset's own codes become our relations and actor types: CAMEO event codes
(GDELT), ACLED event types, interaction codes and actor-name patterns, UCDP types of violence, and
CAMEO actor role codes. Each row cites the codebook section it rests on (the ``codebook`` column);
nothing here is hard-coded. In: the folder; out: one frozen :class:`Codebooks` record.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.errors import OntologyError
from graph.records import ActorType, Modality, RelationKind

__all__ = ["DATASETS", "Codebooks", "DatasetInfo", "EventRule", "NamePattern", "load_codebooks"]

DATASETS = ("ucdp", "acled", "gdelt")


@dataclass(frozen=True, slots=True, kw_only=True)
class DatasetInfo:
    """One row of ``datasets.csv``: what a dataset is called, who publishes it, its licence."""

    dataset: str
    label: str
    publisher: str
    licence: str
    confidence: float
    extractor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRule:
    """What one dataset event code becomes; ``kind`` None means the code is known but not mapped."""

    code: str
    label: str
    kind: RelationKind | None
    modality: Modality = Modality.ASSERTED
    plover: str | None = None
    target: str = ""  # UCDP: "side_b" or "civilians"
    initiator_known: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class NamePattern:
    """An ACLED actor-name pattern ("Military Forces of X (2016-)") and what it names."""

    pattern: re.Pattern[str]
    type: ActorType
    institution: str  # armed_forces, government, police, generic:<id>, open


@dataclass(frozen=True, slots=True, kw_only=True)
class Codebooks:
    """Every mapping table, loaded once at the edge and passed down."""

    datasets: Mapping[str, DatasetInfo]
    cameo_events: Mapping[str, EventRule]  # code (root, base or full) -> rule
    cameo_actors: Mapping[str, tuple[ActorType, str]]  # role code -> (type, institution)
    acled_events: Mapping[tuple[str, str], EventRule]  # (event type, sub-event type or "") -> rule
    acled_inter: Mapping[str, ActorType]  # inter code ("1") and label ("state forces") -> type
    acled_backs: Mapping[
        str, str
    ]  # inter code whose associated actors back the main actor -> their inter code
    acled_names: tuple[NamePattern, ...]
    ucdp_violence: Mapping[str, EventRule]

    def cameo_rule(self, code: str) -> EventRule | None:
        """The rule for a CAMEO code: the full code, else its three-digit base, else its root."""
        for key in (code, code[:3], code[:2]):
            rule = self.cameo_events.get(key)
            if rule is not None:
                return rule
        return None

    def acled_rule(self, event_type: str, sub_event_type: str) -> EventRule | None:
        """The rule for an ACLED event type and sub-event type (a sub-type row wins)."""
        key = (event_type.strip().lower(), sub_event_type.strip().lower())
        return self.acled_events.get(key) or self.acled_events.get((key[0], ""))


def _rows(path: Path, columns: tuple[str, ...]):
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                raise OntologyError(f"{path}: missing column(s) {', '.join(missing)}")
            for lineno, row in enumerate(reader, start=2):
                yield f"{path}:{lineno}", {k: (v or "").strip() for k, v in row.items() if k}
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read the dataset mapping ({exc.strerror})") from exc


def _enum(where: str, enum, value: str):
    try:
        return enum(value)
    except ValueError:
        raise OntologyError(f"{where}: unknown {enum.__name__} {value!r}") from None


def _rule(where: str, code: str, row: dict[str, str]) -> EventRule:
    kind = _enum(where, RelationKind, row["relation"]) if row.get("relation") else None
    modality = _enum(where, Modality, row["modality"]) if row.get("modality") else Modality.ASSERTED
    return EventRule(
        code=code,
        label=row.get("label") or code,
        kind=kind,
        modality=modality,
        plover=row.get("plover") or None,
        target=row.get("target", ""),
        initiator_known=row.get("initiator_known", "true").lower() != "false",
    )


def load_codebooks(folder: Path | None = None) -> Codebooks:
    """Read every mapping table in ``folder`` (default ``ontology/datasets``).

    Raises:
        OntologyError: a file is missing or a row names an unknown relation, modality or type.
    """
    if folder is None:
        from graph.resources import ontology_dir

        folder = ontology_dir() / "datasets"
    datasets = {}
    for where, row in _rows(folder / "datasets.csv", ("dataset", "label", "publisher", "licence")):
        try:
            confidence = float(row.get("confidence") or 1.0)
        except ValueError:
            raise OntologyError(f"{where}: confidence must be a number") from None
        datasets[row["dataset"]] = DatasetInfo(
            dataset=row["dataset"],
            label=row["label"],
            publisher=row["publisher"],
            licence=row["licence"],
            confidence=confidence,
            extractor=row.get("extractor") or f"{row['dataset']}.v1",
        )
    cameo_events = {
        row["code"]: _rule(where, row["code"], row)
        for where, row in _rows(folder / "cameo_events.csv", ("code", "relation", "modality", "plover"))
    }
    cameo_actors = {
        row["code"]: (_enum(where, ActorType, row["actor_type"]), row["institution"])
        for where, row in _rows(folder / "cameo_actors.csv", ("code", "actor_type", "institution"))
    }
    acled_events = {
        (row["event_type"].lower(), row["sub_event_type"].lower()): _rule(where, row["event_type"], row)
        for where, row in _rows(folder / "acled_events.csv", ("event_type", "sub_event_type", "relation"))
    }
    acled_inter: dict[str, ActorType] = {}
    for where, row in _rows(folder / "acled_interactions.csv", ("inter_code", "label", "actor_type")):
        kind = _enum(where, ActorType, row["actor_type"])
        acled_inter[row["inter_code"]] = kind
        acled_inter[row["label"].lower()] = kind  # exports since 2024 write the label, not the number
    backs = {
        row["inter_code"]: row.get("associate_inter", "")
        for _, row in _rows(folder / "acled_associates.csv", ("inter_code", "backs"))
        if row["backs"].lower() == "yes"
    }
    names = []
    for where, row in _rows(folder / "acled_actor_names.csv", ("pattern", "actor_type", "institution")):
        try:
            pattern = re.compile(row["pattern"])
        except re.error as exc:
            raise OntologyError(f"{where}: bad pattern ({exc})") from None
        names.append(
            NamePattern(
                pattern=pattern,
                type=_enum(where, ActorType, row["actor_type"]),
                institution=row["institution"],
            )
        )
    ucdp = {
        row["type_of_violence"]: _rule(where, row["type_of_violence"], row)
        for where, row in _rows(folder / "ucdp_violence.csv", ("type_of_violence", "relation", "target"))
    }
    missing = [d for d in DATASETS if d not in datasets]
    if missing:
        raise OntologyError(f"{folder / 'datasets.csv'}: no row for {', '.join(missing)}")
    return Codebooks(
        datasets=datasets,
        cameo_events=cameo_events,
        cameo_actors=cameo_actors,
        acled_events=acled_events,
        acled_inter=acled_inter,
        acled_backs=backs,
        acled_names=tuple(names),
        ucdp_violence=ucdp,
    )
