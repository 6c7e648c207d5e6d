"""Tabular formats: plain CSV files, and the header-format CSVs of ``neo4j-admin``.

``csv`` writes ``entities.csv``, ``relations.csv`` and ``sources.csv`` (UTF-8, a header row,
RFC 4180 quoting; lists joined with ``"; "``, absent values empty).

``neo4j-admin`` writes the same graph as ``regulink load`` builds in a store (see
:mod:`regulink.loaders.store.base`): ``:Entity:<Kind>`` and ``:Source`` nodes, one
relationship type per relation type, lists as ``string[]`` properties. Load it into a
stopped, empty database with::

    neo4j-admin database import full --nodes=entities.csv --nodes=sources.csv \\
        --relationships=relations.csv --multiline-fields=true neo4j

Examples
--------
>>> neo4j_header(("id", "aliases", "sources"), id_space="Entity")
['id:ID(Entity)', 'aliases:string[]', 'sources:string[]']
"""

from __future__ import annotations

import csv
from pathlib import Path

from regulink.graph.model import FactBase
from regulink.graph.plain import (
    ENTITY_FIELDS,
    MULTI_SEPARATOR,
    RELATION_FIELDS,
    SOURCE_FIELDS,
    entity_record,
    relation_record,
    source_record,
)
from regulink.loaders.export._common import atomic
from regulink.loaders.store.base import graph_groups

__all__ = ["ARRAY_DELIMITER", "neo4j_header", "write_csv", "write_neo4j_admin"]

#: neo4j-admin's default array delimiter; no list value may contain it.
ARRAY_DELIMITER = ";"
# Properties that hold lists in the store's graph model.
_LISTS = frozenset({"aliases", "sources"})


def _cell(value):
    if isinstance(value, tuple):
        return MULTI_SEPARATOR.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_table(path: Path, header, rows) -> Path:
    with atomic(path, newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def write_csv(facts: FactBase, folder: Path) -> list[Path]:
    """``entities.csv``, ``relations.csv`` and ``sources.csv`` in ``folder``."""
    tables = [
        ("entities.csv", ENTITY_FIELDS, map(entity_record, facts.entities.values())),
        (
            "relations.csv",
            RELATION_FIELDS,
            (relation_record(r, facts.sources, facts.entities) for r in facts.relations),
        ),
        ("sources.csv", SOURCE_FIELDS, map(source_record, facts.sources.values())),
    ]
    return [
        _write_table(folder / name, fields, ([_cell(rec[f]) for f in fields] for rec in records))
        for name, fields, records in tables
    ]


def neo4j_header(fields, *, id_space: str | None = None) -> list[str]:
    """Header cells for ``neo4j-admin``: the id column of an id space, typed list columns."""
    out = []
    for f in fields:
        if f == "id" and id_space:
            out.append(f"id:ID({id_space})")
        elif f in _LISTS:
            out.append(f"{f}:string[]")
        else:
            out.append(f)
    return out


def _array(value: tuple, where: str) -> str:
    for item in value:
        if ARRAY_DELIMITER in item:
            from regulink.loaders.export import ExportError

            raise ExportError(
                f"{where}: {item!r} contains {ARRAY_DELIMITER!r}, neo4j-admin's "
                "array delimiter; use another format or remove it"
            )
    return ARRAY_DELIMITER.join(value)


def write_neo4j_admin(facts: FactBase, folder: Path) -> list[Path]:
    """``entities.csv``, ``sources.csv`` and ``relations.csv`` in neo4j-admin's header format,
    from the store's own description of the graph (:func:`graph_groups`)."""
    groups = graph_groups(facts)
    nodes = {
        "Entity": [g for g in groups if g.labels[:1] == ("Entity",)],
        "Source": [g for g in groups if g.labels == ("Source",)],
    }
    rels = [g for g in groups if g.rel_type]

    def cells(rec, where: str) -> list:
        return [_array(v, where) if isinstance(v, tuple) else v for v in rec]

    written = []
    for space, name, fields in (
        ("Entity", "entities.csv", ENTITY_FIELDS),
        ("Source", "sources.csv", SOURCE_FIELDS),
    ):
        written.append(
            _write_table(
                folder / name,
                [
                    *neo4j_header(
                        nodes[space][0].fields if nodes[space] else fields, id_space=space
                    ),
                    ":LABEL",
                ],
                (
                    [*cells(rec, f"{space.lower()} {rec[0]}"), ";".join(g.labels)]
                    for g in nodes[space]
                    for rec in g.records
                ),
            )
        )
    rel_fields = rels[0].fields if rels else ("key",)
    written.append(
        _write_table(
            folder / "relations.csv",
            [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", *neo4j_header(rel_fields)],
            (
                [rec[0], rec[1], g.rel_type, *cells(rec[2:], f"relation {rec[2]}")]
                for g in rels
                for rec in g.records
            ),
        )
    )
    return written
