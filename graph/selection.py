"""Which facts an export (or any other whole-graph consumer) takes: a selection of the facts.

The options are those of ``regulink render`` (``focus``/``hops``, ``as_of``, ``kinds``,
``types``, ``structural``), but the result is a smaller :class:`FactBase`, not a graph to
draw: nothing here limits its size, builds a networkx graph or touches the caller's facts.

The rules are :mod:`regulink.graph.semantics`'s: by default only substantive relations are
kept and ``structural`` admits structural ones on equal terms; ``as_of`` is one instant (the
last day of the date's period), at which each kept relation is in force on its effective
interval and each kept entity alive. Only the sources cited by a kept relation are kept.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation, Source
>>> fb = FactBase(entities={
...     "a": Entity("a", "regulator", "Alpha", None, (), "SG"),
...     "b": Entity("b", "project", "Beta", None, (), "INT", end="2022-06"),
...     "c": Entity("c", "regulator", "Gamma", None, (), "CH"),
...     "d": Entity("d", "international_org", "Delta", None, (), "INT")},
...     relations=[Relation("participates_in", "a", "b", "2021", None, None, None, ("s",)),
...                Relation("participates_in", "c", "b", "2022", None, None, None, ("s",)),
...                Relation("member_of", "a", "d", None, None, None, None, ("t",))],
...     sources={"s": Source("s", "website", "P", "T", None, None),
...              "t": Source("t", "website", "P", "U", None, None)})
>>> sel = select_facts(fb)
>>> len(sel.relations), sorted(sel.sources)
(2, ['s'])
>>> len(select_facts(fb, structural=True).relations)
3
>>> try:
...     select_facts(fb, types=["member_of"])
... except SelectionError as exc:
...     print(exc)
member_of: structural relation types; add structural (--structural) to select them
>>> len(select_facts(fb, as_of="2023").relations), "b" in select_facts(fb, as_of="2023").entities
(0, False)
>>> sorted(select_facts(fb, focus="Alpha", hops=1, structural=True).entities)
['a', 'b', 'd']
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from regulink.errors import RegulinkError
from regulink.graph.dates import bounds, parse_partial_date
from regulink.graph.model import Entity, FactBase, Relation
from regulink.graph.schema import load_schema
from regulink.graph.search import SearchIndex, suggest
from regulink.graph.semantics import instant, relation_mask

__all__ = ["SelectionError", "as_of_instant", "check_names", "select_facts"]


class SelectionError(RegulinkError, ValueError):
    """A selection option that cannot be honoured (unknown kind or type, bad date...)."""


def check_names(
    given: Collection[str] | None, known: Collection[str], what: str
) -> set[str] | None:
    """``given`` as a set, or :class:`SelectionError` naming the first unknown one."""
    if given is None:
        return None
    out = set()
    for name in given:
        if name not in known:
            hint = suggest(name, known)
            msg = f"unknown {what} {name!r}"
            if hint:
                msg += f" (did you mean {' or '.join(repr(h) for h in hint)}?)"
            raise SelectionError(msg)
        out.add(name)
    return out


def as_of_instant(value: str) -> date:
    """The day an ``as_of`` partial date stands for, or :class:`SelectionError`."""
    parsed = parse_partial_date(value)
    if parsed is None:
        raise SelectionError(f"invalid date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return instant(parsed)


def _alive(e: Entity, t: date) -> bool:
    return (e.start is None or bounds(e.start)[0] <= t) and (e.end is None or bounds(e.end)[1] >= t)


def select_facts(
    facts: FactBase,
    *,
    focus: str | None = None,
    hops: int = 1,
    as_of: str | None = None,
    kinds: Collection[str] | None = None,
    types: Collection[str] | None = None,
    structural: bool = False,
) -> FactBase:
    """The part of ``facts`` the options select, as a new :class:`FactBase`.

    Parameters
    ----------
    focus : str, optional
        An entity (id, name, abbreviation or alias): keep what lies within ``hops``
        relations of it, either direction, over the relations the other options keep.
    hops : int
        How far from ``focus``.
    as_of : str, optional
        A partial date: relations in force and entities alive at its last day.
    kinds, types : collection of str, optional
        Only entities of these kinds; only relations of these types.
    structural : bool
        Keep structural relations (membership, location...) as well as substantive ones.

    Raises
    ------
    SelectionError
        Unknown kind or type, a malformed date, negative ``hops``, a focus filtered out.
    EntityNotFound, AmbiguousEntity
        ``focus`` names no entity, or several.
    """
    schema = load_schema()
    kind_set = check_names(kinds, list(schema.kinds), "kind")
    type_set = check_names(types, list(schema.relation_types), "relation type")
    t = as_of_instant(as_of) if as_of is not None else None
    if hops < 0:
        raise SelectionError("hops must be 0 or more")
    if type_set and not structural and type_set <= schema.structural_types:
        raise SelectionError(
            f"{', '.join(sorted(type_set))}: structural relation types; "
            "add structural (--structural) to select them"
        )

    ents = {
        k: e
        for k, e in facts.entities.items()
        if (kind_set is None or e.kind in kind_set) and (t is None or _alive(e, t))
    }
    mask = relation_mask(facts, structural=structural, as_of=as_of, types=type_set)
    rels = [
        r
        for r, keep in zip(facts.relations, mask.tolist(), strict=False)
        if keep and r.from_ in ents and r.to in ents
    ]
    if focus is not None:
        centre = SearchIndex(facts).resolve(focus).id
        if centre not in ents:
            why = (
                "its kind is filtered out"
                if kind_set and facts.entities[centre].kind not in kind_set
                else f"it is not alive at {as_of}"
            )
            raise SelectionError(f"{centre!r} is not selected: {why}")
        ents, rels = _neighbourhood(ents, rels, centre, hops)
    cited = {s for r in rels for s in r.sources}
    return FactBase(ents, rels, {k: s for k, s in facts.sources.items() if k in cited}, facts.files)


def _neighbourhood(
    ents: dict[str, Entity], rels: list[Relation], centre: str, hops: int
) -> tuple[dict[str, Entity], list[Relation]]:
    """Entities within ``hops`` of ``centre`` and every relation among them."""
    adj: dict[str, set[str]] = {}
    for r in rels:
        adj.setdefault(r.from_, set()).add(r.to)
        adj.setdefault(r.to, set()).add(r.from_)
    seen, frontier = {centre}, {centre}
    for _ in range(hops):
        frontier = {m for n in frontier for m in adj.get(n, ())} - seen
        if not frontier:
            break
        seen |= frontier
    return (
        {k: e for k, e in ents.items() if k in seen},
        [r for r in rels if r.from_ in seen and r.to in seen],
    )
