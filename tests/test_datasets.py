"""Readers of dataset exports: rows stream with their file and line; bad rows are skipped, not fatal."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from graph.datasets import GDELT_COLUMNS, Row, read_rows
from graph.errors import InputError
from graph.records import Skipped

DATA = Path(__file__).parent / "data" / "datasets"


def _split(items):
    rows = [i for i in items if isinstance(i, Row)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    return rows, skipped


def test_gdelt_layout_has_61_columns():
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:2] == ("GLOBALEVENTID", "SQLDATE")
    assert GDELT_COLUMNS[26:29] == ("EventCode", "EventBaseCode", "EventRootCode")
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_ucdp_rows_and_a_stray_quote():
    rows, skipped = _split(list(read_rows("ucdp", DATA / "ucdp_ged.csv")))
    assert [r.fields["id"] for r in rows] == [
        "900001",
        "900002",
        "900003",
        "900004",
        "900005",
        "900006",
        "900008",
    ]
    assert rows[0].line == 2 and rows[0].fields["side_a"] == "Government of Syria"
    assert [s.origin for s in skipped] == [f"{DATA / 'ucdp_ged.csv'}:8"]
    assert "quote" in skipped[0].reason


def test_acled_quoted_note_spans_lines_and_bad_quote_is_skipped():
    rows, skipped = _split(list(read_rows("acled", DATA / "acled.csv")))
    by_id = {r.fields["event_id_cnty"]: r for r in rows}
    assert "No casualties were reported." in by_id["SYR1008"].fields["notes"]
    assert by_id["SYR1008"].line == 6
    assert by_id["SYR1010"].line == 12  # the row after the broken one still reads
    assert [s.origin.rsplit(":", 1)[1] for s in skipped] == ["11"]


def test_acled_older_export_with_data_id():
    rows, skipped = _split(list(read_rows("acled", DATA / "acled_old.csv")))
    assert not skipped and rows[0].fields["data_id"] == "7536221" and rows[0].fields["iso3"] == "ETH"


def test_gdelt_plain_and_zipped(tmp_path):
    plain = list(read_rows("gdelt", DATA / "gdelt.export.CSV"))
    archive = tmp_path / "20200227.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(DATA / "gdelt.export.CSV", "20200227.export.CSV")
    zipped = list(read_rows("gdelt", archive))
    rows, skipped = _split(plain)
    assert len(rows) == 9 and len(skipped) == 1 and "61" in skipped[0].reason
    assert [r.fields for r in rows] == [r.fields for r in _split(zipped)[0]]


def test_missing_columns_is_an_input_error(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a UCDP export"):
        list(read_rows("ucdp", bad))


def test_rows_are_read_lazily(tmp_path):
    big = tmp_path / "big.csv"
    header = (DATA / "acled.csv").read_text(encoding="utf-8").splitlines()[0]
    big.write_text(header + "\n" + "x," * 30 + "x\n", encoding="utf-8")
    first = next(iter(read_rows("acled", big)))
    assert isinstance(first, Row)


def test_truncated_zip_is_an_input_error(tmp_path):
    archive = tmp_path / "events.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("events.CSV", (DATA / "gdelt.export.CSV").read_text(encoding="utf-8") * 50)
    data = archive.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[:200] + data[-200:])  # the directory survives, the member does not
    with pytest.raises(InputError):
        list(read_rows("gdelt", cut))
