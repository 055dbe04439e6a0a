"""Re-execute the analyst notebooks in place, so their committed outputs match the current code.

Usage (from the repository root)::

    .venv/bin/python notebooks/execute.py              # all notebooks
    .venv/bin/python notebooks/execute.py 02-sparql    # only the ones named

Each notebook runs top to bottom in a fresh kernel from ``notebooks/``, as Jupyter runs it. The
graph is built into a temporary folder (not ``out/``), and no timing metadata is recorded, so an
unchanged pipeline gives byte-identical files and a changed one gives a diff of real results only.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from graph.io import write_atomic

HERE = Path(__file__).resolve().parent
CELL_TIMEOUT = 300  # seconds per cell


def execute(path: Path) -> None:
    """Execute one notebook and write it back atomically; a failing cell leaves the file as it was."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(HERE)}},
    )
    client.execute()
    text = nbformat.writes(nb)
    write_atomic(path, text if text.endswith("\n") else text + "\n")


def main(names: list[str]) -> int:
    paths = sorted(HERE.glob("*.ipynb"))
    if names:
        paths = [p for p in paths if p.stem in names]
        if len(paths) != len(set(names)):
            known = ", ".join(p.stem for p in sorted(HERE.glob("*.ipynb")))
            print(f"unknown notebook in {names}; choose from {known}", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="conflictkg-notebooks-") as out:
        os.environ["CONFLICTKG_NOTEBOOK_OUT"] = out
        for path in paths:
            print(f"executing {path.name}")
            execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
