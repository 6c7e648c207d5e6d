"""Likely next partners: actors not yet working together, with the shared neighbours
behind each suggestion.

Two actors already *work together* when a relation links them, or when both are linked to
the same joint undertaking (a project or programme: kinds flagged ``joint`` in
``graph/schema.yaml``). That is the *collaboration graph*. A suggestion is a pair of actors
(kinds flagged ``actor``: authorities, firms, bodies; never documents, places, events or
projects) that do not work together yet, scored by Adamic-Adar over the neighbours they
share in the collaboration graph: ``score(u, v) = sum(1 / log(degree(w)))`` over shared
neighbours ``w``, so a shared specific partner counts more than a shared hub.

Examples
--------
Two central banks working with the same regulator ``x``, and a document both issued: they
are the best suggestion, because of what they share. ``c`` and ``d`` are in the same
project, so they already work together and are never suggested; the document and the
project are never candidates.

>>> import networkx as nx
>>> G = nx.Graph([("a", "x"), ("b", "x"), ("a", "doc"), ("b", "doc"),
...               ("c", "proj"), ("d", "proj"), ("c", "x")])
>>> nx.set_node_attributes(G, {"a": "central_bank", "b": "central_bank", "x": "regulator",
...                            "c": "regulator", "d": "company", "doc": "framework",
...                            "proj": "project"}, "kind")
>>> [(p["id"], p["because"]) for p in partners(G, "a")]
[('b', ['doc', 'x']), ('c', ['x'])]
>>> [p["id"] for p in partners(G, "c")]
['a', 'b']
>>> [(x["a"]["id"], x["b"]["id"]) for x in likely_partners(G)["predictions"]]
[('a', 'b'), ('a', 'c'), ('b', 'c'), ('d', 'x')]
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import scipy.sparse as sp

from regulink.graph.analytics._common import as_compact
from regulink.graph.compact import CompactGraph
from regulink.graph.schema import load_schema

__all__ = ["MAX_HUB_DEGREE", "collaboration", "likely_partners", "partners"]

#: In the all-pairs scan, shared neighbours with more collaborators than this are skipped:
#: a hub of degree d proposes d*(d-1)/2 pairs while adding only 1/log(d) < 0.22 to each.
#: (At 1M relations a cap of 250 made 18.7M candidate pairs, 100 makes 7.8M.)
MAX_HUB_DEGREE = 100


#: Actor rows per block of the all-pairs scan.
_BLOCK = 20_000


def _best(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, top: int | None):
    """The candidates at or above the ``top``-th score (ties stay in)."""
    if top is None or len(vals) <= top:
        return rows, cols, vals
    cutoff = np.partition(vals, len(vals) - top)[len(vals) - top]
    sel = vals >= cutoff
    return rows[sel], cols[sel], vals[sel]


def _binary(A) -> sp.csr_matrix:
    A = sp.csr_matrix(A)
    A.data[:] = 1.0
    return A


def collaboration(C: CompactGraph, rows: np.ndarray | None = None) -> sp.csr_matrix:
    """Rows ``rows`` (default: all) of the collaboration graph's 0/1 adjacency: linked
    directly, or both linked to one joint undertaking; no self-links."""
    A = _binary(C.adjacency)
    J = sp.diags(C.kind_in(load_schema().joint_kinds).astype(float))
    Ar = A if rows is None else A[rows]
    P = _binary(Ar + Ar @ J @ A)
    own = np.arange(C.n) if rows is None else np.asarray(rows)
    Q = P.tocoo()
    keep = Q.col != own[Q.row]
    return sp.csr_matrix((Q.data[keep], (Q.row[keep], Q.col[keep])), shape=Q.shape)


def _candidates(C: CompactGraph, kinds: Collection[str] | None) -> np.ndarray:
    return C.kind_in(set(kinds) if kinds else load_schema().actor_kinds)


def partners(
    G, entity, *, top: int | None = 10, kinds: Collection[str] | None = None, because: int = 5
) -> list[dict]:
    """The actors most likely to start working with ``entity``, best first.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        The graph to predict from (viewed undirected and simple; not modified).
    entity : node id
        Whose partners to predict.
    top : int or None
        How many suggestions.
    kinds : collection of str, optional
        Candidates' kinds (default: every kind flagged ``actor`` in the schema).
    because : int
        List at most this many shared neighbours per suggestion, most specific first.

    Returns
    -------
    list of dict
        ``{"id", "name", "kind", "jurisdiction", "score", "because": [ids]}``, best first
        (ties by id); ``because`` are the shared neighbours in the collaboration graph.
    """
    C = as_compact(G)
    if entity not in C.index:
        raise ValueError(f"{entity!r} is not in the graph")
    i = C.index[entity]
    near = collaboration(C, np.array([i])).indices
    if not len(near):
        return []
    PN = collaboration(C, near)
    deg = np.diff(PN.indptr)
    weight = np.where(deg >= 2, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
    score = np.asarray(PN.T @ weight).ravel()
    ok = _candidates(C, kinds) & (score > 1e-12)
    ok[near] = False
    ok[i] = False
    cand = np.flatnonzero(ok)
    score = np.round(score, 9)  # summation order must not reorder exact ties
    cand = cand[np.lexsort((C.id_rank[cand], -score[cand]))]
    if top is not None:
        cand = cand[:top]
    PNc = PN.tocsc()
    out = []
    for j in cand.tolist():
        rows = PNc.indices[PNc.indptr[j] : PNc.indptr[j + 1]]  # positions in ``near``
        ws = near[rows]
        ws = ws[np.lexsort((C.id_rank[ws], deg[rows]))][:because]
        out.append(
            C.row(j, score=round(float(score[j]), 4), because=[C.ids[w] for w in ws.tolist()])
        )
    return out


def likely_partners(
    G,
    *,
    top: int | None = 10,
    kinds: Collection[str] | None = None,
    max_hub_degree: int | None = MAX_HUB_DEGREE,
    because: int = 5,
) -> dict:
    """The pairs of actors most likely to start working together, over the whole graph.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        Viewed undirected and simple; not modified.
    top : int or None
        How many suggestions.
    kinds : collection of str, optional
        Both ends' kinds (default: every kind flagged ``actor``).
    max_hub_degree : int or None
        Ignore shared neighbours with more collaborators than this.
    because : int
        List at most this many shared neighbours per suggestion, most specific first.

    Returns
    -------
    dict
        ``method`` (``"adamic_adar"`` on the collaboration graph) and ``predictions``:
        ``{"a", "b", "score", "because"}``, best first.
    """
    C = as_compact(G)
    ok = _candidates(C, kinds)
    if ok.sum() < 2:
        return {"method": "adamic_adar", "predictions": []}
    P = collaboration(C)
    deg = np.diff(P.indptr)
    weight = np.where(deg >= 2, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
    if max_hub_degree is not None:
        weight[deg > max_hub_degree] = 0.0
    act = np.flatnonzero(ok)
    Pa = P[act]  # actors x everyone
    PaT = (Pa @ sp.diags(weight)).T.tocsr()
    Paa = Pa[:, act]  # pairs of actors already working together
    found = []
    # Blocks of rows, each cut to the candidates that can still rank: memory stays bounded
    # by the block, not by the millions of candidate pairs at scale.
    for lo in range(0, len(act), _BLOCK):
        hi = min(lo + _BLOCK, len(act))
        S = Pa[lo:hi] @ PaT
        S = sp.triu(S - S.multiply(Paa[lo:hi]), k=1 + lo).tocoo()
        keep = S.data > 1e-12
        found.append((S.row[keep] + lo, S.col[keep], np.round(S.data[keep], 9)))
        rows_, cols_, vals_ = (np.concatenate(x) for x in zip(*found, strict=False))
        found = [_best(rows_, cols_, vals_, top)]
    rows, cols, vals = found[0]
    r, c = act[rows], act[cols]
    swap = C.id_rank[c] < C.id_rank[r]
    r, c = np.where(swap, c, r), np.where(swap, r, c)
    best = np.lexsort((C.id_rank[c], C.id_rank[r], -vals))
    if top is not None:
        best = best[:top]
    out = []
    for x in best.tolist():
        u, v = int(r[x]), int(c[x])
        common = np.intersect1d(
            P.indices[P.indptr[u] : P.indptr[u + 1]], P.indices[P.indptr[v] : P.indptr[v + 1]]
        )
        common = common[np.lexsort((C.id_rank[common], deg[common]))][:because]
        out.append(
            {
                "a": C.row(u),
                "b": C.row(v),
                "score": round(float(vals[x]), 4),
                "because": [C.ids[w] for w in common.tolist()],
            }
        )
    return {"method": "adamic_adar", "predictions": out}
