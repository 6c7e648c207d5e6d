"""Growth over time: how many relations started each year.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for start in ["2021-05", "2023", "2023-01-09", None]:
...     _ = G.add_edge("a", "b", start=start, type="member_of")
>>> g = growth(G)
>>> g["by_year"], g["cumulative"]["2023"], g["undated"]
({'2021': 1, '2022': 0, '2023': 2}, 3, 1)
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

__all__ = ["growth"]


def growth(G: nx.Graph) -> dict:
    """New relations per year, from each relation's ``start`` (partial dates count by year).

    Parameters
    ----------
    G : networkx.Graph
        A relation graph (every edge, parallel ones included, is one relation). Not modified.

    Returns
    -------
    dict
        ``by_year`` (every year from the first to the last, gaps as 0), ``cumulative``,
        ``by_type`` (year -> relation type -> count), ``undated`` (relations without a
        start).
    """
    years: Counter = Counter()
    by_type: dict = defaultdict(Counter)
    undated = 0
    for _u, _v, d in G.edges(data=True):
        start = d.get("start")
        if not start:
            undated += 1
            continue
        y = int(str(start)[:4])
        years[y] += 1
        by_type[y][d.get("type")] += 1
    span = range(min(years), max(years) + 1) if years else range(0)
    by_year = {str(y): years[y] for y in span}
    cumulative, run = {}, 0
    for y in span:
        run += years[y]
        cumulative[str(y)] = run
    return {"by_year": by_year, "cumulative": cumulative,
            "by_type": {str(y): dict(sorted(by_type[y].items(), key=lambda kv: str(kv[0])))
                        for y in span if by_type[y]},
            "undated": undated}
