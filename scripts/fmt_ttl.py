"""Re-serialise Turtle files sorted, so ontology diffs show meaning, not reordering.

Usage: ``python scripts/fmt_ttl.py [--check] PATH ...`` (files or folders of ``*.ttl``). The
comment block at the top of each file (after the prefixes) is kept; everything else is written by
rdflib's Turtle serialiser (subjects, predicates and objects sorted) with the file's own prefixes.
``--check`` changes nothing and exits 1 if a file is not formatted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic


def _header(text: str) -> list[str]:
    """The comment lines before the first statement (prefix lines skipped)."""
    comments: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(line.rstrip())
        elif stripped == "" or stripped.lower().startswith(("@prefix", "prefix", "@base")):
            if comments and stripped == "":
                comments.append("")
        else:
            break
    while comments and comments[-1] == "":
        comments.pop()
    return comments


def format_turtle(text: str) -> str:
    """The formatted text of one Turtle document (same triples, sorted layout)."""
    graph = Graph(bind_namespaces="none")
    graph.parse(data=text, format="turtle")
    body = graph.serialize(format="turtle")
    prefixes, _, rest = body.partition("\n\n")
    header = _header(text)
    parts = [prefixes.rstrip("\n")]
    if header:
        parts.append("\n".join(header))
    parts.append(rest.strip("\n"))
    formatted = "\n\n".join(parts) + "\n"
    check = Graph(bind_namespaces="none")
    check.parse(data=formatted, format="turtle")
    if not isomorphic(graph, check):  # never write a file that means something else
        raise RuntimeError("re-serialised Turtle differs from the original")
    return formatted


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        out += sorted(path.glob("*.ttl")) if path.is_dir() else [path]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="Turtle files or folders of them")
    parser.add_argument("--check", action="store_true", help="report files that would change; write nothing")
    args = parser.parse_args(argv)
    changed = []
    for path in _files(args.paths):
        text = path.read_text(encoding="utf-8")
        formatted = format_turtle(text)
        if formatted != text:
            changed.append(path)
            if not args.check:
                from graph.io import write_atomic

                write_atomic(path, formatted)
    for path in changed:
        print(f"{'would reformat' if args.check else 'reformatted'} {path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
