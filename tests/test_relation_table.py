"""Relation extraction judged on sentences written blind to the extractor, one per construction and modality.

Each row of ``tests/data/relation_sentences.jsonl`` is run through the real pipeline. A row passes when
every ``expect`` dyad is among the plain edges (relations whose modality becomes an edge) and no
``forbid`` dyad is; a ``distractor`` row must give no graded edge at all. Actor keys are ISO alpha-3
codes, matched on the actor's ``country`` (never on a non-state group's), or ``re:<regex>``, searched
case-insensitively in the actor's label and aliases. ``negotiated_with`` is unordered.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from graph.records import Actor, ActorType, ArticleResult

TABLE = Path(__file__).parent / "data" / "relation_sentences.jsonl"
GRADED = ("attacked", "backed", "negotiated_with")
NON_STATE = (ActorType.NON_STATE_ARMED_GROUP, ActorType.CIVILIANS)
ROWS = [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def key_matches(key: str, actor: Actor) -> bool:
    """Whether an extracted actor answers to a table key (ISO code or ``re:`` regex)."""
    if key.startswith("re:"):
        pattern = re.compile(key[3:], re.IGNORECASE)
        return any(pattern.search(name) for name in (actor.label, *actor.aliases))
    return actor.country == key and actor.type not in NON_STATE


def edges(result: ArticleResult) -> list[tuple[Actor, str, Actor]]:
    """The plain graded edges of a result, as (source actor, relation, target actor)."""
    actors = {a.id: a for a in result.actors}
    return [
        (actors[r.source_id], r.kind.value, actors[r.target_id])
        for r in result.relations
        if r.is_edge and r.kind.value in GRADED
    ]


def has_dyad(found: list[tuple[Actor, str, Actor]], dyad: list[str]) -> bool:
    """Whether some edge realises the dyad (either order for negotiated_with)."""
    source, relation, target = dyad
    for s, kind, t in found:
        if kind != relation:
            continue
        if key_matches(source, s) and key_matches(target, t):
            return True
        if relation == "negotiated_with" and key_matches(source, t) and key_matches(target, s):
            return True
    return False


def describe(found: list[tuple[Actor, str, Actor]]) -> str:
    return "; ".join(f"{s.label}[{s.country}] {k} {t.label}[{t.country}]" for s, k, t in found) or "no edges"


def test_table_is_well_formed():
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids)) >= 110
    for row in ROWS:
        assert row["sentence"].strip() and row["construction"] and row["modality"]
        for dyad in row["expect"] + row["forbid"]:
            assert len(dyad) == 3 and dyad[1] in GRADED, row["id"]
            for key in (dyad[0], dyad[2]):
                assert re.fullmatch(r"[A-Z]{3}", key) or (key.startswith("re:") and re.compile(key[3:])), key
        if row["modality"] not in ("asserted", "none"):
            assert row["forbid"], f"{row['id']}: a non-asserted row must forbid the dyad it mentions"


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_relation_row(row, extract_text):
    date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
    result = extract_text(row["sentence"], date, row["id"], row.get("dateline"))
    found = edges(result)
    missing = [d for d in row["expect"] if not has_dyad(found, d)]
    wrong = [d for d in row["forbid"] if has_dyad(found, d)]
    if row["construction"] == "distractor":
        wrong += [[s.label, k, t.label] for s, k, t in found]
    kind = f"{row['construction']}/{row['modality']}"
    assert not missing and not wrong, f"[{kind}] missing {missing} forbidden {wrong} | got: {describe(found)}"
