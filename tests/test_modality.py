"""Modality of relations: negated, intended, alleged, denied, hedged, and attribution."""

from __future__ import annotations

import pytest

from graph.records import Modality, RelationKind


def _only(result, kind: RelationKind, source: str, target: str):
    hits = [
        r
        for r in result.relations
        if r.kind is kind and r.source_id.startswith(source) and r.target_id.startswith(target)
    ]
    assert hits, [(r.source_id, r.kind.value, r.target_id, r.modality.value) for r in result.relations]
    return hits[0]


@pytest.mark.parametrize(
    ("sentence", "source", "target", "modality"),
    [
        ("Ethiopian troops did not attack Eritrean forces.", "eth", "eri", Modality.NEGATED),
        (  # a relative clause is the writer's own statement, not part of the accusation
            "Baghdad blamed the Islamic State group, which Iraqi troops have fought since 2014.",
            "irq",
            "islamic_state",
            Modality.ASSERTED,
        ),
        (  # a factual "as" clause is not part of the plan
            "Kenya and Uganda agreed to plan new talks as Kenyan troops pressed their offensive "
            "against al-Shabaab.",
            "ken",
            "al_shabaab",
            Modality.ASSERTED,
        ),
        (  # a denial with its own clause denies only that
            "France said the missiles were found when Libyan troops overran an LNA base, but denied "
            "selling them.",
            "lby",
            "libyan_national_army",
            Modality.ASSERTED,
        ),
        ("Iran never armed the Houthis, Tehran said.", "irn", "houthis", Modality.NEGATED),
        (
            "Israel would strike Hezbollah if the group violated the deal.",
            "isr",
            "hezbollah",
            Modality.INTENDED,
        ),
        ("Russia plans to attack Ukraine's power grid.", "rus", "ukr", Modality.INTENDED),
        ("Congo accuses Rwanda of backing the M23 rebels.", "rwa", "m23", Modality.ALLEGED),
        ("Analysts say China may have armed the junta in Myanmar.", "chn", "mmr", Modality.HEDGED),
        ("Sudanese troops shelled RSF positions, the army said.", "sdn", "rapid_support", Modality.ASSERTED),
        (
            "The Philippine coast guard accused Chinese vessels of ramming its ships.",
            "chn",
            "phl",
            Modality.ALLEGED,
        ),
        (
            "Rwandan President Paul Kagame denied that his country was backing the M23.",
            "rwa",
            "m23",
            Modality.DENIED,
        ),
    ],
    ids=[
        "negated",
        "relative-clause-asserted",
        "factual-as-clause",
        "denial-own-clause",
        "never",
        "conditional",
        "planned",
        "accused",
        "hedged",
        "reported-speech",
        "accused-of-object",
        "denied-that",
    ],
)
def test_modality(extract_text, sentence, source, target, modality):
    result = extract_text(sentence)
    kinds = {RelationKind.ATTACKED, RelationKind.BACKED}
    hits = [
        r
        for r in result.relations
        if r.kind in kinds and r.source_id.startswith(source) and r.target_id.startswith(target)
    ]
    assert hits, [(r.source_id, r.kind.value, r.target_id) for r in result.relations]
    assert hits[0].modality is modality
    assert hits[0].is_edge is (modality is Modality.ASSERTED)


def test_reported_speech_records_the_speaker(extract_text):
    rel = _only(
        extract_text("Sudanese troops shelled RSF positions, the army said."),
        RelationKind.ATTACKED,
        "sdn",
        "rapid",
    )
    assert rel.attributed_to and "army" in rel.attributed_to


def test_negated_talks_are_not_an_edge(extract_text):
    result = extract_text("Eritrea did not take part in the talks with Ethiopia.")
    assert not [r for r in result.relations if r.is_edge]
