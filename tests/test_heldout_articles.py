"""Dyad-level score on four wire-style articles written blind to the extractor (not Syria, not the dev set).

The articles and their gold (``tests/data/articles.gold.json``, seeds.gold.json format) cover Sudan,
eastern Congo, Ukraine/Russia and Yemen/Red Sea. The report is printed (``pytest -s``); the bar is
set by the project lead once the numbers are known.
"""

from __future__ import annotations

from pathlib import Path

from goldkit import assert_gold_matches, edge_records

from graph.evaluate import format_score, load_gold, score

DATA = Path(__file__).parent / "data"
GOLD = DATA / "articles.gold.json"


def test_gold_matches_the_articles():
    assert assert_gold_matches(GOLD, DATA / "articles") == 4


def test_heldout_articles_score(session_nlp, session_extractor):
    gold = load_gold(GOLD)
    result = score(gold, edge_records([DATA / "articles"], session_nlp, session_extractor))
    print("\nheld-out articles (tests/data/articles):\n" + format_score(result))
    precision, _, f1 = result.prf()
    # the bar for text we did not tune on; these articles have since been looked at, so
    # they guard against regressions rather than measure generalisation
    assert f1 >= 0.85 and precision >= 0.9, format_score(result)
