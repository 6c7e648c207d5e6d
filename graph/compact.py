"""The analytic graph as arrays: built once per request and shared by every metric.

A :class:`CompactGraph` holds one row per entity (id, display name, kind, jurisdiction) and
one per relation (its two ends as entity positions, type, start year). Everything the
analytics need is derived from those arrays on first use and kept: the undirected simple
adjacency as scipy CSR (``adjacency``, its entries counting the relations behind each
link), ``degree`` (distinct entities linked), and igraph graphs for the algorithms igraph
runs in C. It is built straight from a :class:`~regulink.graph.model.FactBase` (no networkx
at any size), or from any networkx graph so that small graphs and users' own graphs work too.

**Degree** everywhere in the analytics is the number of *distinct entities* an entity is
linked to in the graph analysed (parallel relations and both directions count once).

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> ents = {k: Entity(k, "regulator", k.upper(), None, (), "SG") for k in "abc"}
>>> rels = [Relation("partners_with", "a", "b", "2021", None, None, None, ("s",), symmetric=True),
...         Relation("participates_in", "a", "b", "2022", None, None, None, ("s",)),
...         Relation("member_of", "b", "c", None, None, None, None, ("s",))]
>>> C = CompactGraph.from_facts(FactBase(ents, rels))
>>> C.n, C.m, C.degree.tolist(), int(C.adjacency[0, 1])
(3, 3, [1, 2, 1], 2)
>>> C2 = CompactGraph.from_facts(FactBase(ents, rels), mask=[True, True, False])
>>> C2.m, C2.degree.tolist()
(2, [1, 1, 0])
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from functools import cached_property
from operator import attrgetter

import numpy as np
import scipy.sparse as sp

from regulink.graph.schema import load_schema

__all__ = ["CompactGraph", "analysis_graph", "as_compact", "seeded_igraph"]


def _codes(values: Sequence) -> tuple[np.ndarray, list]:
    """Integer codes of ``values`` and the distinct values in first-seen order."""
    table: dict = {}
    codes = np.fromiter((table.setdefault(v, len(table)) for v in values), np.int32, len(values))
    return codes, list(table)


def _years(starts: Sequence) -> np.ndarray:
    # Few distinct dates among many relations: each distinct text is read once.
    memo = {s: int(str(s)[:4]) if s else 0 for s in set(starts)}
    return np.fromiter(map(memo.__getitem__, starts), np.int32, len(starts))


class CompactGraph:
    """Entities and relations as arrays (see the module's docstring).

    Attributes
    ----------
    ids, names : list
        Entity ids and display names (short name, else name), by position.
    kind, jurisdiction : numpy.ndarray
        Codes into ``kind_names`` and ``jurisdiction_names``.
    src, dst : numpy.ndarray
        Each relation's ``from`` and ``to`` positions (int64).
    type : numpy.ndarray
        Codes into ``type_names``.
    year : numpy.ndarray
        Each relation's start year, 0 when it has no start.
    symmetric : numpy.ndarray
        Whether the relation reads the same both ways (so PageRank follows it both ways).
    """

    def __init__(self, ids, names, kinds, jurisdictions, src, dst, types, years, symmetric):
        self.ids = list(ids)
        self.names = list(names)
        self.kind, self.kind_names = _codes(kinds)
        self.jurisdiction, self.jurisdiction_names = _codes(jurisdictions)
        self.src = np.asarray(src, np.int64)
        self.dst = np.asarray(dst, np.int64)
        self.type, self.type_names = _codes(types)
        self.year = np.asarray(years, np.int32)
        self.symmetric = np.asarray(symmetric, bool)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_facts(cls, facts, *, mask=None) -> CompactGraph:
        """The graph of ``facts``: every entity, and the relations where ``mask`` (a boolean
        per relation) is true. The answer rules are applied by :func:`analysis_graph`."""
        ents = list(facts.entities.values())
        ids = [e.id for e in ents]
        pos = {e: i for i, e in enumerate(ids)}
        rels = facts.relations
        if mask is not None:
            keep = np.flatnonzero(np.asarray(mask, bool))
            rels = [rels[i] for i in keep.tolist()] if len(keep) < len(rels) else rels
        m = len(rels)
        src = np.fromiter(map(pos.__getitem__, map(attrgetter("from_"), rels)), np.int64, m)
        dst = np.fromiter(map(pos.__getitem__, map(attrgetter("to"), rels)), np.int64, m)
        rtypes = load_schema().relation_types
        types = list(map(attrgetter("type"), rels))
        symmetric = [rtypes[t].symmetric if t in rtypes else False for t in types]
        g = cls(
            ids,
            [e.short_name or e.name for e in ents],
            [e.kind for e in ents],
            [e.jurisdiction for e in ents],
            src,
            dst,
            types,
            _years(list(map(attrgetter("start"), rels))),
            symmetric,
        )
        return g

    @classmethod
    def from_codes(
        cls,
        ids,
        names,
        kind,
        kind_names,
        jurisdiction,
        jurisdiction_names,
        src,
        dst,
        types,
        type_names,
        years,
        symmetric,
    ) -> CompactGraph:
        """A graph from arrays already coded (as :mod:`regulink.graph.analysis_base` keeps
        them); the arrays are used as they are, not copied."""
        g = object.__new__(cls)
        g.ids, g.names = ids, names
        g.kind, g.kind_names = np.asarray(kind), kind_names
        g.jurisdiction, g.jurisdiction_names = np.asarray(jurisdiction), jurisdiction_names
        g.src, g.dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
        g.type, g.type_names = np.asarray(types), type_names
        g.year, g.symmetric = np.asarray(years, np.int32), np.asarray(symmetric, bool)
        return g

    @classmethod
    def from_networkx(cls, G) -> CompactGraph:
        """The graph of any networkx graph: nodes with their ``kind``, ``jurisdiction`` and
        ``short_name``/``name`` attributes if any, edges with ``type``, ``start`` and
        ``symmetric``. An undirected graph's edges count both ways; a ``weight`` on a
        simple graph's edge counts as that many relations in ``adjacency``."""
        nodes = list(G)
        pos = {v: i for i, v in enumerate(nodes)}
        data = G.nodes
        edges = list(G.edges(data=True))
        sym_default = not G.is_directed()
        src = [pos[u] for u, _v, _d in edges]
        dst = [pos[v] for _u, v, _d in edges]
        g = cls(
            nodes,
            [data[v].get("short_name") or data[v].get("name") or str(v) for v in nodes],
            [data[v].get("kind") for v in nodes],
            [data[v].get("jurisdiction") for v in nodes],
            src,
            dst,
            [d.get("type") for _u, _v, d in edges],
            _years([d.get("start") for _u, _v, d in edges]),
            [bool(d.get("symmetric", sym_default)) for _u, _v, d in edges],
        )
        if not G.is_multigraph():
            g._count = np.array([d.get("weight", 1) for _u, _v, d in edges], np.float64)
        return g

    def subgraph(self, keep: np.ndarray) -> CompactGraph:
        """A new graph of the entities where ``keep`` (a boolean per entity) is true and the
        relations between them (positions renumbered)."""
        new = np.cumsum(keep) - 1
        rk = keep[self.src] & keep[self.dst]
        g = object.__new__(CompactGraph)
        idx = np.flatnonzero(keep).tolist()
        g.ids = [self.ids[i] for i in idx]
        g.names = [self.names[i] for i in idx]
        g.kind, g.kind_names = self.kind[keep], self.kind_names
        g.jurisdiction, g.jurisdiction_names = self.jurisdiction[keep], self.jurisdiction_names
        g.src, g.dst = new[self.src[rk]], new[self.dst[rk]]
        g.type, g.type_names = self.type[rk], self.type_names
        g.year, g.symmetric = self.year[rk], self.symmetric[rk]
        if "_count" in self.__dict__:
            g._count = self._count[rk]
        return g

    # -- sizes and derived structures -----------------------------------------------------
    @property
    def n(self) -> int:
        """Number of entities."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of relations."""
        return len(self.src)

    @cached_property
    def _count(self) -> np.ndarray:
        return np.ones(self.m)

    @cached_property
    def index(self) -> dict:
        """Entity id -> position."""
        return {v: i for i, v in enumerate(self.ids)}

    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each entity's place in id order (as text): the tie-break of every ranking."""
        by_id = np.argsort(np.array([str(v) for v in self.ids]), kind="stable")
        rank = np.empty(self.n, np.int64)
        rank[by_id] = np.arange(self.n)
        return rank

    @cached_property
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric CSR adjacency without self-loops; an entry counts the relations (either
        direction) joining the two entities."""
        loop = self.src == self.dst
        u, v, w = self.src[~loop], self.dst[~loop], self._count[~loop]
        A = sp.csr_matrix(
            (np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))),
            shape=(self.n, self.n),
        )
        A.sum_duplicates()
        return A

    @cached_property
    def degree(self) -> np.ndarray:
        """Distinct entities each entity is linked to."""
        return np.diff(self.adjacency.indptr)

    @cached_property
    def links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The linked pairs ``(u, v, relations)`` with ``u < v``, once each."""
        T = sp.triu(self.adjacency, k=1).tocoo()
        return T.row.astype(np.int64), T.col.astype(np.int64), T.data

    @cached_property
    def components(self) -> np.ndarray:
        """Each entity's connected component label."""
        from scipy.sparse.csgraph import connected_components

        return connected_components(self.adjacency, directed=False)[1]

    @cached_property
    def graph(self):
        """An undirected simple :class:`igraph.Graph`, edge attribute ``weight`` = relations."""
        import igraph

        u, v, w = self.links
        g = igraph.Graph(n=self.n, edges=np.column_stack([u, v]))
        g.es["weight"] = w.tolist()
        return g

    @cached_property
    def digraph(self):
        """A directed simple :class:`igraph.Graph` of the relations (symmetric ones both
        ways), for PageRank: being linked *to* counts."""
        import igraph

        loop = self.src == self.dst
        s, d, sym = self.src[~loop], self.dst[~loop], self.symmetric[~loop]
        s, d = np.concatenate([s, d[sym]]), np.concatenate([d, s[sym]])
        pairs = np.unique(s * self.n + d)
        return igraph.Graph(
            n=self.n, edges=np.column_stack([pairs // self.n, pairs % self.n]), directed=True
        )

    def row(self, i: int, **extra) -> dict:
        """The identity of entity ``i`` as reported everywhere: id, name, kind,
        jurisdiction."""
        return {
            "id": self.ids[i],
            "name": self.names[i],
            "kind": self.kind_names[self.kind[i]],
            "jurisdiction": self.jurisdiction_names[self.jurisdiction[i]],
            **extra,
        }

    def kind_in(self, kinds: Collection[str]) -> np.ndarray:
        """A boolean per entity: whether its kind is one of ``kinds``."""
        hit = np.array([k in kinds for k in self.kind_names], bool)
        return hit[self.kind] if self.n else np.zeros(0, bool)


def analysis_graph(
    facts,
    *,
    structural: bool = False,
    as_of: str | None = None,
    dated_only: bool = False,
    exclude: Collection[str] = (),
    avoid_hubs: int | None = None,
    keep: Collection[str] = (),
) -> CompactGraph:
    """The graph every analytic of one request shares, under the answer rules of
    :mod:`regulink.graph.semantics`: substantive relations only unless ``structural``;
    with ``as_of``, only relations in force on that instant between entities alive then;
    ``dated_only`` leaves out undated relations; ``exclude`` (entity ids) and, with
    ``avoid_hubs=N``, every entity linked to more than N others are left out, except the
    entities in ``keep`` (the subject of a question is never removed).

    >>> from regulink.graph.model import Entity, FactBase, Relation
    >>> ents = {k: Entity(k, "regulator", k, None, (), "SG") for k in "abcd"}
    >>> rels = [Relation("partners_with", "a", "b", "2021", None, None, None, ("s",)),
    ...         Relation("partners_with", "a", "c", None, None, None, None, ("s",)),
    ...         Relation("member_of", "a", "d", "2020", None, None, None, ("s",))]
    >>> fb = FactBase(ents, rels)
    >>> analysis_graph(fb).m, analysis_graph(fb, structural=True).m
    (2, 3)
    >>> analysis_graph(fb, as_of="2020").m, analysis_graph(fb, dated_only=True).m
    (1, 1)
    >>> analysis_graph(fb, avoid_hubs=1).ids, analysis_graph(fb, avoid_hubs=1, keep=["a"]).m
    (['b', 'c', 'd'], 2)
    """
    from regulink.graph.analysis_base import AnalysisBase

    return AnalysisBase.from_facts(facts).graph(
        structural=structural,
        as_of=as_of,
        dated_only=dated_only,
        exclude=exclude,
        avoid_hubs=avoid_hubs,
        keep=keep,
    )


def as_compact(G) -> CompactGraph:
    """``G`` itself if it is a :class:`CompactGraph`, else its compact copy (``G`` is read,
    never changed)."""
    return G if isinstance(G, CompactGraph) else CompactGraph.from_networkx(G)


class seeded_igraph:
    """A context in which igraph's random steps draw from ``random.Random(seed)``, so that
    its randomised algorithms repeat; the module's own generator is restored after.

    >>> with seeded_igraph(7):
    ...     pass
    """

    def __init__(self, seed: int | str | None):
        self.seed = seed

    def __enter__(self):
        import igraph

        igraph.set_random_number_generator(random.Random(self.seed))
        return self

    def __exit__(self, *exc):
        import igraph

        igraph.set_random_number_generator(random)
        return False
