"""The Python API of the graph stores: ``open_store``, ``load``, ``query``, saved queries.

Examples
--------
>>> import regulink, tempfile, pathlib
>>> facts = regulink.load_facts()
>>> with regulink.open_store(db=pathlib.Path(tempfile.mkdtemp()) / "g.db") as store:
...     report = regulink.load(facts, store)
...     res = regulink.query(store, "MATCH (n:Entity) RETURN count(n) AS n")
>>> res.rows[0][0] == report.entities == len(facts.entities)
True
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from regulink.errors import QueryError, StoreError
from regulink.graph.model import FactBase
from regulink.loaders.collector import gc_paused
from regulink.loaders.forked import Forked
from regulink.loaders.seeds import default_seed_paths
from regulink.loaders.store import (
    FalkorLiteStore,
    Neo4jStore,
    QueryResult,
    SavedQuery,
    Store,
    default_db_path,
    graph_groups,
    graph_meta,
    saved_queries,
    saved_query,
)
from regulink.loaders.store.base import fingerprint

__all__ = [
    "LoadReport",
    "QueryResult",
    "SavedQuery",
    "Store",
    "default_db_path",
    "load",
    "load_files",
    "open_store",
    "query",
    "saved_queries",
    "saved_query",
    "stale",
]


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load did: where, how much, whether the content changed, how long it took."""

    store: str
    location: str
    entities: int
    relations: int
    sources: int
    fingerprint: str
    changed: bool
    seconds: float

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


def open_store(
    *,
    db: str | os.PathLike | None = None,
    neo4j: str | None = None,
    seeds: list[Path] | None = None,
    username: str | None = None,
    password: str | None = None,
    database: str | None = None,
    create: bool = True,
) -> Store:
    """The store to use: Neo4j at ``neo4j`` (a URI), else the embedded store at ``db``.

    ``create=False`` (for reading) refuses an embedded database file that does not exist,
    rather than starting an empty one there.

    With neither, ``NEO4J_URI`` is *not* consulted here (the CLI does that, so that a stray
    variable never redirects library code); the embedded store goes to ``REGULINK_DB`` or the
    default path beside ``seeds`` (see :func:`default_db_path`). Nothing connects until the
    store is first used.
    """
    if neo4j and db:
        raise QueryError("choose one store: an embedded database path or a Neo4j URI")
    if neo4j:
        return Neo4jStore(neo4j, username=username, password=password, database=database)
    path = Path(db) if db else default_db_path(list(seeds) if seeds else default_seed_paths())
    if not create and not path.exists():
        raise StoreError(
            f"there is no database at {path}: nothing is loaded there yet; run "
            f"`regulink load{f' --db {path}' if db else ''}` first"
        )
    return FalkorLiteStore(path)


def load(
    facts: FactBase,
    store: Store,
    *,
    batch_size: int | None = None,
    progress=None,
    lock_timeout: float = 300.0,
) -> LoadReport:
    """Replace the graph in ``store`` with ``facts``: batched, atomic, idempotent.

    ``batch_size`` caps the rows per write (default: the store's own, :data:`DEFAULT_BATCH`
    rows per Cypher batch, 32 MB per bulk call on the embedded store); ``progress(done,
    total)`` is called after each write. Raises ``StoreBusy`` when another load holds the
    lock for longer than ``lock_timeout`` seconds.
    """
    from regulink import __version__

    if batch_size is not None and batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    t0 = time.perf_counter()
    with gc_paused():
        # the groups copy the facts into millions of acyclic tuples
        groups = graph_groups(facts)
        # Their digest is computed on another core while the graph is written (see
        # regulink.loaders.forked), and put on the meta node last.
        with Forked(lambda: fingerprint(facts, groups)) as digest:

            def finished_meta() -> dict:
                meta.update(graph_meta(facts, __version__, digest=digest.result()))
                return meta

            meta: dict = {}
            before = None
            if not store.records_replaced_meta:
                with contextlib.suppress(QueryError):
                    before = store.meta()
            store.replace_graph(
                groups,
                finished_meta,
                batch_size=batch_size,
                progress=progress,
                lock_timeout=lock_timeout,
            )
    if store.records_replaced_meta:
        before = store.replaced_meta
    return _report(store, meta, before, t0)


def _report(store: Store, meta: dict, before: dict | None, t0: float) -> LoadReport:
    """What a load that wrote ``meta``, replacing a graph whose meta was ``before``, did."""
    return LoadReport(
        store=store.backend,
        location=store.location,
        entities=meta["entities"],
        relations=meta["relations"],
        sources=meta["sources"],
        fingerprint=meta["fingerprint"],
        changed=not before or before.get("fingerprint") != meta["fingerprint"],
        seconds=round(time.perf_counter() - t0, 3),
    )


def load_files(
    paths: Sequence[str | os.PathLike] | None,
    store: Store,
    *,
    batch_size: int | None = None,
    progress=None,
    lock_timeout: float = 300.0,
) -> LoadReport:
    """Validate the fact files and folders at ``paths`` (default: the bundled seeds) and
    load them into ``store``: what ``load(load_facts(paths), store)`` does, with the same
    errors (:class:`~regulink.errors.ValidationFailed` with every problem, the store
    untouched).

    A large fact set going into the embedded store is validated and encoded on several cores
    (:mod:`regulink.loaders.fanload`), unless the fact cache holds it already; such a load
    does not fill the fact cache.
    """
    from regulink import __version__
    from regulink.loaders import fanload, fanout
    from regulink.loaders.cache import default_cache
    from regulink.loaders.validate import load_facts
    from regulink.loaders.yaml_files import fact_files

    where: list[str | os.PathLike] = list(paths) if paths else list(default_seed_paths())
    if batch_size is not None and batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    files, missing = fact_files(where)
    bulk = isinstance(store, FalkorLiteStore) and store.write_path == "bulk"
    if bulk and files and not missing:
        cache = default_cache()
        cached = cache.get(files) if cache is not None else None
        if cached is not None:
            return load(
                cached, store, batch_size=batch_size, progress=progress, lock_timeout=lock_timeout
            )
        n = fanout.plan(files)
        if n > 1:
            t0 = time.perf_counter()
            try:
                done = fanload.load_chunks(
                    fanout.split(files, n, helper_cost=fanload.HELPER_COST),
                    store,
                    version=__version__,
                    max_rows=batch_size,
                    progress=progress,
                    lock_timeout=lock_timeout,
                )
            except fanload.HelperLost:
                done = None
            if done is not None:
                return _report(store, done, store.replaced_meta, t0)
    return load(
        load_facts(paths),
        store,
        batch_size=batch_size,
        progress=progress,
        lock_timeout=lock_timeout,
    )


def query(
    store: Store,
    cypher: str,
    params: dict | None = None,
    *,
    write: bool = False,
    timeout: float | None = None,
) -> QueryResult:
    """Run Cypher on ``store``: read-only unless ``write``; stopped after ``timeout`` s.

    Values go in ``params`` (``$name`` in the query), never into the text.
    """
    if not cypher or not cypher.strip():
        raise QueryError("the query is empty")
    if timeout is not None and timeout <= 0:
        raise QueryError("timeout must be a positive number of seconds")
    return store.run(cypher, params or {}, write=write, timeout=timeout)


def stale(store: Store, facts: FactBase) -> str | None:
    """Why ``store`` does not hold ``facts``, in one line; None if it holds them exactly.

    Compares the fingerprint recorded by the last load (``:RegulinkMeta``) with that of
    ``facts``: answers from the store may then differ from answers from the files.
    """
    meta = store.meta()
    if not meta:
        return f"nothing is loaded in {store.location} yet: run `regulink load` first"
    if meta.get("fingerprint") == fingerprint(facts):
        return None
    return (
        f"the store at {store.location} was loaded from other facts than the files now "
        f"hold (loaded {meta.get('loaded_at', 'at an unknown time')}, "
        f"{meta.get('relations', '?')} relations; the files have {len(facts.relations)}); "
        "run `regulink load` to bring it up to date"
    )
