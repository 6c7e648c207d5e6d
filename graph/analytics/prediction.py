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
import math
from collections import defaultdict
from collections.abc import Collection

import networkx as nx

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
    ok = (lambda n: True) if not kinds else (lambda n: H.nodes[n].get("kind") in kinds)
    deg = H.degree()
    scores: dict = defaultdict(float)
    if entity is not None:
        nbrs = H[entity]
        for w in nbrs:
            if deg[w] < 2:
                continue
            inc = 1 / math.log(deg[w])
            for v in H[w]:
                if v != entity and v not in nbrs and ok(v):
                    scores[(entity, v)] += inc
    else:
        for w in H:
            d = deg[w]
            if d < 2 or (max_hub_degree is not None and d > max_hub_degree):
                continue
            inc = 1 / math.log(d)
            ns = sorted((n for n in H[w] if ok(n)), key=str)
            for i, u in enumerate(ns):
                adj_u = H[u]
                for v in ns[i + 1:]:
                    if v not in adj_u:
                        scores[(u, v)] += inc
    key = lambda kv: (-kv[1], str(kv[0][0]), str(kv[0][1]))
    best = heapq.nsmallest(top, scores.items(), key=key) if top is not None else \
        sorted(scores.items(), key=key)
    out = []
    for (u, v), s in best:
        common = sorted(set(H[u]) & set(H[v]), key=lambda w: (deg[w], str(w)))
        out.append({"a": row(H, u), "b": row(H, v), "score": round(s, 4),
                    "shared": common[:shared]})
    return {"method": "adamic_adar", "predictions": out}
