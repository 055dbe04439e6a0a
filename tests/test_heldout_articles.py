"""Dyad-level score on four wire-style articles written blind to the extractor (not Syria, not the dev set).

The articles and their gold (``tests/data/articles.gold.json``, seeds.gold.json format) cover Sudan,
eastern Congo, Ukraine/Russia and Yemen/Red Sea. The report is printed (``pytest -s``); the bar is
set by the project lead once the numbers are known.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graph.evaluate import SCORED, format_score, load_gold, score
from graph.ingest import read_articles
from graph.jsonl import relation_record
from graph.records import Article

DATA = Path(__file__).parent / "data"
GOLD = DATA / "articles.gold.json"


def test_gold_matches_the_articles():
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (DATA / "articles").glob("*.txt")}
    assert set(load_gold(GOLD).required) == set(texts) and len(texts) == 4
    for art, lists in data["articles"].items():
        for s, rel, t, evidence in lists["required"] + lists["acceptable"]:
            assert s in data["actor_rules"] and t in data["actor_rules"] and rel in SCORED
            for piece in re.sub(r"\s*\[.*?\]", "", evidence).split(" / "):
                for part in piece.split(" ... "):
                    assert part.strip() in texts[art], (art, part)


def test_heldout_articles_score(session_nlp, session_extractor):
    from graph.extract import extract_doc

    gold = load_gold(GOLD)
    articles = [a for a in read_articles([DATA / "articles"]) if isinstance(a, Article)]
    assert len(articles) == 4
    records = []
    for article in articles:
        result = extract_doc(session_nlp(article.text), article, session_extractor)
        actors = {a.id: a for a in result.actors}
        records += [relation_record(r, actors) for r in result.relations if r.is_edge]
    result = score(gold, records)
    print("\nheld-out articles (tests/data/articles):\n" + format_score(result))
    precision, _, f1 = result.prf()
    # the bar for text we did not tune on; these articles have since been looked at, so
    # they guard against regressions rather than measure generalisation
    assert f1 >= 0.85 and precision >= 0.9, format_score(result)
