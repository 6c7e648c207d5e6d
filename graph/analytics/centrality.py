"""Centrality: degree, PageRank, betweenness and eigenvector, computed in C (igraph, ARPACK).

Examples
--------
A star: the centre is first by every measure, and the only entity between others.

>>> import networkx as nx
>>> c = centrality(nx.star_graph(4), top=2)
>>> [r["id"] for r in c["degree"]], c["degree"][0]["score"]
([0, 1], 4)
>>> c["betweenness"][0]["id"], c["betweenness"][0]["score"], c["betweenness_exact"]
(0, 1.0, True)
>>> c["pagerank"][0]["id"], c["eigenvector"][0]["id"]
(0, 0)
"""

from __future__ import annotations

import random
import warnings

import numpy as np

from regulink.graph.analytics._common import as_compact, ranked

__all__ = [
    "BETWEENNESS_SAMPLES",
    "EXACT_BETWEENNESS_MAX",
    "betweenness",
    "centrality",
    "eigenvector",
    "pagerank",
]

#: Up to this many entities betweenness is exact; above, it is estimated from a fixed-seed
#: sample of source entities (the sample size is reported with the result).
EXACT_BETWEENNESS_MAX = 5000
#: Sampled sources beyond that size.
BETWEENNESS_SAMPLES = 256


def pagerank(G, *, damping: float = 0.85) -> np.ndarray:
    """PageRank on the directed relations (symmetric ones both ways, parallel ones once),
    one score per entity in the graph's order; igraph's PRPACK solver, which treats an
    entity with no outgoing link as linking to everyone, as networkx does.

    >>> import networkx as nx
    >>> D = nx.MultiDiGraph([("a", "hub"), ("b", "hub"), ("hub", "c")])
    >>> pr = pagerank(D)
    >>> ref = nx.pagerank(nx.DiGraph(D))
    >>> bool(np.allclose(pr, [ref[v] for v in D], atol=1e-6))
    True
    """
    C = as_compact(G)
    if C.n == 0:
        return np.zeros(0)
    return np.asarray(C.digraph.pagerank(directed=True, damping=damping))


def betweenness(G, *, k: int | None = None, seed: int = 42) -> np.ndarray:
    """Normalised betweenness of the undirected simple graph, as networkx computes it.

    With ``k``, ``k`` source entities are sampled as :func:`networkx.betweenness_centrality`
    samples them for the same ``seed`` (``random.Random(seed).sample``), and the sums are
    scaled as networkx scales them, so both agree in either mode.

    >>> import networkx as nx
    >>> G = nx.path_graph(4)
    >>> betweenness(G).round(6).tolist()
    [0.0, 0.666667, 0.666667, 0.0]
    >>> nx.betweenness_centrality(G)
    {0: 0.0, 1: 0.6666666666666666, 2: 0.6666666666666666, 3: 0.0}
    """
    C = as_compact(G)
    n = C.n
    if n == 0:
        return np.zeros(0)
    src = sorted(random.Random(seed).sample(range(n), k)) if k is not None and k < n else None
    sampled = src is not None
    # igraph counts each unordered pair once; the ordered-pair sums networkx normalises are
    # twice that.
    raw = 2.0 * np.asarray(
        C.graph.betweenness(directed=False, sources=src)
        if sampled
        else C.graph.betweenness(directed=False)
    )
    N = n - 1  # possible targets of a path through v (v itself excluded)
    if N < 2:
        return raw
    if not sampled or k is None:  # k is set whenever sampled
        return raw / (N * (N - 1))
    # A sampled entity was a source itself, so it lay between fewer sampled pairs
    # (networkx >= 3.5 scales the two groups apart; we do the same to agree with it).
    scale = np.full(n, 1.0 / (k * (N - 1)))
    scale[src] = 1.0 / ((k - 1) * (N - 1)) if k > 1 else 0.0
    return raw * scale


def eigenvector(G) -> np.ndarray:
    """Principal eigenvector of the 0/1 adjacency matrix, unit length, non-negative.

    Solved as a symmetric eigenproblem (igraph's ARPACK call, started from the degrees:
    deterministic); networkx's power iteration may not converge on the bipartite-like
    graphs common here (organisations linked through projects). On a disconnected graph
    only the component with the largest eigenvalue scores above zero, as in networkx.

    >>> import networkx as nx
    >>> K = nx.karate_club_graph()
    >>> ref = nx.eigenvector_centrality_numpy(K)
    >>> bool(np.allclose(eigenvector(K), [ref[v] for v in K], atol=1e-6))
    True
    """
    C = as_compact(G)
    n = C.n
    if n == 0 or C.adjacency.nnz == 0:
        return np.zeros(n)
    if n < 200:
        A = C.adjacency.toarray()
        vec = np.linalg.eigh((A > 0).astype(float))[1][:, -1]
    else:
        with warnings.catch_warnings():  # "not meaningful for disconnected graphs": known
            warnings.simplefilter("ignore", RuntimeWarning)
            vec = np.asarray(C.graph.eigenvector_centrality(weights=None))
    vec = np.abs(vec)
    return vec / (np.linalg.norm(vec) or 1.0)


def centrality(
    G,
    *,
    top: int | None = 10,
    seed: int = 42,
    exact_max: int = EXACT_BETWEENNESS_MAX,
    samples: int = BETWEENNESS_SAMPLES,
) -> dict:
    """The ``top`` entities by four centrality measures.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        Any graph (collapsed to a simple undirected view for all but PageRank; not
        modified).
    top : int or None
        How many rows per measure (``None``: all).
    seed : int
        Seed for sampled betweenness, so results repeat.
    exact_max, samples : int
        Betweenness is exact up to ``exact_max`` entities, else estimated from ``samples``
        sampled source entities.

    Returns
    -------
    dict
        ``degree`` (distinct entities linked), ``pagerank`` (on the directed relations:
        being linked *to* counts), ``betweenness`` (normalised), ``eigenvector``: each a list
        of ``{"id", "name", "kind", "jurisdiction", "score"}``; plus ``betweenness_exact``
        and ``betweenness_samples`` (sources sampled, with ``betweenness_seed``).
    """
    C = as_compact(G)
    exact = C.n <= exact_max
    k = None if exact else min(samples, C.n)
    return {
        "degree": ranked(C, C.degree, top),
        "pagerank": ranked(C, pagerank(C), top),
        "betweenness": ranked(C, betweenness(C, k=k, seed=seed), top),
        "eigenvector": ranked(C, eigenvector(C), top),
        "betweenness_exact": exact,
        "betweenness_samples": k,
        "betweenness_seed": None if exact else seed,
    }
