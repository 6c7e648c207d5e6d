"""Network analytics on a relation graph: pure functions ``f(G, *, options) -> dict``.

Each takes a :class:`~regulink.graph.compact.CompactGraph` (the facts as arrays, built once
per request and shared) or any networkx graph (turned into one), never modifies it, and
returns plain data (JSON ready). The heavy algorithms run in C (igraph, scipy). Randomised
steps take a ``seed`` so the same graph gives the same answer. "Degree" is everywhere the
number of distinct entities an entity is linked to.

>>> import networkx as nx
>>> G = nx.barbell_graph(3, 0)            # two triangles joined by one link
>>> before = nx.to_dict_of_dicts(G)
>>> analyze(G)["brokers"]["bridge_count"]
1
>>> nx.to_dict_of_dicts(G) == before       # untouched
True
"""

from regulink.graph.analytics.brokers import brokers, jurisdiction_brokers
from regulink.graph.analytics.centrality import centrality
from regulink.graph.analytics.communities import communities
from regulink.graph.analytics.growth import growth
from regulink.graph.analytics.matrix import jurisdiction_matrix
from regulink.graph.analytics.prediction import likely_partners, partners
from regulink.graph.analytics.report import analyze, to_markdown

__all__ = [
    "analyze",
    "brokers",
    "centrality",
    "communities",
    "growth",
    "jurisdiction_brokers",
    "jurisdiction_matrix",
    "likely_partners",
    "partners",
    "to_markdown",
]
