"""Load the trigger lexicon (``ontology/lexicon/triggers.csv``): words that state a relation.

Each row maps a lemma and a part of speech (``verb``, ``noun`` or ``modifier`` for the second half
of "Russian-backed") to a relation kind, with its PLOVER category and CAMEO code for the ontology.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from graph.errors import OntologyError
from graph.records import RelationKind

__all__ = ["Lexicon", "Trigger", "lemma_candidates", "load_lexicon"]

_FIELDS = ("lemma", "pos", "kind", "plover", "cameo")
_POS = ("verb", "noun", "modifier")


@dataclass(frozen=True, slots=True, kw_only=True)
class Trigger:
    """One lexicon entry."""

    lemma: str
    pos: str
    kind: RelationKind
    plover: str
    cameo: str


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Lexicon:
    """Trigger words by part of speech, keyed on lower-case lemma."""

    verbs: Mapping[str, Trigger]
    nouns: Mapping[str, Trigger]
    modifiers: Mapping[str, Trigger]
    cues: Mapping[str, str]  # word or lemma -> intended / hedged / alleged / denied / report
    words: Mapping[str, frozenset[str]]  # word class (ontology/lexicon/words.csv) -> its words

    def of(self, word_class: str) -> frozenset[str]:
        """The words of one class of ``words.csv``; an unknown class is a bug, so it raises."""
        return self.words[word_class]

    def has(self, tok, word_class: str) -> bool:
        """Whether a token's word is in a class, trying its lemma and the word's own inflections
        (the small pipeline lemmatises "bases" as "basis" and "hopes" as "hop")."""
        words = self.words[word_class]
        return any(c in words for c in lemma_candidates(tok.lemma_.lower(), tok.lower_))

    def verb(self, tok) -> Trigger | None:
        """The trigger entry of a verb token, trying its lemma and the word's own inflections (as
        :meth:`has` does): every rule reads verbs through this one lookup."""
        return next(
            (self.verbs[c] for c in lemma_candidates(tok.lemma_.lower(), tok.lower_) if c in self.verbs), None
        )

    def nouns_of(self, kind: RelationKind) -> frozenset[str]:
        """Lemmas of the event nouns of one kind (used to spot "Syrian shelling")."""
        return frozenset(k for k, t in self.nouns.items() if t.kind is kind)


@lru_cache(maxsize=65536)
def lemma_candidates(lemma: str, lower: str) -> tuple[str, ...]:
    """The lemma, then guesses from the word itself: the small pipeline lemmatises "hopes" as
    "hop", so lexicon lookups also try the word with common inflections stripped."""
    guesses = [lemma.lower(), lower]
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ied", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    ):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            stem = lower[: -len(suffix)] + repl
            guesses.append(stem)
            if not repl and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                guesses.append(stem[:-1])  # a doubled consonant: "teargassed" -> "teargas"
    return tuple(dict.fromkeys(guesses))


def load_lexicon(path: Path | None = None, lang: str = "en") -> Lexicon:
    """Read the trigger lexicon and, beside it, the cues and word classes.

    Args:
        path: a ``triggers.csv``; by default ``ontology/lexicon/triggers.csv`` for English and
            ``ontology/lexicon/<lang>/triggers.csv`` for another language.
        lang: the language of the default files.

    Raises:
        OntologyError: the file is missing or a row is malformed.
    """
    if path is None:
        from graph.resources import ontology_dir

        folder = ontology_dir() / "lexicon"
        path = (folder if lang == "en" else folder / lang) / "triggers.csv"
    tables: dict[str, dict[str, Trigger]] = {p: {} for p in _POS}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [f for f in _FIELDS if f not in (reader.fieldnames or ())]
            if missing:
                raise OntologyError(f"{path}: missing column(s) {', '.join(missing)}")
            for lineno, row in enumerate(reader, start=2):
                pos = row["pos"].strip()
                if pos not in _POS:
                    raise OntologyError(f"{path}:{lineno}: pos {pos!r} must be one of {', '.join(_POS)}")
                try:
                    kind = RelationKind(row["kind"].strip())
                except ValueError:
                    raise OntologyError(f"{path}:{lineno}: unknown relation kind {row['kind']!r}") from None
                lemma = row["lemma"].strip().lower()
                tables[pos][lemma] = Trigger(
                    lemma=lemma, pos=pos, kind=kind, plover=row["plover"].strip(), cameo=row["cameo"].strip()
                )
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read the trigger lexicon ({exc.strerror})") from exc
    return Lexicon(
        verbs=tables["verb"],
        nouns=tables["noun"],
        modifiers=tables["modifier"],
        cues=_load_cues(path.parent / "cues.csv"),
        words=_with_classes(_load_words(path.parent / "words.csv"), _english_classes(path.parent)),
    )


def _english_classes(folder: Path) -> frozenset[str]:
    """For a language's folder ``lexicon/<lang>/``: the classes of the English ``lexicon/words.csv``
    beside it, so a class the language leaves out is empty rather than missing."""
    english = folder.parent / "words.csv"
    if not english.is_file():
        return frozenset()
    try:
        with english.open(encoding="utf-8", newline="") as fh:
            return frozenset((row.get("class") or "").strip() for row in csv.DictReader(fh))
    except OSError:
        return frozenset()


def _with_classes(words: dict[str, frozenset[str]], classes: frozenset[str]) -> dict[str, frozenset[str]]:
    return {**{c: frozenset() for c in classes if c and c not in words}, **words}


def _load_words(path: Path) -> dict[str, frozenset[str]]:
    """Word classes the rules consult (``word,class,note``): target objects, titles, ..."""
    classes: dict[str, set[str]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for lineno, row in enumerate(csv.DictReader(fh), start=2):
                word, cls = (row.get("word") or "").strip().lower(), (row.get("class") or "").strip()
                if not word or not cls:
                    raise OntologyError(f"{path}:{lineno}: every row needs a word and a class")
                classes.setdefault(cls, set()).add(word)
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read the word classes ({exc.strerror})") from exc
    return {cls: frozenset(words) for cls, words in classes.items()}


_CUES = ("intended", "hedged", "alleged", "denied", "negated", "report")


def _load_cues(path: Path) -> dict[str, str]:
    """Modality cue words (``word,cue,note``): auxiliaries, adverbs and governing verbs."""
    cues: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for lineno, row in enumerate(csv.DictReader(fh), start=2):
                cue = (row.get("cue") or "").strip()
                if cue not in _CUES:
                    raise OntologyError(f"{path}:{lineno}: cue {cue!r} must be one of {', '.join(_CUES)}")
                cues[(row.get("word") or "").strip().lower()] = cue
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read the modality cues ({exc.strerror})") from exc
    return cues
