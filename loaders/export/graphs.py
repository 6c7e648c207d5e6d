"""Graph file formats: GEXF (Gephi), GraphML (Gephi, yEd, networkx) and node-link JSON.

GEXF and GraphML are written by networkx's own writers from a graph whose attributes are
all text or booleans (lists joined with ``"; "``, absent values left out), which both
formats require. GEXF gives each entity and relation its dates as a time interval (partial
dates widened: a start to its first day, an end to its last), so Gephi's timeline plays the
graph; the dates as stated stay in the ``dates`` attribute.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> fb = FactBase(entities={"a": Entity("a", "regulator", "Alpha", "A", (), "SG"),
...                         "b": Entity("b", "project", "Beta", None, (), "INT")},
...               relations=[Relation("participates_in", "a", "b", "2021-02", None, None,
...                                   None, ("s",))])
>>> G = plain_graph(fb, timeline=True)
>>> G.nodes["a"]["label"], G.edges["a", "b", "participates_in:a:b:2021-02"]["start"]
('A', '2021-02-01')
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import orjson

from regulink.graph.dates import bounds
from regulink.graph.model import FactBase
from regulink.loaders.export._common import (
    MULTI_SEPARATOR, atomic, entity_record, relation_record, source_record,
)

__all__ = ["plain_graph", "write_gexf", "write_graphml", "write_json", "JSON_FORMAT"]

#: The version of the node-link JSON layout below (bump on any incompatible change).
JSON_FORMAT = 1


def _text(value):
    if isinstance(value, tuple):
        return MULTI_SEPARATOR.join(value) if value else None
    return value


def _dates(start: str | None, end: str | None) -> str | None:
    if start is None and end is None:
        return None
    return f"{start or ''} – {end or ''}".strip()


def plain_graph(facts: FactBase, *, timeline: bool = False) -> nx.MultiDiGraph:
    """The facts as a graph whose attribute values are only ``str`` and ``bool``.

    Nodes: ``label`` (the abbreviation or name) and the entity's fields. Edges (keyed by the
    relation's key): ``label`` (how the type reads), ``relation_type``, ``class``,
    ``temporal``, ``symmetric``, dates, ``role``, ``status``, ``note``, ``sources`` (ids) and
    ``source_urls``. ("type" is not used: GEXF writers take it for the edge's direction.)

    With ``timeline``, ``start``/``end`` are full dates (the widest reading of a partial
    date) and ``dates`` keeps them as stated.
    """
    G = nx.MultiDiGraph(name="regulink")

    def when(attrs: dict, start, end) -> None:
        if timeline:
            attrs["dates"] = _dates(start, end)
            start = bounds(start)[0].isoformat() if start else None
            end = bounds(end)[1].isoformat() if end else None
        attrs["start"], attrs["end"] = start, end

    for e in facts.entities.values():
        rec = entity_record(e)
        rec["label"] = e.display
        del rec["id"]
        when(rec, e.start, e.end)
        G.add_node(e.id, **{k: _text(v) for k, v in rec.items() if v not in (None, ())})
    for r in facts.relations:
        rec = relation_record(r, facts.sources)
        rec["relation_type"] = rec.pop("type")
        key = rec.pop("key")
        del rec["from"], rec["to"]
        when(rec, r.start, r.end)
        G.add_edge(r.from_, r.to, key,
                   **{k: _text(v) for k, v in rec.items() if v not in (None, ())})
    return G


def write_gexf(facts: FactBase, path: Path) -> list[Path]:
    """GEXF 1.2 for Gephi: typed attributes, dates as time intervals."""
    G = plain_graph(facts, timeline=True)
    for u, v, k, d in G.edges(keys=True, data=True):
        d["id"] = k  # the relation's key as the GEXF edge id, not a counter
    with atomic(path, binary=True) as fh:
        nx.write_gexf(G, fh)
    return [path]


def write_graphml(facts: FactBase, path: Path) -> list[Path]:
    """GraphML with typed keys (networkx's writer); edge ids are the relations' keys."""
    with atomic(path, binary=True) as fh:
        nx.write_graphml(plain_graph(facts), fh)
    return [path]


def write_json(facts: FactBase, path: Path) -> list[Path]:
    """Node-link JSON, the layout of :func:`networkx.node_link_data` (``edges="links"``)::

        {"format": "regulink-node-link", "version": 1, "directed": true, "multigraph": true,
         "graph": {"name": "regulink"},
         "nodes": [{"id", "kind", "name", "short_name", "aliases": [...], "jurisdiction",
                    "url", "description", "start", "end"}],
         "links": [{"source", "target", "key", "type", "label", "class", "temporal",
                    "symmetric", "start", "end", "role", "status", "note",
                    "sources": [ids], "source_urls": [...]}],
         "sources": [{"id", "kind", "publisher", "title", "date", "url"}]}

    Absent values are ``null``; dates are partial ISO dates as in the facts.
    """
    links = []
    for r in facts.relations:
        rec = relation_record(r, facts.sources)
        rec["source"], rec["target"] = rec.pop("from"), rec.pop("to")
        links.append(rec)
    doc = {"format": "regulink-node-link", "version": JSON_FORMAT, "directed": True,
           "multigraph": True, "graph": {"name": "regulink"},
           "nodes": [entity_record(e) for e in facts.entities.values()],
           "links": links,
           "sources": [source_record(s) for s in facts.sources.values()]}
    with atomic(path, binary=True) as fh:
        fh.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    return [path]
