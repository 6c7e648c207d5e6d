"""Which part of the graph a page shows: filters, a neighbourhood, a path in its context.

Everything here works on a graph of our own (built fresh by
:func:`~regulink.graph.build.to_networkx`), so nothing a caller holds is ever modified.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> fb = FactBase(entities={
...     "a": Entity("a", "regulator", "Alpha", None, (), "SG"),
...     "b": Entity("b", "project", "Beta", None, (), "INT"),
...     "c": Entity("c", "regulator", "Gamma", None, (), "CH")},
...     relations=[Relation("participates_in", "a", "b", "2021", None, None, None, ("s",)),
...                Relation("participates_in", "c", "b", "2023", None, None, None, ("s",))])
>>> v = select(fb, focus="a", hops=1)
>>> sorted(v.graph), v.focus
(['a', 'b'], 'a')
>>> v = select(fb, path=("a", "c"))
>>> v.path_nodes, len(v.path_edges)
(('a', 'b', 'c'), 2)
>>> select(fb, as_of="2022").graph.number_of_edges()
1
>>> sorted(select(fb, kinds=["regulator"]).graph)
['a', 'c']
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import networkx as nx

from regulink.errors import RegulinkError
from regulink.graph.build import to_networkx
from regulink.graph.dates import in_force, parse_partial_date
from regulink.graph.model import FactBase
from regulink.errors import NoPath
from regulink.graph.schema import load_schema
from regulink.graph.search import SearchIndex, suggest

__all__ = ["RenderError", "View", "select", "PAGE_MAX_RELATIONS", "check_page_size"]

#: The most relations one page may draw. A page holds every relation it shows (about 500
#: bytes each with its entities). Collapsed, 190,000 relations (95,000 entities) make a 92 MB
#: file that takes 3 minutes to build and Chromium 8 s to open from disk; a million make
#: 551 MB, more than a browser can parse as one string. Above this, render refuses and says
#: how to narrow the view.
PAGE_MAX_RELATIONS = 200_000


def check_page_size(relations: int, entities: int) -> None:
    """Raise :class:`RenderError` when a view is too big for one page (see above)."""
    if relations > PAGE_MAX_RELATIONS:
        raise RenderError(
            f"{relations:,} relations between {entities:,} entities are too many for one "
            f"page: the file would be about {relations * 550 // 1_000_000:,} MB (at most "
            f"{PAGE_MAX_RELATIONS:,} relations, about 100 MB, which a browser takes some 8 s "
            "to open). Show part of the graph: the neighbourhood of one entity (--focus "
            "ENTITY --hops N), some kinds (--kinds), relation types (--types) or a date "
            "(--as-of).")


class RenderError(RegulinkError, ValueError):
    """An option of the explorer that cannot be honoured (unknown kind, bad date, no path)."""


@dataclass(frozen=True, slots=True)
class View:
    """The graph to draw and what to emphasise in it.

    ``graph`` is the shown subgraph (our own copy); ``base`` the filtered graph it was cut
    from, on which sizes and communities are measured so that a neighbourhood keeps the
    proportions of the whole network.
    """

    graph: nx.MultiDiGraph
    base: nx.MultiDiGraph
    focus: str | None = None
    path_nodes: tuple[str, ...] = ()
    path_edges: tuple[tuple[str, str, str], ...] = ()


def _check_names(given: Collection[str] | None, known: Collection[str], what: str) -> set | None:
    if given is None:
        return None
    out = set()
    for name in given:
        if name not in known:
            hint = suggest(name, known)
            msg = f"unknown {what} {name!r}"
            if hint:
                msg += f" (did you mean {' or '.join(repr(h) for h in hint)}?)"
            raise RenderError(msg + f"; known: {', '.join(known)}")
        out.add(name)
    return out


def select(facts: FactBase, *, as_of: str | None = None,
           kinds: Collection[str] | None = None, types: Collection[str] | None = None,
           focus: str | None = None, hops: int = 1,
           path: tuple[str, str] | None = None) -> View:
    """Cut the view: relations in force ``as_of``, of ``types``, between entities of ``kinds``;
    then, with ``focus``, the entities within ``hops`` relations of it (either direction);
    with ``path`` (two entity names), a shortest path and everything within ``hops`` of it.

    Entities are named as on the command line (id, name, abbreviation or alias).

    Raises
    ------
    RenderError
        Unknown kind or type, a malformed date, negative ``hops``, both ``focus`` and
        ``path``, a focus removed by the filters, or no path under the filters.
    EntityNotFound, AmbiguousEntity
        A name that names no entity, or several.
    """
    schema = load_schema()
    kind_set = _check_names(kinds, list(schema.kinds), "kind")
    type_set = _check_names(types, list(schema.relation_types), "relation type")
    if as_of is not None and parse_partial_date(as_of) is None:
        raise RenderError(f"invalid date {as_of!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    if hops < 0:
        raise RenderError("hops must be 0 or more")
    if focus is not None and path is not None:
        raise RenderError("use either a focus or a path, not both")

    # The filters cut the facts, then the graph is built from what is left: a view too big
    # for a page is refused before any graph is built (that took 18 s at 1M relations).
    ents = facts.entities
    if kind_set is not None:
        ents = {k: e for k, e in ents.items() if e.kind in kind_set}
    rels = [r for r in facts.relations
            if (kind_set is None or (r.from_ in ents and r.to in ents))
            and (type_set is None or r.type in type_set)
            and (as_of is None or in_force(start=r.start, end=r.end, at=as_of))]
    if focus is None and path is None:
        check_page_size(len(rels), len(ents))
    G = to_networkx(FactBase(ents, rels, facts.sources, facts.files))

    index = SearchIndex(facts) if (focus is not None or path is not None) else None
    if focus is not None:
        centre = index.resolve(focus).id
        if centre not in G:
            raise RenderError(f"{centre!r} is not shown: its kind is filtered out")
        near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), centre,
                                                     cutoff=hops)
        return View(G.subgraph(near).copy(), G, focus=centre)
    if path is not None:
        a, b = (index.resolve(p).id for p in path)
        for end in (a, b):
            if end not in G:
                raise RenderError(f"{end!r} is not shown: its kind is filtered out")
        if a == b:
            raise RenderError("a path needs two different entities")
        try:
            from regulink.graph.pathindex import PathIndex

            hops_found = PathIndex.from_facts(FactBase(ents, rels)).shortest(a, b)
        except NoPath as exc:
            raise RenderError(str(exc)) from None
        on_path = [a] + [h["to"] for h in hops_found]
        edges = tuple((h["from"], h["to"], h["key"]) if G.has_edge(h["from"], h["to"], h["key"])
                      else (h["to"], h["from"], h["key"]) for h in hops_found)
        U = G.to_undirected(as_view=True)
        near: set[str] = set()
        for n in on_path:
            near.update(nx.single_source_shortest_path_length(U, n, cutoff=hops))
        return View(G.subgraph(near).copy(), G, path_nodes=tuple(on_path), path_edges=edges)
    return View(G, G)
