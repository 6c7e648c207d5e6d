"""Graph file formats: GEXF (Gephi), GraphML (Gephi, yEd, networkx) and node-link JSON.

GEXF and GraphML are streamed element by element (networkx's writers build the whole
document in memory first: 11.2 and 7.5 s of CPU at 100k relations, against 4.7 and 3.9 s;
benchmarks/export.py); the attributes are those of :func:`regulink.graph.plain.plain_graph`,
text and booleans only, and networkx reads both back (tested). GEXF gives each entity its
life and each relation its effective interval as a time interval (partial dates widened: a
start to its first day, an end to its last), so Gephi's timeline plays the graph; a
relation's own dates as stated stay in the ``dates`` attribute.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from regulink.graph.model import FactBase
from regulink.graph.plain import (
    EDGE_ATTRIBUTES,
    NODE_ATTRIBUTES,
    edge_attributes,
    entity_record,
    node_attributes,
    relation_record,
    source_record,
)
from regulink.loaders.export._common import atomic

__all__ = ["JSON_FORMAT", "write_gexf", "write_graphml", "write_json"]

#: The version of the node-link JSON layout below (bump on any incompatible change).
JSON_FORMAT = 1


# XML escaping in one C-level pass (str.translate): 5 times faster than saxutils' chain of
# replaces, which cost half the time of a GEXF file. In attributes, tab, CR and LF become
# character references so the text reads back exactly; in element text a CR LF reads back
# as LF, as XML says.
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def _text(value) -> str:
    return "true" if value is True else "false" if value is False else value.translate(_TEXT)


def _attr(value) -> str:
    if value is True or value is False:
        return '"true"' if value else '"false"'
    return '"' + value.translate(_ATTR) + '"'


def write_gexf(facts: FactBase, path: Path) -> list[Path]:
    """GEXF 1.2 for Gephi: typed attributes, and each entity's and relation's dates as its
    time interval (``start``/``end`` of the element, ``timeformat="date"``)."""
    # Streamed: networkx's writer builds the whole tree first (46 s at 100k relations).
    node_ids = {name: str(i) for i, (name, _) in enumerate(NODE_ATTRIBUTES)}
    edge_ids = {name: str(i) for i, (name, _) in enumerate(EDGE_ATTRIBUTES)}
    spell = ("label", "start", "end")

    def attvalues(attrs: dict, ids: dict[str, str]) -> str:
        vals = "".join(
            f'<attvalue for="{ids[k]}" value={_attr(v)}/>'
            for k, v in attrs.items()
            if k not in spell
        )
        return f"<attvalues>{vals}</attvalues>" if vals else ""

    def element_head(attrs: dict) -> str:
        return "".join(f" {k}={_attr(attrs[k])}" for k in spell if k in attrs)

    with atomic(path, newline="\n") as fh:
        fh.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gexf xmlns="http://www.gexf.net/1.2draft" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
            '"http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
            'version="1.2">\n<meta><creator>regulink</creator></meta>\n'
            '<graph defaultedgetype="directed" mode="dynamic" timeformat="date" '
            'name="regulink">\n'
        )
        for cls, keys, ids in (
            ("node", NODE_ATTRIBUTES, node_ids),
            ("edge", EDGE_ATTRIBUTES, edge_ids),
        ):
            fh.write(f'<attributes class="{cls}" mode="static">\n')
            for name, kind in keys:
                if name not in spell:
                    fh.write(f'<attribute id="{ids[name]}" title="{name}" type="{kind}"/>\n')
            fh.write("</attributes>\n")
        fh.write("<nodes>\n")
        for e in facts.entities.values():
            a = node_attributes(e, timeline=True)
            fh.write(f"<node id={_attr(e.id)}{element_head(a)}>{attvalues(a, node_ids)}</node>\n")
        fh.write("</nodes>\n<edges>\n")
        for r in facts.relations:
            a = edge_attributes(r, facts.sources, facts.entities, timeline=True)
            fh.write(
                f"<edge id={_attr(r.key)} source={_attr(r.from_)} target={_attr(r.to)}"
                f"{element_head(a)}>{attvalues(a, edge_ids)}</edge>\n"
            )
        fh.write("</edges>\n</graph>\n</gexf>\n")
    return [path]


def write_graphml(facts: FactBase, path: Path) -> list[Path]:
    """GraphML with typed keys; node ids are entity ids, edge ids the relations' keys."""
    keys = [
        ("node", f"n{i}", name, kind)
        for i, (name, kind) in enumerate(NODE_ATTRIBUTES)
        if name != "dates"
    ]
    keys += [
        ("edge", f"e{i}", name, kind)
        for i, (name, kind) in enumerate(EDGE_ATTRIBUTES)
        if name != "dates"
    ]
    ids = {(cls, name): key for cls, key, name, _ in keys}

    def data(cls: str, attrs: dict) -> str:
        return "".join(f'<data key="{ids[cls, k]}">{_text(v)}</data>' for k, v in attrs.items())

    with atomic(path, newline="\n") as fh:
        fh.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
            '"http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        for cls, key, name, kind in keys:
            fh.write(f'<key id="{key}" for="{cls}" attr.name="{name}" attr.type="{kind}"/>\n')
        fh.write('<graph id="regulink" edgedefault="directed">\n')
        for e in facts.entities.values():
            fh.write(f"<node id={_attr(e.id)}>{data('node', node_attributes(e))}</node>\n")
        for r in facts.relations:
            fh.write(
                f"<edge id={_attr(r.key)} source={_attr(r.from_)} target={_attr(r.to)}>"
                f"{data('edge', edge_attributes(r, facts.sources, facts.entities))}</edge>\n"
            )
        fh.write("</graph>\n</graphml>\n")
    return [path]


def write_json(facts: FactBase, path: Path) -> list[Path]:
    """Node-link JSON, the layout of :func:`networkx.node_link_data` (``edges="links"``)::

        {"format": "regulink-node-link", "version": 1, "directed": true, "multigraph": true,
         "graph": {"name": "regulink"},
         "nodes": [{"id", "kind", "name", "short_name", "aliases": [...], "jurisdiction",
                    "url", "description", "start", "end"}],
         "links": [{"source", "target", "key", "type", "label", "class", "temporal",
                    "symmetric", "start", "end", "effective_start", "effective_end",
                    "end_derived", "undated", "role", "status", "note",
                    "sources": [ids], "source_urls": [...]}],
         "sources": [{"id", "kind", "publisher", "title", "date", "url"}]}

    Absent values are ``null``; dates are partial ISO dates as in the facts.
    """
    links = []
    for r in facts.relations:
        rec = relation_record(r, facts.sources, facts.entities)
        rec["source"], rec["target"] = rec.pop("from"), rec.pop("to")
        links.append(rec)
    doc = {
        "format": "regulink-node-link",
        "version": JSON_FORMAT,
        "directed": True,
        "multigraph": True,
        "graph": {"name": "regulink"},
        "nodes": [entity_record(e) for e in facts.entities.values()],
        "links": links,
        "sources": [source_record(s) for s in facts.sources.values()],
    }
    with atomic(path, binary=True) as fh:
        fh.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    return [path]
