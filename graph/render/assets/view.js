/* regulink explorer: the view around the questions: time (the same instant as --as-of),
 * relation classes, the legend's notes on what is not drawn, the keyboard, and the whole
 * view kept in the URL's fragment; then the start of the page, from that fragment.
 */
(function () {
  'use strict';

  var api = window.regulink, core = api.core, data = core.data, info = core.info;
  var rels = core.rels, el = core.el, user = core.user, S = data.settings;
  var network = api.network, display = core.display, t = core.tools;
  var byId = t.byId, unticked = t.unticked, setTicks = t.setTicks;
  var DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  var hubsInput = byId('avoid-hubs');

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
    var p = t.path(), pathFrom = p.from, pathTo = p.to, pathAnswer = p.answer;
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
    var p = t.path();
    if (p.from && p.to) q.set('p', p.from + ',' + p.to + ',' + p.index);
    if (user.asOf !== (S.as_of || null)) q.set('d', user.asOf || 'all');
    if (user.structural !== !!S.structural) q.set('st', user.structural ? '1' : '0');
    if (user.datedOnly !== !!S.dated_only) q.set('do', user.datedOnly ? '1' : '0');
    if (user.avoidHubs !== (S.avoid_hubs || null)) q.set('ah', String(user.avoidHubs || 0));
    var hash = q.toString().replace(/%2C/g, ','); // commas are fine in a fragment
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

  core.onChange(function () { notes(); saveState(); });
  var ready = false;
  var restored = restoreState();
  timeLabel();
  core.start();
  ready = true;
  if (restored.path) t.findPath(restored.path[0], restored.path[1], parseInt(restored.path[2], 10) || 0);
  else if (data.path.nodes.length >= 2) {
    // regulink path's answer (on all the facts) first; the page's own searches run on the
    // data it holds, where degrees count only the entities in the page.
    t.findPath(data.path.nodes[0], data.path.nodes[data.path.nodes.length - 1], 0, data.path.nodes);
  }
  notes();
  t.hiddenList();
  if (restored.selected) {
    var pick = function () { core.selectNode(restored.selected); api.selected = restored.selected; saveState(); };
    if (api.ready) pick(); else network.once('afterDrawing', function () { setTimeout(pick, 0); });
  }
  saveState();
})();
