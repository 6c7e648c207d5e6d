"""The Bolt store: Neo4j 5 (a single server, a cluster through ``neo4j://`` routing, or Aura
through ``neo4j+s://``) through the official ``neo4j`` driver.

Read-only is the server's job: queries without ``write`` run in sessions of READ access mode,
in which Neo4j refuses every write, write procedures and schema commands included. Only Neo4j
is supported: a Bolt server without ``dbms.components()`` (FalkorDB's Bolt listener, for one)
is refused before any query reaches it, because such a server was measured to ignore the
access mode, transactions and timeouts, and to paste parameters into the query text (a map
key in a parameter injected Cypher past read-only). FalkorDB is used through its own protocol
by the embedded store.

Loads are atomic: see :meth:`Neo4jStore.replace_graph`.
"""

from __future__ import annotations

import uuid
from typing import Any

from regulink.errors import (
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from regulink.loaders.store.base import (
    Group,
    Meta,
    Progress,
    QueryResult,
    Statement,
    Store,
    _row,
    group_statements,
    meta_of,
)

__all__ = ["NEO4J_BATCH", "Neo4jStore"]

_ID_LABELS = ("Entity", "Source", "RegulinkMeta")
#: Rows per ``UNWIND`` statement on Neo4j (measured: see benchmarks/README.md).
NEO4J_BATCH = 10_000


def _plain(v: Any) -> Any:
    """neo4j driver values to plain Python (see :class:`QueryResult`)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(v, Node):
        return {
            "_labels": sorted(v.labels, key=lambda s: (s != "Entity", s)),
            **{k: _plain(x) for k, x in v.items()},
        }
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
    """A Neo4j 5 database reached through the ``neo4j`` driver.

    Parameters
    ----------
    uri : str
        ``bolt://``, ``neo4j://`` (routing), or their TLS forms: ``+s`` (a certificate signed
        by a trusted authority, as Aura has) and ``+ssc`` (any certificate, self-signed too).
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

    def __init__(
        self,
        uri: str,
        *,
        username: str | None = None,
        password: str | None = None,
        database: str | None = None,
        connection_timeout: float = 10.0,
        acquisition_timeout: float = 60.0,
    ):
        import neo4j
        from neo4j.exceptions import ConfigurationError

        self.uri, self.username, self.database = uri, username, database or None
        auth = (username, password or "") if username else None
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=acquisition_timeout,
                max_transaction_retry_time=5.0,
                notifications_min_severity="OFF",
            )
        except (ConfigurationError, ValueError) as exc:
            raise StoreUnavailable(f"bad Neo4j URI {uri!r}: {exc}") from None
        except ImportError as exc:  # e.g. http:// needs the driver's optional aiohttp
            raise StoreUnavailable(
                f"Neo4j URI {uri!r} needs a package that is not "
                f"installed ({exc.name}); use bolt:// or neo4j://"
            ) from None
        self._checked = False
        #: The server's name, version and edition, e.g. ``Neo4j Kernel 5.26.30 community``.
        self.server: str = ""

    @property
    def location(self) -> str:
        return self.uri + (f" (database {self.database})" if self.database else "")

    def close(self) -> None:
        self._driver.close()

    # -- connection and errors -----------------------------------------------------------------
    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        from neo4j.exceptions import AuthError, ServiceUnavailable

        if isinstance(exc, AuthError):
            return StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials"
                f"{f' of user {self.username!r}' if self.username else ' (no user given)'};"
                " check NEO4J_USERNAME and NEO4J_PASSWORD"
            )
        if isinstance(exc, ServiceUnavailable):
            return StoreUnavailable(f"cannot reach Neo4j at {self.uri}: {_one_line(exc)}")
        return StoreUnavailable(f"Neo4j at {self.uri}: {_one_line(exc)}")

    def _probe(self) -> None:
        """Connect once and make sure the server is Neo4j, before any query is sent."""
        if self._checked:
            return
        from neo4j.exceptions import (
            AuthError,
            ClientError,
            DriverError,
            Neo4jError,
            ServiceUnavailable,
        )

        try:
            self._driver.verify_connectivity()
        except (AuthError, ServiceUnavailable, DriverError, OSError) as exc:
            raise self._unavailable(exc) from None
        except Neo4jError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri}: {exc.message or exc}") from None
        try:
            with self._driver.session(database=self.database) as s:
                rec = s.run(
                    "CALL dbms.components() YIELD name, versions, edition "
                    "RETURN name, versions[0] AS version, edition"
                ).single()
        except ClientError as exc:
            if "DatabaseNotFound" in (exc.code or ""):
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} has no database named {self.database!r} "
                    "(NEO4J_DATABASE / --database)"
                ) from None
            raise self._not_neo4j() from None
        except (AuthError, ServiceUnavailable, DriverError, OSError) as exc:
            raise self._unavailable(exc) from None
        except Neo4jError:
            raise self._not_neo4j() from None
        if not rec or not str(rec["name"]).startswith("Neo4j"):
            raise self._not_neo4j()
        self.server = f"{rec['name']} {rec['version']} {rec['edition']}"
        self._checked = True

    def _not_neo4j(self) -> StoreUnavailable:
        return StoreUnavailable(
            f"the Bolt server at {self.uri} is not Neo4j (it has no dbms.components()); "
            "regulink supports Neo4j 5 and Aura over Bolt, and FalkorDB through the embedded "
            "store (--db)"
        )

    def _session(self, *, write: bool):
        import neo4j

        return self._driver.session(
            database=self.database,
            default_access_mode=neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS,
        )

    def _query_error(self, exc: Exception) -> StoreError:
        from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

        if isinstance(exc, (AuthError, ServiceUnavailable)):
            return self._unavailable(exc)
        if isinstance(exc, Neo4jError):
            code = exc.code or ""
            if (
                "AccessMode" in code
                or "WriteOnReadOnlyAccessDbException" in code
                or "ForbiddenDueToTransactionType" in code
            ):
                return ReadOnlyViolation(
                    "this query writes to the graph; queries are read-only unless --write "
                    "(write=True) is given"
                )
            if "TransactionTimedOut" in code:
                return QueryTimeout("the query was stopped: it ran past its timeout")
            if "DatabaseNotFound" in code:
                return StoreUnavailable(
                    f"Neo4j at {self.uri} has no database named {self.database!r}"
                )
            return QueryError(exc.message or str(exc))
        if isinstance(exc, DriverError):
            return StoreError(f"Neo4j driver error: {_one_line(exc)}")
        return StoreError(_one_line(exc))

    # -- Store -----------------------------------------------------------------------------
    def run(
        self,
        cypher: str,
        params: dict | None = None,
        *,
        write: bool = False,
        timeout: float | None = None,
    ) -> QueryResult:
        import neo4j
        from neo4j.exceptions import DriverError, Neo4jError

        self._probe()
        query: Any = cypher if timeout is None else neo4j.Query(cypher, timeout=timeout)
        try:
            with self._session(write=write) as s:
                result = s.run(query, params or {})
                columns = list(result.keys())
                rows = [[_plain(v) for v in rec.values()] for rec in result]
                summary = result.consume()
        except (Neo4jError, DriverError, OSError) as exc:
            raise self._query_error(exc) from None
        c = summary.counters
        counters = {
            k: getattr(c, k)
            for k in (
                "nodes_created",
                "nodes_deleted",
                "relationships_created",
                "relationships_deleted",
                "properties_set",
                "labels_added",
            )
            if getattr(c, k, 0)
        }
        return QueryResult(columns, rows, counters)

    def _ensure_schema(self) -> None:
        """Uniqueness constraints on the ids, which also index the lookups of a load."""
        for label in _ID_LABELS:
            with self._session(write=True) as s:
                s.run(
                    f"CREATE CONSTRAINT regulink_{label.lower()}_id IF NOT EXISTS "
                    f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                ).consume()

    def replace_graph(
        self,
        groups: list[Group],
        meta: Meta,
        *,
        batch_size: int | None = None,
        progress: Progress | None = None,
        lock_timeout: float = 300.0,
    ) -> None:
        """One transaction turns the stored graph into the new one, then commits.

        Readers see the old graph until the commit; a failed or killed load is rolled back by
        the server. The transaction's first write, on the ``:RegulinkMeta`` node, takes its
        lock, so a second load waits for the first instead of interleaving.

        Nodes are updated in place (``MERGE`` on their constrained id) and the ones the new
        facts lack deleted; relationships are deleted and written anew. Deleting a node and
        creating one with the same constrained id in one transaction is what not to do:
        measured on Neo4j 5.26, each such create then costs time in proportion to the
        transaction's size (50,000 sources reloaded so took 47 s of server CPU, against 3 s
        updated in place).
        """
        from neo4j.exceptions import DriverError, Neo4jError, TransientError

        size = batch_size or NEO4J_BATCH
        work = _load_statements(groups, size)
        self._probe()
        total = sum(len(st.rows) for st in work)
        token = uuid.uuid4().hex
        try:
            self._ensure_schema()
            with self._session(write=True) as s:
                tx = s.begin_transaction(timeout=None)
                try:
                    # The lock: a write on the meta node, held until commit or rollback.
                    tx.run(
                        "MERGE (m:RegulinkMeta {id: 'graph'}) SET m.load_token = $token",
                        token=token,
                    ).consume()
                    tx.run("MATCH (:Entity)-[r]->(:Entity) DELETE r").consume()
                    done = 0
                    for st in work:
                        tx.run(st.cypher, rows=st.rows).consume()
                        done += len(st.rows)
                        if progress:
                            progress(done, total)
                    labels = [rec[0] for rec in tx.run("CALL db.labels()")]
                    for cypher, params in _node_cleanup(groups, labels):
                        tx.run(cypher, params).consume()
                    tx.run(
                        "MATCH (m:RegulinkMeta {id: 'graph'}) SET m = $meta", meta=meta_of(meta)
                    ).consume()
                    tx.commit()
                finally:
                    if not tx.closed():
                        tx.rollback()
        except TransientError as exc:
            if "Lock" in (exc.code or "") or "Deadlock" in (exc.code or ""):
                raise StoreBusy(
                    f"another load into {self.location} holds the lock: {exc.message}"
                ) from None
            raise self._query_error(exc) from None
        except (Neo4jError, DriverError, OSError) as exc:
            raise self._query_error(exc) from None


def _load_statements(groups: list[Group], batch_size: int) -> list[Statement]:
    """Nodes upserted on their constrained id (first label, first field), then the
    relationships created between them."""
    out: list[Statement] = []
    for g in groups:
        if not g.labels:
            continue
        key, *more = g.labels
        cypher = f"UNWIND $rows AS row\nMERGE (n:{key} {{id: row.id}})\nSET n = row" + (
            f"\nSET n:{':'.join(more)}" if more else ""
        )
        rows = [_row(g.fields, rec) for rec in g.records]
        out.extend(
            Statement(cypher, rows[i : i + batch_size]) for i in range(0, len(rows), batch_size)
        )
    return out + group_statements([g for g in groups if not g.labels], batch_size=batch_size)


def _node_cleanup(groups: list[Group], labels: list[str]) -> list[tuple[str, dict]]:
    """Delete the nodes the new facts lack; take each kind label off the entities that are no
    longer of that kind (``labels``: every label in the database)."""
    ids: dict[str, list[str]] = {}
    kind_of: dict[str, str] = {}  # kind label -> its kind, for the groups of this load
    for g in groups:
        for label in g.labels:
            ids.setdefault(label, []).extend(rec[0] for rec in g.records)
        if len(g.labels) > 1 and g.records and "kind" in g.fields:
            kind_of[g.labels[1]] = g.records[0][g.fields.index("kind")]
    out: list[tuple[str, dict]] = [
        (f"MATCH (n:{label}) WHERE NOT n.id IN $ids DETACH DELETE n", {"ids": ids.get(label, [])})
        for label in ("Entity", "Source")
    ]
    for label in labels:
        if label not in _ID_LABELS:
            quoted = "`" + label.replace("`", "``") + "`"  # a label from the database itself
            out.append(
                (
                    f"MATCH (n:Entity:{quoted}) WHERE n.kind <> $kind OR $kind IS NULL "
                    f"REMOVE n:{quoted}",
                    {"kind": kind_of.get(label)},
                )
            )
    return out


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
