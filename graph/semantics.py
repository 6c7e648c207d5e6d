"""What an answer may use: relation classes, effective dates and the as-of instant.

The rules every answer follows (paths, analytics, the page, exports), declared once here:

- **Class.** A relation type is *structural* (membership, location, employment...) or
  *substantive* (joint work), as ``graph/schema.yaml`` says. Answers use substantive
  relations unless asked for structural ones.
- **Effective dates.** A relation cannot outlive the ends that bound it (the type's
  ``bounded_by`` in the schema: both by default): its effective end is the earliest of its
  own ``end`` and the ``end`` of those entities (a participation in a project that has ended
  ends with it, *derived*), its effective start the latest of their starts. An *event*
  (``temporal: event``: launched, issued...) is dated by its ``start`` and is bounded by its
  object (TO) alone: it links its ends from then on, for the life of its object. A
  successor ``builds_on`` a concluded predecessor for as long as the successor lasts. An
  end that came before the relation's own start is not applied: the relation speaks of a
  later time (results announced after a project concluded).
- **As of.** ``as_of`` is one instant: the last day of the period a partial date names
  ("as of 2023" is as at 2023-12-31), so every part of an answer was in force together. On
  the relation's own partial dates the rule is generous: started "2023" counts as started by
  any day of 2023, ended "2024" as still holding on any day of 2024.
- **Undated.** A relation with neither ``start`` nor ``end`` of its own is *undated*; every
  answer says so, and ``dated_only`` leaves such relations out.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> ents = {"mas": Entity("mas", "central_bank", "MAS", None, (), "SG"),
...         "p": Entity("p", "project", "P", None, (), "INT", start="2021", end="2023-06")}
>>> rels = [Relation("participates_in", "mas", "p", "2022", None, None, None, ("s",)),
...         Relation("member_of", "mas", "p", None, None, None, None, ("s",))]
>>> t = Timeline.from_facts(FactBase(entities=ents, relations=rels))
>>> t.dates(0)
('2022', '2023-06', True)
>>> t.dates(1)
('2021', '2023-06', True)
>>> t.in_force("2023").tolist(), t.in_force("2023-05").tolist()
([False, False], [True, True])
>>> t.undated.tolist()
[False, True]
>>> instant("2024-02")
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from regulink.graph.dates import bounds
from regulink.graph.model import FactBase
from regulink.graph.schema import load_schema

__all__ = [
    "STRUCTURAL_PENALTY",
    "WEIGHT_SCALE",
    "Timeline",
    "class_mask",
    "effective_dates",
    "hub_cost",
    "instant",
    "node_weights",
    "relation_mask",
    "tiebreak",
]

_MIN = np.iinfo(np.int32).min
_MAX = np.iinfo(np.int32).max

#: Node weights are integers (exact in float64, and in JavaScript numbers, up to 2**53) so
#: that the CLI and the page pick the same path: ``hub_cost * WEIGHT_SCALE + tiebreak``.
WEIGHT_SCALE = 1 << 20
#: Added to a structural hop when structural links are admitted only as a last resort: worth
#: a thousand ordinary hops, so the fewest structural hops are always used.
STRUCTURAL_PENALTY = 1_000_000 * WEIGHT_SCALE


def instant(as_of: str) -> _dt.date:
    """The day an ``as_of`` partial date stands for: the last day of its period."""
    return bounds(as_of)[1]


def _ordinals(values: Sequence[str | None], pick: int, empty: int) -> np.ndarray:
    # Few distinct dates, many relations: each distinct text is parsed once.
    memo: dict[str | None, int] = {None: empty}
    out = np.empty(len(values), np.int32)
    for i, v in enumerate(values):
        got = memo.get(v)
        if got is None:
            got = memo[v] = bounds(cast(str, v))[pick].toordinal()  # None is always in memo
        out[i] = got
    return out


@dataclass(frozen=True, slots=True)
class Timeline:
    """Each relation's effective interval, as day ordinals (see the module's rules).

    ``start_lo[i]``: the first day relation ``i`` may hold (``int32`` min when open);
    ``end_hi[i]``: the last (``int32`` max when open); ``end_from[i]``: ``-1`` when the end is
    the relation's own, else the position of the entity whose end it is; ``start_from``
    likewise; ``undated[i]``: neither ``start`` nor ``end`` of its own.
    """

    facts: FactBase
    start_lo: np.ndarray
    end_hi: np.ndarray
    start_from: np.ndarray
    end_from: np.ndarray
    undated: np.ndarray
    entity_ids: tuple[str, ...]

    @classmethod
    def from_facts(
        cls, facts: FactBase, *, frm: np.ndarray | None = None, to: np.ndarray | None = None
    ) -> Timeline:
        """The timeline of ``facts``; ``frm``/``to`` are the ends' entity positions if the
        caller has them already (they are computed otherwise)."""
        ids = tuple(facts.entities)
        rels = facts.relations
        m = len(rels)
        own_lo = _ordinals([r.start for r in rels], 0, _MIN)
        r_lo = own_lo.copy()
        r_hi = _ordinals([r.end for r in rels], 1, _MAX)
        undated = np.fromiter((r.start is None and r.end is None for r in rels), bool, m)
        start_from = np.full(m, -1, np.int32)
        end_from = np.full(m, -1, np.int32)
        ents = list(facts.entities.values())
        if any(e.start is not None or e.end is not None for e in ents):
            if frm is None or to is None:
                pos = {e: i for i, e in enumerate(ids)}
                frm = np.fromiter((pos[r.from_] for r in rels), np.int64, m)
                to = np.fromiter((pos[r.to] for r in rels), np.int64, m)
            e_lo = _ordinals([e.start for e in ents], 0, _MIN)
            e_hi = _ordinals([e.end for e in ents], 1, _MAX)
            rts = load_schema().relation_types
            bound = {n: t.bounded_by for n, t in rts.items()}
            by_from = np.fromiter(("from" in bound[r.type] for r in rels), bool, m)
            by_to = np.fromiter(("to" in bound[r.type] for r in rels), bool, m)
            for ends, bounds_it in ((frm, by_from), (to, by_to)):
                later = bounds_it & (e_lo[ends] > r_lo)
                r_lo = np.where(later, e_lo[ends], r_lo)
                start_from = np.where(later, ends, start_from).astype(np.int32)
                # an end's end before the relation's own start is not its end: the relation
                # speaks of a later time (a report on a project that had concluded)
                earlier = bounds_it & (e_hi[ends] < r_hi) & (e_hi[ends] >= own_lo)
                r_hi = np.where(earlier, e_hi[ends], r_hi)
                end_from = np.where(earlier, ends, end_from).astype(np.int32)
        return cls(facts, r_lo, r_hi, start_from, end_from, undated, ids)

    def in_force(self, as_of: str) -> np.ndarray:
        """A boolean mask: which relations hold on the ``as_of`` instant."""
        t = instant(as_of).toordinal()
        return (self.start_lo <= t) & (self.end_hi >= t)

    def dates(self, i: int) -> tuple[str | None, str | None, bool]:
        """``(start, end, end_derived)`` of relation ``i`` as partial dates: its own, or an
        end's where that is earlier (``end_derived``) or a start's where that is later."""
        r = self.facts.relations[i]
        start, end = r.start, r.end
        s, e = int(self.start_from[i]), int(self.end_from[i])
        if s >= 0:
            start = self.facts.entities[self.entity_ids[s]].start
        if e >= 0:
            end = self.facts.entities[self.entity_ids[e]].end
        return start, end, e >= 0


def effective_dates(rel, entities) -> dict:
    """One relation's effective dates by the module's rules, without a :class:`Timeline`:
    ``{"start", "end", "end_derived", "ended_with", "undated"}`` (``ended_with``: the id of
    the entity whose end is the relation's).

    >>> from regulink.graph.model import Entity, Relation
    >>> ents = {"a": Entity("a", "regulator", "A", None, (), "SG"),
    ...         "p": Entity("p", "project", "P", None, (), "SG", end="2023-09-28")}
    >>> effective_dates(Relation("participates_in", "a", "p", "2022", "2024", None, None,
    ...                          ("s",)), ents)
    {'start': '2022', 'end': '2023-09-28', 'end_derived': True, 'ended_with': 'p', 'undated': False}
    """
    start, end, ended_with = rel.start, rel.end, None
    own = bounds(rel.start)[0] if rel.start else None
    bounded_by = load_schema().relation_types[rel.type].bounded_by
    for side, e in (("from", entities[rel.from_]), ("to", entities[rel.to])):
        if side not in bounded_by:
            continue
        if e.start is not None and (start is None or bounds(e.start)[0] > bounds(start)[0]):
            start = e.start
        if (
            e.end is not None
            and (end is None or bounds(e.end)[1] < bounds(end)[1])
            and (own is None or bounds(e.end)[1] >= own)
        ):
            end, ended_with = e.end, e.id
    return {
        "start": start,
        "end": end,
        "end_derived": ended_with is not None,
        "ended_with": ended_with,
        "undated": rel.start is None and rel.end is None,
    }


def class_mask(type_codes: np.ndarray, type_names: Sequence[str]) -> np.ndarray:
    """Which relations are structural, given each one's type as a position in
    ``type_names``."""
    structural = load_schema().structural_types
    table = np.array([t in structural for t in type_names], bool)
    return table[type_codes] if len(type_codes) else np.zeros(0, bool)


def relation_mask(
    facts: FactBase,
    *,
    structural: bool = False,
    as_of: str | None = None,
    dated_only: bool = False,
    types: Collection[str] | None = None,
    exclude_types: Collection[str] | None = None,
    timeline: Timeline | None = None,
) -> np.ndarray:
    """Which of ``facts.relations`` an answer may use under these options.

    >>> from regulink.graph.model import Entity, FactBase, Relation
    >>> e = {k: Entity(k, "regulator", k, None, (), "SG") for k in "abc"}
    >>> r = [Relation("member_of", "a", "b", None, None, None, None, ("s",)),
    ...      Relation("partners_with", "a", "c", "2020", None, None, None, ("s",))]
    >>> fb = FactBase(entities=e, relations=r)
    >>> relation_mask(fb).tolist(), relation_mask(fb, structural=True).tolist()
    ([False, True], [True, True])
    >>> relation_mask(fb, structural=True, dated_only=True).tolist()
    [False, True]
    """
    schema = load_schema()
    allowed = {n for n, t in schema.relation_types.items() if structural or not t.structural}
    if types is not None:
        allowed &= set(types)
    allowed -= set(exclude_types or ())
    rels = facts.relations
    mask = np.fromiter((r.type in allowed for r in rels), bool, len(rels))
    if as_of is not None or dated_only:
        t = timeline or Timeline.from_facts(facts)
        if as_of is not None:
            mask &= t.in_force(as_of)
        if dated_only:
            mask &= ~t.undated
    return mask


def hub_cost(degree: int) -> int:
    """What entering an entity linked to ``degree`` others costs a path: ``1 + log2(degree)``
    in thousandths, so a hub of degree 100 costs as much as 7.6 specific intermediaries.

    >>> hub_cost(1), hub_cost(2), hub_cost(100)
    (1000, 2000, 7644)
    """
    return 1000 + round(1000 * math.log2(max(degree, 1)))


def tiebreak(entity_id: str) -> int:
    """A stable number below :data:`WEIGHT_SCALE` for an entity id (32-bit FNV-1a of its
    UTF-8 bytes), which decides between paths of equal cost the same way everywhere.

    >>> tiebreak("mas")
    191224
    """
    h = 0x811C9DC5
    for byte in entity_id.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % WEIGHT_SCALE


def node_weights(degree: np.ndarray, ids: Sequence[str]) -> np.ndarray:
    """Each entity's weight as a path enters it: ``hub_cost * WEIGHT_SCALE + tiebreak``
    (float64, exact: the CLI and the page add the same integers)."""
    costs: dict[int, int] = {}
    out = np.empty(len(ids), np.float64)
    for i, (d, e) in enumerate(zip(degree.tolist(), ids, strict=False)):
        c = costs.get(d)
        if c is None:
            c = costs[d] = hub_cost(d) * WEIGHT_SCALE
        out[i] = c + tiebreak(e)
    return out
