"""Cheaper stand-ins for the English pipelines' attribute ruler and lemmatizer (Doc → Doc).

Both components set token attributes that depend on a few of the token's own values only, yet spaCy
runs them word by word: the attribute ruler through its Matcher (a sixth of the parse), the
lemmatizer as a Python loop that builds a Token object per word. Here the ruler's tag table is an
array lookup and its word exceptions are evaluated once per distinct (tag, word, dependency, space)
signature; the lemmatizer is asked once per distinct (word, POS, morphology). Both remember their
answers across Docs, so a corpus pays for its vocabulary, not for its words. The attributes come out
identical to spaCy's own components (``tests/test_nlp.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["replace_attribute_ruler", "replace_lemmatizer"]

_TAG_MAP = "conflictkg_tag_map"
_LEMMAS = "conflictkg_lemmas"
_COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # a token's signature, in this order
_SETTABLE = {"POS", "MORPH", "LEMMA", "DEP", "TAG"}
_MAX_MEMO = 1 << 18  # signatures remembered; past that the memo starts again


def replace_attribute_ruler(nlp) -> None:
    """Replace the attribute ruler's tag-to-POS table by an array lookup and its exceptions by
    memoised token tests, when every rule is of a kind :class:`TagMap` evaluates.

    The English pipelines' attribute ruler starts with one pattern per fine-grained tag (``NNS`` ->
    ``NOUN``, ``Number=Plur``), which match every token, and ends with a few word exceptions that
    override the table in their own order.
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
    _register()
    at = nlp.pipe_names.index("attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    nlp.add_pipe(
        _TAG_MAP, name="attribute_ruler", config={"table": table, "rules": rest}, after=nlp.pipe_names[at - 1]
    )


def replace_lemmatizer(nlp) -> None:
    """Put :class:`LemmaMemo` in front of a rule or lookup lemmatizer, under the same name.

    Those modes give a lemma that depends on the word, its POS and its morphology only (the cache
    key of spaCy's own rule lemmatizer), so one answer per distinct triple is exact.
    """
    from spacy.pipeline import Lemmatizer
    from spacy.tokens import Doc

    if "lemmatizer" not in nlp.pipe_names:
        return
    stock = nlp.get_pipe("lemmatizer")
    if not isinstance(stock, Lemmatizer) or stock.mode not in ("rule", "lookup"):
        return
    stock(Doc(nlp.vocab, words=[]))  # checks its tables now, as it would on its first Doc
    _register()
    at = nlp.pipe_names.index("lemmatizer")
    nlp.remove_pipe("lemmatizer")
    nlp.add_pipe(_LEMMAS, name="lemmatizer", after=nlp.pipe_names[at - 1]).use(stock)


def _supported(pattern: dict) -> bool:
    """Whether an attribute-ruler pattern uses only what :class:`TagMap` evaluates."""
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


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(_TAG_MAP):

        @Language.factory(_TAG_MAP, default_config={"table": {}, "rules": []})
        def make_tag_map(nlp, name: str, table: dict[str, dict[str, str]], rules: list[dict]):
            return TagMap(nlp.vocab, table, rules)

    if not Language.has_factory(_LEMMAS):

        @Language.factory(_LEMMAS)
        def make_lemmas(nlp, name: str):
            return LemmaMemo(nlp.vocab)


Test = Callable[[int], bool]


class TagMap:
    """The attribute ruler: the tag table by array lookup, then the exceptions.

    Each exception (one pattern alternative) is a list of token tests on TAG, LOWER, DEP and
    IS_SPACE (a value, IN, NOT_IN, REGEX). Which tests a token passes depends on its signature
    (tag, lower, dep, is_space) alone, so that is worked out once per signature and remembered;
    matches are then applied in the ruler's order (exception, then position), later ones overriding
    earlier ones as in spaCy's own ruler, all tested against the Doc as it came in.
    """

    def __init__(self, vocab, table: dict[str, dict[str, str]], rules: list[dict]) -> None:
        from spacy.symbols import IDS

        self._pos = {vocab.strings.add(tag): IDS[a["POS"]] for tag, a in table.items() if "POS" in a}
        self._morph = {
            vocab.strings.add(tag): vocab.morphology.add(a["MORPH"])
            for tag, a in table.items()
            if "MORPH" in a
        }
        # per exception: (attributes to set, token index, number of tokens)
        self._rules: list[tuple[dict[str, str], int, int]] = []
        # token tests, filed under a value their token must have so most signatures look at none:
        # (exception, token index, [(column, test)])
        self._by_lower: dict[int, list[tuple[int, int, list[tuple[int, Test]]]]] = {}
        self._by_tag: dict[int, list[tuple[int, int, list[tuple[int, Test]]]]] = {}
        self._other: list[tuple[int, int, list[tuple[int, Test]]]] = []
        for rule in rules:
            for tokens in rule["patterns"]:
                r = len(self._rules)
                self._rules.append((rule["attrs"], rule.get("index", 0), len(tokens)))
                for k, spec in enumerate(tokens):
                    tests = [
                        (_COLUMNS.index(key), _compile(vocab.strings, key, c)) for key, c in spec.items()
                    ]
                    self._file(vocab.strings, spec, (r, k, tests))
        self._memo: dict[tuple[int, int, int, int], tuple[tuple[int, int], ...]] = {}

    def _file(self, strings, spec: dict, entry) -> None:
        for key, index in (("LOWER", self._by_lower), ("TAG", self._by_tag)):
            cond = spec.get(key)
            if isinstance(cond, str):
                values = [cond]
            elif isinstance(cond, dict) and "IN" in cond:
                values = cond["IN"]
            else:
                continue
            for value in {_hash(strings, v) for v in values}:
                index.setdefault(value, []).append(entry)
            return
        self._other.append(entry)

    def _passed(self, signature: tuple[int, int, int, int]) -> tuple[tuple[int, int], ...]:
        """The (exception, token index) tests a token of this signature passes, in rule order."""
        tag, lower = signature[0], signature[1]
        passed = [
            (r, k)
            for entries in (self._by_lower.get(lower, ()), self._by_tag.get(tag, ()), self._other)
            for r, k, tests in entries
            if all(test(signature[col]) for col, test in tests)
        ]
        if len(self._memo) >= _MAX_MEMO:
            self._memo.clear()
        found = self._memo[signature] = tuple(sorted(passed))
        return found

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
        memo, passed = self._memo, self._passed
        columns = current[:, [0, 3, 4, 5]].T.tolist()
        tests = []  # per token: the (exception, token index) tests it passes
        for signature in zip(*columns, strict=True):
            found = memo.get(signature)
            tests.append(passed(signature) if found is None else found)
        matches = []
        for start, found in enumerate(tests):
            for r, k in found:
                if k:
                    continue
                m = self._rules[r][2]
                if m == 1 or (start + m <= n and all((r, j) in tests[start + j] for j in range(1, m))):
                    matches.append((r, start))
        matches.sort()
        for r, start in matches:
            attrs, index, m = self._rules[r]
            _set(doc[start + (index if index >= 0 else m + index)], attrs)
        return doc


class LemmaMemo:
    """A rule or lookup lemmatizer asked once per distinct (word, POS, morphology) and remembered;
    lemmas already set (by the attribute ruler's exceptions) are kept unless it overwrites."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self._lemmatizer = None
        self._memo: dict[tuple[int, int, int], int] = {}

    def use(self, lemmatizer) -> None:
        """Answer with ``lemmatizer`` (spaCy's ``Lemmatizer``, whose tables are loaded)."""
        self._lemmatizer = lemmatizer
        self._memo.clear()

    def __call__(self, doc):
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        todo = range(len(doc)) if self._lemmatizer.overwrite else np.flatnonzero(lemmas == 0).tolist()
        keys = rows[:, :3].tolist()
        memo, strings = self._memo, self.vocab.strings
        for i in todo:
            key = tuple(keys[i])
            lemma = memo.get(key)
            if lemma is None:
                if len(memo) >= _MAX_MEMO:
                    memo.clear()
                lemma = memo[key] = strings.add(self._lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas)
        return doc


def _hash(strings, value: str) -> int:
    return 0 if value == "" else strings.add(value)


def _compile(strings, key: str, cond) -> Test:
    """The values (string hashes, or 0/1 for IS_SPACE) a Matcher token test accepts."""
    if key == "IS_SPACE":
        flag = int(bool(cond))
        return lambda value: value == flag
    if isinstance(cond, str):
        wanted = _hash(strings, cond)
        return lambda value: value == wanted
    ((op, arg),) = cond.items()
    if op == "REGEX":
        pattern = re.compile(arg)
        return lambda value: bool(value) and pattern.search(strings[value]) is not None
    values = frozenset(_hash(strings, v) for v in arg)
    if op == "IN":
        return lambda value: value in values
    return lambda value: value not in values


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
