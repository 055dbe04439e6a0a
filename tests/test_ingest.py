"""Tests for graph.ingest: headers, JSONL, folders, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.ingest import clean_text, parse_header, read_articles
from graph.records import Article, Skipped

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV = ROOT.parent / "shared" / "gold" / "dev"

ENGLISH = (
    "Ukrainian forces shelled Russian positions near the town overnight, the military said on Tuesday. "
    "Russia attacked Ukraine with drones and missiles, and officials said the strikes hit power stations "
    "in the east of the country while talks between the two sides remained stalled."
)
FRENCH = (
    "Les forces ukrainiennes ont bombardé des positions russes près de la ville pendant la nuit, a indiqué "
    "mardi l'armée. La Russie a attaqué l'Ukraine avec des drones et des missiles, et les responsables ont "
    "déclaré que les frappes avaient touché des centrales électriques dans l'est du pays."
)


def _read(*paths: Path, **kwargs: int) -> list[Article | Skipped]:
    return list(read_articles(paths, **kwargs))


def _one(path: Path, **kwargs: int) -> Article | Skipped:
    records = _read(path, **kwargs)
    assert len(records) == 1, records
    return records[0]


def _skipped(path: Path, **kwargs: int) -> Skipped:
    record = _one(path, **kwargs)
    assert isinstance(record, Skipped), record
    assert "\n" not in record.reason
    return record


# --- headers ---------------------------------------------------------------------------------------


def test_seed_with_header_leading_space() -> None:
    article = _one(SEEDS / "000_200ce6940804762a.txt")
    assert isinstance(article, Article)
    assert article.id == "000_200ce6940804762a"
    assert article.date == dt.date(2020, 3, 2)
    assert (article.dateline, article.source) == ("BEIRUT", "AP")
    assert article.text.startswith("Turkey’s president said he hopes to broker a cease-fire")
    assert article.body_offset == 0
    assert article.origin == str(SEEDS / "000_200ce6940804762a.txt")


def test_seed_without_header() -> None:
    article = _one(SEEDS / "004_3cf37dcf96fb07d5.txt")
    assert isinstance(article, Article)
    assert (article.date, article.dateline, article.source) == (None, None, None)
    assert article.text.startswith("Turkey on Sunday shot down two Syrian warplanes")


@pytest.mark.skipif(not DEV.is_dir(), reason="shared dev set not present")
def test_every_dev_article_header_parses() -> None:
    files = sorted(DEV.glob("*.txt"))
    assert files
    for path in files:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        article = _one(path)
        assert isinstance(article, Article), article
        assert article.date is not None and first_line.strip().startswith(f"date {article.date.isoformat()} ")
        assert article.source in {"AP", "Reuters"}
        assert article.dateline and article.dateline in first_line
        assert f"{article.dateline} ({article.source}) — {article.text[:30]}" in first_line


@pytest.mark.parametrize(
    ("header", "date", "dateline", "source"),
    [
        (" date 2020-03-02 BEIRUT (AP) — ", dt.date(2020, 3, 2), "BEIRUT", "AP"),
        (
            "date 2022-11-02 PRETORIA, South Africa (Reuters) – ",
            dt.date(2022, 11, 2),
            "PRETORIA, South Africa",
            "Reuters",
        ),
        ("date 2021-01-05 KYIV (AFP) - ", dt.date(2021, 1, 5), "KYIV", "AFP"),
        ("date 2021-01-05 WINSTON-SALEM, N.C. (AP)—", dt.date(2021, 1, 5), "WINSTON-SALEM, N.C.", "AP"),
        ("date 2021-01-05 GOMA — ", dt.date(2021, 1, 5), "GOMA", None),
        ("\t date 2021-01-05\n", dt.date(2021, 1, 5), None, None),
        ("date 2021-02-30 GOMA (AP) — ", None, "GOMA", "AP"),  # impossible date: kept empty, warned
        # wire copy as sent, without the "date" word: the dateline must not become the subject
        ("MAPUTO, Mozambique (AP) — ", None, "MAPUTO, Mozambique", "AP"),
        ("2021-01-05 Kharkiv (Reuters) - ", dt.date(2021, 1, 5), "Kharkiv", "Reuters"),
        ("JUBA, South Sudan — ", None, "JUBA, South Sudan", None),
    ],
    ids=[
        "seed",
        "comma-en-dash",
        "hyphen",
        "hyphenated-place",
        "no-agency",
        "date-only",
        "bad-date",
        "wire-no-date",
        "wire-iso-date",
        "wire-caps-country",
    ],
)
def test_parse_header_variants(
    header: str, date: dt.date | None, dateline: str | None, source: str | None
) -> None:
    body, got_date, got_dateline, got_source = parse_header(header + "Rebels attacked the town.")
    assert body == "Rebels attacked the town."
    assert (got_date, got_dateline, got_source) == (date, dateline, source)


@pytest.mark.parametrize(
    "text",
    [
        "UN — the council met on Tuesday.",
        "The Taliban (TTP) — a separate group — attacked a checkpoint.",
        "ISIS - the group said it attacked.",
        "Rebels (the group said) - attacked the town.",
    ],
)
def test_parse_header_leaves_sentences_that_only_look_like_datelines(text: str) -> None:
    assert parse_header(text) == (text, None, None, None)


def test_parse_header_absent_keeps_text() -> None:
    text = "The date of the talks was set. Rebels attacked the town."
    assert parse_header(text) == (text, None, None, None)


# --- JSONL and folders ----------------------------------------------------------------------------


def test_jsonl_fields_and_line_origins(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    rows = [
        {
            "id": "a1",
            "text": ENGLISH,
            "date": "2022-02-24",
            "title": "T",
            "url": "https://x.test/a",
            "source": "AP",
        },
        {"id": "a2", "text": ENGLISH, "date": "2022-02-25T10:30:00Z"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    first, second = _read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.date, first.title, first.url, first.source) == (
        "a1",
        dt.date(2022, 2, 24),
        "T",
        "https://x.test/a",
        "AP",
    )
    assert first.origin == f"{path}:1"
    assert (second.id, second.date, second.origin) == ("a2", dt.date(2022, 2, 25), f"{path}:2")


def test_jsonl_text_header_fills_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"id": "h", "text": "date 2020-03-02 BEIRUT (AP) — " + ENGLISH}) + "\n")
    article = _one(path)
    assert isinstance(article, Article)
    assert (article.date, article.dateline, article.source) == (dt.date(2020, 3, 2), "BEIRUT", "AP")
    assert article.text == ENGLISH


def test_folder_is_recursive_sorted_and_ignores_other_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(ENGLISH)
    (tmp_path / "a.TXT").write_text(ENGLISH)
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c1", "text": ENGLISH}) + "\n")
    (tmp_path / "notes.md").write_text("# not an article")
    (tmp_path / ".hidden.txt").write_text(ENGLISH)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(ENGLISH)
    with caplog.at_level(logging.DEBUG, logger="graph.ingest"):
        records = _read(tmp_path)
    assert [r.id for r in records if isinstance(r, Article)] == ["a", "z", "c1"]
    assert len(records) == 3
    assert "ignored 1 file(s)" in caplog.text


def test_same_file_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ENGLISH)
    records = _read(tmp_path, tmp_path / "a.txt")
    assert [r.id for r in records if isinstance(r, Article)] == ["a"]
    assert len(records) == 1


def test_duplicate_ids_second_skipped(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "x.txt").write_text(ENGLISH)
    (tmp_path / "x.jsonl").write_text(json.dumps({"id": "x", "text": ENGLISH}) + "\n")
    first, second = _read(tmp_path / "one", tmp_path / "x.jsonl")
    assert isinstance(first, Article)
    assert isinstance(second, Skipped)
    assert second.origin == f"{tmp_path / 'x.jsonl'}:1"
    assert "duplicate article id 'x'" in second.reason and str(tmp_path / "one" / "x.txt") in second.reason


def test_missing_path_raises_before_reading(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ENGLISH)
    with pytest.raises(InputError, match=r"nope\.txt: no such file or folder"):
        read_articles([tmp_path / "good.txt", tmp_path / "nope.txt"])


def test_explicit_file_with_other_suffix_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_text(ENGLISH)
    assert "not a .txt or .jsonl file" in _skipped(path).reason


# --- bad inputs -------------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.txt").write_bytes(b"")
    assert _skipped(tmp_path / "e.txt").reason == "empty file"


def test_whitespace_only_file(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_bytes(b" \n\t\r\n  ")
    assert _skipped(tmp_path / "w.txt").reason == "only whitespace"


def test_header_without_body(tmp_path: Path) -> None:
    (tmp_path / "h.txt").write_text("date 2020-03-02 BEIRUT (AP) — \n")
    assert "no article text" in _skipped(tmp_path / "h.txt").reason


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + ENGLISH.encode(), "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "ZIP"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG"),
        (bytes(range(256)) * 8, "control bytes"),
        (ENGLISH.encode("utf-16-le"), "control bytes"),  # UTF-16 without BOM: half NUL bytes
    ],
    ids=["pdf", "zip", "png", "random-bytes", "utf16-no-bom"],
)
def test_binary_file(tmp_path: Path, data: bytes, kind: str) -> None:
    (tmp_path / "bin.txt").write_bytes(data)
    reason = _skipped(tmp_path / "bin.txt").reason
    assert reason.startswith("binary file") and kind in reason


def test_binary_jsonl(tmp_path: Path) -> None:
    (tmp_path / "bin.jsonl").write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    assert _skipped(tmp_path / "bin.jsonl").reason.startswith("binary file (a PDF file)")


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "u.txt").write_bytes(ENGLISH.encode("utf-16"))
    article = _one(tmp_path / "u.txt")
    assert isinstance(article, Article) and article.text == ENGLISH


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(
        b"\xef\xbb\xbf date 2020-03-02 BEIRUT (AP) \xe2\x80\x94 " + ENGLISH.encode()
    )
    article = _one(tmp_path / "b.txt")
    assert isinstance(article, Article) and article.date == dt.date(2020, 3, 2) and article.text == ENGLISH


def test_cp1252_text_is_read_with_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "Côte d’Ivoire’s army said rebels attacked the town — " + ENGLISH
    (tmp_path / "win.txt").write_bytes(text.encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="graph.ingest"):
        article = _one(tmp_path / "win.txt")
    assert isinstance(article, Article)
    assert article.text == text  # curly quotes and dashes decoded right, not as mojibake
    [record] = [r for r in caplog.records if r.name == "graph.ingest"]
    assert record.levelno == logging.WARNING
    assert "win.txt" in record.getMessage() and "cp1252" in record.getMessage()


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "l.txt").write_bytes(ENGLISH.encode() + b" \x81\xe9")
    with caplog.at_level(logging.WARNING, logger="graph.ingest"):
        article = _one(tmp_path / "l.txt")
    assert isinstance(article, Article) and article.text.endswith("é")
    assert "latin-1" in caplog.text


def test_cp1252_jsonl_warns_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lines = [json.dumps({"id": f"w{i}", "text": "Café " + ENGLISH}, ensure_ascii=False) for i in range(3)]
    (tmp_path / "w.jsonl").write_bytes("\n".join(lines).encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="graph.ingest"):
        records = _read(tmp_path / "w.jsonl")
    assert all(isinstance(r, Article) and r.text.startswith("Café ") for r in records)
    assert len(records) == 3
    assert len(caplog.records) == 1 and "w.jsonl:1" in caplog.text


def test_control_characters_removed_markup_kept(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> <a href='javascript:alert(3)'>x</a>"
    (tmp_path / "h.txt").write_bytes(f"Rebels\x00 attacked\x07 the\r\ntown.\x1b {hostile} {ENGLISH}".encode())
    article = _one(tmp_path / "h.txt")
    assert isinstance(article, Article)
    assert article.text.startswith("Rebels attacked the\ntown. <script>alert(1)</script>")
    assert hostile in article.text


def test_clean_text_drops_surrogates_and_keeps_tabs() -> None:
    assert clean_text("a\tb\x0bc\ud800d\x85e\x9f\u2028f") == "a\tb\nc\ufffdd\ne\nf"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "x", "text": "unterminated', "not valid JSON (Unterminated string starting at column 21)"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON ("),
        ('["id", "text"]', "a JSON list, not an object"),
        ('{"text": "no id"}', "missing 'id'"),
        ('{"id": "x"}', "missing 'text'"),
        ('{"title": "t"}', "missing 'id' and 'text'"),
        ('{"id": "x", "text": 42}', "'text' must be a string, not int"),
        ('{"id": null, "text": "t"}', "'id' must be a string, not NoneType"),
        ('{"id": "  ", "text": "t"}', "'id' is empty"),
        ('{"id": "x", "text": " \\n "}', "'text' is empty"),
    ],
    ids=[
        "truncated",
        "deep",
        "list",
        "no-id",
        "no-text",
        "neither",
        "int-text",
        "null-id",
        "blank-id",
        "blank-text",
    ],
)
def test_bad_jsonl_line_skipped_good_lines_kept(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "good", "text": ENGLISH})
    path.write_text(f"{good}\n{line}\n{json.dumps({'id': 'good2', 'text': ENGLISH})}\n", encoding="utf-8")
    first, bad, last = _read(path)
    assert isinstance(first, Article) and isinstance(last, Article)
    assert isinstance(bad, Skipped)
    assert bad.origin == f"{path}:2"
    assert bad.reason.startswith(reason) and "\n" not in bad.reason


def test_jsonl_bad_optional_fields_are_dropped_with_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    row = {"id": 7, "text": ENGLISH, "date": "last Tuesday", "title": ["x"], "url": None}
    (tmp_path / "o.jsonl").write_text(json.dumps(row) + "\n")
    with caplog.at_level(logging.WARNING, logger="graph.ingest"):
        article = _one(tmp_path / "o.jsonl")
    assert isinstance(article, Article)
    assert (article.id, article.date, article.title, article.url) == ("7", None, None, None)
    assert "'last Tuesday' is not YYYY-MM-DD" in caplog.text and "'title' is a list" in caplog.text


def test_blank_jsonl_file(tmp_path: Path) -> None:
    (tmp_path / "blank.jsonl").write_text("\n\n  \n")
    assert _skipped(tmp_path / "blank.jsonl").reason == "only whitespace"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Die ukrainischen Truppen haben in der Nacht russische Stellungen nahe der Stadt beschossen, "
            "teilte die Armee am Dienstag mit. " * 3,
            "not English (",
        ),
        (
            "Украинские войска обстреляли позиции российской армии возле города ночью. " * 4,
            "not English (mostly",
        ),
        (
            "乌克兰军队昨晚炮击了该镇附近的俄罗斯阵地，军方周二表示。俄罗斯用无人机和导弹袭击了乌克兰。" * 3,
            "not English (mostly",
        ),
    ],
    ids=["german", "russian", "chinese"],
)
def test_non_english_article_skipped(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    reason = _skipped(tmp_path / "x.txt").reason
    assert reason.startswith(expected) and "English and French articles only" in reason


def test_french_article_read_as_french(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(FRENCH, encoding="utf-8")
    assert _one(tmp_path / "x.txt").lang == "fr"


def test_short_texts_are_not_language_checked(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("Kyiv: Raketenangriff auf Charkiw gemeldet.")
    assert isinstance(_one(tmp_path / "s.txt"), Article)


def test_english_texts_with_names_pass_language_check() -> None:
    records = _read(SEEDS, *(sorted(DEV.glob("*.txt")) if DEV.is_dir() else []))
    assert records and all(isinstance(r, Article) for r in records)


def test_file_larger_than_max_bytes_skipped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(ENGLISH * 10)
    size = (tmp_path / "big.txt").stat().st_size
    reason = _skipped(tmp_path / "big.txt", max_bytes=1000).reason
    assert reason == f"{size:,} bytes, over the 1,000-byte limit; split it into smaller files"


def test_jsonl_line_larger_than_max_bytes_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    rows = [{"id": "s1", "text": ENGLISH}, {"id": "big", "text": ENGLISH * 20}, {"id": "s2", "text": ENGLISH}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    first, big, last = _read(path, max_bytes=1000)
    assert isinstance(first, Article) and isinstance(last, Article) and last.id == "s2"
    assert (
        isinstance(big, Skipped)
        and big.origin == f"{path}:2"
        and big.reason == "line is over the 1,000-byte limit; shorten that article"
    )


def test_long_article_is_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text((ENGLISH + "\n") * 5_000)  # ~1.5 MB, above spaCy's max_length
    article = _one(tmp_path / "long.txt")
    assert isinstance(article, Article) and len(article.text) > 1_000_000


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_real_permissions(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ENGLISH)
    path.chmod(0)
    try:
        assert "permission denied" in _skipped(path).reason
    finally:
        path.chmod(0o644)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "good.txt").write_text(ENGLISH)
    locked = tmp_path / "locked.txt"
    locked.write_text(ENGLISH)
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    good, locked_record = _read(tmp_path)
    assert isinstance(good, Article)
    assert isinstance(locked_record, Skipped) and locked_record.origin == str(locked)
    assert locked_record.reason == "cannot read: permission denied; check the file's permissions"


def test_folder_named_like_a_file_is_walked(tmp_path: Path) -> None:
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "x.txt" / "inner.txt").write_text(ENGLISH)
    assert [r.id for r in _read(tmp_path) if isinstance(r, Article)] == ["inner"]


def test_bad_inputs_do_not_stop_good_ones(tmp_path: Path) -> None:
    (tmp_path / "0_empty.txt").write_bytes(b"")
    (tmp_path / "1_pdf.txt").write_bytes(b"%PDF-1.5\n" + bytes(100))
    (tmp_path / "2_good.txt").write_text(ENGLISH)
    (tmp_path / "3_german.txt").write_text(
        "Die Armee hat die Stadt in der Nacht beschossen, sagte ein Sprecher. " * 4
    )
    (tmp_path / "4_lines.jsonl").write_text('{"id": "j", "text": "' + ENGLISH + '"}\nnot json\n')
    records = _read(tmp_path)
    assert [type(r).__name__ for r in records] == [
        "Skipped",
        "Skipped",
        "Article",
        "Skipped",
        "Article",
        "Skipped",
    ]
    assert [r.id for r in records if isinstance(r, Article)] == ["2_good", "j"]


def test_fifo_is_skipped_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    (tmp_path / "good.txt").write_text(ENGLISH)
    good, pipe = _read(tmp_path)
    assert isinstance(good, Article)
    assert isinstance(pipe, Skipped) and pipe.reason == "not a regular file (a pipe, socket or device)"


@pytest.mark.parametrize(
    ("greek_words", "skipped"),
    [(0, False), (9, False), (11, True)],
    ids=["latin-extended", "greek-under-half", "greek-over-half"],
)
def test_latin_share_counts_letters_latin_extended_included(
    tmp_path: Path, greek_words: int, skipped: bool
) -> None:
    # 150 letters of 40 English words (ş and ł are Latin Extended-A), then Greek words of 15 letters:
    # 135 or 165 Greek letters
    english = "the of and to and " * 3 + "Başar Łódźa tells about " * 5 + "the of and to a " * 1
    text = english + " ".join(["αβγδεζηθικλμνξο"] * greek_words)
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    [record] = _read(tmp_path / "x.txt")
    assert isinstance(record, Skipped) == skipped
    if skipped:
        assert "mostly non-Latin" in record.reason  # type: ignore[union-attr]
