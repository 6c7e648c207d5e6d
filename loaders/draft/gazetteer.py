"""Every name of every known entity, ready to be found in an article: built once per fact
set and saved beside the fact cache, like the path index.

One SQLite database holds the folded names (:func:`~regulink.loaders.draft.tokens.key`),
every word-prefix of them (so a scan stops at the first word that starts no name), the
entities' kind and jurisdiction, which pairs of entities the base already links and how, and
the ids in use. A scan of a 5,000-word article asks it a few thousand indexed questions and
reads nothing else, so a base of 200,000 entities costs about what the bundled one does.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation
>>> fb = FactBase(entities={
...     "mas": Entity("mas", "central_bank", "Monetary Authority of Singapore", "MAS", (), "SG"),
...     "fsa-jp": Entity("fsa-jp", "regulator", "Financial Services Agency", "FSA", (), "JP")},
...     relations=[Relation("partners_with", "mas", "fsa-jp", None, None, None, None, ("s",),
...                         symmetric=True)])
>>> g = Gazetteer.from_facts(fb)
>>> g.is_prefix("monetary authority"), g.is_prefix("authority of")
(True, False)
>>> [(e.id, field) for e, field, cased in g.named("mas")]
[('mas', 'short_name')]
>>> g.known_types("fsa-jp", "mas")
['partners_with']
>>> g.free_entity_id("mas"), g.free_entity_id("new-body")
('mas-2', 'new-body')
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from regulink.graph.model import FactBase
from regulink.loaders.cache import EntryCache
from regulink.loaders.draft.tokens import key

__all__ = ["DraftCache", "Gazetteer", "KnownEntity", "default_draft_cache"]


def _format() -> str:
    """The layout's version and a hash of the code that folds names into keys: a gazetteer
    saved before the folding changed ("tokenized" now finds "tokenised") is rebuilt."""
    h = hashlib.sha256(b"2")
    here = Path(__file__).resolve().parent
    for path in (here / "tokens.py", here.parent.parent / "graph" / "search.py"):
        h.update(path.read_bytes() if path.is_file() else b"missing")
    return h.hexdigest()[:16]


_FORMAT = _format()
_NAME_FIELDS = ("name", "short_name", "alias")


@dataclass(frozen=True, slots=True)
class KnownEntity:
    id: str
    kind: str
    name: str
    short_name: str | None
    jurisdiction: str


def _names(facts: FactBase):
    """(entity number, field, name) for every name a reader could write in an article."""
    for n, ent in enumerate(facts.entities.values()):
        yield n, "name", ent.name
        if ent.short_name:
            yield n, "short_name", ent.short_name
        for alias in ent.aliases:
            yield n, "alias", alias


def _build(db: sqlite3.Connection, facts: FactBase) -> None:
    db.executescript("""
        CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE entity (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT,
                             name TEXT, short_name TEXT, jurisdiction TEXT);
        CREATE TABLE name (key TEXT NOT NULL, n INTEGER NOT NULL, field TEXT NOT NULL,
                           cased INTEGER NOT NULL);
        CREATE TABLE prefix (key TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE pair (a INTEGER NOT NULL, b INTEGER NOT NULL, type TEXT NOT NULL);
        CREATE TABLE source (id TEXT PRIMARY KEY) WITHOUT ROWID;
    """)
    db.executemany(
        "INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)",
        (
            (n, e.id, e.kind, e.name, e.short_name, e.jurisdiction)
            for n, e in enumerate(facts.entities.values())
        ),
    )
    rows, prefixes = [], set()
    for n, field, name in _names(facts):
        k = key(name)
        if not k:
            continue
        # "cased": the name has capitals, so an all-lowercase stretch of text ("fed up",
        # "a leap") is not taken for it.
        rows.append((k, n, field, int(name != name.lower())))
        words = k.split(" ")
        for i in range(1, len(words) + 1):
            prefixes.add(" ".join(words[:i]))
    db.executemany("INSERT INTO name VALUES (?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO prefix VALUES (?)", ((p,) for p in prefixes))
    number = {eid: n for n, eid in enumerate(facts.entities)}

    def pairs():
        for r in facts.relations:
            a, b = number.get(r.from_), number.get(r.to)
            if a is None or b is None:
                continue
            yield a, b, r.type
            if r.symmetric:
                yield b, a, r.type

    db.executemany("INSERT INTO pair VALUES (?, ?, ?)", pairs())
    db.executemany("INSERT INTO source VALUES (?)", ((s,) for s in facts.sources))
    db.execute("CREATE INDEX name_key ON name (key)")
    db.execute("CREATE INDEX pair_ab ON pair (a, b)")
    db.execute("CREATE INDEX entity_place ON entity (jurisdiction, kind)")
    db.commit()


class Gazetteer:
    """Names, kinds and known links of a fact set, looked up one question at a time."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._prefix: dict[str, bool] = {}
        self._entities: dict[int, KnownEntity] = {}

    @classmethod
    def from_facts(cls, facts: FactBase) -> Gazetteer:
        """An in-memory gazetteer of ``facts`` (a base of a few thousand entities builds in
        milliseconds; large ones are saved by :class:`DraftCache`)."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        _build(db, facts)
        return cls(db)

    def is_prefix(self, k: str) -> bool:
        """Whether some name starts with the folded words ``k``."""
        hit = self._prefix.get(k)
        if hit is None:
            hit = (
                self._db.execute("SELECT 1 FROM prefix WHERE key = ?", (k,)).fetchone() is not None
            )
            self._prefix[k] = hit
        return hit

    def _entity(self, n: int) -> KnownEntity:
        ent = self._entities.get(n)
        if ent is None:
            row = self._db.execute(
                "SELECT id, kind, name, short_name, jurisdiction FROM entity WHERE n = ?", (n,)
            ).fetchone()
            ent = self._entities[n] = KnownEntity(*row)
        return ent

    def named(self, k: str) -> list[tuple[KnownEntity, str, bool]]:
        """The entities with the folded name ``k``: (entity, field, name has capitals)."""
        rows = self._db.execute(
            "SELECT n, field, cased FROM name WHERE key = ? ORDER BY n", (k,)
        ).fetchall()
        return [(self._entity(n), field, bool(cased)) for n, field, cased in rows]

    def entity(self, entity_id: str) -> KnownEntity | None:
        row = self._db.execute("SELECT n FROM entity WHERE id = ?", (entity_id,)).fetchone()
        return None if row is None else self._entity(row[0])

    def of_kinds_in(
        self, kinds: Collection[str], jurisdiction: str, *, limit: int
    ) -> list[KnownEntity]:
        """Up to ``limit`` entities of these kinds in one jurisdiction."""
        marks = ",".join("?" * len(kinds))
        rows = self._db.execute(
            f"SELECT n FROM entity WHERE jurisdiction = ? AND kind IN ({marks}) ORDER BY n LIMIT ?",
            (jurisdiction, *sorted(kinds), limit),
        ).fetchall()
        return [self._entity(n) for (n,) in rows]

    def known_types(self, a: str, b: str) -> list[str]:
        """The relation types the base already has from ``a`` to ``b`` (symmetric ones
        either way)."""
        return [
            t
            for (t,) in self._db.execute(
                "SELECT DISTINCT p.type FROM pair p JOIN entity x ON x.n = p.a "
                "JOIN entity y ON y.n = p.b WHERE x.id = ? AND y.id = ? ORDER BY p.type",
                (a, b),
            )
        ]

    def _free(self, table: str, wanted: str, taken: Collection[str]) -> str:
        candidate, i = wanted, 1
        while (
            candidate in taken
            or self._db.execute(f"SELECT 1 FROM {table} WHERE id = ?", (candidate,)).fetchone()
        ):
            i += 1
            candidate = f"{wanted}-{i}"
        return candidate

    def free_entity_id(self, wanted: str, taken: Collection[str] = frozenset()) -> str:
        """``wanted``, or ``wanted-2``, ``-3``... : the first id no entity has."""
        return self._free("entity", wanted, taken)

    def free_source_id(self, wanted: str, taken: Collection[str] = frozenset()) -> str:
        return self._free("source", wanted, taken)


class DraftCache(EntryCache):
    """Gazetteers on disk, found and checked like the fact cache's entries (one beside
    each, same key and content hashes)."""

    suffix = ".draft.sqlite"
    write_errors = (sqlite3.Error,)

    def get(self, files: Sequence[Path]) -> Gazetteer | None:
        """The saved gazetteer for exactly these files, unchanged since, or ``None``."""
        found = self._find(files)
        if found is None:
            return None
        entry, stats = found
        try:
            db = sqlite3.connect(f"file:{entry}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(db.execute("SELECT k, v FROM meta"))
            if meta.get("format") != _FORMAT or not self._unchanged(
                orjson.loads(meta["digests"]), stats
            ):
                db.close()
                return None
            # A file with tables missing fails here rather than half-way through a draft
            # (a full integrity check would read the whole file: 0.8 s at 200,000 entities).
            tables = {
                t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not {"entity", "name", "prefix", "pair", "source"} <= tables:
                db.close()
                return None
        except (sqlite3.Error, KeyError, ValueError, OSError):
            return None
        return Gazetteer(db)

    def put(self, files: Sequence[Path], facts: FactBase, stamp: list | None) -> None:
        """Save the gazetteer of ``facts`` read from these files, unless they changed since
        ``stamp``."""

        def write(path: Path, digests: list[str]) -> None:
            db = sqlite3.connect(path)
            try:
                db.execute("PRAGMA journal_mode = OFF")
                db.execute("PRAGMA synchronous = OFF")
                _build(db, facts)
                db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("format", _FORMAT), ("digests", orjson.dumps(digests).decode())],
                )
                db.commit()
            finally:
                db.close()

        self._save(files, stamp, write)


def default_draft_cache() -> DraftCache | None:
    """The gazetteer cache beside the fact cache, or ``None`` when ``REGULINK_CACHE`` turns
    the caches off."""
    from regulink.loaders.cache import default_cache

    return None if default_cache() is None else DraftCache()
