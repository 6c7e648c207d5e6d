"""The embedded store: FalkorDB Lite, a real FalkorDB started and stopped by regulink.

``falkordblite`` runs ``redis-server`` with the FalkorDB module on a private Unix socket and
persists the database to one RDB file (``regulink.db``). A second regulink process using the
same file joins the running server; the last one to leave stops it (and the server saves).

Loads write with FalkorDB's bulk insert (:mod:`.bulk`), far faster than Cypher batches.
Atomic loads: the new graph is built under a staging key, then ``RENAME``\\ d over the live
one (one Redis command, so readers see the old graph or the new one, never a mix) and the file
is ``SAVE``\\ d. A load killed half-way leaves only the staging key, which the next load
deletes. Loads take an exclusive file lock (``regulink.db.lock``) so two never interleave.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from regulink.errors import (
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreUnavailable,
)
from regulink.loaders.store.base import (
    DEFAULT_BATCH,
    GRAPH_NAME,
    Group,
    Meta,
    Progress,
    QueryResult,
    Store,
    group_statements,
    meta_of,
)
from regulink.loaders.store.bulk import MAX_CALL_BYTES, bulk_calls

__all__ = ["DB_FILENAME", "STAGING_NAME", "FalkorLiteStore", "default_db_path"]

STAGING_NAME = GRAPH_NAME + ".staging"
DB_FILENAME = "regulink.db"


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "regulink"


def default_db_path(seed_paths: list[Path]) -> Path:
    """Where the embedded database lives when neither ``--db`` nor ``REGULINK_DB`` says.

    In a ``.regulink/`` folder beside the (first) seeds: ``X/.regulink/regulink.db`` for a
    seeds folder or file in ``X``. When the seeds are inside an installed package
    (site-packages) or that folder cannot be written, the user cache dir
    (``$XDG_CACHE_HOME/regulink``, default ``~/.cache/regulink``) instead.

    >>> default_db_path([Path("/data/project/seeds")]).as_posix()  # doctest: +SKIP
    '/data/project/.regulink/regulink.db'
    """
    env = os.environ.get("REGULINK_DB", "").strip()
    if env:
        return Path(env).expanduser()
    first = Path(seed_paths[0]).expanduser().resolve() if seed_paths else Path.cwd()
    parent = first.parent
    installed = any(p in ("site-packages", "dist-packages") for p in first.parts)
    if not installed and os.access(parent, os.W_OK):
        return parent / ".regulink" / DB_FILENAME
    return _user_cache_dir() / DB_FILENAME


class _FileLock:
    """An exclusive ``flock`` on a file, waited for up to ``timeout`` seconds."""

    def __init__(self, path: Path, timeout: float):
        self.path, self.timeout = path, timeout
        self._fd: int | None = None

    def __enter__(self) -> _FileLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
                    os.close(fd)
                    raise StoreBusy(
                        f"another load into {self.path.with_suffix('')} is still running"
                        f"{f' (pid {holder})' if holder else ''}; waited {self.timeout:g} s"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _plain(v: Any) -> Any:
    """falkordb-py values to plain Python (see :class:`QueryResult`)."""
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path as FPath

    if isinstance(v, Node):
        return {"_labels": list(v.labels or []), **{k: _plain(x) for k, x in v.properties.items()}}
    if isinstance(v, Edge):
        return {"_type": v.relation, **{k: _plain(x) for k, x in v.properties.items()}}
    if isinstance(v, FPath):
        out: list = []
        nodes, edges = v.nodes(), v.edges()
        for i, n in enumerate(nodes):
            out.append(_plain(n))
            if i < len(edges):
                out.append(_plain(edges[i]))
        return out
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (_dt.date, _dt.time, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        return str(v)
    return v


def _message(exc: Exception) -> str:
    msg = str(exc).strip()
    # FalkorDB's syntax errors read "errMsg: ... errCtx: ... errCtxOffset: N": keep the message
    # and the context line, which is what a reader needs.
    if msg.startswith("errMsg:"):
        head, _, ctx = msg[len("errMsg:") :].partition(" errCtx:")
        ctx = ctx.split(" errCtxOffset:")[0].strip()
        return head.strip() + (f"\n  near: {ctx}" if ctx else "")
    return msg


class FalkorLiteStore(Store):
    """The embedded FalkorDB store, persisted to ``path`` (an RDB file).

    The server starts on first use; :meth:`close` stops it unless another process still
    uses it.

    Parameters
    ----------
    path : Path
        The database file (created with its folder if missing).
    """

    backend = "embedded"
    records_replaced_meta = True
    #: Bytes per ``GRAPH.BULK`` call (see :mod:`.bulk`).
    bulk_bytes = MAX_CALL_BYTES
    #: How loads write: ``"bulk"`` (FalkorDB's bulk insert) or ``"cypher"`` (``UNWIND``
    #: batches, as the Bolt stores do); kept to compare the two, in tests and benchmarks.
    write_path = "bulk"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).expanduser().resolve()
        self._db: Any = None  # the redislite FalkorDB (untyped), started on first use
        self.notes: list[str] = []  # warnings for the user, printed by the CLI

    @property
    def location(self) -> str:
        return str(self.path)

    # -- server ----------------------------------------------------------------------------
    def _make_folder(self) -> None:
        if self.path.is_dir():
            raise StoreUnavailable(
                f"--db {self.path} is a folder; give a file path such as {self.path / DB_FILENAME}"
            )
        try:
            fresh = not self.path.parent.exists()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if fresh and self.path.parent.name == ".regulink":
                # Our own folder: keep it out of version control without touching .gitignore.
                (self.path.parent / ".gitignore").write_text("*\n")
        except OSError as exc:
            raise StoreUnavailable(f"cannot create {self.path.parent}: {exc.strerror}") from None
        if not os.access(self.path.parent, os.W_OK):
            raise StoreUnavailable(f"cannot write to {self.path.parent}")

    def _open(self):
        if self._db is not None:
            return self._db
        self._make_folder()
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        from regulink.loaders.store.embedded_server import (
            DamagedDatabase,
            StartFailed,
            damage_reason,
            falkordb_client,
        )

        # No client retries: on a local socket a dropped connection means the server
        # stopped, and redis-py's default backoff made every shutdown wait ~4 s.
        try:
            try:
                self._db = falkordb_client(self.path, retry=Retry(NoBackoff(), 0))
            except DamagedDatabase:
                raise
            except StartFailed:
                # A server killed without cleanup leaves its registry (regulink.db.settings)
                # behind, and until init reaps it its zombie looks alive to redislite, which
                # then joins a dead socket. Forget the registry and start a new server.
                _forget_dead_server(Path(str(self.path) + ".settings"), self.path)
                self._db = falkordb_client(self.path, retry=Retry(NoBackoff(), 0))
        except DamagedDatabase as exc:
            raise StoreDamaged(
                f"the embedded database file {self.path} is damaged: "
                f"{damage_reason(exc.log)}. Run `regulink load` to rebuild it from the facts "
                "(it moves the damaged file aside first, to "
                f"{self.path.name}.damaged-DATE)",
                str(self.path),
            ) from None
        except Exception as exc:
            raise StoreUnavailable(
                f"cannot start the embedded store for {self.path}: {exc}"
            ) from None
        return self._db

    def _set_aside_damaged(self) -> Path:
        """Move a damaged database file out of the way (kept, never deleted); called under
        the load lock, so no other load is using it."""
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        os.replace(self.path, aside)
        return aside

    @property
    def server_pid(self) -> int | None:
        """The process id of the embedded server (for diagnostics and fault tests)."""
        db = self._open()
        return db.client.pid

    def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            with contextlib.suppress(Exception):
                _stop_if_last(db.client)
            with contextlib.suppress(Exception):
                db.close()

    def _call(self, fn, *args, **kwargs):
        import redis

        try:
            return fn(*args, **kwargs)
        except redis.exceptions.ResponseError as exc:
            text = str(exc)
            if "only on read-only queries" in text:
                raise ReadOnlyViolation(
                    "this query writes to the graph; queries are read-only unless --write "
                    "(write=True) is given"
                ) from None
            if "timed out" in text.lower():
                raise QueryTimeout("the query was stopped: it ran past its timeout") from None
            raise QueryError(_message(exc)) from None
        except redis.exceptions.ConnectionError as exc:
            dead, self._db = self._db, None
            if dead is not None:
                dead.client.cleanup_dead()  # removes the dead server's folder and registry
            raise StoreUnavailable(f"the embedded store for {self.path} stopped: {exc}") from None
        except redis.exceptions.RedisError as exc:
            raise StoreError(f"embedded store error: {exc}") from None

    # -- Store -----------------------------------------------------------------------------
    def has_graph(self) -> bool:
        """Whether a graph has been loaded."""
        db = self._open()
        return bool(self._call(db.client.exists, GRAPH_NAME))

    def run(
        self,
        cypher: str,
        params: dict | None = None,
        *,
        write: bool = False,
        timeout: float | None = None,
    ) -> QueryResult:
        db = self._open()
        if not write and not self.has_graph():
            raise StoreError(f"nothing is loaded in {self.path} yet: run `regulink load` first")
        g = db.select_graph(GRAPH_NAME)
        ms = None if timeout is None else max(1, int(timeout * 1000))
        fn = g.query if write else g.ro_query
        res = self._call(fn, cypher, params or None, timeout=ms)
        columns = [h[1] for h in (res.header or [])]
        rows = [[_plain(v) for v in row] for row in (res.result_set or [])]
        counters = {}
        for name in (
            "nodes_created",
            "nodes_deleted",
            "relationships_created",
            "relationships_deleted",
            "properties_set",
            "labels_added",
        ):
            n = getattr(res, name, 0)
            if n:
                counters[name] = int(n)
        return QueryResult(columns, rows, counters)

    def meta(self) -> dict | None:
        if not self.has_graph():
            return None
        return super().meta()

    def replace_graph(
        self,
        groups: list[Group],
        meta: Meta,
        *,
        batch_size: int | None = None,
        progress: Progress | None = None,
        lock_timeout: float = 300.0,
    ) -> None:
        total = sum(len(g.records) for g in groups)
        if self.write_path == "bulk":
            calls = bulk_calls(groups, max_bytes=self.bulk_bytes, max_rows=batch_size)
            self.replace_graph_calls(
                calls,
                total,
                meta,
                progress=progress,
                lock_timeout=lock_timeout,
                written=groups.clear,  # ours to consume once written
            )
            return

        def write(g, loader) -> None:
            self._call(g.query, "CREATE INDEX FOR (n:Entity) ON (n.id)")
            done = 0
            for st in group_statements(groups, batch_size=batch_size or DEFAULT_BATCH):
                self._call(g.query, st.cypher, {"rows": st.rows})
                done += len(st.rows)
                if progress:
                    progress(done, total)

        self._replace(write, meta, lock_timeout, None)

    def replace_graph_calls(
        self,
        calls: Iterable[tuple],
        total: int,
        meta: Meta,
        *,
        progress: Progress | None = None,
        lock_timeout: float = 300.0,
        written: Callable[[], object] | None = None,
    ) -> None:
        """Atomically replace the stored graph with the one ``calls`` build: ``GRAPH.BULK``
        calls as :func:`~regulink.loaders.store.bulk.bulk_calls` makes them, every node
        before the relationships that join it; ``total`` records in all. ``written()`` is
        called while the server saves (to free what the calls were made from)."""

        def write(g, loader) -> None:
            self._send_bulk(loader, calls, progress, total)
            self._call(g.query, "CREATE INDEX FOR (n:Entity) ON (n.id)")

        self._replace(write, meta, lock_timeout, written)

    def _replace(self, write, meta: Meta, lock_timeout: float, written) -> None:
        self._make_folder()
        with _FileLock(Path(str(self.path) + ".lock"), lock_timeout):
            try:
                db = self._open()
            except StoreDamaged:
                aside = self._set_aside_damaged()
                self.notes.append(
                    f"the damaged database file was moved to {aside}; rebuilt from the facts"
                )
                db = self._open()
            client = db.client
            # What this load replaces, read under the lock: a load that ran meanwhile is
            # what "changed" must compare with.
            self.replaced_meta = self.meta()
            # Anything under the staging key is a killed load's leftover: we hold the lock.
            self._call(client.delete, STAGING_NAME)
            g = db.select_graph(STAGING_NAME)
            loader = self._loading_client()
            try:
                write(g, loader)
                self._call(
                    g.query, "CREATE (m:RegulinkMeta) SET m = $meta", {"meta": meta_of(meta)}
                )
                # The swap: one atomic command replaces the live graph.
                self._call(client.execute_command, "RENAME", STAGING_NAME, GRAPH_NAME)
                # Durable before we report success; a crash before this keeps the old file.
                # While the server saves, what was written is freed here (a second at a
                # million relations, after the save otherwise).
                from concurrent.futures import ThreadPoolExecutor

                with ThreadPoolExecutor(max_workers=1, thread_name_prefix="regulink") as t:
                    saving = t.submit(self._call, loader.execute_command, "SAVE")
                    if written is not None:
                        written()
                    saving.result()
            except BaseException:
                with contextlib.suppress(Exception):
                    client.delete(STAGING_NAME)
                raise
            finally:
                loader.close()

    def _loading_client(self):
        """A second connection to the server without a read timeout.

        redislite's client gives up after 5 s, and a bulk call or the ``SAVE`` of a large
        graph can take longer; a stopped server still fails this one at once (the socket
        closes).
        """
        import redis

        kwargs = self._open().client.connection_pool.connection_kwargs
        return redis.Redis(unix_socket_path=kwargs["path"], socket_timeout=None)

    def _send_bulk(self, loader, calls, progress, total) -> None:
        from concurrent.futures import ThreadPoolExecutor

        # The server ingests one call while Python encodes the next: the two overlap on
        # separate cores (the socket wait releases the GIL).
        done = 0
        head: tuple = ("BEGIN",)
        pending, pending_rows = None, 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="regulink-bulk") as sender:
            for nodes, rels, labels, types in calls:
                if pending is not None:
                    pending.result()  # raises what the call raised
                    done += pending_rows
                    if progress:
                        progress(done, total)
                pending = sender.submit(
                    self._call,
                    loader.execute_command,
                    "GRAPH.BULK",
                    STAGING_NAME,
                    *head,
                    nodes,
                    rels,
                    len(labels),
                    len(types),
                    *labels,
                    *types,
                )
                pending_rows = nodes + rels
                head = ()
            if pending is not None:
                pending.result()
                done += pending_rows
                if progress:
                    progress(done, total)


def _stop_if_last(client) -> None:
    """Stop the embedded server if this process is its last client, without redislite's
    waits.

    redislite stops the server and then polls every 0.2 s until the process is gone. The
    server daemonises, so its exited process waits as a zombie until PID 1 reaps it, which in
    containers took 1.4 s: every `regulink load` or `query` paid that. We count a zombie as
    stopped, and skip the ``SAVE`` on shutdown when nothing changed since the last one (a
    load ends with its own ``SAVE``; at a million relations a second one costs seconds).
    Then redislite's clean-up finds no server and only removes its files, as it would have.
    """
    import shutil

    import psutil

    pid = client.pid
    if not pid or client._connection_count() > 1:
        return  # not running, or other processes still use it: redislite disconnects
    dirty = int(client.info("persistence").get("rdb_changes_since_last_save", 1))
    if dirty:
        with contextlib.suppress(Exception):
            client.shutdown(save=True, now=True, force=True)
    else:
        # Everything is on disk already (SAVE writes a new file and renames it into place),
        # so the server may simply end: a shutdown would first free a large graph piece by
        # piece (0.9 s at a million relations) for the operating system to reclaim anyway.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    else:
        return  # still running: leave it to redislite's clean-up, which escalates
    # What redislite's clean-up does after stopping its server (it skips it all when it
    # finds no server running).
    if client.redis_dir and os.path.isdir(client.redis_dir):
        shutil.rmtree(client.redis_dir, ignore_errors=True)
    registry = client.settingregistryfile
    if client.cleanupregistry and registry and os.path.exists(registry):
        os.remove(registry)
    client.settingregistryfile = None


def _forget_dead_server(settings: Path, db_path: Path) -> None:
    """Drop a dead embedded server's registry and, if regulink made it, its pidfile.

    The pidfile goes first because redislite's clean-up of the client that just failed to
    connect SIGKILLs whatever pid that file names, and a dead server's pid may since have been
    given to an unrelated process. A registry naming files outside regulink's run folder
    was not written by regulink: nothing it names is deleted.
    """
    from regulink.loaders.store.embedded_server import registry_is_ours

    try:
        registry = json.loads(settings.read_text())
    except (OSError, ValueError):
        registry = None
    if registry_is_ours(registry, db_path):
        Path(registry["pidfile"]).unlink(missing_ok=True)
    settings.unlink(missing_ok=True)
