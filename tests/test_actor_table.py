"""Actor resolution judged on mentions written blind to the gazetteer.

Each row of ``tests/data/actor_mentions.csv`` names a sentence, an exact substring of it, and the
canonical actor expected there: ISO alpha-3 ``country`` (empty for a non-state actor), ``type``
(an :class:`~graph.records.ActorType` value) and, for non-state actors and people, a regex that the
actor's label or one alias must match. A ``|`` in ``country`` or ``type`` lists accepted
alternatives where the conventions allow more than one (``SAU|`` = Saudi Arabia or no country).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

TABLE = Path(__file__).parent / "data" / "actor_mentions.csv"
with TABLE.open(encoding="utf-8", newline="") as handle:
    ROWS = list(csv.DictReader(handle))


def _id(row: dict[str, str]) -> str:
    return f"{row['mention']}@{row['sentence'][:30]}"


def test_table_covers_the_world():
    countries = {c for row in ROWS for c in row["country"].split("|") if c}
    groups = {row["label_regex"] for row in ROWS if row["type"] == "non_state_armed_group"}
    assert len(ROWS) >= 70 and len(countries) >= 15 and len(groups) >= 20
    for row in ROWS:
        assert row["mention"] in row["sentence"], row


@pytest.mark.parametrize("row", ROWS, ids=[_id(row) for row in ROWS])
def test_actor_row(row, extract_text):
    result = extract_text(row["sentence"])
    start = row["sentence"].index(row["mention"])
    end = start + len(row["mention"])
    actors = {a.id: a for a in result.actors}
    hits = [m for m in result.mentions if m.span.start < end and start < m.span.end]
    assert hits, f"no mention over {row['mention']!r}; mentions: {[m.span.text for m in result.mentions]}"
    # the longest overlapping mention is the one the span stands for ("Sudan" inside "South Sudan")
    mention = max(hits, key=lambda m: min(end, m.span.end) - max(start, m.span.start))
    actor = actors[mention.actor_id]
    countries = [c or None for c in row["country"].split("|")]
    got = f"{actor.label!r} type={actor.type.value} country={actor.country} via {mention.via}"
    assert actor.country in countries, got
    assert actor.type.value in row["type"].split("|"), got
    if row["label_regex"]:
        pattern = re.compile(row["label_regex"], re.IGNORECASE)
        assert any(pattern.search(n) for n in (actor.label, *actor.aliases)), got
