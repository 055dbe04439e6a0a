"""The HTML page in headless Chromium with every network request blocked (marker ``browser``).

One Chromium serves the whole module. Each page is opened from disk (file://); the tests read the
graph back through ``window.network``, check the console and the network log, and hover a
tooltip built from a hostile article. Needs ``chromium`` and ``chromium-driver``
(scripts/install_browser.sh) and Selenium (test extras).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest
from conftest import HOSTILE_ARTICLE, OW_TRIBE
from test_viz import random_network

from graph.network import to_networkx
from graph.viz import write_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]

if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which("chromedriver"):
    pytest.skip("chromium/chromedriver missing: run scripts/install_browser.sh", allow_module_level=True)


def _load_screenshot_module():
    """scripts/screenshot.py holds the one browser set-up shared with the README screenshot."""
    spec = importlib.util.spec_from_file_location("ckg_screenshot", ROOT / "scripts" / "screenshot.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shot = _load_screenshot_module()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    browser = shot.chromium_driver(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.quit()


def open_page(driver, G: nx.MultiDiGraph, path: Path, timeout: float = 30.0) -> dict:
    """Write and open the page, wait for a stable layout; return what the browser logged meanwhile."""
    write_html(G, path)
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get_log("performance")
    driver.get(path.as_uri())
    seconds = shot.wait_until_stable(driver, timeout)
    console = driver.get_log("browser")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("file:", "data:")):
                requests.append(url)
    return {"console": console, "requests": requests, "seconds": seconds}


def counts(driver) -> tuple[int, int]:
    shown = "return [network.body.data.nodes.length, network.body.data.edges.length];"
    return tuple(driver.execute_script(shown))


def test_page_shows_the_graph_offline(driver, kg, tmp_path):
    G = to_networkx(kg)
    logs = open_page(driver, G, tmp_path / "graph.html")
    assert counts(driver) == (G.number_of_nodes(), G.number_of_edges())
    assert sorted(driver.execute_script("return window.nodes.getIds();")) == sorted(G.nodes)
    assert [e for e in logs["console"] if e["level"] == "SEVERE"] == []
    assert logs["requests"] == []
    # physics is off once stable, and something was drawn on the canvas
    assert driver.execute_script("return network.physics.physicsEnabled;") is False
    assert driver.execute_script("return document.querySelector('#ckg-graph canvas').width;") > 100
    legend = driver.execute_script("return document.getElementById('ckg-types').textContent;")
    assert "state" in legend and "armed forces" in legend


def test_filters_and_search(driver, kg, tmp_path):
    G = to_networkx(kg)
    open_page(driver, G, tmp_path / "graph.html")
    attacked = sum(1 for _, _, k in G.edges(keys=True) if k == "attacked")
    driver.find_element("css selector", "#ckg-kinds input[value=attacked]").click()
    others = {n for u, v, k in G.edges(keys=True) if k != "attacked" for n in (u, v)}
    assert counts(driver) == (len(others), G.number_of_edges() - attacked)
    driver.find_element("id", "ckg-reset").click()
    assert counts(driver) == (G.number_of_nodes(), G.number_of_edges())
    driver.execute_script(
        "var f = document.getElementById('ckg-from'); f.value = '2020-03-04';"
        "f.dispatchEvent(new Event('change'));"
    )
    dated = [(u, v) for u, v, d in G.edges(data="dates") if any(x >= "2020-03-04" for x in d)]
    assert counts(driver) == (len({n for e in dated for n in e}), len(dated))
    driver.find_element("id", "ckg-reset").click()
    driver.execute_script("ckgSearch('turkish armed')")
    assert driver.execute_script("return network.getSelectedNodes();") == ["tur_armed_forces"]
    driver.execute_script("ckgSearch('Atlantis')")
    assert "No actor matches" in driver.find_element("id", "ckg-search-status").text


def test_timeline_strip_filters_by_date(driver, kg, tmp_path):
    G = to_networkx(kg)
    open_page(driver, G, tmp_path / "graph.html")
    bars = driver.find_elements("css selector", "#ckg-timeline .ckg-bar")
    import datetime as dt

    dated = sorted({d for _, _, ds in G.edges(data="dates") for d in ds})
    first, last = dt.date.fromisoformat(dated[0]), dt.date.fromisoformat(dated[-1])
    days = [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    assert [b.get_attribute("data-from") for b in bars] == days  # one bar per day, first to last
    bars[days.index("2020-03-02")].click()
    on_day = [(u, v) for u, v, d in G.edges(data="dates") if "2020-03-02" in d]
    assert counts(driver) == (len({n for e in on_day for n in e}), len(on_day))
    assert driver.find_element("id", "ckg-from").get_attribute("value") == "2020-03-02"
    assert "ckg-on" in bars[days.index("2020-03-02")].get_attribute("class")
    bars[days.index("2020-03-02")].click()  # again: everything
    assert counts(driver) == (G.number_of_nodes(), G.number_of_edges())


def test_tooltip_shows_the_place(driver, kg, tmp_path):
    G = to_networkx(kg)
    u, v, k = next(iter(G.edges(keys=True)))
    G.edges[u, v, k]["evidence"][0]["place"] = "Saraqib"
    open_page(driver, G, tmp_path / "graph.html")
    text = driver.execute_script(
        "var u = arguments[0], v = arguments[1];"
        "var e = window.edges.get().filter(function (x) { return x.from === u && x.to === v; })[0];"
        "return e.title.textContent;",
        u,
        v,
    )
    assert "Saraqib" in text


def test_hostile_article_stays_text(driver, hostile_kg, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    G = to_networkx(hostile_kg)
    logs = open_page(driver, G, tmp_path / "hostile.html")
    assert logs["requests"] == []
    # hover the middle of the attacked edge so vis-network shows its tooltip, as for a user
    x, y, w, h = driver.execute_script(
        "var e = edges.get({filter: function (e) { return e.color.color === '#d62728'; }})[0];"
        "var p = network.getPositions([e.from, e.to]);"
        "var mid = network.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});"
        "var r = document.querySelector('#ckg-graph canvas').getBoundingClientRect();"
        "return [mid.x, mid.y, r.width, r.height];"
    )
    canvas = driver.find_element("css selector", "#ckg-graph canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).perform()
    tip = None
    for _ in range(60):
        tip = driver.execute_script(
            "var t = document.querySelector('div.vis-tooltip');"
            "return t && t.style.visibility !== 'hidden' && t.textContent ? t.textContent : null;"
        )
        if tip:
            break
        time.sleep(0.05)
    assert tip is not None, "the edge tooltip did not open"
    assert "<script>window.__pwned=1</script>" in tip
    assert '<img src=x onerror="window.__pwned=2">' in tip
    assert "javascript:alert(1)" in tip and HOSTILE_ARTICLE in tip
    assert driver.execute_script("return typeof window.__pwned;") == "undefined"
    assert driver.execute_script("return document.querySelectorAll('img[src=x]').length;") == 0
    live = "div.vis-tooltip script, div.vis-tooltip a, div.vis-tooltip img"
    assert driver.execute_script(f"return document.querySelectorAll('{live}').length;") == 0
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def hover_tooltip(driver, js_point: str) -> str | None:
    """Move the mouse to the canvas point ``js_point`` computes; return the tooltip text once shown."""
    from selenium.webdriver.common.action_chains import ActionChains

    x, y, w, h = driver.execute_script(
        f"var mid = network.canvasToDOM({js_point});"
        "var r = document.querySelector('#ckg-graph canvas').getBoundingClientRect();"
        "return [mid.x, mid.y, r.width, r.height];"
    )
    canvas = driver.find_element("css selector", "#ckg-graph canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).perform()
    for _ in range(60):
        tip = driver.execute_script(
            "var t = document.querySelector('div.vis-tooltip');"
            "return t && t.style.visibility !== 'hidden' && t.textContent ? t.textContent : null;"
        )
        if tip:
            return tip
        time.sleep(0.05)
    return None


def test_open_world_actors_are_marked(driver, open_kg, tmp_path):
    G = to_networkx(open_kg)
    logs = open_page(driver, G, tmp_path / "open.html")
    assert [e for e in logs["console"] if e["level"] == "SEVERE"] == []  # vis accepted the options
    assert counts(driver) == (G.number_of_nodes(), G.number_of_edges())
    drawn = driver.execute_script(
        f"var n = network.body.nodes['{OW_TRIBE}'].options;"
        "return [n.shape, n.shapeProperties.borderDashes, n.borderWidth];"
    )
    assert drawn[0] == "diamond" and drawn[1] and drawn[2] == 2
    assert driver.execute_script("return network.body.nodes['tur'].options.shape;") == "dot"
    legend = driver.execute_script("return document.getElementById('ckg-types').textContent;")
    assert "not in the gazetteer (open-world)" in legend and "communal group" in legend
    tip = hover_tooltip(driver, f"network.getPositions(['{OW_TRIBE}'])['{OW_TRIBE}']")
    assert tip is not None, "the node tooltip did not open"
    assert "local tribesmen" in tip and "not in the gazetteer (open-world)" in tip
    linked_tip = hover_tooltip(driver, "network.getPositions(['tur'])['tur']")
    assert linked_tip is not None and "Turkey" in linked_tip and "open-world" not in linked_tip


def test_two_thousand_nodes_render(driver, tmp_path):
    G = random_network(2000)
    logs = open_page(driver, G, tmp_path / "big.html", timeout=30.0)
    assert counts(driver) == (2000, G.number_of_edges())
    assert driver.execute_script("return network.physics.physicsEnabled;") is False
    assert [e for e in logs["console"] if e["level"] == "SEVERE"] == []
    assert logs["requests"] == []


def test_seeds_page_and_screenshot(driver, seeds_out, seeds_graph, tmp_path):
    """The page `conflictkg build` wrote for the seeds holds the projected graph and can be pictured."""
    G = to_networkx(seeds_graph)
    page = seeds_out / "graph.html"
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(page.as_uri())
    shot.wait_until_stable(driver)
    assert counts(driver) == (G.number_of_nodes(), G.number_of_edges())
    assert "tur" in driver.execute_script("return window.nodes.getIds();")
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    png = write_seeds_screenshot(seeds_out / "graph.ttl", tmp_path / "seeds.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def write_seeds_screenshot(graph_file: Path, png: Path = ROOT / "docs" / "img" / "seeds-graph.png") -> Path:
    """Render a built seeds graph (``out/graph.ttl``) to HTML and screenshot it for the README."""
    import tempfile

    from graph.rdf import read_graph

    G = to_networkx(read_graph(graph_file), rollup=False)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "seeds.html"
        write_html(G, page, title="conflictkg · seeds")
        return shot.screenshot(page, png)
