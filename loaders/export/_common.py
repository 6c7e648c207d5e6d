"""What the writers share: atomic files and the flat records every tabular format takes.

Examples
--------
>>> from regulink.graph.model import Relation, Source
>>> r = Relation("partners_with", "a", "b", "2021", None, None, None, ("s",), symmetric=True)
>>> row = relation_record(r, {"s": Source("s", "news", "P", "T", None, "https://x.org/")})
>>> row["label"], row["class"], row["temporal"], row["source_urls"]
('partners with', 'substantive', 'state', ('https://x.org/',))
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from regulink.graph.model import Entity, Relation, Source
from regulink.graph.schema import load_schema

__all__ = ["atomic", "entity_record", "relation_record", "source_record", "ENTITY_FIELDS",
           "RELATION_FIELDS", "SOURCE_FIELDS", "MULTI_SEPARATOR"]

#: How lists (aliases, sources) are joined where a format holds only text.
MULTI_SEPARATOR = "; "

ENTITY_FIELDS = ("id", "kind", "name", "short_name", "aliases", "jurisdiction", "url",
                 "description", "start", "end")
RELATION_FIELDS = ("key", "type", "from", "to", "label", "class", "temporal", "symmetric",
                   "start", "end", "role", "status", "note", "sources", "source_urls")
SOURCE_FIELDS = ("id", "kind", "publisher", "title", "date", "url")


@contextlib.contextmanager
def atomic(path: Path, *, newline: str | None = None, binary: bool = False) -> Iterator[IO]:
    """An open file that replaces ``path`` only once it is completely written."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else
                       {"encoding": "utf-8", "newline": newline})) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def entity_record(e: Entity) -> dict:
    """An entity's fields; ``aliases`` a tuple, absent values ``None``."""
    return {"id": e.id, "kind": e.kind, "name": e.name, "short_name": e.short_name,
            "aliases": e.aliases, "jurisdiction": e.jurisdiction, "url": e.url,
            "description": e.description, "start": e.start, "end": e.end}


def relation_record(r: Relation, sources: dict[str, Source]) -> dict:
    """A relation's fields, with how it reads, its class and temporal nature from the schema
    and the URLs of its sources (those that have one)."""
    rt = load_schema().relation_types[r.type]
    urls = tuple(s.url for s in (sources.get(i) for i in r.sources) if s and s.url)
    return {"key": r.key, "type": r.type, "from": r.from_, "to": r.to, "label": rt.label,
            "class": rt.relation_class, "temporal": rt.temporal, "symmetric": r.symmetric,
            "start": r.start, "end": r.end, "role": r.role, "status": r.status,
            "note": r.note, "sources": r.sources, "source_urls": urls}


def source_record(s: Source) -> dict:
    return {"id": s.id, "kind": s.kind, "publisher": s.publisher, "title": s.title,
            "date": s.date, "url": s.url}
