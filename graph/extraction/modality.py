"""Decide how the text presents a relation: asserted, negated, intended, alleged, denied, hedged.

Cues come from ``ontology/lexicon/cues.csv`` (auxiliaries, adverbs, governing verbs). The rule
walks from the trigger up through the clauses that govern it ("Erdogan said he hopes to broker
...": broker ← hopes ← said) and takes the first cue it meets; negation counts only on the
trigger's own clause or the verb that directly governs it ("did not take part in the talks").
Reported speech ("the government said") keeps a relation asserted and records who said it.
"""

from __future__ import annotations

from graph.extraction.spans import sentence_of, token_texts
from graph.lexicon import Lexicon, lemma_candidates
from graph.records import Modality, RelationKind

__all__ = ["modality_of"]

_NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
_CLAUSE_LINKS = {
    "xcomp",
    "ccomp",
    "advcl",
    "conj",
    "pcomp",
    "pobj",
    "prep",
    "dobj",
    "acl",
    "relcl",
    "acomp",
    "attr",
    "nsubj",
    "nsubjpass",
    "compound",
    "amod",
    "appos",
    "npadvmod",
    "oprd",
    "dep",
}
_CONDITIONAL = {"if", "unless", "once"}
_DEFINITE_DETS = {"the", "this", "that", "these", "those"}


def _negated(tok) -> bool:
    return any(
        c.dep_ == "neg"
        or (c.lower_ in _NEGATORS and c.dep_ in ("det", "advmod", "neg"))
        # "Russia no longer backs Assad", "can not any longer": a relation that has ended
        or (c.lower_ == "longer" and any(d.lower_ in ("no", "any") for d in c.children))
        # "Neither Egypt nor Jordan took part", "No country joined": a subject that is no one
        or (
            c.dep_ in ("nsubj", "nsubjpass")
            and any(d.lower_ in ("neither", "no") and d.dep_ in ("preconj", "det") for d in c.children)
        )
        for c in tok.children
    )


def modality_of(
    trigger, lexicon: Lexicon, parties: frozenset[int] = frozenset()
) -> tuple[Modality, str | None]:
    """The modality of the relation a trigger token states, and who the text attributes it to.

    Args:
        trigger: the token that fired the rule.
        lexicon: holds the cue words.
        parties: token indices of the two actors' mentions; a negated verb above the trigger
            counts only when its subject is one of them ("Iran did not take part in the talks
            between the United States and the Houthis" negates nothing between those two).
    """
    cues = lexicon.cues
    attribution: str | None = None
    sent = sentence_of(trigger.doc, trigger.i)
    # a whole-sentence denial: "... shelled Ganja — a charge Yerevan denies"
    lemmas = token_texts(trigger.doc)[2]
    sentence_denied = any(
        cues.get(lemmas[i]) == "denied"
        and trigger.doc[i].pos_ == "VERB"
        and not _in_subtree(trigger.doc[i], trigger)
        and not _denies_own_clause(trigger.doc[i])
        # "Riek Machar, who was dismissed in July", "access was denied": passive, not a rebuttal
        and not any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.doc[i].children)
        for i in range(trigger.i + 1, sent.end)
    )

    if _negation_reaches(trigger, parties):
        # "would not attack", "did not take part in the talks", "was not a party to the deal"
        return Modality.NEGATED, None
    tok = trigger
    steps = 0
    while True:
        for child in tok.children:
            word = child.lower_
            if (
                child.dep_ in ("aux", "advmod")
                and word in cues
                and cues[word] in ("intended", "hedged", "alleged")
            ):
                return Modality(cues[word]), attribution
            if child.dep_ == "mark" and word in _CONDITIONAL:
                return Modality.INTENDED, attribution
        if (
            tok.i == trigger.i
            and trigger.pos_ == "NOUN"
            and tok.dep_ in ("nsubj", "nsubjpass")
            and any(
                c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE_DETS) for c in tok.children
            )
        ):
            break  # "Ethiopia's war with the TPLF may see talks": a definite subject is presupposed
        if tok.i == trigger.i and tok.dep_ == "acl" and tok.tag_ == "VBG":
            # "accuses Pakistan of funding militant groups fighting Indian troops": a participle
            # describing a noun is presupposed, whatever the clause says of the noun
            return Modality.ASSERTED, attribution
        if trigger.pos_ == "NOUN" and tok.dep_ == "prep" and tok.lower_ == "due":
            break  # "Due to Iranian support to Hezbollah, some consider it ...": a cause, stated
        if trigger.pos_ == "NOUN" and tok.dep_ == "prep" and tok.lower_ in _ADJUNCT_PREPS:
            # "vowed to retaliate for Kyiv's attack", "called for a truce after talks": the event in
            # the adjunct is presupposed, not planned
            break
        if _independent_clause(tok):
            break
        head = tok.head
        if head.i == tok.i or steps > 8:
            break
        if tok.dep_ in ("dobj", "xcomp") and lexicon.has(head, "cessation_verb"):
            # "called on Rwanda to end its support for the M23", "urged Iran to stop arming the
            # Houthis": what someone is asked to stop is going on
            return Modality.ASSERTED, attribution
        lemma = head.lemma_.lower()
        cue = next((cues[c] for c in lemma_candidates(lemma, head.lower_) if c in cues), None)
        if cue == "report" and head.pos_ in ("VERB", "AUX", "ADJ"):
            attribution = attribution or _speaker(head)
        elif lemma == "claim" and tok.dep_ == "xcomp" and tok.tag_ == "VBG":
            pass  # "troops claimed killing 20 insurgents": a party claiming its own act, as above
        elif (
            lemma == "claim"
            and tok.dep_ == "dobj"
            and (
                tok.i == trigger.i
                or tok.lemma_.lower() in lexicon.of("claim_noun")
                # "claimed the bombing, the deadliest attack on ..."
                or tok.lemma_.lower() in lexicon.nouns_of(RelationKind.ATTACKED)
            )
        ):
            pass  # "JNIM claimed an assault", "claimed responsibility for the bombing": asserted
        elif (
            lemma == "rule"
            and any(c.dep_ == "prt" and c.lower_ == "out" for c in head.children)
            and tok.dep_ in ("dobj", "xcomp")
        ):
            return Modality.NEGATED, attribution  # "has ruled out direct negotiations with the rebels"
        elif (
            cue in ("intended", "hedged", "alleged", "denied", "negated")
            and head.pos_ in ("VERB", "ADJ", "AUX")
            and tok.dep_ in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj", "advcl", "acomp")
            # "agreed to a cease-fire" is an agreement, not an intention
            and not (cue == "intended" and lemma == "agree" and tok.dep_ == "prep")
            and not (cue == "intended" and tok.dep_ == "dobj" and _outsider_subject(head, parties))
        ):
            # "accuses Rwanda of backing", "hopes to broker", "denied receiving weapons"
            return Modality(cue), attribution
        if tok.dep_ not in _CLAUSE_LINKS:
            break
        tok = head
        steps += 1
    if sentence_denied:
        return Modality.DENIED, attribution
    return Modality.ASSERTED, attribution


_ARGUMENT_PREPS = {"in", "to", "of", "for", "on", "at", "with", "into"}
# negation reaches a trigger from the verb it complements or whose argument it is, never across
# clause boundaries (ccomp, advcl, conj): "The Peshmerga helped drive ..., but did not enter" is
# not a negated drive
_NEGATION_LINKS = {"xcomp", "dobj", "pobj", "attr", "nsubjpass", "acomp", "pcomp", "oprd"}


_ADJUNCT_PREPS = {
    "for",
    "after",
    "before",
    "since",
    "following",
    "despite",
    "over",
    "amid",
    "during",
    "because",
    "in",
}


# subordinators of clauses the writer states as fact whatever the main clause does: "agreed to plan a
# campaign, as Somalia's government presses its offensive"; "said it fired ... while Israel struck"
_FACTUAL_MARKS = {"as", "while", "whereas", "after", "because", "since", "although", "though"}


def _outsider_subject(verb, parties: frozenset[int]) -> bool:
    """ "Violence threatened talks between A and B", "the crisis threatens the truce": a plan or
    threat with a subject that is neither party is no party's intention about its object."""
    if not parties:
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    return bool(subjects) and not any(t.i in parties for s in subjects for t in s.subtree)


def _independent_clause(tok) -> bool:
    """A relative clause or a factual adverbial clause: a cue above it does not reach inside.

    "blamed Boko Haram, the group that Chadian troops have been battling": the battle is the
    writer's own statement, not part of the blame.
    """
    if tok.dep_ == "relcl":
        return True
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _FACTUAL_MARKS for c in tok.children)


def _negation_reaches(trigger, parties: frozenset[int] = frozenset()) -> bool:
    tok = trigger
    for step in range(4):
        if _negated(tok):
            if step == 0 or not parties:
                return True
            subjects = {t.i for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
            return not subjects or bool(subjects & parties)
        if tok.dep_ == "prep" and tok.lower_ not in _ARGUMENT_PREPS:
            return False
        if tok.dep_ not in _NEGATION_LINKS and tok.dep_ != "prep":
            return False
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _denies_own_clause(verb) -> bool:
    """ "... but denied breaking the embargo": the denial has its own clause, so it says nothing of
    the other events in the sentence (unlike "a charge Yerevan denies")."""
    return any(c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "dobj" and c.tag_ == "VBG") for c in verb.children)


def _in_subtree(ancestor, tok) -> bool:
    return ancestor.left_edge.i <= tok.i <= ancestor.right_edge.i and any(
        a.i == ancestor.i for a in tok.ancestors
    )


def _speaker(verb) -> str | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child.doc[child.left_edge.i : child.right_edge.i + 1].text[:200]
    return None
