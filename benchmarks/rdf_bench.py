"""Benchmark: rdflib (in memory) vs Oxigraph (on-disk store) on a synthetic graph in our ontology's shape.

Generates about ``--triples`` triples (default 1,000,000) from synthetic ``ArticleResult`` records
through ``graph.rdf.result_triples`` (deterministic seed), writes them as sorted N-Triples to a
temporary folder, then times, in one run:

* parsing the file: rdflib ``Graph.parse`` vs ``pyoxigraph`` bulk load into an on-disk store;
* four typical queries through ``graph.query.run_query`` (the code path users take): who attacked
  whom, statements in a date range (a FILTER on dates), the backers of one actor, and the evidence
  behind one edge.

It prints the figures and the rdflib/Oxigraph ratios. This is a benchmark, not a test: nothing
asserts a speed. Usage: ``python benchmarks/rdf_bench.py [--triples N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.records import (  # (the sys.path line above makes the package importable)
    Actor,
    ActorType,
    Article,
    ArticleResult,
    Modality,
    Relation,
    RelationKind,
    TextSpan,
)

KINDS = (
    [RelationKind.ATTACKED] * 8
    + [RelationKind.BACKED] * 4
    + [RelationKind.NEGOTIATED_WITH] * 4
    + [
        RelationKind.THREATENED,
        RelationKind.ACCUSED,
        RelationKind.DEMANDED,
        RelationKind.COOPERATED,
        RelationKind.MEDIATED,
        RelationKind.CAPTURED_FROM,
        RelationKind.SANCTIONED,
    ]
)
MODALITIES = [Modality.ASSERTED] * 8 + [
    Modality.NEGATED,
    Modality.INTENDED,
    Modality.ALLEGED,
    Modality.HEDGED,
]


def _code(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[n // 676 % 26] + letters[n // 26 % 26] + letters[n % 26]


def make_actors(states: int = 200, groups: int = 400, people: int = 400) -> list[Actor]:
    """States with their governments and armed forces, armed groups and office holders."""
    actors: list[Actor] = []
    for i in range(states):
        sid, code = f"s{i:03d}", _code(i)
        actors.append(
            Actor(
                id=sid,
                label=f"State {code}",
                type=ActorType.STATE,
                country=code,
                wikidata=f"Q{1000 + i}",
                aliases=(f"{code}ian", f"Capital {code}"),
            )
        )
        actors.append(
            Actor(
                id=f"{sid}_government",
                label=f"{code}ian government",
                type=ActorType.GOVERNMENT,
                country=code,
                acts_for=sid,
            )
        )
        actors.append(
            Actor(
                id=f"{sid}_armed_forces",
                label=f"{code}ian armed forces",
                type=ActorType.ARMED_FORCES,
                country=code,
                acts_for=sid,
            )
        )
    for i in range(groups):
        actors.append(
            Actor(
                id=f"g{i:03d}",
                label=f"Group {i}",
                type=ActorType.NON_STATE_ARMED_GROUP,
                operates_in=_code(i % states),
                aliases=(f"G{i}",),
            )
        )
    for i in range(people):
        state = f"s{i % states:03d}"
        actors.append(
            Actor(
                id=f"p{i:03d}",
                label=f"Person {i}",
                type=ActorType.PERSON,
                country=_code(i % states),
                acts_for=f"{state}_government",
            )
        )
    return actors


def make_results(seed: int) -> Iterator[ArticleResult]:
    """An endless, deterministic stream of synthetic articles, 4 to 10 statements each."""
    rng = random.Random(seed)
    actors = make_actors()
    # a few busy actors, as in real news: most statements involve a small set of states
    weights = [20 if a.type is ActorType.STATE and int(a.id[1:4]) < 20 else 1 for a in actors]
    start = dt.date(2015, 1, 1)
    n = 0
    while True:
        article_id = f"bench_{n:07d}"
        published = start + dt.timedelta(days=rng.randrange(3650))
        relations = []
        used: dict[str, Actor] = {}
        offset = 0
        for _ in range(rng.randint(4, 10)):
            source, target = rng.choices(actors, weights=weights, k=2)
            if source.id == target.id:
                continue
            kind, modality = rng.choice(KINDS), rng.choice(MODALITIES)
            verb = kind.value.replace("_", " ")
            text = f"{source.label} {verb} {target.label} in synthetic sentence {n}-{offset}."
            day = published - dt.timedelta(days=rng.randrange(3)) if rng.random() < 0.8 else None
            relations.append(
                Relation(
                    kind=kind,
                    source_id=source.id,
                    target_id=target.id,
                    article_id=article_id,
                    evidence=TextSpan(start=offset, end=offset + len(text), text=text),
                    source_mention=TextSpan(start=offset, end=offset + len(source.label), text=source.label),
                    target_mention=TextSpan(start=offset, end=offset + 5, text=target.label[:5]),
                    trigger=kind.value.split("_")[0],
                    extractor="bench.v1",
                    modality=modality,
                    date=day,
                    place=f"Town {rng.randrange(500)}" if rng.random() < 0.5 else None,
                    fatalities=rng.randrange(50)
                    if kind is RelationKind.ATTACKED and rng.random() < 0.3
                    else None,
                    confidence=round(rng.uniform(0.5, 1.0), 3),
                )
            )
            used[source.id], used[target.id] = source, target
            offset += len(text) + 1
        for actor in list(used.values()):
            while actor.acts_for and actor.acts_for not in used:
                actor = next(a for a in actors if a.id == actor.acts_for)
                used[actor.id] = actor
        yield ArticleResult(
            article=Article(
                id=article_id, text="", date=published, title=f"Synthetic report {n}", source="BENCH"
            ),
            actors=tuple(used.values()),
            relations=tuple(relations),
        )
        n += 1


def write_synthetic(path: Path, triples: int, seed: int) -> tuple[int, int]:
    """Write about ``triples`` distinct triples as sorted N-Triples; return (triples, articles)."""
    from graph.rdf import result_triples

    lines: set[str] = set()
    articles = 0
    for result in make_results(seed):
        for s, p, o in result_triples(result):
            lines.add(f"{s.n3()} {p.n3()} {o.n3()} .")
        articles += 1
        if len(lines) >= triples:
            break
    path.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")
    return len(lines), articles


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="graph size (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)

    import pyoxigraph
    import rdflib
    from rdflib import Graph

    from graph.query import _prepared, load_query, run_query
    from graph.store import load_store, open_store

    print(f"machine: {machine()}")
    print(f"rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}")
    with tempfile.TemporaryDirectory(prefix="conflictkg-bench-") as tmp:
        folder = Path(tmp)
        nt = folder / "graph.nt"
        seconds, (count, articles) = timed(lambda: write_synthetic(nt, args.triples, args.seed))
        print(
            f"generated {count:,} triples from {articles:,} synthetic articles in {seconds:.1f} s "
            f"({nt.stat().st_size / 2**20:.0f} MiB of N-Triples)"
        )

        rows: list[tuple[str, float | None, float | None, str]] = []
        t_rdflib, graph = timed(lambda: Graph(bind_namespaces="none").parse(nt, format="nt"))
        t_ox, store = timed(lambda: load_store(nt, folder / "store"))
        rows.append(("parse / load N-Triples", t_rdflib, t_ox, f"{len(graph):,} triples"))
        del store
        store = open_store(folder / "store")

        busy = "https://w3id.org/conflictkg/id/actor/s001"
        pair = run_query(
            store,
            "PREFIX ck: <https://w3id.org/conflictkg/ontology#> SELECT ?s ?t WHERE "
            "{ ?s ck:attacked ?t } ORDER BY ?s ?t LIMIT 1",
        ).rows[0]
        queries = [
            ("who_attacked_whom", "@who_attacked_whom", {}),
            (
                "date range (statements_between, 1 month)",
                "@statements_between",
                {"from": "2019-03-01", "to": "2019-03-31"},
            ),
            ("backers_of one actor", "@backers_of", {"actor": busy}),
            (
                "evidence_for_edge",
                "@evidence_for_edge",
                {"source": pair[0], "target": pair[1], "relation": "attacked"},
            ),
        ]
        for label, name, bindings in queries:
            text = load_query(name)
            _prepared(text)  # rdflib's parse and algebra translation, once, outside the timing
            t_ox, ox_result = timed(lambda text=text, bindings=bindings: run_query(store, text, bindings))
            try:
                t_rdflib, rdf_result = timed(
                    lambda text=text, bindings=bindings: run_query(graph, text, bindings)
                )
                same = "same rows" if rdf_result.rows == ox_result.rows else "ROWS DIFFER"
                note = f"{len(ox_result.rows):,} rows, {same}"
            except Exception as exc:  # RecursionError surfaces as QueryError; report and go on
                t_rdflib, note = None, f"rdflib failed: {type(exc).__name__}: {str(exc)[:80]}"
            rows.append((label, t_rdflib, t_ox, note))

    print()
    print(f"{'step':44} {'rdflib s':>10} {'Oxigraph s':>11} {'ratio':>8}  notes")
    for label, a, b, note in rows:
        ratio = f"{a / b:,.0f}x" if a is not None and b else "-"
        a_text = f"{a:10.2f}" if a is not None else f"{'failed':>10}"
        print(f"{label:44} {a_text} {b:11.3f} {ratio:>8}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
