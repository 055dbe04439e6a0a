"""Dataset actors link to the same actors the text path gives, or to the same open-world ids."""

from __future__ import annotations

import pytest

from graph.codebooks import load_codebooks
from graph.dataset_actors import ActorLinker
from graph.gazetteer import load_gazetteer
from graph.openworld import open_actor
from graph.records import ActorType


@pytest.fixture(scope="module")
def linker():
    return ActorLinker(load_gazetteer(), load_codebooks())


@pytest.mark.parametrize(
    ("how", "args", "expected"),
    [
        ("ucdp", ("Government of Syria", "113", "Syria"), "syr_government"),
        ("ucdp", ("Government of Myanmar (Burma)", "106", "Myanmar (Burma)"), "mmr_government"),
        ("ucdp", ("Civilians", "1", "Syria"), "civilians_syr"),
        ("ucdp", ("HTS", "4352", "Syria"), "hayat_tahrir_al_sham"),
        ("acled", ("Military Forces of Turkey (2016-)", "1", "Syria"), "tur_armed_forces"),
        (
            "acled",
            ("Military Forces of Iran (1989-) Islamic Revolutionary Guard Corps", "1", "Iraq"),
            "irn_armed_forces",
        ),
        ("acled", ("Government of Russia (2000-)", "8", "Syria"), "rus_government"),
        ("acled", ("Civilians (Syria)", "7", "Syria"), "civilians_syr"),
        ("acled", ("Hayat Tahrir al Sham", "2", "Syria"), "hayat_tahrir_al_sham"),
        ("cameo", ("TURMIL", "TURKEY", "TUR", ("MIL",)), "tur_armed_forces"),
        ("cameo", ("SYR", "SYRIA", "SYR", ()), "syr"),
        ("cameo", ("SYRREB", "REBEL", "SYR", ("REB",)), "rebels_syr"),
        ("cameo", ("IGOUNO", "UNITED NATIONS", "", ("IGO",)), "united_nations"),
    ],
)
def test_linked(linker, how, args, expected):
    assert getattr(linker, how)(*args).id == expected


def test_open_world_fallback_mints_the_text_path_id(linker):
    actor = linker.ucdp("Syrian insurgents", "1171", "Syria")
    assert not actor.linked
    assert actor.id == open_actor("Syrian insurgents", ActorType.NON_STATE_ARMED_GROUP, "SYR").id


def test_police_and_interaction_types(linker):
    acled = linker.acled("Police Forces of Syria (2000-)", "1", "Syria")
    cameo = linker.cameo("SYRCOP", "SYRIA", "SYR", ("COP",))
    assert acled.id == cameo.id and acled.type is ActorType.POLICE and acled.acts_for == "syr"
    militia = linker.acled("Fulani Ethnic Militia (Nigeria)", "4", "Nigeria")
    assert militia.type is ActorType.COMMUNAL_GROUP and militia.operates_in == "NGA"


def test_dataset_ids_are_kept(linker):
    assert linker.ucdp("Government of Syria", "113", "Syria").dataset_ids == ("ucdp:113",)
    assert linker.cameo("TURMIL", "TURKEY", "TUR", ("MIL",)).dataset_ids == ("cameo:TURMIL",)
    assert linker.acled("Military Forces of Turkey (2016-)", "1", "Syria").dataset_ids == (
        "acled:Military Forces of Turkey (2016-)",
    )


def test_missing_actor(linker):
    assert linker.acled("", "", "Syria") is None and linker.cameo("", "", "", ()) is None
