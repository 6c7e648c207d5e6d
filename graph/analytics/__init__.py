"""Network analytics on a relation graph: pure functions ``f(G, *, options) -> dict``.

Each takes a :class:`~regulink.graph.compact.CompactGraph` (the facts as arrays, built once
per request and shared) or any networkx graph (turned into one), never modifies it, and
returns plain data (JSON ready). The heavy algorithms run in C (igraph, scipy). Randomised
steps take a ``seed`` so the same graph gives the same answer. "Degree" is everywhere the
number of distinct entities an entity is linked to.

Per-entity measures for a caller that draws (the page's sizes and colours): ``pagerank``,
``betweenness``, ``eigenvector`` and ``membership`` (Leiden labels) return numpy arrays in
the order of ``as_compact(G).ids``, and ``as_compact(G).degree`` is the degree; build the
compact graph once (:func:`~regulink.graph.compact.analysis_graph` from facts) and pass it
to each.

>>> import networkx as nx
>>> G = nx.barbell_graph(3, 0)            # two triangles joined by one link
>>> before = nx.to_dict_of_dicts(G)
>>> analyze(G)["brokers"]["bridge_count"]
1
>>> nx.to_dict_of_dicts(G) == before       # untouched
True
"""

from regulink.graph.analytics.brokers import brokers, jurisdiction_brokers
from regulink.graph.analytics.centrality import betweenness, centrality, eigenvector, pagerank
from regulink.graph.analytics.communities import communities, membership
from regulink.graph.analytics.growth import growth
from regulink.graph.analytics.matrix import jurisdiction_matrix
from regulink.graph.analytics.prediction import likely_partners, partners
from regulink.graph.analytics.report import analyze, to_markdown

__all__ = [
    "analyze",
    "betweenness",
    "brokers",
    "centrality",
    "communities",
    "eigenvector",
    "growth",
    "jurisdiction_brokers",
    "jurisdiction_matrix",
    "likely_partners",
    "membership",
    "pagerank",
    "partners",
    "to_markdown",
]
