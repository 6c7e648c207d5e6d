/* regulink explorer: the questions asked in the page, on top of explorer.js's core.
 *
 * Search boxes (find, path From/To), paths between any two entities, hide and expand with
 * undo, the timeline, relation classes, the notes on what is not drawn, keyboard, and the
 * view kept in the URL's fragment. Every control calls the same window.regulink function
 * the tests call. Fact text reaches the page through textContent only.
 */
(function () {
  'use strict';

  var api = window.regulink, core = api.core, data = core.data, info = core.info;
  var rels = core.rels, el = core.el, user = core.user, S = data.settings;
  var network = api.network, display = core.display;
  var PATH_COLOUR = '#d62728';
  var DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

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
    saveState();
  });
  // The find box shows what it found; a selection made elsewhere empties it.
  core.onSelect(function () { findBox.clear(); });
  network.on('click', function () { findBox.clear(); setTimeout(saveState, 0); });

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

  function searchPaths(a, b) {
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
    }, a, b, data.weights);
  }

  // Computes the index-th cheapest path under the current filters (null: none).
  function compute(a, b, nth) {
    var started = performance.now();
    pathIter = searchPaths(a, b);
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

  function findPath(a, b, nth) {
    if (!info[a] || !info[b]) throw new Error('unknown entity');
    pathFrom = a; pathTo = b; pathIndex = 0;
    fromBox.set(a); toBox.set(b);
    pathAnswer = compute(a, b, nth || 0);
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
    saveState();
  }

  // The standing bodies both ends belong to: structural relations of one type and
  // direction from each end to the same entity ("also: both member of BIS, BCBS").
  function shared(a, b) {
    function bodies(x) {
      var out = {};
      (core.incident[x] || []).forEach(function (eid) {
        var e = core.edgeById[eid], r = rels[eid];
        if (r.cls === 'structural' && e.from === x) out[r.type + ' ' + e.to] = [r.type, e.to];
      });
      return out;
    }
    var A = bodies(a), B = bodies(b), out = [];
    Object.keys(A).forEach(function (k) { if (B[k]) out.push(A[k]); });
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
        return core.typeLabel[x[0]] ? core.typeLabel[x[0]].label + ' ' + display(x[1]) : display(x[1]);
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
    if (!pathFrom || !pathTo) return;
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
    notes();
    hiddenList();
    saveState();
  });

  api.findPath = findPath;
  api.nextPath = nextPath;
  api.clearPath = clearPath;
  api.path = function () {
    return pathAnswer ? { from: pathFrom, to: pathTo, index: pathIndex, nodes: pathAnswer.nodes.slice(),
      cost: pathAnswer.cost, structural: pathAnswer.structural, hops: pathAnswer.hops } : null;
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

  /* ---------- time: the same instant as --as-of ---------- */

  // The last day of a partial date's period: "2019" -> "2019-12-31".
  function lastDay(text) {
    var m = DATE.exec(String(text));
    if (!m) throw new Error('not a date: use YYYY, YYYY-MM or YYYY-MM-DD');
    if (m[3]) return m[0];
    var month = m[2] ? parseInt(m[2], 10) : 12;
    var days = new Date(Date.UTC(parseInt(m[1], 10), month, 0)).getUTCDate();
    return m[1] + '-' + String(month).padStart(2, '0') + '-' + String(days).padStart(2, '0');
  }

  var slider = byId('timeline'), playButton = byId('play'), timer = null;
  var years = data.years;
  if (years) {
    slider.min = years[0];
    slider.max = years[1];
  } else {
    slider.disabled = playButton.disabled = byId('all-dates').disabled = true;
  }

  function inForceCount(t) {
    // Relations that pass every filter but time, and are in force at t.
    var saved = user.instant, out = {};
    user.instant = null;
    data.edges.forEach(function (e) {
      if (core.relReason(e.id) !== null) return;
      var r = rels[e.id];
      if ((r.lo === null || r.lo <= t) && (r.hi === null || r.hi >= t)) out[e.id] = true;
    });
    user.instant = saved;
    return out;
  }

  function setAsOf(date) {
    var previous = user.instant;
    if (date === null || date === undefined || date === '') {
      user.asOf = null;
      user.instant = null;
    } else {
      user.instant = lastDay(date);
      user.asOf = String(date);
    }
    var counter = byId('time-counter');
    if (previous && user.instant && previous !== user.instant) {
      var was = inForceCount(previous), now = inForceCount(user.instant);
      var began = Object.keys(now).filter(function (k) { return !was[k]; }).length;
      var ended = Object.keys(was).filter(function (k) { return !now[k]; }).length;
      counter.textContent = began + ' began, ' + ended + ' ended between ' + previous + ' and ' + user.instant;
      api.lastStep = { from: previous, to: user.instant, began: began, ended: ended };
    } else {
      counter.textContent = '';
      api.lastStep = null;
    }
    timeLabel();
    core.refresh();
  }
  function timeLabel() {
    byId('time-label').textContent = user.instant ? 'in force at ' + user.instant : 'all dates';
    if (user.instant) slider.value = user.instant.slice(0, 4);
    slider.setAttribute('aria-valuetext', user.instant ? 'as at ' + user.instant : 'all dates');
  }
  slider.addEventListener('input', function () { setAsOf(slider.value); });
  byId('all-dates').addEventListener('click', function () { stop(); setAsOf(null); });
  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
    playButton.textContent = '▶';
    playButton.setAttribute('aria-label', 'Play the timeline');
  }
  function play() {
    if (timer) { stop(); return; }
    var y = user.instant ? parseInt(user.instant.slice(0, 4), 10) : years[0] - 1;
    if (y >= years[1]) y = years[0] - 1;
    playButton.textContent = '⏸';
    playButton.setAttribute('aria-label', 'Pause the timeline');
    timer = setInterval(function () {
      y++;
      setAsOf(String(y));
      if (y >= years[1]) stop();
    }, 900);
  }
  playButton.addEventListener('click', play);
  api.setAsOf = setAsOf;
  api.play = play;
  api.pause = stop;

  /* ---------- classes ---------- */

  var structuralBox = byId('structural'), datedBox = byId('dated-only');
  structuralBox.addEventListener('change', function () { user.structural = structuralBox.checked; core.refresh(); });
  datedBox.addEventListener('change', function () { user.datedOnly = datedBox.checked; core.refresh(); });
  core.onReset(function () {
    structuralBox.checked = user.structural;
    datedBox.checked = user.datedOnly;
    stop();
    user.asOf = S.as_of || null;
    user.instant = user.asOf ? lastDay(user.asOf) : null;
    timeLabel();
  });
  api.setStructural = function (on) { structuralBox.checked = user.structural = !!on; core.refresh(); };
  api.setDatedOnly = function (on) { datedBox.checked = user.datedOnly = !!on; core.refresh(); };

  /* ---------- notes: what is not drawn, the path, the ring ---------- */

  function notes() {
    var why = api.leftOut(), parts = [];
    function n(count, one, many) { return count + ' ' + (count === 1 ? one : many); }
    if (why['not in force']) parts.push(n(why['not in force'], 'relation', 'relations') + ' not in force at ' + user.instant);
    if (why.undated) parts.push(n(why.undated, 'undated relation', 'undated relations') + ' (dated only)');
    if (why.structural) parts.push(n(why.structural, 'structural relation', 'structural relations') + ' hidden: tick "structural too"');
    if (why.filtered) parts.push(n(why.filtered, 'relation', 'relations') + ' of unticked types');
    if (why.hidden) parts.push(n(why.hidden, 'relation', 'relations') + ' of hidden entities');
    if (why['beyond the ring']) parts.push(n(why['beyond the ring'], 'relation', 'relations') + ' beyond the drawn ring');
    if (why.entities) parts.push(n(why.entities, 'entity', 'entities') + ' without a drawn relation');
    var left = document.querySelector('#legend .left-out');
    left.textContent = parts.length ? 'Not drawn: ' + parts.join('; ') + '.' : 'Everything in the page is drawn.';
    var pathNote = document.querySelector('#legend .path-note');
    pathNote.textContent = !pathFrom || !pathTo ? '' : pathAnswer
      ? 'Red: the path ' + pathAnswer.nodes.map(display).join(' → ') + (pathAnswer.structural ? ' (needs a structural link)' : '')
      : 'No path ' + display(pathFrom) + ' → ' + display(pathTo) + ' under the current filters.';
    var ring = document.querySelector('#legend .ring-note');
    if (ring) {
      ring.textContent = 'This page holds one ring of entities more than it draws around ' +
        S.roots.map(display).join(', ') + ' (' + S.hops + (S.hops === 1 ? ' hop' : ' hops') +
        ' drawn): select an entity and Expand to bring its neighbours in.';
    }
    if (data.warnings.length && !user.path) {
      var w = document.querySelector('#legend .warning') || el('p', 'warn warning');
      w.textContent = data.warnings.join(' ');
      if (!w.parentNode) byId('legend').appendChild(w);
    }
  }

  /* ---------- the view in the URL fragment ---------- */

  function saveState() {
    if (!ready) return;
    var q = new URLSearchParams();
    [['k', 'kind'], ['t', 'type'], ['j', 'jurisdiction']].forEach(function (g) {
      var off = unticked(g[1]);
      if (off.length) q.set(g[0], off.join(','));
    });
    var hidden = api.hidden();
    if (hidden.length) q.set('h', hidden.join(','));
    var expanded = Object.keys(user.expanded);
    if (expanded.length) q.set('x', expanded.join(','));
    if (api.selected) q.set('s', api.selected);
    if (pathFrom && pathTo) q.set('p', pathFrom + ',' + pathTo + ',' + pathIndex);
    if (user.asOf !== (S.as_of || null)) q.set('d', user.asOf || 'all');
    if (user.structural !== !!S.structural) q.set('st', user.structural ? '1' : '0');
    if (user.datedOnly !== !!S.dated_only) q.set('do', user.datedOnly ? '1' : '0');
    if (user.avoidHubs !== (S.avoid_hubs || null)) q.set('ah', String(user.avoidHubs || 0));
    var hash = q.toString();
    if (hash !== location.hash.slice(1)) {
      history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    }
  }
  api.saveState = saveState;

  // Only known ids, kinds, types and dates are taken from a fragment; the rest is ignored.
  function restoreState() {
    var q = new URLSearchParams(location.hash.slice(1));
    function list(key) { return q.get(key) ? q.get(key).split(',') : []; }
    [['k', 'kind'], ['t', 'type'], ['j', 'jurisdiction']].forEach(function (g) {
      if (q.has(g[0])) setTicks(g[1], list(g[0]));
    });
    list('h').forEach(function (id) { if (info[id]) user.hidden[id] = true; });
    list('x').forEach(function (id) { if (info[id]) user.expanded[id] = true; });
    if (q.has('st')) user.structural = q.get('st') === '1';
    if (q.has('do')) user.datedOnly = q.get('do') === '1';
    if (q.has('ah')) user.avoidHubs = parseInt(q.get('ah'), 10) > 0 ? parseInt(q.get('ah'), 10) : null;
    var d = q.has('d') ? q.get('d') : user.asOf;
    if (d && d !== 'all' && DATE.test(d)) { user.asOf = d; user.instant = lastDay(d); }
    else if (d === 'all') { user.asOf = null; user.instant = null; }
    structuralBox.checked = user.structural;
    datedBox.checked = user.datedOnly;
    hubsInput.value = user.avoidHubs || '';
    var p = list('p');
    return { path: p.length >= 2 && info[p[0]] && info[p[1]] ? p : null,
      selected: info[q.get('s')] ? q.get('s') : null };
  }

  /* ---------- keyboard ---------- */

  document.addEventListener('keydown', function (ev) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
    if (ev.key === '/' && !typing) {
      ev.preventDefault();
      byId('search').focus();
    } else if (ev.key === 'Escape' && !typing) {
      core.clearHighlight();
      core.showHint();
      api.selected = null;
      saveState();
    }
  });

  /* ---------- start ---------- */

  var ready = false;
  var restored = restoreState();
  timeLabel();
  core.start();
  ready = true;
  if (restored.path) findPath(restored.path[0], restored.path[1], parseInt(restored.path[2], 10) || 0);
  else if (data.path.nodes.length >= 2) findPath(data.path.nodes[0], data.path.nodes[data.path.nodes.length - 1]);
  notes();
  hiddenList();
  if (restored.selected) {
    var pick = function () { core.selectNode(restored.selected); api.selected = restored.selected; saveState(); };
    if (api.ready) pick(); else network.once('afterDrawing', function () { setTimeout(pick, 0); });
  }
  saveState();
})();
