"""The facts as the analytics see them, before any rule: arrays that can be saved and read back.

An :class:`AnalysisBase` holds, per entity, its id, display name, kind, jurisdiction and
life (first and last day as ordinals); per relation, its ends, type, start year and its
effective interval and ``undated`` flag from :class:`regulink.graph.semantics.Timeline`.
:meth:`AnalysisBase.graph` applies the answer rules (class, as-of instant, dated only,
excluded entities, hubs) to give the :class:`~regulink.graph.compact.CompactGraph` one
request analyses. Saved beside the fact cache (:mod:`regulink.loaders.analysis_cache`), it
lets ``analyze``, ``brokers`` and ``partners`` run without reading the facts at all.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> ents = {k: Entity(k, "regulator", k, None, (), "SG") for k in "abc"}
>>> ents["p"] = Entity("p", "project", "P", None, (), "INT", start="2020", end="2021-06")
>>> rels = [Relation("participates_in", "a", "p", "2020", None, None, None, ("s",)),
...         Relation("member_of", "a", "b", None, None, None, None, ("s",)),
...         Relation("partners_with", "b", "c", "2022", None, None, None, ("s",))]
>>> base = AnalysisBase.from_facts(FactBase(ents, rels))
>>> base.graph().m, base.graph(structural=True).m
(2, 3)
>>> base.graph(as_of="2021-03").ids, base.graph(as_of="2021").ids   # p ended 2021-06
(['a', 'b', 'c', 'p'], ['a', 'b', 'c'])
>>> AnalysisBase.from_arrays(base.to_arrays()).graph(as_of="2021-03").m
1
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import numpy as np
import orjson

from regulink.graph.compact import CompactGraph, _codes, _years
from regulink.graph.model import FactBase

__all__ = ["AnalysisBase"]

_MIN = np.iinfo(np.int32).min
_MAX = np.iinfo(np.int32).max
_LISTS = ("ids", "names", "kind_names", "jurisdiction_names", "type_names")


def _life(values, pick: int, empty: int) -> np.ndarray:
    from regulink.graph.dates import bounds

    memo = {None: empty}
    return np.fromiter(
        (memo[v] if v in memo else memo.setdefault(v, bounds(v)[pick].toordinal()) for v in values),
        np.int32,
        len(values),
    )


@dataclass(frozen=True, eq=False)
class AnalysisBase:
    """Entities and relations as arrays, every relation kept (see the module docs)."""

    ids: list
    names: list
    kind: np.ndarray
    kind_names: list
    jurisdiction: np.ndarray
    jurisdiction_names: list
    life_lo: np.ndarray
    life_hi: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    type: np.ndarray
    type_names: list
    year: np.ndarray
    start_lo: np.ndarray
    end_hi: np.ndarray
    undated: np.ndarray

    @classmethod
    def from_facts(cls, facts: FactBase) -> AnalysisBase:
        from regulink.graph.semantics import Timeline

        ents = list(facts.entities.values())
        ids = [e.id for e in ents]
        pos = {e: i for i, e in enumerate(ids)}
        rels = facts.relations
        m = len(rels)
        src = np.fromiter((pos[r.from_] for r in rels), np.int64, m)
        dst = np.fromiter((pos[r.to] for r in rels), np.int64, m)
        t = Timeline.from_facts(facts, frm=src, to=dst)
        kind, kind_names = _codes([e.kind for e in ents])
        jur, jur_names = _codes([e.jurisdiction for e in ents])
        rtype, type_names = _codes([r.type for r in rels])
        return cls(
            ids,
            [e.short_name or e.name for e in ents],
            kind,
            kind_names,
            jur,
            jur_names,
            _life([e.start for e in ents], 0, _MIN),
            _life([e.end for e in ents], 1, _MAX),
            src.astype(np.int32),
            dst.astype(np.int32),
            rtype,
            type_names,
            _years([r.start for r in rels]),
            t.start_lo,
            t.end_hi,
            t.undated,
        )

    # -- saving ---------------------------------------------------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        """Every field as a numpy array (lists of text as UTF-8 JSON bytes)."""
        return {
            f.name: (
                np.frombuffer(orjson.dumps(getattr(self, f.name)), np.uint8)
                if f.name in _LISTS
                else np.asarray(getattr(self, f.name))
            )
            for f in fields(self)
        }

    @classmethod
    def from_arrays(cls, arrays) -> AnalysisBase:
        """The inverse of :meth:`to_arrays` (``arrays``: any mapping, e.g. an npz file)."""
        values: dict[str, Any] = {
            f.name: (
                orjson.loads(bytes(arrays[f.name]))
                if f.name in _LISTS
                else np.asarray(arrays[f.name])
            )
            for f in fields(cls)
        }
        return cls(**values)

    # -- the rules --------------------------------------------------------------------------
    @cached_property
    def index(self) -> dict:
        """Entity id -> position."""
        return {v: i for i, v in enumerate(self.ids)}

    def graph(
        self,
        *,
        structural: bool = False,
        as_of: str | None = None,
        dated_only: bool = False,
        exclude: Collection[str] = (),
        avoid_hubs: int | None = None,
        keep: Collection[str] = (),
    ) -> CompactGraph:
        """The graph one request analyses, under the rules of
        :func:`~regulink.graph.compact.analysis_graph`."""
        from regulink.graph.schema import load_schema
        from regulink.graph.semantics import class_mask, instant

        mask = np.ones(len(self.src), bool)
        if not structural:
            mask &= ~class_mask(self.type, self.type_names)
        alive = np.ones(len(self.ids), bool)
        if as_of is not None:
            t = instant(as_of).toordinal()
            mask &= (self.start_lo <= t) & (self.end_hi >= t)
            alive &= (self.life_lo <= t) & (self.life_hi >= t)
        if dated_only:
            mask &= ~self.undated
        gone = set(exclude) - set(keep)
        if gone:
            alive &= np.fromiter((i not in gone for i in self.ids), bool, len(self.ids))
        rtypes = load_schema().relation_types
        sym = np.array(
            [rtypes[t].symmetric if t in rtypes else False for t in self.type_names], bool
        )
        g = CompactGraph.from_codes(
            self.ids,
            self.names,
            self.kind,
            self.kind_names,
            self.jurisdiction,
            self.jurisdiction_names,
            self.src[mask],
            self.dst[mask],
            self.type[mask],
            self.type_names,
            self.year[mask],
            sym[self.type[mask]] if mask.any() else np.zeros(0, bool),
        )
        if not alive.all():
            g = g.subgraph(alive)
        if avoid_hubs is not None:
            hubs = g.degree > avoid_hubs
            for k in keep:
                if k in g.index:
                    hubs[g.index[k]] = False
            if hubs.any():
                g = g.subgraph(~hubs)
        return g
