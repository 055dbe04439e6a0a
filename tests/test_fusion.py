"""Fusion of text statements with dataset events: dyad after roll-up, date window, distance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from graph.fusion import FusionSettings, fuse
from graph.outputs import result_ntriples, sort_lines
from graph.rdf import NTriplesTerms, statement_triples
from graph.records import DatasetSource, Relation, RelationKind, TextSpan
from tests.conftest import KG_ACTORS, build_results

# One article of 2020-03-02 saying the Syrian government attacked Turkish forces, with no date of its own.
TEXT = [
    ("attacked", "syr_government", "tur_armed_forces", "a1", None, "Syria struck Turkish troops.", "asserted")
]


def _dataset_statement(
    day: str, point=(35.93, 36.63), source="syr", target="tur", event="ucdp-1"
) -> Relation:
    text = "UCDP row"
    return Relation(
        kind=RelationKind.ATTACKED,
        source_id=source,
        target_id=target,
        article_id="",
        evidence=TextSpan(start=0, end=len(text), text=text),
        source_mention=TextSpan(start=0, end=1, text="a"),
        target_mention=TextSpan(start=0, end=1, text="b"),
        trigger="type_of_violence 1",
        extractor="ucdp_ged.v1",
        date=dt.date.fromisoformat(day),
        event_id=event,
        point=point,
        dataset=DatasetSource(dataset="ucdp", event_id=event, concept="type_of_violence 1"),
    )


def _fused(tmp_path: Path, data: Relation, text=TEXT, text_point=None, settings=None) -> str | None:
    results = build_results(KG_ACTORS, text, {"a1": "2020-03-02"})
    if text_point is not None:
        rels = tuple(dataclasses.replace(r, point=text_point) for r in results[0].relations)
        results = [dataclasses.replace(results[0], relations=rels)]
    raw, ordered = tmp_path / "raw.nt", tmp_path / "sorted.nt"
    lines = "".join(result_ntriples(r) for r in results)
    lines += "".join(f"{s} {p} {o} .\n" for s, p, o in statement_triples(data, NTriplesTerms()))
    raw.write_text(lines, encoding="utf-8")
    with ordered.open("w", encoding="utf-8") as out:
        sort_lines(raw, out)
    with (tmp_path / "fused.nt").open("w", encoding="utf-8") as out:
        stats = fuse(ordered, out, settings or FusionSettings())
    return (
        None
        if stats is None or not stats.fused_events
        else (tmp_path / "fused.nt").read_text(encoding="utf-8")
    )


def test_undated_text_statement_fuses_within_the_week_before_its_article(tmp_path):
    fused = _fused(tmp_path, _dataset_statement("2020-02-27"))
    assert fused is not None
    assert '<https://w3id.org/conflictkg/ontology#sourceCount> "2"' in fused
    statements_with_event = [line for line in fused.splitlines() if "ontology#event>" in line]
    assert len(statements_with_event) == 2 and len({line.split()[2] for line in statements_with_event}) == 1


@pytest.mark.parametrize("day", ["2020-02-20", "2020-03-03"])
def test_outside_the_window_stays_apart(tmp_path, day):
    assert _fused(tmp_path, _dataset_statement(day)) is None


def test_dated_text_statement_uses_plus_minus_days(tmp_path):
    dated = [(*TEXT[0][:4], "2020-02-25", *TEXT[0][5:])]
    assert _fused(tmp_path, _dataset_statement("2020-02-27"), text=dated) is not None
    assert _fused(tmp_path, _dataset_statement("2020-02-28"), text=dated) is None
    assert _fused(tmp_path, _dataset_statement("2020-02-28"), text=dated, settings=FusionSettings(days=3))


def test_distance(tmp_path):
    near, far = (35.9, 36.6), (33.51, 36.29)  # Idlib; Damascus is some 270 km away
    assert _fused(tmp_path, _dataset_statement("2020-02-27"), text_point=near) is not None
    assert _fused(tmp_path, _dataset_statement("2020-02-27"), text_point=far) is None


def test_other_dyad_stays_apart(tmp_path):
    assert _fused(tmp_path, _dataset_statement("2020-02-27", source="tur", target="syr")) is None


def test_text_only_graph_is_left_alone(tmp_path):
    results = build_results(KG_ACTORS, TEXT, {"a1": "2020-03-02"})
    path = tmp_path / "t.nt"
    path.write_text(
        "".join(sorted(set(result_ntriples(results[0]).splitlines(keepends=True)))), encoding="utf-8"
    )
    with (tmp_path / "o.nt").open("w", encoding="utf-8") as out:
        assert fuse(path, out) is None
