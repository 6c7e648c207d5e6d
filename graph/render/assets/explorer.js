/* regulink explorer: the core on top of vis-network: what is drawn (filters, classes, time,
 * the drawn ring), highlighting, selection, and big pages' groups.
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

  // Every entity and relation is in the data; the DataSets hold only what is drawn (a
  // collapsed cluster stands in for its members, a link for the relations it sums up).
  var nodeById = {}, edgeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  data.edges.forEach(function (e) { edgeById[e.id] = e; });

  // Original looks, restored when a highlight is cleared (clusters and links added below).
  var baseNode = {}, baseEdge = {};
  data.nodes.forEach(function (n) { baseNode[n.id] = { color: n.color, borderWidth: n.borderWidth || 1 }; });
  data.edges.forEach(function (e) { baseEdge[e.id] = { color: e.color || null, width: e.width || 1 }; });

  // Relations of each entity, from the data, whether drawn or not.
  var incident = {};
  data.edges.forEach(function (e) {
    (incident[e.from] = incident[e.from] || []).push(e.id);
    if (e.to !== e.from) (incident[e.to] = incident[e.to] || []).push(e.id);
  });

  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var stage = document.getElementById('graph');
  // Handlers go on before the data: a small graph can stabilise inside setData itself.
  var network = new vis.Network(stage, { nodes: [], edges: [] }, data.options);

  var S = data.settings;
  var state = { hiddenNodes: {}, hiddenEdges: {}, highlighted: null };
  // What the reader chose (the URL fragment keeps it): hidden entities, expanded ones, the
  // instant (null: all dates), classes, the path. Filters live in their checkboxes.
  var user = { hidden: {}, expanded: {}, asOf: S.as_of, instant: null,
    structural: !!S.structural, datedOnly: !!S.dated_only, avoidHubs: S.avoid_hubs || null,
    path: null };
  var leftOut = {};
  var api = window.regulink = {
    data: data, network: network, nodes: nodes, edges: edges, ready: false, readyAt: null,
    visibleCounts: visibleCounts, leftOut: function () { return Object.assign({}, leftOut); }
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

  /* ---------- header, legend ---------- */

  document.getElementById('page-description').textContent = data.description || '';

  // Entities and relations drawn and not filtered out; clusters and links drawn, apart.
  function visibleCounts() {
    // From our own bookkeeping: iterating vis DataSets costs tens of ms at 5,000 items.
    var n = 0, e = 0, c = 0, l = 0;
    for (var id in shown) {
      if (clusterById[id]) { if (!state.hiddenNodes[id]) c++; }
      else if (linkCount[id] !== undefined) { if (!state.hiddenEdges[id]) l++; }
      else if (nodeById[id]) { if (!state.hiddenNodes[id]) n++; }
      else if (!state.hiddenEdges[id]) e++;
    }
    return { nodes: n, edges: e, clusters: c, links: l, totalNodes: data.nodes.length,
      totalEdges: data.edges.length };
  }

  function showCounts() {
    var c = visibleCounts();
    var counts = document.getElementById('counts');
    // "drawn": collapsed, most entities sit inside groups rather than on their own.
    counts.textContent = c.nodes + ' of ' + c.totalNodes + ' entities and ' + c.edges + ' of ' +
      c.totalEdges + ' relations drawn' +
      (c.clusters || c.links ? '; ' + plural(c.clusters, 'group') + ', ' + plural(c.links, 'group link') : '');
    counts.setAttribute('data-nodes', c.nodes);
    counts.setAttribute('data-edges', c.edges);
    counts.setAttribute('data-clusters', c.clusters);
  }

  var legendLabels = [];
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
      var label = el('span', 'legend-label', entry.label + ' (' + entry.count + ')');
      legendLabels.push({ el: label, entry: entry });
      li.appendChild(label);
      list.appendChild(li);
    });
    box.appendChild(list);
    var size = lg.size;
    box.appendChild(el('h2', null, 'Size: ' + size.by));
    box.appendChild(el('p', 'hint', 'area grows with ' + size.by + ', ' + fmt(size.min) +
      ' to ' + fmt(size.max)));
    box.appendChild(el('p', 'path-note'));
    box.appendChild(el('p', 'hint left-out'));
    if (S.roots.length) {
      box.appendChild(el('p', 'hint ring-note'));
    }
    if (data.groups) {
      box.appendChild(el('p', 'hint', 'Dark-ringed: a group of entities (one ' +
        (data.groups.by === 'jurisdiction' ? 'jurisdiction' : 'community') +
        '), sized by members, coloured as most of them; lines between groups count ' +
        'relations. Double-click a group to expand it.'));
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

  function checkedSet(group) {
    var s = {};
    Array.prototype.forEach.call(
      document.querySelectorAll('input[data-group="' + group + '"]'),
      function (x) { if (x.checked) s[x.value] = true; });
    return s;
  }

  // Relations of each entity that are active now (see relReason), for the drawn ring.
  function activeNeighbours(id, active) {
    var out = [];
    (incident[id] || []).forEach(function (eid) {
      if (!active[eid]) return;
      var e = edgeById[eid];
      out.push(e.from === id ? e.to : e.from);
    });
    return out;
  }

  var checks = { kinds: {}, types: {}, jurs: {} };

  function entityOK(id) {
    var i = info[id];
    return !!(i && checks.kinds[i.kind] && checks.jurs[i.jurisdiction] && !user.hidden[id]);
  }

  // Why a relation is not active now (null: it is): graph/render/scope.py's rules, after
  // the page's own filters (types ticked, entities shown).
  function relReason(eid) {
    var e = edgeById[eid], r = rels[eid], t = user.instant;
    if (!checks.types[r.type]) return 'filtered';
    if (t !== null && ((r.lo !== null && r.lo > t) || (r.hi !== null && r.hi < t))) return 'not in force';
    if (user.datedOnly && r.undated) return 'undated';
    if (!user.structural && r.cls === 'structural') return 'structural';
    if (!entityOK(e.from) || !entityOK(e.to)) return 'hidden';
    return null;
  }

  // Decides what is drawn: active relations with both ends in the drawn ring (on a focus or
  // path page: within `hops` of the focus or path, plus what was expanded), the current
  // path's relations, and their ends; the focus and path's entities always.
  function applyFilters() {
    checks.kinds = checkedSet('kind'); checks.types = checkedSet('type');
    checks.jurs = checkedSet('jurisdiction');
    var active = {}, why = {};
    data.edges.forEach(function (e) {
      var reason = relReason(e.id);
      if (reason === null) active[e.id] = true; else why[reason] = (why[reason] || 0) + 1;
    });
    var pathNodes = user.path && user.path.nodes ? user.path.nodes : [];
    var pathEdges = {};
    if (user.path && user.path.edges) user.path.edges.forEach(function (k) { pathEdges[k] = true; });
    var scope = null;
    if (S.roots.length) {
      scope = {};
      var frontier = S.roots.filter(function (r) { return info[r]; });
      frontier.forEach(function (r) { scope[r] = true; });
      for (var d = 0; d < S.hops && frontier.length; d++) {
        var next = [];
        frontier.forEach(function (n) {
          activeNeighbours(n, active).forEach(function (m) {
            if (!scope[m]) { scope[m] = true; next.push(m); }
          });
        });
        frontier = next;
      }
      Object.keys(user.expanded).forEach(function (x) {
        scope[x] = true;
        activeNeighbours(x, active).forEach(function (m) { scope[m] = true; });
      });
      pathNodes.forEach(function (n) { scope[n] = true; });
    }
    var drawnNodes = {}, beyond = 0;
    var always = S.roots.concat(pathNodes, Object.keys(user.expanded));
    always.forEach(function (n) { if (entityOK(n)) drawnNodes[n] = true; });
    var nodeUpdates = [], edgeUpdates = [];
    data.edges.forEach(function (e) {
      var on = !!active[e.id];
      if (on && scope && !(scope[e.from] && scope[e.to])) { on = false; beyond++; }
      if (pathEdges[e.id]) on = true;
      if (on) { drawnNodes[e.from] = true; drawnNodes[e.to] = true; }
      var hide = !on;
      if (!!state.hiddenEdges[e.id] !== hide) {
        state.hiddenEdges[e.id] = hide;
        if (shown[e.id]) edgeUpdates.push({ id: e.id, hidden: hide });
      }
    });
    if (beyond) why['beyond the ring'] = beyond;
    var drawnCount = 0;
    data.nodes.forEach(function (n) {
      var hide = !drawnNodes[n.id];
      if (!hide) drawnCount++;
      if (!!state.hiddenNodes[n.id] !== hide) {
        state.hiddenNodes[n.id] = hide;
        if (shown[n.id]) nodeUpdates.push({ id: n.id, hidden: hide });
      }
    });
    if (data.nodes.length > drawnCount) why.entities = data.nodes.length - drawnCount;
    leftOut = why;
    // A cluster hides when the filters hide all its members; a link when either end hides.
    // (A link keeps counting all the relations it stands for, filtered or not.)
    clusters.forEach(function (c) {
      var hide = c.members.every(function (m) { return state.hiddenNodes[m]; });
      if (!!state.hiddenNodes[c.id] !== hide) {
        state.hiddenNodes[c.id] = hide;
        if (shown[c.id]) nodeUpdates.push({ id: c.id, hidden: hide });
      }
    });
    Object.keys(linkCount).forEach(function (key) {
      if (!shown[key]) return;
      var hide = linkHidden(key);
      if (!!state.hiddenEdges[key] !== hide) {
        state.hiddenEdges[key] = hide;
        edgeUpdates.push({ id: key, hidden: hide });
      }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    showCounts();
    showLegendCounts();
    changed();
  }

  // Hooks the tools (tools.js) hang on: called after every change of what is drawn, and
  // when the selection changes other than from the search box.
  var listeners = [];
  listeners.selection = [];
  listeners.reset = [];
  function changed() { listeners.forEach(function (f) { f(); }); }

  function showLegendCounts() {
    var per = {};
    data.nodes.forEach(function (n) {
      if (state.hiddenNodes[n.id]) return;
      var k = info[n.id].colour_key;
      per[k] = (per[k] || 0) + 1;
    });
    legendLabels.forEach(function (x) {
      x.el.textContent = x.entry.label + ' (' + (per[x.entry.key] || 0) + ')';
      x.el.parentNode.hidden = !per[x.entry.key];
    });
  }

  document.getElementById('reset').addEventListener('click', function () {
    Array.prototype.forEach.call(document.querySelectorAll('#filters input[data-group]'),
      function (x) { x.checked = true; });
    // Classes and time go back to how the page was made.
    user.structural = !!S.structural;
    user.datedOnly = !!S.dated_only;
    listeners.reset.forEach(function (f) { f(); });
    applyFilters();
    clearHighlight();
    network.unselectAll();
    ui.showHint();
    network.fit({ animation: false });
  });

  /* ---------- highlighting ---------- */

  // Restyling thousands of items costs seconds in vis-network (every update is re-parsed);
  // above this size a neighbourhood is shown by selecting it, which is instant.
  var DIM_MAX_NODES = 1500;
  var dimmed = {};

  // Highlights and dims what is drawn now: the neighbours vis-network knows may be
  // clusters and the connecting edges links. Expanding or collapsing clears it first.
  function highlight(id) {
    var keep = {}, near = {};
    keep[id] = true;
    var neighbours = network.getConnectedNodes(id);
    var connected = network.getConnectedEdges(id);
    neighbours.forEach(function (n) { keep[n] = true; });
    connected.forEach(function (e) { near[e] = true; });
    state.highlighted = id;
    if (nodes.length > DIM_MAX_NODES) {
      undim();
      network.setSelection({ nodes: [id].concat(neighbours), edges: connected },
        { highlightEdges: false });
      return;
    }
    // Only what changes is restyled: moving from one entity to the next is cheap.
    var nodeUpdates = [], edgeUpdates = [];
    nodes.getIds().forEach(function (n) {
      var dim = !keep[n];
      if (!!dimmed[n] === dim) return;
      if (dim) dimmed[n] = true; else delete dimmed[n];
      nodeUpdates.push(dim ? { id: n, color: DIM_NODE, font: DIM_FONT }
        : { id: n, color: baseNode[n].color, font: { color: '#1f2933' } });
    });
    edges.getIds().forEach(function (e) {
      var key = 'e:' + e, dim = !near[e];
      if (!!dimmed[key] === dim) return;
      if (dim) dimmed[key] = true; else delete dimmed[key];
      edgeUpdates.push(dim ? { id: e, color: DIM_EDGE }
        : { id: e, color: baseEdge[e].color, width: baseEdge[e].width });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    network.selectNodes([id]);
  }

  function clearHighlight() {
    if (state.highlighted === null) return;
    state.highlighted = null;
    network.unselectAll();
    undim();
  }

  function undim() {
    var nodeUpdates = [], edgeUpdates = [];
    Object.keys(dimmed).forEach(function (key) {
      if (key.indexOf('e:') === 0) {
        var e = key.slice(2);
        if (shown[e]) edgeUpdates.push({ id: e, color: baseEdge[e].color, width: baseEdge[e].width });
      } else if (shown[key]) {
        nodeUpdates.push({ id: key, color: baseNode[key].color, font: { color: '#1f2933' } });
      }
    });
    dimmed = {};
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  api.isDimmed = function (id) { return !!dimmed[id]; };

  /* ---------- details panel and tooltips: panel.js fills ui ---------- */

  var panel = document.getElementById('panel');
  var ui = {};

  function selectNode(id, fromSearch) {
    if (!info[id]) return;
    if (!fromSearch) listeners.selection.forEach(function (f) { f(id); });
    reveal(id);
    highlight(id);
    ui.showNode(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), locked: false,
      animation: { duration: 300 } });
    api.selected = id;
  }
  api.selectNode = selectNode;

  network.on('click', function (p) {
    ui.hideTooltip(true);
    if (p.nodes.length && clusterById[p.nodes[0]]) {
      highlight(p.nodes[0]);
      showCluster(p.nodes[0]);
      api.selected = null;
    } else if (p.nodes.length) {
      var id = p.nodes[0];
      highlight(id);
      ui.showNode(id);
      api.selected = id;
    } else if (p.edges.length && rels[p.edges[0]]) {
      clearHighlight();
      ui.showEdge(p.edges[0]);
      api.selected = null;
    } else if (p.edges.length && linkCount[p.edges[0]] !== undefined) {
      clearHighlight();
      var box = document.createDocumentFragment();
      linkSummary(p.edges[0], box);
      panel.replaceChildren(box);
      api.selected = null;
    } else {
      clearHighlight();
      ui.showHint();
      api.selected = null;
    }
  });

  /* ---------- clusters: big pages open collapsed (grouped in Python) ---------- */

  // data.groups (null unless collapsed) lists clusters of entities, each with a ready node
  // at its members' centre, and links: relations between two drawn units (a cluster or an
  // entity alone), at least one a cluster, counted per pair. Members have positions around
  // their cluster's centre, so expanding adds them where they belong, with no layout.
  var LINK_COLOUR = '#829ab1';
  var groups = data.groups || { by: null, clusters: [], links: [] };
  var clusters = groups.clusters;
  var clusterById = {}, clusterOf = {}, clusterRelations = {};
  var expanded = {};   // cluster id -> true while its members are drawn instead of it
  var shown = {};      // ids of the nodes and edges now in the DataSets
  var linkCount = {};  // link id -> how many relations it stands for
  var linkEnds = {};   // link id -> [from, to]
  var placed = {};     // relation id -> drawn as itself (its id), in a link (the link's id), or not ('')
  var pending = null;  // what a batch of expanding/collapsing touched

  clusters.forEach(function (c) {
    clusterById[c.id] = c;
    baseNode[c.id] = { color: c.node.color, borderWidth: c.node.borderWidth };
    c.members.forEach(function (m) { clusterOf[m] = c.id; });
  });
  data.edges.forEach(function (e) {
    var a = clusterOf[e.from], b = clusterOf[e.to];
    if (a) (clusterRelations[a] = clusterRelations[a] || []).push(e.id);
    if (b && b !== a) (clusterRelations[b] = clusterRelations[b] || []).push(e.id);
  });

  // What stands for an entity now: itself, or its cluster while collapsed.
  function unit(id) {
    var c = clusterOf[id];
    return c && !expanded[c] && !loose[id] ? c : id;
  }
  var loose = {};  // entities drawn on their own while their group stays collapsed (a path's)
  function linkId(a, b) { return a < b ? a + '|' + b : b + '|' + a; }
  function placeOf(e) {
    var a = unit(e.from), b = unit(e.to);
    if (a === e.from && b === e.to) return e.id;
    return a === b ? '' : linkId(a, b);
  }
  function linkHidden(key) {
    var ends = linkEnds[key];
    return !!(state.hiddenNodes[ends[0]] || state.hiddenNodes[ends[1]]);
  }
  function linkWidth(n) { return Math.min(12, 1 + 1.5 * Math.log2(n)); }
  function linkItem(key) {
    var hide = linkHidden(key), width = linkWidth(linkCount[key]);
    state.hiddenEdges[key] = hide;
    baseEdge[key] = { color: { color: LINK_COLOUR }, width: width };
    return { id: key, from: linkEnds[key][0], to: linkEnds[key][1], width: width,
      color: { color: LINK_COLOUR }, arrows: '', smooth: false, hidden: hide };
  }
  function nodeItem(id) {
    var c = clusterById[id];
    return Object.assign({}, c ? c.node : nodeById[id], { hidden: !!state.hiddenNodes[id] });
  }

  function moveRelation(eid) {
    var now = placeOf(edgeById[eid]), was = placed[eid];
    if (now === was) return;
    if (was === eid) pending.edges[eid] = true;
    else if (was) { linkCount[was]--; pending.links[was] = true; }
    if (now === eid) {
      pending.edges[eid] = true;
    } else if (now) {
      linkCount[now] = (linkCount[now] || 0) + 1;
      if (!linkEnds[now]) linkEnds[now] = [unit(edgeById[eid].from), unit(edgeById[eid].to)];
      pending.links[now] = true;
    }
    placed[eid] = now;
  }

  // Brings the DataSets in line with what the batch touched, in as few updates as possible.
  function commit() {
    var p = pending;
    pending = null;
    var nodeAdd = [], nodeRemove = [], edgeAdd = [], edgeRemove = [], edgeUpdate = [];
    Object.keys(p.nodes).forEach(function (id) {
      var want = clusterById[id] ? !expanded[id] : unit(id) === id;
      if (want && !shown[id]) { nodeAdd.push(nodeItem(id)); shown[id] = true; }
      else if (!want && shown[id]) { nodeRemove.push(id); delete shown[id]; }
    });
    Object.keys(p.edges).forEach(function (eid) {
      var want = placed[eid] === eid;
      if (want && !shown[eid]) {
        edgeAdd.push(Object.assign({}, edgeById[eid], { hidden: !!state.hiddenEdges[eid] }));
        shown[eid] = true;
      } else if (!want && shown[eid]) { edgeRemove.push(eid); delete shown[eid]; }
    });
    Object.keys(p.links).forEach(function (key) {
      if (linkCount[key] > 0) {
        (shown[key] ? edgeUpdate : edgeAdd).push(linkItem(key));
        shown[key] = true;
        return;
      }
      if (shown[key]) { edgeRemove.push(key); delete shown[key]; }
      delete linkCount[key];
      delete linkEnds[key];
      delete state.hiddenEdges[key];
    });
    if (edgeRemove.length) edges.remove(edgeRemove);
    if (nodeRemove.length) nodes.remove(nodeRemove);
    if (nodeAdd.length) nodes.add(nodeAdd);
    if (edgeAdd.length) edges.add(edgeAdd);
    if (edgeUpdate.length) edges.update(edgeUpdate);
  }

  function setExpanded(ids, open) {
    clearHighlight();
    ui.hideTooltip(true);
    pending = { nodes: {}, edges: {}, links: {} };
    ids.forEach(function (cid) {
      if (!clusterById[cid] || !!expanded[cid] === open) return;
      if (open) expanded[cid] = true; else delete expanded[cid];
      pending.nodes[cid] = true;
      clusterById[cid].members.forEach(function (m) { pending.nodes[m] = true; });
      (clusterRelations[cid] || []).forEach(moveRelation);
    });
    commit();
    showCounts();
    updateButtons();
  }

  function expand(cid) { setExpanded([cid], true); }
  function collapse(cid) { setExpanded([cid], false); }
  function allClusters() { return clusters.map(function (c) { return c.id; }); }

  // An entity inside a collapsed cluster must be brought out before it can be shown.
  function reveal(id) {
    if (clusterOf[id] && !expanded[clusterOf[id]]) expand(clusterOf[id]);
  }

  // Draws these entities on their own, out of their collapsed groups (which stay): a path
  // across a big page shows its entities without opening every group it crosses.
  function loosen(ids) {
    pending = { nodes: {}, edges: {}, links: {} };
    ids.forEach(function (id) {
      if (!clusterOf[id] || loose[id]) return;
      loose[id] = true;
      pending.nodes[id] = true;
      (incident[id] || []).forEach(moveRelation);
    });
    commit();
    showCounts();
  }

  function unitLabel(id) { return clusterById[id] ? clusterById[id].label : display(id); }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  // What a group is, under its title (the tooltip's or the panel's).
  function clusterSummary(c, box) {
    box.appendChild(el('div', 'tip-meta', c.members.length + ' entities, ' + (groups.by ===
      'jurisdiction' ? (jurName[c.key] || c.key) : c.key === 'others'
      ? 'in no community' : 'one community') + '; ' + plural(c.internal, 'relation') +
      ' between them'));
    box.appendChild(el('div', 'tip-meta', 'best connected: ' +
      c.members.slice(0, 5).map(display).join(' · ') + (c.members.length > 5 ? ' …' : '')));
  }

  function showCluster(cid) {
    var c = clusterById[cid];
    var box = document.createDocumentFragment();
    box.appendChild(el('h2', 'panel-title', c.label));
    clusterSummary(c, box);
    var open = el('button', 'group-button', 'Expand this group');
    open.type = 'button';
    open.addEventListener('click', function () { expand(cid); ui.showHint(); });
    box.appendChild(open);
    box.appendChild(el('h3', null, 'Members' + (c.members.length > 30 ? ' (30 best connected)' : '')));
    var list = el('ul', 'relations');
    c.members.slice(0, 30).forEach(function (m) {
      var li = el('li');
      li.appendChild(ui.entityButton(m));
      list.appendChild(li);
    });
    box.appendChild(list);
    panel.replaceChildren(box);
  }

  function groupLine(cid) {
    var p = el('p', 'group-line', 'In group ' + clusterById[cid].label + ' ');
    var b = el('button', 'more', 'collapse it');
    b.type = 'button';
    b.addEventListener('click', function () { collapse(cid); showCluster(cid); api.selected = null; });
    p.appendChild(b);
    return p;
  }

  function linkSummary(key, box) {
    var ends = linkEnds[key];
    box.appendChild(el('strong', null, unitLabel(ends[0]) + ' — ' + unitLabel(ends[1])));
    box.appendChild(el('div', 'tip-meta', plural(linkCount[key], 'relation') +
      ' (expand a group to see them)'));
  }

  var expandAllButton = document.getElementById('expand-all');
  var collapseAllButton = document.getElementById('collapse-all');
  function updateButtons() {
    var open = clusters.filter(function (c) { return expanded[c.id]; }).length;
    expandAllButton.disabled = open === clusters.length;
    collapseAllButton.disabled = open === 0;
  }
  if (clusters.length) {
    expandAllButton.hidden = collapseAllButton.hidden = false;
    expandAllButton.addEventListener('click', function () {
      setExpanded(allClusters(), true);
      network.fit({ animation: false });
    });
    collapseAllButton.addEventListener('click', function () {
      setExpanded(allClusters(), false);
      ui.showHint();
      api.selected = null;
      network.fit({ animation: false });
    });
    network.on('doubleClick', function (p) {
      if (p.nodes.length && clusterById[p.nodes[0]]) expand(p.nodes[0]);
    });
    updateButtons();
  }
  api.expand = expand;
  api.collapse = collapse;
  api.clusterOf = function (id) { return clusterOf[id] || null; };
  api.isExpanded = function (cid) { return !!expanded[cid]; };
  api.links = function () {
    var out = {};
    Object.keys(linkCount).forEach(function (k) { out[k] = linkCount[k]; });
    return out;
  };

  // The first picture: every cluster collapsed, links as counted in Python; drawn from the
  // settings (tools.js restores them from the URL first, then calls start).
  function start() {
  applyFilters();
  pending = { nodes: {}, edges: {}, links: {} };
  groups.links.forEach(function (l) {
    var key = linkId(l.from, l.to);
    linkCount[key] = l.count;
    linkEnds[key] = [l.from, l.to];
    pending.links[key] = true;
  });
  data.nodes.forEach(function (n) { pending.nodes[n.id] = true; });
  clusters.forEach(function (c) { pending.nodes[c.id] = true; });
  data.edges.forEach(function (e) {
    placed[e.id] = placeOf(e);
    if (placed[e.id] === e.id) pending.edges[e.id] = true;
  });
  commit();
  network.setData({ nodes: nodes, edges: edges });
  showCounts();
  if (data.nodes.length === 0) markReady();
  if (data.focus) {
    network.once('afterDrawing', function () { highlight(data.focus); ui.showNode(data.focus); });
  }
  }

  /* ---------- start ---------- */

  // Everything tools.js needs from here; not a stable interface.
  api.core = {
    data: data, info: info, rels: rels, edgeById: edgeById, nodeById: nodeById,
    incident: incident, state: state, user: user, el: el, display: display, panel: panel,
    ui: ui, sources: sources, safeLink: safeLink, fmt: fmt, stage: stage, linkCount: linkCount,
    groupLine: groupLine, clusterSummary: clusterSummary, linkSummary: linkSummary,
    typeLabel: typeLabel, refresh: applyFilters, relReason: relReason, entityOK: entityOK,
    selectNode: selectNode,  highlight: highlight,
    clearHighlight: clearHighlight, reveal: reveal, clusterById: clusterById,
    clusterOf: clusterOf, expandCluster: expand, loosen: loosen, baseEdge: baseEdge, baseNode: baseNode,
    shown: shown,
    onChange: function (f) { listeners.push(f); },
    onSelect: function (f) { listeners.selection.push(f); },
    onReset: function (f) { listeners.reset.push(f); },
    plural: plural, checkedSet: checkedSet, start: start, markReady: markReady
  };
})();
