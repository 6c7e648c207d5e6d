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
from itertools import chain

import numpy as np

from regulink.graph.analytics._common import as_compact, ranked

__all__ = ["brokers", "cut_sizes", "jurisdiction_brokers"]


def cut_sizes(G) -> tuple[dict, dict]:
    """Sizes of the pieces left by removing each bridge and each articulation point.

    One pass over the block-cut tree of the graph (blocks from igraph, subtree sizes summed
    level by level in numpy): linear time, where "remove and count" would be quadratic.

    Returns
    -------
    tuple of dict
        ``({(u, v): smaller side}, {v: (pieces, cut_off)})`` over entity positions, ``u <
        v``; ``cut_off`` is how many entities are separated from the largest piece.
    """
    import igraph

    C = as_compact(G)
    n = C.n
    blocks, cutlist = C.graph.biconnected_components(return_articulation_points=True)
    blocks = list(blocks)
    nb = len(blocks)
    if nb == 0:
        return {}, {}
    bsize = np.fromiter(map(len, blocks), np.int64, nb)
    members = np.fromiter(chain.from_iterable(blocks), np.int64, int(bsize.sum()))
    owner = np.repeat(np.arange(nb), bsize)
    cuts = np.array(sorted(cutlist), np.int64)
    iscut = np.zeros(n, bool)
    iscut[cuts] = True
    node_of_cut = np.full(n, -1, np.int64)
    node_of_cut[cuts] = nb + np.arange(len(cuts))
    # Tree nodes: blocks, then cut vertices, then one root joining every component's tree.
    # Weights attribute every vertex once: a cut vertex to its own node, any other vertex to
    # its only block.
    total = nb + len(cuts) + 1
    root = total - 1
    weight = np.zeros(total, np.int64)
    weight[:nb] = np.bincount(owner[~iscut[members]], minlength=nb)
    weight[nb:root] = 1
    comp = C.components
    first_block = np.unique(comp[members[np.cumsum(bsize) - bsize]], return_index=True)[1]
    at_cut = iscut[members]
    edges = np.concatenate(
        [
            np.column_stack([owner[at_cut], node_of_cut[members[at_cut]]]),
            np.column_stack([np.full(len(first_block), root), first_block]),
        ]
    )
    order, layers, parent = igraph.Graph(n=total, edges=edges).bfs(root)
    order, parent = np.asarray(order), np.asarray(parent)
    sub = weight.copy()
    for d in range(len(layers) - 2, 0, -1):  # deepest level first, up to the root's children
        level = order[layers[d] : layers[d + 1]]
        np.add.at(sub, parent[level], sub[level])
    child = order[1:]
    up = parent[child]
    csum = np.bincount(up, weights=sub[child], minlength=total)
    cmax = np.zeros(total)
    np.maximum.at(cmax, up, sub[child])
    ncut = np.bincount(up, minlength=total)
    csize = np.bincount(comp)
    cut_rows = {}
    for c, t in zip(cuts.tolist(), node_of_cut[cuts].tolist(), strict=False):
        size = int(csize[comp[c]])
        above = size - 1 - int(csum[t])  # the side of its parent block
        cut_rows[c] = (int(ncut[t]) + 1, size - 1 - max(int(cmax[t]), above))
    bridge_rows = {}
    for i in np.flatnonzero(bsize == 2).tolist():
        u, v = sorted(blocks[i])
        size = int(csize[comp[u]])
        # a root block: the side of either end is that end's own subtree
        below = int(sub[i]) if parent[i] != root else (int(sub[node_of_cut[v]]) if iscut[v] else 1)
        bridge_rows[(u, v)] = min(below, size - below)
    return bridge_rows, cut_rows


def brokers(G, *, top: int | None = 10) -> dict:
    """Bridges and articulation points, the ones that cut off most entities first.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
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
    C = as_compact(G)
    bridges, cuts = cut_sizes(C)
    rank = C.id_rank
    b_rows = [((u, v) if rank[u] < rank[v] else (v, u), n) for (u, v), n in bridges.items()]
    b_rows.sort(key=lambda kv: (-kv[1], rank[kv[0][0]], rank[kv[0][1]]))
    c_rows = sorted(cuts.items(), key=lambda kv: (-kv[1][1], -kv[1][0], rank[kv[0]]))
    if top is not None:
        b_rows, c_rows = b_rows[:top], c_rows[:top]
    return {
        "bridges": [{"a": C.row(u), "b": C.row(v), "cut_off": n} for (u, v), n in b_rows],
        "articulation_points": [C.row(v, pieces=p, cut_off=n) for v, (p, n) in c_rows],
        "bridge_count": len(bridges),
        "articulation_count": len(cuts),
    }


def jurisdiction_brokers(
    G, a: str, b: str, *, top: int | None = 10, max_sources: int = 500, seed: int = 42
) -> dict:
    """The entities on most shortest paths between jurisdictions ``a`` and ``b``.

    For every pair (entity of ``a``, entity of ``b``) that is connected, each shortest path
    between them is weighted ``1 / (number of shortest paths)``; an entity's ``share`` is
    its total divided by the number of connected pairs: the chance that a shortest path
    between the two jurisdictions goes through it.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        Entities carry ``jurisdiction``. Viewed undirected and simple; not modified.
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
        ``direct`` (linked pairs of an ``a`` and a ``b`` entity), ``sampled`` and
        ``brokers`` (entity rows with ``share``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("sg1", "hub"), ("sg2", "hub"), ("hub", "ch1"), ("sg1", "ch1")])
    >>> nx.set_node_attributes(G, {"sg1": "SG", "sg2": "SG", "hub": "INT", "ch1": "CH"},
    ...                        "jurisdiction")
    >>> r = jurisdiction_brokers(G, "SG", "CH")
    >>> r["pairs"], r["direct"], [(x["id"], x["share"]) for x in r["brokers"]]
    (2, 1, [('hub', 0.5)])
    """
    if a == b:
        raise ValueError("choose two different jurisdictions")
    C = as_compact(G)
    names = C.jurisdiction_names
    code = {j: i for i, j in enumerate(names)}
    jur = C.jurisdiction
    in_a = jur == code[a] if a in code else np.zeros(C.n, bool)
    in_b = jur == code[b] if b in code else np.zeros(C.n, bool)
    A = np.flatnonzero(in_a)
    A = A[np.argsort(C.id_rank[A])].tolist()
    B = np.flatnonzero(in_b)
    sampled = len(A) > max_sources
    sources = sorted(random.Random(seed).sample(A, max_sources)) if sampled else A
    comp = C.components
    b_per_comp = np.bincount(comp[B], minlength=int(comp.max()) + 1) if C.n else np.zeros(0)
    pairs = int(b_per_comp[comp[sources]].sum()) if sources else 0
    u, v, _w = C.links
    direct = int(((in_a[u] & in_b[v]) | (in_b[u] & in_a[v])).sum())
    scores = np.zeros(C.n)
    if pairs:
        # Brandes restricted to paths from the sources to B, in igraph's C. On an undirected
        # graph igraph halves the sums (as if each pair were met from both ends); here each
        # (a, b) pair is met once, from its a end.
        scores = (
            2.0
            * np.asarray(C.graph.betweenness(directed=False, sources=sources, targets=B.tolist()))
            / pairs
        )
    return {
        "a": a,
        "b": b,
        "entities": {a: int(in_a.sum()), b: int(in_b.sum())},
        "pairs": pairs,
        "direct": direct,
        "sampled": sampled,
        "brokers": ranked(C, scores, top, digits=4, key="share", keep=scores > 1e-12),
    }
