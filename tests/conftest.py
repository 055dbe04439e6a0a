"""Shared fixtures. Each helper adds its own fixtures here with small edits."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Graph

from graph.records import Actor, ActorType, Article, ArticleResult, Modality, Relation, RelationKind, TextSpan

# --- hand-built knowledge graphs (network / analysis / viz tests) ---------------------------------

# (id, label, type, country, acts_for)
KG_ACTORS = [
    ("tur", "Turkey", "state", "TUR", None),
    ("syr", "Syria", "state", "SYR", None),
    ("rus", "Russia", "state", "RUS", None),
    ("tur_government", "Turkish government", "government", "TUR", "tur"),
    ("tur_armed_forces", "Turkish Armed Forces", "armed_forces", "TUR", "tur"),
    ("syr_government", "Syrian government", "government", "SYR", "syr"),
    ("erdogan", "Recep Tayyip Erdogan", "person", "TUR", "tur_government"),
    ("rebels", "rebels", "non_state_armed_group", None, None),
]

# (kind, source, target, article, date, sentence, modality)
KG_STATEMENTS = [
    ("attacked", "tur_armed_forces", "syr_government", "a1", "2020-03-01", "Jets hit them.", "asserted"),
    ("attacked", "syr", "tur", "a1", "2020-02-27", "Syria killed 33 Turkish soldiers.", "asserted"),
    ("attacked", "tur", "syr", "a2", "2020-03-02", "Turkey struck Syrian positions.", "asserted"),
    ("attacked", "tur", "syr", "a2", "2020-03-03", "Turkey hit Syrian airfields.", "asserted"),
    ("backed", "rus", "syr", "a2", "2020-03-02", "Russia backs the Syrian government.", "asserted"),
    ("backed", "tur", "rebels", "a2", "2020-03-02", "Turkey backs the rebels.", "asserted"),
    ("negotiated_with", "erdogan", "rus", "a2", "2020-03-05", "Erdogan met Putin in Moscow.", "asserted"),
    ("negotiated_with", "rus", "tur", "a1", "2020-04-01", "Russia and Turkey held talks.", "asserted"),
    ("attacked", "syr", "rebels", "a1", "2020-02-15", "Syrian troops attacked rebels.", "asserted"),
    ("attacked", "rus", "tur", "a1", "2020-03-01", "Russia did not attack Turkish troops.", "negated"),
]

KG_ARTICLES = {"a1": "2020-03-01", "a2": "2020-03-02"}

# Open-world actors (ids ow_..., linked=False): a unit acting for Syria, tribesmen acting for no one.
OW_UNIT, OW_TRIBE = "ow_military_unit_25th_division", "ow_communal_group_tribesmen"
KG_OPEN_ACTORS = [
    (OW_UNIT, "25th Division", "military_unit", None, "syr"),
    (OW_TRIBE, "local tribesmen", "communal_group", None, None),
]
KG_OPEN_STATEMENTS = [
    ("attacked", OW_UNIT, "rebels", "a3", "2020-03-10", "The 25th Division shelled rebels.", "asserted"),
    ("attacked", "rebels", OW_TRIBE, "a3", "2020-03-10", "Rebels raided the tribesmen.", "asserted"),
    ("backed", "tur", OW_TRIBE, "a3", "2020-03-11", "Turkey armed the tribesmen.", "asserted"),
]


def build_results(
    actors: list[tuple[str, str, str, str | None, str | None]],
    statements: list[tuple[str, str, str, str, str | None, str, str]],
    articles: dict[str, str | None],
) -> list[ArticleResult]:
    """Hand-built extraction results, one per article, from the compact tables above."""
    # Ids starting ow_ are open-world actors, as graph.openworld mints them.
    people = {
        aid: Actor(
            id=aid,
            label=label,
            type=ActorType(kind),
            country=country,
            acts_for=acts_for,
            linked=not aid.startswith("ow_"),
        )
        for aid, label, kind, country, acts_for in actors
    }
    results = []
    for art, day in sorted(articles.items()):
        rows = [s for s in statements if s[3] == art]
        text = " ".join(row[5] for row in rows)
        relations, offset = [], 0
        for kind, src, tgt, _, date, sentence, modality in rows:
            span = TextSpan(start=offset, end=offset + len(sentence), text=sentence)
            offset += len(sentence) + 1
            relations.append(
                Relation(
                    kind=RelationKind(kind),
                    source_id=src,
                    target_id=tgt,
                    article_id=art,
                    evidence=span,
                    source_mention=TextSpan(start=span.start, end=span.start + 1, text=sentence[:1]),
                    target_mention=TextSpan(start=span.end - 1, end=span.end, text=sentence[-1:]),
                    trigger=kind,
                    extractor="fixture.v1",
                    modality=Modality(modality),
                    date=dt.date.fromisoformat(date) if date else None,
                )
            )
        used = sorted({r.source_id for r in relations} | {r.target_id for r in relations})
        # acts_for targets travel with the actors that point at them, as extraction does.
        todo = list(used)
        while todo:
            parent = people[todo.pop()].acts_for
            if parent and parent not in used:
                used.append(parent)
                todo.append(parent)
        article = Article(id=art, text=text, date=dt.date.fromisoformat(day) if day else None)
        chosen = tuple(people[a] for a in sorted(used))
        results.append(ArticleResult(article=article, actors=chosen, relations=tuple(relations)))
    return results


def build_kg(
    actors: list[tuple[str, str, str, str | None, str | None]],
    statements: list[tuple[str, str, str, str, str | None, str, str]],
    articles: dict[str, str | None],
) -> Graph:
    """An RDF graph made by graph.rdf.to_graph from hand-built ArticleResults."""
    from graph.rdf import to_graph

    return to_graph(build_results(actors, statements, articles))


@pytest.fixture()
def kg() -> Graph:
    """A small Idlib-like knowledge graph: states, their institutions, a person, rebels."""
    return build_kg(KG_ACTORS, KG_STATEMENTS, KG_ARTICLES)


@pytest.fixture()
def open_kg() -> Graph:
    """The fixture graph plus a third article naming two open-world actors (see KG_OPEN_ACTORS)."""
    return build_kg(
        KG_ACTORS + KG_OPEN_ACTORS, KG_STATEMENTS + KG_OPEN_STATEMENTS, {**KG_ARTICLES, "a3": "2020-03-10"}
    )


# Article text is untrusted: markup in evidence or an article id must reach the page as text only.
HOSTILE_TEXT = (
    '</script><script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
    '<a href="javascript:alert(1)">javascript:alert(1)</a> \u2028 end'
)
HOSTILE_ARTICLE = '<img src=x onerror="window.__pwned=3">'


@pytest.fixture()
def hostile_kg() -> Graph:
    """A graph whose evidence sentence and article id carry script and markup payloads."""
    statements = [
        ("attacked", "tur", "syr", HOSTILE_ARTICLE, "2020-03-02", HOSTILE_TEXT, "asserted"),
        ("backed", "rus", "syr", "plain", "2020-03-02", "Russia backs Syria.", "asserted"),
    ]
    return build_kg(KG_ACTORS, statements, {HOSTILE_ARTICLE: "2020-03-02", "plain": "2020-03-02"})


# --- hand-built ArticleResults (rdf / validate / query / store / serve tests) ---------------------


def _rdf_actors() -> dict[str, object]:
    from graph.records import Actor, ActorType

    return {
        a.id: a
        for a in (
            Actor(
                id="tur",
                label="Turkey",
                type=ActorType.STATE,
                country="TUR",
                wikidata="Q43",
                aliases=("Turkish", "Ankara"),
            ),
            Actor(
                id="syr",
                label="Syria",
                type=ActorType.STATE,
                country="SYR",
                wikidata="Q858",
                aliases=("Syrian", "Damascus"),
            ),
            Actor(
                id="rus",
                label="Russia",
                type=ActorType.STATE,
                country="RUS",
                wikidata="Q159",
                aliases=("Russian", "Moscow", "the Kremlin"),
            ),
            Actor(
                id="tur_armed_forces",
                label="Turkish armed forces",
                type=ActorType.ARMED_FORCES,
                country="TUR",
                acts_for="tur",
            ),
            Actor(
                id="syr_government",
                label="Syrian government",
                type=ActorType.GOVERNMENT,
                country="SYR",
                acts_for="syr",
            ),
            Actor(
                id="erdogan",
                label="Recep Tayyip Erdogan",
                type=ActorType.PERSON,
                country="TUR",
                wikidata="Q39259",
                acts_for="tur_government",
                aliases=("Erdogan",),
            ),
            Actor(
                id="tur_government",
                label="Turkish government",
                type=ActorType.GOVERNMENT,
                country="TUR",
                acts_for="tur",
            ),
            Actor(
                id="rebels",
                label="rebels",
                type=ActorType.NON_STATE_ARMED_GROUP,
                aliases=("rebel", "insurgents"),
                operates_in="SYR",
            ),
            Actor(
                id="un",
                label="United Nations",
                type=ActorType.INTERNATIONAL_ORGANIZATION,
                wikidata="Q1065",
                aliases=("UN",),
            ),
            # two actors sharing an alias, to test ambiguous label bindings
            Actor(
                id="hts",
                label="Hayat Tahrir al-Sham",
                type=ActorType.NON_STATE_ARMED_GROUP,
                aliases=("HTS", "jihadists"),
            ),
            Actor(
                id="isis",
                label="Islamic State",
                type=ActorType.NON_STATE_ARMED_GROUP,
                aliases=("ISIS", "jihadists"),
            ),
        )
    }


def _rdf_relation(
    article_id: str,
    text: str,
    kind: str,
    source: str,
    target: str,
    trigger: str,
    modality: str = "asserted",
    day: str | None = None,
    **extra: object,
) -> object:
    from graph.records import Modality, Relation, RelationKind, TextSpan

    start = extra.pop("start", 0)
    assert isinstance(start, int)
    return Relation(
        kind=RelationKind(kind),
        source_id=source,
        target_id=target,
        article_id=article_id,
        evidence=TextSpan(start=start, end=start + len(text), text=text),
        source_mention=TextSpan(start=start, end=start + 6, text=text[:6]),
        target_mention=TextSpan(start=start + len(text) - 7, end=start + len(text) - 1, text=text[-7:-1]),
        trigger=trigger,
        extractor="test.v1",
        modality=Modality(modality),
        date=dt.date.fromisoformat(day) if day else None,
        **extra,  # type: ignore[arg-type]
    )


def make_rdf_results() -> tuple[object, object]:
    """Two hand-built ``ArticleResult``s (Idlib, early 2020) covering every field and modality.

    Edges (asserted): attacked tur_armed_forces->syr_government (2020-03-01), syr->tur (2020-02-27),
    tur->syr (2020-04-01), syr->rebels (2020-04-01); backed rus->syr, tur->rebels;
    negotiated_with tur->rus (2020-03-05), rus->tur (2020-04-02), syr->tur (2020-04-03).
    Not edges: attacked rus->tur (negated), mediated un->syr (intended), threatened syr->tur (alleged),
    attacked hts->isis (hedged).
    """
    from graph.records import Article, ArticleResult

    actors = _rdf_actors()
    a = "000_art_a"
    b = "001_art_b"
    rel_a = (
        _rdf_relation(
            a,
            "Turkish forces shot down two Syrian government jets over Idlib.",
            "attacked",
            "tur_armed_forces",
            "syr_government",
            "shot down",
            day="2020-03-01",
            place="Idlib",
            fatalities=2,
            confidence=0.9,
            start=40,
        ),
        _rdf_relation(
            a,
            "Syria killed 33 Turkish soldiers last week.",
            "attacked",
            "syr",
            "tur",
            "killed",
            day="2020-02-27",
            fatalities=33,
            start=120,
        ),
        _rdf_relation(a, "Russia backs the Syrian government.", "backed", "rus", "syr", "backs", start=170),
        _rdf_relation(
            a,
            "Russia did not attack Turkish troops.",
            "attacked",
            "rus",
            "tur",
            "attack",
            modality="negated",
            start=210,
        ),
        _rdf_relation(
            a,
            "Turkey and Russia will hold talks on Thursday.",
            "negotiated_with",
            "tur",
            "rus",
            "talks",
            day="2020-03-05",
            start=260,
        ),
    )
    rel_b = (
        _rdf_relation(
            b,
            "Turkey struck Syrian positions on Wednesday.",
            "attacked",
            "tur",
            "syr",
            "struck",
            day="2020-04-01",
            start=0,
        ),
        _rdf_relation(
            b,
            "Turkey supports the rebels in Idlib.",
            "backed",
            "tur",
            "rebels",
            "supports",
            day="2020-04-01",
            start=50,
        ),
        _rdf_relation(
            b,
            "Russian and Turkish envoys met in Moscow.",
            "negotiated_with",
            "rus",
            "tur",
            "met",
            day="2020-04-02",
            start=100,
        ),
        _rdf_relation(
            b,
            "The UN will mediate between Damascus and the rebels.",
            "mediated",
            "un",
            "syr",
            "mediate",
            modality="intended",
            start=150,
        ),
        _rdf_relation(
            b,
            "Turkish officials accused Syria of threatening Turkey.",
            "threatened",
            "syr",
            "tur",
            "threatening",
            modality="alleged",
            attributed_to="Turkish officials",
            start=210,
        ),
        _rdf_relation(
            b,
            "Syrian troops attacked rebels near Saraqeb.",
            "attacked",
            "syr",
            "rebels",
            "attacked",
            day="2020-04-01",
            confidence=0.8567,
            start=270,
        ),
        _rdf_relation(
            b,
            "Syria held talks with Turkey.",
            "negotiated_with",
            "syr",
            "tur",
            "held talks",
            day="2020-04-03",
            start=320,
        ),
        _rdf_relation(
            b,
            "HTS may have attacked ISIS positions.",
            "attacked",
            "hts",
            "isis",
            "attacked",
            modality="hedged",
            start=360,
        ),
    )
    art_a = Article(
        id=a,
        text="...",
        date=dt.date(2020, 3, 2),
        title="Turkey downs Syrian jets",
        url="https://example.org/a",
        source="AP",
        dateline="BEIRUT",
    )
    art_b = Article(id=b, text="...", date=dt.date(2020, 4, 3))
    ids_a = ("tur", "syr", "rus", "tur_armed_forces", "syr_government", "tur_government", "erdogan")
    ids_b = ("tur", "syr", "rus", "rebels", "un", "hts", "isis", "tur_government", "erdogan")
    return (
        ArticleResult(article=art_a, actors=tuple(actors[i] for i in ids_a), relations=rel_a),  # type: ignore[misc]
        ArticleResult(article=art_b, actors=tuple(actors[i] for i in ids_b), relations=rel_b),  # type: ignore[misc]
    )


@pytest.fixture()
def rdf_results() -> tuple[object, object]:
    """Two hand-built ArticleResults (see :func:`make_rdf_results`)."""
    return make_rdf_results()


@pytest.fixture()
def rdf_graph() -> Graph:
    """The graph rdf.to_graph builds from :func:`make_rdf_results`."""
    from graph.rdf import to_graph

    return to_graph(make_rdf_results())


# --- the real spaCy pipeline, loaded once per test session ----------------------------------------


@pytest.fixture(scope="session")
def session_nlp():
    """The default spaCy pipeline (graph.nlp.load_pipeline), loaded once for the whole session."""
    from graph.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def session_extractor(session_nlp):
    """The extractor (gazetteer, lexicon, matchers) for :func:`session_nlp`, built once."""
    from graph.extraction import load_extractor

    return load_extractor(session_nlp)


@pytest.fixture(scope="session")
def extract_text(session_nlp, session_extractor):
    """A function: text (and an optional article date) → ArticleResult, with the real pipeline."""
    from graph.extraction import extract_doc

    def run(text: str, date: dt.date | None = None, article_id: str = "t", dateline: str | None = None):
        article = Article(id=article_id, text=text, date=date, dateline=dateline)
        return extract_doc(session_nlp(text), article, session_extractor)

    return run


SEEDS = __import__("pathlib").Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory):
    """The seeds built once per session with the library API into a temporary folder."""
    from graph.build import BuildOptions, build

    out = tmp_path_factory.mktemp("seeds-out")
    stats = build([SEEDS], out, BuildOptions(formats=("turtle", "nt", "nquads", "json-ld")))
    assert stats.articles == 2
    return out


@pytest.fixture(scope="session")
def seeds_graph(seeds_out):
    """The seeds graph (rdflib) as built by :func:`seeds_out`."""
    from graph.rdf import read_graph

    return read_graph(seeds_out / "graph.ttl")
