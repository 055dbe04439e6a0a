"""Build benchmark: the cost of a build against a bare spaCy parse, memory, workers, Dask.

Prints figures (it is not a test). On a generated corpus (seed paragraphs reshuffled, see corpus.py):

1. speed: (a) bare ``nlp.pipe`` over the texts with the same model as spaCy ships it, against (b)
   ``graph.build.build`` on the same articles in the same process with one worker; words/s and b/a
   (target <= 1.15), the median of ``--speed-repeat`` fresh processes, each timing the bare parses,
   (b), and the bare parses again so that a change of load cancels out. Also (s), the build's own
   pipeline (same components, with a faster attribute ruler: graph.nlp), for the stricter b/s. CPU
   seconds are printed too: on a shared machine they are the steadier figure;
2. memory: peak RSS of a build of N and of 10 x N articles, each in a fresh subprocess (target < 1.3);
3. workers: one worker against two (target >= 1.8 on two cores), and spaCy's own ``n_process=2``;
4. Dask: a LocalCluster build of a few articles gives the same outputs as the local engine.

Usage: ``python benchmarks/build_bench.py [--speed-n 300] [--mem-n 150] [--workers-n 400] [--dask-n 40]``;
a size of 0 skips that part.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

from graph.build import BuildOptions, build


def _texts(corpus: Path) -> list[str]:
    from graph.ingest import read_articles

    return [a.text for a in read_articles([corpus]) if hasattr(a, "text")]


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = _clock()
    return wall - start[0], cpu - start[1]


def _bare_parse(texts: list[str], shipped: bool) -> tuple[float, float]:
    """(a): load a pipeline and parse every text, nothing else; (wall, CPU) seconds.

    ``shipped``: the model as spaCy loads it by default (what a bare parse with it costs a user);
    otherwise the build's own pipeline (the same components, with its faster attribute ruler).
    """
    import spacy

    from graph.nlp import installed_pipeline, load_pipeline

    start = _clock()
    nlp = spacy.load(installed_pipeline()) if shipped else load_pipeline()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return _since(start)


def _child_speed(corpus: Path, out: Path, second: str) -> None:
    """One repetition, in a fresh process: the bare parses, (b) build or (c) parse+extract, the
    bare parses again.

    A fresh process per repetition: the build's memo caches (dates, actors' N-Triples) must start
    cold, as they do for a user. Each bare parse is timed before and after the other part and the
    two averaged, so a change of the machine's load during the repetition weighs on both sides
    alike. Two baselines: (a) the model as shipped, (s) the build's own pipeline.
    """
    from graph.build import extract_articles
    from graph.extraction import load_extractor
    from graph.ingest import read_articles
    from graph.nlp import load_pipeline

    texts = _texts(corpus)
    warm = load_pipeline()
    for _ in warm.pipe(texts[:8]):  # warm up: imports and lazy set-up are paid by none of a, b, c
        pass
    a1, s1 = _bare_parse(texts, shipped=True), _bare_parse(texts, shipped=False)
    start = _clock()
    if second == "b":
        build([corpus], out, BuildOptions(resume=False))
    else:
        nlp = load_pipeline()
        for _ in extract_articles(read_articles([corpus]), nlp, load_extractor(nlp)):
            pass
    other = _since(start)
    s2, a2 = _bare_parse(texts, shipped=False), _bare_parse(texts, shipped=True)
    mean = lambda x, y: [(p + q) / 2 for p, q in zip(x, y, strict=True)]  # noqa: E731
    print(
        json.dumps(
            {
                "a": mean(a1, a2),
                "s": mean(s1, s2),
                "a1": a1,
                "a2": a2,
                second: other,
                "words": sum(len(t.split()) for t in texts),
                "pipe": warm.pipe_names,
            }
        )
    )


def speed(n: int, work: Path, repeat: int) -> None:
    """(a) bare nlp.pipe against (b) build, one process; both include loading the pipeline.

    ``repeat`` repetitions of (a, b, a), each in a fresh process, and one of (a, c, a) for the
    breakdown; every run and the medians are printed.
    """
    corpus = write_corpus(work / f"speed{n}", n)

    def child(second: str) -> dict:
        cmd = [sys.executable, __file__, "--child-speed", str(corpus), str(work / f"out_speed{n}"), second]
        return json.loads(
            subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1]
        )

    print(
        f"speed: {n} articles, {repeat} repetitions of the bare parses, (b) build, the bare parses again; "
        "(a) = the model as shipped, (s) = the build's own pipeline"
    )
    runs = []
    for i in range(1, repeat + 1):
        run = child("b")
        runs.append(run)
        words, (a_wall, a_cpu), (s_wall, s_cpu), (b_wall, b_cpu) = run["words"], run["a"], run["s"], run["b"]
        print(
            f"  run {i}: (a) {a_wall:6.1f} s wall {a_cpu:6.1f} s CPU {words / a_wall:6.0f} words/s; "
            f"(s) {s_wall:6.1f} s wall {s_cpu:6.1f} s CPU; (b) build {b_wall:6.1f} s wall {b_cpu:6.1f} s CPU "
            f"{words / b_wall:6.0f} words/s; b/a {b_wall / a_wall:.3f} wall {b_cpu / a_cpu:.3f} CPU; "
            f"b/s {b_cpu / s_cpu:.3f} CPU",
            flush=True,
        )
    print(f"  {runs[0]['words']} words, build pipeline {runs[0]['pipe']}")
    wall = statistics.median(r["b"][0] / r["a"][0] for r in runs)
    cpu = statistics.median(r["b"][1] / r["a"][1] for r in runs)
    strict = statistics.median(r["b"][1] / r["s"][1] for r in runs)
    shipped = statistics.median(r["s"][1] / r["a"][1] for r in runs)
    print(f"  median b/a = {wall:.3f} (wall), {cpu:.3f} (CPU)   target <= 1.15")
    print(
        f"  median b/s = {strict:.3f} (CPU): against the build's own pipeline, which parses in "
        f"{shipped:.3f}x the time of the shipped one"
    )
    extract = child("c")
    c_cpu = extract["c"][1] / extract["s"][1]
    print(
        f"  of which parse+extract c/s = {c_cpu:.3f} (CPU, one run); the build machinery (cache, RDF, "
        f"outputs, page) the rest, about {strict / c_cpu:.3f}x"
    )


def _child_memory(corpus: Path, out: Path) -> None:
    start = time.perf_counter()
    stats = build([corpus], out, BuildOptions(resume=False))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open("/proc/self/statm") as statm:  # resident pages now, after the build (Linux)
        end_mb = int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    print(
        json.dumps(
            {
                "articles": stats.articles,
                "peak_mb": peak_kb / 1024,
                "end_mb": end_mb,
                "seconds": time.perf_counter() - start,
            }
        )
    )


def memory(n: int, work: Path) -> None:
    """Peak RSS of a build of n and 10n articles, each in its own process."""
    peaks = []
    for size in (n, 10 * n):
        corpus = write_corpus(work / f"mem{size}", size)
        cmd = [sys.executable, __file__, "--child-memory", str(corpus), str(work / f"out_mem{size}")]
        line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        row = json.loads(line)
        peaks.append(row["peak_mb"])
        print(
            f"memory: {row['articles']:6d} articles  peak RSS {row['peak_mb']:7.1f} MB, at the end "
            f"{row['end_mb']:7.1f} MB  "
            f"({row['seconds']:.0f} s)"
        )
    print(f"  10N/N peak memory = {peaks[1] / peaks[0]:.3f}   target < 1.3")


def workers(n: int, work: Path) -> None:
    """Build with one worker, then with two worker processes; also spaCy's n_process=2 path."""
    from graph.build import extract_articles
    from graph.extraction import load_extractor
    from graph.ingest import read_articles
    from graph.nlp import load_pipeline

    corpus = write_corpus(work / f"workers{n}", n)
    times, rates = {}, {}
    for w in (1, 2):
        stamps: list[float] = []
        start = time.perf_counter()
        build(
            [corpus],
            work / f"out_w{w}",
            BuildOptions(resume=False, workers=w),
            on_article=lambda _r, s=stamps: s.append(time.perf_counter()),
        )
        times[w] = time.perf_counter() - start
        # steady state: articles per second between the first and the last result (no start-up, no writing)
        rates[w] = (len(stamps) - 1) / (stamps[-1] - stamps[0])
        print(
            f"workers: {w} -> {times[w]:6.1f} s total ({n / times[w]:.2f} articles/s incl. start-up and "
            f"writing), steady state {rates[w]:.2f} articles/s"
        )
    print(
        f"  speed-up 2 workers / 1 = {times[1] / times[2]:.2f} total, {rates[2] / rates[1]:.2f} steady state"
        "   target >= 1.8"
    )
    start = time.perf_counter()
    nlp = load_pipeline()
    extractor = load_extractor(nlp)
    articles = [a for a in read_articles([corpus]) if hasattr(a, "text")]
    for _ in extract_articles(articles, nlp, extractor, workers=2):
        pass
    spacy_np = time.perf_counter() - start
    print(
        f"  spaCy nlp.pipe(n_process=2) + extraction in the driver: {spacy_np:6.1f} s "
        f"(speed-up {times[1] / spacy_np:.2f}; parse + extract only, no outputs)"
    )
    same = all(
        (work / "out_w1" / f).read_bytes() == (work / "out_w2" / f).read_bytes()
        for f in ("graph.ttl", "relations.jsonl", "graph.html")
    )
    print(f"  1-worker and 2-worker outputs identical: {same}")


def dask(n: int, work: Path) -> None:
    """A Dask LocalCluster build against the local engine on the same articles."""
    corpus = write_corpus(work / f"dask{n}", n)
    start = time.perf_counter()
    build([corpus], work / "out_local", BuildOptions(resume=False, workers=2))
    local = time.perf_counter() - start
    start = time.perf_counter()
    build([corpus], work / "out_dask", BuildOptions(resume=False, engine="dask", workers=2))
    remote = time.perf_counter() - start
    same = all(
        (work / "out_local" / f).read_bytes() == (work / "out_dask" / f).read_bytes()
        for f in ("graph.ttl", "relations.jsonl", "graph.html")
    )
    print(
        f"dask: {n} articles, local 2 workers {local:.1f} s, Dask LocalCluster 2x1 {remote:.1f} s "
        f"(incl. start-up); outputs identical: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-n", type=int, default=300)
    parser.add_argument("--speed-repeat", type=int, default=3, help="repetitions of the speed part")
    parser.add_argument("--mem-n", type=int, default=150)
    parser.add_argument("--workers-n", type=int, default=400)
    parser.add_argument("--dask-n", type=int, default=40)
    parser.add_argument("--child-memory", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-speed", nargs=3, metavar=("CORPUS", "OUT", "PART"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_speed:
        _child_speed(Path(args.child_speed[0]), Path(args.child_speed[1]), args.child_speed[2])
        return
    if args.child_memory:
        _child_memory(Path(args.child_memory[0]), Path(args.child_memory[1]))
        return
    import os
    import platform

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="ckg-bench-") as tmp:
        work = Path(tmp)
        for size, part in (
            (args.speed_n, functools.partial(speed, repeat=args.speed_repeat)),
            (args.workers_n, workers),
            (args.dask_n, dask),
            (args.mem_n, memory),
        ):
            if size > 0:
                part(size, work)
                sys.stdout.flush()


if __name__ == "__main__":
    main()
