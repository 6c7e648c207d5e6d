"""What every graph store shares: the interface, the graph model, result values.

The graph model (one statement list, used by both backends):

- every entity is a node ``(:Entity:<KindLabel> {id, kind, name, short_name, aliases,
  jurisdiction, url, description})``;
- every source is a node ``(:Source {id, kind, publisher, title, date, url})``;
- every relation is a relationship ``-[:<UPPER_SNAKE_TYPE> {key, id, start, end, role, status,
  note, sources}]->`` from its ``from`` to its ``to`` entity, where ``sources`` is the list of
  the ids of its :Source nodes;
- one ``(:RegulinkMeta {id: 'graph', fingerprint, loaded_at, entities, relations, sources,
  regulink_version})`` node says what was loaded.

Labels and relationship types are spliced into Cypher text only from the schema objects
(:mod:`regulink.graph.schema` checks them against ``[A-Za-z][A-Za-z0-9_]*``); every value
travels as a parameter. Absent values are left out rather than stored as null, and dates stay
the ISO strings of the facts (``2022``, ``2022-05``, ``2022-05-31``) so that every store and
driver reads them the same way.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation, Source
>>> fb = FactBase(
...     entities={"mas": Entity("mas", "central_bank", "Monetary Authority of Singapore",
...                             "MAS", (), "SG"),
...               "g": Entity("g", "project", "Project Guardian", None, (), "SG")},
...     relations=[Relation("launched", "mas", "g", "2022", None, None, None, ("s",))],
...     sources={"s": Source("s", "press_release", "MAS", "Launch", "2022-05-31", None)})
>>> [(s.cypher.split("\\n")[1], len(s.rows)) for s in graph_statements(fb)]
[('CREATE (n:Entity:CentralBank)', 1), ('CREATE (n:Entity:Project)', 1), \
('CREATE (s:Source)', 1), ('MATCH (a:Entity {id: row.from_id})', 1)]
>>> looks_like_write("MATCH (n) WHERE n.name = 'CREATE' RETURN n") is None
True
>>> looks_like_write("match (n) detach delete n")
'DELETE'
"""

from __future__ import annotations

import hashlib
import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from regulink.graph.model import FactBase
from regulink.graph.schema import Schema, load_schema

__all__ = [
    "Store", "Statement", "QueryResult", "Progress", "GRAPH_NAME", "graph_statements",
    "graph_meta", "fingerprint", "looks_like_write", "DEFAULT_BATCH",
]

GRAPH_NAME = "regulink"
DEFAULT_BATCH = 2000

#: ``progress(done, total)``: rows written so far out of all rows of a load.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Statement:
    """One parameterised Cypher statement, run once per batch of ``rows`` (as ``$rows``).

    ``labels`` (for statements creating nodes, whose rows are their properties) or
    ``rel_type`` (for statements creating relationships, whose rows are ``{from_id, to_id,
    props}``) say what the statement builds, so that a store with a faster write path than
    Cypher (FalkorDB's bulk insert, :mod:`.bulk`) can build the same graph from the rows.
    """

    cypher: str
    rows: list[dict]
    labels: tuple[str, ...] = ()
    rel_type: str | None = None


@dataclass(slots=True)
class QueryResult:
    """Column names and rows of plain Python values (str, int, float, bool, None, list, dict).

    Nodes become ``{"_labels": [...], **properties}``, relationships ``{"_type": ...,
    **properties}``, paths the list of their nodes and relationships in order, temporal
    values ISO strings. ``counters`` holds what a write changed, where the store says.
    """

    columns: list[str]
    rows: list[list[Any]]
    counters: dict[str, int] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name (the ``--json`` shape)."""
        return [dict(zip(self.columns, row)) for row in self.rows]


class Store(ABC):
    """A Cypher graph store holding one regulink graph.

    Backends: :class:`~regulink.loaders.store.falkor.FalkorLiteStore` (embedded) and
    :class:`~regulink.loaders.store.bolt.Neo4jStore` (Bolt). Use as a context manager.
    """

    #: short backend name shown to users
    backend: str = ""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the graph lives (a file path or a URI), for messages."""

    @abstractmethod
    def replace_graph(self, statements: list[Statement], meta: dict, *,
                      progress: Progress | None = None, lock_timeout: float = 300.0) -> None:
        """Atomically replace the stored graph with the one the statements build.

        Until it returns, readers see the previous graph whole; if it fails or is killed,
        the previous graph stays. Concurrent calls do not interleave.
        """

    @abstractmethod
    def run(self, cypher: str, params: dict | None = None, *, write: bool = False,
            timeout: float | None = None) -> QueryResult:
        """Run one Cypher query; read-only unless ``write``; stopped after ``timeout`` s."""

    def meta(self) -> dict | None:
        """The :RegulinkMeta properties of the stored graph, or None if nothing is loaded."""
        res = self.run("MATCH (m:RegulinkMeta {id: 'graph'}) RETURN m")
        if not res.rows:
            return None
        return {k: v for k, v in res.rows[0][0].items() if k != "_labels"}

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (and stop an embedded server this store started)."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _clean(d: dict) -> dict:
    # Null and empty values are left out: Cypher treats a missing property as null anyway,
    # and FalkorDB and Neo4j differ on storing empty lists in some versions.
    return {k: v for k, v in d.items() if v is not None and v != [] and v != ()}


def _batches(rows: list[dict], size: int) -> Iterable[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def graph_statements(facts: FactBase, *, schema: Schema | None = None,
                     batch_size: int = DEFAULT_BATCH) -> list[Statement]:
    """The batched UNWIND statements that build the graph of ``facts`` in an empty graph.

    Nodes come first (by kind, then sources), relationships last (by type), so every
    relationship finds both its ends.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    schema = schema or load_schema()
    out: list[Statement] = []
    by_kind: dict[str, list[dict]] = {}
    for e in facts.entities.values():
        row = _clean(e.as_dict())
        by_kind.setdefault(e.kind, []).append(row)
    for kind in schema.kinds.values():
        rows = by_kind.get(kind.name, [])
        cypher = f"UNWIND $rows AS row\nCREATE (n:Entity:{kind.label})\nSET n = row"
        out.extend(Statement(cypher, b, labels=("Entity", kind.label))
                   for b in _batches(rows, batch_size))
    srows = [_clean(s.as_dict()) for s in facts.sources.values()]
    out.extend(Statement("UNWIND $rows AS row\nCREATE (s:Source)\nSET s = row", b,
                         labels=("Source",))
               for b in _batches(srows, batch_size))
    by_type: dict[str, list[dict]] = {}
    for r in facts.relations:
        props = _clean({"key": r.key, "id": r.id, "start": r.start, "end": r.end,
                        "role": r.role, "status": r.status, "note": r.note,
                        "sources": list(r.sources)})
        by_type.setdefault(r.type, []).append({"from_id": r.from_, "to_id": r.to,
                                               "props": props})
    for rtype in schema.relation_types.values():
        rows = by_type.get(rtype.name, [])
        cypher = ("UNWIND $rows AS row\n"
                  "MATCH (a:Entity {id: row.from_id})\n"
                  "MATCH (b:Entity {id: row.to_id})\n"
                  f"CREATE (a)-[r:{rtype.cypher_type}]->(b)\n"
                  "SET r = row.props")
        out.extend(Statement(cypher, b, rel_type=rtype.cypher_type)
                   for b in _batches(rows, batch_size))
    return out


def fingerprint(facts: FactBase) -> str:
    """A digest of the facts' content (order-independent), to tell whether a load changed it."""
    h = hashlib.sha256()
    parts = sorted(json.dumps(e.as_dict(), sort_keys=True) for e in facts.entities.values())
    parts += sorted(json.dumps(r.as_dict(), sort_keys=True) for r in facts.relations)
    parts += sorted(json.dumps(s.as_dict(), sort_keys=True) for s in facts.sources.values())
    for p in parts:
        h.update(p.encode())
        h.update(b"\n")
    return h.hexdigest()


def graph_meta(facts: FactBase, version: str) -> dict:
    """The properties of the :RegulinkMeta node for a load of ``facts``."""
    return {
        "id": "graph",
        "fingerprint": fingerprint(facts),
        "loaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "entities": len(facts.entities),
        "relations": len(facts.relations),
        "sources": len(facts.sources),
        "regulink_version": version,
    }


# Strings, quoted identifiers and comments first, so keywords inside them are ignored.
_SKIP = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/",
                   re.S)
_WRITE_WORDS = re.compile(
    r"(?<![.\w$])(CREATE|MERGE|SET|DELETE|REMOVE|DROP|FOREACH|LOAD\s+CSV)(?![\w:])", re.I)


def looks_like_write(cypher: str) -> str | None:
    """The first write clause keyword in ``cypher`` outside strings and comments, if any.

    Used only for servers that do not enforce read-only access themselves (FalkorDB's Bolt
    listener, measured); the others refuse writes on their own.
    """
    m = _WRITE_WORDS.search(_SKIP.sub(" ", cypher))
    return re.sub(r"\s+", " ", m.group(1)).upper() if m else None
