/* regulink explorer: the details panel and the tooltips (on top of explorer.js's core).
 *
 * Every string from the fact files reaches the page through textContent or a DOM
 * attribute, never through innerHTML: fact text is data, not markup.
 */
(function () {
  'use strict';

  var api = window.regulink, core = api.core, ui = core.ui, data = core.data;
  var info = core.info, rels = core.rels, sources = core.sources, typeLabel = core.typeLabel;
  var edgeById = core.edgeById, incident = core.incident, state = core.state, el = core.el;
  var safeLink = core.safeLink, display = core.display, fmt = core.fmt, network = api.network;
  var stage = core.stage, clusterById = core.clusterById, clusterOf = core.clusterOf;
  var linkCount = core.linkCount;
  function selectNode(id) { core.selectNode(id); }

  /* ---------- details panel ---------- */

  var panel = core.panel;

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

  // How a relation's time reads: an event "on START"; a state "START – END"; an end that
  // comes from an entity's end (a project that ended) is marked as derived.
  function dates(r) {
    var ended = r.end_derived ? r.eff_end + ' (' + (r.ended_with ? display(r.ended_with) : 'an end') +
      ' ended)' : null;
    if (r.event) {
      var on = r.start ? 'on ' + r.start : 'undated';
      return ended ? on + ', until ' + ended : on;
    }
    if (!r.start && !r.end && !r.eff_start && !r.eff_end) return 'undated';
    var from = r.eff_start || r.start || '…';
    var to = ended || r.end || 'now';
    return from + ' – ' + to + (r.undated ? ' (undated relation)' : '');
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
    if (clusterOf[id]) box.appendChild(groupLine(clusterOf[id]));
    var ids = incident[id] || [];
    box.appendChild(el('h3', null, ids.length + ' relation' + (ids.length === 1 ? '' : 's')));
    var list = el('ul', 'relations');
    ids.forEach(function (eid) {
      var e = edgeById[eid], r = rels[eid];
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
    nodePanelHooks.forEach(function (f) { f(id, panel); });
  }
  var nodePanelHooks = [];

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
    var e = edgeById[eid], r = rels[eid], t = typeLabel[r.type];
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
      var c = clusterById[p.node];
      if (!c) return;
      box.appendChild(el('strong', null, c.label));
      clusterSummary(c, box);
      box.appendChild(el('div', 'tip-meta', 'double-click to expand'));
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
    var box = document.createDocumentFragment();
    if (rels[p.edge]) edgeSummary(p.edge, box);
    else if (linkCount[p.edge] !== undefined) linkSummary(p.edge, box);
    else return;
    clearTimeout(tipTimer);
    tip.replaceChildren(box);
    placeTip(p.pointer);
  });
  network.on('blurNode', function () { hideTooltip(false); });
  network.on('blurEdge', function () { hideTooltip(false); });
  network.on('dragStart', function () { hideTooltip(true); });
  network.on('zoom', function () { hideTooltip(true); });


  function groupLine(cid) { return core.groupLine(cid); }
  function clusterSummary(c, box) { return core.clusterSummary(c, box); }
  function linkSummary(key, box) { return core.linkSummary(key, box); }

  // What explorer.js calls (ui) and what tools.js builds on (core).
  Object.assign(ui, { showHint: showHint, showNode: showNode, showEdge: showEdge,
    edgeSummary: edgeSummary, entityButton: entityButton, hideTooltip: hideTooltip });
  Object.assign(core, { showHint: showHint, showNode: showNode, dates: dates, field: field,
    sourceList: sourceList, entityButton: entityButton,
    onNodePanel: function (f) { nodePanelHooks.push(f); } });
})();
