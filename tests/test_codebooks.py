"""The dataset mapping tables: every row loads, cites a codebook, and maps what the issue asks."""

from __future__ import annotations

import csv

import pytest

from graph.codebooks import load_codebooks
from graph.records import ActorType, Modality, RelationKind
from graph.resources import ontology_dir


@pytest.fixture(scope="module")
def books():
    return load_codebooks()


@pytest.mark.parametrize("path", sorted((ontology_dir() / "datasets").glob("*.csv")), ids=lambda p: p.name)
def test_every_row_cites_its_codebook(path):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(row["codebook"].strip() for row in rows)


@pytest.mark.parametrize(
    ("code", "kind", "modality"),
    [
        ("180", RelationKind.ATTACKED, Modality.ASSERTED),
        ("1951", RelationKind.ATTACKED, Modality.ASSERTED),
        ("202", RelationKind.ATTACKED, Modality.ASSERTED),
        ("072", RelationKind.BACKED, Modality.ASSERTED),
        ("057", RelationKind.COOPERATED, Modality.ASSERTED),
        ("061", RelationKind.COOPERATED, Modality.ASSERTED),
        ("046", RelationKind.NEGOTIATED_WITH, Modality.ASSERTED),
        ("036", RelationKind.NEGOTIATED_WITH, Modality.INTENDED),
        ("073", None, Modality.ASSERTED),
        ("010", None, Modality.ASSERTED),
        ("042", None, Modality.ASSERTED),
    ],
)
def test_cameo_codes(books, code, kind, modality):
    rule = books.cameo_rule(code)
    assert rule is not None and rule.kind == kind and rule.modality == modality


def test_unknown_cameo_root(books):
    assert books.cameo_rule("99") is None


def test_acled_and_ucdp_tables(books):
    assert books.acled_rule("Battles", "Armed clash").kind is RelationKind.ATTACKED
    assert books.acled_rule("Strategic developments", "Agreement").kind is RelationKind.NEGOTIATED_WITH
    assert books.acled_rule("Strategic developments", "Arrests").kind is None
    assert books.acled_rule("Protests", "Peaceful protest").kind is None
    assert books.acled_rule("Parades", "") is None
    assert (
        books.acled_inter["4"] is ActorType.COMMUNAL_GROUP
        and books.acled_inter["state forces"] is ActorType.ARMED_FORCES
    )
    assert set(books.acled_backs) == {"1", "2", "3", "4", "8"}
    assert not books.ucdp_violence["1"].initiator_known and books.ucdp_violence["3"].target == "civilians"
    assert books.datasets["ucdp"].licence == "https://creativecommons.org/licenses/by/4.0/"
