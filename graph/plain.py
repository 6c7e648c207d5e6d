"""The facts as flat records and as a graph whose attributes every graph file format takes.

networkx's GEXF and GraphML writers accept only text, numbers and booleans as attribute
values (no ``None``, no tuples), and GEXF writers read an edge attribute named ``type`` as the
edge's direction. :func:`plain_graph` gives such a graph; ``to_networkx(facts, plain=True)``
returns it, and the exports (:mod:`regulink.loaders.export`) write it.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation, Source
>>> fb = FactBase(entities={"a": Entity("a", "regulator", "Alpha", "A", (), "SG"),
...                         "b": Entity("b", "project", "Beta", None, (), "INT")},
...               relations=[Relation("participates_in", "a", "b", "2021-02", None, None,
...                                   None, ("s",))],
...               sources={"s": Source("s", "news", "P", "T", None, "https://x.org/")})
>>> G = plain_graph(fb, timeline=True)
>>> G.nodes["a"]["label"], G.edges["a", "b", "participates_in:a:b:2021-02"]["start"]
('A', '2021-02-01')
>>> row = relation_record(fb.relations[0], fb.sources, fb.entities)
>>> row["label"], row["class"], row["temporal"], row["source_urls"]
('participates in', 'substantive', 'state', ('https://x.org/',))
"""

from __future__ import annotations

import re

import networkx as nx

from regulink.graph.dates import bounds
from regulink.graph.model import ENTITY_FIELDS, Entity, FactBase, Relation, Source
from regulink.graph.schema import load_schema
from regulink.graph.semantics import effective_dates

__all__ = [
    "EDGE_ATTRIBUTES",
    "ENTITY_FIELDS",
    "MULTI_SEPARATOR",
    "NODE_ATTRIBUTES",
    "RELATION_FIELDS",
    "SOURCE_FIELDS",
    "edge_attributes",
    "entity_record",
    "node_attributes",
    "plain_graph",
    "relation_record",
    "source_record",
]

#: How lists (aliases, sources) are joined where a format holds only text.
MULTI_SEPARATOR = "; "

RELATION_FIELDS = (
    "key",
    "type",
    "from",
    "to",
    "label",
    "class",
    "temporal",
    "symmetric",
    "start",
    "end",
    "effective_start",
    "effective_end",
    "end_derived",
    "undated",
    "role",
    "status",
    "note",
    "sources",
    "source_urls",
)
SOURCE_FIELDS = ("id", "kind", "publisher", "title", "date", "url")


def entity_record(e: Entity) -> dict:
    """An entity's fields; ``aliases`` a tuple, absent values ``None``."""
    return {
        "id": e.id,
        "kind": e.kind,
        "name": e.name,
        "short_name": e.short_name,
        "aliases": e.aliases,
        "jurisdiction": e.jurisdiction,
        "url": e.url,
        "description": e.description,
        "start": e.start,
        "end": e.end,
    }


def relation_record(r: Relation, sources: dict[str, Source], entities: dict[str, Entity]) -> dict:
    """A relation's fields, with how it reads, its class and temporal nature from the schema,
    its effective dates (:func:`regulink.graph.semantics.effective_dates`: it cannot outlive
    either end; ``end_derived`` when its end is an end's), whether it is ``undated``, and
    the URLs of its sources (those that have one)."""
    rt = load_schema().relation_types[r.type]
    eff = effective_dates(r, entities)
    urls = tuple(s.url for s in (sources.get(i) for i in r.sources) if s and s.url)
    return {
        "key": r.key,
        "type": r.type,
        "from": r.from_,
        "to": r.to,
        "label": rt.label,
        "class": rt.relation_class,
        "temporal": rt.temporal,
        "symmetric": r.symmetric,
        "start": r.start,
        "end": r.end,
        "effective_start": eff["start"],
        "effective_end": eff["end"],
        "end_derived": eff["end_derived"],
        "undated": eff["undated"],
        "role": r.role,
        "status": r.status,
        "note": r.note,
        "sources": r.sources,
        "source_urls": urls,
    }


def source_record(s: Source) -> dict:
    return {
        "id": s.id,
        "kind": s.kind,
        "publisher": s.publisher,
        "title": s.title,
        "date": s.date,
        "url": s.url,
    }


# Characters XML 1.0 cannot carry at all, even escaped (GEXF and GraphML are XML).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value):
    if isinstance(value, tuple):
        value = MULTI_SEPARATOR.join(value) if value else None
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    return value


def _dates(start: str | None, end: str | None) -> str | None:
    if start is None and end is None:
        return None
    return f"{start or ''} – {end or ''}".strip()


#: The attributes :func:`node_attributes` may give, in order, with their XML Schema types.
NODE_ATTRIBUTES = (
    ("label", "string"),
    ("kind", "string"),
    ("name", "string"),
    ("short_name", "string"),
    ("aliases", "string"),
    ("jurisdiction", "string"),
    ("url", "string"),
    ("description", "string"),
    ("start", "string"),
    ("end", "string"),
    ("dates", "string"),
)
#: The attributes :func:`edge_attributes` may give, in order, with their XML Schema types.
EDGE_ATTRIBUTES = (
    ("label", "string"),
    ("relation_type", "string"),
    ("class", "string"),
    ("temporal", "string"),
    ("symmetric", "boolean"),
    ("start", "string"),
    ("end", "string"),
    ("dates", "string"),
    ("effective_start", "string"),
    ("effective_end", "string"),
    ("end_derived", "boolean"),
    ("undated", "boolean"),
    ("role", "string"),
    ("status", "string"),
    ("note", "string"),
    ("sources", "string"),
    ("source_urls", "string"),
)


def _when(attrs: dict, start: str | None, end: str | None, timeline: bool) -> None:
    if timeline:
        attrs["dates"] = _dates(start, end)
        start = bounds(start)[0].isoformat() if start else None
        end = bounds(end)[1].isoformat() if end else None
    attrs["start"], attrs["end"] = start, end


def node_attributes(e: Entity, *, timeline: bool = False) -> dict:
    """An entity's attributes as text (see :func:`plain_graph`); absent ones left out."""
    rec = entity_record(e)
    rec["label"] = e.display
    del rec["id"]
    _when(rec, e.start, e.end, timeline)
    return {k: _text(v) for k, v in rec.items() if v not in (None, ())}


def edge_attributes(
    r: Relation, sources: dict[str, Source], entities: dict[str, Entity], *, timeline: bool = False
) -> dict:
    """A relation's attributes as text and booleans (see :func:`plain_graph`)."""
    rec = relation_record(r, sources, entities)
    rec["relation_type"] = rec.pop("type")
    del rec["key"], rec["from"], rec["to"]
    if timeline:  # the interval the relation holds: its effective one
        _when(rec, rec["effective_start"], rec["effective_end"], True)
        rec["dates"] = _dates(r.start, r.end)
    else:
        _when(rec, r.start, r.end, False)
    return {k: _text(v) for k, v in rec.items() if v not in (None, ())}


def plain_graph(facts: FactBase, *, timeline: bool = False) -> nx.MultiDiGraph:
    """The facts as a graph whose attribute values are only ``str`` and ``bool``.

    Nodes: ``label`` (the abbreviation or name) and the entity's fields. Edges (keyed by the
    relation's key): ``label`` (how the type reads), ``relation_type``, ``class``,
    ``temporal``, ``symmetric``, dates (own and effective), ``end_derived``, ``undated``,
    ``role``, ``status``, ``note``, ``sources`` (ids) and ``source_urls``. ("type" is not
    used: GEXF writers take it for the edge's direction.)
    Lists are joined with ``"; "``; control characters that XML cannot hold become U+FFFD.

    With ``timeline``, ``start``/``end`` are full dates (the widest reading of a partial
    date; for a relation, of its effective dates) and ``dates`` keeps its own as stated.
    """
    G: nx.MultiDiGraph = nx.MultiDiGraph(name="regulink")
    G.add_nodes_from((e.id, node_attributes(e, timeline=timeline)) for e in facts.entities.values())
    # types-networkx types MultiDiGraph.add_edges_from as Graph's, without the key
    G.add_edges_from(
        (r.from_, r.to, r.key, edge_attributes(r, facts.sources, facts.entities, timeline=timeline))  # type: ignore[misc]
        for r in facts.relations
    )
    return G
