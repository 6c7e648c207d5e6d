"""Several answers to "how is A connected to B": every fewest-hop path, the k cheapest
paths, and paths through a given entity, ranked as :mod:`regulink.graph.routing` ranks one.

The graph searched is the router's (class rule, filters, ``as_of``); networkx walks it for
these rarer questions, with the same symmetric edge weights as the one-path search, so the
first of the k cheapest paths is the path ``regulink path`` gives without ``-k``.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> from regulink.graph.pathindex import PathIndex
>>> from regulink.graph.routing import Query, Router
>>> ents = {k: Entity(k, "regulator", k.upper(), None, (), "SG") for k in "abcde"}
>>> rels = [Relation("partners_with", u, v, "2020", None, None, None, ("s",), symmetric=True)
...         for u, v in ["ab", "bd", "ac", "cd", "de"]]
>>> router = Router(PathIndex.from_facts(FactBase(entities=ents, relations=rels)))
>>> [[h["to"] for h in r.hops] for r in find_routes(router, "a", "d", mode="all")]
[['c', 'd'], ['b', 'd']]
>>> [[h["to"] for h in r.hops] for r in find_routes(router, "a", "e", via="b")]
[['b', 'd', 'e']]
>>> len(find_routes(router, "b", "c", mode="k", k=5))
2
"""

from __future__ import annotations

from itertools import islice, pairwise

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

from regulink.graph.routing import MAX_PATHS, Query, Route, Router

__all__ = ["MAX_PATHS", "NEAR", "find_routes"]

# For a path through an entity: how many candidate paths each half contributes.
_VIA_BUDGET = 20
#: On a bigger graph, these questions search only the entities cheapest to reach from both
#: ends (exact for every path cheaper than the cheapest entity left out): a hundred paths at
#: a million relations took over three minutes on the whole graph.
NEAR = 2_000


def _near(M, pairs: list[tuple[int, int]], directed: bool) -> np.ndarray | None:
    """The entities on the cheapest detours between each pair: those with the smallest
    cost from the one end plus cost to the other, at most :data:`NEAR` per pair; ``None``
    when the graph is small enough to search whole."""
    if M.shape[0] <= NEAR:
        return None
    back = M.T.tocsr() if directed else M
    keep = set()
    for s, t in pairs:
        through = dijkstra(M, directed=True, indices=s) + dijkstra(back, directed=True, indices=t)
        finite = np.flatnonzero(np.isfinite(through))
        keep.update(finite[np.argsort(through[finite], kind="stable")[:NEAR]].tolist())
    return np.array(sorted(keep), np.int64)


def _nx_graph(g, directed: bool, pairs: list[tuple[int, int]]):
    """The graph for networkx, and the entity number of each of its nodes."""
    M = g.matrix()
    kept = _near(M, pairs, directed)
    if kept is not None:
        M = M[kept][:, kept]
    H = nx.from_scipy_sparse_array(M, create_using=nx.DiGraph if directed else nx.Graph)
    return H, kept


def _weight(H: nx.Graph, p: list[int]) -> float:
    return sum(H[u][v]["weight"] for u, v in pairwise(p))


def _search(
    H: nx.Graph, a: int, b: int, via: int | None, mode: str, count: int, max_hops: int | None
) -> list[list[int]]:
    def fits(p: list[int]) -> bool:
        return max_hops is None or len(p) - 1 <= max_hops

    try:
        if via is not None:
            budget = max(_VIA_BUDGET, count)
            left = list(islice(nx.shortest_simple_paths(H, a, via, weight="weight"), budget))
            right = list(islice(nx.shortest_simple_paths(H, via, b, weight="weight"), budget))
            joined = [
                lp + rp[1:]
                for lp in left
                for rp in right
                if set(lp).isdisjoint(rp[1:]) and fits(lp + rp[1:])
            ]
            if mode == "all" and joined:
                fewest = min(map(len, joined))
                joined = [p for p in joined if len(p) == fewest]
            joined.sort(key=lambda p: (_weight(H, p), p))
            return joined[:count]
        if mode == "all":
            found = [p for p in islice(nx.all_shortest_paths(H, a, b), MAX_PATHS) if fits(p)]
            return sorted(found, key=lambda p: (_weight(H, p), p))
        return list(
            islice(
                (p for p in nx.shortest_simple_paths(H, a, b, weight="weight") if fits(p)), count
            )
        )
    except nx.NetworkXNoPath:
        return []


def find_routes(
    router: Router,
    source: str,
    target: str,
    *,
    q: Query | None = None,
    mode: str = "k",
    k: int = 1,
    via: str | None = None,
) -> list[Route]:
    """Paths from ``source`` to ``target`` (entity ids), best first.

    Parameters
    ----------
    router : Router
        The index to search.
    q : Query, optional
        What the paths may use (as for :meth:`Router.cheapest`).
    mode : {"all", "k"}
        Every path with the fewest hops (at most :data:`MAX_PATHS`), ranked by cost; or the
        ``k`` cheapest simple paths. On a graph of more than :data:`NEAR` entities only the
        :data:`NEAR` cheapest to reach from both ends are searched.
    via : str, optional
        The paths must pass through this entity.

    Raises
    ------
    NoPath
        Nothing joins them under ``q`` (structural links included as a last resort).
    ValueError
        An unknown id, equal ends, a bad ``mode`` or ``k``.
    """
    q = q or Query()
    if mode not in ("all", "k"):
        raise ValueError(f"mode must be 'all' or 'k', not {mode!r}")
    if not 1 <= k <= MAX_PATHS:
        raise ValueError(f"k must be between 1 and {MAX_PATHS}")
    ends = router._positions(source, target, *([via] if via is not None else []))
    a, b = ends[0], ends[1]
    if a == b:
        raise ValueError("a path needs two different entities")
    v = ends[2] if via is not None and ends[2] not in (a, b) else None
    count = MAX_PATHS if mode == "all" else k
    pairs = [(a, b)] if v is None else [(a, v), (v, b)]
    for g in router.graphs(a, b, q, *([v] if v is not None else [])):
        H, kept = _nx_graph(g, q.directed, pairs)
        local = {x: x for x in (a, b, v) if x is not None}
        if kept is not None:
            where = {int(x): i for i, x in enumerate(kept)}
            if any(x not in where for x in local):
                continue  # an end unreachable in this graph
            local = {x: where[x] for x in local}
        lv = local.get(v) if v is not None else None
        found = _search(H, local[a], local[b], lv, mode, count, q.max_hops)
        if kept is not None:
            found = [[int(kept[x]) for x in p] for p in found]
        if found:
            return [router.route(g, p) for p in found]
    raise router.no_path(source, target, a, b, q)
