"""Imports point down the pipeline: records import nothing of ours; rdf, network, viz never import spaCy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "graph"
# stage order: a module may import only modules at its own level or below
LEVEL = {
    "records": 0,
    "errors": 0,
    "resources": 0,
    "io": 1,
    "vocab": 1,
    "gazetteer": 1,
    "openworld": 1,
    "lexicon": 1,
    "dates": 1,
    "codebooks": 1,
    "datasets": 2,
    "geocode": 2,
    "dataset_actors": 3,
    "dataset_events": 4,
    "fusion": 8,
    "importer": 9,
    "ingest": 2,
    "nlp": 2,
    "actors": 3,
    "modality": 3,
    "relations": 4,
    "extract": 5,
    "jsonl": 5,
    "evaluate": 5,
    "evaluate_mentions": 5,
    "rdf": 6,
    "validate": 7,
    "query": 7,
    "store": 7,
    "serve": 8,
    "network": 7,
    "analysis": 8,
    "viz": 8,
    "cache": 6,
    "outputs": 7,
    "progress": 9,
    "build": 9,
    "engine_dask": 9,
    "cli": 10,
    "__main__": 11,
    "__init__": 11,
}
NO_SPACY = {
    "records",
    "openworld",
    "rdf",
    "network",
    "analysis",
    "viz",
    "query",
    "store",
    "serve",
    "validate",
    "vocab",
    "jsonl",
    "codebooks",
    "datasets",
    "dataset_actors",
    "dataset_events",
    "fusion",
    "importer",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


MODULES = sorted(p for p in PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[p.stem for p in MODULES])
def test_imports_point_down(path):
    name = path.stem
    assert name in LEVEL, f"add graph/{path.name} to the stage table in this test"
    for module in _imports(path):
        if module.startswith("graph.") and module.count(".") == 1:
            other = module.split(".")[1]
            assert LEVEL[other] <= LEVEL[name], f"{name} imports {other}, which comes later in the pipeline"
        if name in NO_SPACY:
            assert not module.startswith("spacy"), f"{name} must not import spaCy"


def test_records_import_nothing_of_ours():
    assert not [m for m in _imports(PACKAGE / "records.py") if m.startswith("graph")]
