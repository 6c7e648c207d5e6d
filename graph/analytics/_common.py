"""Helpers shared by the analytics: the simple undirected view and result rows."""

from __future__ import annotations

import networkx as nx

__all__ = ["simple_undirected", "row", "ranked"]


def simple_undirected(G: nx.Graph) -> nx.Graph:
    """An undirected simple graph of ``G``: a new one, or ``G`` itself if already simple.

    Parallel relations and both directions collapse into one edge whose ``weight`` counts
    them; self-loops are dropped. Node attribute dicts are shared with ``G`` (read-only use).
    Callers never mutate the result, so returning ``G`` unchanged is safe.

    >>> M = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("a", "b"), ("c", "c")])
    >>> H = simple_undirected(M)
    >>> H["a"]["b"]["weight"], H.number_of_edges(), sorted(H)
    (3, 1, ['a', 'b', 'c'])
    """
    if not G.is_directed() and not G.is_multigraph():
        return G
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    adj = H._adj
    for u, v in G.edges():
        if u == v:
            continue
        # Direct dict access: this loop runs once per relation (a million at 100k entities).
        d = adj[u].get(v)
        if d is None:
            H.add_edge(u, v, weight=1)
        else:
            d["weight"] += 1
    return H


def row(G: nx.Graph, n, **extra) -> dict:
    """The identity of node ``n`` as reported everywhere: id, name, kind, jurisdiction."""
    d = G.nodes[n]
    return {"id": n, "name": d.get("short_name") or d.get("name") or str(n),
            "kind": d.get("kind"), "jurisdiction": d.get("jurisdiction"), **extra}


def ranked(G: nx.Graph, scores: dict, top: int | None, *, digits: int = 6,
           key: str = "score") -> list[dict]:
    """Rows for the ``top`` highest scores (ties broken by id, so results are stable)."""
    items = sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))
    if top is not None:
        items = items[:top]
    return [row(G, n, **{key: round(float(s), digits) if isinstance(s, float) else s})
            for n, s in items]
