"""Big graphs start collapsed: one cluster node per community or jurisdiction, built in Python.

Drawing thousands of entities makes a page slow to open (tests/browser/bench_render.py: about
4 s at 5,000 entities, 8.5 s at 10,000 on a 2-core machine), and vis-network's own clustering
is slower still. So above :data:`COLLAPSE_AUTO_NODES` entities the page opens with one node per
group. Everything is decided here, before drawing: which entity is in which group, how
many relations join two groups, where each group sits (a layout of the small group graph) and
where each member will appear when its group is expanded (a disc around the group's
centre, so expanding costs the browser no layout at all).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for n, j in [("a", "SG"), ("b", "SG"), ("c", "CH"), ("d", "CH"), ("e", "FR")]:
...     G.add_node(n, jurisdiction=j, short_name=n.upper(), name=n)
>>> G.add_edges_from([("a", "b", "r1"), ("a", "c", "r2"), ("b", "d", "r3"), ("c", "d", "r4"),
...                   ("e", "a", "r5")])
['r1', 'r2', 'r3', 'r4', 'r5']
>>> g = group(G, "jurisdiction")
>>> [(c.label, c.members) for c in g.clusters]
[('CH · 2', ('c', 'd')), ('SG · 2', ('a', 'b'))]
>>> g.alone, sorted((link["from"], link["to"], link["count"]) for link in g.links)
(('e',), [('e', 'group:1', 1), ('group:0', 'group:1', 2)])
>>> sorted(g.positions) == sorted(G)
True
>>> group(G, "jurisdiction", keep={"a"}).alone   # kept out of every group, always shown
('a', 'b', 'e')
>>> collapse_mode("auto", COLLAPSE_AUTO_NODES + 1), collapse_mode("auto", 10)
('community', 'none')
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Collection, Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from regulink.graph.analytics import communities
from regulink.graph.render.layout import force_layout

__all__ = [
    "CLUSTER_PREFIX",
    "COLLAPSE",
    "COLLAPSE_AUTO_NODES",
    "Cluster",
    "Grouping",
    "collapse_mode",
    "group",
]

#: Values of ``--collapse``: ``auto`` means ``community`` above :data:`COLLAPSE_AUTO_NODES`
#: entities and ``none`` up to it.
COLLAPSE = ("auto", "community", "jurisdiction", "none")
#: Pages with more entities than this open collapsed (with ``collapse="auto"``). Drawn
#: expanded, 2,000 entities are interactive in about 2 s and 5,000 in about 4 s
#: (tests/browser/bench_render.py, 2-core machine); 3 s is passed at about 3,500.
COLLAPSE_AUTO_NODES = 3000
#: Cluster node ids start with this; entity ids are slugs, which never contain ``:``.
CLUSTER_PREFIX = "group:"
#: Room each member gets inside its group's disc, in canvas pixels (as in the full layout,
#: about 3,600 square pixels a node).
_MEMBER_AREA = 3600.0
_GAP = 60.0  # between two discs
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True, slots=True)
class Cluster:
    """One group of entities, drawn as a single node until expanded.

    ``members`` are best connected first; ``internal`` counts the relations between two
    members (not drawn while collapsed); ``radius`` is the disc the members fill when
    expanded, around ``centre``.
    """

    id: str
    label: str
    key: str
    members: tuple[str, ...]
    internal: int
    centre: tuple[float, float]
    radius: float


@dataclass(frozen=True, slots=True)
class Grouping:
    """Entities split into clusters (``alone``: shown on their own, never collapsed).

    ``links`` aggregate the relations between two different units (a cluster or an entity
    alone), at least one of them a cluster: ``{"from", "to", "count"}``, one per pair.
    Relations between two entities alone are not in it (they are drawn as themselves).
    ``positions`` holds every entity's place, members around their cluster's centre.
    """

    by: str
    clusters: list[Cluster]
    alone: tuple[str, ...]
    links: list[dict]
    positions: dict[Hashable, tuple[float, float]]


def collapse_mode(collapse: str, entities: int) -> str:
    """What ``collapse`` means for a page of ``entities``: ``community``, ``jurisdiction``
    or ``none``.

    Raises
    ------
    ValueError
        For a value not in :data:`COLLAPSE`.
    """
    if collapse not in COLLAPSE:
        raise ValueError(f"collapse must be one of {', '.join(COLLAPSE)}, not {collapse!r}")
    if collapse == "auto":
        return "community" if entities > COLLAPSE_AUTO_NODES else "none"
    return collapse


def _degree(G: nx.Graph) -> dict:
    return dict(G.degree())


def _memberships(G: nx.Graph, by: str, degree: dict) -> list[tuple[str, list]]:
    """``[(key, members best connected first)]``, largest group first; singletons included."""
    if by == "community":
        found = communities(G)["communities"]
        groups = [(str(i), list(c["members"])) for i, c in enumerate(found)]
        placed = {n for _k, members in groups for n in members}
        # Leiden's singletons (mostly entities without relations) make one group of their own.
        rest = sorted((n for n in G if n not in placed), key=lambda n: (-degree[n], str(n)))
        if rest:
            groups.append(("others", rest))
        return groups
    if by == "jurisdiction":
        by_code: dict[str, list] = {}
        for n, code in G.nodes(data="jurisdiction"):
            by_code.setdefault(str(code), []).append(n)
        groups = [
            (code, sorted(members, key=lambda n: (-degree[n], str(n))))
            for code, members in by_code.items()
        ]
        groups.sort(key=lambda g: (-len(g[1]), g[0]))
        return groups
    raise ValueError(f"cannot group by {by!r}: use community or jurisdiction")


def _label(G: nx.Graph, by: str, key: str, members: list) -> str:
    if by == "jurisdiction":
        return f"{key} · {len(members)}"
    if key == "others":
        return f"others · {len(members)}"
    top = G.nodes[members[0]]
    return f"{top.get('short_name') or top.get('name') or members[0]} +{len(members) - 1}"


def group(G: nx.Graph, by: str, *, keep: Collection[Hashable] = ()) -> Grouping:
    """Split ``G``'s entities into clusters by Leiden ``community`` or ``jurisdiction``.

    Parameters
    ----------
    G : networkx.Graph
        The shown graph (nodes with ``jurisdiction``, ``short_name``, ``name``). Not modified.
    by : ``"community"`` or ``"jurisdiction"``.
    keep : entities that stay out of every cluster (a path, the focus): always shown.

    Returns
    -------
    Grouping
        Groups of two or more become clusters, largest first; a group left with one entity
        (a jurisdiction of one, say) leaves it alone. Clusters ids are ``group:0``,
        ``group:1``... in that order.
    """
    degree = _degree(G)
    keep = set(keep)
    clusters_members: list[tuple[str, list]] = []
    alone: list = [n for n in G if n in keep]
    for key, members in _memberships(G, by, degree):
        members = [n for n in members if n not in keep]
        if len(members) >= 2:
            clusters_members.append((key, members))
        else:
            alone.extend(members)
    unit_of: dict = {n: n for n in alone}
    ids = [f"{CLUSTER_PREFIX}{i}" for i in range(len(clusters_members))]
    cluster_ids = set(ids)
    for cid, (_key, members) in zip(ids, clusters_members, strict=False):
        for n in members:
            unit_of[n] = cid

    # One link per pair of units, at least one a cluster; relations inside a cluster counted.
    pair_count: Counter = Counter()
    internal: Counter = Counter()
    for u, v in G.edges():
        a, b = unit_of[u], unit_of[v]
        if a == b:
            if a in cluster_ids:
                internal[a] += 1
            continue
        if a == u and b == v:
            continue  # two entities alone: drawn as the relation itself
        pair_count[(a, b) if str(a) <= str(b) else (b, a)] += 1
    links = [{"from": a, "to": b, "count": c} for (a, b), c in sorted(pair_count.items())]

    # The unit graph, laid out small; then each cluster's members fill a disc around it.
    radius = {
        cid: math.sqrt(len(m) * _MEMBER_AREA / math.pi)
        for cid, (_k, m) in zip(ids, clusters_members, strict=False)
    }
    radius.update(dict.fromkeys(alone, 20.0))
    centres = _place_units(list(radius), radius, pair_count)
    positions: dict = {n: centres[n] for n in alone}
    adjacency = G.to_undirected(as_view=True) if G.is_directed() else G
    clusters = []
    for cid, (key, members) in zip(ids, clusters_members, strict=False):
        order = _bfs_order(adjacency, members, unit_of, cid)
        positions.update(_disc(order, centres[cid], radius[cid]))
        clusters.append(
            Cluster(
                cid,
                _label(G, by, key, members),
                key,
                tuple(members),
                internal[cid],
                centres[cid],
                round(radius[cid], 1),
            )
        )
    return Grouping(by, clusters, tuple(alone), links, positions)


def _bfs_order(adjacency, members: list, unit_of: dict, cid: str) -> list:
    """Members in breadth-first order from the best connected, so neighbours sit close."""
    seen: set = set()
    order: list = []
    for start in members:
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            n = queue.popleft()
            order.append(n)
            for m in adjacency[n]:
                if m not in seen and unit_of[m] == cid:
                    seen.add(m)
                    queue.append(m)
    return order


def _disc(order: list, centre: tuple[float, float], radius: float) -> dict:
    """A sunflower (Vogel's spiral): evenly spread points filling the disc, first in the middle."""
    k = np.arange(len(order), dtype=float)
    r = radius * np.sqrt((k + 0.5) / len(order))
    x = centre[0] + r * np.cos(k * _GOLDEN_ANGLE)
    y = centre[1] + r * np.sin(k * _GOLDEN_ANGLE)
    return {
        n: (round(float(a), 1), round(float(b), 1)) for n, a, b in zip(order, x, y, strict=False)
    }


def _place_units(units: list, radius: dict, pairs: Counter) -> dict:
    """Centres for the units: a force layout of the unit graph, then discs pushed apart."""
    if not units:
        return {}
    H: nx.Graph = nx.Graph()
    H.add_nodes_from(units)
    H.add_edges_from(pairs)
    r = np.array([radius[u] for u in units])
    # Wide enough for the discs side by side: their total area, twice over.
    width = 2.0 * math.sqrt(2.0 * float(np.sum(np.pi * r * r)))
    start = force_layout(H, scale=width)
    pos = np.array([start[u] for u in units], dtype=float)
    pos = _separate(pos, r)
    return {
        u: (round(float(x), 1), round(float(y), 1)) for u, (x, y) in zip(units, pos, strict=False)
    }


def _separate(pos: np.ndarray, r: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Push overlapping discs apart (each moves half the overlap), until none overlap."""
    n = len(pos)
    if n < 2:
        return pos
    rng = np.random.default_rng(7)
    pos = pos + rng.normal(scale=1e-3, size=pos.shape)  # no two centres exactly equal
    every_pair = np.triu_indices(n, 1) if n <= 2000 else None
    for _ in range(iterations):
        if every_pair is None:
            from scipy.spatial import cKDTree

            near = cKDTree(pos).query_pairs(2 * float(r.max()) + _GAP, output_type="ndarray")
            if not len(near):
                break
            a, b = near[:, 0], near[:, 1]
        else:
            a, b = every_pair
        delta = pos[a] - pos[b]
        dist = np.maximum(np.sqrt(np.einsum("ij,ij->i", delta, delta)), 1e-6)
        overlap = r[a] + r[b] + _GAP - dist
        hit = overlap > 0
        if not hit.any():
            break
        a, b, delta, dist, overlap = a[hit], b[hit], delta[hit], dist[hit], overlap[hit]
        push = delta * (overlap / (2 * dist))[:, None]
        move = np.zeros_like(pos)
        np.add.at(move, a, push)
        np.add.at(move, b, -push)
        pos += move
    return pos - pos.mean(axis=0)
