"""Helpers shared by the analytics: result rows, ranked lists, the graph they accept."""

from __future__ import annotations

import numpy as np

from regulink.graph.compact import CompactGraph, as_compact

__all__ = ["CompactGraph", "as_compact", "order", "ranked", "simple_undirected"]


def simple_undirected(G):
    """An undirected simple networkx graph of ``G``: a new one, or ``G`` itself if already
    simple (kept for networkx callers such as the page; the analytics use
    :class:`CompactGraph`).

    Parallel relations and both directions collapse into one edge whose ``weight`` counts
    them; self-loops are dropped. Node attribute dicts are shared with ``G`` (read-only use).

    >>> import networkx as nx
    >>> M = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "b"), ("c", "c")])
    >>> H = simple_undirected(M)
    >>> H["a"]["b"]["weight"], H.number_of_edges(), sorted(H)
    (3, 1, ['a', 'b', 'c'])
    """
    import networkx as nx

    if not G.is_directed() and not G.is_multigraph():
        return G
    H: nx.Graph = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    adj = H._adj  # type: ignore[attr-defined]  # networkx's own adjacency: not in the stubs
    for u, v in G.edges():
        if u == v:
            continue
        d = adj[u].get(v)  # direct dict access: this loop runs once per relation
        if d is None:
            H.add_edge(u, v, weight=1)
        else:
            d["weight"] += 1
    return H


def order(C: CompactGraph, scores: np.ndarray) -> np.ndarray:
    """Positions by score, highest first, ties by id (so results are stable).

    >>> C = CompactGraph(["b", "a", "c"], "bac", "xxx", "SSS", [], [], [], [], [])
    >>> order(C, np.array([1.0, 1.0, 2.0])).tolist()
    [2, 1, 0]
    """
    return np.lexsort((C.id_rank, -np.asarray(scores, np.float64)))


def ranked(
    C: CompactGraph,
    scores: np.ndarray,
    top: int | None,
    *,
    digits: int = 6,
    key: str = "score",
    keep: np.ndarray | None = None,
) -> list[dict]:
    """Rows for the ``top`` highest ``scores`` (one per entity; ``keep`` limits which)."""
    idx = order(C, scores)
    if keep is not None:
        idx = idx[keep[idx]]
    if top is not None:
        idx = idx[:top]
    integral = np.issubdtype(np.asarray(scores).dtype, np.integer)
    return [
        C.row(i, **{key: int(scores[i]) if integral else round(float(scores[i]), digits)})
        for i in idx.tolist()
    ]
