"""The trigger lexicon and modality cues are data files with checked rows."""

from __future__ import annotations

import pytest

from graph.errors import OntologyError
from graph.lexicon import load_lexicon
from graph.records import RelationKind


def test_shipped_lexicon_covers_every_kind():
    lex = load_lexicon()
    kinds = {t.kind for table in (lex.verbs, lex.nouns, lex.modifiers) for t in table.values()}
    assert {RelationKind.ATTACKED, RelationKind.BACKED, RelationKind.NEGOTIATED_WITH} <= kinds
    assert lex.verbs["shell"].kind is RelationKind.ATTACKED and lex.verbs["shell"].plover == "ASSAULT"
    assert lex.modifiers["backed"].kind is RelationKind.BACKED
    assert lex.cues["accuse"] == "alleged" and lex.cues["will"] == "intended"


def test_bad_kind_names_the_line(tmp_path):
    path = tmp_path / "triggers.csv"
    path.write_text("lemma,pos,kind,plover,cameo\nbomb,verb,exploded,ASSAULT,19\n", encoding="utf-8")
    (tmp_path / "cues.csv").write_text("word,cue,note\n", encoding="utf-8")
    with pytest.raises(OntologyError, match=r"triggers\.csv:2"):
        load_lexicon(path)


def test_bad_pos(tmp_path):
    path = tmp_path / "triggers.csv"
    path.write_text("lemma,pos,kind,plover,cameo\nbomb,adverb,attacked,ASSAULT,19\n", encoding="utf-8")
    with pytest.raises(OntologyError, match="pos"):
        load_lexicon(path)
