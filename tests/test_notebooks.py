"""The analyst notebooks run top to bottom in a fresh kernel and show real results from the seeds.

Notebooks that are not executed rot, so each one is executed here with nbclient in the project's
own interpreter. The committed files are read, executed in memory and never written back; the
graph they build goes to a temporary folder (``CONFLICTKG_NOTEBOOK_OUT``), not to ``out/``.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbformat import NotebookNode

from graph.query import query_names

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ("01-build-and-explore", "02-sparql", "03-network-analysis")
CELL_TIMEOUT = 120  # seconds per cell; the slowest (the first build, spaCy included) takes ~10 s
KERNEL = "python3"
# Interpreter names jupyter_client replaces with the running interpreter (sys.executable).
_PLAIN_PYTHON = {
    "python",
    f"python{sys.version_info[0]}",
    f"python{sys.version_info[0]}.{sys.version_info[1]}",
}

pytestmark = pytest.mark.slow


def _kernel_env(monkeypatch: pytest.MonkeyPatch, out: Path) -> None:
    """Point the kernel at the project's environment and the notebooks' output at ``out``."""
    venv_data = Path(sys.prefix) / "share" / "jupyter"
    if (venv_data / "kernels" / KERNEL).is_dir():
        # JUPYTER_PATH comes before the user's folders, so a personal "python3" kernel pointing at
        # another interpreter cannot shadow the environment's own.
        monkeypatch.setenv("JUPYTER_PATH", str(venv_data))
    monkeypatch.setenv("CONFLICTKG_NOTEBOOK_OUT", str(out))


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], NotebookNode]]:
    """Execute a committed notebook once per module (in memory) and return it with its outputs."""
    out = tmp_path_factory.mktemp("notebook-out")
    cache: dict[str, NotebookNode] = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        _kernel_env(monkeypatch, out)

        def run(name: str) -> NotebookNode:
            if name not in cache:
                nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
                client = NotebookClient(
                    nb,
                    timeout=CELL_TIMEOUT,
                    kernel_name=KERNEL,
                    record_timing=False,
                    resources={"metadata": {"path": str(NOTEBOOKS)}},  # run from notebooks/, as Jupyter does
                )
                client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
                cache[name] = nb
            return cache[name]

        yield run


def _outputs(nb: NotebookNode, source_contains: str | None = None) -> list[NotebookNode]:
    return [
        output
        for cell in nb.cells
        if cell.cell_type == "code" and (source_contains is None or source_contains in cell.source)
        for output in cell.get("outputs", [])
    ]


def _text(outputs: list[NotebookNode]) -> str:
    """Every textual output joined: streams, plain text, HTML and Markdown."""
    parts = []
    for output in outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        for mime in ("text/plain", "text/html", "text/markdown"):
            if mime in output.get("data", {}):
                parts.append(output.data[mime])
    return "\n".join(parts)


def _images(nb: NotebookNode) -> list[str]:
    return [o.data["image/png"] for o in _outputs(nb) if "image/png" in o.get("data", {})]


def test_kernel_is_the_project_interpreter(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _kernel_env(monkeypatch, tmp_path)
    argv = KernelSpecManager().get_kernel_spec(KERNEL).argv
    assert argv[0] in _PLAIN_PYTHON or Path(argv[0]).resolve() == Path(sys.executable).resolve(), argv


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_without_errors(executed: Callable[[str], NotebookNode], name: str) -> None:
    nb = executed(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    assert not [o for o in _outputs(nb) if o.output_type == "error"]


def test_build_and_explore_shows_actors_relations_and_graph(executed: Callable[[str], NotebookNode]) -> None:
    nb = executed("01-build-and-explore")
    relations = _text(_outputs(nb, "relations.jsonl"))
    for word in ("Turkey", "Syrian Arab Army", "Russia", "attacked", "backed", "negotiated_with"):
        assert word in relations
    assert "Turkish soldiers" in relations  # evidence sentences are in the table
    actors = _text(_outputs(nb, '"@actors"'))
    assert "Q43" in actors and "armed_forces" in actors  # Turkey's Wikidata id, an actor type
    statements = _text(_outputs(nb, "STATEMENTS = "))
    assert "intended" in statements and "Vladimir Putin" in statements  # the planned Moscow meeting
    frames = [o.data["text/html"] for o in _outputs(nb, "to_html(") if "text/html" in o.get("data", {})]
    assert len(frames) == 1
    assert '<iframe srcdoc="' in frames[0] and 'sandbox="allow-scripts"' in frames[0]
    assert "&lt;script" in frames[0] and "<script" not in frames[0]  # the page is escaped into the attribute
    assert "ckg-data" in frames[0]  # our page, with the graph data inlined
    assert len(_images(nb)) == 1


def test_sparql_runs_every_named_query(executed: Callable[[str], NotebookNode]) -> None:
    nb = executed("02-sparql")
    text = _text(_outputs(nb))
    assert "needs bindings" not in text
    for name in query_names():
        assert f"### `@{name}`" in text, name
    attacks = _text(_outputs(nb, "ATTACKS = "))
    assert "Turkish armed forces" in attacks and "33" in attacks
    assert "no actor has that label" in _text(_outputs(nb, "Atlantis"))  # a bad binding is an error
    over_http = _text(_outputs(nb, "create_server("))
    assert "Russia" in over_http and "backed" in over_http  # the endpoint answered with real rows


def test_network_analysis_has_tables_and_plots(executed: Callable[[str], NotebookNode]) -> None:
    nb = executed("03-network-analysis")
    assert len(_images(nb)) >= 4  # attackers, centrality, blocs, time series
    balance = _text(_outputs(nb, "analysis.triads("))
    assert "Russia – Syria – Turkey" in balance and "False" in balance  # the unbalanced triad
    months = _text(_outputs(nb, "edges_per_month("))
    assert "2020-03" in months and "attacked" in months
    blocs = _text(_outputs(nb, "alliance_blocs("))
    assert "Russia, Syria" in blocs


@pytest.mark.browser
def test_inline_graph_renders_in_chromium(executed: Callable[[str], NotebookNode], tmp_path: Path) -> None:
    """The iframe output of notebook 1, placed in a page as Jupyter places it, draws the graph."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which("chromedriver"):
        pytest.skip("chromium/chromedriver missing: run scripts/install_browser.sh")
    spec = importlib.util.spec_from_file_location(
        "ckg_screenshot", NOTEBOOKS.parent / "scripts" / "screenshot.py"
    )
    assert spec and spec.loader
    shot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shot)
    nb = executed("01-build-and-explore")
    (frame,) = [o.data["text/html"] for o in _outputs(nb, "to_html(") if "text/html" in o.get("data", {})]
    host = tmp_path / "output.html"
    host.write_text(f"<!DOCTYPE html><html><body>{frame}</body></html>", encoding="utf-8")
    driver = shot.chromium_driver(tmp_path / "profile")
    try:
        driver.get(host.as_uri())
        driver.switch_to.frame(driver.find_element("tag name", "iframe"))
        shot.wait_until_stable(driver, 30)
        nodes = driver.execute_script("return window.network.body.data.nodes.get().map(n => n.label);")
        driver.switch_to.default_content()
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    assert {"Turkey", "Russia", "Syrian Arab Army"} <= set(nodes)
    assert not errors


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_executed_and_clean(name: str) -> None:
    """The repository holds freshly executed notebooks (readable on the repository page), without
    errors, temporary paths or memory addresses that would make every re-run a diff."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))  # run top to bottom in one fresh kernel
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    text = _text(outputs)
    assert not re.search(r"/tmp/|0x[0-9a-f]{6,}|/home/|/work/", text)
    assert all("execution" not in c.metadata for c in nb.cells)  # no timing metadata
