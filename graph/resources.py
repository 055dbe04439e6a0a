"""Where the shipped data files live: the ontology folder and the named SPARQL queries."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ontology_dir", "queries_dir"]

_PACKAGE = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """The ``ontology/`` folder: inside the wheel as ``graph/ontology``, else beside the package."""
    for candidate in (_PACKAGE / "ontology", _PACKAGE.parent / "ontology"):
        if (candidate / "conflictkg.ttl").is_file():
            return candidate
    from graph.errors import OntologyError

    raise OntologyError("the ontology files are missing: reinstall conflictkg (pip install conflictkg)")


def queries_dir() -> Path:
    """The folder of named ``.rq`` queries shipped with the package."""
    return _PACKAGE / "queries"
