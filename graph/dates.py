"""Resolve the date of an event from a date phrase and the article's date.

"on Thursday" in an article dated Monday 2 March 2020 is 2020-02-27; "last week", "in September
2018", "Oct. 27" resolve the same way, with dateparser doing the calendar work. Durations ("two
weeks", "decades", "recent years") are not dates and give None.

dateparser costs about a millisecond a call, and in a corpus nearly every article has its own date,
so a cache keyed on (phrase, article date) would rarely hit. Most phrases, though, relate to the
article date in a way that survives moving it: "Thursday" or "two days ago" move with the date by
whole days (if the weekday is kept), "October" or "last month" by whole years (if leap years line
up), and "Oct. 8, 2023" does not depend on it at all. :func:`resolve_date` asks dateparser once
per phrase and such a class of dates and moves the answer; a test checks it against dateparser
called directly on many dates.

Another language's date words are data, ``ontology/lexicon/<lang>/dates.csv`` (weekdays, months,
"hier", "dernier", "prochain" ...): :func:`date_pattern` finds its date phrases in a text (the
language adapter tags them ``DATE``, as the English pipelines' recogniser does), and
:func:`resolve_date` tidies a phrase with them ("dimanche dernier" is Sunday looked for backwards,
"mardi soir" is Tuesday) and asks dateparser in that language. Its weekdays and day words ("hier") and
its month phrases ("mars", "le 3 mars", "septembre 2022") take the same stand-in shortcuts as English
ones, since dateparser fills in a French date exactly as an English one; a test checks them against
dateparser asked directly. A month word's number is dateparser's own answer for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from graph.errors import OntologyError

__all__ = ["DateWords", "date_pattern", "load_date_words", "resolve_date"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DURATION = re.compile(
    r"^(?:\S+[ -])?(?:years?|months?|weeks?|days?|hours?|decades?|centur(?:y|ies))(?:-old| long)?$",
    re.IGNORECASE,
)
_FUZZY = re.compile(r"\b(?:early|mid|late|the end of|the beginning of|the start of)\b[- ]*", re.IGNORECASE)
_YEAR = re.compile(r"^(?:in )?(1[89]\d\d|20\d\d)$")
_AGO = re.compile(r"\b(ago|last|past|previous|earlier)\b", re.IGNORECASE)

# Classes of phrases (see the module docstring); anything else goes to dateparser as it is.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ABSOLUTE = re.compile(  # a full calendar date or month and year: "Oct. 8, 2023", "8 October 2023"
    rf"^(?:(?:{_MONTH}|of|\d{{1,2}}(?:st|nd|rd|th)?,?)\s+)+(?:1[89]|20)\d\d$", re.IGNORECASE
)
_LONG_UNITS = re.compile(rf"\b(?:{_MONTH}|months?|years?|decades?|centur(?:y|ies)|quarters?)\b")
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_REFERENCE_MONDAY = dt.date(2001, 1, 1)  # any Monday would do
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_DAY = re.compile(  # "october", "sept. 27", "27 september", "march 1st"
    r"^(?:(?P<month>[a-z]+)\.?(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?"
    r"|(?P<day_2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month_2>[a-z]+)\.?)$"
)


_DATE_CLASSES = ("weekday", "month", "day", "unit", "past", "next", "prefix", "fuzzy", "time")


@dataclass(frozen=True, slots=True)
class DateWords:
    """A language's date words by class (the classes of ``ontology/lexicon/<lang>/dates.csv``)."""

    lang: str
    classes: Mapping[str, tuple[str, ...]]

    def of(self, word_class: str) -> tuple[str, ...]:
        """The words of one class, in file order (weekdays run from Monday)."""
        return self.classes.get(word_class, ())


@lru_cache(maxsize=16)
def load_date_words(lang: str) -> DateWords | None:
    """The date words of a language, or None when it has no ``dates.csv`` (English: in the code).

    Raises:
        OntologyError: the file is malformed.
    """
    from graph.resources import ontology_dir

    path = ontology_dir() / "lexicon" / lang / "dates.csv"
    if lang == "en" or not path.is_file():
        return None
    classes: dict[str, list[str]] = {c: [] for c in _DATE_CLASSES}
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            word, word_class = (row.get("word") or "").strip().lower(), (row.get("class") or "").strip()
            if not word or word_class not in classes:
                raise OntologyError(
                    f"{path}:{lineno}: every row needs a word and a class among {', '.join(_DATE_CLASSES)}"
                )
            classes[word_class].append(word)
    if len(classes["weekday"]) != 7:
        raise OntologyError(f"{path}: list the seven weekdays, Monday first")
    return DateWords(lang, {c: tuple(w) for c, w in classes.items()})


def date_pattern(words: DateWords) -> str:
    """A regular expression (case-insensitive) for the date phrases of a language's text."""

    def alt(*classes: str) -> str:
        found = sorted({w for c in classes for w in words.of(c)}, key=len, reverse=True)
        return "(?:" + "|".join(re.escape(w) for w in found) + ")"

    weekday, month, unit, when = alt("weekday"), alt("month"), alt("unit"), alt("past", "next")
    day_month = rf"\d{{1,2}}(?:er)?\s+{month}(?:\s+(?:1[89]|20)\d\d)?"
    fuzzy = rf"(?:{alt('fuzzy')}(?:\s+|-))?"
    phrases = (
        rf"{weekday}(?:\s+{when})?(?:\s+{alt('time')})?(?:\s+{day_month})?",
        day_month,
        rf"{fuzzy}{month}(?:\s+(?:1[89]|20)\d\d)?",
        rf"\w+'?\s*{unit}\s+{when}",  # "la semaine dernière", "l'année dernière"
        rf"il\s+y\s+a\s+\w+\s+{unit}s?",
        alt("day"),
        r"(?<=\ben\s)(?:1[89]|20)\d\d",
    )
    return r"(?<![\w-])(?:" + "|".join(phrases) + r")(?![\w-])"


def resolve_date(
    phrase: str, article_date: dt.date | None, future: bool = False, lang: str = "en"
) -> dt.date | None:
    """The calendar date a phrase denotes, or None when it is a duration or cannot be resolved.

    ``future`` reads relative phrases forwards ("will meet Thursday"), as planned events need;
    ``lang`` is the phrase's language.
    """
    words = load_date_words(lang) if lang != "en" else None
    if words is not None:
        return _resolve_in(words, phrase, article_date, future)
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
    return _moved(text, article_date, future)


def _resolve_in(words: DateWords, phrase: str, article_date: dt.date | None, future: bool) -> dt.date | None:
    """:func:`resolve_date` for a language with its own date words, dateparser asked directly."""
    text = re.sub(r"\bmi-", "mi ", phrase.lower().replace("’", "'")).strip(" .,")
    tokens = text.split()
    while tokens and tokens[0] in words.of("prefix"):
        tokens = tokens[1:]
    tokens = [t for t in tokens if t not in words.of("fuzzy") and t not in words.of("time")]
    markers = set(words.of("past")) | set(words.of("next"))
    marked = len(tokens) == 2 and tokens[0] in words.of("weekday") and tokens[1] in markers
    if marked:  # "dimanche dernier", "mercredi prochain": the weekday, looked for backwards or forwards
        future, tokens = tokens[1] in words.of("next"), tokens[:1]
    if not tokens:
        return None
    last = tokens[-1].split("'")[-1]
    units = words.of("unit")
    if (last in units or last.rstrip("sx") in units) and not markers & set(tokens) and tokens[0] != "il":
        return None  # a duration: "deux semaines", "des années"
    year = _YEAR.match(" ".join(tokens))
    if year:
        return dt.date(int(year.group(1)), 1, 1)
    weekdays = words.of("weekday")
    if not marked and article_date is not None and tokens == [weekdays[article_date.weekday()]]:
        return article_date  # "mardi" in a Tuesday story means that day
    if article_date is not None and len(tokens) == 1 and tokens[0] in (*weekdays, *words.of("day")):
        # a weekday or "hier" lies a number of days from the article date that depends on its weekday
        # only: asked for a stand-in date of that weekday (so answers are reused) and moved back
        stand_in = _REFERENCE_MONDAY + dt.timedelta(days=article_date.weekday())
        found = _parse(tokens[0], stand_in, future, words.lang)
        return found + (article_date - stand_in) if found is not None else None
    text = " ".join(tokens)
    named = _month_phrase(words, tokens)
    if named is not None and article_date is not None:
        month, day, has_year = named
        if has_year:  # "septembre 2022", "le 14 novembre 2023": the article date changes nothing
            return _parse(text, None, future, words.lang)
        return _by_whole_years(text, article_date, future, _anchor(article_date, month, day), words.lang)
    return _parse(text, article_date, future, words.lang)


_DAY_OF_MONTH = re.compile(r"^(\d{1,2})(?:er)?$")  # "3", "1er"


def _month_phrase(words: DateWords, tokens: list[str]) -> tuple[int, int | None, bool] | None:
    """(month, day or None, has a year) for a phrase of a month word, perhaps a day before it and a
    year after it ("mars", "3 mars", "1er février 2020", "septembre 2022"); None for anything else."""
    rest = tokens[1:] if tokens and _DAY_OF_MONTH.match(tokens[0]) else tokens
    has_year = len(rest) == 2 and re.fullmatch(r"(?:1[89]|20)\d\d", rest[1]) is not None
    if len(rest) != 1 + has_year or rest[0] not in words.of("month"):
        return None
    month = _month_number(rest[0], words.lang)
    if month is None:
        return None
    day = _DAY_OF_MONTH.match(tokens[0]) if rest is not tokens else None
    return month, int(day.group(1)) if day else None, has_year


@lru_cache(maxsize=256)
def _month_number(word: str, lang: str) -> int | None:
    """The month a language's month word names, as dateparser reads it (asked once per word)."""
    found = _parse(f"{word} 2001", None, False, lang)
    return found.month if found is not None and found.year == 2001 else None


def _moved(text: str, article_date: dt.date | None, future: bool) -> dt.date | None:
    """dateparser's answer for (text, article_date), computed for a stand-in date and moved back."""
    if article_date is None:
        return _parse(text, None, future)
    if _ABSOLUTE.match(text):
        return _parse(text, None, future)
    lower = text.lower()
    if re.search(r"\d{3}", text):  # a year in an unusual phrase ("the 1990s"): no shortcut
        return _parse(text, article_date, future)
    if not _LONG_UNITS.search(lower):  # days, weeks, weekdays: shift by days, weekday kept
        stand_in = _REFERENCE_MONDAY + dt.timedelta(days=article_date.weekday())
        found = _parse(text, stand_in, future)
        return found + (article_date - stand_in) if found is not None else None
    if not _WEEKDAY.search(lower):
        return _by_whole_years(text, article_date, future, _month_day_anchor(lower, article_date))
    return _parse(text, article_date, future)


def _by_whole_years(
    text: str, article_date: dt.date, future: bool, anchor: dt.date | None, lang: str = "en"
) -> dt.date | None:
    """dateparser's answer for a phrase of months and years, asked for a stand-in date moved by whole
    years between years with the same place in the leap cycle (every fourth year is a leap year from
    1901 to 2099), from ``anchor`` (:func:`_anchor`) or the article date, and moved back."""
    if not 1901 <= article_date.year <= 2099:
        return _parse(text, article_date, future, lang)
    shift = article_date.year - (2000 + article_date.year % 4)
    anchor = anchor or article_date
    stand_in = anchor.replace(year=anchor.year - shift)
    found = _parse(text, stand_in, future, lang)
    if found is None:
        return None
    try:
        return found.replace(year=found.year + shift)
    except ValueError:  # 29 February of a leap year moved to another year: ask directly
        return _parse(text, article_date, future, lang)


def _month_day_anchor(lower: str, article_date: dt.date) -> dt.date | None:
    """:func:`_anchor` for an English month with or without a day ("october", "sept. 27"); None for
    any other phrase."""
    found = _MONTH_DAY.match(lower)
    if found is None:
        return None
    month = _MONTHS.get(found["month"] or found["month_2"])
    if month is None:
        return None
    day = found["day"] or found["day_2"]
    return _anchor(article_date, month, int(day) if day is not None else None)


def _anchor(article_date: dt.date, month: int, day: int | None) -> dt.date | None:
    """For a month with or without a day, a date dateparser answers alike.

    Without a year, dateparser puts the month (and the day, else the 1st) in the article's year and
    moves it a year back (or forwards) by whether the article date is before, on or after it, so a
    date early in January stands in for every date before it and one late in December for every
    date after it. With a bare month, days 29 to 31 are kept: dateparser first puts the month on the
    article's day of the month, which may not exist in it. None for an impossible day.
    """
    try:
        named = article_date.replace(month=month, day=1 if day is None else day)
    except ValueError:  # "Sept. 31", or "Feb. 29" outside leap years
        return None
    late = article_date.day if article_date.day > 28 and day is None else None
    if article_date < named:
        return article_date.replace(month=1, day=late or 1)
    return article_date.replace(month=12, day=late or 28) if article_date > named else article_date


@lru_cache(maxsize=4096)
def _parse(text: str, article_date: dt.date | None, future: bool = False, lang: str = "en") -> dt.date | None:
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
        # the first call loads dateparser's data for the language (about a second, once per process)
        parsed = dateparser.parse(text, languages=[lang], locales=[lang], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed is not None else None
