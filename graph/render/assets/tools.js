/* regulink explorer: the questions asked in the page, on top of explorer.js's core.
 *
 * Search boxes (find, path From/To), paths between any two entities, hide and expand with
 * undo (view.js adds the time, the notes, the URL and the start). Every control calls the
 * same window.regulink function the tests call. Fact text reaches the page through
 * textContent only.
 */
(function () {
  'use strict';

  var api = window.regulink, core = api.core, data = core.data, info = core.info;
  var rels = core.rels, el = core.el, user = core.user;
  var network = api.network, display = core.display;
  var PATH_COLOUR = '#d62728';

  function byId(id) { return document.getElementById(id); }
  function button(text, label, onClick, cls) {
    var b = el('button', cls || 'action', text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    b.addEventListener('click', onClick);
    return b;
  }

  /* ---------- search boxes: the find box and the path's From and To ---------- */

  var index = RegulinkSearch.makeIndex(info);
  function search(text, limit) { return RegulinkSearch.find(index, text, limit || 10); }
  api.search = search;
  api.fold = RegulinkSearch.fold;

  var boxes = 0;
  function attachSearch(input, list, onChoose) {
    var current = [], active = -1, prefix = 'opt' + (boxes++) + '-';
    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }
    function paint() {
      list.replaceChildren();
      if (!input.value.trim()) { close(); return; }
      if (!current.length) list.appendChild(el('li', 'none', 'No entity matches.'));
      current.forEach(function (id, k) {
        var li = el('li', 'result' + (k === active ? ' active' : ''));
        li.id = prefix + k;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', k === active ? 'true' : 'false');
        li.setAttribute('data-id', id);
        li.appendChild(el('span', 'result-name', info[id].name));
        li.appendChild(el('span', 'result-meta', ' ' + (info[id].short_name || '') + ' · ' +
          info[id].jurisdiction));
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); choose(id); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      if (active >= 0) input.setAttribute('aria-activedescendant', prefix + active);
    }
    function choose(id) {
      close();
      input.value = info[id].name;
      onChoose(id);
    }
    input.addEventListener('input', function () {
      current = search(input.value);
      active = current.length ? 0 : -1;
      paint();
    });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        // Next and previous result.
        ev.preventDefault();
        if (!current.length) return;
        active = (active + (ev.key === 'ArrowDown' ? 1 : current.length - 1)) % current.length;
        paint();
      } else if (ev.key === 'Enter') {
        ev.preventDefault();
        current = search(input.value);
        if (current.length) choose(current[Math.max(0, Math.min(active, current.length - 1))]);
      } else if (ev.key === 'Escape') {
        input.value = '';
        current = [];
        close();
      }
    });
    input.addEventListener('blur', close);
    return {
      clear: function () { input.value = ''; current = []; close(); },
      set: function (id) { input.value = id ? info[id].name : ''; close(); }
    };
  }

  var findBox = attachSearch(byId('search'), byId('search-results'), function (id) {
    core.selectNode(id, true);
    api.selected = id;
    api.saveState();
  });
  // The find box shows what it found; a selection made elsewhere empties it.
  core.onSelect(function () { findBox.clear(); });
  network.on('click', function () { findBox.clear(); setTimeout(api.saveState, 0); });

  /* ---------- paths ---------- */

  var typeVia = {};
  data.types.forEach(function (t) { typeVia[t.name] = t.via; });
  var pathCtx = { edges: data.edges, rels: rels, info: info, edgeById: core.edgeById, typeVia: typeVia };
  var pathFrom = null, pathTo = null, pathIter = null, pathIndex = 0, pathAnswer = null;
  var fromBox = attachSearch(byId('path-from'), byId('path-from-results'), function (id) {
    pathFrom = id;
    if (pathTo) findPath(pathFrom, pathTo);
  });
  var toBox = attachSearch(byId('path-to'), byId('path-to-results'), function (id) {
    pathTo = id;
    if (pathFrom) findPath(pathFrom, pathTo);
  });

  function searchPaths(a, b, given) {
    return RegulinkPaths.paths(pathCtx, {
      // Every filter but the class decides which relations a path may use; the class is
      // the path's own rule (substantive first, structural only when needed).
      relOK: function (eid) { var r = core.relReason(eid); return r === null || r === 'structural' || r === 'hidden'; },
      nodeOK: core.entityOK,
      structural: user.structural ? 'yes' : 'fallback',
      avoidHubs: user.avoidHubs, ends: [a, b],
      // What the filters are now: the search graphs are rebuilt only when it changes.
      signature: [unticked('kind'), unticked('type'), unticked('jurisdiction'), api.hidden(),
        user.instant, user.datedOnly].join(';')
    }, a, b, data.weights, given);
  }

  // Computes the index-th cheapest path under the current filters (null: none).
  // What the question was asked under: a change of anything else leaves the answer be.
  function askedUnder() {
    return [unticked('kind'), unticked('type'), unticked('jurisdiction'), api.hidden(),
      user.instant, user.datedOnly, user.structural, user.avoidHubs].join(';');
  }
  var lastAsked = null;

  function compute(a, b, nth, given) {
    var started = performance.now();
    lastAsked = askedUnder();
    pathIter = searchPaths(a, b, given);
    var p = null;
    for (var k = 0; k <= nth; k++) {
      var q = pathIter.next();
      if (!q) break;
      p = q;
      pathIndex = k;
    }
    api.lastPathMs = performance.now() - started;
    return p;
  }

  function findPath(a, b, nth, given) {
    if (!info[a] || !info[b]) throw new Error('unknown entity');
    pathFrom = a; pathTo = b; pathIndex = 0;
    fromBox.set(a); toBox.set(b);
    pathAnswer = compute(a, b, nth || 0, given);
    showPath(true);
    return pathAnswer ? pathAnswer.hops : null;
  }

  function nextPath() {
    if (!pathIter) return null;
    var p = pathIter.next();
    if (p) { pathAnswer = p; pathIndex++; }
    showPath(!!p, !p);
    return p ? p.hops : null;
  }

  function clearPath() {
    pathFrom = pathTo = pathIter = pathAnswer = null;
    pathIndex = 0;
    fromBox.clear(); toBox.clear();
    user.path = null;
    restyle(null);
    core.refresh();
    core.showHint();
  }

  // Path looks: red relations and rings; what stops being on the path gets its own back.
  var origNode = {}, origEdge = {}, styled = { nodes: [], edges: [] };
  data.nodes.forEach(function (n) { origNode[n.id] = n.color; });
  data.edges.forEach(function (e) { origEdge[e.id] = { color: e.color || null, width: e.width || 1 }; });
  function restyle(p) {
    var nodeUp = [], edgeUp = [];
    styled.nodes.forEach(function (n) {
      core.nodeById[n].color = origNode[n];
      core.baseNode[n].color = origNode[n];
      if (core.shown[n]) nodeUp.push({ id: n, color: origNode[n] });
    });
    styled.edges.forEach(function (e) {
      core.edgeById[e].color = origEdge[e].color;
      core.edgeById[e].width = origEdge[e].width;
      core.baseEdge[e] = { color: origEdge[e].color, width: origEdge[e].width };
      if (core.shown[e]) edgeUp.push({ id: e, color: origEdge[e].color, width: origEdge[e].width });
    });
    styled = { nodes: p ? p.nodes.slice() : [], edges: p ? p.hops.map(function (h) { return h.key; }) : [] };
    styled.nodes.forEach(function (n) {
      var bg = origNode[n] && origNode[n].background ? origNode[n].background : origNode[n];
      var look = { background: bg, border: PATH_COLOUR };
      core.nodeById[n].color = look;
      core.baseNode[n].color = look;
      core.baseNode[n].borderWidth = 4;
      core.nodeById[n].borderWidth = 4;
      if (core.shown[n]) nodeUp.push({ id: n, color: look, borderWidth: 4 });
    });
    styled.edges.forEach(function (e) {
      core.edgeById[e].color = PATH_COLOUR;
      core.edgeById[e].width = 4;
      core.baseEdge[e] = { color: PATH_COLOUR, width: 4 };
      if (core.shown[e]) edgeUp.push({ id: e, color: PATH_COLOUR, width: 4 });
    });
    if (nodeUp.length) api.nodes.update(nodeUp);
    if (edgeUp.length) api.edges.update(edgeUp);
  }

  function showPath(panelToo, noMore) {
    var p = pathAnswer;
    user.path = p ? { nodes: p.nodes, edges: p.hops.map(function (h) { return h.key; }) } : null;
    restyle(p);
    if (p) core.loosen(p.nodes);
    busy = true;
    core.refresh();
    busy = false;
    byId('path-next').disabled = !p;
    byId('path-clear').disabled = !pathFrom;
    if (panelToo) pathPanel(noMore);
    api.saveState();
  }

  // The standing bodies both ends belong to: structural relations of one type and
  // direction from each end to the same entity ("also: both member of BIS, BCBS").
  // As regulink path's "also" (graph/routing.py's shared): structural relations in force
  // at the instant (dated ones only with "dated only"), by type and direction.
  function shared(a, b) {
    var t = user.instant;
    function bodies(x) {
      var out = {};
      (core.incident[x] || []).forEach(function (eid) {
        var e = core.edgeById[eid], r = rels[eid];
        if (r.cls !== 'structural') return;
        if (t !== null && ((r.lo !== null && r.lo > t) || (r.hi !== null && r.hi < t))) return;
        if (user.datedOnly && r.undated) return;
        var forward = e.from === x || r.symmetric, other = e.from === x ? e.to : e.from;
        out[r.type + (forward ? ' > ' : ' < ') + other] = [r.type, other, forward];
      });
      return out;
    }
    var A = bodies(a), B = bodies(b), out = [];
    Object.keys(A).forEach(function (k) { if (B[k] && A[k][1] !== a && A[k][1] !== b) out.push(A[k]); });
    return out;
  }

  function hopLine(h) {
    var t = core.typeLabel[h.type], r = rels[h.key], e = core.edgeById[h.key];
    var li = el('li', 'hop');
    var line = el('div', 'hop-line');
    line.appendChild(core.entityButton(h.from));
    var reading = h.direction === 'forward' ? t.label : t.inverse;
    line.appendChild(el('span', 'reading', ' ' + reading + ' '));
    line.appendChild(core.entityButton(h.to));
    li.appendChild(line);
    if (h['class'] === 'structural') {
      li.appendChild(el('div', 'via', (h.fallback ? 'structural link, ' : '') + 'via ' +
        (t.via || t.label) + ' ' + display(e.to)));
    }
    li.appendChild(el('div', 'dates', core.dates(r)));
    if (r.note) li.appendChild(el('div', 'note', r.note));
    li.appendChild(core.sourceList(r));
    return li;
  }

  function pathPanel(noMore) {
    var box = document.createDocumentFragment(), p = pathAnswer;
    box.appendChild(el('h2', 'panel-title', 'Path ' + display(pathFrom) + ' → ' + display(pathTo)));
    if (!p) {
      box.appendChild(el('p', 'warn', 'No path from ' + display(pathFrom) + ' to ' +
        display(pathTo) + ' under the current filters' + (user.instant ? ' at ' + user.instant : '') +
        '. Show hidden entities, tick more kinds or types, or move the timeline.'));
    } else {
      box.appendChild(el('p', 'hint', 'Path ' + (pathIndex + 1) + ': ' + core.plural(p.hops.length, 'hop') +
        ', cost ' + p.cost.toFixed(2) + ' (each entity entered costs 1 + log2 of its degree' +
        (p.structural ? '; +1000 a structural link' : '') + ')' + (noMore ? '. No other path.' : '')));
      if (p.structural) {
        box.appendChild(el('p', 'warn', 'No substantive path: this one needs a structural link.'));
      }
      var list = el('ol', 'hops');
      p.hops.forEach(function (h) { list.appendChild(hopLine(h)); });
      box.appendChild(list);
    }
    var also = shared(pathFrom, pathTo);
    if (also.length) {
      box.appendChild(el('p', 'hint', 'also: both ' + also.map(function (x) {
        var tl = core.typeLabel[x[0]];
        return (x[2] ? tl.label : tl.inverse) + ' ' + display(x[1]);
      }).join(', ')));
    }
    core.panel.replaceChildren(box);
  }

  byId('path-next').addEventListener('click', function () { nextPath(); });
  byId('path-clear').addEventListener('click', clearPath);
  var hubsInput = byId('avoid-hubs');
  if (user.avoidHubs) hubsInput.value = user.avoidHubs;
  hubsInput.addEventListener('change', function () {
    var v = parseInt(hubsInput.value, 10);
    user.avoidHubs = v > 0 ? v : null;
    rerouteNow();
  });

  // A change of filters, hidden entities or date re-asks the question.
  var busy = false;
  function rerouteNow() {
    if (!pathFrom || !pathTo || askedUnder() === lastAsked) return;
    var before = user.path ? user.path.nodes.join('>') : '';
    pathAnswer = compute(pathFrom, pathTo, 0);
    var after = pathAnswer ? pathAnswer.nodes.join('>') : '';
    if (before !== after) showPath(core.panel.querySelector('ol.hops, .warn') !== null);
  }
  core.onChange(function () {
    if (!busy) {
      busy = true;
      try { rerouteNow(); } finally { busy = false; }
    }
    hiddenList();
  });

  api.findPath = findPath;
  api.nextPath = nextPath;
  api.clearPath = clearPath;
  api.path = function () {
    return pathAnswer ? { from: pathFrom, to: pathTo, index: pathIndex, nodes: pathAnswer.nodes.slice(),
      cost: pathAnswer.cost, structural: pathAnswer.structural, hops: pathAnswer.hops,
      also: shared(pathFrom, pathTo).map(function (x) {
        return { type: x[0], entity: x[1], direction: x[2] ? 'forward' : 'backward' };
      }) } : null;
  };

  /* ---------- hide, expand, undo ---------- */

  var undoStack = [];
  function unticked(group) {
    return Array.prototype.filter.call(document.querySelectorAll('input[data-group="' + group + '"]'),
      function (x) { return !x.checked; }).map(function (x) { return x.value; });
  }
  function snapshot() {
    return { hidden: Object.assign({}, user.hidden), expanded: Object.assign({}, user.expanded),
      kinds: unticked('kind') };
  }
  function setTicks(group, off) {
    Array.prototype.forEach.call(document.querySelectorAll('input[data-group="' + group + '"]'),
      function (x) { x.checked = off.indexOf(x.value) < 0; });
  }
  function remember() {
    undoStack.push(snapshot());
    byId('undo').disabled = false;
  }

  function drawnIds() {
    return data.nodes.filter(function (n) { return !core.state.hiddenNodes[n.id]; }).map(function (n) { return n.id; });
  }

  api.hide = function (id) {
    if (!info[id]) throw new Error('unknown entity');
    remember();
    user.hidden[id] = true;
    core.refresh();
  };
  api.hideKind = function (kind) {
    var box = document.querySelector('input[data-group="kind"][value="' + CSS.escape(kind) + '"]');
    if (!box) throw new Error('unknown kind');
    remember();
    box.checked = false;
    core.refresh();
  };
  // An entity: bring in its neighbours that the page holds but does not draw (on a focus
  // or path page, the ring beyond the drawn one). A group: open it.
  api.expand = function (id) {
    if (core.clusterById[id]) { core.expandCluster(id); return []; }
    if (!info[id]) throw new Error('unknown entity');
    var before = {};
    drawnIds().forEach(function (n) { before[n] = true; });
    remember();
    user.expanded[id] = true;
    core.reveal(id);
    core.refresh();
    return drawnIds().filter(function (n) { return !before[n]; });
  };
  api.undo = function () {
    var s = undoStack.pop();
    if (!s) return false;
    user.hidden = s.hidden;
    user.expanded = s.expanded;
    setTicks('kind', s.kinds);
    byId('undo').disabled = !undoStack.length;
    core.refresh();
    return true;
  };
  api.showAll = function () {
    remember();
    user.hidden = {};
    setTicks('kind', []);
    core.refresh();
  };
  // What view.js (the time, the notes, the URL) needs from here.
  core.tools = {
    byId: byId, unticked: unticked, setTicks: setTicks, hiddenList: hiddenList, findPath: findPath,
    path: function () { return { from: pathFrom, to: pathTo, index: pathIndex, answer: pathAnswer }; }
  };
  api.hidden = function () { return Object.keys(user.hidden).filter(function (k) { return user.hidden[k]; }); };
  byId('undo').addEventListener('click', api.undo);
  byId('show-all').addEventListener('click', api.showAll);

  function hiddenList() {
    var list = byId('hidden-list');
    list.replaceChildren();
    var ids = api.hidden(), kinds = unticked('kind');
    ids.forEach(function (id) {
      var li = el('li', null, display(id) + ' ');
      li.title = info[id].name;
      li.appendChild(button('show', 'Show ' + info[id].name, function () {
        remember();
        delete user.hidden[id];
        core.refresh();
      }));
      list.appendChild(li);
    });
    kinds.forEach(function (k) { list.appendChild(el('li', 'hint', 'every ' + k.replace(/_/g, ' '))); });
    byId('show-all').disabled = !ids.length && !kinds.length;
  }

  // The entity panel gets the actions on that entity.
  core.onNodePanel(function (id, panel) {
    var row = el('div', 'actions');
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', 'Actions on ' + info[id].name);
    var notDrawn = 0;
    (core.incident[id] || []).forEach(function (eid) {
      var e = core.edgeById[eid], other = e.from === id ? e.to : e.from;
      if (core.state.hiddenNodes[other] && core.entityOK(other)) notDrawn++;
    });
    row.appendChild(button('Hide', 'Hide ' + info[id].name, function () { api.hide(id); core.showHint(); }));
    row.appendChild(button('Hide every ' + info[id].kind.replace(/_/g, ' '), null,
      function () { api.hideKind(info[id].kind); }));
    var ex = button('Expand (' + notDrawn + ')', 'Bring in the ' + notDrawn +
      ' relations of ' + info[id].name + ' not drawn', function () { api.expand(id); core.showNode(id); });
    ex.disabled = !notDrawn;
    row.appendChild(ex);
    row.appendChild(button('Path from here', null, function () {
      pathFrom = id; fromBox.set(id);
      if (pathTo && pathTo !== id) findPath(pathFrom, pathTo);
    }));
    row.appendChild(button('Path to here', null, function () {
      pathTo = id; toBox.set(id);
      if (pathFrom && pathFrom !== id) findPath(pathFrom, pathTo);
    }));
    panel.insertBefore(row, panel.children[1] || null);
  });
})();
