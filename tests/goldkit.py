"""Helpers shared by the score tests: check a gold file against its articles, extract edge records."""

from __future__ import annotations

import json
import re
from pathlib import Path

from graph.evaluate import SCORED, load_gold
from graph.ingest import read_articles
from graph.jsonl import result_records
from graph.records import Article


def assert_gold_matches(gold: Path, articles: Path) -> int:
    """Every gold article exists, every key is a known actor and relation, and every piece of
    evidence is a verbatim substring of its article; returns the number of articles."""
    data = json.loads(gold.read_text(encoding="utf-8"))
    texts = {p.stem: p.read_text(encoding="utf-8") for p in articles.glob("*.txt")}
    assert set(load_gold(gold).required) == set(texts)
    for art, lists in data["articles"].items():
        for s, rel, t, evidence in lists["required"] + lists["acceptable"]:
            assert s in data["actor_rules"] and t in data["actor_rules"] and rel in SCORED
            for piece in re.sub(r"\s*\[.*?\]", "", evidence).split(" / "):
                for part in piece.split(" ... "):
                    assert part.strip() in texts[art], (art, part)
    return len(texts)


def edge_records(paths: list[Path], nlp, extractor) -> list[dict[str, object]]:
    """The contract records of every direct edge extracted from the articles under ``paths``."""
    from graph.extraction import extract_doc

    records = []
    for article in read_articles(paths):
        assert isinstance(article, Article)
        records += result_records(extract_doc(nlp(article.text), article, extractor))
    return records
