"""Mention-level recall on real text: the committed real-text set and, when present, ../shared/real-dev.

``tests/data/real/real-blind.jsonl`` (76 passages of wire, government and encyclopaedic text,
annotated by a helper blind to the code) was scored once before anything was tuned on it (see its
README); it has since been used to find classes of failure, so the floors below guard against
regressions and are no measure of generalisation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.evaluate_mentions import format_mention_score, load_passages, score_mentions
from graph.extraction import extract_doc
from graph.jsonl import result_records
from graph.records import Article

ROOT = Path(__file__).resolve().parents[1]
REAL_BLIND = ROOT / "tests" / "data" / "real" / "real-blind.jsonl"
REAL_DEV = ROOT.parent / "shared" / "real-dev" / "real-dev.jsonl"
# set -> (strict recall, precision lower bound) floors
FLOORS = {REAL_BLIND: (0.40, 0.65), REAL_DEV: (0.25, 0.62)}


def _score(path: Path, nlp, extractor):
    passages = load_passages(path)
    records = []
    for p in passages:
        article = Article(id=p.id, text=p.text)
        records += result_records(extract_doc(nlp(p.text), article, extractor))
    return score_mentions(passages, records)


@pytest.mark.parametrize("path", [REAL_BLIND, REAL_DEV], ids=["real-blind", "real-dev"])
def test_real_text_recall_holds(path: Path, session_nlp, session_extractor) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not beside this checkout")
    result = _score(path, session_nlp, session_extractor)
    print(f"\n{path.name}:\n" + format_mention_score(result))
    floor_recall, floor_precision = FLOORS[path]
    assert result.strict.ratio >= floor_recall and result.precision.ratio >= floor_precision, (
        format_mention_score(result)
    )


def test_real_blind_set_is_well_formed() -> None:
    passages = load_passages(REAL_BLIND)
    assert len(passages) >= 60
    assert {p.source for p in passages} == {"blind-wire", "blind-gov", "blind-encyclopedic"}
    for p in passages:
        for r in p.relations:
            assert r.source in p.text and r.target in p.text, (p.id, r)
