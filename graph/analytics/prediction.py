"""Likely next partners: link prediction with the shared neighbours behind each suggestion.

Examples
--------
Two regulators both in groups g1 and g2 but not yet linked are the best suggestion
among regulators (the two groups, sharing two members, would be the best overall).

>>> import networkx as nx
>>> G = nx.Graph([("a", "g1"), ("b", "g1"), ("a", "g2"), ("b", "g2"), ("c", "g2")])
>>> nx.set_node_attributes(G, {"a": "regulator", "b": "regulator", "c": "regulator",
...                            "g1": "programme", "g2": "programme"}, "kind")
>>> [(x["a"]["id"], x["b"]["id"]) for x in likely_partners(G, top=1)["predictions"]]
[('g1', 'g2')]
>>> p = likely_partners(G, top=1, kinds={"regulator"})
>>> [(x["a"]["id"], x["b"]["id"], x["shared"]) for x in p["predictions"]]
[('a', 'b', ['g1', 'g2'])]
>>> [x["b"]["id"] for x in likely_partners(G, entity="c")["predictions"]]
['a', 'b']
"""

from __future__ import annotations

import heapq
from collections.abc import Collection

import networkx as nx
import numpy as np
import scipy.sparse

from regulink.graph.analytics._brandes import adjacency
from regulink.graph.analytics._common import row, simple_undirected

__all__ = ["likely_partners", "MAX_HUB_DEGREE"]

#: Shared neighbours with more links than this are skipped in the all-pairs scan: a hub of
#: degree d proposes d*(d-1)/2 pairs while adding only 1/log(d) to each score.
MAX_HUB_DEGREE = 250


def likely_partners(G: nx.Graph, *, top: int | None = 10, entity=None,
                    kinds: Collection[str] | None = None,
                    max_hub_degree: int | None = MAX_HUB_DEGREE, shared: int = 5) -> dict:
    """Pairs not yet linked, scored by Adamic-Adar over their shared neighbours.

    ``score(u, v) = sum(1 / log(degree(w)) for w in common neighbours of u and v)``: a
    shared small group counts more than a shared giant one.

    Parameters
    ----------
    G : networkx.Graph
        Viewed undirected and simple; not modified.
    top : int or None
        How many suggestions.
    entity : node, optional
        Only suggestions for this entity (its row is ``a``).
    kinds : collection of str, optional
        Both ends must be of these kinds (e.g. regulators and central banks).
    max_hub_degree : int or None
        Ignore shared neighbours above this degree (all-pairs scan only).
    shared : int
        List at most this many shared neighbours per suggestion, strongest first.

    Returns
    -------
    dict
        ``method`` (``"adamic_adar"``) and ``predictions``: ``{"a", "b", "score",
        "shared"}``, best first.
    """
    H = simple_undirected(G)
    if entity is not None and entity not in H:
        raise ValueError(f"{entity!r} is not a node of the graph")
    nodes = list(H)
    n = len(nodes)
    deg = H.degree()
    if n < 3:
        return {"method": "adamic_adar", "predictions": []}
    A = adjacency(H, nodes)
    d = np.asarray(A.sum(axis=1)).ravel()
    # Each shared neighbour w adds 1/log(deg w); degree-1 nodes are nobody's shared neighbour.
    weight = np.where(d >= 2, 1.0 / np.log(np.maximum(d, 2.0)), 0.0)
    ok = np.ones(n, dtype=bool) if not kinds else np.array(
        [H.nodes[v].get("kind") in kinds for v in nodes])
    if entity is not None:
        i = nodes.index(entity)
        linked = set(A[[i]].indices.tolist())
        S = (A[[i]] @ scipy.sparse.diags(weight) @ A).tocoo()
        cand = [(i, j, x) for j, x in zip(S.col.tolist(), S.data.tolist())
                if j != i and ok[j] and j not in linked and x > 1e-12]
    else:
        if max_hub_degree is not None:
            weight[d > max_hub_degree] = 0.0
        # Adamic-Adar for every pair at once: A diag(w) A, in sparse C loops; then drop the
        # pairs already linked, the diagonal and the kinds not asked for.
        mask = scipy.sparse.diags(ok.astype(float))
        S = mask @ A @ scipy.sparse.diags(weight) @ A @ mask
        S = scipy.sparse.triu(S - S.multiply(A), k=1).tocoo()
        keep = S.data > 1e-12
        rows, cols, vals = S.row[keep], S.col[keep], S.data[keep]
        if top is not None and len(vals) > top:
            # Only candidates at or above the top-th score can rank; ties stay in.
            cutoff = np.partition(vals, len(vals) - top)[len(vals) - top] - 1e-9
            sel = vals >= cutoff
            rows, cols, vals = rows[sel], cols[sel], vals[sel]
        cand = list(zip(rows.tolist(), cols.tolist(), vals.tolist()))
    scores = {}
    for i, j, x in cand:
        a, b = nodes[i], nodes[j]
        if entity is None and str(b) < str(a):
            a, b = b, a
        scores[(a, b)] = round(x, 9)  # summation order must not reorder exact ties
    key = lambda kv: (-kv[1], str(kv[0][0]), str(kv[0][1]))
    best = heapq.nsmallest(top, scores.items(), key=key) if top is not None else \
        sorted(scores.items(), key=key)
    out = []
    for (u, v), s in best:
        common = sorted(set(H[u]) & set(H[v]), key=lambda w: (deg[w], str(w)))
        out.append({"a": row(H, u), "b": row(H, v), "score": round(s, 4),
                    "shared": common[:shared]})
    return {"method": "adamic_adar", "predictions": out}
