"""Brokers: the links and entities whose removal splits the network, and the entities
that lie on most paths between two jurisdictions.

Examples
--------
Two triangles joined through a bridge 3-4: the bridge, and its two ends as cut points.

>>> import networkx as nx
>>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (5, 6), (4, 6)])
>>> b = brokers(G)
>>> [(x["a"]["id"], x["b"]["id"], x["cut_off"]) for x in b["bridges"]]
[(3, 4, 3)]
>>> [(x["id"], x["pieces"], x["cut_off"]) for x in b["articulation_points"]]
[(3, 2, 2), (4, 2, 2)]
"""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx
import numpy as np

from regulink.graph.analytics._brandes import adjacency, dependencies
from regulink.graph.analytics._common import ranked, row, simple_undirected

__all__ = ["brokers", "jurisdiction_brokers"]


def _block_cut_sizes(H: nx.Graph):
    """Sizes of the pieces left by removing each bridge and each articulation point.

    One pass over the block-cut tree of each component (linear time): a naive "remove and
    count" would be quadratic on a large graph.
    Returns ``(bridges, cuts)``: ``{(u, v): smaller side}``, ``{v: (pieces, cut_off)}``.
    """
    bridges: dict = {}
    cuts: dict = {}
    for comp in nx.connected_components(H):
        if len(comp) < 2:
            continue
        sub = H.subgraph(comp)
        blocks = [frozenset(b) for b in nx.biconnected_components(sub)]
        cutset = set(nx.articulation_points(sub))
        size = len(comp)
        # Tree: block i <-> cut vertex c when c is in block i. Weights attribute every vertex
        # once: a cut vertex to its own tree node, any other vertex to its only block.
        tree: dict = {("b", i): [] for i in range(len(blocks))}
        weight = {("b", i): sum(1 for v in b if v not in cutset) for i, b in enumerate(blocks)}
        for c in cutset:
            tree[("c", c)] = []
            weight[("c", c)] = 1
        for i, b in enumerate(blocks):
            for v in b:
                if v in cutset:
                    tree[("b", i)].append(("c", v))
                    tree[("c", v)].append(("b", i))
        root = ("b", 0)
        parent = {root: None}
        order = [root]
        stack = [root]
        while stack:
            x = stack.pop()
            for y in tree[x]:
                if y not in parent:
                    parent[y] = x
                    order.append(y)
                    stack.append(y)
        sub_w = dict(weight)
        for x in reversed(order):
            if parent[x] is not None:
                sub_w[parent[x]] += sub_w[x]
        for c in cutset:
            node = ("c", c)
            pieces = [sub_w[y] for y in tree[node] if parent.get(y) == node]
            pieces.append(size - 1 - sum(pieces))  # the side of its parent block
            cuts[c] = (len(pieces), size - 1 - max(pieces))
        for i, b in enumerate(blocks):
            if len(b) != 2 or not sub.has_edge(*b):
                continue
            u, v = sorted(b, key=str)
            node = ("b", i)
            if parent[node] is not None:
                below = sub_w[node]
            else:
                # The root block: each end's side is its own subtree (or just itself).
                below = sub_w[("c", v)] if v in cutset else 1
            bridges[(u, v)] = min(below, size - below)
    return bridges, cuts


def brokers(G: nx.Graph, *, top: int | None = 10) -> dict:
    """Bridges and articulation points, the ones that cut off most entities first.

    Parameters
    ----------
    G : networkx.Graph
        Any graph, viewed undirected and simple. Not modified.
    top : int or None
        How many of each to list.

    Returns
    -------
    dict
        ``bridges``: ``{"a", "b", "cut_off"}`` (entity rows; ``cut_off`` is the size of
        the smaller side once the link is gone); ``articulation_points``: entity rows with
        ``pieces`` (how many parts its component falls into without it) and ``cut_off``
        (entities separated from the largest part); ``bridge_count``,
        ``articulation_count``.
    """
    H = simple_undirected(G)
    bridges, cuts = _block_cut_sizes(H)
    b_rows = sorted(bridges.items(), key=lambda kv: (-kv[1], str(kv[0][0]), str(kv[0][1])))
    c_rows = sorted(cuts.items(), key=lambda kv: (-kv[1][1], -kv[1][0], str(kv[0])))
    if top is not None:
        b_rows, c_rows = b_rows[:top], c_rows[:top]
    return {
        "bridges": [{"a": row(H, u), "b": row(H, v), "cut_off": n} for (u, v), n in b_rows],
        "articulation_points": [row(H, v, pieces=p, cut_off=n) for v, (p, n) in c_rows],
        "bridge_count": len(bridges),
        "articulation_count": len(cuts),
    }


def jurisdiction_brokers(G: nx.Graph, a: str, b: str, *, top: int | None = 10,
                         max_sources: int = 500, seed: int = 42) -> dict:
    """The entities on most shortest paths between jurisdictions ``a`` and ``b``.

    For every pair (entity of ``a``, entity of ``b``) that is connected, each shortest path
    between them is weighted ``1 / (number of shortest paths)``; an entity's ``share`` is
    its total divided by the number of connected pairs: the chance that a shortest path
    between the two jurisdictions goes through it.

    Parameters
    ----------
    G : networkx.Graph
        Nodes carry ``jurisdiction``. Viewed undirected and simple; not modified.
    a, b : str
        Two different jurisdiction codes.
    top : int or None
        How many brokers to list.
    max_sources : int
        Above this many entities in ``a``, a fixed-seed sample of them is used.
    seed : int
        Seed of that sample.

    Returns
    -------
    dict
        ``a``, ``b``, ``entities`` (count in each), ``pairs`` (connected pairs counted),
        ``direct`` (relations joining them directly), ``sampled`` and ``brokers`` (entity
        rows with ``share``).

    Examples
    --------
    >>> G = nx.Graph([("sg1", "hub"), ("sg2", "hub"), ("hub", "ch1"), ("sg1", "ch1")])
    >>> nx.set_node_attributes(G, {"sg1": "SG", "sg2": "SG", "hub": "INT", "ch1": "CH"},
    ...                        "jurisdiction")
    >>> r = jurisdiction_brokers(G, "SG", "CH")
    >>> r["pairs"], r["direct"], [(x["id"], x["share"]) for x in r["brokers"]]
    (2, 1, [('hub', 0.5)])
    """
    if a == b:
        raise ValueError("choose two different jurisdictions")
    H = simple_undirected(G)
    jur = H.nodes(data="jurisdiction")
    A = sorted((n for n, j in jur if j == a), key=str)
    B = sorted((n for n, j in jur if j == b), key=str)
    sampled = len(A) > max_sources
    sources = random.Random(seed).sample(A, max_sources) if sampled else A
    Bset = set(B)
    pairs = 0
    comp_of = {}
    for i, comp in enumerate(nx.connected_components(H)):
        for n in comp:
            comp_of[n] = i
    b_per_comp = Counter(comp_of[n] for n in B)
    pairs = sum(b_per_comp[comp_of[s]] for s in sources)
    direct = sum(d.get("weight", 1) for u, v, d in H.edges(data=True)
                 if (jur[u] == a and v in Bset) or (jur[v] == a and u in Bset))
    scores = {}
    if pairs and sources and B:
        nodes = list(H)
        index = {v: i for i, v in enumerate(nodes)}
        A_ = adjacency(H, nodes)
        targets = np.zeros(len(nodes))
        targets[[index[t] for t in B]] = 1.0
        # Brandes restricted to paths ending in B: the same sums as
        # nx.betweenness_centrality_subset, batched (see _brandes).
        raw = dependencies(A_, np.array([index[s] for s in sources]), targets)
        scores = {nodes[i]: float(x) / pairs for i, x in enumerate(raw) if x > 1e-12}
    return {"a": a, "b": b, "entities": {a: len(A), b: len(B)}, "pairs": pairs,
            "direct": direct, "sampled": sampled, "brokers": ranked(H, scores, top, digits=4, key="share")}
