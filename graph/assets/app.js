/* conflictkg page script: builds the vis-network graph from the JSON block, tooltips, filters, search.
 *
 * Article text is untrusted. Every string from the data reaches the DOM through textContent (never an
 * HTML-parsing property), and tooltips are passed to vis-network as DOM Elements, which it appends as they are.
 * window.network, window.nodes and window.edges are exposed for tests and for the browser console.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("ckg-data").textContent);
  var byId = function (id) { return document.getElementById(id); };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function words(value) { return String(value).replace(/_/g, " "); }

  var OPEN_WORLD = "not in the gazetteer (open-world)";

  var nodeMeta = {};
  var edgeMeta = {};
  data.nodeMeta.forEach(function (m) { nodeMeta[m.id] = m; });
  // An edge's dates arrive as a bit set over days since the graph's first date (base64).
  var dayZero = data.dateRange ? Date.parse(data.dateRange[0] + "T00:00:00Z") : 0;
  function dayIndex(iso) { return Math.round((Date.parse(iso + "T00:00:00Z") - dayZero) / 86400000); }
  function dayBits(text) {
    var raw = atob(text || "");
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function hasDayIn(bytes, lo, hi) {
    for (var d = Math.max(lo, 0); d <= Math.min(hi, bytes.length * 8 - 1); d++) {
      if (bytes[d >> 3] & (1 << (d & 7))) { return true; }
    }
    return false;
  }
  data.edgeMeta.forEach(function (m) {
    m.days = dayBits(m.days);
    edgeMeta[m.id] = m;
  });
  function labelOf(id) { return nodeMeta[id] ? nodeMeta[id].label : String(id); }

  function nodeTip(m) {
    var box = el("div", "ckg-tip");
    box.appendChild(el("div", "ckg-tip-head", m.label));
    var facts = [words(m.type)];
    if (m.country) { facts.push(m.country); }
    facts.push(m.statements + " statement(s)");
    box.appendChild(el("div", "ckg-src", facts.join(" · ")));
    if (m.linked === false) {
      box.appendChild(el("div", "ckg-src ckg-open-note", OPEN_WORLD + ": known only from the text"));
    }
    return box;
  }

  function edgeTip(m) {
    var box = el("div", "ckg-tip");
    box.appendChild(el("div", "ckg-tip-head",
      labelOf(m.from) + " " + words(m.kind) + " " + labelOf(m.to) + " (" + m.weight + ")"));
    var list = el("ul");
    m.evidence.forEach(function (ev) {
      var item = el("li");
      item.appendChild(el("div", "ckg-sentence", ev.sentence));
      var where = [ev.article, ev.date, ev.place].filter(function (x) { return x; }).join(" · ");
      if (where) { item.appendChild(el("div", "ckg-src", where)); }
      list.appendChild(item);
    });
    box.appendChild(list);
    if (m.more > 0) { box.appendChild(el("div", "ckg-src", "… and " + m.more + " more statement(s)")); }
    return box;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: nodeTip(nodeMeta[n.id]) });
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTip(edgeMeta[e.id]) });
  }));

  // --- filters: relation kinds and a date range; nodes follow the edges left visible ---
  var allKinds = data.kinds.map(function (k) { return k.kind; });
  var state = { kinds: new Set(allKinds), from: "", to: "" };
  var shownNodes = null; // null: every node

  function filtering() { return state.kinds.size !== allKinds.length || state.from || state.to; }

  function edgeShown(e) {
    var m = edgeMeta[e.id];
    if (!state.kinds.has(m.kind)) { return false; }
    if (!state.from && !state.to) { return true; }
    var lo = state.from ? dayIndex(state.from) : 0;
    var hi = state.to ? dayIndex(state.to) : m.days.length * 8 - 1;
    return hasDayIn(m.days, lo, hi);
  }

  var edgesView = new vis.DataView(edges, { filter: edgeShown });
  var nodesView = new vis.DataView(nodes, {
    filter: function (n) { return shownNodes === null || shownNodes.has(n.id); }
  });

  function showStats() {
    byId("ckg-stats").textContent = nodesView.length + " of " + nodes.length + " actors, " +
      edgesView.length + " of " + edges.length + " relations";
  }

  function applyFilters() {
    edgesView.refresh();
    if (filtering()) {
      shownNodes = new Set();
      edgesView.forEach(function (e) { shownNodes.add(e.from); shownNodes.add(e.to); });
    } else {
      shownNodes = null;
    }
    nodesView.refresh();
    showStats();
  }

  var kindBox = byId("ckg-kinds");
  data.kinds.forEach(function (k) {
    var row = el("label", "ckg-kind");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = k.kind;
    box.addEventListener("change", function () {
      if (box.checked) { state.kinds.add(k.kind); } else { state.kinds.delete(k.kind); }
      applyFilters();
    });
    var line = el("span", "ckg-line");
    line.style.background = k.color;
    row.appendChild(box);
    row.appendChild(line);
    row.appendChild(el("span", null, words(k.kind)));
    row.appendChild(el("span", "ckg-count", k.count));
    kindBox.appendChild(row);
  });

  var typeList = byId("ckg-types");
  data.types.forEach(function (t) {
    var item = el("li");
    var dot = el("span", "ckg-swatch");
    dot.style.background = t.color;
    item.appendChild(dot);
    item.appendChild(el("span", null, words(t.type)));
    item.appendChild(el("span", "ckg-count", t.count));
    typeList.appendChild(item);
  });
  if (data.unlinked > 0) {
    var open = el("li", "ckg-open-legend");
    open.appendChild(el("span", "ckg-swatch ckg-open"));
    open.appendChild(el("span", null, OPEN_WORLD));
    open.appendChild(el("span", "ckg-count", data.unlinked));
    typeList.appendChild(open);
  }

  var fromBox = byId("ckg-from");
  var toBox = byId("ckg-to");
  [fromBox, toBox].forEach(function (input) {
    if (data.dateRange) { input.min = data.dateRange[0]; input.max = data.dateRange[1]; }
    input.addEventListener("change", function () {
      state.from = fromBox.value;
      state.to = toBox.value;
      applyFilters();
    });
  });

  // --- the timeline strip: one bar per day (or month); a click filters the graph to its dates ---
  var bars = byId("ckg-bars");
  var timeline = data.timeline || { unit: "day", bars: [] };
  var most = timeline.bars.reduce(function (m, b) { return Math.max(m, b.count); }, 1);
  function markBars() {
    bars.querySelectorAll(".ckg-bar").forEach(function (bar) {
      var on = state.from === bar.dataset.from && state.to === bar.dataset.to;
      bar.classList.toggle("ckg-on", on);
      bar.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  timeline.bars.forEach(function (b) {
    var bar = el("button", "ckg-bar");
    bar.type = "button";
    bar.dataset.from = b.from;
    bar.dataset.to = b.to;
    bar.style.height = (b.count ? Math.max(6, Math.round(100 * b.count / most)) : 2) + "%";
    bar.title = b.label + ": " + b.count + " relation(s)";
    bar.setAttribute("aria-label", bar.title);
    bar.addEventListener("click", function () {
      var again = state.from === b.from && state.to === b.to;
      state.from = fromBox.value = again ? "" : b.from;
      state.to = toBox.value = again ? "" : b.to;
      applyFilters();
      markBars();
    });
    bars.appendChild(bar);
  });
  byId("ckg-timeline-note").textContent = timeline.bars.length ?
    "relations per " + timeline.unit + ", " + timeline.bars[0].label + " to " +
    timeline.bars[timeline.bars.length - 1].label + "; click a bar to show only its dates, again to show all" :
    "no dated relations";
  [fromBox, toBox].forEach(function (input) { input.addEventListener("change", markBars); });
  window.ckgTimeline = bars;

  byId("ckg-reset").addEventListener("click", function () {
    state.kinds = new Set(allKinds);
    state.from = state.to = fromBox.value = toBox.value = "";
    kindBox.querySelectorAll("input").forEach(function (box) { box.checked = true; });
    applyFilters();
    markBars();
  });

  // --- the network ---
  var network = new vis.Network(byId("ckg-graph"), { nodes: nodesView, edges: edgesView }, data.options);
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;
  window.ckgStable = false;

  function markStable() {
    if (!window.ckgStable) {
      window.ckgStable = true;
      window.ckgStableMs = performance.now();
    }
  }
  if (data.physics) {
    // Stop the simulation once the layout settled: a running physics loop keeps big graphs sluggish.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      markStable();
    });
  } else {
    network.once("afterDrawing", markStable);
  }

  // --- search ---
  var actors = byId("ckg-actors");
  data.nodeMeta.slice().sort(function (a, b) { return a.label.localeCompare(b.label); }).forEach(function (m) {
    var option = el("option");
    option.value = m.label;
    actors.appendChild(option);
  });

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var exact = data.nodeMeta.filter(function (m) { return m.label.toLowerCase() === q || String(m.id) === q; });
    if (exact.length) { return exact[0].id; }
    var partial = data.nodeMeta.filter(function (m) { return m.label.toLowerCase().indexOf(q) !== -1; });
    return partial.length ? partial[0].id : null;
  }

  function search() {
    var status = byId("ckg-search-status");
    var query = byId("ckg-search").value;
    var id = find(query);
    if (id === null) {
      status.textContent = query.trim() ? "No actor matches “" + query.trim() + "”." : "";
      return;
    }
    if (!nodesView.get(id)) {
      status.textContent = labelOf(id) + " is hidden by the filters.";
      return;
    }
    status.textContent = "";
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300 } });
  }
  byId("ckg-go").addEventListener("click", search);
  byId("ckg-search").addEventListener("keydown", function (event) {
    if (event.key === "Enter") { search(); }
  });
  byId("ckg-search").addEventListener("change", search);
  window.ckgSearch = function (query) { byId("ckg-search").value = query; search(); };

  showStats();
}());
