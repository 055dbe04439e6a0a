"""Dataset rows become statements with provenance; unusable rows are skipped with file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.codebooks import load_codebooks
from graph.dataset_actors import ActorLinker
from graph.dataset_events import RowResult, parse_date, row_result
from graph.datasets import Row, read_rows
from graph.gazetteer import load_gazetteer
from graph.records import Modality, RelationKind, Skipped

DATA = Path(__file__).parent / "data" / "datasets"


@pytest.fixture(scope="module")
def convert():
    books = load_codebooks()
    linker = ActorLinker(load_gazetteer(), books)

    def run(dataset: str, name: str) -> dict[str, RowResult | Skipped | None]:
        out = {}
        for item in read_rows(dataset, DATA / name):
            if isinstance(item, Row):
                out[str(item.line)] = row_result(item, books, linker, "test")
        return out

    return run


def _triples(result: RowResult) -> set[tuple[str, str, str, str]]:
    return {(r.kind.value, r.source_id, r.target_id, r.modality.value) for r in result.relations}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01 March 2020", dt.date(2020, 3, 1)),
        ("2020-03-01", dt.date(2020, 3, 1)),
        ("2020-02-27 00:00:00.000", dt.date(2020, 2, 27)),
        ("20200227", dt.date(2020, 2, 27)),
        ("1-Mar-2020", dt.date(2020, 3, 1)),
        ("31 Febtember 2020", None),
        ("2020-13-45", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_ucdp(convert):
    out = convert("ucdp", "ucdp_ged.csv")
    state_based = out["2"]
    assert _triples(state_based) == {
        ("attacked", "syr_government", "tur_government", "asserted"),
        ("attacked", "tur_government", "syr_government", "asserted"),
    }
    rel = state_based.relations[0]
    assert rel.dataset.initiator_known is False and rel.dataset.event_id == "900001"
    assert rel.date == dt.date(2020, 2, 27) and rel.fatalities == 34 and rel.point == (35.742, 36.586)
    assert rel.dataset.admin_area == "Idlib governorate" and rel.dataset.release == "test"
    assert len({r.event_id for r in state_based.relations}) == 1  # both directions: one event
    one_sided = out["4"]
    assert _triples(one_sided) == {("attacked", "mmr_government", "civilians_mmr", "asserted")}
    assert one_sided.relations[0].dataset.initiator_known is True
    assert {"syr", "tur"} <= {a.id for a in state_based.actors}  # the states they act for are in the graph
    reasons = {k: v.reason for k, v in out.items() if isinstance(v, Skipped)}
    assert set(reasons) == {"5", "6", "7"}
    assert (
        "date_start" in reasons["5"]
        and "type_of_violence" in reasons["6"]
        and "missing actor" in reasons["7"]
    )


def test_acled(convert):
    out = convert("acled", "acled.csv")
    assert _triples(out["2"]) == {
        ("attacked", "tur_armed_forces", "syr_armed_forces", "asserted"),
        ("backed", "ow_non_state_armed_group_national_liberation_front_syr", "tur_armed_forces", "asserted"),
    }
    assert _triples(out["3"]) == {("negotiated_with", "tur_government", "rus_government", "asserted")}
    assert _triples(out["4"]) == {("attacked", "syr_armed_forces", "civilians_syr", "asserted")}  # no backing
    assert out["5"] is None  # a protest: known, not mapped
    rel = out["2"].relations[0]
    assert rel.dataset.concept == "Battles / Armed clash" and rel.fatalities == 12 and rel.place == "Saraqab"
    assert rel.evidence.text.startswith("On 28 February 2020") and rel.dataset.plover == "ASSAULT"
    skipped = {k: v.reason for k, v in out.items() if isinstance(v, Skipped)}
    assert set(skipped) == {"8", "9", "10"}


def test_acled_old_export(convert):
    out = convert("acled", "acled_old.csv")
    assert _triples(out["2"]) == {("attacked", "tplf", "eth_armed_forces", "asserted")}
    assert _triples(out["3"]) == {
        ("attacked", "eth_armed_forces", "tplf", "asserted"),
        ("backed", "eri_armed_forces", "eth_armed_forces", "asserted"),
    }
    assert out["3"].relations[0].fatalities is None  # an empty fatalities cell


def test_gdelt(convert):
    out = convert("gdelt", "gdelt.export.CSV")
    assert _triples(out["1"]) == {("attacked", "syr_armed_forces", "tur_armed_forces", "asserted")}
    assert _triples(out["2"]) == {("backed", "rus", "syr_government", "asserted")}
    assert _triples(out["3"]) == {("negotiated_with", "tur_government", "rus_government", "asserted")}
    intended = out["4"].relations[0]
    assert intended.modality is Modality.INTENDED and not intended.is_edge
    assert out["5"] is None
    assert _triples(out["10"]) == {("cooperated", "united_nations", "syr_government", "asserted")}
    assert (
        out["1"].relations[0].dataset.cameo == "190" and out["1"].relations[0].kind is RelationKind.ATTACKED
    )
    skipped = {k: v.reason for k, v in out.items() if isinstance(v, Skipped)}
    assert set(skipped) == {"6", "7", "8"} and "CAMEO" in skipped["6"]
