"""Communities: Louvain clusters, each described by its members' jurisdictions and kinds.

Examples
--------
Two triangles joined by one edge fall apart into two communities.

>>> import networkx as nx
>>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
>>> nx.set_node_attributes(G, "SG", "jurisdiction")
>>> c = communities(G)
>>> [sorted(x["members"]) for x in c["communities"]]
[[1, 2, 3], [4, 5, 6]]
>>> c["communities"][0]["jurisdictions"], c["modularity"] > 0.3
({'SG': 3}, True)
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from regulink.graph.analytics._common import simple_undirected

__all__ = ["communities"]


def communities(G: nx.Graph, *, seed: int = 42, resolution: float = 1.0,
                top: int | None = None, members: int | None = None) -> dict:
    """Louvain communities (fixed ``seed``: the same graph gives the same clusters).

    Parameters
    ----------
    G : networkx.Graph
        Any graph; relations are collapsed, their count is the edge weight. Not modified.
    seed : int
        Louvain's random seed.
    resolution : float
        Above 1 favours smaller communities.
    top : int or None
        Report only the ``top`` largest communities.
    members : int or None
        List at most this many members per community, best connected first.

    Returns
    -------
    dict
        ``count`` (communities of two or more), ``singletons`` (isolated entities, not
        listed), ``modularity``, and ``communities``, largest first, each ``{"size",
        "members", "jurisdictions", "kinds"}`` where the last two map the three most common
        values to their counts.
    """
    H = simple_undirected(G)
    if H.number_of_edges() == 0:
        return {"count": 0, "singletons": H.number_of_nodes(), "modularity": 0.0,
                "communities": []}
    parts = nx.community.louvain_communities(H, weight="weight", resolution=resolution,
                                             seed=seed)
    modularity = nx.community.modularity(H, parts, weight="weight", resolution=resolution)
    deg = H.degree()
    groups = [sorted(p, key=lambda n: (-deg[n], str(n))) for p in parts if len(p) > 1]
    groups.sort(key=lambda g: (-len(g), str(g[0])))
    out = []
    for g in groups[:top] if top is not None else groups:
        jur = Counter(H.nodes[n].get("jurisdiction") for n in g)
        kinds = Counter(H.nodes[n].get("kind") for n in g)
        out.append({
            "size": len(g),
            "members": g[:members] if members is not None else g,
            "jurisdictions": dict(sorted(jur.items(), key=lambda kv: (-kv[1], str(kv[0])))[:3]),
            "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], str(kv[0])))[:3]),
        })
    return {"count": len(groups), "singletons": sum(1 for p in parts if len(p) == 1),
            "modularity": round(modularity, 4), "communities": out}
