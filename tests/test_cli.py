"""The command line: every command has --help and a README entry; errors are one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(cmd.name or cmd.callback.__name__ for cmd in app.registered_commands)


def test_commands_listed():
    assert {"build", "extract", "eval", "query", "viz"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and len(result.output) > 200


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_documents_every_command(command):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"conflictkg {re.escape(command)}\b", readme), f"README does not document {command!r}"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, cwd=ROOT)


def test_missing_path_is_one_line_error(tmp_path):
    proc = _run("build", str(tmp_path / "nope"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "nope" in proc.stderr


def test_unknown_model_is_one_line_error(tmp_path):
    proc = _run("build", "seeds", "-o", str(tmp_path), "--model", "en_core_web_nonexistent")
    assert proc.returncode == 4
    assert "not installed" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_option_is_a_usage_error():
    proc = _run("build", "--no-such-flag")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_eval_prints_scores(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(
        '{"actor_rules": {"TUR": {"country": "TUR"}, "SYR": {"country": "SYR"}}, "articles": '
        '{"004_3cf37dcf96fb07d5": {"required": [["TUR", "attacked", "SYR", "x"]], "acceptable": []}}}',
        encoding="utf-8",
    )
    proc = _run("eval", str(gold), "seeds")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"attacked\s+\d\.\d+\s+1\.000", proc.stdout)


@pytest.mark.parametrize("command", ["analyze", "viz", "export"])
def test_linked_only_leaves_out_open_world_actors(command, open_kg, tmp_path):
    from graph.rdf import write_graph

    help_text = CliRunner().invoke(app, [command, "--help"]).output
    assert "--linked-only" in help_text and "open-world" in help_text
    write_graph(open_kg, tmp_path / "g.ttl", "turtle")

    def actors(*flags: str) -> str:
        out = tmp_path / f"{command}{len(flags)}"
        args = {
            "analyze": ["-f", "json"],
            "viz": ["-o", f"{out}.html"],
            "export": ["-f", "csv", "-o", str(out)],
        }
        result = CliRunner().invoke(app, [command, str(tmp_path / "g.ttl"), *args[command], *flags])
        assert result.exit_code == 0, result.output
        if command == "viz":
            from test_viz import page_data

            return " ".join(
                n["id"] for n in page_data(Path(f"{out}.html").read_text(encoding="utf-8"))["nodes"]
            )
        return result.output if command == "analyze" else (out / "nodes.csv").read_text(encoding="utf-8")

    assert "ow_communal_group_tribesmen" in actors()
    kept = actors("--linked-only")
    assert "ow_" not in kept and "rebels" in kept
