"""A lemmatizer put back with its tables read as plain dicts (graph.lemma_tables) answers as spaCy's."""

from __future__ import annotations

import pytest

from graph.lemma_tables import LEMMATIZER, HashedTable, add_lemmatizer, read_lookups

_TEXTS = (
    "Les jihadistes ont attaqué mardi un camp de l'armée malienne, selon des sources sécuritaires.",
    "« Nous ne négocierons pas », a déclaré dimanche le président nigérien Mohamed Bazoum.",
    "Les rebelles du M23, soutenus par le Rwanda, ont pris Sake ; 12 civils ont été tués.",
)


def test_a_hashed_table_reads_like_a_spacy_table() -> None:
    from spacy.lookups import Table

    data = {"attaqué": ["attaquer"], "NOUN": ["symbol"], "": ["empty"], "camp": ["camp"]}
    table = Table(name="t", data=data)
    hashed = HashedTable("t", dict(table.items()))
    for key in ("attaqué", "NOUN", "", "camp", "absent", *table.keys()):
        assert (key in hashed) == (key in table)
        assert hashed.get(key, "default") == table.get(key, "default")
    assert hashed["attaqué"] == table["attaqué"] == ["attaquer"]
    hashed["nouveau"] = table["nouveau"] = ["nouveau"]
    assert dict(hashed.items()) == dict(table.items()) and hashed.name == "t"
    with pytest.raises(KeyError):
        hashed["absent"]


@pytest.fixture(scope="module")
def french():
    import spacy

    from graph.nlp import installed_pipeline

    name = installed_pipeline(lang="fr")
    if name is None:
        pytest.skip("the French pipeline is not installed")
    return name, spacy.load(name)


def test_the_tables_are_the_stock_lemmatizers(french) -> None:
    from pathlib import Path

    _, stock = french
    lookups = stock.get_pipe(LEMMATIZER).lookups
    ours = read_lookups(Path(stock.path) / LEMMATIZER / "lookups" / "lookups.bin")
    assert sorted(ours.tables) == sorted(lookups.tables)
    for name in lookups.tables:
        assert dict(ours.get_table(name).items()) == dict(lookups.get_table(name).items())
    assert len(ours.get_table("lemma_lookup")) > 100_000


def test_the_lemmatizer_put_back_gives_the_stock_lemmas(french) -> None:
    import spacy

    name, stock = french
    nlp = spacy.load(name, exclude=[LEMMATIZER])
    add_lemmatizer(nlp, spacy.info(name)["pipeline"])
    assert nlp.pipe_names == stock.pipe_names
    assert nlp.get_pipe_config(LEMMATIZER) == stock.get_pipe_config(LEMMATIZER)

    def lemmas(doc) -> list[tuple[str, str, str]]:
        return [(t.text, t.pos_, t.lemma_) for t in doc]

    assert [lemmas(d) for d in nlp.pipe(_TEXTS)] == [lemmas(d) for d in stock.pipe(_TEXTS)]


def test_a_missing_tables_file_gives_empty_lookups(tmp_path) -> None:
    assert read_lookups(tmp_path / "lookups.bin").tables == []
