"""Ingest stage: files and folders of news articles → :class:`~graph.records.Article` records.

Reads ``.txt`` files (one article each, optional ``date YYYY-MM-DD PLACE (AGENCY) —`` header line),
``.jsonl`` files (one JSON article per line) and folders of them. Real corpora are dirty, so every
input that cannot be used becomes a :class:`~graph.records.Skipped` with a one-line reason and the
rest is still read; only a path that does not exist at all raises :class:`~graph.errors.InputError`.

What happens to each kind of bad input:

* empty or whitespace-only file, binary file (PDF, image, archive, NUL-filled) → skipped;
* text that is not UTF-8 → decoded as Windows-1252 (else Latin-1) with a WARNING log record;
* a JSONL line that is not JSON, not an object, or lacks a string ``id``/``text`` → that line skipped;
* a second article with an id already read → skipped;
* an article in a language conflictkg does not read (neither English nor French) → skipped;
* a ``.txt`` file, or one JSONL line, larger than ``max_bytes`` → skipped;
* a file that cannot be opened (permissions) → skipped.

Control characters (NUL etc.) are removed from text; markup is kept as text, because escaping is
the output layers' job. Very long articles are kept: the nlp stage processes them in chunks.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from graph.errors import ConfigError, InputError
from graph.records import Article, Skipped

__all__ = ["ARTICLE_SUFFIXES", "LANGUAGES", "clean_text", "detect_language", "parse_header", "read_articles"]

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = frozenset({".txt", ".jsonl"})
# Languages with a pipeline and a lexicon (ontology/lexicon/<lang>/; English in ontology/lexicon/).
LANGUAGES = ("en", "fr")

_SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.05  # compressed or binary data has ~10% C0 control bytes, text ~0%
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.odt)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)
_CONTROL_BYTES = frozenset([*range(0x00, 0x09), *range(0x0E, 0x20)])

# C0 and C1 controls except \t and \n (\r, \v, \f are turned into \n first), lone surrogates
# (json.loads makes them from "\ud800"; they cannot be encoded as UTF-8) and the two non-characters.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Python's str.splitlines() also breaks at these, which would split an N-Triples line mid-literal.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")

# " date 2020-03-02 BEIRUT (AP) — Turkey’s president said ..." and variants: en dash or hyphen,
# "PRETORIA, South Africa (Reuters)", no agency, or only "date 2020-03-02" on its own line.
_HEADER = re.compile(
    r"\A\s*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"(?:[ \t]+(?P<dateline>[^\n()—–]{1,80}?)[ \t]*(?:\((?P<source>[^()\n]{1,40})\)[ \t]*)?"
    r"(?:[—–]|(?<=[ \t)])--?(?=[ \t]))"
    r"|[ \t]*(?=\n))[ \t]*",
    re.IGNORECASE,
)
# Wire copy as agencies send it, without our "date" word: "KAMPALA, Uganda (AP) — ...",
# "2024-05-01 GOMA (Reuters) - ...", "BAMAKO (AFP) - ...". The place is in capitals (the agencies'
# convention), so a sentence that happens to start with a capitalised word and a dash is not taken.
# Left in the body, the dateline would be parsed as the first sentence's subject.
_DASH = r"(?:[—–]|(?<=[ \t)])--?(?=[ \t]))[ \t]*"
_WIRE_DATELINE = re.compile(
    r"\A\s*(?:(?P<date>\d{4}-\d{2}-\d{2})[ \t]+)?(?:"
    # a place (any case) and an agency: "Kyiv (AP) —", "GOMA, Congo (Reuters) -"
    r"(?!(?:The|An?)\b)(?P<dateline>[A-Z\u00c0-\u00de][^\n()—–,]{1,40}?"
    r"(?:,[ \t]*[A-Z][^\n()—–,]{1,40}?)?)[ \t]*"
    r"\((?P<source>[A-Z][A-Za-z/&. -]{0,30})\)[ \t]*" + _DASH + "|"
    # no agency: a place in capitals and its country: "KYIV, Ukraine —"
    r"(?P<place>[A-Z\u00c0-\u00de][A-Z\u00c0-\u00de.'’ -]{2,40},[ \t]*[A-Z][^\n()—–,]{1,40}?)[ \t]*"
    + _DASH
    + ")"
)
# Fallback when the rest of the header is not recognised: take the date, keep the rest as body.
_DATE_ONLY = re.compile(r"\A\s*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)

_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")  # a letter of _WORD at U+0250 or beyond
_MIN_WORDS_FOR_LANGUAGE = 30
_MIN_STOPWORD_SHARE = 0.15  # English news has ~0.35-0.45; French, German, Spanish < 0.10
_MIN_LATIN_SHARE = 0.5


def read_articles(
    paths: Iterable[Path | str], *, max_bytes: int = 20_000_000, lang: str | None = None
) -> Iterator[Article | Skipped]:
    """Read articles from ``.txt``/``.jsonl`` files and folders, in a deterministic order.

    Folders are read recursively in sorted path order; hidden files and folders and files with
    other suffixes are ignored. Each input that cannot be used is yielded as a ``Skipped``.

    Args:
        paths: Files and folders, as the user gave them (used as given in messages).
        max_bytes: Largest ``.txt`` file, or JSONL line, to read; larger ones are skipped.
        lang: Read every article as this language (one of :data:`LANGUAGES`) instead of
            detecting it (a JSON-lines ``lang`` field is honoured when ``lang`` is None).

    Raises:
        InputError: At call time, if a path does not exist (nothing has been read yet).
        ConfigError: ``lang`` is not one of :data:`LANGUAGES`.
    """
    if lang is not None and lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not supported; choose from {', '.join(LANGUAGES)}")
    files: list[Path | Skipped] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        files.extend(_list_folder(path) if path.is_dir() else [path])
    return _read_files(files, max_bytes, lang)


def _read_files(files: list[Path | Skipped], max_bytes: int, lang: str | None) -> Iterator[Article | Skipped]:
    seen_files: set[Path] = set()
    first_origin: dict[str, str] = {}  # article id → where it was first read
    for item in files:
        if isinstance(item, Skipped):
            yield item
            continue
        key = item.resolve()
        if key in seen_files:  # the same file named twice (e.g. a file and its folder): read once
            logger.debug("%s: already read, not read again", item)
            continue
        seen_files.add(key)
        for record in _read_file(item, max_bytes, lang):
            if isinstance(record, Article):
                first = first_origin.get(record.id)
                if first is not None:
                    record = Skipped(
                        origin=record.origin or str(item),
                        reason=f"duplicate article id {record.id!r} (first read from {first}); rename one",
                    )
                else:
                    first_origin[record.id] = record.origin or str(item)
            if isinstance(record, Skipped):
                logger.debug("skipped %s: %s", record.origin, record.reason)
            yield record


def _list_folder(folder: Path) -> list[Path | Skipped]:
    """Article files under ``folder`` sorted by path, and a ``Skipped`` for each unreadable subfolder."""
    found: list[Path] = []
    problems: list[Path | Skipped] = []
    ignored = 0

    def on_error(error: OSError) -> None:
        where = error.filename or str(folder)
        problems.append(Skipped(origin=str(where), reason=f"cannot read folder: {_os_reason(error)}"))

    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                found.append(Path(root, name))
            else:
                ignored += 1
    if ignored:
        logger.debug("%s: ignored %d file(s) that are not .txt or .jsonl", folder, ignored)
    found.sort(key=lambda p: p.relative_to(folder).parts)
    return [*found, *problems]


def _read_file(path: Path, max_bytes: int, lang: str | None) -> Iterator[Article | Skipped]:
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        yield Skipped(origin=str(path), reason=f"not a .txt or .jsonl file (suffix {path.suffix!r})")
        return
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            yield Skipped(origin=str(path), reason="not a regular file (a pipe, socket or device)")
            return
        size = info.st_size
        if suffix == ".txt" and size > max_bytes:
            yield Skipped(
                origin=str(path), reason=f"{_too_big(size, max_bytes)}; split it into smaller files"
            )
            return
        with path.open("rb") as handle:
            if suffix == ".txt":
                yield _read_txt(path, handle.read(), lang)
            else:
                yield from _read_jsonl(path, handle, max_bytes, lang)
    except OSError as error:
        yield Skipped(origin=str(path), reason=f"cannot read: {_os_reason(error)}")


def _read_txt(path: Path, data: bytes, lang: str | None) -> Article | Skipped:
    origin = str(path)
    problem = _binary_problem(data)
    if problem:
        return Skipped(origin=origin, reason=problem)
    decoded, note = _decode(data)
    if note:
        logger.warning("%s: %s; check accented characters", origin, note)
    text = clean_text(decoded)
    if not text.strip():
        return Skipped(origin=origin, reason="empty file" if not text else "only whitespace")
    body, date, dateline, source = parse_header(text, origin)
    if not body:
        return Skipped(origin=origin, reason="header line but no article text")
    language = lang or detect_language(body)
    if language not in LANGUAGES:
        return Skipped(origin=origin, reason=language)
    return Article(
        id=path.stem, text=body, date=date, dateline=dateline, source=source, origin=origin, lang=language
    )


def _read_jsonl(
    path: Path, handle: IO[bytes], max_bytes: int, lang: str | None
) -> Iterator[Article | Skipped]:
    head = handle.read(_SNIFF_BYTES)
    problem = _binary_problem(head)
    if problem:
        yield Skipped(origin=str(path), reason=problem)
        return
    handle.seek(0)
    if head.startswith(b"\xef\xbb\xbf"):
        handle.read(3)
    any_line = warned = False
    for number, line in enumerate(_lines(handle, max_bytes), start=1):
        origin = f"{path}:{number}"
        if line is None:
            any_line = True
            yield Skipped(origin=origin, reason=f"line is {_too_big(None, max_bytes)}; shorten that article")
            continue
        decoded, note = _decode(line)
        if not decoded.strip():
            continue
        any_line = True
        if note and not warned:  # once per file: a cp1252 export would otherwise warn on every line
            logger.warning("%s: %s (and maybe later lines); check accented characters", origin, note)
            warned = True
        yield _jsonl_article(decoded, origin, lang)
    if not any_line:
        yield Skipped(origin=str(path), reason="empty file" if not head else "only whitespace")


def _lines(handle: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """Lines of a binary file; ``None`` for a line longer than ``max_bytes`` (read past, not kept)."""
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
            yield None
            continue
        yield line


def _jsonl_article(line: str, origin: str, lang: str | None) -> Article | Skipped:
    try:
        obj: Any = json.loads(line, strict=False)  # strict=False: tolerate raw tabs/controls in strings
    except json.JSONDecodeError as error:  # its own "line 1" would confuse beside FILE:LINE
        return Skipped(
            origin=origin, reason=f"not valid JSON ({error.msg.removesuffix(' at')} at column {error.colno})"
        )
    except ValueError as error:
        return Skipped(origin=origin, reason=f"not valid JSON ({_first_line(error)})")
    except RecursionError:
        return Skipped(origin=origin, reason="not valid JSON (nested too deeply)")
    if not isinstance(obj, dict):
        return Skipped(
            origin=origin, reason=f"a JSON {type(obj).__name__}, not an object with 'id' and 'text'"
        )
    missing = [key for key in ("id", "text") if key not in obj]
    if missing:
        return Skipped(origin=origin, reason=f"missing {' and '.join(repr(k) for k in missing)}")
    raw_id, raw_text = obj["id"], obj["text"]
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        return Skipped(origin=origin, reason=f"'id' must be a string, not {type(raw_id).__name__}")
    if not isinstance(raw_text, str):
        return Skipped(origin=origin, reason=f"'text' must be a string, not {type(raw_text).__name__}")
    article_id = clean_text(str(raw_id)).strip()
    if not article_id:
        return Skipped(origin=origin, reason="'id' is empty")
    text = clean_text(raw_text)
    if not text.strip():
        return Skipped(origin=origin, reason="'text' is empty")
    body, header_date, dateline, header_source = parse_header(text, origin)
    if not body:
        return Skipped(origin=origin, reason="'text' has a header line but no article text")
    given = obj.get("lang")
    if lang is None and isinstance(given, str) and given.strip():
        given = given.strip().lower().replace("_", "-").split("-")[0]  # "fr-FR", "en_GB"
        if given not in LANGUAGES:
            return Skipped(
                origin=origin,
                reason=f"'lang' is {obj['lang']!r}; conflictkg reads {' and '.join(LANGUAGES)} articles only",
            )
        language = given
    else:
        language = lang or detect_language(body)
    if language not in LANGUAGES:
        return Skipped(origin=origin, reason=language)
    date = _parse_date(obj.get("date"), origin) if obj.get("date") is not None else header_date
    return Article(
        id=article_id,
        text=body,
        date=date,
        title=_optional_str(obj, "title", origin),
        url=_optional_str(obj, "url", origin),
        source=_optional_str(obj, "source", origin) or header_source,
        dateline=dateline,
        origin=origin,
        lang=language,
    )


def parse_header(text: str, origin: str = "<text>") -> tuple[str, dt.date | None, str | None, str | None]:
    """Split an optional ``date YYYY-MM-DD PLACE (AGENCY) —`` header from the article body.

    Returns:
        ``(body, date, dateline, source)``; the body is stripped of surrounding whitespace, and
        the other three are ``None`` when the text has no header (or that part of it).
    """
    match = _HEADER.match(text) or _DATE_ONLY.match(text) or _WIRE_DATELINE.match(text)
    if match is None:
        return text.strip(), None, None, None
    date = _parse_date(match["date"], origin) if match["date"] else None
    groups = match.groupdict()
    dateline = (groups.get("dateline") or groups.get("place") or "").strip() or None
    source = groups["source"].strip() if groups.get("source") else None
    body = text[match.end() :]
    # Stacked headers (concatenated files) are all dropped; the first one wins. Also makes
    # reading idempotent: a body never starts with a header.
    while (again := _HEADER.match(body) or _DATE_ONLY.match(body)) is not None:
        body = body[again.end() :]
    return body.strip(), date, dateline or None, source or None


def clean_text(text: str) -> str:
    """Normalise line breaks to ``\\n`` and drop control characters and lone surrogates.

    Markup is left alone: it is text, and the output layers escape it.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _SURROGATES.sub("\ufffd", text)
    return _CONTROL_CHARS.sub("", text)


def _decode(data: bytes) -> tuple[str, str | None]:
    """Decode as UTF-8 (BOM or not), else Windows-1252, else Latin-1 (which never fails).

    Returns:
        The text, and a note for the warning (encoding used and first bad byte) when not UTF-8.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        where = f"byte {error.start}"
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding), f"not valid UTF-8 ({where}); read as {encoding}"
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def _binary_problem(data: bytes) -> str | None:
    """Why ``data`` (the start of a file) is not text, or ``None`` if it looks like text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({kind}), not text; convert it to .txt first"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a byte-order mark: NUL bytes are expected
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return None
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    if controls / len(sample) > _MAX_CONTROL_SHARE:
        return "binary file (control bytes), not text; if it is UTF-16 text, save it as UTF-8"
    return None


def detect_language(text: str) -> str:
    """The language of ``text``: a code of :data:`LANGUAGES`, or why it cannot be read (a sentence).

    Text that passes the English check (:func:`_language_problem`) stays English unless the
    language identifier (py3langid, whose model ships in its wheel) says French and French stop
    words outnumber English ones (short English texts are never taken for French); any other text
    is French when the identifier says so, and otherwise skipped with the English check's reason.
    """
    problem = _language_problem(text)
    if problem is None:
        # the stop-word count first: for English text it is enough, and the identifier's model
        # (a second and a half to load) is never loaded
        if not _more_french(text) or _identify(text) != "fr":
            return "en"
        return "fr"
    if _identify(text) == "fr":
        return "fr"
    return (problem or "not English or French").replace(
        "conflictkg reads English articles only", "conflictkg reads English and French articles only"
    )


@functools.lru_cache(maxsize=8)
def _identify(text: str) -> str:
    """py3langid's guess among the languages it knows (ISO 639-1), from the first 20,000 characters."""
    import py3langid

    return str(py3langid.classify(text[:20_000])[0])


def _more_french(text: str) -> bool:
    """Whether French stop words outnumber English ones among the words of ``text``."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN

    french = _french_stop_words()
    words = _WORD.findall(text[:200_000].lower())
    return sum(map(french.__contains__, words)) > sum(map(EN.__contains__, words))


@functools.lru_cache(maxsize=1)
def _french_stop_words() -> frozenset[str]:
    """spaCy's French stop words, read from their own file: importing ``spacy.lang.fr`` builds the
    French tokenizer's exceptions, seconds of work an English build must not pay for."""
    import importlib.util

    lang = importlib.util.find_spec("spacy.lang")
    path = Path(next(iter(lang.submodule_search_locations))) / "fr" / "stop_words.py"
    spec = importlib.util.spec_from_file_location("conflictkg_fr_stop_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


def _language_problem(text: str) -> str | None:
    """Why ``text`` is not English, or ``None``; cheap (no model), for texts of 30 words or more."""
    from spacy.lang.en.stop_words import STOP_WORDS  # the word list only: no model, fast import

    sample = text[:200_000].lower()
    words = _WORD.findall(sample)
    letters = sum(map(len, words))
    if letters >= _MIN_WORDS_FOR_LANGUAGE * 3:
        # the letters of the words beyond Latin Extended-B, counted by the regex engine, not a loop
        latin = letters - (0 if sample.isascii() else len(_NON_LATIN_LETTER.findall(sample)))
        if latin / letters < _MIN_LATIN_SHARE:
            return "not English (mostly non-Latin script); conflictkg reads English articles only"
    if len(words) < _MIN_WORDS_FOR_LANGUAGE:
        return None
    share = sum(map(STOP_WORDS.__contains__, words)) / len(words)
    if share < _MIN_STOPWORD_SHARE:
        return (
            f"not English ({share:.0%} English stop words in {len(words)} words); "
            "conflictkg reads English articles only"
        )
    return None


def _parse_date(value: object, origin: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` or ISO 8601 date-time as a date; ``None`` with a warning if it is not one."""
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            pass
    logger.warning("%s: date %r is not YYYY-MM-DD or an ISO date-time; date left empty", origin, value)
    return None


def _optional_str(obj: dict[str, Any], key: str, origin: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        logger.warning("%s: %r is a %s, not a string; ignored", origin, key, type(value).__name__)
        return None
    return clean_text(value).strip() or None


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied; check the file's permissions"
    if isinstance(error, IsADirectoryError):
        return "is a folder"
    return error.strerror or type(error).__name__


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _too_big(size: int | None, limit: int) -> str:
    """``"20,000,001 bytes, over the 20,000,000-byte limit"``: exact, as rounded sizes can look equal."""
    over = f"over the {limit:,}-byte limit"
    return f"{size:,} bytes, {over}" if size is not None else over
