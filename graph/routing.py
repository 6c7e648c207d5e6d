"""Paths that explain: hub-aware, class-aware and coherent in time, on a :class:`PathIndex`.

The rules (see :mod:`regulink.graph.semantics`):

- a path uses substantive relations; only when none joins the two ends are structural ones
  admitted, each costing as much as a thousand ordinary hops, so the fewest are used, and
  they are labelled (``structural=True`` admits them on equal terms);
- among paths, the cheapest wins, where entering an entity of degree *d* (distinct entities
  linked in the graph searched) costs ``1 + log2(d)``: specific intermediaries beat hubs;
  equal costs are decided by :func:`~regulink.graph.semantics.tiebreak`, the same everywhere;
- with ``as_of``, every hop is in force on that one instant.

Examples
--------
A hub ``h`` joins ``a`` and ``b`` in two hops; a chain of specific partners in four. The
chain wins; without ``h``'s class rule a plain shortest path would take the hub.

>>> from regulink.graph.model import Entity, FactBase, Relation
>>> from regulink.graph.pathindex import PathIndex
>>> ents = {k: Entity(k, "regulator", k.upper(), None, (), "SG")
...         for k in ["a", "b", "x", "y", "z", "h"] + [f"m{i}" for i in range(40)]}
>>> def rel(t, u, v):
...     return Relation(t, u, v, "2020", None, None, None, ("s",), symmetric=True)
>>> rels = [rel("partners_with", u, v) for u, v in
...         [("a", "x"), ("x", "y"), ("y", "z"), ("z", "b"), ("a", "h"), ("h", "b")]]
>>> rels += [rel("partners_with", "h", f"m{i}") for i in range(40)]
>>> router = Router(PathIndex.from_facts(FactBase(entities=ents, relations=rels)))
>>> [h["to"] for h in router.cheapest("a", "b").hops]
['x', 'y', 'z', 'b']
>>> [h["to"] for h in router.cheapest("a", "b", Query(max_hops=2)).hops]
['h', 'b']
>>> [h["to"] for h in router.cheapest("a", "b", Query(exclude=frozenset({"y"}))).hops]
['h', 'b']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import dijkstra

from regulink.errors import NoPath
from regulink.graph.hops import MAX_PATHS, hop, rank_relation
from regulink.graph.model import Relation
from regulink.graph.schema import load_schema
from regulink.graph.semantics import STRUCTURAL_PENALTY, WEIGHT_SCALE, hub_cost, instant

__all__ = ["MAX_PATHS", "Query", "Route", "Router"]


@dataclass(frozen=True)
class Query:
    """What a path may use. Every field narrows the graph searched except ``structural``,
    which widens it, and ``directed``, which walks relations only from ``from`` to ``to``
    (symmetric ones both ways)."""

    types: frozenset[str] | None = None
    exclude_types: frozenset[str] = frozenset()
    exclude_kinds: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    structural: bool = False
    as_of: str | None = None
    dated_only: bool = False
    avoid_hubs: int | None = None
    max_hops: int | None = None
    directed: bool = False

    @property
    def narrowed(self) -> bool:
        """Whether anything but the class rule keeps relations or entities out."""
        return bool(
            self.types is not None
            or self.exclude_types
            or self.exclude_kinds
            or self.exclude
            or self.as_of
            or self.dated_only
            or self.avoid_hubs is not None
            or self.max_hops is not None
            or self.directed
        )


@dataclass
class Route:
    """One answer: its hops (see :func:`regulink.graph.hops.hop`, plus ``class``,
    ``event``, ``end_derived``, ``ended_with``, ``undated``), its cost in hop units
    (``1 + log2(degree)`` per entity entered) and whether structural links had to be
    admitted because nothing substantive joins the ends."""

    hops: list[dict]
    cost: float
    fallback: bool = False
    nodes: list[int] = field(default_factory=list, repr=False)


class _Graph:
    """The graph one query searches: which CSR slots it keeps, degrees and weights."""

    def __init__(self, router: Router, q: Query, ends: tuple[int, ...], admit: bool):
        ix = router.index
        n = len(ix.indptr) - 1
        schema = load_schema()
        allowed = np.array(
            [
                (admit or not schema.relation_types[t].structural)
                and (q.types is None or t in q.types)
                and t not in q.exclude_types
                for t in ix.type_names
            ],
            bool,
        )
        rel_ok = allowed[ix.rel_types]
        if q.as_of is not None:
            t = instant(q.as_of).toordinal()
            rel_ok &= (ix.start_lo <= t) & (ix.end_hi >= t)
        if q.dated_only:
            rel_ok &= ~ix.undated
        node_ok = np.ones(n, bool)
        if q.exclude_kinds:
            blocked = np.array([k in q.exclude_kinds for k in ix.kind_names], bool)
            node_ok &= ~blocked[ix.kinds]
        for e in q.exclude:
            p = ix.position(e)
            if p is not None:
                node_ok[p] = False
        node_ok[list(ends)] = True
        heads, nbr = router.heads, ix.neighbours
        slot_ok = rel_ok[ix.relations] & node_ok[nbr] & node_ok[heads]
        if q.directed:
            # a slot walks its relation forwards when its row is the relation's from end
            forward = ix.rel_from[ix.relations] == heads
            slot_ok &= forward | router.symmetric[ix.relations]
        self.degree = self._degree(slot_ok, heads, nbr, n)
        if q.avoid_hubs is not None:
            hub = self.degree > q.avoid_hubs
            hub[list(ends)] = False
            slot_ok &= ~hub[nbr] & ~hub[heads]
        self.slot_ok, self.n = slot_ok, n
        self.admit = admit and not q.structural  # structural admitted as a last resort
        self.router = router

    @staticmethod
    def _degree(slot_ok, heads, nbr, n) -> np.ndarray:
        # Rows are sorted by neighbour, so parallel relations are adjacent: a slot counts
        # when it starts a new (row, neighbour) pair. Degree is undirected, whatever walks.
        sel = np.flatnonzero(slot_ok)
        h, v = heads[sel], nbr[sel]
        first = np.ones(len(sel), bool)
        first[1:] = (h[1:] != h[:-1]) | (v[1:] != v[:-1])
        return np.bincount(h[first], minlength=n)

    @cached_property
    def weights(self) -> np.ndarray:
        """Each entity's weight as a path enters it (exact integers in float64)."""
        costs = (
            np.array([hub_cost(d) for d in range(int(self.degree.max(initial=0)) + 1)], np.float64)
            * WEIGHT_SCALE
        )
        return costs[self.degree] + self.router.index.tiebreaks

    def matrix(self) -> scipy.sparse.csr_matrix:
        """The searched graph with edge weights ``(W(u) + W(v)) / 2`` (+ the penalty on a
        structural pair when structural links are a last resort): symmetric, so any
        shortest-path algorithm ranks paths as entering-cost would."""
        ix, heads = self.router.index, self.router.heads
        sel = np.flatnonzero(self.slot_ok)
        h, v = heads[sel], ix.neighbours[sel]
        W = self.weights
        w = (W[h] + W[v]) / 2
        if self.admit:
            w = w + STRUCTURAL_PENALTY * self.router.structural[ix.relations[sel]]
        first = np.ones(len(sel), bool)
        first[1:] = (h[1:] != h[:-1]) | (v[1:] != v[:-1])
        starts = np.flatnonzero(first)
        if len(starts):
            w = np.minimum.reduceat(w, starts)  # of parallel relations, the cheapest
        h, v = h[starts], v[starts]
        indptr = np.zeros(self.n + 1, np.int64)
        np.cumsum(np.bincount(h, minlength=self.n), out=indptr[1:])
        return scipy.sparse.csr_matrix((w, v, indptr), shape=(self.n, self.n))

    def cost(self, nodes: list[int]) -> float:
        """The path's cost in hop units: ``1 + log2(degree)`` for each entity entered."""
        return round(sum(hub_cost(int(self.degree[x])) for x in nodes[1:]) / 1000, 3)


class Router:
    """Answers path queries on a :class:`~regulink.graph.pathindex.PathIndex`."""

    def __init__(self, index):
        self.index = index

    @cached_property
    def heads(self) -> np.ndarray:
        """Each CSR slot's row (the entity it leaves from)."""
        ix = self.index
        return np.repeat(np.arange(len(ix.indptr) - 1, dtype=np.int32), np.diff(ix.indptr))

    @cached_property
    def structural(self) -> np.ndarray:
        rts = load_schema().relation_types
        table = np.array([rts[t].structural for t in self.index.type_names], bool)
        return table[self.index.rel_types]

    @cached_property
    def symmetric(self) -> np.ndarray:
        rts = load_schema().relation_types
        table = np.array([rts[t].symmetric for t in self.index.type_names], bool)
        return table[self.index.rel_types]

    def _positions(self, *ids: str) -> list[int]:
        out = []
        for e in ids:
            p = self.index.position(e)
            if p is None:
                raise ValueError(f"{e!r} is not a node of the graph")
            out.append(p)
        return out

    # -- search ---------------------------------------------------------------------------
    def graphs(self, a: int, b: int, q: Query, *extra: int):
        """The graph to search first, then (unless structural links are admitted anyway)
        the last-resort one with them; the second is built only if asked for."""
        ends = (a, b, *extra)
        yield _Graph(self, q, ends, admit=q.structural)
        if not q.structural:
            yield _Graph(self, q, ends, admit=True)

    def cheapest(self, source: str, target: str, q: Query | None = None) -> Route:
        """The cheapest path from ``source`` to ``target`` (entity ids).

        Raises :class:`~regulink.errors.NoPath` (with the plain hop count when options
        narrowed the graph) and ``ValueError`` for an unknown id or equal ends.
        """
        q = q or Query()
        if q.max_hops is not None and q.max_hops < 1:
            raise ValueError("max_hops must be at least 1")
        a, b = self._positions(source, target)
        if a == b:
            raise ValueError("a path needs two different entities")
        for g in self.graphs(a, b, q):
            nodes = self._dijkstra(g, a, b)
            if nodes is not None and q.max_hops is not None and len(nodes) - 1 > q.max_hops:
                nodes = self.index._bfs(a, b, g.slot_ok, None)  # fewest hops, then
                if nodes is not None and len(nodes) - 1 > q.max_hops:
                    nodes = None
            if nodes is not None:
                return self.route(g, nodes)
        raise self.no_path(source, target, a, b, q)

    @staticmethod
    def _dijkstra(g: _Graph, a: int, b: int) -> list[int] | None:
        dist, pred = dijkstra(g.matrix(), directed=True, indices=a, return_predecessors=True)
        if not np.isfinite(dist[b]):
            return None
        nodes = [b]
        while nodes[-1] != a:
            nodes.append(int(pred[nodes[-1]]))
        return nodes[::-1]

    def no_path(self, source: str, target: str, a: int, b: int, q: Query) -> NoPath:
        unfiltered = None
        if q.narrowed:
            plain = self.index._bfs(a, b, None, None)
            unfiltered = None if plain is None else len(plain) - 1
        return NoPath(source, target, filtered=q.narrowed, unfiltered=unfiltered)

    # -- reading a path -------------------------------------------------------------------
    def route(self, g: _Graph, nodes: list[int]) -> Route:
        hops = [self.hop(g, u, v) for u, v in itertools.pairwise(nodes)]
        fallback = g.admit and any(h["class"] == "structural" for h in hops)
        return Route(hops, g.cost(nodes), fallback, nodes)

    def hop(self, g: _Graph, u: int, v: int) -> dict:
        """The relation that best evidences the step ``u -> v`` in graph ``g``: substantive
        before structural, then as :func:`~regulink.graph.hops.rank_relation` orders."""
        ix = self.index
        lo, hi = int(ix.indptr[u]), int(ix.indptr[u + 1])
        slots = lo + np.flatnonzero(ix.neighbours[lo:hi] == v)
        slots = slots[g.slot_ok[slots]]
        numbers = [int(x) for x in ix.relations[slots]]
        a, b = ix.ids[u], ix.ids[v]
        structural = self.structural

        def fields(n: int, d: Relation) -> dict:
            return {
                "rel_from": d.from_,
                "sources": d.sources,
                "start": d.start,
                "key": d.key,
                "symmetric": d.symmetric,
            }

        n, d = min(
            zip(numbers, ix.details(numbers), strict=False),
            key=lambda nd: (bool(structural[nd[0]]), rank_relation(a, **fields(*nd))),
        )
        out = hop(a, b, type=d.type, end=d.end, note=d.note, **fields(n, d))
        rt = load_schema().relation_types[d.type]
        out["class"] = rt.relation_class
        out["event"] = rt.event
        out["undated"] = bool(ix.undated[n])
        s, e = int(ix.start_from[n]), int(ix.end_from[n])
        if s >= 0:
            out["start"] = ix.life(s)[0]
        out["end_derived"] = e >= 0
        out["ended_with"] = ix.ids[e] if e >= 0 else None
        if e >= 0:
            out["end"] = ix.life(e)[1]
        if rt.structural and rt.via:
            out["via"] = rt.via
        return out

    # -- around a path --------------------------------------------------------------------
    def shared(self, source: str, target: str, q: Query | None = None) -> list[dict]:
        """The standing bodies both ends belong to: for each structural type and
        direction, the entities both ends reach by it (in force ``as_of`` if given).

        Returns ``[{"type", "direction", "reading", "entities": [ids]}]``, e.g. both
        ``member of`` BIS and BCBS.
        """
        q = q or Query()
        a, b = self._positions(source, target)
        ix = self.index
        rts = load_schema().relation_types
        t = instant(q.as_of).toordinal() if q.as_of else None

        def reach(p: int) -> dict[tuple[str, bool], set[int]]:
            lo, hi = int(ix.indptr[p]), int(ix.indptr[p + 1])
            out: dict[tuple[str, bool], set[int]] = {}
            for slot in range(lo, hi):
                r = int(ix.relations[slot])
                if not self.structural[r]:
                    continue
                if t is not None and not (ix.start_lo[r] <= t <= ix.end_hi[r]):
                    continue
                if q.dated_only and ix.undated[r]:
                    continue
                rt = rts[ix.type_names[ix.rel_types[r]]]
                forward = bool(ix.rel_from[r] == p) or rt.symmetric
                out.setdefault((rt.name, forward), set()).add(int(ix.neighbours[slot]))
            return out

        ra, rb = reach(a), reach(b)
        found = []
        for key in sorted(ra.keys() & rb.keys()):
            both = sorted(ra[key] & rb[key] - {a, b})
            if both:
                name, forward = key
                found.append(
                    {
                        "type": name,
                        "direction": "forward" if forward else "backward",
                        "reading": rts[name].reading(forward),
                        "entities": [ix.ids[x] for x in both],
                    }
                )
        return found
