"""Open-world actors: ids minted from label, type and country; the mention layer's types and limits.

Sentences are our own, about conflicts outside the seeds, dev and real-text sets.
"""

from __future__ import annotations

import pytest

from graph.errors import OntologyError
from graph.openworld import is_open_id, load_heads, normalise_label, open_actor
from graph.records import ActorType


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("the Rohingya villagers", "Rohingya villagers"),
        ("dozens of members of a rival clan", "rival clan"),
        ("Nuer fighters'", "Nuer fighters"),
        ("  12   ethnic  Serbs ", "ethnic Serbs"),
    ],
)
def test_normalise_label(text: str, label: str) -> None:
    assert normalise_label(text) == label


def test_a_bracket_the_model_left_open_is_cut() -> None:
    # the model's entity ended inside "(FAPLA)": the label keeps the name, not half the bracket
    assert normalise_label("People's Armed Forces of Liberation of Angola (FAPLA") == (
        "People's Armed Forces of Liberation of Angola"
    )
    assert normalise_label("Allied Democratic Forces (ADF)") == "Allied Democratic Forces"


def test_civilian_heads_are_the_generic_civilians() -> None:
    # a bare "peasants" or "detainees" as a victim is the generic civilians actor, as "villagers"
    # is; the two lists are one class and must not drift apart
    from graph.gazetteer import load_gazetteer, normalize

    gaz = load_gazetteer()
    heads = [h for h, kind in load_heads().items() if kind is ActorType.CIVILIANS and " " not in h]
    missing = [h for h in heads if gaz.generics.get(normalize(h)) != "civilians" and h != "displaced"]
    assert not missing, missing


def test_open_actor_ids_merge_and_separate() -> None:
    a = open_actor("the Dinka youths", ActorType.COMMUNAL_GROUP)
    b = open_actor("Dinka youths", ActorType.COMMUNAL_GROUP)
    assert a == b and a.id == "ow_communal_group_dinka_youths" and not a.linked and is_open_id(a.id)
    # the same words as another type, or tied to another country, are another actor
    assert open_actor("Dinka youths", ActorType.CIVILIANS).id != a.id
    police = open_actor("Kenyan police", ActorType.POLICE, "ken")
    assert (
        police.id == "ow_police_kenyan_police_ken" and police.country == "KEN" and police.operates_in is None
    )
    clan = open_actor("Hawiye clan", ActorType.COMMUNAL_GROUP, "SOM")
    assert clan.country is None and clan.operates_in == "SOM"  # non-state: where it operates


def test_heads_file_types_and_errors(tmp_path) -> None:
    heads = load_heads()
    assert heads["police"] is ActorType.POLICE and heads["clan"] is ActorType.COMMUNAL_GROUP
    assert heads["brigade"] is ActorType.MILITARY_UNIT
    bad = tmp_path / "heads.csv"
    bad.write_text("head,type,note\nsquad,squadron_type,\n", encoding="utf-8")
    with pytest.raises(OntologyError, match="unknown actor type"):
        load_heads(bad)


def _open(nlp, extractor, text: str) -> dict[str, tuple[ActorType, str | None]]:
    """Open-world actors found in a sentence, by label."""
    doc = nlp(text)
    spans, _ = extractor.finder.find(doc, 2020)
    return {s.actor.label: (s.actor.type, s.actor.country) for s in spans if s.via == "open"}


OPEN_CASES = [
    ("Chadian gendarmes and Kanuri herders met at the well.", "Kanuri herders", ActorType.COMMUNAL_GROUP),
    ("The 101st Airborne Division moved north.", "101st Airborne Division", ActorType.MILITARY_UNIT),
    ("Armed Dinka youths raided the cattle camp.", "Dinka youths", ActorType.COMMUNAL_GROUP),
    ("The jihadists enslaved Yazidis and Christians alike.", "Christians", ActorType.COMMUNAL_GROUP),
    ("Charlotte police arrested him.", "Charlotte police", ActorType.POLICE),
]


@pytest.mark.parametrize(("sentence", "label", "kind"), OPEN_CASES)
def test_open_mentions_are_typed_by_head_and_name(
    session_nlp, session_extractor, sentence, label, kind
) -> None:
    found = _open(session_nlp, session_extractor, sentence)
    assert found.get(label) == (kind, None), found


def test_a_state_police_is_linked(session_nlp, session_extractor) -> None:
    doc = session_nlp("Kenyan police dispersed the crowd in Kisumu.")
    spans, _ = session_extractor.finder.find(doc, 2020)
    police = next(s.actor for s in spans if s.actor.type is ActorType.POLICE)
    assert (police.id, police.country, police.acts_for, police.linked) == ("ken_police", "KEN", "ken", True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Its forces retreated toward the border.",  # a pronoun owner is coreference's, not a new actor
        "Rebels attacked the Cameroonian town of Fotokol and then Bosso.",  # names in a place's slot
        "Russian-backed forces shelled the port.",  # the backer is no part of the phrase
        "Forces moved in overnight.",  # a bare head says too little
    ],
)
def test_no_open_actor_where_the_phrase_is_no_new_participant(
    session_nlp, session_extractor, sentence
) -> None:
    found = _open(session_nlp, session_extractor, sentence)
    assert not any(
        k.startswith(("Its", "-", "Fotokol", "Bosso", "backed")) or k == "Forces" for k in found
    ), found


def test_city_table_is_loaded_and_names_countries() -> None:
    from graph.openworld import load_cities

    cities = load_cities()
    assert len(cities) > 5000
    assert cities["kherson"][0] == "UKR" and cities["goma"][0] == "COD"
    assert all(len(code) == 3 and code.isupper() and people >= 50_000 for code, people in cities.values())


def test_place_countries_join_regions_and_cities(tmp_path) -> None:
    """Regions name their state; a name that is also a city of another country keeps the city's."""
    from graph.errors import OntologyError
    from graph.openworld import load_place_countries

    places = load_place_countries({"goma": ("COD", 670_000)})
    assert places["borno"] == "NGA" and places["tigray"] == "ETH" and places["goma"] == "COD"
    regions = tmp_path / "regions.csv"
    regions.write_text("name,key,iso3\nGoma,goma,RWA\n", encoding="utf-8")
    assert load_place_countries({"goma": ("COD", 670_000)}, regions)["goma"] == "COD"
    regions.write_text("name,iso3\n", encoding="utf-8")
    with pytest.raises(OntologyError, match="expected the header name,key,iso3"):
        load_place_countries({}, regions)


def test_city_keys_are_the_gazetteer_normalisation() -> None:
    """The stored keys must match what lookups fold, or cities silently stop matching."""
    import csv

    from graph.gazetteer import normalize
    from graph.resources import ontology_dir

    with (ontology_dir() / "places" / "cities.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(normalize(r["name"]) == r["key"] for r in rows[::50])
