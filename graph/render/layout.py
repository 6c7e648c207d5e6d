"""Node positions computed in Python, for graphs too big to lay out in the browser.

vis-network's own physics gives good pictures for a few hundred nodes but needs many seconds
(and keeps the page busy) beyond that, and networkx's layouts are slow at that size (its
``spring_layout`` takes minutes for 5,000 nodes). This is Fruchterman-Reingold's
grid variant (repulsion only between nearby nodes, found with a k-d tree), vectorised with
numpy; it is deterministic for a given seed, so the same facts always give the same picture.

Examples
--------
>>> import networkx as nx
>>> pos = force_layout(nx.path_graph(4), seed=1)
>>> sorted(pos) == [0, 1, 2, 3]
True
>>> all(isinstance(x, float) for xy in pos.values() for x in xy)
True
>>> force_layout(nx.Graph())
{}
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = ["force_layout"]


def force_layout(
    G: nx.Graph, *, iterations: int = 60, seed: int = 7, scale: float | None = None
) -> dict[Hashable, tuple[float, float]]:
    """Positions ``{node: (x, y)}`` in pixels, centred on 0, roughly ``scale`` wide.

    Edges attract, every pair of nodes repels; the step shrinks each iteration so the
    layout settles instead of oscillating. Direction and multiplicity of edges are ignored.
    ``scale`` defaults to a width that gives each node about 3,600 square pixels.
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    if scale is None:
        scale = 60.0 * np.sqrt(n)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = {(index[a], index[b]) for a, b in G.edges() if a != b}
    src = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
    dst = np.fromiter((p[1] for p in pairs), dtype=np.int64, count=len(pairs))

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / np.sqrt(n)  # ideal edge length in the unit square
    # As in Fruchterman and Reingold's grid variant, nodes repel only within a radius: far
    # pairs hardly move each other, and skipping them turns O(n^2) into about O(n).
    radius = 2.0 * k
    temp = 0.1
    cooling = temp / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        near = cKDTree(pos).query_pairs(radius, output_type="ndarray")
        if len(near):
            i, j = near[:, 0], near[:, 1]
            delta = pos[i] - pos[j]
            dist2 = np.maximum(np.einsum("ij,ij->i", delta, delta), 1e-9)
            # Repulsion k^2/d along the unit vector: delta * k^2 / d^2.
            push = delta * (k * k / dist2)[:, None]
            disp += _scatter(i, push, n) - _scatter(j, push, n)
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt(np.einsum("ij,ij->i", delta, delta))
            # Attraction d^2/k along the unit vector: delta * d / k.
            pull = delta * (dist / k)[:, None]
            disp += _scatter(dst, pull, n) - _scatter(src, pull, n)
        # Weak gravity keeps disconnected pieces from drifting off the canvas.
        disp -= pos * (0.02 * k * np.sqrt(n))
        length = np.maximum(np.sqrt(np.einsum("ij,ij->i", disp, disp)), 1e-12)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cooling
    pos -= pos.mean(axis=0)
    span = float(np.abs(pos).max()) or 1.0
    pos *= scale / (2 * span)
    return {
        v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, pos, strict=False)
    }


def _scatter(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Row sums of ``values`` grouped by ``index`` (bincount is far faster than ``add.at``)."""
    return np.column_stack(
        [
            np.bincount(index, weights=values[:, 0], minlength=n),
            np.bincount(index, weights=values[:, 1], minlength=n),
        ]
    )
