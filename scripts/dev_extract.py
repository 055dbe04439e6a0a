"""Developer loop: extract from article files and score against a gold file (not shipped)."""

import sys
from pathlib import Path

from graph.evaluate import format_score, load_gold, score
from graph.extraction import extract_doc, load_extractor
from graph.ingest import read_articles
from graph.jsonl import result_records
from graph.nlp import load_pipeline
from graph.records import Article

nlp = load_pipeline()
ex = load_extractor(nlp)
gold = load_gold(Path(sys.argv[1]))
show = "-v" in sys.argv
records = []
for art in read_articles([Path(p) for p in sys.argv[2:] if p != "-v"]):
    if not isinstance(art, Article):
        print("SKIP", art)
        continue
    res = extract_doc(nlp(art.text), art, ex)
    for rel in res.relations if show else ():
        print(
            f"{art.id[:6]} {rel.modality.value[:4]} {rel.source_id} {rel.kind.value} {rel.target_id} "
            f"[{rel.extractor} {rel.trigger}] {rel.date} {rel.place} | {rel.evidence.text[:90]}"
        )
    records += result_records(res)
print(format_score(score(gold, records)))
