"""Graph file formats: GEXF (Gephi), GraphML (Gephi, yEd, networkx) and node-link JSON.

GEXF and GraphML are written by networkx's own writers from a graph whose attributes are
all text or booleans (lists joined with ``"; "``, absent values left out), which both
formats require. GEXF gives each entity and relation its dates as a time interval (partial
dates widened: a start to its first day, an end to its last), so Gephi's timeline plays the
graph; the dates as stated stay in the ``dates`` attribute.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import orjson

from regulink.graph.model import FactBase
from regulink.graph.plain import entity_record, plain_graph, relation_record, source_record
from regulink.loaders.export._common import atomic

__all__ = ["write_gexf", "write_graphml", "write_json", "JSON_FORMAT"]

#: The version of the node-link JSON layout below (bump on any incompatible change).
JSON_FORMAT = 1


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
