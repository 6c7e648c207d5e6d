r"""A Cypher script that recreates the graph in any Neo4j 5: statements without parameters.

The graph is the one ``regulink load`` builds (see :mod:`regulink.loaders.store.base`):
``:Entity:<Kind>`` and ``:Source`` nodes keyed by ``id``, one relationship type per relation
type keyed by ``key``. Every statement is one line ending in ``;`` (``cypher-shell -f FILE``
runs it; so does any client that splits on line ends). Values are literals built here, and
only here: strings in single quotes with backslash escapes for the quote, the backslash and
every control or line-separating character, so no value can end a string or a statement;
labels and types come from the vocabulary. ``MERGE`` makes a rerun change nothing.

Examples
--------
>>> print(literal("O'Brien, C:\\ 🙂\n"))
'O\'Brien, C:\\ 🙂\n'
>>> literal(("a", "b")), literal(True), literal(None)
("['a', 'b']", 'true', 'null')
>>> literal({"id": "x", "n": 2})
"{id: 'x', n: 2}"
"""

from __future__ import annotations

import re
from pathlib import Path

from regulink.graph.model import FactBase
from regulink.loaders.export._common import atomic
from regulink.loaders.store.base import graph_groups

__all__ = ["BATCH", "literal", "statements", "write_cypher"]

#: Rows per UNWIND statement: long enough to be fast, short enough for any client.
BATCH = 500

# Backslash, quotes and every character that could break a line or a string.
_ESCAPE = re.compile(r"[\\'\"\x00-\x1f\x7f\u0085\u2028\u2029]")
_NAMED = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _escape(m: re.Match) -> str:
    c = m.group()
    return _NAMED.get(c) or f"\\u{ord(c):04x}"


def literal(value) -> str:
    """A Cypher literal for ``value`` (str, bool, int, float, None, tuple/list, dict)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + _ESCAPE.sub(_escape, value) + "'"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(map(literal, value)) + "]"
    if isinstance(value, dict):
        for k in value:
            if not _KEY.match(k):  # keys are our field names; never a user's text
                raise ValueError(f"not a plain property name: {k!r}")
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _present(row: dict) -> dict:
    # As in the stores: absent values and empty lists are left out, not stored as null.
    return {k: v for k, v in row.items() if v is not None and v != ()}


def _unwind(rows: list[dict], body: str):
    for i in range(0, len(rows), BATCH):
        yield f"UNWIND {literal(rows[i : i + BATCH])} AS row {body};"


def statements(facts: FactBase):
    """The script's statements, one string each (without line ends)."""
    yield (
        "CREATE CONSTRAINT regulink_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;"
    )
    yield (
        "CREATE CONSTRAINT regulink_source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;"
    )
    # The store's own description of the graph, so the script builds what 'regulink load'
    # builds: nodes by label set, then relationships by type.
    for g in graph_groups(facts):
        if g.labels:
            rows = [_present(dict(zip(g.fields, rec, strict=False))) for rec in g.records]
            yield from _unwind(rows, f"MERGE (n:{':'.join(g.labels)} {{id: row.id}}) SET n += row")
        else:
            rows = [
                {
                    "a": rec[0],
                    "b": rec[1],
                    "p": _present(dict(zip(g.fields, rec[2:], strict=False))),
                }
                for rec in g.records
            ]
            yield from _unwind(
                rows,
                "MATCH (a:Entity {id: row.a}) MATCH (b:Entity {id: row.b}) "
                f"MERGE (a)-[r:{g.rel_type} {{key: row.p.key}}]->(b) "
                "SET r += row.p",
            )


def write_cypher(facts: FactBase, path: Path) -> list[Path]:
    """The script, UTF-8, one statement per line after a comment saying how to run it."""
    with atomic(path, newline="\n") as fh:
        fh.write(
            f"// regulink graph: {len(facts.entities)} entities, {len(facts.relations)} "
            f"relations, {len(facts.sources)} sources. Run: cypher-shell -f {path.name}\n"
        )
        for s in statements(facts):
            fh.write(s)
            fh.write("\n")
    return [path]
