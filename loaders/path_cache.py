"""Saved path indexes: ``regulink path`` on a million relations in well under a second.

A :class:`~regulink.graph.pathindex.PathIndex` of a validated fact set is written beside the
fact cache's entry for the same files (same key: the files' names, sizes and times, and the
code that decides validity; same check: every file's content hash), as one SQLite file:

- ``arrays``: the numpy arrays of the adjacency (read whole, a few milliseconds);
- ``entity``: node number and id (looked up one at a time: only the path's own entities);
- ``relation``: each relation as JSON (only the hops' relations are read);
- ``source``: each source's title, publisher, date and URL as JSON;
- ``name``: every entity's id, name, abbreviation and aliases, normalised, for exact lookups.

So a query reads a few arrays and a handful of rows, never the facts. ``REGULINK_CACHE=0``
turns it off with the fact cache.

Examples
--------
>>> import tempfile, pathlib
>>> from regulink.graph.model import Entity, FactBase, Relation, Source
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> f = d / "facts.yaml"
>>> _ = f.write_text("entities: []\\n")
>>> fb = FactBase(entities={"a": Entity("a", "regulator", "A", None, (), "SG"),
...                         "b": Entity("b", "project", "B", None, (), "SG")},
...               relations=[Relation("leads", "a", "b", "2020", None, None, None, ("s",))],
...               sources={"s": Source("s", "news", "P", "T", None, None)})
>>> cache = PathCache(d / "cache")
>>> cache.put([f], fb, cache.stamp([f]))
>>> index = cache.get([f])
>>> [(h["from"], h["type"], h["to"]) for h in index.shortest("b", "a")]
[('b', 'leads', 'a')]
>>> _ = f.write_text("entities: [ ]\\n")   # changed: the index no longer applies
>>> cache.get([f]) is None
True
>>> index.sources("s")["title"]
'T'
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
import orjson

from regulink.graph.model import FactBase, Relation
from regulink.graph.pathindex import PathIndex, exact_names, source_brief
from regulink.loaders.cache import EntryCache, verify

__all__ = ["PathCache", "default_path_cache"]

_FORMAT = "4"
_ARRAYS = (
    "kinds",
    "indptr",
    "neighbours",
    "relations",
    "rel_types",
    "rel_from",
    "start_lo",
    "end_hi",
    "start_from",
    "end_from",
    "undated",
    "tiebreaks",
)


class _Ids:
    """Entity ids by node number, read from the index file one at a time."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __getitem__(self, n: int) -> str:
        row = self._db.execute("SELECT id FROM entity WHERE n = ?", (int(n),)).fetchone()
        if row is None:
            raise IndexError(n)
        return row[0]


class PathCache(EntryCache):
    """Path indexes on disk, found and checked like the fact cache's entries (one beside
    each, same key)."""

    suffix = ".paths.sqlite"
    write_errors = (sqlite3.Error,)

    def get(self, files: Sequence[Path]) -> PathIndex | None:
        """The saved index for exactly these files, unchanged since, or ``None``."""
        found = self._find(files)
        if found is None:
            return None
        entry, stats = found
        if not verify(entry):  # the whole file, before SQLite reads any of it
            return None
        try:
            db = sqlite3.connect(f"file:{entry}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            meta = dict(db.execute("SELECT k, v FROM meta"))
            if meta.get("format") != _FORMAT or not self._unchanged(
                orjson.loads(meta["digests"]), stats
            ):
                db.close()
                return None
            arrays = {
                name: np.frombuffer(data, dtype=dtype)
                for name, dtype, data in db.execute("SELECT name, dtype, data FROM arrays")
            }
        except (sqlite3.Error, KeyError, ValueError, OSError):
            db.close()
            return None
        return _open_index(db, meta, arrays)

    def put(
        self,
        files: Sequence[Path],
        facts: FactBase,
        stamp: list | None,
        index: PathIndex | None = None,
    ) -> None:
        """Save the index of ``facts`` read from these files, unless they changed since
        ``stamp`` (see :meth:`EntryCache._save`)."""

        def write(path: Path, digests: list[str]) -> None:
            _write(path, facts, index or PathIndex.from_facts(facts), digests)

        self._save(files, stamp, write)


def _write(path: Path, facts: FactBase, index: PathIndex, digests: list[str]) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript("""
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
            CREATE TABLE arrays (name TEXT PRIMARY KEY, dtype TEXT NOT NULL, data BLOB);
            CREATE TABLE entity (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                                 display TEXT NOT NULL, start TEXT, end TEXT);
            CREATE TABLE relation (n INTEGER PRIMARY KEY, data BLOB NOT NULL);
            CREATE TABLE source (id TEXT PRIMARY KEY, data BLOB NOT NULL);
            CREATE TABLE name (norm TEXT NOT NULL, n INTEGER NOT NULL);
        """)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("format", _FORMAT),
                ("digests", orjson.dumps(digests).decode()),
                ("kind_names", orjson.dumps(index.kind_names).decode()),
                ("type_names", orjson.dumps(index.type_names).decode()),
            ],
        )
        db.executemany(
            "INSERT INTO arrays VALUES (?, ?, ?)",
            [
                (name, getattr(index, name).dtype.str, getattr(index, name).tobytes())
                for name in _ARRAYS
            ],
        )
        db.executemany(
            "INSERT INTO entity VALUES (?, ?, ?, ?, ?)",
            ((i, e.id, e.display, e.start, e.end) for i, e in enumerate(facts.entities.values())),
        )
        dumps = orjson.dumps
        db.executemany(
            "INSERT INTO relation VALUES (?, ?)", enumerate(map(dumps, facts.relations))
        )  # each Relation's fields, by name
        db.executemany(
            "INSERT INTO source VALUES (?, ?)",
            ((sid, dumps(source_brief(s, sid))) for sid, s in facts.sources.items()),
        )
        db.executemany(
            "INSERT INTO name VALUES (?, ?)", ((norm, n) for n, norm in exact_names(facts))
        )
        db.execute("CREATE INDEX name_norm ON name (norm)")
        db.commit()
    finally:
        db.close()


def _open_index(db: sqlite3.Connection, meta: dict, arrays: dict) -> PathIndex:
    def details(numbers: list[int]) -> list[Relation]:
        out = []
        for n in numbers:
            (data,) = db.execute("SELECT data FROM relation WHERE n = ?", (n,)).fetchone()
            fields = orjson.loads(data)
            fields["sources"] = tuple(fields["sources"])
            out.append(Relation(**fields))
        return out

    def sources(source_id: str) -> dict:
        row = db.execute("SELECT data FROM source WHERE id = ?", (source_id,)).fetchone()
        return orjson.loads(row[0]) if row else source_brief(None, source_id)

    def position(entity_id: str) -> int | None:
        row = db.execute("SELECT n FROM entity WHERE id = ?", (entity_id,)).fetchone()
        return None if row is None else row[0]

    def display(entity_id: str) -> str:
        row = db.execute("SELECT display FROM entity WHERE id = ?", (entity_id,)).fetchone()
        return entity_id if row is None else row[0]

    def named(norm: str) -> list[int]:
        return [n for (n,) in db.execute("SELECT n FROM name WHERE norm = ?", (norm,))]

    def life(n: int) -> tuple[str | None, str | None]:
        row = db.execute("SELECT start, end FROM entity WHERE n = ?", (n,)).fetchone()
        return (None, None) if row is None else (row[0], row[1])

    return PathIndex(
        # read by number only (ids[n]): with `position` given, PathIndex needs no more
        cast("Sequence[str]", _Ids(db)),
        arrays["kinds"],
        orjson.loads(meta["kind_names"]),
        arrays["indptr"],
        arrays["neighbours"],
        arrays["relations"],
        arrays["rel_types"],
        orjson.loads(meta["type_names"]),
        details,
        sources,
        position,
        display,
        named,
        **{name: arrays[name] for name in _ARRAYS[5:]},
        life=life,
    )


def default_path_cache() -> PathCache | None:
    """The path cache beside the fact cache, or ``None`` when ``REGULINK_CACHE`` turns the
    caches off."""
    from regulink.loaders.cache import default_cache

    return None if default_cache() is None else PathCache()
