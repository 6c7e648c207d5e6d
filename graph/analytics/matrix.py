"""The jurisdiction-to-jurisdiction matrix: direct links, and links through shared entities.

Every count is of unordered pairs: a link between an SG and a CH entity counts once for the
pair {CH, SG}, whichever way its relations point and however many there are.

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

from collections.abc import Collection

import numpy as np
import scipy.sparse as sp

from regulink.graph.analytics._common import as_compact

__all__ = ["jurisdiction_matrix"]


def jurisdiction_matrix(
    G, *, via_kinds: Collection[str] | None = None, through: int = 3, top: int | None = None
) -> dict:
    """How many links join each pair of jurisdictions, and through which entities.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        Entities carry ``jurisdiction`` (and ``kind``). Viewed undirected; not modified.
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
        ``direct`` counts linked pairs of an entity of ``a`` and one of ``b`` (unordered:
        each pair once, however many relations join it); ``shared`` counts entities of a
        third jurisdiction linked to both an entity of ``a`` and one of ``b``;
        ``through`` names the best connected of them. ``jurisdictions`` (most linked
        first) and ``links``, the square matrix of ``direct + shared`` in that order.
    """
    C = as_compact(G)
    names = C.jurisdiction_names
    k = len(names)
    jur = C.jurisdiction
    u, v, _w = C.links
    ju, jv = jur[u], jur[v]
    known = np.array([x is not None for x in names], bool)
    cross = (ju != jv) & known[ju] & known[jv]
    lo, hi = np.minimum(ju, jv)[cross], np.maximum(ju, jv)[cross]
    direct = sp.coo_matrix((np.ones(len(lo)), (lo, hi)), shape=(k, k)).toarray()
    direct = direct + direct.T
    # Incidence: entity x "sees" jurisdiction j when a neighbour of x is of j (not x's own);
    # shared[a, b] = how many entities see both = (B^T B)[a, b].
    via = np.ones(C.n, bool) if not via_kinds else C.kind_in(set(via_kinds))
    A = C.adjacency
    rows = np.repeat(np.arange(C.n), np.diff(A.indptr))
    nj = jur[A.indices]
    keep = via[rows] & known[nj] & (nj != jur[rows])
    Bm = sp.csr_matrix((np.ones(int(keep.sum())), (rows[keep], nj[keep])), shape=(C.n, k))
    Bm.data[:] = 1.0  # several neighbours of one jurisdiction count once
    shared = (Bm.T @ Bm).toarray()
    np.fill_diagonal(shared, 0)
    total_pair = direct + shared
    total = total_pair.sum(axis=1)
    order = sorted((i for i in range(k) if total[i] > 0), key=lambda i: (-total[i], names[i]))
    if top is not None:
        order = order[:top]
    links = total_pair[np.ix_(order, order)].astype(int).tolist() if order else []
    # Entities by rank (best connected first, ties by id) for the "through" lists.
    rank = np.empty(C.n, np.int64)
    rank[np.lexsort((C.id_rank, -C.degree))] = np.arange(C.n)
    Bc = Bm.tocsc()
    pairs = []
    for x, a in enumerate(order):
        for b in order[x + 1 :]:
            if total_pair[a, b] == 0:
                continue
            ents = np.intersect1d(
                Bc.indices[Bc.indptr[a] : Bc.indptr[a + 1]],
                Bc.indices[Bc.indptr[b] : Bc.indptr[b + 1]],
                assume_unique=True,
            )
            best = ents[np.argsort(rank[ents])[:through]]
            na, nb = sorted((names[a], names[b]))
            pairs.append(
                {
                    "a": na,
                    "b": nb,
                    "direct": int(direct[a, b]),
                    "shared": int(shared[a, b]),
                    "through": [C.ids[i] for i in best.tolist()],
                }
            )
    pairs.sort(key=lambda p: (-(p["direct"] + p["shared"]), p["a"], p["b"]))
    return {"jurisdictions": [names[i] for i in order], "links": links, "pairs": pairs}
