"""Benchmark the network projection and the HTML page at scale; prints seconds and target ratios.

    python benchmarks/viz_bench.py [--nodes 2000] [--statements 100000] [--no-browser]

1. ``to_networkx`` on an RDF graph of N generated statement nodes (target: 100k in < 30 s).
2. ``to_html`` on a generated actor network of M nodes (target: 2,000 nodes in < 10 s).
3. Headless Chromium, network blocked: seconds from navigation start until the page reports a stable
   layout (``window.ckgStable``) and from ``driver.get`` until then (target: < 5 s at 2,000 nodes).

A ratio below 1.0 meets the target. Everything is seeded, so runs compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.network import to_networkx  # noqa: E402
from graph.viz import write_html  # noqa: E402
from graph.vocab import CK, CKM, CKR, CKT, ID, PROV, SEM, actor_iri, article_iri  # noqa: E402

KINDS = ["attacked", "backed", "negotiated_with", "threatened", "cooperated"]
TYPES = ["state", "armed_forces", "government", "non_state_armed_group", "person"]


def statements_graph(n_statements: int, n_actors: int, seed: int = 11) -> Graph:
    """An RDF graph shaped like a corpus: preferential attachment between actors, dated statements."""
    rng = random.Random(seed)
    g = Graph()
    for i in range(n_actors):
        a = actor_iri(f"actor_{i}")
        g.add((a, RDF.type, CK.Actor))
        g.add((a, RDFS.label, Literal(f"Actor {i}")))
        g.add((a, CK.actorType, CKT[TYPES[i % len(TYPES)]]))
    weights = [1.0 / (i + 1) for i in range(n_actors)]  # a few actors take part in most statements
    start = dt.date(2019, 1, 1)
    for j in range(n_statements):
        src, tgt = rng.choices(range(n_actors), weights, k=2)
        if src == tgt:
            tgt = (tgt + 1) % n_actors
        st = ID[f"statement/bench{j}"]
        g.add((st, RDF.type, CK.Relation))
        g.add((st, CK.source, actor_iri(f"actor_{src}")))
        g.add((st, CK.target, actor_iri(f"actor_{tgt}")))
        g.add((st, CK.relationType, CKR[KINDS[j % len(KINDS)]]))
        g.add((st, CK.modality, CKM.asserted))
        g.add((st, CK.isEdge, Literal(j % 10 != 0)))
        g.add((st, CK.evidence, Literal(f"Sentence number {j} about actors {src} and {tgt}.")))
        g.add((st, PROV.wasDerivedFrom, article_iri(f"art{j // 20}")))
        day = start + dt.timedelta(days=j % 700)
        g.add((st, SEM.hasTimeStamp, Literal(day.isoformat(), datatype=XSD.date)))
    return g


def actor_network(n: int, seed: int = 5) -> nx.MultiDiGraph:
    """A scale-free actor network of n nodes (hubs and many small actors), like real corpora."""
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph()
    for i in base.nodes:
        G.add_node(f"a{i}", label=f"Actor {i}", type=TYPES[i % len(TYPES)], country=None)
    for j, (u, v) in enumerate(sorted(base.edges)):
        kind = KINDS[j % len(KINDS)]
        day = f"2020-{1 + j % 12:02d}-{1 + j % 28:02d}"
        evidence = [{"sentence": f"Statement {j}.", "article": f"art{j}", "date": day}]
        G.add_edge(f"a{v}", f"a{u}", key=kind, kind=kind, weight=1 + j % 4, dates=[day], evidence=evidence,
                   articles=[f"art{j}"], symmetric=kind in ("negotiated_with", "cooperated"))  # fmt: skip
    return G


def browser_seconds(page: Path) -> tuple[float, float]:
    spec = importlib.util.spec_from_file_location("ckg_screenshot", ROOT / "scripts" / "screenshot.py")
    assert spec and spec.loader
    shot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shot)
    with tempfile.TemporaryDirectory() as profile:
        driver = shot.chromium_driver(Path(profile))
        try:
            began = time.perf_counter()
            driver.get(page.as_uri())
            shot.wait_until_stable(driver, timeout=120)
            wall = time.perf_counter() - began
            in_page = driver.execute_script("return window.ckgStableMs;") / 1000.0
        finally:
            driver.quit()
    return in_page, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    t = time.perf_counter()
    rdf = statements_graph(args.statements, n_actors=max(50, args.statements // 50))
    built = time.perf_counter() - t
    t = time.perf_counter()
    G = to_networkx(rdf)
    projected = time.perf_counter() - t
    print(f"rdf graph: {args.statements} statements, {len(rdf)} triples, built in {built:.1f} s")
    print(f"to_networkx: {projected:.2f} s -> {G.number_of_nodes()} nodes, {G.number_of_edges()} edges "
          f"(target 30 s, ratio {projected / 30:.2f})")  # fmt: skip

    net = actor_network(args.nodes)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "bench.html"
        t = time.perf_counter()
        write_html(net, page)
        html_s = time.perf_counter() - t
        size = page.stat().st_size / 1e6
        print(f"to_html: {args.nodes} nodes, {net.number_of_edges()} edges in {html_s:.2f} s, {size:.1f} MB "
              f"(target 10 s, ratio {html_s / 10:.2f})")  # fmt: skip
        if not args.no_browser:
            in_page, wall = browser_seconds(page)
            print(f"browser: stable layout {in_page:.2f} s after navigation start, {wall:.2f} s wall "
                  f"(target 5 s, ratio {in_page / 5:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
