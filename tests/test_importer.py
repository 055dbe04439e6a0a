"""conflictkg import: each format gives a SHACL-valid graph with the edges its rows imply; --append
onto a build of the seeds fuses the UCDP row of 27 February 2020 with the Turkey–Syria fighting."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.query import load_query, run_query
from graph.rdf import read_graph
from graph.validate import validate
from graph.vocab import CK, actor_iri

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "datasets"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, cwd=ROOT)


def _edges(graph, prop) -> set[tuple[str, str]]:
    prefix = str(actor_iri(""))
    return {(str(s)[len(prefix) :], str(o)[len(prefix) :]) for s, o in graph.subject_objects(prop)}


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [
        (
            "ucdp",
            "ucdp_ged.csv",
            {
                (CK.attacked, "syr_government", "tur_government"),
                (CK.attacked, "mmr_government", "civilians_mmr"),
            },
        ),
        (
            "acled",
            "acled.csv",
            {
                (CK.attacked, "tur_armed_forces", "syr_armed_forces"),
                (CK.negotiatedWith, "tur_government", "rus_government"),
                (CK.attacked, "rus_armed_forces", "hayat_tahrir_al_sham"),
            },
        ),
        (
            "acled",
            "acled_old.csv",
            {(CK.attacked, "tplf", "eth_armed_forces"), (CK.backed, "eri_armed_forces", "eth_armed_forces")},
        ),
        (
            "gdelt",
            "gdelt.export.CSV",
            {
                (CK.attacked, "syr_armed_forces", "tur_armed_forces"),
                (CK.backed, "rus", "syr_government"),
                (CK.cooperatedWith, "united_nations", "syr_government"),
            },
        ),
    ],
)
def test_import_conforms_with_the_edges_its_rows_imply(tmp_path, fmt, name, expected):
    proc = _cli("import", fmt, str(DATA / name), "-o", str(tmp_path), "--release", "fixture")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    graph = read_graph(tmp_path / "graph.ttl")
    for prop, source, target in expected:
        assert (source, target) in _edges(graph, prop), (prop, source, target)
    assert validate(graph) == []
    lines = [
        json.loads(line) for line in (tmp_path / "relations.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert lines and all(rec["article"] is None and rec["dataset"]["name"] == fmt for rec in lines)
    html = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "<html" in html.lower()
    licence = next(
        graph.objects(
            URIRef(f"https://w3id.org/conflictkg/id/dataset/{fmt}/fixture"),
            URIRef("http://purl.org/dc/terms/license"),
        )
    )
    assert str(licence).startswith("https://")


def test_bad_rows_are_one_line_warnings_and_exit_1(tmp_path):
    proc = _cli("import", "acled", str(DATA / "acled.csv"), "-o", str(tmp_path))
    assert proc.returncode == 1
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: skipped")]
    assert [w.split("acled.csv:")[1].split(":")[0] for w in warnings] == ["8", "9", "10", "11"]
    assert "Traceback" not in proc.stderr and "skipped: 4" in proc.stdout


def test_usage_and_input_errors(tmp_path):
    assert _cli("import", "--help").returncode == 0
    bad = _cli("import", "cow", str(DATA / "acled.csv"), "-o", str(tmp_path))
    assert bad.returncode == 2 and "ucdp, acled, gdelt" in bad.stderr
    missing = _cli("import", "ucdp", str(tmp_path / "nope.csv"), "-o", str(tmp_path))
    assert missing.returncode == 3 and missing.stderr.count("\n") == 1
    wrong = _cli("import", "ucdp", str(DATA / "acled.csv"), "-o", str(tmp_path))
    assert wrong.returncode == 3 and "not a UCDP export" in wrong.stderr


@pytest.fixture(scope="module")
def fused(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fused")
    assert _cli("build", "seeds", "-o", str(out), "--no-html").returncode == 0
    proc = _cli("import", "ucdp", str(DATA / "ucdp_ged.csv"), "-o", str(out), "--append")
    assert proc.returncode == 1, proc.stderr  # the fixture's bad rows
    assert "reported by both the dataset and the articles: 1" in proc.stdout
    return out


def test_corroborated_returns_the_fused_turkey_syria_event(fused):
    proc = _cli("query", str(fused / "graph.ttl"), "@corroborated", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert rows and {r["dataset_event_id"] for r in rows} == {"900001"}
    assert {r["article"] for r in rows} == {"000_200ce6940804762a"}
    assert {(r["source"], r["target"]) for r in rows} == {
        ("Syrian government", "Turkish government"),
        ("Turkish government", "Syrian government"),
    }
    assert {r["relation"] for r in rows} == {"attacked"} and {r["date"] for r in rows} == {"2020-02-27"}
    assert {r["sources"] for r in rows} == {"2"}


def test_text_only_and_dataset_only(fused):
    graph = read_graph(fused / "graph.ttl")
    assert validate(graph) == []
    dataset_only = run_query(graph, load_query("@dataset_only"), {})
    ids = {row[dataset_only.columns.index("dataset_event_id")] for row in dataset_only.rows}
    assert ids == {"900002", "900003", "900008"}
    text_only = run_query(graph, load_query("@text_only"), {})
    relations = {row[text_only.columns.index("relation")] for row in text_only.rows}
    assert {"backed", "negotiated_with"} <= relations
    sources = {str(s) for s in graph.subjects(CK.relationType, None)}
    fused_statements = {str(s) for s in graph.subjects(CK.event, None)}
    assert fused_statements <= sources


def test_analyze_has_a_coverage_table_per_dataset(fused):
    proc = _cli("analyze", str(fused / "graph.ttl"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = [r for r in csv.DictReader(io.StringIO(proc.stdout)) if r["section"] == "coverage"]
    assert [(r["actor"], r["kind"]) for r in rows] == [("ucdp", "attacked")]
    assert rows[0]["detail"].startswith("events=4 corroborated=1 ") and rows[0]["value"] == "0.25"
