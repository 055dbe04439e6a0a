"""Mention-level scoring of real text (``conflictkg eval PASSAGES.jsonl``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.evaluate_mentions import format_mention_score, load_passages, score_mentions

ROOT = Path(__file__).resolve().parents[1]
REAL_DEV = ROOT.parent / "shared" / "real-dev" / "real-dev.jsonl"

# Sentences of our own, not from any evaluation set.
PASSAGES = [
    {
        "id": "p1",
        "source_dataset": "wire",
        "text": "Ugandan troops shelled rebel camps near Beni.",
        "relations": [
            {"source": "Ugandan troops", "relation": "attacked", "target": "rebel", "source_country": "UGA",
             "target_country": None, "strength": "strict", "symmetric": False},
        ],
    },
    {
        "id": "p2",
        "source_dataset": "gov",
        "text": "Peru and Ecuador held talks in Brasilia.",
        "relations": [
            {"source": "Peru", "relation": "negotiated_with", "target": "Ecuador", "source_country": "PER",
             "target_country": "ECU", "strength": "strict", "symmetric": True},
            {"source": "Peru", "relation": "backed", "target": "Ecuador", "strength": "broad"},
        ],
    },
]  # fmt: skip


def _actor(label: str, country: str | None = None, mention: str | None = None) -> dict:
    return {"label": label, "aliases": [], "mention": mention or label, "country": country}


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PASSAGES), encoding="utf-8")
    return path


def test_matching_by_country_by_shared_word_and_either_way_for_talks(gold: Path) -> None:
    records = [
        {"article": "p1", "relation": "attacked", "source": _actor("Uganda", "UGA"),
         "target": _actor("ADF", mention="rebel camps"), "sentence": "..."},
        {"article": "p2", "relation": "negotiated_with", "source": _actor("Ecuador", "ECU"),
         "target": _actor("Peru", "PER"), "sentence": "..."},
        {"article": "p2", "relation": "attacked", "source": _actor("Peru", "PER"),
         "target": _actor("Ecuador", "ECU"), "sentence": "Peru attacked"},
    ]  # fmt: skip
    result = score_mentions(load_passages(gold), records)
    assert (result.strict.found, result.strict.total) == (2, 2)
    assert (result.every.found, result.every.total) == (2, 3)
    assert (result.precision.found, result.precision.total) == (2, 3)
    assert result.per_source["gov"][0].found == 1
    assert [pid for pid, _ in result.unmatched] == ["p2"]
    assert "strict recall 1.00 (2/2)" in format_mention_score(result)


def test_a_wrong_direction_or_kind_or_generic_word_is_no_match(gold: Path) -> None:
    records = [
        # reversed attack: attacked is directed
        {
            "article": "p1",
            "relation": "attacked",
            "source": _actor("rebels"),
            "target": _actor("Uganda", "UGA"),
        },
        # sharing only a word that names a kind of actor ("troops") is no match
        {
            "article": "p1",
            "relation": "attacked",
            "source": _actor("Kenyan troops"),
            "target": _actor("rebel group"),
        },
    ]
    result = score_mentions(load_passages(gold), records)
    assert result.strict.found == 0
    assert len(result.misses) == 2 and result.misses[0][1].source == "Ugandan troops"


def test_a_bad_line_is_a_clear_error(tmp_path: Path) -> None:
    from graph.errors import InputError

    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:1: not a gold passage"):
        load_passages(path)


def test_eval_command_scores_passages_with_their_own_text(gold: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "eval", str(gold), "--json"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["strict_recall"]["total"] == 2
    assert set(report["per_source"]) == {"wire", "gov"}


def test_real_dev_scores_and_reports_per_source() -> None:
    if not REAL_DEV.is_file():
        pytest.skip("../shared/real-dev is not beside this checkout")
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "eval", str(REAL_DEV), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["strict_recall"]["total"] == 55
    assert {"M2E2-VOA", "GENEVA-FrameNet"} <= set(report["per_source"])
