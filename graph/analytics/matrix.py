"""The jurisdiction-to-jurisdiction matrix: direct links, and links through shared entities.

Examples
--------
A project hosted in INT with members from SG and CH links SG and CH through it.

>>> import networkx as nx
>>> G = nx.Graph([("sg", "proj"), ("ch", "proj"), ("sg", "ch2")])
>>> nx.set_node_attributes(G, {"sg": "SG", "ch": "CH", "ch2": "CH", "proj": "INT"},
...                        "jurisdiction")
>>> m = jurisdiction_matrix(G)
>>> [(p["a"], p["b"], p["direct"], p["shared"], p["through"]) for p in m["pairs"]]
[('CH', 'INT', 1, 1, ['sg']), ('CH', 'SG', 1, 1, ['proj']), ('INT', 'SG', 1, 0, [])]
>>> m["jurisdictions"], m["links"][0]
(['CH', 'INT', 'SG'], [0, 2, 2])
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from itertools import combinations

import networkx as nx

from regulink.graph.analytics._common import simple_undirected

__all__ = ["jurisdiction_matrix"]


def jurisdiction_matrix(G: nx.Graph, *, via_kinds: Collection[str] | None = None,
                        through: int = 3, top: int | None = None) -> dict:
    """How many links join each pair of jurisdictions, and through which entities.

    Parameters
    ----------
    G : networkx.Graph
        Nodes carry ``jurisdiction`` (and ``kind``). Viewed undirected; not modified.
    via_kinds : collection of str, optional
        Count shared links only through entities of these kinds (e.g. projects and
        programmes). Default: any entity.
    through : int
        Name at most this many shared entities per pair, best connected first.
    top : int or None
        Keep the matrix and pair list to the ``top`` jurisdictions with most links.

    Returns
    -------
    dict
        ``pairs``: ``{"a", "b", "direct", "shared", "through"}`` sorted by most links;
        ``direct`` counts relations between an entity of ``a`` and one of ``b``; ``shared``
        counts entities of a third jurisdiction related to both an entity of ``a`` and one
        of ``b``; ``through`` names the best connected of them. ``jurisdictions`` (most linked first) and
        ``links``, the square matrix of ``direct + shared`` in that order.
    """
    H = simple_undirected(G)
    jur = dict(H.nodes(data="jurisdiction"))
    direct: Counter = Counter()
    for u, v, w in H.edges(data="weight", default=1):
        ju, jv = jur.get(u), jur.get(v)
        if ju and jv and ju != jv:
            direct[(min(ju, jv), max(ju, jv))] += w
    shared: Counter = Counter()
    via: dict = defaultdict(list)
    kinds = set(via_kinds) if via_kinds else None
    deg = H.degree()
    # Best connected hubs first, so each pair's short "through" list fills with them and
    # later hubs only bump the count (a full per-pair list would not fit at 100k entities).
    hubs = sorted((n for n in H if kinds is None or H.nodes[n].get("kind") in kinds),
                  key=lambda n: (-deg[n], str(n)))
    for x in hubs:
        # Pairs involving the entity's own jurisdiction are direct links already.
        seen = sorted({jur[n] for n in H[x] if jur.get(n)} - {jur.get(x)})
        if len(seen) < 2:
            continue
        for pair in combinations(seen, 2):
            shared[pair] += 1
            lst = via[pair]
            if len(lst) < through:
                lst.append(x)
    keys = set(direct) | set(shared)
    total = Counter()
    for a, b in keys:
        n = direct[(a, b)] + shared[(a, b)]
        total[a] += n
        total[b] += n
    order = sorted(total, key=lambda j: (-total[j], j))
    if top is not None:
        order = order[:top]
    index = {j: i for i, j in enumerate(order)}
    links = [[0] * len(order) for _ in order]
    pairs = []
    for a, b in keys:
        n = direct[(a, b)] + shared[(a, b)]
        if a in index and b in index:
            links[index[a]][index[b]] = links[index[b]][index[a]] = n
            pairs.append({"a": a, "b": b, "direct": direct[(a, b)], "shared": shared[(a, b)],
                          "through": via.get((a, b), [])})
    pairs.sort(key=lambda p: (-(p["direct"] + p["shared"]), p["a"], p["b"]))
    return {"jurisdictions": order, "links": links, "pairs": pairs}
