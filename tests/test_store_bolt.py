"""The Neo4j backend against a real Neo4j 5 server over Bolt (fixtures in neo4j_server.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
from falkordb_bolt import free_port
from test_store_support import (
    MINI,
    check_saved_query,
    dump_graph,
    expected_graph,
    synthetic,
)

import regulink
from regulink.errors import QueryError, QueryTimeout, ReadOnlyViolation, StoreUnavailable
from regulink.graph.model import Entity, FactBase
from regulink.loaders.store import FalkorLiteStore, Neo4jStore, saved_queries

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def mini_facts():
    return regulink.load_facts([MINI])


def test_load_builds_the_graph_model(neo4j_store, mini_facts):
    report = regulink.load(mini_facts, neo4j_store)
    assert report.store == "neo4j" and report.relations == len(mini_facts.relations)
    assert dump_graph(neo4j_store) == expected_graph(mini_facts)
    assert neo4j_store.meta()["fingerprint"] == report.fingerprint
    assert neo4j_store.server.startswith("Neo4j Kernel 5.")


def test_bundled_seeds_load_and_counts_equal_the_facts(neo4j_store):
    facts = regulink.load_facts()  # real text: apostrophes, CJK aliases, long notes
    regulink.load(facts, neo4j_store)
    run = neo4j_store.run
    assert run("MATCH (n:Entity) RETURN count(n)").rows == [[len(facts.entities)]]
    assert run("MATCH (n:Source) RETURN count(n)").rows == [[len(facts.sources)]]
    assert run("MATCH (:Entity)-[r]->(:Entity) RETURN count(r)").rows == [[len(facts.relations)]]
    assert dump_graph(neo4j_store) == expected_graph(facts)


def test_reload_is_idempotent_and_mirrors_deletions(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    first = dump_graph(neo4j_store)
    regulink.load(mini_facts, neo4j_store)
    assert dump_graph(neo4j_store) == first == expected_graph(mini_facts)
    gone = mini_facts.relations[0]
    fewer = FactBase(
        mini_facts.entities, mini_facts.relations[1:], mini_facts.sources, mini_facts.files
    )
    regulink.load(fewer, neo4j_store)
    assert dump_graph(neo4j_store) == expected_graph(fewer)
    assert neo4j_store.run("MATCH ()-[r {key: $k}]->() RETURN count(r)", {"k": gone.key}).rows == [
        [0]
    ]
    assert neo4j_store.run("MATCH (m:RegulinkMeta) RETURN count(m)").rows == [[1]]


def test_reload_updates_nodes_in_place(neo4j_store, mini_facts):
    """Nodes are updated on their id (not deleted and created again): a changed kind changes
    the label, a user's stray property is gone, an entity no longer in the facts is deleted."""
    regulink.load(mini_facts, neo4j_store)
    neo4j_store.run("MATCH (n:Entity {id: 'alpha-ma'}) SET n.stray = 1", write=True)
    entities = dict(mini_facts.entities)
    e = entities["delta-bank"]
    entities["delta-bank"] = Entity(
        e.id, "regulator", e.name, e.short_name, e.aliases, e.jurisdiction
    )
    dropped = next(i for i in entities if i not in ("alpha-ma", "delta-bank"))
    del entities[dropped]
    relations = [r for r in mini_facts.relations if dropped not in (r.from_, r.to)]
    changed = FactBase(entities, relations, mini_facts.sources, mini_facts.files)
    regulink.load(changed, neo4j_store)
    assert dump_graph(neo4j_store) == expected_graph(changed)
    assert neo4j_store.run("MATCH (n:CentralBank {id: 'delta-bank'}) RETURN n").rows == []


def test_batched_load_reports_progress(neo4j_store):
    facts = synthetic(300, 1500, tag="b")
    seen = []
    regulink.load(facts, neo4j_store, batch_size=100, progress=lambda d, t: seen.append((d, t)))
    total = len(facts.entities) + len(facts.relations) + len(facts.sources)
    assert seen[-1] == (total, total) and len(seen) > 15
    assert neo4j_store.run("MATCH ()-[r]->() RETURN count(r)").rows == [[1500]]


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_on_neo4j(neo4j_store, mini_facts, name):
    check_saved_query(neo4j_store, mini_facts, name)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_give_the_same_rows_as_the_embedded_store(neo4j_store, tmp_path, name):
    facts = regulink.load_facts()
    params = {"entity": "mas", "jurisdiction": "SG", "source": next(iter(facts.sources))}
    q = saved_queries()[name]
    bound = q.bind({p.name: params[p.name] for p in q.params if p.name in params})
    regulink.load(facts, neo4j_store)
    with FalkorLiteStore(tmp_path / "g.db") as embedded:
        regulink.load(facts, embedded)
        want = regulink.query(embedded, q.cypher, bound).records()
    got = regulink.query(neo4j_store, q.cypher, bound).records()
    assert want and _sorted_lists(got) == _sorted_lists(want)


def _sorted_lists(rows):
    # collect() gives lists in no set order on either store
    return [{k: sorted(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows]


def test_partial_dates_and_awkward_strings_round_trip(neo4j_store, mini_facts):
    odd = "O'Brien \\ \"quoted\"\nsecond line\ttab 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 日本's"  # noqa: RUF001  (look-alikes on purpose)
    e = next(iter(mini_facts.entities.values()))
    entities = dict(mini_facts.entities)
    entities[e.id] = Entity(e.id, e.kind, odd, e.short_name, (odd, "x"), e.jurisdiction)
    facts = FactBase(entities, mini_facts.relations, mini_facts.sources, mini_facts.files)
    regulink.load(facts, neo4j_store)
    assert neo4j_store.run(
        "MATCH (n:Entity {id: $id}) RETURN n.name, n.aliases", {"id": e.id}
    ).rows == [[odd, [odd, "x"]]]
    assert neo4j_store.run("MATCH (n:Entity {name: $v}) RETURN n.id", {"v": odd}).rows == [[e.id]]
    dates = {r.key: (r.start, r.end) for r in facts.relations}
    assert {"2022", "2023-10", "2023-10-30"} <= {s for s, _ in dates.values()}
    got = neo4j_store.run("MATCH ()-[r]->() RETURN r.key, r.start, r.end").rows
    assert {k: (s, e) for k, s, e in got} == dates


def test_relationships_carry_their_class(neo4j_store, mini_facts):
    from regulink.graph.schema import load_schema

    regulink.load(mini_facts, neo4j_store)
    schema = load_schema()
    rows = neo4j_store.run("MATCH ()-[r]->() RETURN r.key, r.class").rows
    want = {r.key: schema.relation_types[r.type].relation_class for r in mini_facts.relations}
    assert dict(map(tuple, rows)) == want
    assert {"structural", "substantive"} <= set(want.values())
    n = neo4j_store.run("MATCH ()-[r]->() WHERE r.class = 'substantive' RETURN count(r)").rows
    assert n == [[sum(c == "substantive" for c in want.values())]]


# -- read-only, enforced by the server ---------------------------------------------------------

WRITES = [
    "MATCH (n:Entity) DETACH DELETE n",
    "MATCH (n:Entity {id: 'alpha-ma'}) SET n.x = 1",
    # writes a lexical check of the query text would not see
    "CALL db.createLabel('Injected')",
    "CALL db.createProperty('injected')",
    "CALL db.createRelationshipType('INJECTED')",
    "CREATE FULLTEXT INDEX injected FOR (n:Entity) ON EACH [n.name]",
    "CREATE INDEX injected FOR (n:Entity) ON (n.name)",
    "CALL { MATCH (n:Entity) WITH n LIMIT 1 DETACH DELETE n } RETURN 1",
]


@pytest.mark.parametrize("cypher", WRITES)
def test_the_server_refuses_writes_without_write(neo4j_store, mini_facts, cypher):
    regulink.load(mini_facts, neo4j_store)
    before = dump_graph(neo4j_store)
    indexes = neo4j_store.run("SHOW INDEXES YIELD name RETURN name ORDER BY name").rows
    labels = neo4j_store.run("CALL db.labels()").rows
    with pytest.raises(ReadOnlyViolation):
        regulink.query(neo4j_store, cypher)
    assert dump_graph(neo4j_store) == before
    assert neo4j_store.run("SHOW INDEXES YIELD name RETURN name ORDER BY name").rows == indexes
    assert neo4j_store.run("CALL db.labels()").rows == labels


def test_write_flag_allows_a_write(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    res = regulink.query(
        neo4j_store,
        "MATCH (n:Entity {id: $id}) SET n.flag = true RETURN n.id",
        {"id": "alpha-ma"},
        write=True,
    )
    assert res.rows == [["alpha-ma"]] and res.counters == {"properties_set": 1}
    assert neo4j_store.run("MATCH (n:Entity {flag: true}) RETURN n.id").rows == [["alpha-ma"]]


def test_a_parameter_map_key_cannot_inject(neo4j_store, mini_facts):
    """Issue 14: on FalkorDB's Bolt listener this key deleted every node without --write."""
    regulink.load(mini_facts, neo4j_store)
    before = dump_graph(neo4j_store)
    key = "a: 1} MATCH (n:Entity) DETACH DELETE n RETURN 1 AS x //"
    res = regulink.query(neo4j_store, "RETURN $m AS m", {"m": {key: 1}})
    assert res.rows == [[{key: 1}]]
    assert dump_graph(neo4j_store) == before


def test_timeout_is_enforced_by_the_server(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    with pytest.raises(QueryTimeout):
        regulink.query(
            neo4j_store,
            "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*)",
            timeout=0.5,
        )
    assert neo4j_store.run("RETURN 1").rows == [[1]]  # the session is still usable


def test_syntax_error_is_a_query_error(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    with pytest.raises(QueryError, match="Invalid input"):
        regulink.query(neo4j_store, "MATCH (n RETURN n")


# -- schema --------------------------------------------------------------------------------------


def test_ids_have_uniqueness_constraints_and_lookups_use_them(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    rows = neo4j_store.run(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "RETURN type, labelsOrTypes[0], properties"
    ).rows
    assert {(lbl, t) for t, lbl, props in rows if props == ["id"]} >= {
        ("Entity", "UNIQUENESS"),
        ("Source", "UNIQUENESS"),
        ("RegulinkMeta", "UNIQUENESS"),
    }
    plan = neo4j_store.run("EXPLAIN MATCH (n:Entity {id: $id}) RETURN n", {"id": "x"})
    assert plan.rows == []
    with neo4j_store._driver.session() as s:  # the plan is in the summary, not the rows
        summary = s.run("EXPLAIN MATCH (n:Entity {id: $id}) RETURN n", id="x").consume()
    assert "NodeUniqueIndexSeek" in repr(summary.plan)


# -- atomicity and locking ----------------------------------------------------------------------


def test_a_failed_load_leaves_the_previous_graph(neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    before = dump_graph(neo4j_store)

    def boom(done, total):
        raise KeyboardInterrupt  # like Ctrl-C half-way

    with pytest.raises(KeyboardInterrupt):
        regulink.load(synthetic(200, 800, tag="x"), neo4j_store, batch_size=50, progress=boom)
    assert dump_graph(neo4j_store) == before


def test_a_load_killed_midway_leaves_the_previous_graph(neo4j_server, neo4j_store, mini_facts):
    regulink.load(mini_facts, neo4j_store)
    before = dump_graph(neo4j_store)
    script = textwrap.dedent(f"""
        import sys, regulink
        sys.path.insert(0, {str(MINI.parent.parent)!r})
        from test_store_support import synthetic
        from regulink.loaders.store import Neo4jStore
        facts = synthetic(3000, 30000, tag="k")
        store = Neo4jStore({neo4j_server.uri!r}, username={neo4j_server.username!r},
                           password={neo4j_server.password!r})
        def progress(done, total):
            print(done, flush=True)
        regulink.load(facts, store, batch_size=500, progress=progress)
        print("finished", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(20)]  # well into the relationships
        assert all(line.strip().isdigit() for line in lines), lines
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert dump_graph(neo4j_store) == before
    regulink.load(mini_facts, neo4j_store)  # and the next load is not blocked by it
    assert dump_graph(neo4j_store) == before


def test_concurrent_loads_are_serialised(neo4j_server, neo4j_store):
    facts = {t: synthetic(150, 600, tag=t) for t in ("p", "q")}
    errors = []

    def run(tag):
        try:
            with neo4j_server.store() as s:
                regulink.load(facts[tag], s, batch_size=50)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in facts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert dump_graph(neo4j_store) in (expected_graph(facts["p"]), expected_graph(facts["q"]))


# -- connections ---------------------------------------------------------------------------------


def test_unreachable_server_is_a_clear_error():
    with (
        Neo4jStore(f"bolt://127.0.0.1:{free_port()}", connection_timeout=2) as store,
        pytest.raises(StoreUnavailable, match="cannot reach Neo4j"),
    ):
        store.run("RETURN 1")


def test_bad_uri_is_a_clear_error():
    with pytest.raises(StoreUnavailable, match="bad Neo4j URI"):
        Neo4jStore("ftp://localhost:7687")


def test_bad_credentials_and_database(neo4j_server):
    with (
        Neo4jStore(neo4j_server.uri, username="neo4j", password="certainly-wrong") as bad,
        pytest.raises(StoreUnavailable, match="refused the credentials of user 'neo4j'"),
    ):
        bad.run("RETURN 1")
    with (
        neo4j_server.store(database="no-such-database-here") as bad,
        pytest.raises(StoreUnavailable, match="no database"),
    ):
        bad.run("RETURN 1")


@pytest.mark.parametrize("scheme", ["bolt", "neo4j", "bolt+ssc", "neo4j+ssc"])
def test_uri_forms(neo4j_server, scheme):
    if scheme.endswith("+ssc") and neo4j_server.certificate is None:
        pytest.skip("the TLS forms are tried on the local server (its certificate is known)")
    with neo4j_server.store() as plain:
        pass
    with Neo4jStore(
        neo4j_server.uri_as(scheme), username=neo4j_server.username, password=neo4j_server.password
    ) as store:
        assert store.run("RETURN 41 + 1").rows == [[42]]
        assert store.server.startswith("Neo4j Kernel 5.")
    del plain


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_tls_with_a_trusted_certificate(neo4j_server, scheme, monkeypatch):
    if neo4j_server.certificate is None:
        pytest.skip("the TLS forms are tried on the local server (its certificate is known)")
    uri = neo4j_server.uri_as(scheme)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    # +s verifies the certificate: a self-signed one is refused, in one clear error
    with (
        Neo4jStore(
            uri,
            username=neo4j_server.username,
            password=neo4j_server.password,
            connection_timeout=5,
            acquisition_timeout=10,
        ) as store,
        pytest.raises(StoreUnavailable, match="cannot reach Neo4j"),
    ):
        store.run("RETURN 1")
    # trusted once its certificate is (as Aura's is, through the system's authorities)
    monkeypatch.setenv("SSL_CERT_FILE", str(neo4j_server.certificate))
    with Neo4jStore(uri, username=neo4j_server.username, password=neo4j_server.password) as store:
        assert store.run("RETURN 1").rows == [[1]]


def test_setup_script_start_prints_three_exports_and_is_idempotent(neo4j_server):
    """`eval "$(./setup.sh neo4j start)"`: a second start while it runs prints the same three
    lines on stdout and nothing else there."""
    from neo4j_server import ROOT

    if neo4j_server.certificate is None:
        pytest.skip("the tests use a server of their own (REGULINK_TEST_NEO4J_URI)")
    res = subprocess.run(
        [str(ROOT / "setup.sh"), "neo4j", "start"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [f"export {k}={v}" for k, v in neo4j_server.env().items()]
    assert "already running" in res.stderr
