/* regulink explorer: search, filters, details and highlighting on top of vis-network.
 *
 * Every string from the fact files reaches the page through textContent or a DOM
 * attribute, never through innerHTML: fact text is data, not markup.
 * window.regulink exposes the state for tests and for the curious (read it, do not rely on it).
 */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('regulink-data').textContent);
  var info = data.info, rels = data.rels, sources = data.sources;
  var typeLabel = {};
  data.types.forEach(function (t) { typeLabel[t.name] = t; });
  var jurName = {};
  data.jurisdictions.forEach(function (j) { jurName[j.code] = j.name; });

  var DIM_NODE = { background: '#eceff3', border: '#dde2e8' };
  var DIM_EDGE = '#eef0f3';
  var DIM_FONT = { color: '#c4cad3' };

  // Original looks, restored when a highlight is cleared.
  var baseNode = {}, baseEdge = {};
  data.nodes.forEach(function (n) { baseNode[n.id] = { color: n.color, borderWidth: n.borderWidth || 1 }; });
  data.edges.forEach(function (e) { baseEdge[e.id] = { color: e.color || null, width: e.width || 1 }; });

  // Relations of each entity, from the data: vis-network's own answer names the stand-in
  // edges of collapsed communities instead.
  var incident = {};
  data.edges.forEach(function (e) {
    (incident[e.from] = incident[e.from] || []).push(e.id);
    if (e.to !== e.from) (incident[e.to] = incident[e.to] || []).push(e.id);
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var stage = document.getElementById('graph');
  // Handlers go on before the data: a small graph can stabilise inside setData itself.
  var network = new vis.Network(stage, { nodes: [], edges: [] }, data.options);

  var state = { hiddenNodes: {}, hiddenEdges: {}, highlighted: null };
  var api = window.regulink = {
    data: data, network: network, nodes: nodes, edges: edges, ready: false, readyAt: null,
    visibleCounts: visibleCounts
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function safeLink(url, text) {
    // Defence in depth: Python already keeps only http(s) URLs.
    var a;
    try {
      var u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return el('span', null, text);
    } catch (err) {
      return el('span', null, text);
    }
    a = el('a', null, text);
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  function display(id) {
    var i = info[id];
    return i ? (i.short_name || i.name) : id;
  }

  /* ---------- loading and readiness ---------- */

  var loading = document.getElementById('loading');
  var fill = document.getElementById('loading-fill');

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyAt = performance.now();
    loading.hidden = true;
    document.body.setAttribute('data-ready', 'true');
  }

  if (data.physics && data.nodes.length > 1) {
    network.on('stabilizationProgress', function (p) {
      fill.style.width = Math.round(100 * p.iterations / p.total) + '%';
    });
    network.once('stabilizationIterationsDone', function () {
      // Calm from here on: nodes stay where the layout put them, unless dragged.
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      markReady();
    });
  } else {
    network.once('afterDrawing', markReady);
  }
  network.setData({ nodes: nodes, edges: edges });
  if (data.nodes.length === 0) markReady();

  /* ---------- header, legend ---------- */

  document.getElementById('page-description').textContent = data.description || '';

  function visibleCounts() {
    var n = 0, e = 0;
    nodes.forEach(function (x) { if (!state.hiddenNodes[x.id]) n++; });
    edges.forEach(function (x) { if (!state.hiddenEdges[x.id]) e++; });
    return { nodes: n, edges: e, totalNodes: data.nodes.length, totalEdges: data.edges.length };
  }

  function showCounts() {
    var c = visibleCounts();
    var counts = document.getElementById('counts');
    counts.textContent = c.nodes + ' of ' + c.totalNodes + ' entities, ' + c.edges + ' of ' +
      c.totalEdges + ' relations';
    counts.setAttribute('data-nodes', c.nodes);
    counts.setAttribute('data-edges', c.edges);
  }

  (function legend() {
    var box = document.getElementById('legend');
    var lg = data.legend;
    box.appendChild(el('h2', null, 'Colour: ' + lg.color_by));
    var list = el('ul', 'legend-list');
    lg.colours.forEach(function (entry) {
      var li = el('li');
      var dot = el('span', 'dot');
      dot.style.background = entry.color;
      li.appendChild(dot);
      li.appendChild(el('span', null, entry.label + ' (' + entry.count + ')'));
      list.appendChild(li);
    });
    box.appendChild(list);
    var size = lg.size;
    box.appendChild(el('h2', null, 'Size: ' + size.by));
    box.appendChild(el('p', 'hint', 'area grows with ' + size.by + ', ' + fmt(size.min) +
      ' to ' + fmt(size.max)));
    if (data.path.nodes.length) {
      var p = el('p', 'path-note', 'Red: the path ' + data.path.nodes.map(display).join(' → '));
      box.appendChild(p);
    }
  })();

  function fmt(x) {
    if (typeof x !== 'number') return String(x);
    return Number.isInteger(x) ? String(x) : x.toPrecision(3);
  }

  /* ---------- filters ---------- */

  function checkList(containerId, group, items) {
    var box = document.getElementById(containerId);
    items.forEach(function (it) {
      var label = el('label', 'check');
      var input = el('input');
      input.type = 'checkbox';
      input.checked = true;
      input.value = it.value;
      input.setAttribute('data-group', group);
      input.addEventListener('change', applyFilters);
      label.appendChild(input);
      label.appendChild(el('span', null, it.text));
      box.appendChild(label);
    });
  }
  checkList('filter-kind', 'kind', data.kinds.map(function (k) { return { value: k.name, text: k.label }; }));
  checkList('filter-type', 'type', data.types.map(function (t) { return { value: t.name, text: t.label }; }));
  checkList('filter-jurisdiction', 'jurisdiction', data.jurisdictions.map(function (j) {
    return { value: j.code, text: j.code + ' · ' + j.name };
  }));
  Array.prototype.forEach.call(document.querySelectorAll('button.all-none'), function (b) {
    b.addEventListener('click', function () {
      var boxes = document.querySelectorAll('input[data-group="' + b.getAttribute('data-group') + '"]');
      var anyOff = Array.prototype.some.call(boxes, function (x) { return !x.checked; });
      Array.prototype.forEach.call(boxes, function (x) { x.checked = anyOff; });
      applyFilters();
    });
  });

  var dateFrom = document.getElementById('date-from');
  var dateTo = document.getElementById('date-to');
  if (data.years) {
    [dateFrom, dateTo].forEach(function (input) {
      input.min = data.years[0];
      input.max = data.years[1];
    });
    dateFrom.placeholder = data.years[0];
    dateTo.placeholder = data.years[1];
  } else {
    dateFrom.disabled = dateTo.disabled = true;
  }
  dateFrom.addEventListener('input', applyFilters);
  dateTo.addEventListener('input', applyFilters);

  function checkedSet(group) {
    var s = {};
    Array.prototype.forEach.call(
      document.querySelectorAll('input[data-group="' + group + '"]'),
      function (x) { if (x.checked) s[x.value] = true; });
    return s;
  }

  function year(input) {
    var v = parseInt(input.value, 10);
    return isNaN(v) ? null : v;
  }

  function applyFilters() {
    var kinds = checkedSet('kind'), types = checkedSet('type'), jurs = checkedSet('jurisdiction');
    var from = year(dateFrom), to = year(dateTo);
    var fromDay = from === null ? null : String(from).padStart(4, '0') + '-01-01';
    var toDay = to === null ? null : String(to).padStart(4, '0') + '-12-31';
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var i = info[n.id];
      var hide = !(kinds[i.kind] && jurs[i.jurisdiction]);
      if (!!state.hiddenNodes[n.id] !== hide) {
        state.hiddenNodes[n.id] = hide;
        nodeUpdates.push({ id: n.id, hidden: hide });
      }
    });
    data.edges.forEach(function (e) {
      var r = rels[e.id];
      var hide = !types[r.type] || state.hiddenNodes[e.from] || state.hiddenNodes[e.to] ||
        (fromDay !== null && r.hi !== null && r.hi < fromDay) ||
        (toDay !== null && r.lo !== null && r.lo > toDay);
      hide = !!hide;
      if (!!state.hiddenEdges[e.id] !== hide) {
        state.hiddenEdges[e.id] = hide;
        edgeUpdates.push({ id: e.id, hidden: hide });
      }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    showCounts();
  }

  document.getElementById('reset').addEventListener('click', function () {
    Array.prototype.forEach.call(document.querySelectorAll('#filters input[type=checkbox]'),
      function (x) { x.checked = true; });
    dateFrom.value = dateTo.value = '';
    applyFilters();
    clearHighlight();
    network.unselectAll();
    showHint();
    network.fit({ animation: false });
  });

  /* ---------- highlighting ---------- */

  // Restyling thousands of items costs seconds in vis-network (every update is re-parsed);
  // above this size a neighbourhood is shown by selecting it, which is instant.
  var DIM_MAX_NODES = 1500;
  var dimmed = {};

  function highlight(id) {
    var keep = {}, near = {};
    keep[id] = true;
    var neighbours = network.getConnectedNodes(id);
    var connected = network.getConnectedEdges(id);
    neighbours.forEach(function (n) { keep[n] = true; });
    connected.forEach(function (e) { near[e] = true; });
    state.highlighted = id;
    if (data.nodes.length > DIM_MAX_NODES) {
      if (api.collapsed) {
        // Only what is drawn can be selected: neighbours inside a collapsed community are
        // represented by their community's node.
        var shownNodes = new Set(network.body.nodeIndices);
        var shownEdges = new Set(network.body.edgeIndices);
        neighbours = neighbours.filter(function (n) { return shownNodes.has(n); });
        connected = connected.filter(function (e) { return shownEdges.has(e); });
      }
      network.setSelection({ nodes: [id].concat(neighbours), edges: connected },
        { highlightEdges: false });
      return;
    }
    // (Dimming only happens below DIM_MAX_NODES, where communities are never collapsed.)
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var dim = !keep[n.id];
      if (!!dimmed[n.id] === dim) return;
      dimmed[n.id] = dim;
      nodeUpdates.push(dim ? { id: n.id, color: DIM_NODE, font: DIM_FONT }
        : { id: n.id, color: baseNode[n.id].color, font: { color: '#1f2933' } });
    });
    data.edges.forEach(function (e) {
      var key = 'e:' + e.id, dim = !near[e.id];
      if (!!dimmed[key] === dim) return;
      dimmed[key] = dim;
      edgeUpdates.push(dim ? { id: e.id, color: DIM_EDGE }
        : { id: e.id, color: baseEdge[e.id].color, width: baseEdge[e.id].width });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    network.selectNodes([id]);
  }

  function clearHighlight() {
    if (state.highlighted === null) return;
    state.highlighted = null;
    if (data.nodes.length > DIM_MAX_NODES) { network.unselectAll(); return; }
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      if (!dimmed[n.id]) return;
      dimmed[n.id] = false;
      nodeUpdates.push({ id: n.id, color: baseNode[n.id].color, font: { color: '#1f2933' } });
    });
    data.edges.forEach(function (e) {
      if (!dimmed['e:' + e.id]) return;
      dimmed['e:' + e.id] = false;
      edgeUpdates.push({ id: e.id, color: baseEdge[e.id].color, width: baseEdge[e.id].width });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  api.isDimmed = function (id) { return !!dimmed[id]; };

  /* ---------- details panel ---------- */

  var panel = document.getElementById('panel');

  function showHint() {
    panel.replaceChildren(el('p', 'hint', 'Click an entity or a relation for details. Click empty space to clear.'));
  }

  function field(dl, term, value) {
    if (value === null || value === undefined || value === '') return;
    dl.appendChild(el('dt', null, term));
    var dd = el('dd');
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }

  function dates(r) {
    if (!r.start && !r.end) return null;
    return (r.start || '…') + ' – ' + (r.end || 'now');
  }

  function entityButton(id) {
    var b = el('button', 'entity-link', display(id));
    b.type = 'button';
    b.title = info[id] ? info[id].name : id;
    b.addEventListener('click', function () { selectNode(id); });
    return b;
  }

  function showNode(id) {
    var i = info[id];
    var box = document.createDocumentFragment();
    box.appendChild(el('h2', 'panel-title', i.name));
    if (state.hiddenNodes[id]) box.appendChild(el('p', 'warn', 'Hidden by the current filters.'));
    var dl = el('dl');
    field(dl, 'abbreviation', i.short_name);
    field(dl, 'kind', i.kind.replace(/_/g, ' '));
    field(dl, 'jurisdiction', i.jurisdiction_name + ' (' + i.jurisdiction + ')');
    field(dl, 'also known as', i.aliases.length ? i.aliases.join(' · ') : null);
    field(dl, data.legend.size.by, fmt(i.measure));
    field(dl, 'id', id);
    if (i.url) field(dl, 'web', safeLink(i.url, i.url));
    box.appendChild(dl);
    if (i.description) box.appendChild(el('p', 'description', i.description));
    var ids = incident[id] || [];
    box.appendChild(el('h3', null, ids.length + ' relation' + (ids.length === 1 ? '' : 's')));
    var list = el('ul', 'relations');
    ids.forEach(function (eid) {
      var e = edges.get(eid), r = rels[eid];
      var forward = e.from === id;
      var t = typeLabel[r.type];
      var li = el('li');
      li.appendChild(el('span', 'reading', (forward || r.symmetric ? t.label : t.inverse) + ' '));
      li.appendChild(entityButton(forward ? e.to : e.from));
      var d = dates(r);
      if (d) li.appendChild(el('span', 'dates', ' ' + d));
      var more = el('button', 'more', 'evidence');
      more.type = 'button';
      more.addEventListener('click', function () { showEdge(eid); });
      li.appendChild(more);
      list.appendChild(li);
    });
    box.appendChild(list);
    panel.replaceChildren(box);
  }

  function sourceList(r) {
    var ul = el('ul', 'sources');
    r.sources.forEach(function (sid) {
      var s = sources[sid];
      var li = el('li');
      if (!s) { li.textContent = sid; ul.appendChild(li); return; }
      li.appendChild(s.url ? safeLink(s.url, s.title) : el('span', null, s.title));
      li.appendChild(el('span', 'source-meta', ' — ' + s.publisher + (s.date ? ', ' + s.date : '') +
        ' (' + s.kind.replace(/_/g, ' ') + ')'));
      ul.appendChild(li);
    });
    return ul;
  }

  function edgeSummary(eid, box) {
    var e = edges.get(eid), r = rels[eid], t = typeLabel[r.type];
    var line = el('p', 'edge-line');
    line.appendChild(entityButton(e.from));
    line.appendChild(el('span', 'reading', ' ' + t.label + ' '));
    line.appendChild(entityButton(e.to));
    box.appendChild(line);
    var dl = el('dl');
    field(dl, 'type', r.type);
    field(dl, 'dates', dates(r));
    field(dl, 'role', r.role);
    field(dl, 'status', r.status);
    box.appendChild(dl);
    if (r.note) box.appendChild(el('p', 'note', r.note));
    box.appendChild(el('h3', null, 'Sources'));
    box.appendChild(sourceList(r));
  }

  function showEdge(eid) {
    var box = document.createDocumentFragment();
    box.appendChild(el('h2', 'panel-title', 'Relation'));
    edgeSummary(eid, box);
    panel.replaceChildren(box);
  }

  function selectNode(id) {
    if (!info[id]) return;
    if (data.clusters.length) reveal(id);
    highlight(id);
    showNode(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), locked: false,
      animation: { duration: 300 } });
    api.selected = id;
  }
  api.selectNode = selectNode;

  network.on('click', function (p) {
    hideTooltip(true);
    if (p.nodes.length && isCluster(p.nodes[0])) {
      clearHighlight();
      panel.replaceChildren(el('p', 'hint', 'A collapsed community: double-click it to open it.'));
    } else if (p.nodes.length) {
      var id = p.nodes[0];
      highlight(id);
      showNode(id);
      api.selected = id;
    } else if (p.edges.length && rels[p.edges[0]]) {
      clearHighlight();
      showEdge(p.edges[0]);
      api.selected = null;
    } else {
      clearHighlight();
      showHint();
      api.selected = null;
    }
  });

  /* ---------- tooltips ---------- */

  var tip = document.getElementById('tooltip');
  var tipTimer = null;

  function placeTip(pointer) {
    var x = pointer.DOM.x + 14, y = pointer.DOM.y + 14;
    var w = stage.clientWidth, h = stage.clientHeight;
    tip.hidden = false;
    if (x + tip.offsetWidth > w) x = Math.max(0, pointer.DOM.x - tip.offsetWidth - 10);
    if (y + tip.offsetHeight > h) y = Math.max(0, pointer.DOM.y - tip.offsetHeight - 10);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  function hideTooltip(now) {
    clearTimeout(tipTimer);
    if (now) { tip.hidden = true; return; }
    // A short grace period lets the pointer move onto the tooltip to click a source link.
    tipTimer = setTimeout(function () { tip.hidden = true; }, 400);
  }
  tip.addEventListener('mouseenter', function () { clearTimeout(tipTimer); });
  tip.addEventListener('mouseleave', function () { hideTooltip(false); });

  network.on('hoverNode', function (p) {
    clearTimeout(tipTimer);
    var i = info[p.node];
    var box = document.createDocumentFragment();
    if (!i) {
      var members = isCluster(p.node) ? data.clusters[+p.node.slice(CLUSTER.length)] : [];
      box.appendChild(el('strong', null, members.length + ' entities'));
      box.appendChild(el('div', 'tip-meta', members.slice(0, 5).map(display).join(' · ') +
        (members.length > 5 ? ' …' : '')));
      box.appendChild(el('div', 'tip-meta', 'double-click to open'));
      tip.replaceChildren(box);
      placeTip(p.pointer);
      return;
    }
    box.appendChild(el('strong', null, i.name));
    box.appendChild(el('div', 'tip-meta', (i.short_name ? i.short_name + ' · ' : '') +
      i.kind.replace(/_/g, ' ') + ' · ' + i.jurisdiction_name));
    if (i.aliases.length) box.appendChild(el('div', 'tip-meta', 'also: ' + i.aliases.join(' · ')));
    tip.replaceChildren(box);
    placeTip(p.pointer);
  });
  network.on('hoverEdge', function (p) {
    if (!rels[p.edge]) return;  // an edge to a collapsed community
    clearTimeout(tipTimer);
    var box = document.createDocumentFragment();
    edgeSummary(p.edge, box);
    tip.replaceChildren(box);
    placeTip(p.pointer);
  });
  network.on('blurNode', function () { hideTooltip(false); });
  network.on('blurEdge', function () { hideTooltip(false); });
  network.on('dragStart', function () { hideTooltip(true); });
  network.on('zoom', function () { hideTooltip(true); });

  /* ---------- search ---------- */

  function fold(s) {
    return String(s).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  }

  var searchIndex = Object.keys(info).map(function (id) {
    var i = info[id];
    var names = [i.name, id].concat(i.short_name ? [i.short_name] : [], i.aliases);
    return { id: id, names: names.map(fold), len: i.name.length };
  });

  function search(text) {
    var q = fold(text);
    if (!q) return [];
    var hits = [];
    searchIndex.forEach(function (s) {
      var best = 0;
      s.names.forEach(function (n) {
        var score = n === q ? 3 : n.indexOf(q) === 0 ? 2 : n.indexOf(q) > 0 ? 1 : 0;
        if (score > best) best = score;
      });
      if (best) hits.push({ id: s.id, score: best, len: s.len });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.len - b.len || (a.id < b.id ? -1 : 1); });
    return hits.slice(0, 10).map(function (h) { return h.id; });
  }
  api.search = search;

  var input = document.getElementById('search');
  var results = document.getElementById('search-results');
  var current = [];

  function showResults() {
    current = search(input.value);
    results.replaceChildren();
    if (!input.value.trim()) { results.hidden = true; return; }
    if (!current.length) {
      results.appendChild(el('li', 'none', 'No entity matches.'));
    }
    current.forEach(function (id) {
      var li = el('li', 'result');
      li.setAttribute('role', 'option');
      li.setAttribute('data-id', id);
      li.appendChild(el('span', 'result-name', info[id].name));
      li.appendChild(el('span', 'result-meta', ' ' + (info[id].short_name || '') + ' · ' +
        info[id].jurisdiction));
      li.addEventListener('mousedown', function (ev) {
        ev.preventDefault();
        choose(id);
      });
      results.appendChild(li);
    });
    results.hidden = false;
  }

  function choose(id) {
    results.hidden = true;
    input.value = info[id].name;
    selectNode(id);
  }

  input.addEventListener('input', showResults);
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      current = search(input.value);
      if (current.length) choose(current[0]);
    } else if (ev.key === 'Escape') {
      results.hidden = true;
    }
  });
  input.addEventListener('blur', function () { results.hidden = true; });

  /* ---------- communities collapsed into cluster nodes (big graphs) ---------- */

  var CLUSTER = 'community:';
  var collapseButton = document.getElementById('collapse');
  var clusterOf = {};
  data.clusters.forEach(function (members, i) {
    members.forEach(function (id) { clusterOf[id] = i; });
  });

  var closed = {};  // ids of the community nodes currently collapsed

  function isCluster(id) { return typeof id === 'string' && id.indexOf(CLUSTER) === 0; }

  function openOne(cid) {
    if (!closed[cid]) return;
    delete closed[cid];
    network.openCluster(cid);
  }

  function collapse() {
    clearHighlight();
    network.unselectAll();
    data.clusters.forEach(function (members, i) {
      var first = members[0];
      network.cluster({
        joinCondition: function (n) { return clusterOf[n.id] === i; },
        clusterNodeProperties: {
          id: CLUSTER + i, shape: 'dot', borderWidth: 2,
          label: display(first) + ' +' + (members.length - 1),
          size: Math.min(80, 14 + 2 * Math.sqrt(members.length)),
          font: { size: Math.min(60, 16 + Math.sqrt(members.length)) },
          color: { background: '#bcccdc', border: '#486581' }
        },
        clusterEdgeProperties: { color: { color: '#9aa5b1' }, arrows: '' }
      });
      closed[CLUSTER + i] = true;
    });
    api.collapsed = true;
    collapseButton.textContent = 'Expand all communities';
    network.fit({ animation: false });
  }

  function expandAll() {
    Object.keys(closed).forEach(openOne);
    api.collapsed = false;
    collapseButton.textContent = 'Collapse communities';
    network.fit({ animation: false });
  }

  // A node inside a collapsed community must be brought out before it can be shown.
  function reveal(id) {
    var chain = network.clustering.findNode(id);
    for (var k = 0; k < chain.length - 1; k++) {
      openOne(chain[k]);
    }
  }

  if (data.clusters.length) {
    collapseButton.hidden = false;
    collapseButton.addEventListener('click', function () {
      if (api.collapsed) expandAll(); else collapse();
    });
    network.on('doubleClick', function (p) {
      if (p.nodes.length && isCluster(p.nodes[0])) openOne(p.nodes[0]);
    });
    if (data.collapse) collapse();
  }
  api.collapsed = api.collapsed || false;

  /* ---------- start ---------- */

  showCounts();
  if (data.focus) {
    network.once('afterDrawing', function () { highlight(data.focus); showNode(data.focus); });
  }
})();
