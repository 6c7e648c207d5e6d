"""Comparing two versions of the facts: what was added, removed or changed.

Entities and sources are identified by id, relations by their key (an explicit id, else
type, ends and start: :attr:`~regulink.graph.model.Relation.key`), so a relation whose end
date or sources were edited is *changed*, and one whose start moved is removed and added.
Each record is placed with ``where`` (its ``FILE:LINE`` in its version, if known).

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
"""

from __future__ import annotations

from typing import Callable, Mapping

from regulink.graph.model import FactBase

__all__ = ["compare", "SECTIONS"]

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
    return {f: {"old": a.get(f), "new": b.get(f)} for f in dict.fromkeys([*a, *b])
            if a.get(f) != b.get(f)}


def compare(old: FactBase, new: FactBase, *, old_where: Where = _no_place,
            new_where: Where = _no_place) -> dict:
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
        removed = [{**rec, "where": old_where(section, k)} for k, rec in a.items()
                   if k not in b]
        changed = []
        for k, rec in b.items():
            if k in a and a[k] != rec:
                changed.append({"key": k, "where": new_where(section, k),
                                "was_where": old_where(section, k), "record": rec,
                                "fields": _changed_fields(a[k], rec)})
        out[section] = {"added": added, "removed": removed, "changed": changed}
        same = same and not (added or removed or changed)
    return {"same": same, **out}
