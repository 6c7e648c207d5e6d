"""The Bolt store: Neo4j 5 (single server, cluster with ``neo4j://`` routing, or Aura with
``neo4j+s://``) through the official ``neo4j`` driver.

Atomic loads: one explicit transaction deletes the previous regulink graph and writes the new
one in batches, then commits; readers see the old graph until the commit, and a failed or
killed load is rolled back by the server. The transaction first takes a write lock on the
``:RegulinkMeta`` node, so a second load waits for the first instead of interleaving.

Other servers speaking Bolt: FalkorDB's Bolt listener (used by the test suite) is detected by
its lack of ``dbms.components()``. Measured on FalkorDB 4.16: it reads the first key of a
request's extra fields as the graph name (so access mode, database and timeout must not be
sent), it ignores read-only access mode, transactions (rollback undoes nothing) and
transaction timeouts; it rejects ``CREATE CONSTRAINT``; a message over ~4 KB crashes it
(batches are split to stay below); and after a client disconnects it may stop answering new
connections' handshakes (so the driver is not closed with GOODBYE there). With it, read-only is enforced
on our side by refusing write clauses, and loads are not atomic.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any

from regulink.errors import (
    QueryError, QueryTimeout, ReadOnlyViolation, StoreBusy, StoreError, StoreUnavailable,
)
from regulink.loaders.store.base import (
    DEFAULT_BATCH, Group, Progress, QueryResult, Statement, Store, group_statements,
    looks_like_write,
)

__all__ = ["Neo4jStore"]

_ID_LABELS = ("Entity", "Source", "RegulinkMeta")
# Measured on FalkorDB 4.16: a Bolt RUN message past ~4 KB (query plus parameters) crashes the
# whole server ("stack smashing detected"). JSON length over-estimates the packed size.
_FALKOR_MESSAGE_BUDGET = 3600


def _escape_for_falkordb(v: Any) -> Any:
    """Measured on FalkorDB 4.16: its Bolt listener pastes string parameters into the query
    text between single quotes without escaping them, so a value with ``'`` is a syntax error
    (and ``\\`` is read as an escape). Escaping both makes the stored value the one sent."""
    if isinstance(v, str):
        return v.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(v, list):
        return [_escape_for_falkordb(x) for x in v]
    if isinstance(v, dict):
        return {k: _escape_for_falkordb(x) for k, x in v.items()}
    return v


def _fit_small_messages(statements: list[Statement]) -> list[Statement]:
    """Split batches so that each message stays under FalkorDB's Bolt size limit."""
    out = []
    for st in statements:
        st = dataclasses.replace(st, rows=_escape_for_falkordb(st.rows))
        room = _FALKOR_MESSAGE_BUDGET - len(st.cypher.encode())
        batch: list[dict] = []
        size = 0
        for row in st.rows:
            n = len(json.dumps(row, ensure_ascii=False).encode()) + 1
            if n > room:
                raise StoreError(
                    f"a record is too large for FalkorDB's Bolt listener ({n} bytes; it "
                    f"crashes past ~4 KB per message): {str(row)[:80]}... — use the embedded "
                    "store or Neo4j")
            if batch and size + n > room:
                out.append(dataclasses.replace(st, rows=batch))
                batch, size = [], 0
            batch.append(row)
            size += n
        if batch:
            out.append(dataclasses.replace(st, rows=batch))
    return out


def _plain(v: Any) -> Any:
    """neo4j driver values to plain Python (see :class:`QueryResult`)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(v, Node):
        return {"_labels": sorted(v.labels, key=lambda s: (s != "Entity", s)),
                **{k: _plain(x) for k, x in v.items()}}
    if isinstance(v, Relationship):
        return {"_type": v.type, **{k: _plain(x) for k, x in v.items()}}
    if isinstance(v, Path):
        out: list = []
        for i, n in enumerate(v.nodes):
            out.append(_plain(n))
            if i < len(v.relationships):
                out.append(_plain(v.relationships[i]))
        return out
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if hasattr(v, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return v.iso_format()
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)  # spatial points and anything newer: readable rather than lost


class Neo4jStore(Store):
    """A Neo4j 5 database (or another Bolt server) reached through the ``neo4j`` driver.

    Parameters
    ----------
    uri : str
        ``bolt://``, ``bolt+s://``, ``neo4j://`` (routing) or ``neo4j+s://`` (Aura).
    username, password : str, optional
        Basic auth; no username means no auth.
    database : str, optional
        The database name (default: the server's default database).
    connection_timeout : float
        Seconds to wait for a connection.
    acquisition_timeout : float
        Seconds to wait for a usable connection, handshake included.
    """

    backend = "neo4j"

    def __init__(self, uri: str, *, username: str | None = None, password: str | None = None,
                 database: str | None = None, connection_timeout: float = 10.0,
                 acquisition_timeout: float = 60.0):
        import neo4j
        from neo4j.exceptions import ConfigurationError

        self.uri, self.username, self.database = uri, username, database or None
        auth = (username, password or "") if username else None
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, connection_timeout=connection_timeout,
                connection_acquisition_timeout=acquisition_timeout,
                max_transaction_retry_time=5.0, notifications_min_severity="OFF")
        except (ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"bad Neo4j URI {uri!r}: {exc}") from None
        except ImportError as exc:  # e.g. http:// needs the driver's optional aiohttp
            raise StoreUnavailable(f"Neo4j URI {uri!r} needs a package that is not "
                                   f"installed ({exc.name}); use bolt:// or neo4j://") from None
        self._flavour: str | None = None
        self.server: str = ""
        #: What this server does not support that the caller may want to tell the user.
        self.notes: list[str] = []

    @property
    def location(self) -> str:
        return self.uri + (f" (database {self.database})" if self.database else "")

    @property
    def is_neo4j(self) -> bool:
        """True for Neo4j itself; False for another Bolt server such as FalkorDB."""
        self._probe()
        return self._flavour == "neo4j"

    def close(self) -> None:
        if self._flavour == "other":
            # Measured on FalkorDB 4.16: after a client's GOODBYE its Bolt listener stops
            # answering new handshakes, while a socket simply dropped at process exit does
            # no harm. So the driver is left for the process exit to drop.
            return
        self._driver.close()

    # -- connection and errors -----------------------------------------------------------------
    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        from neo4j.exceptions import AuthError, ServiceUnavailable

        if isinstance(exc, AuthError):
            return StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials"
                f"{f' of user {self.username!r}' if self.username else ' (no user given)'};"
                " check NEO4J_USERNAME and NEO4J_PASSWORD")
        if isinstance(exc, ServiceUnavailable):
            return StoreUnavailable(f"cannot reach Neo4j at {self.uri}: {exc}")
        return StoreUnavailable(f"Neo4j at {self.uri}: {exc}")

    def _probe(self) -> None:
        if self._flavour is not None:
            return
        from neo4j.exceptions import (
            AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable,
        )

        try:
            self._driver.verify_connectivity()
        except (AuthError, ServiceUnavailable, DriverError, OSError) as exc:
            raise self._unavailable(exc) from None
        except Neo4jError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri}: {exc.message or exc}") from None
        try:
            with self._driver.session(database=self.database) as s:
                rec = s.run("CALL dbms.components() YIELD name, versions, edition "
                            "RETURN name, versions[0] AS version, edition").single()
            self._flavour = "neo4j"
            self.server = f"{rec['name']} {rec['version']} {rec['edition']}" if rec else "Neo4j"
        except ClientError as exc:
            if "DatabaseNotFound" in (exc.code or "") or "database" in (exc.message or "").lower() \
                    and "not" in (exc.message or "").lower():
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} has no database named {self.database!r} "
                    "(NEO4J_DATABASE / --database)") from None
            self._other_server()
        except (AuthError, ServiceUnavailable) as exc:
            raise self._unavailable(exc) from None
        except Neo4jError:
            self._other_server()

    def _other_server(self) -> None:
        self._flavour = "other"
        self.server = "Bolt server without dbms.components() (FalkorDB?)"
        self.notes = [
            "this Bolt server is not Neo4j: read-only is checked by regulink (write clauses "
            "refused), --timeout and the database name are not sent, and loads are not atomic"]

    def _session(self, *, write: bool):
        import neo4j

        if self._flavour == "neo4j":
            return self._driver.session(
                database=self.database,
                default_access_mode=neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS)
        # FalkorDB takes the first extra field's *name* as the graph: send none at all.
        return self._driver.session()

    def _query_error(self, exc: Exception) -> StoreError:
        from neo4j.exceptions import (
            AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable,
        )

        if isinstance(exc, (AuthError, ServiceUnavailable)):
            return self._unavailable(exc)
        if isinstance(exc, Neo4jError):
            code = exc.code or ""
            if "AccessMode" in code or "WriteOnReadOnlyAccessDbException" in code:
                return ReadOnlyViolation(
                    "this query writes to the graph; queries are read-only unless --write "
                    "(write=True) is given")
            if "TransactionTimedOut" in code or "TransactionTimedOutClientConfiguration" in code:
                return QueryTimeout("the query was stopped: it ran past its timeout")
            if "DatabaseNotFound" in code:
                return StoreUnavailable(f"Neo4j at {self.uri} has no database named "
                                        f"{self.database!r}")
            if code == "Neo.DatabaseError.General.UnknownError" and self._flavour != "neo4j":
                return QueryError("the server rejected the query and gave no reason "
                                  "(FalkorDB's Bolt listener says only 'unknown error'; "
                                  "check the syntax, or try it on the embedded store)")
            if isinstance(exc, ClientError):
                return QueryError(exc.message or str(exc))
            return QueryError(exc.message or str(exc))
        if isinstance(exc, DriverError):
            return StoreError(f"Neo4j driver error: {exc}")
        return StoreError(str(exc))

    # -- Store -----------------------------------------------------------------------------
    def run(self, cypher: str, params: dict | None = None, *, write: bool = False,
            timeout: float | None = None) -> QueryResult:
        import neo4j
        from neo4j.exceptions import DriverError, Neo4jError

        self._probe()
        if not write and self._flavour != "neo4j":
            word = looks_like_write(cypher)
            if word:
                raise ReadOnlyViolation(
                    f"this query writes to the graph ({word}); queries are read-only unless "
                    "--write (write=True) is given")
        if self._flavour != "neo4j":
            params = _escape_for_falkordb(params or {})
        query: Any = cypher
        if timeout is not None and self._flavour == "neo4j":
            query = neo4j.Query(cypher, timeout=timeout)
        try:
            with self._session(write=write) as s:
                result = s.run(query, params or {})
                columns = list(result.keys())
                rows = [[_plain(v) for v in rec.values()] for rec in result]
                summary = result.consume()
        except (Neo4jError, DriverError, OSError) as exc:
            raise self._query_error(exc) from None
        c = summary.counters
        counters = {k: getattr(c, k) for k in (
            "nodes_created", "nodes_deleted", "relationships_created",
            "relationships_deleted", "properties_set", "labels_added") if getattr(c, k, 0)}
        return QueryResult(columns, rows, counters)

    def _ensure_schema(self) -> None:
        """Unique ids (constraint), else an index; a server refusing both still loads."""
        from neo4j.exceptions import Neo4jError

        for label in _ID_LABELS:
            name = f"regulink_{label.lower()}_id"
            for ddl in (f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE",
                        f"CREATE INDEX {name}_index IF NOT EXISTS FOR (n:{label}) ON (n.id)",
                        f"CREATE INDEX FOR (n:{label}) ON (n.id)"):
                try:
                    with self._session(write=True) as s:
                        s.run(ddl).consume()
                    break
                except Neo4jError:
                    continue  # this server does not take that DDL: try the next form

    def replace_graph(self, groups: list[Group], meta: dict, *,
                      batch_size: int | None = None, progress: Progress | None = None,
                      lock_timeout: float = 300.0) -> None:
        from neo4j.exceptions import DriverError, Neo4jError, TransientError

        statements = group_statements(groups, batch_size=batch_size or DEFAULT_BATCH)
        self._probe()
        if self._flavour != "neo4j":
            statements = _fit_small_messages(statements)
        self._ensure_schema()
        total = sum(len(s.rows) for s in statements)
        token = uuid.uuid4().hex
        try:
            with self._session(write=True) as s:
                tx = s.begin_transaction(timeout=None)
                try:
                    # The lock: a write on the meta node, held until commit or rollback.
                    tx.run("MERGE (m:RegulinkMeta {id: 'graph'}) SET m.load_token = $token",
                           token=token).consume()
                    tx.run("MATCH (n:Entity) DETACH DELETE n").consume()
                    tx.run("MATCH (n:Source) DETACH DELETE n").consume()
                    done = 0
                    for st in statements:
                        tx.run(st.cypher, rows=st.rows).consume()
                        done += len(st.rows)
                        if progress:
                            progress(done, total)
                    tx.run("MATCH (m:RegulinkMeta {id: 'graph'}) SET m = $meta",
                           meta=meta).consume()
                    tx.commit()
                finally:
                    if not tx.closed():
                        tx.rollback()
        except TransientError as exc:
            if "Lock" in (exc.code or "") or "Deadlock" in (exc.code or ""):
                raise StoreBusy(f"another load into {self.location} holds the lock: "
                                f"{exc.message}") from None
            raise self._query_error(exc) from None
        except (Neo4jError, DriverError, OSError) as exc:
            raise self._query_error(exc) from None
