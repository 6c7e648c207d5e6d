"""Turning a fact base into a networkx graph for analytics.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> fb = FactBase(
...     entities={"a": Entity("a", "regulator", "A", None, (), "SG"),
...               "b": Entity("b", "project", "B", None, (), "INT")},
...     relations=[Relation("participates_in", "a", "b", "2023", None, None, None, ("s",))])
>>> G = to_networkx(fb)
>>> G.number_of_nodes(), G.number_of_edges()
(2, 1)
>>> G.nodes["a"]["kind"], G["a"]["b"]["participates_in:a:b:2023"]["type"]
('regulator', 'participates_in')
>>> to_networkx(fb, as_of="2022").number_of_edges()
0
"""

from __future__ import annotations

import networkx as nx

from regulink.graph.dates import in_force
from regulink.graph.model import FactBase

__all__ = ["to_networkx"]


def to_networkx(
    facts: FactBase, *, as_of: str | None = None, plain: bool = False
) -> nx.MultiDiGraph:
    """A new MultiDiGraph: one node per entity, one keyed edge per relation.

    Node attributes are the entity's fields; edge attributes the relation's, with
    ``sources`` as a tuple of source ids (look them up in ``facts.sources``). Edges point
    from ``from`` to ``to``; symmetric relations carry ``symmetric=True``. With ``as_of``
    (a partial date) only relations in force then are kept; every entity stays.

    With ``plain``, attribute values are text and booleans only, so that networkx's GEXF and
    GraphML writers accept the graph (see :func:`regulink.graph.plain.plain_graph`).
    """
    if plain:
        from regulink.graph.plain import plain_graph

        return plain_graph(
            FactBase(
                facts.entities,
                [
                    r
                    for r in facts.relations
                    if as_of is None or in_force(start=r.start, end=r.end, at=as_of)
                ],
                facts.sources,
            )
        )
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.add_nodes_from(
        (
            e.id,
            {
                "kind": e.kind,
                "name": e.name,
                "short_name": e.short_name,
                "aliases": e.aliases,
                "jurisdiction": e.jurisdiction,
                "url": e.url,
                "description": e.description,
                "start": e.start,
                "end": e.end,
            },
        )
        for e in facts.entities.values()
    )
    # types-networkx types MultiDiGraph.add_edges_from as Graph's, without the key: the
    # (u, v, key, data) items below are what networkx documents for multigraphs
    G.add_edges_from(
        (  # type: ignore[misc]
            r.from_,
            r.to,
            r.key,
            {
                "type": r.type,
                "start": r.start,
                "end": r.end,
                "role": r.role,
                "status": r.status,
                "sources": r.sources,
                "note": r.note,
                "symmetric": r.symmetric,
            },
        )
        for r in facts.relations
        if as_of is None or in_force(start=r.start, end=r.end, at=as_of)
    )
    return G
