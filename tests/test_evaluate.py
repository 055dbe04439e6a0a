"""The dyad-level scorer against the shared gold format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.evaluate import load_gold, score

GOLD = {
    "actor_rules": {
        "REB": {"label": "rebel", "states_too": True},
        "TUR": [{"country": "TUR"}, {"label": "Ankara"}],
        "SYR": {"country": "SYR"},
        "RUS": {"country": "RUS"},
    },
    "articles": {
        "a": {
            "required": [["TUR", "attacked", "SYR", "e"], ["RUS", "negotiated_with", "TUR", "e"]],
            "acceptable": [["SYR", "attacked", "REB", "e"]],
        }
    },
}


def _actor(country=None, label="x"):
    return {"country": country, "label": label, "aliases": []}


def _rec(rel, s, t, article="a"):
    return {"article": article, "relation": rel, "source": s, "target": t, "sentence": "s"}


@pytest.fixture()
def gold(tmp_path: Path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    return load_gold(path)


def test_perfect(gold):
    result = score(
        gold,
        [
            _rec("attacked", _actor("TUR"), _actor("SYR")),
            _rec("negotiated_with", _actor("TUR"), _actor("RUS")),
        ],
    )  # order ignored
    assert result.prf() == (1.0, 1.0, 1.0)


def test_acceptable_is_neither_miss_nor_false_positive(gold):
    result = score(
        gold,
        [
            _rec("attacked", _actor("TUR"), _actor("SYR")),
            _rec("attacked", _actor("SYR"), _actor(None, "rebels")),
        ],
    )
    p, r, _ = result.prf()
    assert p == 1.0 and r == 0.5 and result.misses == [("a", "RUS", "negotiated_with", "TUR")]


def test_false_positive_and_dyad_counted_once(gold):
    recs = [_rec("attacked", _actor("SYR"), _actor("TUR"))] * 3
    result = score(gold, recs)
    assert result.fp["attacked"] == 1 and len(result.false_positives) == 1


def test_label_fallback_and_other_types_ignored(gold):
    result = score(
        gold,
        [
            _rec("attacked", _actor(None, "Ankara"), _actor("SYR")),
            _rec("threatened", _actor("RUS"), _actor("SYR")),
        ],
    )
    assert result.tp["attacked"] == 1 and sum(result.fp.values()) == 0


def test_shared_gold_files_parse():
    shared = Path(__file__).resolve().parents[2] / "shared" / "gold"
    if not shared.is_dir():
        pytest.skip("../shared/gold is not beside this checkout")
    for name in ("seeds.gold.json", "dev.gold.json"):
        gold = load_gold(shared / name)
        assert gold.required and all(gold.required.values())
        assert gold.rules.key_for({"country": "TUR", "label": "Turkey", "aliases": []}) == "TUR"
