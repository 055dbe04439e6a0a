"""Helpers shared by the build, resume and Dask tests: a small corpus and a reference build.

The reference is what the old in-memory build produced: every result through ``graph.rdf.to_graph``,
relations in input order, the page from ``to_networkx`` of the whole graph. The streamed build must
give exactly that.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def paragraphs() -> list[str]:
    """The seed articles' paragraphs, header removed."""
    from graph.ingest import parse_header

    out: list[str] = []
    for path in SEEDS:
        body = parse_header(path.read_text(encoding="utf-8"))[0]
        out += [p.strip() for p in body.split("\n\n") if p.strip()]
    return out


def make_corpus(folder: Path, extra: int = 3) -> Path:
    """The two seeds plus ``extra`` articles made of seed paragraphs in another order (all distinct)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in SEEDS:
        shutil.copy(path, folder / path.name)
    paras = paragraphs()
    for i in range(extra):
        picked = paras[i::2][:6][::-1] if i % 2 == 0 else paras[i + 1 :: 3][:6]
        text = "\n\n".join(picked)
        (folder / f"gen_{i}.txt").write_text(f"date 2020-03-0{i + 1} {text}\n", encoding="utf-8")
    return folder


def reference(paths: list[Path]) -> dict[str, object]:
    """Graph, relations lines and page of the same articles, built in memory the simple way."""
    from graph.build import BuildOptions, iter_results
    from graph.jsonl import relation_record, to_json_line
    from graph.network import to_networkx
    from graph.rdf import serialize_graph, to_graph
    from graph.viz import to_html

    results = list(iter_results(paths, BuildOptions(), []))
    graph = to_graph(results)
    lines = "".join(
        to_json_line(relation_record(rel, {a.id: a for a in r.actors})) + "\n"
        for r in results
        for rel in r.relations
        if rel.is_edge
    )
    html = to_html(to_networkx(graph), title="conflictkg: " + ", ".join(p.name for p in paths))
    return {
        "results": results,
        "graph": graph,
        "nt": serialize_graph(graph, "nt"),
        "jsonl": lines,
        "html": html,
    }


def outputs(
    out: Path, names: tuple[str, ...] = ("graph.ttl", "relations.jsonl", "graph.html")
) -> dict[str, bytes]:
    """The bytes of a build's output files."""
    return {name: (out / name).read_bytes() for name in names}


def reuse_pipeline(monkeypatch, nlp, extractor) -> None:
    """Make in-process builds use the session's pipeline and extractor instead of loading their own."""
    from graph import extraction
    from graph import nlp as nlp_module

    real = extraction.load_extractor
    monkeypatch.setattr(nlp_module, "load_pipeline", lambda name=None: nlp)
    monkeypatch.setattr(
        extraction, "load_extractor", lambda n, files=(): extractor if not files else real(n, files)
    )
