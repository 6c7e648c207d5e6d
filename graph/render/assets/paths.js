/* regulink explorer: hub-aware paths, computed in the page (window.RegulinkPaths).
 *
 * The same rules as `regulink path` (graph/semantics.py, graph/routing.py): the search
 * graph holds the relations that pass the page's filters, less hidden entities (never the
 * two ends) and, with "avoid hubs N", intermediaries linked to more than N entities.
 * Entering an entity costs 1 + log2(degree), degree being the number of distinct entities
 * it is linked to in the graph searched; the cheapest path wins. Substantive relations
 * only, unless structural ones are allowed; if no such path exists, structural relations
 * are admitted at a thousand hops' cost each, so the fewest are used, and such a hop is
 * labelled with its type's "via" phrase.
 *
 * Weights are the CLI's integers, shipped from Python (data.weights: hub_cost per degree,
 * each entity's tiebreak, the scale and the penalty): an entity weighs
 * hub_cost(degree) * scale + tiebreak, a step (W(u) + W(v)) / 2 (+ the penalty for a
 * structural step taken as a last resort). Sums of such integers are exact in doubles, so
 * the page and `regulink path` pick the same path, ties included.
 */
(function () {
  'use strict';

  // A binary heap of [cost, tie, node], cheapest first (the tie keeps pops deterministic).
  function Heap() { this.a = []; }
  Heap.prototype.less = function (x, y) { return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]); };
  Heap.prototype.push = function (item) {
    var a = this.a, i = a.length;
    a.push(item);
    while (i > 0) {
      var p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      var t = a[i]; a[i] = a[p]; a[p] = t; i = p;
    }
  };
  Heap.prototype.pop = function () {
    var a = this.a, top = a[0], last = a.pop();
    if (a.length) {
      a[0] = last;
      var i = 0, n = a.length;
      for (;;) {
        var l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && this.less(a[l], a[m])) m = l;
        if (r < n && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        var t = a[i]; a[i] = a[m]; a[m] = t; i = m;
      }
    }
    return top;
  };

  /* Entity positions and each relation's ends as integers, once per page. */
  var statics = null;
  function prepare(ctx) {
    if (statics && statics.ctx === ctx) return statics;
    var ids = Object.keys(ctx.info), index = {};
    ids.forEach(function (id, i) { index[id] = i; });
    var E = ctx.edges.length, from = new Int32Array(E), to = new Int32Array(E);
    var structural = new Uint8Array(E), tb = new Float64Array(ids.length);
    ctx.edges.forEach(function (e, i) {
      from[i] = index[e.from]; to[i] = index[e.to];
      structural[i] = ctx.rels[e.id].cls === 'structural' ? 1 : 0;
    });
    ids.forEach(function (id, i) { tb[i] = ctx.info[id].tb; });
    statics = { ctx: ctx, ids: ids, index: index, from: from, to: to, structural: structural, tb: tb };
    return statics;
  }

  /* The search graph, as compressed adjacency: for entity u, its distinct neighbours
   * nbr[start[u]..start[u+1]) and whether a non-penalised relation joins them (plain).
   * opts: relOK(eid), nodeOK(id), structural ('yes': on equal terms, 'no', 'fallback':
   * structural steps penalised), ends [a, b] (kept whatever nodeOK says); w: the weights
   * from Python. */
  function build(ctx, opts, w) {
    var st = prepare(ctx), n = st.ids.length, edges = ctx.edges, E = edges.length;
    var mode = opts.structural;
    var nodeOk = new Uint8Array(n);
    for (var k = 0; k < n; k++) nodeOk[k] = opts.nodeOK(st.ids[k]) ? 1 : 0;
    opts.ends.forEach(function (id) { if (st.index[id] !== undefined) nodeOk[st.index[id]] = 1; });
    var keep = new Uint8Array(E), count = new Int32Array(n + 1);
    for (var i = 0; i < E; i++) {
      var u = st.from[i], v = st.to[i];
      if (u === v || !nodeOk[u] || !nodeOk[v]) continue;
      if (st.structural[i] && mode === 'no') continue;
      if (!opts.relOK(edges[i].id)) continue;
      keep[i] = 1 + (st.structural[i] && mode === 'fallback' ? 1 : 0);
      count[u + 1]++; count[v + 1]++;
    }
    for (k = 0; k < n; k++) count[k + 1] += count[k];
    var slotN = new Int32Array(count[n]), slotP = new Uint8Array(count[n]), fill = count.slice(0, n);
    for (i = 0; i < E; i++) {
      if (!keep[i]) continue;
      var a = st.from[i], b = st.to[i], plain = keep[i] === 1 ? 1 : 0;
      slotN[fill[a]] = b; slotP[fill[a]++] = plain;
      slotN[fill[b]] = a; slotP[fill[b]++] = plain;
    }
    // Distinct neighbours: a stamp per neighbour marks the first slot seen from this row.
    var start = new Int32Array(n + 1), nbr = new Int32Array(count[n]), plainOf = new Uint8Array(count[n]);
    var stamp = new Int32Array(n).fill(-1), where = new Int32Array(n), m = 0;
    var degree = new Int32Array(n), weight = new Float64Array(n);
    for (u = 0; u < n; u++) {
      start[u] = m;
      for (var s = count[u]; s < count[u + 1]; s++) {
        v = slotN[s];
        if (stamp[v] !== u) { stamp[v] = u; where[v] = m; nbr[m] = v; plainOf[m++] = slotP[s]; }
        else if (slotP[s]) plainOf[where[v]] = 1;
      }
      degree[u] = m - start[u];
      weight[u] = w.hub[degree[u]] * w.scale + st.tb[u];
    }
    start[n] = m;
    return { st: st, ctx: ctx, start: start, nbr: nbr, plain: plainOf, degree: degree,
      weight: weight, slots: count, slotN: slotN, keep: keep };
  }

  function has(g, id) {
    var u = g.st.index[id];
    return u !== undefined && g.degree[u] > 0;
  }
  function stepPlain(g, u, v) {
    for (var s = g.start[u]; s < g.start[u + 1]; s++) if (g.nbr[s] === v) return g.plain[s];
    return 0;
  }
  // The cost shown (as regulink path's): 1 + log2(degree) per entity entered, rounded.
  function shownCost(g, nodes, w) {
    var c = 0;
    for (var i = 1; i < nodes.length; i++) c += w.hub[g.degree[g.st.index[nodes[i]]]];
    return Math.round(c) / 1000;
  }

  // Cheapest path from a to b (ids) avoiding hubs (degree above avoidHubs, the ends
  // excepted), blocked nodes (ids) and blocked steps ('u|v' of ids).
  function dijkstra(g, a, b, w, avoidHubs, blockedNodes, blockedSteps) {
    var st = g.st, n = st.ids.length, ia = st.index[a], ib = st.index[b];
    var dist = new Float64Array(n).fill(Infinity), prev = new Int32Array(n).fill(-1);
    var done = new Uint8Array(n), blocked = new Uint8Array(n);
    Object.keys(blockedNodes).forEach(function (id) { blocked[st.index[id]] = 1; });
    var steps = Object.keys(blockedSteps).length ? blockedSteps : null;
    var heap = new Heap();
    dist[ia] = 0;
    heap.push([0, st.tb[ia], ia]);
    while (heap.a.length) {
      var u = heap.pop()[2];
      if (done[u]) continue;
      done[u] = 1;
      if (u === ib) break;
      var du = dist[u], wu = g.weight[u];
      for (var s = g.start[u]; s < g.start[u + 1]; s++) {
        var v = g.nbr[s];
        if (done[v] || blocked[v]) continue;
        if (avoidHubs && g.degree[v] > avoidHubs && v !== ib) continue;
        if (steps && steps[st.ids[u] + '|' + st.ids[v]]) continue;
        var c = du + ((wu + g.weight[v]) / 2 + (g.plain[s] ? 0 : w.penalty));
        if (c < dist[v]) {
          dist[v] = c;
          prev[v] = u;
          heap.push([c, st.tb[v], v]);
        }
      }
    }
    if (dist[ib] === Infinity) return null;
    var nodes = [ib];
    while (nodes[0] !== ia) nodes.unshift(prev[nodes[0]]);
    return { nodes: nodes.map(function (x) { return st.ids[x]; }), cost: dist[ib] };
  }

  function costOf(g, nodes, w) {
    var c = 0, ix = g.st.index;
    for (var i = 1; i < nodes.length; i++) {
      var u = ix[nodes[i - 1]], v = ix[nodes[i]];
      c += (g.weight[u] + g.weight[v]) / 2 + (stepPlain(g, u, v) ? 0 : w.penalty);
    }
    return c;
  }

  // The relations a step uses: kept ones joining u and v, (penalised or not).
  function stepRelations(g, a, b) {
    var st = g.st, u = st.index[a], v = st.index[b], out = [], plain = [];
    for (var i = 0; i < st.from.length; i++) {
      if (!g.keep[i]) continue;
      if ((st.from[i] === u && st.to[i] === v) || (st.from[i] === v && st.to[i] === u)) {
        out.push(g.ctx.edges[i].id);
        if (g.keep[i] === 1) plain.push(g.ctx.edges[i].id);
      }
    }
    return { all: out, plain: plain };
  }

  // Which relation a hop shows (graph/hops.py's rank_relation): read forwards if one can,
  // best sourced, earliest, then by key.
  function rankKey(ctx, a, eid) {
    var e = ctx.edgeById[eid], r = ctx.rels[eid];
    var forward = e.from === a || r.symmetric;
    return [forward ? 0 : 1, -r.sources.length, r.start || '9999', eid];
  }
  function cmp(x, y) {
    for (var i = 0; i < x.length; i++) {
      if (x[i] < y[i]) return -1;
      if (x[i] > y[i]) return 1;
    }
    return 0;
  }

  function hops(g, nodes) {
    var ctx = g.ctx, out = [];
    for (var i = 1; i < nodes.length; i++) {
      var a = nodes[i - 1], b = nodes[i], link = stepRelations(g, a, b);
      // Substantive before structural, then as rank_relation orders.
      var pool = link.all;
      var best = pool.slice().sort(function (x, y) {
        var sx = ctx.rels[x].cls === 'structural' ? 1 : 0, sy = ctx.rels[y].cls === 'structural' ? 1 : 0;
        return sx - sy || cmp(rankKey(ctx, a, x), rankKey(ctx, a, y));
      })[0];
      var e = ctx.edgeById[best], r = ctx.rels[best];
      out.push({
        from: a, to: b, type: r.type,
        direction: e.from === a || r.symmetric ? 'forward' : 'backward',
        // Effective dates, as regulink path gives them (an end from an ended entity is
        // end_derived).
        'class': r.cls, event: r.event, start: r.eff_start, end: r.eff_end,
        end_derived: r.end_derived, ended_with: r.ended_with,
        undated: r.undated, sources: r.sources.slice(), note: r.note, key: best,
        via: r.cls === 'structural' && ctx.typeVia[r.type] ? ctx.typeVia[r.type] : undefined,
        fallback: !link.plain.length
      });
    }
    return out;
  }

  /* Paths from a to b, cheapest first (Yen's algorithm): next() gives one more, or null.
   * Graphs are kept per opts.signature (what the filters are) and class mode, so asking
   * again under the same filters costs only the search. */
  var cache = { signature: null, graphs: {} };
  function graphFor(ctx, opts, mode, w) {
    if (cache.signature !== opts.signature) cache = { signature: opts.signature, graphs: {} };
    // Hidden ends are kept in the graph, which then holds for these ends only.
    var ends = opts.nodeOK(opts.ends[0]) && opts.nodeOK(opts.ends[1]) ? '' : opts.ends.join('|');
    var key = mode + '|' + ends;
    if (!cache.graphs[key]) cache.graphs[key] = build(ctx, Object.assign({}, opts, { structural: mode }), w);
    return cache.graphs[key];
  }

  // Whether every step of nodes is in g (and no intermediary is an avoided hub).
  function holds(g, nodes, hubs) {
    var ix = g.st.index;
    for (var i = 1; i < nodes.length; i++) {
      var u = ix[nodes[i - 1]], v = ix[nodes[i]], found = false;
      if (u === undefined || v === undefined) return false;
      if (hubs && i < nodes.length - 1 && g.degree[v] > hubs) return false;
      for (var s = g.start[u]; s < g.start[u + 1] && !found; s++) found = g.nbr[s] === v;
      if (!found) return false;
    }
    return true;
  }

  /* given: a path to answer with first if the graph holds it (regulink path's own answer,
   * computed in Python on all the facts, for a path page whose data is a ring of them). */
  function paths(ctx, opts, a, b, w, given) {
    var modes = opts.structural === 'yes' ? ['yes'] : ['no', 'fallback'];
    var g = null, first = null, hubs = opts.avoidHubs;
    for (var m = 0; m < modes.length && !first; m++) {
      g = graphFor(ctx, opts, modes[m], w);
      if (!has(g, a) || !has(g, b)) continue;
      if (given && holds(g, given, hubs)) first = { nodes: given.slice(), cost: costOf(g, given, w) };
      else first = dijkstra(g, a, b, w, hubs, {}, {});
    }
    var found = first ? [first] : [], candidates = [], seen = {};
    if (first) seen[first.nodes.join('>')] = true;
    function answer(p) {
      var hs = hops(g, p.nodes);
      return { nodes: p.nodes, cost: shownCost(g, p.nodes, w), weight: p.cost, hops: hs,
        structural: hs.some(function (h) { return h.fallback; }) };
    }
    var given = 0;
    return {
      graph: function () { return g; },
      next: function () {
        if (given < found.length) return answer(found[given++]);
        if (!found.length) return null;
        var last = found[found.length - 1].nodes;
        for (var i = 0; i < last.length - 1; i++) {
          var spur = last[i], root = last.slice(0, i + 1);
          var blockedSteps = {}, blockedNodes = {};
          found.forEach(function (p) {
            if (p.nodes.length > i && p.nodes.slice(0, i + 1).join('>') === root.join('>')) {
              blockedSteps[p.nodes[i] + '|' + p.nodes[i + 1]] = true;
              blockedSteps[p.nodes[i + 1] + '|' + p.nodes[i]] = true;
            }
          });
          root.slice(0, -1).forEach(function (n) { blockedNodes[n] = true; });
          var tail = dijkstra(g, spur, b, w, hubs, blockedNodes, blockedSteps);
          if (!tail) continue;
          var nodes = root.slice(0, -1).concat(tail.nodes), key = nodes.join('>');
          if (seen[key]) continue;
          seen[key] = true;
          candidates.push({ nodes: nodes, cost: costOf(g, nodes, w) });
        }
        if (!candidates.length) return null;
        candidates.sort(function (x, y) { return x.cost - y.cost || x.nodes.length - y.nodes.length; });
        found.push(candidates.shift());
        given++;
        return answer(found[found.length - 1]);
      }
    };
  }

  window.RegulinkPaths = { build: build, paths: paths };
})();
