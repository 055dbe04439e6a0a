"""Resolve the date of an event from a date phrase and the article's date.

"on Thursday" in an article dated Monday 2 March 2020 is 2020-02-27; "last week", "in September
2018", "Oct. 27" resolve the same way, with dateparser doing the calendar work. Durations ("two
weeks", "decades", "recent years") are not dates and give None.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

__all__ = ["resolve_date"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DURATION = re.compile(
    r"^(?:\S+[ -])?(?:years?|months?|weeks?|days?|hours?|decades?|centur(?:y|ies))(?:-old| long)?$",
    re.IGNORECASE,
)
_FUZZY = re.compile(r"\b(?:early|mid|late|the end of|the beginning of|the start of)\b[- ]*", re.IGNORECASE)
_YEAR = re.compile(r"^(?:in )?(1[89]\d\d|20\d\d)$")
_AGO = re.compile(r"\b(ago|last|past|previous|earlier)\b", re.IGNORECASE)


def resolve_date(phrase: str, article_date: dt.date | None, future: bool = False) -> dt.date | None:
    """The calendar date a phrase denotes, or None when it is a duration or cannot be resolved.

    ``future`` reads relative phrases forwards ("will meet Thursday"), as planned events need.
    """
    text = _FUZZY.sub("", phrase.strip().removeprefix("on ").removeprefix("in ")).strip(" .,")
    if not text or (_DURATION.match(text) and not _AGO.search(text)) or "recent" in text.lower():
        return None
    year = _YEAR.match(text)
    if year:
        return dt.date(int(year.group(1)), 1, 1)
    if (
        text.lower() in _WEEKDAYS
        and article_date is not None
        and _WEEKDAYS[article_date.weekday()] == text.lower()
    ):
        return article_date  # "on Monday" in a Monday story means that day
    return _parse(text, article_date, future)


@lru_cache(maxsize=4096)
def _parse(text: str, article_date: dt.date | None, future: bool = False) -> dt.date | None:
    import dateparser

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if article_date is not None:
        settings["RELATIVE_BASE"] = dt.datetime(article_date.year, article_date.month, article_date.day)
    elif not re.search(r"\b\d{4}\b", text):
        return None  # a relative phrase with no article date to anchor it
    try:
        # the first call loads dateparser's English data (about a second, once per process)
        parsed = dateparser.parse(text, languages=["en"], locales=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed is not None else None
