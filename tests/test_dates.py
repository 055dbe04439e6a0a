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
