"""The exceptions conflictkg raises; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ConflictKGError",
    "InputError",
    "ModelNotFoundError",
    "OntologyError",
    "OutputError",
    "QueryError",
]


class ConflictKGError(Exception):
    """Base class: every error meant for the user; its message names the item and the fix."""

    exit_code = 1


class ConfigError(ConflictKGError):
    """A bad option or settings value."""

    exit_code = 2


class InputError(ConflictKGError):
    """An input path or file that cannot be read at all (missing, unreadable, wrong format)."""

    exit_code = 3


class ModelNotFoundError(ConflictKGError):
    """The requested spaCy pipeline is not installed."""

    exit_code = 4


class OntologyError(ConflictKGError):
    """A gazetteer, lexicon or ontology file is malformed."""

    exit_code = 5


class QueryError(ConflictKGError):
    """A SPARQL query that does not parse, or a binding that does not resolve."""

    exit_code = 6


class OutputError(ConflictKGError):
    """An output file or folder that cannot be written."""

    exit_code = 7
