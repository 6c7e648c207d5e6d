"""Change: between two versions of the facts (:func:`compare`), or within one fact set
between two dates (:func:`between`).

**Versions.**
Entities and sources are identified by id, relations by their key (an explicit id, else
type, ends and start: :attr:`~regulink.graph.model.Relation.key`), so a relation whose end
date or sources were edited is *changed*, and one whose start moved is removed and added.
Each record is placed with ``where`` (its ``FILE:LINE`` in its version, if known).

**Dates.** What began and what ended between two instants, on the effective dates of
:mod:`regulink.graph.semantics` (as in ``as_of``, a partial date is its last day): a relation
*began* when its effective start falls after the first instant and by the second, and
*ended* when the last day it holds is on or after the first instant and before the second
(so it held at ``from`` and no longer holds at ``to``). A participation that ends because its
project ended is listed with ``end_derived``.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> a = Entity("a", "regulator", "Alpha", None, (), "SG")
>>> old = FactBase({"a": a}, [Relation("funds", "a", "a2", "2020", None, None, None, ("s",))])
>>> new = FactBase({"a": Entity("a", "regulator", "Alpha Authority", None, (), "SG")},
...                [Relation("funds", "a", "a2", "2020", "2022", None, None, ("s",))])
>>> d = compare(old, new)
>>> d["same"], d["entities"]["changed"][0]["fields"]
(False, {'name': {'old': 'Alpha', 'new': 'Alpha Authority'}})
>>> d["relations"]["changed"][0]["fields"]
{'end': {'old': None, 'new': '2022'}}
>>> compare(old, old)["same"]
True
>>> ents = {"a": a, "p": Entity("p", "project", "P", None, (), "INT", end="2023-06")}
>>> facts = FactBase(ents, [Relation("participates_in", "a", "p", "2021-03", None, None, None,
...                                  ("s",))])
>>> d = between(facts, "2020", "2024")
>>> [r["date"] for r in d["began"]], [(r["date"], r["end_derived"]) for r in d["ended"]]
(['2021-03'], [('2023-06', True)])
>>> between(facts, "2022", "2023-05")["ended"]
[]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from regulink.graph.dates import bounds, parse_partial_date
from regulink.graph.model import FactBase
from regulink.graph.schema import load_schema

__all__ = ["SECTIONS", "between", "compare"]

#: The three kinds of record, as named in fact files and in the result.
SECTIONS = ("entities", "relations", "sources")

Where = Callable[[str, str], str | None]


def _no_place(section: str, key: str) -> str | None:
    return None


def _records(facts: FactBase, section: str) -> Mapping[str, dict]:
    if section == "entities":
        return {k: e.as_dict() for k, e in facts.entities.items()}
    if section == "sources":
        return {k: s.as_dict() for k, s in facts.sources.items()}
    return {r.key: r.as_dict() for r in facts.relations}


def _changed_fields(a: dict, b: dict) -> dict:
    return {
        f: {"old": a.get(f), "new": b.get(f)}
        for f in dict.fromkeys([*a, *b])
        if a.get(f) != b.get(f)
    }


def compare(
    old: FactBase, new: FactBase, *, old_where: Where = _no_place, new_where: Where = _no_place
) -> dict:
    """What differs between two fact bases.

    Returns ``{"same": bool, "entities" | "relations" | "sources": {"added": [...],
    "removed": [...], "changed": [...]}}``. An added or removed record is its fields
    (``as_dict``) plus ``"where"``; a changed one is ``{"key", "where", "was_where",
    "record" (the new fields), "fields": {name: {"old", "new"}}}``. Lists are in the order
    of the new facts (removed: of the old).

    ``old_where(section, key)`` / ``new_where``: the ``FILE:LINE`` of a record, or None.
    """
    out: dict = {}
    same = True
    for section in SECTIONS:
        a, b = _records(old, section), _records(new, section)
        added = [{**rec, "where": new_where(section, k)} for k, rec in b.items() if k not in a]
        removed = [{**rec, "where": old_where(section, k)} for k, rec in a.items() if k not in b]
        changed = []
        for k, rec in b.items():
            if k in a and a[k] != rec:
                changed.append(
                    {
                        "key": k,
                        "where": new_where(section, k),
                        "was_where": old_where(section, k),
                        "record": rec,
                        "fields": _changed_fields(a[k], rec),
                    }
                )
        out[section] = {"added": added, "removed": removed, "changed": changed}
        same = same and not (added or removed or changed)
    return {"same": same, **out}


def _moment(value: str, what: str):
    from regulink.graph.semantics import instant

    parsed = parse_partial_date(value)
    if parsed is None:
        raise ValueError(f"invalid {what} date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    return parsed, instant(parsed).toordinal()


def between(facts: FactBase, from_: str, to: str) -> dict:
    """What began and what ended between the instants ``from_`` and ``to`` (partial dates).

    Returns ``{"from", "to", "began": [relation], "ended": [relation]}``, each list ordered
    by the jurisdiction and kind of the relation's ``from`` entity (who acts), then by date.
    A relation is ``{"key", "type", "label", "class", "event", "from", "to", "from_name",
    "to_name", "jurisdiction", "kind", "date" (when it began or ended), "start", "end"
    (effective), "end_derived", "ended_with", "undated", "role", "note", "sources": [{"id",
    "title", "publisher", "date", "url"}]}``.

    Raises ``ValueError`` for a malformed date or ``to`` before ``from_``.
    """
    from regulink.graph.pathindex import source_brief
    from regulink.graph.semantics import Timeline

    from_, t1 = _moment(from_, "from")
    to, t2 = _moment(to, "to")
    if t2 < t1:
        raise ValueError(f"'to' ({to}) is before 'from' ({from_})")
    timeline = Timeline.from_facts(facts)
    began = ((timeline.start_lo > t1) & (timeline.start_lo <= t2)).nonzero()[0].tolist()
    ended = ((timeline.end_hi >= t1) & (timeline.end_hi < t2)).nonzero()[0].tolist()
    types = load_schema().relation_types
    ents = facts.entities

    def entry(i: int, began: bool) -> dict:
        r = facts.relations[i]
        rt = types[r.type]
        start, end, derived = timeline.dates(i)
        a, b = ents[r.from_], ents[r.to]
        ended_with = None
        if derived:
            ended_with = ents[timeline.entity_ids[int(timeline.end_from[i])]].id
        return {
            "key": r.key,
            "type": r.type,
            "label": rt.label,
            "class": rt.relation_class,
            "event": rt.event,
            "from": r.from_,
            "to": r.to,
            "from_name": a.display,
            "to_name": b.display,
            "jurisdiction": a.jurisdiction,
            "kind": a.kind,
            "date": start if began else end,
            "start": start,
            "end": end,
            "end_derived": derived,
            "ended_with": ended_with,
            "undated": r.start is None and r.end is None,
            "role": r.role,
            "note": r.note,
            "sources": [source_brief(facts.sources.get(s), s) for s in r.sources],
        }

    def ordered(rows: list[dict]) -> list[dict]:
        return sorted(
            rows, key=lambda e: (e["jurisdiction"], e["kind"], bounds(e["date"]), e["key"])
        )

    return {
        "from": from_,
        "to": to,
        "began": ordered([entry(i, True) for i in began]),
        "ended": ordered([entry(i, False) for i in ended]),
    }
