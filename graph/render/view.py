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
>>> v = select(fb, focus="a", hops=1)   # holds one ring more than it draws
>>> sorted(v.graph), sorted(v.drawn.nodes), v.focus
(['a', 'b', 'c'], ['a', 'b'], 'a')
>>> v = select(fb, path=("a", "c"))
>>> v.path_nodes, len(v.path_edges)
(('a', 'b', 'c'), 2)
>>> v = select(fb, as_of="2022")
>>> v.graph.number_of_edges(), len(v.drawn.edges), v.drawn.left_out
(2, 1, {'not in force': 1, 'entities': 1})
>>> sorted(select(fb, kinds=["regulator"]).graph)
['a', 'c']
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

import networkx as nx

from regulink.errors import NoPath, RegulinkError
from regulink.graph.build import to_networkx
from regulink.graph.dates import bounds, parse_partial_date
from regulink.graph.model import FactBase
from regulink.graph.render.scope import Drawn, _active, drawn, instant
from regulink.graph.schema import load_schema
from regulink.graph.search import SearchIndex, suggest
from regulink.graph.semantics import effective_dates

__all__ = ["PAGE_MAX_RELATIONS", "RenderError", "View", "check_page_size", "select"]

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
            "(--as-of)."
        )


class RenderError(RegulinkError, ValueError):
    """An option of the explorer that cannot be honoured (unknown kind, bad date, no path)."""


@dataclass(frozen=True, slots=True)
class View:
    """The graph a page holds and what it draws first.

    ``graph`` (our own copy) holds every entity and relation the page carries: all classes
    and dates, so that the page can change them, and on a focus or path page one ring of
    entities more than it draws (what "Expand" brings in). ``base`` is the graph sizes and
    communities are measured on: the whole selection's active relations, so that a
    neighbourhood keeps the proportions of the whole network. ``drawn`` is the first
    picture (see :mod:`.scope`); ``roots``/``hops`` the focus or path it is drawn around.
    """

    graph: nx.MultiDiGraph
    base: nx.MultiDiGraph
    focus: str | None = None
    path_nodes: tuple[str, ...] = ()
    path_edges: tuple[tuple[str, str, str], ...] = ()
    drawn: Drawn | None = None
    roots: tuple[str, ...] = ()
    hops: int = 1
    as_of: str | None = None
    structural: bool = False
    dated_only: bool = False
    avoid_hubs: int | None = None
    #: Why the page may look empty: the focus has no relation in force, say.
    warnings: tuple[str, ...] = ()


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


def _first(d: str | None) -> str | None:
    return bounds(d)[0].isoformat() if d else None


def _last(d: str | None) -> str | None:
    return bounds(d)[1].isoformat() if d else None


def _annotate(G: nx.MultiDiGraph, facts: FactBase) -> None:
    """Give each relation of our own graph its class and effective interval
    (:func:`regulink.graph.semantics.effective_dates`), and ``lo``/``hi``: the first and
    last day it may hold, as ISO days the page compares as text."""
    schema = load_schema()
    for r in facts.relations:
        d = G.edges[r.from_, r.to, r.key]
        rt = schema.relation_types[r.type]
        eff = effective_dates(r, facts.entities)
        d.update(
            eff_start=eff["start"],
            eff_end=eff["end"],
            end_derived=eff["end_derived"],
            ended_with=eff["ended_with"],
            undated=eff["undated"],
            lo=_first(eff["start"]),
            hi=_last(eff["end"]),
            cls=rt.relation_class,
            event=rt.event,
        )


def _active_graph(
    G: nx.MultiDiGraph, t: str | None, structural: bool, dated_only: bool
) -> nx.MultiDiGraph:
    """A view of ``G`` with only the relations the settings allow."""

    def keep(u, v, k):
        d = G.edges[u, v, k]
        return _active(d, t, structural, dated_only) is None

    return nx.subgraph_view(G, filter_edge=keep)


def _ring(G: nx.MultiDiGraph, roots: Collection[str], hops: int) -> set:
    U = G.to_undirected(as_view=True)
    near: set = set()
    for r in roots:
        near.update(nx.single_source_shortest_path_length(U, r, cutoff=hops))
    return near


def select(
    facts: FactBase,
    *,
    as_of: str | None = None,
    kinds: Collection[str] | None = None,
    types: Collection[str] | None = None,
    focus: str | None = None,
    hops: int = 1,
    path: tuple[str, str] | None = None,
    structural: bool = False,
    dated_only: bool = False,
    exclude: Collection[str] = (),
    avoid_hubs: int | None = None,
) -> View:
    """Cut the view: entities of ``kinds`` (less the ``exclude``d ones), relations of
    ``types`` between them; with ``focus``, the entities within ``hops`` active relations
    of it; with ``path`` (two entity names), the cheapest hub-aware path and everything
    within ``hops`` of it. Active relations: substantive ones (any with ``structural``),
    in force at ``as_of``, dated if ``dated_only`` (see :mod:`.scope`).

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
    if avoid_hubs is not None and avoid_hubs < 1:
        raise RenderError("avoid_hubs must be 1 or more")
    if focus is not None and path is not None:
        raise RenderError("use either a focus or a path, not both")
    index = SearchIndex(facts) if (focus or path or exclude) else None

    def resolve(name: str) -> str:
        # `index` is built whenever a name is given (focus, path or exclude)
        return cast(SearchIndex, index).resolve(name).id

    excluded = {resolve(x) for x in exclude} if exclude else set()

    # The filters cut the facts, then the graph is built from what is left: a view too big
    # for a page is refused before any graph is built (that took 18 s at 1M relations).
    ents = {
        k: e
        for k, e in facts.entities.items()
        if (kind_set is None or e.kind in kind_set) and k not in excluded
    }
    rels = [
        r
        for r in facts.relations
        if r.from_ in ents and r.to in ents and (type_set is None or r.type in type_set)
    ]
    if focus is None and path is None:
        check_page_size(len(rels), len(ents))
    chosen = FactBase(ents, rels, facts.sources, facts.files)
    G = to_networkx(chosen)
    _annotate(G, chosen)
    t = instant(as_of)
    settings: dict[str, Any] = {
        "as_of": as_of,
        "structural": structural,
        "dated_only": dated_only,
        "avoid_hubs": avoid_hubs,
    }
    A = _active_graph(G, t, structural, dated_only)

    def resolve_shown(name: str) -> str:
        found = resolve(name)
        if found in excluded:
            raise RenderError(f"{found!r} is excluded (--exclude)")
        if found not in G:
            raise RenderError(f"{found!r} is not shown: its kind is filtered out")
        return found

    if focus is not None:
        centre = resolve_shown(focus)
        roots: tuple[str, ...] = (centre,)
        warnings: tuple[str, ...] = ()
        if A.degree(centre) == 0:
            total = G.degree(centre)
            warnings = (
                f"{facts.entities[centre].display} has no relation drawn under these "
                f"settings ({_why_alone(G, centre, t, structural, dated_only)}); the "
                f"page shows it alone{'' if total else ', as it has no relation'}",
            )
        # One ring more than drawn, over the page's classes at any date: Expand brings it in.
        ring = _ring(_active_graph(G, None, structural, False), roots, hops + 1)
        H = G.subgraph(ring).copy()
        return View(
            H,
            A,
            focus=centre,
            roots=roots,
            hops=hops,
            warnings=warnings,
            drawn=drawn(
                H,
                instant=t,
                structural=structural,
                dated_only=dated_only,
                roots=roots,
                hops=hops,
                always=roots,
            ),
            **settings,
        )
    if path is not None:
        a, b = resolve_shown(path[0]), resolve_shown(path[1])
        if a == b:
            raise RenderError("a path needs two different entities")
        on_path, edges = _page_path(
            chosen,
            G,
            a,
            b,
            as_of=as_of,
            structural=structural,
            dated_only=dated_only,
            avoid_hubs=avoid_hubs,
        )
        roots = tuple(on_path)
        ring = _ring(_active_graph(G, None, structural, False), roots, hops + 1)
        ring.update(on_path)
        H = G.subgraph(ring).copy()
        return View(
            H,
            A,
            path_nodes=roots,
            path_edges=edges,
            roots=roots,
            hops=hops,
            drawn=drawn(
                H,
                instant=t,
                structural=structural,
                dated_only=dated_only,
                roots=roots,
                hops=hops,
                always=roots,
                path=[k for *_e, k in edges],
            ),
            **settings,
        )
    return View(
        G, A, drawn=drawn(G, instant=t, structural=structural, dated_only=dated_only), **settings
    )


def _why_alone(G, node, t, structural, dated_only) -> str:
    counts: dict[str | None, int] = {}  # by reason not drawn (None: drawn)
    for _u, _v, _k, d in G.edges(node, keys=True, data=True):
        reason = _active(d, t, structural, dated_only)
        counts[reason] = counts.get(reason, 0) + 1
    for _u, _v, _k, d in G.in_edges(node, keys=True, data=True):
        reason = _active(d, t, structural, dated_only)
        counts[reason] = counts.get(reason, 0) + 1
    if not counts:
        return "it has none"
    later = sorted(
        d["eff_start"] for _u, _v, d in G.edges(node, data=True) if d["lo"] and t and d["lo"] > t
    ) + sorted(
        d["eff_start"] for _u, _v, d in G.in_edges(node, data=True) if d["lo"] and t and d["lo"] > t
    )
    words = {
        "not in force": f"not in force at {t}"
        + (f", the first from {min(later)}" if later else ""),
        "undated": "undated",
        "structural": "structural: use --structural",
    }
    return "; ".join(f"{n} {words[r]}" for r, n in counts.items() if r in words)


def _page_path(facts: FactBase, G, a, b, *, as_of, structural, dated_only, avoid_hubs):
    """The path the page highlights: ``regulink path``'s answer (graph/routing.py) on the
    page's facts; the page's script finds the same one from its own data."""
    from regulink.graph.pathindex import PathIndex
    from regulink.graph.routing import Query, Router

    q = Query(as_of=as_of, structural=structural, dated_only=dated_only, avoid_hubs=avoid_hubs)
    try:
        hops_found = Router(PathIndex.from_facts(facts)).cheapest(a, b, q).hops
    except NoPath as exc:
        raise RenderError(str(exc)) from None
    on_path = [a] + [h["to"] for h in hops_found]
    edges = tuple(
        (h["from"], h["to"], h["key"])
        if G.has_edge(h["from"], h["to"], h["key"])
        else (h["to"], h["from"], h["key"])
        for h in hops_found
    )
    return on_path, edges
