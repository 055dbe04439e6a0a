"""Fallbacks for the small model's usual misparses, on parses bent the way the model bends them.

The rules read the dependency tree, and the small English pipeline misattaches some phrases on
real text: a participle hung on a distant noun ("the release of video that showed officer X
shooting Y", with "shooting" on "release"), a "in conflict with" phrase hung on the copula, a count
run into a person's name ("Y 16 times" tagged PERSON "Y 16"), a people's name tagged without its
distinguishing adjective ("Muslims" of "Sunni Muslims"). Whether the model misparses a given
sentence changes with its words, so these tests parse a sentence of our own, then move the arcs
or entity tags exactly as the model does on such text, and run the real extractor on the result.
"""

from __future__ import annotations

from spacy.tokens import Doc

from graph.extraction import extract_doc
from graph.records import Article


def bent(
    doc,
    arcs: dict[str, tuple[str, str]] | None = None,
    ents: dict[str, str] | None = None,
    tags: dict[str, tuple[str, str]] | None = None,
) -> Doc:
    """A copy of a parsed ``doc`` with some arcs moved (word → (head word, label)), some entity
    tags replaced (word → IOB tag such as "B-PERSON", "I-PERSON" or "O") and some part-of-speech
    tags replaced (word → (tag, pos)); the words named are unique in the sentence."""
    index = {t.text: t.i for t in doc}
    heads = [t.head.i for t in doc]
    deps = [t.dep_ for t in doc]
    for word, (head, label) in (arcs or {}).items():
        heads[index[word]] = index[head]
        deps[index[word]] = label
    fine = [t.tag_ for t in doc]
    coarse = [t.pos_ for t in doc]
    for word, (tag, pos) in (tags or {}).items():
        fine[index[word]], coarse[index[word]] = tag, pos
    iob = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in doc]
    for word, tag in (ents or {}).items():
        iob[index[word]] = tag
    return Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=[bool(t.whitespace_) for t in doc],
        tags=fine,
        pos=coarse,
        morphs=[str(t.morph) for t in doc],
        lemmas=[t.lemma_ for t in doc],
        heads=heads,
        deps=deps,
        sent_starts=[t.is_sent_start for t in doc],
        ents=iob,
    )


def dyads(doc, extractor) -> set[tuple[str, str, str]]:
    result = extract_doc(doc, Article(id="t", text=doc.text), extractor)
    label = {a.id: a.label for a in result.actors}
    return {(label[r.source_id], r.kind.value, label[r.target_id]) for r in result.relations if r.is_edge}


def test_participle_misattached_to_a_distant_noun(session_nlp, session_extractor):
    doc = session_nlp(
        "Crowds rallied after the release of video that showed officer Mark Lewis shooting Darnell Jones."
    )
    arcs = {"shooting": ("release", "acl"), "Lewis": ("showed", "dobj"), "Jones": ("shooting", "dobj")}
    doc = bent(doc, arcs)
    assert ("Mark Lewis", "attacked", "Darnell Jones") in dyads(doc, session_extractor)


def test_a_count_run_into_a_name_is_not_part_of_it(session_nlp, session_extractor):
    doc = session_nlp("Police said officer Mark Lewis shot Darnell Jones 11 times.")
    doc = bent(doc, ents={"Darnell": "B-PERSON", "Jones": "I-PERSON", "11": "I-PERSON"})
    assert ("Mark Lewis", "attacked", "Darnell Jones") in dyads(doc, session_extractor)


def test_in_conflict_with_hung_on_the_copula(session_nlp, session_extractor):
    doc = session_nlp("Kirkuk remains a city of rivalries: Sunni Arabs in conflict with Shia Arabs.")
    first = next(t for t in doc if t.text == "Arabs")
    doc = bent(doc, {"in": ("remains", "prep")})
    doc[first.i].head = doc[1]  # the first "Arabs" on the copula too, as the model reads it
    found = dyads(doc, session_extractor)
    assert ("Sunni Arabs", "attacked", "Shia Arabs") in found
    assert ("Shia Arabs", "attacked", "Sunni Arabs") in found


def test_a_people_tagged_without_its_adjective_keeps_it(session_nlp, session_extractor):
    doc = session_nlp("Sunni Muslims clashed with Shia Muslims in Karachi.")
    doc = bent(doc, ents={"Sunni": "O", "Shia": "O"})
    found = dyads(doc, session_extractor)
    assert ("Sunni Muslims", "attacked", "Shia Muslims") in found


def test_subject_read_as_more_objects_of_a_fronted_phrase(session_nlp, session_extractor):
    doc = session_nlp(
        "Near the frontier with Chad, Sudanese soldiers and JEM rebels have been fighting since Monday."
    )
    doc = bent(doc, {"soldiers": ("Chad", "conj")})
    found = {(s, r, t) for s, r, t in dyads(doc, session_extractor)}
    assert ("Sudanese Armed Forces", "attacked", "Justice and Equality Movement") in found
    assert ("Justice and Equality Movement", "attacked", "Sudanese Armed Forces") in found
    assert not any("Chad" in (s, t) for s, _, t in found)


def test_a_direction_read_as_part_of_a_state_name(session_nlp, session_extractor):
    doc = session_nlp(
        "Jihadist fighters killed 20 soldiers near the village of Tinakoff in eastern Burkina Faso."
    )
    doc = bent(
        doc,
        arcs={"eastern": ("Faso", "compound")},
        ents={"Tinakoff": "B-PERSON", "eastern": "B-PERSON", "Burkina": "I-PERSON", "Faso": "I-PERSON"},
        tags={"eastern": ("NNP", "PROPN")},
    )
    assert ("jihadist militants", "attacked", "Burkinabe armed forces") in dyads(doc, session_extractor)
