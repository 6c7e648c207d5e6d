"""What every graph store shares: the interface, the graph model, result values.

The graph model (one statement list, used by both backends):

- every entity is a node ``(:Entity:<KindLabel> {id, kind, name, short_name, aliases,
  jurisdiction, url, description, start, end})``;
- every source is a node ``(:Source {id, kind, publisher, title, date, url})``;
- every relation is a relationship ``-[:<UPPER_SNAKE_TYPE> {key, class, id, start, end, role,
  status, note, sources}]->`` from its ``from`` to its ``to`` entity, where ``class`` is its
  type's class in the schema (``structural`` or ``substantive``) and ``sources`` is the list
  of the ids of its :Source nodes;
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
('CREATE (n:Source)', 1), ('MATCH (a:Entity {id: row.from_id})', 1)]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

import orjson
import xxhash

from regulink.graph.model import ENTITY_FIELDS, FactBase
from regulink.graph.schema import Schema, load_schema

#: The meta node's properties, or a function that returns them once the graph is written
#: (so that a digest of the facts can be computed meanwhile).
Meta = dict | Callable[[], dict]


_SUM_MODULUS = 1 << 128


def meta_of(meta: Meta) -> dict:
    """The properties ``meta`` stands for."""
    return meta() if callable(meta) else meta


__all__ = [
    "DEFAULT_BATCH",
    "GRAPH_NAME",
    "Group",
    "Meta",
    "Progress",
    "QueryResult",
    "Statement",
    "Store",
    "add_parts",
    "digest",
    "digest_parts",
    "fingerprint",
    "graph_groups",
    "graph_meta",
    "graph_meta_for",
    "graph_statements",
    "group_statements",
    "meta_of",
]

GRAPH_NAME = "regulink"
DEFAULT_BATCH = 2000

#: ``progress(done, total)``: rows written so far out of all rows of a load.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Statement:
    """One parameterised Cypher statement, run once per batch of ``rows`` (as ``$rows``)."""

    cypher: str
    rows: list[dict]


@dataclass(frozen=True, slots=True)
class Group:
    """All nodes of one label set, or all relationships of one type, as columns of values.

    The one description of what a load writes, from which each store takes its own write
    path: Cypher ``UNWIND`` batches (:func:`group_statements`) or FalkorDB's bulk insert
    (:mod:`.bulk`). ``records`` hold the values of ``fields`` in order; a relationship's
    record starts with the ids of its ``from`` and ``to`` entities. ``None`` and empty lists
    mean "no such property".
    """

    fields: tuple[str, ...]
    records: list[tuple]
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
        return [dict(zip(self.columns, row, strict=False)) for row in self.rows]


class Store(ABC):
    """A Cypher graph store holding one regulink graph.

    Backends: :class:`~regulink.loaders.store.falkor.FalkorLiteStore` (embedded) and
    :class:`~regulink.loaders.store.bolt.Neo4jStore` (Bolt). Use as a context manager.
    """

    #: short backend name shown to users
    backend: str = ""
    #: Whether :meth:`replace_graph` records in ``replaced_meta`` the meta of the graph it
    #: replaced, read under its lock (so a load's "changed" cannot miss a concurrent load).
    records_replaced_meta: bool = False
    replaced_meta: dict | None = None

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the graph lives (a file path or a URI), for messages."""

    @abstractmethod
    def replace_graph(
        self,
        groups: list[Group],
        meta: Meta,
        *,
        batch_size: int | None = None,
        progress: Progress | None = None,
        lock_timeout: float = 300.0,
    ) -> None:
        """Atomically replace the stored graph with the one ``groups`` describe.

        ``groups`` is the store's to consume: it may be emptied once written.

        ``batch_size``: rows per write (the store's own default if None); ``progress(done,
        total)`` after each.

        Until it returns, readers see the previous graph whole; if it fails or is killed,
        the previous graph stays. Concurrent calls do not interleave.
        """

    @abstractmethod
    def run(
        self,
        cypher: str,
        params: dict | None = None,
        *,
        write: bool = False,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run one Cypher query; read-only unless ``write``; stopped after ``timeout`` s."""

    def meta(self) -> dict | None:
        """The :RegulinkMeta properties of the stored graph, or None if nothing is loaded."""
        res = self.run("MATCH (m:RegulinkMeta {id: 'graph'}) RETURN m")
        if not res.rows:
            return None
        return {k: v for k, v in res.rows[0][0].items() if k != "_labels"}

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections (and stop an embedded server this store started)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_ENTITY_FIELDS = ENTITY_FIELDS
_SOURCE_FIELDS = ("id", "kind", "publisher", "title", "date", "url")
_RELATION_FIELDS = ("key", "class", "id", "start", "end", "role", "status", "note", "sources")


def graph_groups(facts: FactBase, *, schema: Schema | None = None) -> list[Group]:
    """What a load of ``facts`` writes: nodes by kind, then sources, then relationships by
    type, so that every relationship comes after both its ends.

    >>> from regulink.graph.model import Entity, FactBase
    >>> fb = FactBase(entities={"a": Entity("a", "regulator", "A", None, (), "SG")})
    >>> [(g.labels, g.records) for g in graph_groups(fb)]
    [(('Entity', 'Regulator'), [('a', 'regulator', 'A', None, (), 'SG', None, None, None, None)])]
    """
    schema = schema or load_schema()
    out: list[Group] = []
    entity_values = attrgetter(*_ENTITY_FIELDS)
    by_kind: dict[str, list[tuple]] = {}
    for e in facts.entities.values():
        rec = entity_values(e)
        found = by_kind.get(rec[1])
        if found is None:
            by_kind[rec[1]] = [rec]
        else:
            found.append(rec)
    for kind in schema.kinds.values():
        if kind.name in by_kind:
            out.append(Group(_ENTITY_FIELDS, by_kind[kind.name], labels=("Entity", kind.label)))
    if facts.sources:
        out.append(
            Group(
                _SOURCE_FIELDS,
                list(map(attrgetter(*_SOURCE_FIELDS), facts.sources.values())),
                labels=("Source",),
            )
        )
    by_type: dict[str, list[tuple]] = {}
    classes = {t.name: t.relation_class for t in schema.relation_types.values()}
    for r in facts.relations:
        rec = (
            r.from_,
            r.to,
            r.key,
            classes[r.type],
            r.id,
            r.start,
            r.end,
            r.role,
            r.status,
            r.note,
            r.sources,
        )
        found = by_type.get(r.type)
        if found is None:
            by_type[r.type] = [rec]
        else:
            found.append(rec)
    for rtype in schema.relation_types.values():
        if rtype.name in by_type:
            out.append(Group(_RELATION_FIELDS, by_type[rtype.name], rel_type=rtype.cypher_type))
    return out


def _present(v) -> bool:
    # Null and empty values are left out: Cypher treats a missing property as null anyway,
    # and FalkorDB and Neo4j differ on storing empty lists in some versions.
    return v is not None and v != () and v != []


def _row(fields: tuple[str, ...], values) -> dict:
    return {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in zip(fields, values, strict=False)
        if _present(v)
    }


def group_statements(groups: list[Group], *, batch_size: int = DEFAULT_BATCH) -> list[Statement]:
    """The batched ``UNWIND`` statements that build ``groups`` in an empty graph."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    out: list[Statement] = []
    for g in groups:
        if g.labels:
            cypher = f"UNWIND $rows AS row\nCREATE (n:{':'.join(g.labels)})\nSET n = row"
            rows = [_row(g.fields, rec) for rec in g.records]
        else:
            cypher = (
                "UNWIND $rows AS row\n"
                "MATCH (a:Entity {id: row.from_id})\n"
                "MATCH (b:Entity {id: row.to_id})\n"
                f"CREATE (a)-[r:{g.rel_type}]->(b)\n"
                "SET r = row.props"
            )
            rows = [
                {"from_id": rec[0], "to_id": rec[1], "props": _row(g.fields, rec[2:])}
                for rec in g.records
            ]
        out.extend(
            Statement(cypher, rows[i : i + batch_size]) for i in range(0, len(rows), batch_size)
        )
    return out


def graph_statements(
    facts: FactBase, *, schema: Schema | None = None, batch_size: int = DEFAULT_BATCH
) -> list[Statement]:
    """The batched UNWIND statements that build the graph of ``facts`` in an empty graph.

    Nodes come first (by kind, then sources), relationships last (by type), so every
    relationship finds both its ends.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return group_statements(graph_groups(facts, schema=schema), batch_size=batch_size)


def fingerprint(facts: FactBase, groups: list[Group] | None = None) -> str:
    """A digest of the facts' content (order-independent), to tell whether a load changed it.

    ``groups``: :func:`graph_groups` of ``facts`` if already made (they are the content);
    an empty list (as a store leaves it once written) is made again.

    >>> from regulink.graph.model import Entity, FactBase
    >>> a = Entity("a", "regulator", "A", None, (), "SG")
    >>> b = Entity("b", "regulator", "B", None, (), "SG")
    >>> fingerprint(FactBase({"a": a, "b": b})) == fingerprint(FactBase({"b": b, "a": a}))
    True
    """
    return digest(digest_parts(groups or graph_groups(facts)))


def digest_parts(groups: list[Group]) -> dict[tuple, tuple[int, int]]:
    """Per group (labels, type, fields): how many records, and the sum of their hashes.

    Each record is hashed on its own and the hashes added up, so the same facts in another
    order or other files give the same digest with no sort (1.0 s for a million relations,
    where sorting them and hashing the whole took 1.8 s), and the parts of a fact set split
    between processes add up (:func:`add_parts`) to those of the whole.
    """
    out: dict[tuple, tuple[int, int]] = {}
    for g in groups:
        total = sum(map(xxhash.xxh3_128_intdigest, map(orjson.dumps, g.records)))
        out = add_parts(out, {(g.labels, g.rel_type, g.fields): (len(g.records), total)})
    return out


def add_parts(a: dict, b: dict) -> dict:
    """The :func:`digest_parts` of two sets of records together."""
    out = dict(a)
    for key, (n, total) in b.items():
        n0, t0 = out.get(key, (0, 0))
        out[key] = (n0 + n, (t0 + total) % _SUM_MODULUS)
    return out


def digest(parts: dict[tuple, tuple[int, int]]) -> str:
    """The :func:`fingerprint` that ``parts`` make (groups in a fixed order)."""
    h = xxhash.xxh3_128()
    order = sorted(parts, key=lambda k: (k[1] is not None, k[1] or "", k[0], k[2]))
    for labels, rel_type, fields in order:
        n, total = parts[(labels, rel_type, fields)]
        if not n:
            continue
        h.update(orjson.dumps([labels, rel_type, fields, n]))
        h.update((total % _SUM_MODULUS).to_bytes(16, "little"))
    return h.hexdigest()


def graph_meta(
    facts: FactBase,
    version: str,
    groups: list[Group] | None = None,
    *,
    digest: str | None = None,
) -> dict:
    """The properties of the :RegulinkMeta node for a load of ``facts`` (``digest``: their
    :func:`fingerprint`, if already computed)."""
    counts = (len(facts.entities), len(facts.relations), len(facts.sources))
    return graph_meta_for(counts, version, digest or fingerprint(facts, groups))


def graph_meta_for(counts: tuple[int, int, int], version: str, digest: str) -> dict:
    """The :RegulinkMeta properties for a load of (entities, relations, sources) ``counts``
    with the facts' ``digest``."""
    return {
        "id": "graph",
        "fingerprint": digest,
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "entities": counts[0],
        "relations": counts[1],
        "sources": counts[2],
        "regulink_version": version,
    }
