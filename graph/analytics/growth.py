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

import numpy as np

from regulink.graph.analytics._common import as_compact

__all__ = ["growth"]


def growth(G) -> dict:
    """New relations per year, from each relation's ``start`` (partial dates count by year).

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        A relation graph (every relation, parallel ones included, counts). Not modified.

    Returns
    -------
    dict
        ``by_year`` (every year from the first to the last, gaps as 0), ``cumulative``,
        ``by_type`` (year -> relation type -> count), ``undated`` (relations without a
        start).
    """
    C = as_compact(G)
    dated = C.year > 0
    years, types = C.year[dated], C.type[dated]
    if not len(years):
        return {"by_year": {}, "cumulative": {}, "by_type": {}, "undated": int(C.m)}
    first, last = int(years.min()), int(years.max())
    counts = np.bincount(years - first, minlength=last - first + 1)
    span = [str(y) for y in range(first, last + 1)]
    nt = len(C.type_names)
    cells: np.ndarray = np.bincount((years - first) * nt + types, minlength=len(span) * nt)
    cells = cells.reshape(len(span), nt)
    tnames = [str(t) for t in C.type_names]
    by_type = {}
    for i, y in enumerate(span):
        got = {tnames[t]: int(cells[i, t]) for t in np.flatnonzero(cells[i]).tolist()}
        if got:
            by_type[y] = dict(sorted(got.items()))
    return {
        "by_year": dict(zip(span, counts.tolist(), strict=False)),
        "cumulative": dict(zip(span, np.cumsum(counts).tolist(), strict=False)),
        "by_type": by_type,
        "undated": int((~dated).sum()),
    }
