"""Actor resolution: gazetteer names, institutions by pattern, titles, generics, coreference."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.records import ActorType


def _mention(result, text: str):
    hits = [m for m in result.mentions if text in m.span.text or (m.span.text in text and m.span.text)]
    hits = [m for m in hits if m.span.text.strip()]
    assert hits, f"no mention for {text!r} in {[m.span.text for m in result.mentions]}"
    actors = {a.id: a for a in result.actors}
    return actors[hits[0].actor_id], hits[0]


@pytest.mark.parametrize(
    ("sentence", "mention", "actor_id", "kind", "country"),
    [
        ("Ankara condemned the attack.", "Ankara", "tur", ActorType.STATE, "TUR"),
        ("The Kremlin said nothing.", "Kremlin", "rus", ActorType.STATE, "RUS"),
        (
            "Turkish troops entered the town.",
            "Turkish troops",
            "tur_armed_forces",
            ActorType.ARMED_FORCES,
            "TUR",
        ),
        (
            "Syria's Foreign Ministry issued a statement.",
            "Syria's Foreign Ministry",
            "syr_government",
            ActorType.GOVERNMENT,
            "SYR",
        ),
        (
            "The Nigerian army said it repelled the raid.",
            "Nigerian army",
            "nga_armed_forces",
            ActorType.ARMED_FORCES,
            "NGA",
        ),
        (
            "Emirati officials met the delegation.",
            "Emirati officials",
            "are_government",
            ActorType.GOVERNMENT,
            "ARE",
        ),
        ("Kyiv asked for more air defence.", "Kyiv", "ukr", ActorType.STATE, "UKR"),
    ],
    ids=[
        "capital",
        "seat-of-power",
        "adjective-institution",
        "possessive-institution",
        "army",
        "emirati",
        "kyiv",
    ],
)
def test_states_and_institutions(extract_text, sentence, mention, actor_id, kind, country):
    actor, _ = _mention(extract_text(sentence), mention)
    assert (actor.id, actor.type, actor.country) == (actor_id, kind, country)


def test_institution_acts_for_its_state(extract_text):
    actor, _ = _mention(extract_text("Sudanese soldiers fired on the crowd."), "Sudanese soldiers")
    assert actor.acts_for == "sdn"


def test_title_makes_an_unlisted_person_act_for_the_state(extract_text):
    result = extract_text("Kenyan Defence Minister Aden Duale visited the base.")
    actor, _ = _mention(result, "Aden Duale")
    assert actor.type is ActorType.PERSON
    assert actor.country == "KEN" and actor.acts_for == "ken"


def test_spelling_variants_resolve_to_one_group(extract_text):
    a, _ = _mention(extract_text("Hizbollah fired rockets."), "Hizbollah")
    b, _ = _mention(extract_text("Hezbollah fired rockets."), "Hezbollah")
    assert a.id == b.id and a.country is None and a.type is ActorType.NON_STATE_ARMED_GROUP


def test_generic_actor_tied_to_country(extract_text):
    actor, _ = _mention(extract_text("Libyan rebels seized the port."), "Libyan rebels")
    assert actor.type is ActorType.NON_STATE_ARMED_GROUP
    assert actor.country is None and actor.operates_in == "LBY"
    assert "rebel" in actor.label


def test_definite_generic_resolves_to_named_group(extract_text):
    result = extract_text("M23 fighters advanced on Goma on Sunday. The rebels then shelled the airport.")
    actor, mention = _mention(result, "The rebels")
    assert actor.id == "m23" and mention.via == "coref"


def test_group_noun_resolves_to_latest_named_group(extract_text):
    result = extract_text("Hamas fired rockets at Israel. Israel said the Palestinian group's attack failed.")
    actor, _ = _mention(result, "the Palestinian group")
    assert actor.id == "hamas"


def test_bare_institution_resolves_by_salience(extract_text):
    text = "Malian troops patrolled near Gao. The army said 12 soldiers died."
    actor, _ = _mention(extract_text(text), "The army")
    assert actor.id == "mli_armed_forces"


def test_office_holder_by_date(extract_text):
    result = extract_text("Turkey's president said he would travel.", dt.date(2020, 3, 2))
    actor, _ = _mention(result, "Turkey's president")
    assert actor.country == "TUR"
    assert actor.type in (ActorType.PERSON, ActorType.GOVERNMENT)


def test_locations_are_not_actors(extract_text):
    result = extract_text("The Turkish border is 50 km away.")
    assert not result.relations
    assert all(m.span.text != "Turkish border" for m in result.mentions)


def test_lowercase_common_word_is_not_an_acronym(extract_text):
    result = extract_text("It is what it is, he said.")
    assert not any(a.id in ("islamic_state",) for a in result.actors)
