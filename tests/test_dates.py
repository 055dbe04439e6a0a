"""Event dates resolved against the article date."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.dates import resolve_date

MONDAY = dt.date(2020, 3, 2)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Thursday", dt.date(2020, 2, 27)),
        ("on Saturday", dt.date(2020, 2, 29)),
        ("Monday", MONDAY),
        ("last week", dt.date(2020, 2, 24)),
        ("September 2018", dt.date(2018, 9, 1)),
        ("in September 2018", dt.date(2018, 9, 1)),
        ("2015", dt.date(2015, 1, 1)),
        ("Oct. 8, 2023", dt.date(2023, 10, 8)),
        ("late August", dt.date(2019, 8, 1)),
    ],
)
def test_resolves(phrase, expected):
    assert resolve_date(phrase, MONDAY) == expected


@pytest.mark.parametrize("phrase", ["two weeks", "decades", "recent years", "nine-year", "11 days", ""])
def test_durations_are_not_dates(phrase):
    assert resolve_date(phrase, MONDAY) is None


def test_relative_phrase_needs_an_article_date():
    assert resolve_date("Thursday", None) is None
    assert resolve_date("March 2011", None) == dt.date(2011, 3, 1)


def test_event_date_on_a_relation(extract_text):
    result = extract_text("On Thursday, 33 Turkish soldiers were killed by Syrian forces in Idlib.", MONDAY)
    rel = next(r for r in result.relations if r.kind.value == "attacked")
    assert rel.date == dt.date(2020, 2, 27)
    assert rel.place == "Idlib"
    assert rel.fatalities == 33


def test_planned_events_look_forward():
    assert resolve_date("Thursday", MONDAY, future=True) == dt.date(2020, 3, 5)


# Phrases of every class resolve_date moves between stand-in dates (days, years, absolute, direct).
_PHRASES = [
    "Thursday", "last Friday", "Friday morning", "yesterday", "two days ago", "last week", "this week",
    "next week", "the weekend", "October", "Sept. 27", "Feb. 29", "late August", "last month",
    "two months ago", "last year", "next month", "Oct. 8, 2023", "8 October 2023", "November 2020",
    "Thursday, Oct. 27", "the 1990s", "later this week", "the coming weeks",
]  # fmt: skip
_DATES = [
    dt.date(2020, 2, 29), dt.date(2021, 3, 31), dt.date(2023, 12, 31), dt.date(2022, 3, 1),
    dt.date(1999, 7, 15), dt.date(2000, 2, 28), dt.date(2044, 11, 3), dt.date(1961, 5, 20),
]  # fmt: skip


@pytest.mark.parametrize("future", [False, True])
@pytest.mark.parametrize("phrase", _PHRASES)
def test_moved_answers_equal_dateparser_asked_directly(phrase, future):
    from graph.dates import _moved, _parse

    for day in _DATES:
        direct = _parse.__wrapped__(phrase, day, future)  # dateparser itself: no cache, no stand-in
        assert _moved(phrase, day, future) == direct, (phrase, day, future)


# A month with or without a day stands in for by the 1st of January, the date itself or the 31st of
# December: dates on both sides of each named day, month ends and 29 February, leap years or not.
_MONTH_PHRASES = [
    "October", "Sept. 27", "27 September", "late August", "Feb. 29", "February", "March 1st", "Jan. 1",
    "December 31", "May", "Sept. 31", "Dec",
]  # fmt: skip
_MONTH_DATES = [
    day
    for year in (2019, 2020, 2021, 2024, 1999)
    for day in (
        dt.date(year, 1, 1), dt.date(year, 1, 31), dt.date(year, 2, 28), dt.date(year, 3, 1),
        dt.date(year, 9, 26), dt.date(year, 9, 27), dt.date(year, 9, 28), dt.date(year, 10, 1),
        dt.date(year, 12, 31), dt.date(year, 5, 31),
    )
] + [dt.date(2020, 2, 29), dt.date(2024, 2, 29), dt.date(2000, 2, 29)]  # fmt: skip


@pytest.mark.parametrize("future", [False, True])
@pytest.mark.parametrize("phrase", _MONTH_PHRASES)
def test_month_phrases_equal_dateparser_asked_directly(phrase, future):
    from graph.dates import _parse

    for day in _MONTH_DATES:
        direct = _parse.__wrapped__(phrase.removeprefix("late "), day, future)
        assert resolve_date(phrase, day, future) == direct, (phrase, day, future)


@pytest.mark.parametrize(
    ("phrase", "answers", "asked"),
    [
        ("Sept. 27", {dt.date(2019, 9, 27), dt.date(2020, 9, 27)}, 3),  # before, on and after the 27th
        ("October", {dt.date(2019, 10, 1), dt.date(2020, 10, 1)}, 9),  # and the 29th to 31st of a month
    ],
)
def test_month_phrases_ask_dateparser_once_per_side_of_the_day(monkeypatch, phrase, answers, asked):
    import graph.dates

    stand_ins: set[dt.date] = set()
    real = graph.dates._parse.__wrapped__

    def parse(text: str, day: dt.date, future: bool = False, lang: str = "en") -> dt.date | None:
        stand_ins.add(day)
        return real(text, day, future, lang)

    monkeypatch.setattr(graph.dates, "_parse", parse)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    assert {resolve_date(phrase, day) for day in days} == answers
    assert len(stand_ins) == asked


# French phrases, read with ontology/lexicon/fr/dates.csv and dateparser's French (a Tuesday article)
TUESDAY = dt.date(2020, 3, 3)


@pytest.mark.parametrize(
    ("phrase", "future", "expected"),
    [
        ("mardi", False, TUESDAY),
        ("Jeudi", False, dt.date(2020, 2, 27)),
        ("jeudi", True, dt.date(2020, 3, 5)),
        ("le 3 mars", False, TUESDAY),
        ("3 mars", True, dt.date(2021, 3, 3)),
        ("la semaine dernière", False, dt.date(2020, 2, 25)),
        ("hier", False, dt.date(2020, 3, 2)),
        ("avant-hier", False, dt.date(2020, 3, 1)),
        ("dimanche dernier", False, dt.date(2020, 3, 1)),
        ("mardi dernier", False, dt.date(2020, 2, 25)),
        ("mercredi prochain", False, dt.date(2020, 3, 4)),
        ("lundi soir", False, dt.date(2020, 3, 2)),
        ("le 14 novembre 2023", False, dt.date(2023, 11, 14)),
        ("le 1er février", False, dt.date(2020, 2, 1)),
        ("en septembre 2018", False, dt.date(2018, 9, 1)),
        ("fin février", False, dt.date(2020, 2, 1)),
        ("l'année dernière", False, dt.date(2019, 3, 1)),
        ("il y a deux jours", False, dt.date(2020, 3, 1)),
        ("2015", False, dt.date(2015, 1, 1)),
    ],
)
def test_resolves_french(phrase, future, expected):
    assert resolve_date(phrase, TUESDAY, future=future, lang="fr") == expected


@pytest.mark.parametrize("phrase", ["deux semaines", "des années", "trois mois", ""])
def test_french_durations_are_not_dates(phrase):
    assert resolve_date(phrase, TUESDAY, lang="fr") is None


def test_french_date_phrases_are_found():
    import re

    from graph.dates import date_pattern, load_date_words

    text = (
        "Mardi soir, les rebelles ont attaqué Goma, le 3 mars ; la semaine dernière, hier et dimanche "
        "dernier aussi, comme le 14 novembre 2023 et en 2015, mais pas pendant deux semaines."
    )
    pattern = re.compile(date_pattern(load_date_words("fr")), re.IGNORECASE)
    assert [m.group(0) for m in pattern.finditer(text)] == [
        "Mardi soir", "3 mars", "la semaine dernière", "hier", "dimanche dernier", "14 novembre 2023", "2015",
    ]  # fmt: skip


def test_english_has_no_date_words_file():
    from graph.dates import load_date_words

    assert load_date_words("en") is None


# French month phrases take the English stand-ins (graph.dates._month_phrase): each must give what
# dateparser gives asked directly with the article date, as before the shortcut. (phrase, the words
# dateparser is asked about once the phrase is tidied)
_FRENCH_MONTH_PHRASES = [
    ("mars", "mars"), ("octobre", "octobre"), ("février", "février"), ("décembre", "décembre"),
    ("le 3 mars", "3 mars"), ("30 septembre", "30 septembre"), ("le 1er février", "1er février"),
    ("29 février", "29 février"), ("31 septembre", "31 septembre"), ("le 31 décembre", "31 décembre"),
    ("1er janvier", "1er janvier"), ("fin février", "février"), ("mi-mars", "mars"), ("janv.", "janv"),
    ("le 3 sept.", "3 sept"), ("septembre 2022", "septembre 2022"),
    ("le 14 novembre 2023", "14 novembre 2023"), ("en septembre 2018", "septembre 2018"),
    ("29 février 2020", "29 février 2020"),
]  # fmt: skip


@pytest.mark.parametrize("future", [False, True])
@pytest.mark.parametrize(("phrase", "asked"), _FRENCH_MONTH_PHRASES)
def test_french_month_phrases_equal_dateparser_asked_directly(phrase, asked, future):
    from graph.dates import _parse

    for day in _MONTH_DATES:
        direct = _parse.__wrapped__(asked, day, future, "fr")
        assert resolve_date(phrase, day, future, lang="fr") == direct, (phrase, day, future)


def test_french_month_phrases_ask_dateparser_once_per_side_of_the_day(monkeypatch):
    import graph.dates

    graph.dates._month_number("mars", "fr")  # the month's number is asked once per process
    stand_ins: set[dt.date] = set()
    real = graph.dates._parse.__wrapped__

    def parse(text: str, day: dt.date | None, future: bool = False, lang: str = "en") -> dt.date | None:
        stand_ins.add(day)
        return real(text, day, future, lang)

    monkeypatch.setattr(graph.dates, "_parse", parse)
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    answers = {resolve_date("le 3 mars", day, lang="fr") for day in days}
    assert answers == {dt.date(2019, 3, 3), dt.date(2020, 3, 3)}
    assert len(stand_ins) == 3
