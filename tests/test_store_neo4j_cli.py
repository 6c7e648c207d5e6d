"""`regulink load` and `regulink query` against a real Neo4j 5, through CliRunner, as a user
would after `eval "$(./setup.sh neo4j start)"`; results checked back through the API."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from falkordb_bolt import free_port, spawn_bolt_server, stop_server
from test_store_support import MINI, dump_graph, expected_graph

import regulink
from regulink.cli.main import cli
from regulink.loaders.store import FalkorLiteStore

pytestmark = pytest.mark.timeout(300)

INJECTION = '{"a: 1} MATCH (n:Entity) DETACH DELETE n RETURN 1 AS x //": 1}'


@pytest.fixture
def cli_env(neo4j_server, neo4j_store, monkeypatch):
    """The three NEO4J_ variables set, as `eval "$(./setup.sh neo4j start)"` sets them."""
    monkeypatch.delenv("REGULINK_DB", raising=False)
    for k, v in neo4j_server.env().items():
        monkeypatch.setenv(k, v)
    return neo4j_store


def invoke(*args: str):
    return CliRunner().invoke(cli, ["--seeds", str(MINI), *args])


def _one_error_line(res) -> str:
    assert res.exit_code == 1, res.output
    assert ("Traceback" not in res.output and res.exception is None) or isinstance(
        res.exception, SystemExit
    )
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_load_then_query_on_neo4j(cli_env, tmp_path):
    res = invoke("load")
    assert res.exit_code == 0, res.output
    facts = regulink.load_facts([MINI])
    assert (
        f"Loaded {len(facts.entities)} entities, {len(facts.relations)} relations" in res.output
        and "neo4j store at bolt://127.0.0.1" in res.output
    )
    assert dump_graph(cli_env) == expected_graph(facts)

    res = invoke("query", "CALL dbms.components() YIELD name, versions RETURN *", "--json")
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.output)
    assert row["name"] == "Neo4j Kernel" and row["versions"][0].startswith("5.")

    res = invoke("query", "--saved", "most-connected", "--json")
    assert res.exit_code == 0, res.output
    with FalkorLiteStore(tmp_path / "g.db") as embedded:
        regulink.load(facts, embedded)
        q = regulink.saved_queries()["most-connected"]
        want = regulink.query(embedded, q.cypher, q.bind({})).records()
    assert json.loads(res.output) == want and want


def test_write_without_the_flag_is_refused_by_the_server(cli_env):
    assert invoke("load").exit_code == 0
    before = dump_graph(cli_env)
    for q in (
        "MATCH (n:Entity) DETACH DELETE n",
        "CALL db.createLabel('Injected')",
        "CREATE FULLTEXT INDEX injected FOR (n:Entity) ON EACH [n.name]",
    ):
        line = _one_error_line(invoke("query", q))
        assert "read-only unless --write" in line
    assert dump_graph(cli_env) == before
    res = invoke("query", "--write", "MATCH (n:Entity {id: 'alpha-ma'}) SET n.x = 1 RETURN n.x")
    assert res.exit_code == 0, res.output
    assert cli_env.run("MATCH (n:Entity {x: 1}) RETURN n.id").rows == [["alpha-ma"]]


def test_a_param_map_key_does_not_inject(cli_env):
    """Issue 14's attack: a --param map key that deleted every node on FalkorDB's listener."""
    assert invoke("load").exit_code == 0
    before = dump_graph(cli_env)
    res = invoke("query", "RETURN $m AS m", "--param", f"m={INJECTION}", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == [{"m": json.loads(INJECTION)}]
    assert dump_graph(cli_env) == before


def test_the_falkordb_bolt_listener_is_refused_before_any_query(tmp_path):
    """That listener ignores READ access mode and pastes parameters into the query: the
    same attack deleted its nodes. regulink no longer sends it anything but the probe."""
    proc, port, bolt_port = spawn_bolt_server(tmp_path)
    try:
        from falkordb import FalkorDB

        g = FalkorDB(host="127.0.0.1", port=port).select_graph("falkordb")
        g.query("CREATE (:Entity {id: 'a'}), (:Entity {id: 'b'})")
        res = invoke(
            "query",
            "RETURN $m AS m",
            "--param",
            f"m={INJECTION}",
            "--neo4j",
            f"bolt://127.0.0.1:{bolt_port}",
        )
        line = _one_error_line(res)
        assert "is not Neo4j" in line and "embedded store" in line
        assert g.ro_query("MATCH (n:Entity) RETURN count(n)").result_set == [[2]]
        # (one client only: after a client's GOODBYE that listener stops answering handshakes)
    finally:
        stop_server(proc)


def test_timeout_is_cut_by_the_server(cli_env):
    assert invoke("load").exit_code == 0
    line = _one_error_line(
        invoke(
            "query",
            "--timeout",
            "0.5",
            "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*)",
        )
    )
    assert "ran past its timeout" in line


def test_wrong_credentials_and_a_server_down(cli_env, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "certainly-wrong")
    line = _one_error_line(invoke("query", "RETURN 1"))
    assert "refused the credentials of user 'neo4j'" in line
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    line = _one_error_line(invoke("load"))
    assert "cannot reach Neo4j at bolt://127.0.0.1:" in line


def test_an_untrusted_certificate_is_one_clear_line(neo4j_server, cli_env, monkeypatch):
    if neo4j_server.certificate is None:
        pytest.skip("the TLS forms are tried on the local server (its certificate is known)")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri_as("neo4j+s"))
    line = _one_error_line(invoke("query", "RETURN 1"))
    assert "cannot reach Neo4j at neo4j+s://" in line
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri_as("neo4j+ssc"))
    res = invoke("query", "RETURN 1 AS one", "--json")
    assert res.exit_code == 0 and json.loads(res.stdout) == [{"one": 1}]


def test_query_warns_when_neo4j_holds_other_facts(cli_env, mini_dir):
    assert invoke("load").exit_code == 0
    res = CliRunner().invoke(cli, ["--seeds", str(mini_dir), "query", "RETURN 1 AS one", "--json"])
    assert res.exit_code == 0 and res.stderr == ""
    rel = mini_dir / "relations.yaml"
    rel.write_text(rel.read_text().replace("The fixture authority started Kite.", "Changed."))
    res = CliRunner().invoke(cli, ["--seeds", str(mini_dir), "query", "RETURN 1 AS one", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout) == [{"one": 1}]
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith("warning: the store at bolt://") and "other facts" in line
