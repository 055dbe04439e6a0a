"""Imports point down the pipeline: records import nothing of ours; rdf, network, viz never import spaCy.

The extraction sub-package (graph/extraction/) is one stage seen from outside, with its own steps
inside: spans < mentions < linking < coreference < descriptions < actors < context < arguments,
agents < rules < candidates < modality, assemble < __init__.
"""

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
    "user_cache": 0,
    "io": 1,
    "heap": 1,
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
    "nlp_adapt": 2,
    "token_attrs": 2,
    "lemma_tables": 2,
    "phrase_tokens": 2,
    "nlp": 3,
    "extraction": 5,
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
    "user_cache",
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


# the steps inside graph/extraction/; every module of rules/ has the level of "rules"
EXTRACTION = PACKAGE / "extraction"
EXTRACTION_LEVEL = {
    "spans": 0,
    "mentions": 1,
    "linking": 2,
    "coreference": 3,
    "descriptions": 4,
    "open_mentions": 4,
    "actors": 5,
    "context": 6,
    "arguments": 7,
    "agents": 7,  # agents and arguments call each other (agents through the module object)
    "rules": 8,
    "candidates": 9,
    "modality": 10,
    "assemble": 10,
    "__init__": 11,
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports (graph.…)"
            found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _step(module: str) -> str:
    """The step of a module inside graph/extraction ("rules.verbs" → "rules")."""
    return module if module in EXTRACTION_LEVEL else module.split(".")[0]


# a sub-package (graph/serve/) is one stage: its modules take the level of the package's name;
# graph/extraction/ has steps of its own, checked by test_extraction_imports_point_down
MODULES = sorted(PACKAGE.glob("*.py")) + sorted(p for p in PACKAGE.glob("*/*.py") if p.parent != EXTRACTION)
STEPS = sorted(EXTRACTION.rglob("*.py"))


def _stage(path: Path) -> str:
    return path.stem if path.parent == PACKAGE else path.parent.name


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_point_down(path):
    name = _stage(path)
    assert name in LEVEL, f"add graph/{path.name} to the stage table in this test"
    for module in _imports(path):
        if module.startswith("graph."):
            other = module.split(".")[1]
            assert LEVEL[other] <= LEVEL[name], f"{name} imports {other}, which comes later in the pipeline"
        if name in NO_SPACY:
            assert not module.startswith("spacy"), f"{name} must not import spaCy"


@pytest.mark.parametrize("path", STEPS, ids=[str(p.relative_to(EXTRACTION)) for p in STEPS])
def test_extraction_imports_point_down(path):
    """Inside extraction, imports point down its steps; outside it, only to earlier stages."""
    rel = path.relative_to(EXTRACTION).with_suffix("")
    name = _step(".".join(rel.parts[:-1] if rel.name == "__init__" and len(rel.parts) > 1 else rel.parts))
    assert name in EXTRACTION_LEVEL, f"add graph/extraction/{rel}.py to the step table in this test"
    for module in _imports(path):
        if module.startswith("graph.extraction."):
            other = _step(module.removeprefix("graph.extraction."))
            assert EXTRACTION_LEVEL[other] <= EXTRACTION_LEVEL[name], f"{rel} imports {other}, a later step"
        elif module.startswith("graph."):
            other = module.split(".")[1]
            assert other != "extraction", f"{rel} imports the package's public surface; import the step"
            assert LEVEL[other] < LEVEL["extraction"], (
                f"{rel} imports {other}, which comes later in the pipeline"
            )


def test_records_import_nothing_of_ours():
    assert not [m for m in _imports(PACKAGE / "records.py") if m.startswith("graph")]
