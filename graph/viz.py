"""Viz stage: one self-contained, offline HTML page from the actor network.

In: the ``nx.MultiDiGraph`` from :func:`graph.network.to_networkx`. Out: an HTML string with
vis-network's JavaScript and CSS inlined (taken from the installed pyvis package), the graph as a
JSON block, and our own page script (``graph/assets/app.js``) for tooltips, filters and search.

This is the only module that imports pyvis, and only inside :func:`to_html`: pyvis builds the vis
node and edge items, we render the page ourselves. pyvis' ``show()``/``write_html()`` are never
called (they write a ``lib/`` folder into the working directory and load Bootstrap from a CDN), nor
``from_nx`` (it mutates the caller's attribute dicts), nor its string tooltips (vis renders them as
HTML, and article text is untrusted).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import logging
import math
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import OutputError
from graph.io import write_atomic

__all__ = ["LAYOUT_THRESHOLD", "MAX_EVIDENCE", "MAX_NODES", "to_html", "write_html"]

log = logging.getLogger(__name__)

#: Above this many nodes the layout is computed in Python and physics stays off in the browser.
LAYOUT_THRESHOLD = 150
#: Evidence sentences kept per edge in the page (the weight still counts them all).
MAX_EVIDENCE = 20
#: Larger graphs keep only their most connected actors, so the page stays responsive.
MAX_NODES = 2500

_LAYOUT_SEED = 7
_ASSETS = Path(__file__).resolve().parent / "assets"
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


def to_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "conflictkg",
    max_nodes: int = MAX_NODES,
    max_evidence: int = MAX_EVIDENCE,
) -> str:
    """Render the network as one HTML page that works offline.

    Nodes are coloured by actor type and sized by the statements they take part in; edges are
    coloured by relation kind, with tooltips listing evidence sentences, article and date. Small
    graphs lay themselves out with physics, which stops once stable; above
    :data:`LAYOUT_THRESHOLD` nodes positions are computed here (seeded) and physics stays off.

    Open-world actors (node attribute ``linked`` False: found in the text, in no gazetteer row) are
    diamonds with a dashed border around their type colour, so a reader does not take them for
    known actors; the legend and their tooltips say so.

    Args:
        G: The actor network.
        title: Page title and heading (escaped).
        max_nodes: Keep at most this many actors, the most connected first.
        max_evidence: Evidence sentences shown per edge.

    Returns:
        The page; the same graph always gives the same bytes.
    """
    style = _load_style()
    G = _cap(G, max_nodes)
    big = G.number_of_nodes() > LAYOUT_THRESHOLD
    positions = _layout(G) if big else {}
    nodes, edges, node_meta, edge_meta = _items(G, style, positions, max_evidence)
    data = {
        "title": title,
        "physics": not big,
        "nodes": nodes,
        "edges": edges,
        "nodeMeta": node_meta,
        "edgeMeta": edge_meta,
        "kinds": _kinds(G, style),
        "types": _types(G, style),
        "unlinked": sum(1 for _, linked in G.nodes(data="linked", default=True) if not linked),
        "dateRange": _date_range(G),
        "timeline": _timeline(G),
        "options": _options(G.number_of_nodes(), big),
    }
    vis_js, vis_css = _vis_assets()
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": _inline(vis_css, "</style"),
        "PAGE_CSS": _inline(_asset("page.css"), "</style"),
        "VIS_JS": _inline(vis_js, "</script"),
        "APP_JS": _inline(_asset("app.js"), "</script"),
        "DATA": _script_json(data),
    }
    # One pass over the template only: text substituted in is never scanned for placeholders again.
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("page.html"))


def write_html(G: nx.MultiDiGraph, path: Path, *, title: str = "conflictkg") -> None:
    """Write :func:`to_html` to ``path`` atomically.

    Raises:
        OutputError: If the file cannot be written.
    """
    page = to_html(G, title=title)
    try:
        write_atomic(Path(path), page)
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {exc.strerror or exc}; check the folder is writable"
        ) from exc


# --- page data ------------------------------------------------------------------------------------


def _items(
    G: nx.MultiDiGraph, style: dict[str, Any], positions: dict[str, tuple[float, float]], max_evidence: int
) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """vis items (built by pyvis) and the metadata our page script turns into tooltips."""
    from pyvis.network import Network  # heavy (imports IPython): only when a page is made

    net = Network(directed=True)
    first = _date_range(G)
    day0 = dt.date.fromisoformat(first[0]).toordinal() if first else 0
    node_meta = []
    for n in sorted(G.nodes):
        d = G.nodes[n]
        kind = str(d.get("type") or "other")
        statements = int(G.degree(n, weight="weight"))
        extra = {}
        if n in positions:
            extra = {"x": positions[n][0], "y": positions[n][1]}
        color = style["node_colors"].get(kind, style["default_node_color"])
        linked = bool(d.get("linked", True))
        if not linked:
            color, look = _unlinked_look(color, style["unlinked"])
            extra.update(look)
        net.add_node(str(n), label=str(d.get("label") or n), color=color, value=max(statements, 1), **extra)
        node_meta.append(
            {"id": str(n), "label": str(d.get("label") or n), "type": kind, "country": d.get("country"),
             "statements": statements, "linked": linked}
        )  # fmt: skip
    edge_meta = []
    ordered = sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    siblings: dict[frozenset[str], int] = {}
    for u, v, _, _ in ordered:
        pair = frozenset((str(u), str(v)))
        siblings[pair] = siblings.get(pair, 0) + 1
    seen: dict[frozenset[str], int] = {}
    for i, (u, v, key, d) in enumerate(ordered):
        kind = str(d.get("kind", key))
        eid = f"e{i}"
        arrows = {"to": {"enabled": not d.get("symmetric", False)}}
        color = style["edge_colors"].get(kind, style["default_edge_color"])
        extra: dict[str, Any] = {}
        pair = frozenset((str(u), str(v)))
        if siblings[pair] > 1:
            # Parallel edges would hide each other when straight; a static curve per edge keeps
            # them apart without the physics support node that "dynamic" smoothing adds.
            seen[pair] = seen.get(pair, 0) + 1
            extra["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 * seen[pair], 2)}
        net.add_edge(
            str(u), str(v), id=eid, value=int(d.get("weight", 1)), arrows=arrows,
            color={"color": color, "highlight": color, "hover": color}, **extra,
        )  # fmt: skip
        evidence = list(d.get("evidence") or ())
        edge_meta.append(
            {
                "id": eid,
                "from": str(u),
                "to": str(v),
                "kind": kind,
                "weight": int(d.get("weight", 1)),
                "days": _day_bits(d.get("dates") or (), day0),
                "evidence": [_evidence(e) for e in evidence[:max_evidence]],
                "more": max(0, int(d.get("weight", len(evidence))) - min(len(evidence), max_evidence)),
            }
        )
    return net.nodes, net.edges, node_meta, edge_meta


def _evidence(e: dict) -> dict[str, Any]:
    """One evidence entry of a tooltip: sentence, article, date, and the place when there is one."""
    entry = {"sentence": str(e.get("sentence") or ""), "article": e.get("article"), "date": e.get("date")}
    if e.get("place"):
        entry["place"] = str(e["place"])
    return entry


def _unlinked_look(color: str, look: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The vis colour and options that set an open-world actor apart, its type colour kept inside."""
    border = look["border_color"]
    fill = {"background": color, "border": border}
    options = {
        "shape": look["shape"],
        "borderWidth": look["border_width"],
        "shapeProperties": {"borderDashes": list(look["border_dashes"])},
    }
    return {**fill, "highlight": dict(fill), "hover": dict(fill)}, options


def _kinds(G: nx.MultiDiGraph, style: dict[str, Any]) -> list[dict]:
    counts: dict[str, int] = {}
    for _, _, key, kind in G.edges(keys=True, data="kind"):
        k = str(kind or key)
        counts[k] = counts.get(k, 0) + 1
    order = list(style["edge_colors"])
    ranked = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [
        {"kind": k, "count": counts[k], "color": style["edge_colors"].get(k, style["default_edge_color"])}
        for k in ranked
    ]


def _types(G: nx.MultiDiGraph, style: dict[str, Any]) -> list[dict]:
    counts: dict[str, int] = {}
    for _, kind in G.nodes(data="type"):
        counts[str(kind or "other")] = counts.get(str(kind or "other"), 0) + 1
    order = list(style["node_colors"])
    ranked = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [
        {"type": t, "count": counts[t], "color": style["node_colors"].get(t, style["default_node_color"])}
        for t in ranked
    ]


def _day_bits(dates: Iterable[str], day0: int) -> str:
    """An edge's dates for the page: a bit set over days since the first date of the graph, base64
    (bit i of byte i // 8 is day0 + i). A few bytes per edge however many dates it has, where a
    list of dates would make the page, and the memory that writes it, grow with the statements."""
    mask = 0
    for d in dates:
        mask |= 1 << (dt.date.fromisoformat(d).toordinal() - day0)
    return base64.b64encode(mask.to_bytes((mask.bit_length() + 7) // 8, "little")).decode("ascii")


def _date_range(G: nx.MultiDiGraph) -> list[str] | None:
    ends = [d for _, _, ds in G.edges(data="dates") if ds for d in (min(ds), max(ds))]
    return [min(ends), max(ends)] if ends else None


def _timeline(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Relations per day (per month when the dates span more than three months), for the strip
    under the graph: one bar per day or month from the first date to the last, each a date range
    the page filters the graph to. A relation counts once on each of its dates."""
    per_day: dict[str, int] = {}
    for _, _, ds in G.edges(data="dates"):
        for d in ds or ():
            per_day[d] = per_day.get(d, 0) + 1
    if not per_day:
        return {"unit": "day", "bars": []}
    first, last = dt.date.fromisoformat(min(per_day)), dt.date.fromisoformat(max(per_day))
    unit = "day" if (last - first).days <= 92 else "month"
    counts: dict[str, int] = {}
    for d, n in per_day.items():
        key = d if unit == "day" else d[:7]
        counts[key] = counts.get(key, 0) + n
    bars = []
    day = first if unit == "day" else first.replace(day=1)
    while day <= last:
        if unit == "day":
            key, start, end, day = (
                day.isoformat(),
                day.isoformat(),
                day.isoformat(),
                day + dt.timedelta(days=1),
            )
        else:
            following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
            key, start = day.isoformat()[:7], day.isoformat()
            end, day = (following - dt.timedelta(days=1)).isoformat(), following
        bars.append({"label": key, "from": start, "to": end, "count": counts.get(key, 0)})
    return {"unit": unit, "bars": bars}


def _options(n: int, big: bool) -> dict[str, Any]:
    """vis-network options. Straight edges: smooth ones add a hidden physics node per edge."""
    physics: dict[str, Any] = {"enabled": False}
    if not big:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 130, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
            "minVelocity": 0.75,
        }
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            # big graphs: labels appear as one zooms in, except on the biggest actors
            "scaling": {
                "min": 8,
                "max": 36,
                "label": {"enabled": True, "min": 12, "max": 24, "drawThreshold": 9 if big else 6},
            },
        },
        "edges": {
            "smooth": False,
            "selectionWidth": 2,
            "scaling": {"min": 1, "max": 4 if big else 8},
            "arrows": {"to": {"scaleFactor": 0.6}},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "navigationButtons": False,
        },
        # improvedLayout runs Kamada-Kawai in the browser: fine for a handful of nodes, slow beyond.
        "layout": {"randomSeed": _LAYOUT_SEED, "improvedLayout": n <= 100},
        "physics": physics,
    }


def _layout(G: nx.MultiDiGraph, iterations: int = 80) -> dict[str, tuple[float, float]]:
    """Deterministic positions in pixels for big graphs: Fruchterman-Reingold with a cut-off.

    ``nx.spring_layout`` computes every pairwise repulsion (tens of seconds at 2,000 nodes on a
    small machine); like the grid variant of Fruchterman and Reingold (1991), only nodes closer than
    ``2k`` repel here, found with a k-d tree, and a weak pull to the centre keeps components together.
    """
    import numpy as np
    from scipy.spatial import cKDTree

    nodes = sorted(G.nodes, key=str)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    pairs = sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v})
    edges = np.array(pairs, dtype=np.intp).reshape(-1, 2)
    rng = np.random.default_rng(_LAYOUT_SEED)
    side = math.sqrt(n)  # one node per unit square, so the ideal edge length k is 1
    pos = rng.random((n, 2)) * side
    k, step = 1.0, side / 8
    for _ in range(iterations):
        disp = -0.02 * (pos - pos.mean(axis=0))
        close = cKDTree(pos).query_pairs(2 * k, output_type="ndarray")
        if len(close):
            d = pos[close[:, 0]] - pos[close[:, 1]]
            dist2 = np.maximum((d * d).sum(axis=1), 1e-4)
            push = d * (10 * k * k / dist2)[:, None]  # stronger than FR: the cut-off drops far pushes
            np.add.at(disp, close[:, 0], push)
            np.add.at(disp, close[:, 1], -push)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = d * (np.sqrt((d * d).sum(axis=1)) / k)[:, None]
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, step) / length)[:, None]
        step = max(step * 0.94, 0.02)
    pos = (pos - pos.mean(axis=0)) * 70.0  # k = 70 px between linked nodes
    return {str(v): (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, pos, strict=True)}


def _cap(G: nx.MultiDiGraph, max_nodes: int) -> nx.MultiDiGraph:
    if G.number_of_nodes() <= max_nodes:
        return G
    strength = dict(G.degree(weight="weight"))
    keep = sorted(G.nodes, key=lambda n: (-strength[n], str(n)))[:max_nodes]
    log.warning("the page shows the %d most connected of %d actors", max_nodes, G.number_of_nodes())
    return G.subgraph(keep)


# --- assets and escaping --------------------------------------------------------------------------


def _script_json(data: object) -> str:
    """JSON safe inside a <script> element: no ``</script>``, no ``<!--``, no raw U+2028/U+2029."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(raw, escaped)
    return text


def _inline(code: str, closer: str) -> str:
    """Make a library's JS or CSS safe to inline: no closing tag inside, no source-map fetch."""
    code = re.sub(r"^\s*//# sourceMappingURL=.*$|/\*# sourceMappingURL=.*?\*/", "", code, flags=re.MULTILINE)
    return re.sub(re.escape(closer), closer[:1] + "\\" + closer[1:], code, flags=re.IGNORECASE)


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _load_style() -> dict[str, Any]:
    return json.loads(_asset("style.json"))


def _vis_assets() -> tuple[str, str]:
    """vis-network's minified JS and CSS as shipped inside the installed pyvis package."""
    lib = resources.files("pyvis").joinpath("lib")
    versions = sorted(
        (
            p
            for p in lib.iterdir()
            if p.name.startswith("vis-") and p.joinpath("vis-network.min.js").is_file()
        ),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)),
    )
    if not versions:
        raise OutputError(
            "pyvis is installed without vis-network (pyvis/lib/vis-*/); run: pip install pyvis==0.3.2"
        )
    newest = versions[-1]
    js = newest.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = newest.joinpath("vis-network.css").read_text(encoding="utf-8")
    return js, css
