"""French articles: language detection, the UD adapter, the French dev set's floor, one graph.

The French dev set (``tests/data/fr/dev``, nine wire-style articles on eight conflicts) was written
for this pipeline and tuned on: its first score was P 1.00 / R 0.57 / F1 0.72. The bar below
guards against regressions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from goldkit import assert_gold_matches, edge_records

from graph.evaluate import format_score, load_gold, score
from graph.ingest import detect_language, read_articles

FR = Path(__file__).parent / "data" / "fr"
SEEDS = Path(__file__).parent.parent / "seeds"
DEV_BARS = (0.90, 0.83)  # precision, F1 (reached: P 1.00 / R 0.73 / F1 0.85)
# the blind French set (written by a helper who never read the code): first score P 1.00 / F1 0.25;
# after fixing classes of failure it shows: P 1.00 / R 0.27 / F1 0.43
BLIND_BARS = (0.90, 0.41)


@pytest.fixture(scope="module")
def fr_nlp():
    from graph.nlp import installed_pipeline, load_pipeline

    if installed_pipeline(lang="fr") is None:
        pytest.skip("the French pipeline is not installed")
    return load_pipeline(lang="fr")


@pytest.fixture(scope="module")
def fr_extractor(fr_nlp):
    from graph.extraction import load_extractor

    return load_extractor(fr_nlp)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Turkey attacked Syria.", "en"),
        (
            "Les jihadistes ont attaqué mardi un camp de l'armée malienne, selon des sources sécuritaires.",
            "fr",
        ),
        (
            "Die Armee hat am Dienstag die Stadt angegriffen, sagte ein Sprecher der Regierung in Berlin. "
            * 4,
            None,
        ),
    ],
    ids=["english", "french", "german"],
)
def test_detect_language(text: str, lang: str | None) -> None:
    found = detect_language(text)
    assert found == lang if lang else "French" in found


def test_jsonl_lang_field_and_forced_language(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"id": "a", "text": "Turkey attacked Syria.", "lang": "fr-FR"}\n'
        '{"id": "b", "text": "Turkey attacked Syria.", "lang": "de"}\n'
        '{"id": "c", "text": "Turkey attacked Syria."}\n',
        encoding="utf-8",
    )
    langs = [getattr(r, "lang", None) for r in read_articles([path])]
    assert langs == ["fr", None, "en"]
    assert [getattr(r, "lang", None) for r in read_articles([path], lang="en")] == ["en"] * 3


def test_adapter_gives_english_style_labels(fr_nlp) -> None:
    text = "Les Forces armées maliennes ont été visées par des jihadistes, soutenus par la Russie."
    doc = fr_nlp(text)
    assert doc.text == text and [t.idx for t in doc] == [t.idx for t in fr_nlp.make_doc(text)]
    by_text = {t.text: t for t in doc}
    assert by_text["visées"].tag_ == "VBN"
    assert {c.dep_ for c in by_text["visées"].children} >= {"nsubjpass", "auxpass", "agent"}
    par = next(c for c in by_text["visées"].children if c.dep_ == "agent")
    assert par.text == "par" and par.lower_ == "by" and [c.dep_ for c in par.children] == ["pobj"]
    assert by_text["jihadistes"].tag_ == "NNS"


_TRICKY_FR = (
    "Les jihadistes ont attaqué mardi un camp de l'armée malienne,  selon des sources sécuritaires.\n\n"
    "Ils  ont été repoussés.",
    "BAMAKO (AFP) - Le Hezbollah, qu'arme l'Iran, a tiré des roquettes sur le nord d'Israël.\n \nFin.",
    "« Nous ne négocierons pas », a déclaré dimanche le président nigérien   Mohamed Bazoum.",
)


def test_ruler_and_lemmatizer_as_arrays_give_stock_annotations(fr_nlp) -> None:
    import spacy

    from graph.nlp import installed_pipeline
    from graph.nlp_adapt import ADAPTER

    stock = spacy.load(installed_pipeline(lang="fr"))
    assert "lemmatizer" not in fr_nlp.pipe_names and "lemmatizer" in stock.pipe_names

    def annotations(doc) -> list[tuple]:
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]

    with fr_nlp.select_pipes(disable=[ADAPTER]):
        ours = [annotations(d) for d in fr_nlp.pipe(_TRICKY_FR)]
    assert ours == [annotations(d) for d in stock.pipe(_TRICKY_FR)]
    assert any(t[2] == "SPACE" for doc in ours for t in doc)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Jeudi, des jihadistes ont attaqué un camp de l'armée malienne.", dt.date(2020, 3, 5)),
        ("Le 14 novembre 2023, l'armée malienne a attaqué les jihadistes.", dt.date(2023, 11, 14)),
        ("Dimanche dernier, la Russie a bombardé l'Ukraine.", dt.date(2020, 3, 8)),
        ("Hier, Israël a frappé le Liban.", dt.date(2020, 3, 9)),
        ("La semaine dernière, Israël a frappé le Liban.", dt.date(2020, 3, 3)),
        ("Israël a frappé le Liban le 3 mars.", dt.date(2020, 3, 3)),
    ],
    ids=["weekday", "full-date", "last-sunday", "yesterday", "last-week", "day-month"],
)
def test_french_relation_dates(fr_nlp, fr_extractor, text: str, date: dt.date) -> None:
    from graph.extraction import extract_doc
    from graph.records import Article

    doc = fr_nlp(text)
    assert "DATE" in {e.label_ for e in doc.ents}
    article = Article(id="x", text=text, date=dt.date(2020, 3, 10), lang="fr")  # a Tuesday
    relations = extract_doc(doc, article, fr_extractor).relations
    assert [r.date for r in relations if r.kind.value == "attacked"] == [date]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Hezbollah a tiré des roquettes sur le nord d'Israël.", ("attacked", "hezbollah", "isr")),
        ("L'Iran soutient et arme le Hezbollah.", ("backed", "irn", "hezbollah")),
        ("L'Iran, qui arme et finance le Hezbollah, a démenti.", ("backed", "irn", "hezbollah")),
        (
            "Les FAMa ont été visées par une attaque du JNIM contre leur camp.",
            ("attacked", "jnim", "mli_armed_forces"),
        ),
        ("La Minusca a repoussé l'offensive des rebelles.", ("attacked", "minusca", "rebels")),
        ("Des rebelles ont attaqué mercredi les faubourgs de Bangui.", ("attacked", "rebels", "caf")),
        # classes of failure of the blind set, each with a sentence of our own (Sudan, Mozambique, Somalia)
        (
            "Les combattants des FSR ont attaqué l'armée soudanaise.",
            ("attacked", "rapid_support_forces", "sdn_armed_forces"),
        ),
        (
            "Les combattants du groupe Ansar al-Sunna ont attaqué l'armée mozambicaine.",
            ("attacked", "ansar_al_sunna_mozambique", "moz_armed_forces"),
        ),
        (
            "L'armée soudanaise a repris la ville mardi. "
            "Des affrontements entre l'armée et les FSR ont éclaté.",
            ("attacked", "rapid_support_forces", "sdn_armed_forces"),
        ),
        ("Les insurgés ont attaqué l'armée mozambicaine.", ("attacked", "rebels", "moz_armed_forces")),
        ("Des troupes rwandaises ont attaqué les insurgés.", ("attacked", "rwa_armed_forces", "rebels")),
        ("La SADC a déployé une force en soutien au Mozambique.", ("backed", "sadc", "moz")),
        (
            "Les casques bleus ont repoussé les insurgés près de Beni.",
            ("attacked", "united_nations", "rebels"),
        ),
        (
            "Les Chabab ont multiplié les attaques contre l'armée somalienne.",
            ("attacked", "al_shabaab", "som_armed_forces"),
        ),
        (
            "Les Chabab ont attaqué Mogadiscio. "
            "Des soldats somaliens ont été tués par des combattants du groupe jihadiste.",
            ("attacked", "al_shabaab", "som_armed_forces"),
        ),
        (
            "Des insurgés de la coalition Ansar al-Sunna ont attaqué Maputo.",
            ("attacked", "ansar_al_sunna_mozambique", "moz"),
        ),
    ],
    ids=[
        "sur-target",
        "shared-object",
        "relative-shared-object",
        "attack-noun-agent",
        "repel",
        "date-object",
        "fighters-des-group",
        "fighters-du-groupe-name",
        "bare-army-accented",
        "accented-generic",
        "adjective-in-s-feminine-plural",
        "en-soutien-a",
        "casques-bleus",
        "light-verb-multiplier",
        "du-definite-description",
        "name-object-read-as-oblique",
    ],
)
def test_french_constructions(fr_nlp, fr_extractor, text: str, expected: tuple[str, str, str]) -> None:
    from graph.extraction import extract_doc
    from graph.records import Article

    result = extract_doc(fr_nlp(text), Article(id="x", text=text, lang="fr"), fr_extractor)
    assert expected in {(r.kind.value, r.source_id, r.target_id) for r in result.relations}


def test_french_dev_gold_matches_articles() -> None:
    assert assert_gold_matches(FR / "dev.gold.json", FR / "dev") >= 8


def test_french_dev_score(fr_nlp, fr_extractor) -> None:
    result = score(load_gold(FR / "dev.gold.json"), edge_records([FR / "dev"], fr_nlp, fr_extractor))
    print("\nFrench dev set:\n" + format_score(result))
    precision, _, f1 = result.prf()
    assert precision >= DEV_BARS[0] and f1 >= DEV_BARS[1], format_score(result)


def test_french_blind_gold_matches_articles() -> None:
    assert assert_gold_matches(FR / "blind.gold.json", FR / "blind") >= 8


def test_french_blind_score(fr_nlp, fr_extractor) -> None:
    result = score(load_gold(FR / "blind.gold.json"), edge_records([FR / "blind"], fr_nlp, fr_extractor))
    print("\nFrench blind set:\n" + format_score(result))
    precision, _, f1 = result.prf()
    assert precision >= BLIND_BARS[0] and f1 >= BLIND_BARS[1], format_score(result)


def test_french_and_english_name_the_same_actors(
    fr_nlp, fr_extractor, session_nlp, session_extractor
) -> None:
    from graph.extraction import extract_doc
    from graph.records import Article

    def actors(text: str, nlp, extractor) -> set[str]:
        result = extract_doc(nlp(text), Article(id="x", text=text), extractor)
        return {r.source_id for r in result.relations} | {r.target_id for r in result.relations}

    fr = actors("La Russie soutient l'armée malienne.", fr_nlp, fr_extractor)
    en = actors("Russia backs the Malian army.", session_nlp, session_extractor)
    assert fr == en == {"rus", "mli_armed_forces"}


def test_french_evidence_is_tagged_fr_in_rdf() -> None:
    from graph.rdf import NTriplesTerms, result_triples
    from graph.records import Article, ArticleResult, Relation, RelationKind, TextSpan

    text = "La Russie soutient la junte malienne."
    span = TextSpan(start=0, end=len(text), text=text)
    relation = Relation(
        kind=RelationKind.BACKED,
        source_id="rus",
        target_id="mli_government",
        article_id="a",
        evidence=span,
        source_mention=TextSpan(start=3, end=9, text="Russie"),
        target_mention=TextSpan(start=22, end=36, text="junte malienne"),
        trigger="soutient",
        extractor="svo.v1",
    )
    for lang, suffix in (("fr", f'"{text}"@fr'), ("en", f'"{text}"')):
        article = Article(id="a", text=text, lang=lang)
        objects = [
            o
            for _, p, o in result_triples(
                ArticleResult(article=article, relations=(relation,)), NTriplesTerms()
            )
            if p.endswith("#evidence>")
        ]
        assert objects == [suffix]


def test_french_and_english_articles_of_one_event_share_actors_and_event(tmp_path: Path) -> None:
    """Issue 16's "one graph": one build of an English and a French report of the same strike."""
    import json

    from graph.build import BuildOptions, build
    from graph.nlp import installed_pipeline

    if installed_pipeline(lang="fr") is None or installed_pipeline() is None:
        pytest.skip("the English or French pipeline is not installed")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "en_beni.txt").write_text(
        "date 2023-11-21 BENI (Reuters) - The Ugandan army carried out a drone strike on the Allied "
        "Democratic Forces near Beni on Tuesday, killing at least twelve fighters, a military "
        "spokesman said.\n",
        encoding="utf-8",
    )
    (folder / "fr_beni.txt").write_text(
        "date 2023-11-21 BENI (AFP) - L'armée ougandaise a mené mardi une frappe de drone contre les "
        "Forces démocratiques alliées (ADF) près de Beni, tuant au moins douze combattants, a indiqué "
        "un porte-parole militaire.\n",
        encoding="utf-8",
    )
    build([folder], tmp_path / "out", BuildOptions(resume=False, html=False))
    rows = [json.loads(line) for line in (tmp_path / "out" / "relations.jsonl").read_text().splitlines()]
    strikes = {
        r["article"]: r for r in rows if r["relation"] == "attacked" and r["target"]["id"].endswith("/adf")
    }
    assert set(strikes) == {"en_beni", "fr_beni"}
    en, fr = strikes["en_beni"], strikes["fr_beni"]
    for side in ("source", "target"):
        assert en[side]["id"] == fr[side]["id"]
        assert en[side]["wikidata"] == fr[side]["wikidata"]
    # the army rolls up to its state (its QID is the state's); the ADF row carries no QID yet
    assert en["source"]["id"].endswith("/uga_armed_forces") and en["target"]["id"].endswith("/adf")
    assert en["source"]["acts_for"] == fr["source"]["acts_for"] and en["source"]["acts_for"].endswith("/uga")
    assert en["date"] == fr["date"] == "2023-11-21"
    assert en["event"] is not None and en["event"] == fr["event"]
    # in RDF: one event node, reached from both articles' statements; the French evidence tagged @fr
    from rdflib import OWL, PROV, Graph

    from graph.vocab import CK, ID

    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    event = ID[f"event/{en['event']}"]
    statements = set(graph.subjects(CK.event, event))
    articles = {str(graph.value(s, PROV.wasDerivedFrom)).rsplit("/", 1)[-1] for s in statements}
    assert articles == {"en_beni", "fr_beni"}
    assert str(graph.value(ID["actor/uga"], OWL.sameAs)).endswith("/Q1036")  # Uganda, one QID for both
    assert any(o.language == "fr" for o in graph.objects(None, CK.evidence))


def test_particle_inside_a_name_is_no_actor(fr_nlp, fr_extractor) -> None:
    """ "Mocimboa da Praia" is one place: its last word is no capital city (Cape Verde's Praia)."""
    from graph.extraction import extract_doc
    from graph.records import Article

    text = "Les insurgés ont attaqué samedi Mocimboa da Praia."
    result = extract_doc(fr_nlp(text), Article(id="x", text=text, lang="fr"), fr_extractor)
    assert "cpv" not in {m.actor_id for m in result.mentions}


def test_adjective_agreement_of_french_demonyms() -> None:
    from graph.gazetteer import _agreement

    assert _agreement("rwandais") == {
        "ms": "rwandais",
        "fs": "rwandaise",
        "mp": "rwandais",
        "fp": "rwandaises",
    }
    assert _agreement("turc/turque/turcs/turques")["fp"] == "turques"
    assert _agreement("russe/russes") == {"ms": "russe", "fs": "russe", "mp": "russes", "fp": "russes"}
