"""One hop of a path: which relation it shows, and how it reads.

The path search (:mod:`regulink.graph.routing`) and the pages use these, so a hop reads the
same wherever it is shown.

Examples
--------
>>> rank_relation("a", rel_from="b", sources=("s1", "s2"), start="2020", key="k",
...               symmetric=False)
(True, -2, '2020', 'k')
>>> hop("a", "b", rel_from="b", type="member_of", start=None, end=None, sources=("s",),
...     note=None, key="k", symmetric=False)["direction"]
'backward'
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["MAX_PATHS", "describe_dates", "hop", "rank_relation"]

#: ``--all`` and ``-k`` answers stop at this many paths.
MAX_PATHS = 100


def _forward(a: str, rel_from: str, symmetric) -> bool:
    return rel_from == a or bool(symmetric)


def rank_relation(
    a: str, *, rel_from: str, sources: Sequence[str], start: str | None, key: str, symmetric
) -> tuple:
    """Sort key among the relations joining ``a`` to the next entity: the hop shows the
    one that reads most naturally walked from ``a`` (forward first), is best sourced, then
    earliest, then by key, so the choice is stable."""
    return (not _forward(a, rel_from, symmetric), -len(sources or ()), start or "9999", key)


def hop(
    a: str,
    b: str,
    *,
    rel_from: str,
    type: str,
    start: str | None,
    end: str | None,
    sources: Sequence[str],
    note: str | None,
    key: str,
    symmetric,
) -> dict:
    """The hop ``a -> b`` over a relation whose ``from`` end is ``rel_from``:
    ``{"from", "to", "type", "direction", "start", "end", "sources", "note", "key"}``."""
    return {
        "from": a,
        "to": b,
        "type": type,
        "direction": "forward" if _forward(a, rel_from, symmetric) else "backward",
        "start": start,
        "end": end,
        "sources": list(sources or ()),
        "note": note,
        "key": key,
    }


def describe_dates(
    start: str | None, end: str | None, *, event: bool, ended_with: str | None = None
) -> str:
    """How a relation's dates read: "on 2022-05-31" for an event, "2021 to 2023" for a
    state, "undated" when there are none; ``ended_with`` names the entity whose end is the
    relation's derived end.

    >>> describe_dates("2022-05-31", None, event=True)
    'on 2022-05-31'
    >>> describe_dates("2022", "2023-06", event=False, ended_with="Project Dunbar")
    '2022 to 2023-06 (derived: Project Dunbar ended)'
    >>> describe_dates(None, None, event=False)
    'undated'
    """
    derived = f" (derived: {ended_with} ended)" if ended_with else ""
    if event and start:
        return f"on {start}" + (f", until {end}{derived}" if end else "")
    if start and end:
        return f"{start} to {end}{derived}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}{derived}"
    return "undated"
