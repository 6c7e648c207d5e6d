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

  /* The search graph. ctx: {edges: [{id, from, to}], rels, info}; opts: relOK(eid),
   * nodeOK(id), structural ('yes': on equal terms, 'no', 'fallback': at +1000),
   * avoidHubs (N or null), ends [a, b] (never removed). */
  function build(ctx, opts) {
    var adj = {};
    function ok(n) { return n === opts.ends[0] || n === opts.ends[1] || opts.nodeOK(n); }
    ctx.edges.forEach(function (e) {
      if (e.from === e.to || !opts.relOK(e.id)) return;
      if (!ok(e.from) || !ok(e.to)) return;
      var structural = ctx.rels[e.id].cls === 'structural';
      if (structural && opts.structural === 'no') return;
      var penalty = structural && opts.structural === 'fallback';
      [[e.from, e.to], [e.to, e.from]].forEach(function (p) {
        var m = adj[p[0]] || (adj[p[0]] = {});
        var link = m[p[1]] || (m[p[1]] = { plain: [], penalised: [] });
        (penalty ? link.penalised : link.plain).push(e.id);
      });
    });
    var degree = {};
    Object.keys(adj).forEach(function (n) { degree[n] = Object.keys(adj[n]).length; });
    var removed = {};
    if (opts.avoidHubs) {
      Object.keys(degree).forEach(function (n) {
        if (degree[n] > opts.avoidHubs && opts.ends.indexOf(n) < 0) removed[n] = true;
      });
    }
    return { adj: adj, degree: degree, removed: removed, ctx: ctx };
  }

  function weight(g, v, w) { return w.hub[g.degree[v]] * w.scale + g.ctx.info[v].tb; }
  function stepCost(g, u, v, w) {
    return (weight(g, u, w) + weight(g, v, w)) / 2 + (g.adj[u][v].plain.length ? 0 : w.penalty);
  }
  // The cost shown (as regulink path's): 1 + log2(degree) per entity entered, rounded.
  function shownCost(g, nodes, w) {
    var c = 0;
    for (var i = 1; i < nodes.length; i++) c += w.hub[g.degree[nodes[i]]];
    return Math.round(c) / 1000;
  }

  // Cheapest path from a to b avoiding blocked nodes and blocked steps ('u|v').
  function dijkstra(g, a, b, w, blockedNodes, blockedSteps) {
    var info = g.ctx.info;
    var dist = {}, prev = {}, done = {};
    var heap = new Heap();
    dist[a] = 0;
    heap.push([0, info[a].tb, a]);
    while (heap.a.length) {
      var top = heap.pop(), u = top[2];
      if (done[u]) continue;
      done[u] = true;
      if (u === b) break;
      var nb = g.adj[u];
      if (!nb) continue;
      var keys = Object.keys(nb);
      for (var i = 0; i < keys.length; i++) {
        var v = keys[i];
        if (done[v] || g.removed[v] && v !== b || blockedNodes[v] || blockedSteps[u + '|' + v]) continue;
        var c = dist[u] + stepCost(g, u, v, w);
        if (dist[v] === undefined || c < dist[v]) {
          dist[v] = c;
          prev[v] = u;
          heap.push([c, info[v].tb, v]);
        }
      }
    }
    if (dist[b] === undefined) return null;
    var nodes = [b];
    while (nodes[0] !== a) nodes.unshift(prev[nodes[0]]);
    return { nodes: nodes, cost: dist[b] };
  }

  function costOf(g, nodes, w) {
    var c = 0;
    for (var i = 1; i < nodes.length; i++) c += stepCost(g, nodes[i - 1], nodes[i], w);
    return c;
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
      var a = nodes[i - 1], b = nodes[i], link = g.adj[a][b];
      // Substantive before structural, then as rank_relation orders.
      var pool = link.plain.concat(link.penalised);
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

  /* Paths from a to b, cheapest first (Yen's algorithm): next() gives one more, or null. */
  function paths(ctx, opts, a, b, w) {
    var modes = opts.structural === 'yes' ? ['yes'] : ['no', 'fallback'];
    var g = null, first = null;
    for (var m = 0; m < modes.length && !first; m++) {
      g = build(ctx, Object.assign({}, opts, { structural: modes[m] }));
      if (!g.adj[a] || !g.adj[b]) continue;
      first = dijkstra(g, a, b, w, {}, {});
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
          var tail = dijkstra(g, spur, b, w, blockedNodes, blockedSteps);
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
