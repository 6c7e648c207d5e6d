"""Summaries of a fact base: counts (``stats``) and one entity with its relations (``describe``).

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation, Source
>>> fb = FactBase(
...     entities={"mas": Entity("mas", "central_bank", "Monetary Authority of Singapore",
...                             "MAS", (), "SG"),
...               "g": Entity("g", "project", "Project Guardian", None, (), "SG")},
...     relations=[Relation("launched", "mas", "g", "2022", None, None, None, ("s",))],
...     sources={"s": Source("s", "press_release", "MAS", "Launch", "2022-05-31", None)})
>>> stats(fb)["by_kind"]
{'central_bank': 1, 'project': 1}
>>> d = describe(fb, "g")
>>> [(r["reading"], r["other"]["id"]) for r in d["relations"]]
[('launched by', 'mas')]
"""

from __future__ import annotations

from collections import Counter

from regulink.graph.model import FactBase
from regulink.graph.schema import load_schema
from regulink.graph.semantics import effective_dates

__all__ = ["describe", "stats"]


def stats(facts: FactBase) -> dict:
    """Counts of entities, relations and sources, by kind, type and jurisdiction.

    ``relations_without_source`` counts relations citing no source (0 for validated
    facts); ``relations_without_url`` those none of whose sources has a URL;
    ``relations_dated`` those with a ``start`` or an ``end`` of their own.
    """
    by_kind = Counter(e.kind for e in facts.entities.values())
    by_type = Counter(r.type for r in facts.relations)
    url_sources = {s.id for s in facts.sources.values() if s.url}
    schema = load_schema()
    return {
        "entities": len(facts.entities),
        "relations": len(facts.relations),
        "sources": len(facts.sources),
        "by_kind": {k: by_kind[k] for k in schema.kinds if by_kind[k]},
        "by_type": {t: by_type[t] for t in schema.relation_types if by_type[t]},
        "jurisdictions": len({e.jurisdiction for e in facts.entities.values()}),
        "relations_without_source": sum(1 for r in facts.relations if not r.sources),
        "relations_without_url": sum(
            1 for r in facts.relations if not any(s in url_sources for s in r.sources)
        ),
        "relations_dated": sum(
            1 for r in facts.relations if r.start is not None or r.end is not None
        ),
        "files": len(facts.files),
    }


def describe(facts: FactBase, entity_id: str) -> dict:
    """The entity with every relation touching it, read from its side.

    Each relation carries ``direction`` (``"forward"`` when the entity is the ``from`` end),
    ``reading`` (the type's label, or its inverse label when read backwards), its ``class``
    and whether it is an ``event``, the ``other`` entity, its effective dates (``start``,
    ``end``, ``end_derived``, ``ended_with``, ``undated``: see
    :func:`regulink.graph.semantics.effective_dates`), role, status, note and its full
    ``sources``.
    """
    schema = load_schema()
    ent = facts.entities[entity_id]
    rels = []
    for rel, forward in facts.relations_of(entity_id):
        other = facts.entities[rel.to if forward else rel.from_]
        rt = schema.relation_types[rel.type]
        rels.append(
            {
                "type": rel.type,
                "direction": "forward" if forward else "backward",
                "reading": rt.reading(forward),
                "class": rt.relation_class,
                "event": rt.event,
                "other": {
                    "id": other.id,
                    "name": other.name,
                    "short_name": other.short_name,
                    "kind": other.kind,
                    "jurisdiction": other.jurisdiction,
                },
                **effective_dates(rel, facts.entities),
                "role": rel.role,
                "status": rel.status,
                "note": rel.note,
                "sources": [facts.sources[s].as_dict() for s in rel.sources if s in facts.sources],
            }
        )
    rels.sort(key=lambda r: (r["type"], r["start"] or "", r["other"]["id"]))
    return {**ent.as_dict(), "relations": rels}
