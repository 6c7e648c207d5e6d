"""What a page draws under its settings, and what it leaves out and why.

The page's script decides the same thing in the browser whenever a control changes (class,
date, dated-only, hidden entities); this module is the reference it mirrors, used by
``regulink render`` for the first picture and by the tests to check the page.

Rules (docs: graph/semantics.py and the README's "Interactive explorer"):

- a relation is *active* when its class is allowed (substantive, or any with
  ``structural``), it is in force at the instant (its effective interval, see
  :mod:`regulink.graph.semantics`), and it is dated when ``dated_only``;
- on a focus or path page the *scope* is every entity within ``hops`` active relations of
  the focus or of the path's entities; otherwise every entity of the page;
- drawn relations are the active ones with both ends in scope; drawn entities are the ends
  of drawn relations, plus the focus and the path's ends, always.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_nodes_from(["a", "b", "c"])
>>> G.add_edge("a", "b", key="r1", lo="2020-01-01", hi=None, cls="substantive", undated=False)
'r1'
>>> G.add_edge("b", "c", key="r2", lo=None, hi=None, cls="structural", undated=True)
'r2'
>>> d = drawn(G, instant="2019-12-31")
>>> sorted(d.nodes), sorted(d.edges), d.left_out
([], [], {'not in force': 1, 'structural': 1, 'entities': 3})
>>> sorted(drawn(G, structural=True).nodes)
['a', 'b', 'c']
>>> instant("2019"), instant("2020-02")
('2019-12-31', '2020-02-29')
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import networkx as nx

from regulink.graph.dates import bounds

__all__ = ["Drawn", "drawn", "instant", "left_out_text"]


def instant(as_of: str | None) -> str | None:
    """The one day ``as_of`` stands for: the last day of its period (ISO), or ``None``."""
    return bounds(as_of)[1].isoformat() if as_of else None


@dataclass(frozen=True, slots=True)
class Drawn:
    """What is drawn: entity ids, relation keys; ``left_out`` counts what is not, by reason
    (relations ``not in force``, ``undated``, ``structural``, ``beyond the ring``; then
    ``entities``: entities of the page not drawn)."""

    nodes: frozenset
    edges: frozenset
    left_out: dict = field(default_factory=dict)


def _active(d: dict, t: str | None, structural: bool, dated_only: bool) -> str | None:
    """``None`` when the relation is active, else why not (the reason's key)."""
    if t is not None and (
        (d["lo"] is not None and d["lo"] > t) or (d["hi"] is not None and d["hi"] < t)
    ):
        return "not in force"
    if dated_only and d["undated"]:
        return "undated"
    if not structural and d["cls"] == "structural":
        return "structural"
    return None


def drawn(
    G: nx.MultiDiGraph,
    *,
    instant: str | None = None,
    structural: bool = False,
    dated_only: bool = False,
    roots: Collection[str] = (),
    hops: int = 1,
    always: Collection[str] = (),
    path: Collection[str] = (),
) -> Drawn:
    """What the page draws from the relations of ``G`` (edge attributes ``lo``, ``hi``,
    ``cls``, ``undated``): see the module's rules. ``roots`` are the focus or the path's
    entities (empty: no scope limit); ``always`` the entities drawn whatever happens;
    ``path`` the keys of the path's relations, drawn too (a structural link a path needed
    is drawn even when structural relations are not)."""
    why: dict[str, int] = {}
    active = []
    for u, v, k, d in G.edges(keys=True, data=True):
        reason = _active(d, instant, structural, dated_only)
        if reason is None:
            active.append((u, v, k))
        else:
            why[reason] = why.get(reason, 0) + 1
    if roots:
        A: nx.Graph = nx.Graph()
        A.add_nodes_from(r for r in roots if r in G)
        A.add_edges_from((u, v) for u, v, _k in active)
        scope: set = set()
        for r in roots:
            if r in A:
                scope.update(nx.single_source_shortest_path_length(A, r, cutoff=hops))
        kept = [(u, v, k) for u, v, k in active if u in scope and v in scope]
        if len(kept) < len(active):
            why["beyond the ring"] = len(active) - len(kept)
        active = kept
    on_path = set(path)
    if on_path:
        kept_keys = {k for *_e, k in active}
        active = active + [
            (u, v, k) for u, v, k in G.edges(keys=True) if k in on_path and k not in kept_keys
        ]
    nodes = {n for u, v, _k in active for n in (u, v)} | {n for n in always if n in G}
    if G.number_of_nodes() > len(nodes):
        why["entities"] = G.number_of_nodes() - len(nodes)
    return Drawn(frozenset(nodes), frozenset(k for *_e, k in active), why)


def left_out_text(left_out: Mapping[str, int], *, as_of: str | None = None) -> str:
    """The page's sentence on what is not drawn, e.g. "312 relations not in force at
    2019-12-31; 120 structural relations hidden: use --structural".

    >>> left_out_text({"not in force": 2, "entities": 1}, as_of="2019")
    '2 relations not in force at 2019-12-31; 1 entity without a drawn relation'
    """

    def n(count: int, word: str, plural: str | None = None) -> str:
        return f"{count} {word if count == 1 else plural or word + 's'}"

    parts = []
    if left_out.get("not in force"):
        parts.append(f"{n(left_out['not in force'], 'relation')} not in force at {instant(as_of)}")
    if left_out.get("undated"):
        parts.append(f"{n(left_out['undated'], 'undated relation')} left out (dated only)")
    if left_out.get("structural"):
        parts.append(f"{n(left_out['structural'], 'structural relation')} hidden: use --structural")
    if left_out.get("beyond the ring"):
        parts.append(f"{n(left_out['beyond the ring'], 'relation')} beyond the drawn ring")
    if left_out.get("entities"):
        parts.append(f"{n(left_out['entities'], 'entity', 'entities')} without a drawn relation")
    return "; ".join(parts)
