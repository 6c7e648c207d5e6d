"""Writing a selection of the facts in the formats other tools read.

One module per family of formats, one writer per format, all with the same signature
``write(facts, path) -> list[Path]`` (the files written). :func:`export` cuts the selection
(:func:`regulink.graph.selection.select_facts`) and calls the writer; every file is written
beside its target under a temporary name and renamed into place, so a failed export leaves
no half-written file.

=============  ===========================================================  =========
format         what                                                          ``path``
=============  ===========================================================  =========
gexf           GEXF 1.2 for Gephi; dates as time intervals (timeline)         a file
graphml        GraphML for Gephi, yEd, networkx                               a file
json           node-link JSON (networkx's ``node_link_graph`` reads it)       a file
csv            ``entities.csv``, ``relations.csv``, ``sources.csv``           a folder
cypher         a script of parameter-free statements (``cypher-shell -f``)    a file
neo4j-admin    header-format CSVs for ``neo4j-admin database import full``    a folder
ftm            FollowTheMoney entities, one JSON object per line              a file
=============  ===========================================================  =========
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from regulink.errors import RegulinkError
from regulink.graph.model import FactBase

__all__ = ["FORMATS", "ExportError", "ExportReport", "export", "writer"]

#: format name -> (module, function, whether ``path`` is a folder)
FORMATS: dict[str, tuple[str, str, bool]] = {
    "gexf": ("graphs", "write_gexf", False),
    "graphml": ("graphs", "write_graphml", False),
    "json": ("graphs", "write_json", False),
    "csv": ("tables", "write_csv", True),
    "cypher": ("cypher", "write_cypher", False),
    "neo4j-admin": ("tables", "write_neo4j_admin", True),
    "ftm": ("ftm", "write_ftm", False),
}


class ExportError(RegulinkError):
    """An export that cannot be written (unknown format, unwritable path, missing library)."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote: the format, the files, and how much of the facts."""

    format: str
    files: tuple[str, ...]
    entities: int
    relations: int
    sources: int

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "files": list(self.files),
            "entities": self.entities,
            "relations": self.relations,
            "sources": self.sources,
        }


def writer(fmt: str):
    """The writer function of a format (its module is imported on first use)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(FORMATS)}")
    module, name, _ = FORMATS[fmt]
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def export(
    facts: FactBase,
    fmt: str,
    path: str | os.PathLike,
    *,
    focus: str | None = None,
    hops: int = 1,
    as_of: str | None = None,
    kinds: Collection[str] | None = None,
    types: Collection[str] | None = None,
    structural: bool = False,
) -> ExportReport:
    """Write the selected facts to ``path`` in format ``fmt`` (see the table above)."""
    from regulink.graph.selection import select_facts

    write = writer(fmt)
    chosen = select_facts(
        facts, focus=focus, hops=hops, as_of=as_of, kinds=kinds, types=types, structural=structural
    )
    target = Path(path)
    if FORMATS[fmt][2]:
        if target.exists() and not target.is_dir():
            raise ExportError(f"{target} is a file; the {fmt} format writes a folder")
    elif target.is_dir():
        raise ExportError(f"{target} is a folder; the {fmt} format writes one file")
    try:
        if FORMATS[fmt][2]:
            target.mkdir(parents=True, exist_ok=True)
        files = write(chosen, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    return ExportReport(
        fmt,
        tuple(str(f) for f in files),
        len(chosen.entities),
        len(chosen.relations),
        len(chosen.sources),
    )
