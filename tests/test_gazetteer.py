"""The gazetteer loader: formats, errors that name the file and line, user overrides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.errors import OntologyError
from graph.gazetteer import ACTOR_FIELDS, load_gazetteer, normalize
from graph.records import ActorType

SHIPPED = Path(__file__).resolve().parents[1] / "ontology" / "gazetteer"
HEADER = ",".join(ACTOR_FIELDS)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for name in ("states.csv", "institutions.csv", "generics.csv"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    return tmp_path


def test_shipped_gazetteer_loads_and_covers_the_world():
    gaz = load_gazetteer(SHIPPED)
    types = [a.type for a in gaz.actors.values()]
    assert types.count(ActorType.STATE) >= 195
    assert types.count(ActorType.NON_STATE_ARMED_GROUP) >= 100
    assert types.count(ActorType.PERSON) >= 150
    assert gaz.names[normalize("the Kremlin")] == "rus"
    assert gaz.adjectives[normalize("Turkish")] == "tur"


def test_normalize_folds_quotes_case_dots_and_articles():
    assert normalize("The U.S.") == normalize("the US") == "us"
    assert normalize("Ta’ang") == normalize("ta'ang")
    assert normalize("Türkiye") == "turkiye"


def test_user_rows_add_and_override(folder, tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text(
        HEADER + "\nnew_front,New Front,non_state_armed_group,,,MLI,,NF|the Front,,,\n", encoding="utf-8"
    )
    gaz = load_gazetteer(folder, extra=[extra])
    assert gaz.names[normalize("New Front")] == "new_front"
    assert gaz.actors["new_front"].operates_in == "MLI"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Bad Id,X,non_state_armed_group,,,,,,,,", "snake_case"),
        ("ok_id,X,warlord,,,,,,,,", "type 'warlord'"),
        ("ok_id,X,person,,,,Q12x,,,,", "wikidata"),
        ("ok_id,X,person,TUR,nowhere,,,,,,", "acts_for 'nowhere'"),
        ("ok_id,X,person,TUR,tur,,,,president,20x,", "year"),
    ],
)
def test_bad_rows_name_the_problem(folder, row, message):
    (folder / "extra.csv").write_text(HEADER + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(OntologyError, match=message):
        load_gazetteer(folder)


def test_duplicate_ids_across_files_are_an_error(folder):
    (folder / "a.csv").write_text(HEADER + "\ndup,A,other,,,,,,,,\n", encoding="utf-8")
    (folder / "b.csv").write_text(HEADER + "\ndup,B,other,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(OntologyError, match="already defined"):
        load_gazetteer(folder)


def test_missing_column_is_reported(folder):
    (folder / "extra.csv").write_text("id,label\nx,X\n", encoding="utf-8")
    with pytest.raises(OntologyError, match="missing column"):
        load_gazetteer(folder)


def test_institution_made_by_pattern_acts_for_state():
    gaz = load_gazetteer(SHIPPED)
    forces = gaz.institution("tur", ActorType.ARMED_FORCES)
    assert forces.id == "tur_armed_forces" and forces.acts_for == "tur" and forces.country == "TUR"
    assert "Turkish" in forces.label


def test_office_holder_by_year():
    gaz = load_gazetteer(SHIPPED)
    holder = gaz.office_holder("TUR", ("head_of_state",), 2020)
    assert holder is not None and "Erdo" in holder.label
