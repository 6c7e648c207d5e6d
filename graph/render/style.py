"""Colours and sizes of nodes: what ``--color-by`` and ``--size-by`` mean, with their legend.

Measures come from :mod:`regulink.graph.analytics` (PageRank, betweenness, Leiden) so the
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

import colorsys
import math
from collections import Counter
from typing import Any

import networkx as nx

from regulink.graph.analytics import centrality, communities
from regulink.graph.analytics._common import simple_undirected
from regulink.graph.schema import load_schema

__all__ = [
    "COLOR_BY",
    "OTHER_COLOUR",
    "PALETTE",
    "SIZE_BY",
    "jurisdiction_colour",
    "kind_colours",
    "node_colours",
    "node_sizes",
]

COLOR_BY = ("kind", "jurisdiction", "community")
SIZE_BY = ("degree", "pagerank", "betweenness")

# Kelly's colours of maximum contrast, ordered so that the vocabulary's kinds (taken in
# schema.yaml order) get distinct hues: the first kinds (regulators, central banks...) are a
# blue, an orange, a red, a purple, a green; no two neighbours in the list are the same hue
# family. Declared once: a kind has the same colour on every page regulink draws.
PALETTE = (
    "#0067a5",
    "#f38400",
    "#be0032",
    "#875692",
    "#008856",
    "#848482",
    "#e68fac",
    "#c2b280",
    "#f3c300",
    "#a1caf1",
    "#8db600",
    "#f99379",
    "#b3446c",
    "#882d17",
    "#2b3d26",
    "#e25822",
    "#654522",
    "#dcd300",
    "#604e97",
    "#f6a600",
)
OTHER_COLOUR = "#d0d0d0"
MIN_SIZE, MAX_SIZE = 8.0, 40.0


def kind_colours() -> dict[str, str]:
    """Every kind's colour: its place in the vocabulary picks it from :data:`PALETTE`."""
    kinds = list(load_schema().kinds)
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}


def jurisdiction_colour(code: str) -> str:
    """A jurisdiction's colour, the same on every page: hues a golden angle apart in the
    order of jurisdictions.yaml, so that codes listed near each other differ most.

    >>> jurisdiction_colour("SG") == jurisdiction_colour("SG") != jurisdiction_colour("CH")
    True
    """
    codes = list(load_schema().jurisdictions)
    if code not in codes:
        return OTHER_COLOUR
    i = codes.index(code)
    hue = (i * 137.508) % 360
    light = (0.42, 0.55, 0.34)[i % 3]
    r, g, b = colorsys.hls_to_rgb(hue / 360, light, 0.62)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def node_colours(G: nx.Graph, by: str) -> tuple[dict, list[dict]]:
    """``({node: colour}, legend entries [{"label", "color", "count"}])`` for ``by``."""
    if by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {by!r}")
    if by in ("kind", "jurisdiction"):
        # Fixed colours: a kind or jurisdiction looks the same on every page.
        group = dict(G.nodes(data=by))
        present = Counter(group.values())
        if by == "kind":
            fixed = kind_colours()
            # groups are kinds or jurisdictions (str), or community numbers (int) below
            order: list[Any] = [k for k in fixed if k in present]
            labels: dict[Any, str] = {k: k.replace("_", " ") for k in order}
        else:
            order = [j for j, _ in sorted(present.items(), key=lambda kv: (-kv[1], str(kv[0])))]
            fixed = {j: jurisdiction_colour(j) for j in order}
            labels = {j: str(j) for j in order}
        colours = {n: fixed.get(group[n], OTHER_COLOUR) for n in G}
        entries = [
            {"label": labels[g], "key": g, "color": fixed[g], "count": present[g]} for g in order
        ]
        return colours, entries
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
    colour_of = {g: PALETTE[i] for i, g in enumerate(order[: len(PALETTE)])}
    colours = {n: colour_of.get(group[n], OTHER_COLOUR) for n in G}
    entries = [
        {"label": labels[g], "key": g, "color": colour_of[g], "count": present[g]}
        for g in order[: len(PALETTE)]
    ]
    rest = sum(present[g] for g in present if g not in colour_of)
    if rest:
        entries.append(
            {"label": "alone or small groups", "key": None, "color": OTHER_COLOUR, "count": rest}
        )
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
    sizes = {
        n: (round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((m - lo) / span), 2), m)
        for n, m in measure.items()
    }
    return sizes, {"by": by, "min": lo, "max": hi}
