"""Colours and sizes of nodes: what ``--color-by`` and ``--size-by`` mean, with their legend.

Measures come from :mod:`regulink.graph.analytics` (PageRank, betweenness, Louvain) so the
page and ``regulink`` analytics always agree; degree is counted here (distinct neighbours)
because it is cheap and needs no other measure.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a", "b"), ("a", "c"), ("a", "b")])
>>> nx.set_node_attributes(G, {"a": "SG", "b": "SG", "c": "CH"}, "jurisdiction")
>>> sizes, legend = node_sizes(G, "degree")
>>> sizes["a"] > sizes["b"] == sizes["c"], legend["min"], legend["max"]
(True, 1, 2)
>>> colours, entries = node_colours(G, "jurisdiction")
>>> colours["a"] == colours["b"] != colours["c"], [e["label"] for e in entries]
(True, ['SG', 'CH'])
"""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx

from regulink.graph.analytics import centrality, communities
from regulink.graph.analytics._common import simple_undirected
from regulink.graph.schema import load_schema

__all__ = ["COLOR_BY", "SIZE_BY", "PALETTE", "OTHER_COLOUR", "node_colours", "node_sizes"]

COLOR_BY = ("kind", "jurisdiction", "community")
SIZE_BY = ("degree", "pagerank", "betweenness")

# Distinguishable on white and for the commonest colour-vision deficiencies (Tableau 10,
# then lighter companions); beyond these, groups share OTHER_COLOUR and the legend says so.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#aec7e8", "#98df8a", "#c5b0d5", "#c49c94", "#dbdb8d",
)
OTHER_COLOUR = "#d0d0d0"
MIN_SIZE, MAX_SIZE = 8.0, 40.0


def node_colours(G: nx.Graph, by: str) -> tuple[dict, list[dict]]:
    """``({node: colour}, legend entries [{"label", "color", "count"}])`` for ``by``."""
    if by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {by!r}")
    if by == "kind":
        # Kinds keep their colour from page to page: the order of the vocabulary fixes it.
        schema_order = list(load_schema().kinds)
        group = dict(G.nodes(data="kind"))
        present = Counter(group.values())
        order = [k for k in schema_order if k in present]
        order += sorted(k for k in present if k not in schema_order)
        labels = {k: k.replace("_", " ") for k in order}
    elif by == "jurisdiction":
        group = dict(G.nodes(data="jurisdiction"))
        present = Counter(group.values())
        order = [j for j, _ in sorted(present.items(), key=lambda kv: (-kv[1], str(kv[0])))]
        labels = {j: str(j) for j in order}
    else:
        found = communities(G)["communities"] if G.number_of_nodes() else []
        group = dict.fromkeys(G, None)
        order, labels = [], {}
        for i, c in enumerate(found):
            for n in c["members"]:
                group[n] = i
            order.append(i)
            first = G.nodes[c["members"][0]]
            labels[i] = f"{first.get('short_name') or first.get('name')} & co."
        present = Counter(group.values())
    colour_of = {g: PALETTE[i] for i, g in enumerate(order[:len(PALETTE)])}
    colours = {n: colour_of.get(group[n], OTHER_COLOUR) for n in G}
    entries = [{"label": labels[g], "color": colour_of[g], "count": present[g]}
               for g in order[:len(PALETTE)]]
    rest = sum(present[g] for g in present if g not in colour_of)
    if rest:
        entries.append({"label": "others" if by != "community" else "alone or small groups",
                        "color": OTHER_COLOUR, "count": rest})
    return colours, entries


def node_sizes(G: nx.Graph, by: str) -> tuple[dict, dict]:
    """``({node: (radius in px, measure)}, legend {"by", "min", "max"})`` for ``by``."""
    if by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}, not {by!r}")
    if by == "degree":
        H = simple_undirected(G)
        measure = dict(H.degree())
    else:
        rows = centrality(G, top=None)[by] if G.number_of_nodes() else []
        measure = {r["id"]: r["score"] for r in rows}
    lo = min(measure.values(), default=0)
    hi = max(measure.values(), default=0)
    span = (hi - lo) or 1
    # Area, not radius, grows with the measure: a hub twice as central looks twice as big.
    sizes = {n: (round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((m - lo) / span), 2), m)
             for n, m in measure.items()}
    return sizes, {"by": by, "min": lo, "max": hi}
