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
