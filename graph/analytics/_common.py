"""Helpers shared by the analytics: result rows, ranked lists, the graph they accept."""

from __future__ import annotations

import numpy as np

from regulink.graph.compact import CompactGraph, as_compact

__all__ = ["as_compact", "CompactGraph", "ranked", "order"]


def order(C: CompactGraph, scores: np.ndarray) -> np.ndarray:
    """Positions by score, highest first, ties by id (so results are stable).

    >>> C = CompactGraph(["b", "a", "c"], "bac", "xxx", "SSS", [], [], [], [], [])
    >>> order(C, np.array([1.0, 1.0, 2.0])).tolist()
    [2, 1, 0]
    """
    return np.lexsort((C.id_rank, -np.asarray(scores, np.float64)))


def ranked(C: CompactGraph, scores: np.ndarray, top: int | None, *, digits: int = 6,
           key: str = "score", keep: np.ndarray | None = None) -> list[dict]:
    """Rows for the ``top`` highest ``scores`` (one per entity; ``keep`` limits which)."""
    idx = order(C, scores)
    if keep is not None:
        idx = idx[keep[idx]]
    if top is not None:
        idx = idx[:top]
    integral = np.issubdtype(np.asarray(scores).dtype, np.integer)
    return [C.row(i, **{key: int(scores[i]) if integral else round(float(scores[i]), digits)})
            for i in idx.tolist()]
