"""Shortest paths on a compact adjacency index, without building a networkx graph.

``regulink path`` answers the common question (one shortest path, optionally restricted to
some relation types or avoiding some kinds of entity) from a :class:`PathIndex`: the relation
graph as compressed sparse rows (numpy arrays: each entity's neighbours and the relations
that join them) plus a way to read one relation's details. Built from a fact base it costs a
few seconds at a million relations, where building the networkx graph took 20; saved to disk
(:mod:`regulink.loaders.path_cache`) it opens in milliseconds, so the command stays under a
second at that size.

The search itself (hub-aware, class-aware, coherent in time) is
:mod:`regulink.graph.routing`'s; this module owns the arrays. Each row's neighbours are kept
in ascending order, so parallel relations sit side by side.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> ents = {k: Entity(k, "regulator", k.upper(), None, (), "SG") for k in "abcde"}
>>> rels = [Relation("partners_with", u, v, None, None, None, None, ("s",), symmetric=True)
...         for u, v in ["ab", "bd", "ac", "cd", "de"]]
>>> index = PathIndex.from_facts(FactBase(entities=ents, relations=rels))
>>> [h["to"] for h in index.shortest("a", "e")]   # b and c cost the same: tiebreak
['c', 'd', 'e']
>>> [h["to"] for h in index.shortest("a", "e", exclude_kinds=["regulator"])]
Traceback (most recent call last):
...
regulink.errors.NoPath: no path from 'a' to 'e' with these filters (one of 3 hops exists \
without them)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from regulink.graph.model import FactBase, Relation
from regulink.graph.schema import load_schema
from regulink.graph.semantics import Timeline, tiebreak

__all__ = ["PathIndex", "exact_names", "source_brief"]


class PathIndex:
    """The relation graph as undirected compressed sparse rows.

    Parameters
    ----------
    ids : sequence of str
        Entity ids; an entity's position is its node number.
    kinds : numpy.ndarray of uint8
        Each entity's kind, as a position in ``kind_names``.
    indptr, neighbours, relations : numpy.ndarray
        Entity ``i``'s neighbours are ``neighbours[indptr[i]:indptr[i+1]]``, joined by the
        relations numbered ``relations[...]`` (each relation appears once at each end).
    rel_types : numpy.ndarray of uint8
        Each relation's type, as a position in ``type_names``.
    rel_from : numpy.ndarray of int32
        Each relation's ``from`` end, as a node number (for directed walks).
    start_lo, end_hi, start_from, end_from, undated : numpy.ndarray
        Each relation's effective interval (see :class:`regulink.graph.semantics.Timeline`).
    tiebreaks : numpy.ndarray of int32
        Each entity's :func:`regulink.graph.semantics.tiebreak`.
    life : callable
        ``life(node number) -> (start, end)`` of the entity, for derived dates.
    details : callable
        ``details(relation numbers) -> list of Relation``.
    sources : callable
        ``sources(source id) -> {"id", "title", "publisher", "date", "url"}``.
    position : callable, optional
        ``position(entity id) -> node number or None``; by default a dict over ``ids``.
    display : callable, optional
        ``display(entity id) -> str``: the name a reader knows best (the abbreviation if
        there is one); by default the id.
    named : callable, optional
        ``named(normalised text) -> node numbers`` of the entities with that exact id, name,
        abbreviation or alias (after :func:`~regulink.graph.search.normalize`); by default
        none, so :meth:`lookup` takes ids only.
    """

    def __init__(
        self,
        ids: Sequence[str],
        kinds: np.ndarray,
        kind_names: Sequence[str],
        indptr: np.ndarray,
        neighbours: np.ndarray,
        relations: np.ndarray,
        rel_types: np.ndarray,
        type_names: Sequence[str],
        details: Callable[[list[int]], list[Relation]],
        sources: Callable[[str], dict],
        position: Callable[[str], int | None] | None = None,
        display: Callable[[str], str] | None = None,
        named: Callable[[str], list[int]] | None = None,
        *,
        rel_from: np.ndarray,
        start_lo: np.ndarray,
        end_hi: np.ndarray,
        start_from: np.ndarray,
        end_from: np.ndarray,
        undated: np.ndarray,
        tiebreaks: np.ndarray,
        life: Callable[[int], tuple[str | None, str | None]],
    ):
        self.ids, self.kinds, self.kind_names = ids, kinds, list(kind_names)
        self.indptr, self.neighbours, self.relations = indptr, neighbours, relations
        self.rel_types, self.type_names = rel_types, list(type_names)
        self.rel_from = rel_from
        self.start_lo, self.end_hi = start_lo, end_hi
        self.start_from, self.end_from, self.undated = start_from, end_from, undated
        self.tiebreaks, self.life = tiebreaks, life
        self.details, self.sources = details, sources
        if position is None:
            pos = {e: i for i, e in enumerate(ids)}
            position = pos.get
        self.position = position
        self.display = display or str
        self.named = named or (lambda text: [])

    def lookup(self, text: str) -> str | None:
        """The id of the one entity ``text`` names exactly, else None.

        ``text`` is an id, or a name, abbreviation or alias as typed (case, accents and
        punctuation aside). Exactly as :meth:`regulink.graph.search.SearchIndex.resolve`
        decides for such a text, where an exact hit is ambiguous only with another exact
        hit; None for anything that needs the fuzzy search (no exact hit) or whose answer
        is an error (several), which the caller leaves to the full search.
        """
        if self.position(text) is not None:
            return text
        from regulink.graph.search import normalize

        norm = normalize(text)
        found = set(self.named(norm)) if norm else set()
        return self.ids[found.pop()] if len(found) == 1 else None

    @classmethod
    def from_facts(cls, facts: FactBase) -> PathIndex:
        """The index of ``facts`` (which it reads, never changes)."""
        schema = load_schema()
        kind_names = list(schema.kinds)
        type_names = list(schema.relation_types)
        ids = list(facts.entities)
        pos = {e: i for i, e in enumerate(ids)}
        kcode = {k: i for i, k in enumerate(kind_names)}
        tcode = {t: i for i, t in enumerate(type_names)}
        kinds = np.fromiter((kcode[e.kind] for e in facts.entities.values()), np.uint8, len(ids))
        rels = facts.relations
        m = len(rels)
        frm = np.fromiter((pos[r.from_] for r in rels), np.int64, m)
        to = np.fromiter((pos[r.to] for r in rels), np.int64, m)
        rtypes = np.fromiter((tcode[r.type] for r in rels), np.uint8, m)
        indptr, nbr, rel = _csr(len(ids), frm, to)
        timeline = Timeline.from_facts(facts, frm=frm, to=to)
        ents = facts.entities
        tiebreaks = np.fromiter((tiebreak(e) for e in ids), np.int32, len(ids))

        def life(n: int) -> tuple[str | None, str | None]:
            e = ents[ids[n]]
            return e.start, e.end

        def details(numbers: list[int]) -> list[Relation]:
            return [rels[i] for i in numbers]

        def sources(source_id: str) -> dict:
            return source_brief(facts.sources.get(source_id), source_id)

        def display(entity_id: str) -> str:
            return facts.entities[entity_id].display

        table: dict[str, list[int]] = {}

        def named(norm: str) -> list[int]:
            if not table:  # built on first use: normalising every name costs seconds at 1M
                for n, text in exact_names(facts):
                    table.setdefault(text, []).append(n)
            return table.get(norm, [])

        return cls(
            ids,
            kinds,
            kind_names,
            indptr,
            nbr,
            rel,
            rtypes,
            type_names,
            details,
            sources,
            pos.get,
            display,
            named,
            rel_from=frm.astype(np.int32),
            start_lo=timeline.start_lo,
            end_hi=timeline.end_hi,
            start_from=timeline.start_from,
            end_from=timeline.end_from,
            undated=timeline.undated,
            tiebreaks=tiebreaks,
            life=life,
        )

    # -- search ----------------------------------------------------------------------------
    def shortest(self, source: str, target: str, **options) -> list[dict]:
        """The hops of the cheapest path from ``source`` to ``target`` (entity ids), under
        the options of :class:`regulink.graph.routing.Query` (see that module for the
        rules). Raises :class:`~regulink.errors.NoPath` and ``ValueError``."""
        from regulink.graph.routing import Query, Router

        for name in ("types", "exclude_types", "exclude_kinds", "exclude"):
            if options.get(name) is not None:
                options[name] = frozenset(options[name])
            elif name != "types":
                options.pop(name, None)
        return Router(self).cheapest(source, target, Query(**options)).hops

    def _bfs(self, a: int, b: int, edge_ok, node_ok) -> list[int] | None:
        n = len(self.indptr) - 1
        parent = np.full(n, -1, np.int64)
        parent[a] = a
        frontier = np.array([a], np.int64)
        indptr, nbr = self.indptr, self.neighbours
        while frontier.size and parent[b] < 0:
            starts = indptr[frontier]
            counts = indptr[frontier + 1] - starts
            total = int(counts.sum())
            if total == 0:
                break
            # every slot of every frontier entity's row, in frontier order
            offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
            slots = offsets + np.arange(total)
            came_from = np.repeat(frontier, counts)
            reached = nbr[slots]
            keep = parent[reached] < 0
            if edge_ok is not None:
                keep &= edge_ok[slots]
            if node_ok is not None:
                keep &= node_ok[reached]
            reached, came_from = reached[keep], came_from[keep]
            # first occurrence = earliest frontier entity (the frontier is sorted)
            new, first = np.unique(reached, return_index=True)
            parent[new] = came_from[first]
            frontier = new
        if parent[b] < 0:
            return None
        path = [b]
        while path[-1] != a:
            path.append(int(parent[path[-1]]))
        return path[::-1]


def _csr(n: int, frm: np.ndarray, to: np.ndarray):
    """Undirected compressed sparse rows of the relations ``frm[i] - to[i]``, each row's
    neighbours in ascending order (so parallel relations sit side by side)."""
    m = len(frm)
    heads = np.concatenate([frm, to])
    tails = np.concatenate([to, frm]).astype(np.int32)
    rel = np.concatenate([np.arange(m), np.arange(m)]).astype(np.int32)
    order = np.lexsort((rel, tails, heads))
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(heads, minlength=n), out=indptr[1:])
    return indptr, tails[order], rel[order]


def exact_names(facts: FactBase):
    """``(node number, normalised text)`` for every id, name, abbreviation and alias, as
    :class:`~regulink.graph.search.SearchIndex` matches them exactly."""
    from regulink.graph.search import normalize

    for n, e in enumerate(facts.entities.values()):
        seen = set()
        for text in (e.id, e.name, e.short_name, *e.aliases):
            norm = normalize(text) if text else ""
            if norm and norm not in seen:
                seen.add(norm)
                yield n, norm


def source_brief(s, source_id: str) -> dict:
    """What a hop shows of a source (``s`` may be None: a hand-built graph may cite sources
    the facts do not hold)."""
    if s is None:
        return {"id": source_id, "title": None, "publisher": None, "date": None, "url": None}
    return {"id": s.id, "title": s.title, "publisher": s.publisher, "date": s.date, "url": s.url}
