"""A synthetic corpus for the benchmarks and tests: seed paragraphs reshuffled so every text differs.

The paragraphs come from ``seeds/*.txt`` and, when present, ``/work/shared/gold/dev/*.txt``; each
generated article takes a few of them in a seeded random order, so the corpus is the same on every
run and every article's text is distinct (the content-hash cache would otherwise skip repeats).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

__all__ = ["FRENCH_SOURCES", "SOURCES", "paragraphs", "texts", "write_corpus"]

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "seeds", Path("/work/shared/gold/dev"))
FRENCH_SOURCES = (ROOT / "tests" / "data" / "fr" / "dev", ROOT / "tests" / "data" / "fr" / "blind")


def paragraphs(sources: tuple[Path, ...] = SOURCES) -> list[str]:
    """Every non-empty paragraph (blank-line separated) of the source articles, header removed."""
    from graph.ingest import parse_header

    found: list[str] = []
    for folder in sources:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            body = parse_header(path.read_text(encoding="utf-8"))[0]
            found += [p.strip() for p in body.split("\n\n") if p.strip()]
    if not found:
        raise FileNotFoundError(f"no paragraphs found under {', '.join(map(str, sources))}")
    return found


def texts(
    n: int, *, seed: int = 7, per_article: tuple[int, int] = (5, 9), sources: tuple[Path, ...] = SOURCES
) -> list[str]:
    """``n`` distinct article texts, each a seeded shuffle of a few paragraphs of ``sources``."""
    pool = paragraphs(sources)
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        k = min(len(pool), rng.randint(*per_article))
        text = "\n\n".join(rng.sample(pool, k))
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def write_corpus(
    folder: Path,
    n: int,
    *,
    seed: int = 7,
    as_jsonl: bool = True,
    sources: tuple[Path, ...] = SOURCES,
    lang: str | None = None,
) -> Path:
    """Write ``n`` generated articles under ``folder`` (one JSONL file, or one .txt per article);
    ``lang`` is written as each JSON-lines row's language."""
    folder.mkdir(parents=True, exist_ok=True)
    day0 = dt.date(2020, 1, 1)
    rows = [
        {"id": f"gen_{i:06d}", "text": t, "date": (day0 + dt.timedelta(days=i % 365)).isoformat()}
        | ({"lang": lang} if lang else {})
        for i, t in enumerate(texts(n, seed=seed, sources=sources))
    ]
    if as_jsonl:
        path = folder / "corpus.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return path
    for r in rows:
        (folder / f"{r['id']}.txt").write_text(f"date {r['date']} {r['text']}\n", encoding="utf-8")
    return folder
