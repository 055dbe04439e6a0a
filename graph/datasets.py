"""Readers of event-dataset exports: UCDP GED CSV, ACLED CSV and GDELT 2.0 event files, row by row.

In: files as users download them. Out: :class:`Row` records (the row's fields by column name, with
its file and line) or :class:`graph.records.Skipped` for a row that cannot be read, lazily, so memory
stays flat however many rows a file has. What the fields mean is :mod:`graph.dataset_events`' job.

A row with a stray quote or the wrong number of columns is skipped with its file and line; a quoted
field may span lines (ACLED notes do), so a line that does not parse alone is joined with the next
few before it is given up on.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graph.errors import InputError
from graph.records import Skipped

__all__ = ["GDELT_COLUMNS", "Row", "read_rows"]

log = logging.getLogger(__name__)

# GDELT Event Codebook V2.0: 61 tab-separated fields in this order, no header row.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    *(f"Actor2{c}" for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

# Columns a CSV export must have for its rows to mean anything (the codebooks name many more).
REQUIRED: dict[str, tuple[str, ...]] = {
    "ucdp": ("id", "type_of_violence", "side_a", "side_b", "date_start"),
    "acled": ("event_id_cnty", "event_date", "event_type", "actor1", "actor2"),
}
_JOIN_LINES = 20  # physical lines a quoted field may span before the row is given up on


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of an export: its fields by column name, and where it was read."""

    dataset: str
    file: Path
    line: int
    fields: Mapping[str, str]

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.line}"


@contextmanager
def _open_text(path: Path) -> Iterator[IO[str]]:
    """A text handle on ``path``, or on the first member of a zip archive (GDELT ships them zipped)."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if not m.endswith("/")]
                if not members:
                    raise InputError(f"{path}: the zip archive is empty")
                with archive.open(members[0]) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        else:
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
                yield handle
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # also mid-file: a truncated zip
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from exc


def _split_csv(text: str) -> list[str] | None:
    """The fields of one CSV record, or None when its quotes do not balance."""
    if '"' not in text:
        return text.rstrip("\r\n").split(",")
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _csv_rows(dataset: str, path: Path, handle: IO[str]) -> Iterator[Row | Skipped]:
    lines = iter(enumerate(handle, start=1))
    header_line = next(lines, None)
    if header_line is None:
        yield Skipped(origin=str(path), reason="the file is empty")
        return
    header = [h.strip().lower() for h in (_split_csv(header_line[1]) or [])]
    missing = [c for c in REQUIRED[dataset] if c not in header]
    if missing:
        raise InputError(
            f"{path}: not a {dataset.upper()} export: no column {', '.join(missing)} in the header line"
        )
    width = len(header)
    pending: list[tuple[int, str]] = []  # physical lines of a record that has not parsed yet
    for lineno, text in lines:
        pending.append((lineno, text))
        joined = "".join(t for _, t in pending)
        fields = _split_csv(joined)
        if fields is not None and len(fields) == width:
            yield Row(dataset, path, pending[0][0], dict(zip(header, fields, strict=True)))
            pending = []
        elif not joined.strip():
            pending = []
        elif (fields is not None and len(fields) > width) or len(pending) >= _JOIN_LINES:
            first, rest = pending[0], pending[1:]
            yield Skipped(origin=f"{path}:{first[0]}", reason=_csv_reason(first[1], width))
            pending = []
            # the lines after the bad one may be good rows: read them again on their own
            for item in rest:
                yield from _reparse(dataset, path, header, item)
    for lineno, text in pending:  # a quote left open at the end of the file
        yield from _reparse(dataset, path, header, (lineno, text))


def _reparse(dataset: str, path: Path, header: list[str], item: tuple[int, str]) -> Iterator[Row | Skipped]:
    lineno, text = item
    if not text.strip():
        return
    fields = _split_csv(text)
    if fields is not None and len(fields) == len(header):
        yield Row(dataset, path, lineno, dict(zip(header, fields, strict=True)))
    else:
        yield Skipped(origin=f"{path}:{lineno}", reason=_csv_reason(text, len(header)))


def _csv_reason(text: str, width: int) -> str:
    fields = _split_csv(text)
    if fields is None:
        return 'unbalanced quotes (a stray " in a field?)'
    return f"{len(fields)} columns where the header has {width}"


def _gdelt_rows(path: Path, handle: IO[str]) -> Iterator[Row | Skipped]:
    width = len(GDELT_COLUMNS)
    for lineno, text in enumerate(handle, start=1):
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        fields = text.split("\t")
        if len(fields) != width:
            yield Skipped(
                origin=f"{path}:{lineno}",
                reason=f"{len(fields)} tab-separated fields where GDELT 2.0 events have {width}",
            )
            continue
        yield Row("gdelt", path, lineno, dict(zip(GDELT_COLUMNS, fields, strict=True)))


def read_rows(dataset: str, path: Path) -> Iterator[Row | Skipped]:
    """Every row of one export file, lazily, in file order.

    Raises:
        InputError: the file cannot be read, or a CSV export lacks the columns its format needs.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file; give the path of a {dataset.upper()} export")
    with _open_text(path) as handle:
        if dataset == "gdelt":
            yield from _gdelt_rows(path, handle)
        elif dataset in REQUIRED:
            yield from _csv_rows(dataset, path, handle)
        else:
            raise InputError(f"unknown dataset format {dataset!r}; use ucdp, acled or gdelt")
