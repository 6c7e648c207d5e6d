/* regulink explorer: the view as a PNG or SVG picture, what is drawn as CSV, a link.
 *
 * All made in the page, without a network: the PNG is vis-network's canvas on white; the
 * SVG is drawn from the positions (lines, dots, labels as SVG text nodes, so fact text
 * stays text); the CSVs quote every cell and defuse cells a spreadsheet would run as a
 * formula (=, +, -, @, tab, carriage return: prefixed with an apostrophe).
 */
(function () {
  'use strict';

  var api = window.regulink, core = api.core, data = core.data, info = core.info;
  var rels = core.rels, network = api.network;
  var SVG_NS = 'http://www.w3.org/2000/svg';

  function save(name, blob) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  function png() {
    var src = network.canvas.frame.canvas;
    var out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    var ctx = out.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    return out;
  }
  api.exportPNG = function () { return png().toDataURL('image/png'); };

  function drawnNodes() {
    return data.nodes.filter(function (n) { return core.shown[n.id] && !core.state.hiddenNodes[n.id]; });
  }
  function drawnEdges() {
    return data.edges.filter(function (e) { return core.shown[e.id] && !core.state.hiddenEdges[e.id]; });
  }
  function colourOf(c) { return typeof c === 'string' ? c : c && c.background ? c.background : '#999999'; }

  api.exportSVG = function () {
    var ns = drawnNodes(), es = drawnEdges();
    var pos = network.getPositions(ns.map(function (n) { return n.id; }));
    var xs = [], ys = [];
    ns.forEach(function (n) { xs.push(pos[n.id].x); ys.push(pos[n.id].y); });
    var pad = 60;
    var minX = Math.min.apply(null, xs.concat([0])) - pad, minY = Math.min.apply(null, ys.concat([0])) - pad;
    var w = Math.max.apply(null, xs.concat([0])) + pad - minX, h = Math.max.apply(null, ys.concat([0])) + pad - minY;
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('xmlns', SVG_NS);
    svg.setAttribute('viewBox', [minX, minY, w, h].join(' '));
    svg.setAttribute('width', String(Math.round(w)));
    svg.setAttribute('height', String(Math.round(h)));
    var bg = document.createElementNS(SVG_NS, 'rect');
    [['x', minX], ['y', minY], ['width', w], ['height', h], ['fill', '#ffffff']].forEach(function (a) { bg.setAttribute(a[0], String(a[1])); });
    svg.appendChild(bg);
    es.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (!a || !b) return;
      var line = document.createElementNS(SVG_NS, 'line');
      line.setAttribute('x1', a.x); line.setAttribute('y1', a.y);
      line.setAttribute('x2', b.x); line.setAttribute('y2', b.y);
      line.setAttribute('stroke', core.edgeById[e.id].color === '#d62728' ? '#d62728' : '#9aa5b1');
      line.setAttribute('stroke-width', String(core.edgeById[e.id].width || 1));
      svg.appendChild(line);
    });
    ns.forEach(function (n) {
      var p = pos[n.id];
      var c = document.createElementNS(SVG_NS, 'circle');
      c.setAttribute('cx', p.x); c.setAttribute('cy', p.y); c.setAttribute('r', String(n.size || 8));
      c.setAttribute('fill', colourOf(core.nodeById[n.id].color));
      c.setAttribute('stroke', '#333333');
      c.setAttribute('stroke-width', '0.5');
      var title = document.createElementNS(SVG_NS, 'title');
      title.textContent = info[n.id].name;
      c.appendChild(title);
      svg.appendChild(c);
      var t = document.createElementNS(SVG_NS, 'text');
      t.setAttribute('x', p.x); t.setAttribute('y', p.y + (n.size || 8) + 12);
      t.setAttribute('text-anchor', 'middle');
      t.setAttribute('font-family', 'system-ui, sans-serif');
      t.setAttribute('font-size', '12');
      t.textContent = n.label;
      svg.appendChild(t);
    });
    return new XMLSerializer().serializeToString(svg);
  };

  // One CSV cell: quoted always; a leading character that makes a spreadsheet evaluate the
  // cell is defused with an apostrophe.
  function cell(v) {
    var s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return '"' + s.replace(/"/g, '""') + '"';
  }
  function csv(rows) { return rows.map(function (r) { return r.map(cell).join(','); }).join('\r\n') + '\r\n'; }

  api.exportCSV = function () {
    var ents = [['id', 'name', 'short_name', 'kind', 'jurisdiction']];
    drawnNodes().forEach(function (n) {
      var i = info[n.id];
      ents.push([n.id, i.name, i.short_name, i.kind, i.jurisdiction]);
    });
    var rows = [['id', 'type', 'from', 'to', 'class', 'start', 'end', 'effective_start',
      'effective_end', 'end_derived', 'undated', 'role', 'note', 'sources']];
    drawnEdges().forEach(function (e) {
      var r = rels[e.id];
      rows.push([e.id, r.type, e.from, e.to, r.cls, r.start, r.end, r.eff_start, r.eff_end,
        r.end_derived ? 'yes' : 'no', r.undated ? 'yes' : 'no', r.role, r.note, r.sources]);
    });
    return { entities: csv(ents), relations: csv(rows) };
  };

  document.getElementById('export-png').addEventListener('click', function () {
    png().toBlob(function (blob) { save('regulink-view.png', blob); }, 'image/png');
  });
  document.getElementById('export-svg').addEventListener('click', function () {
    save('regulink-view.svg', new Blob([api.exportSVG()], { type: 'image/svg+xml' }));
  });
  document.getElementById('export-csv').addEventListener('click', function () {
    var out = api.exportCSV();
    save('regulink-entities.csv', new Blob(['\ufeff' + out.entities], { type: 'text/csv' }));
    save('regulink-relations.csv', new Blob(['\ufeff' + out.relations], { type: 'text/csv' }));
  });
  document.getElementById('copy-link').addEventListener('click', function () {
    var b = this;
    api.saveState();
    var done = function (ok) { b.textContent = ok ? 'Link copied' : 'Copy the address bar'; setTimeout(function () { b.textContent = 'Link'; }, 2000); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(location.href).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  });
})();
