"""`regulink load` and `regulink query` through CliRunner, checked back through the API."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from test_store_support import MINI, dump_graph, expected_graph

import regulink
from regulink.cli.main import cli
from regulink.loaders.store import FalkorLiteStore, saved_queries


@pytest.fixture(autouse=True)
def _no_env_store(monkeypatch):
    # A developer's NEO4J_URI must not redirect these embedded-store tests.
    for var in ("NEO4J_URI", "REGULINK_DB", "REGULINK_SEEDS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def loaded(tmp_path, runner):
    db = tmp_path / "g.db"
    res = runner.invoke(cli, ["--seeds", str(MINI), "load", "--db", str(db)])
    assert res.exit_code == 0, res.output
    return db


def test_load_reports_and_fills_the_store(tmp_path, runner):
    db = tmp_path / "g.db"
    res = runner.invoke(cli, ["--seeds", str(MINI), "load", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    facts = regulink.load_facts([MINI])
    assert (report["entities"], report["relations"], report["sources"]) == (
        len(facts.entities),
        len(facts.relations),
        len(facts.sources),
    )
    assert report["store"] == "embedded" and report["location"] == str(db)
    with FalkorLiteStore(db) as store:
        assert dump_graph(store) == expected_graph(facts)
    again = runner.invoke(cli, ["--seeds", str(MINI), "load", "--db", str(db)])
    assert again.exit_code == 0 and "unchanged since the last load" in again.output


def test_default_db_is_beside_the_seeds(tmp_path, runner, mini_dir):
    res = runner.invoke(cli, ["--seeds", str(mini_dir), "load"])
    assert res.exit_code == 0, res.output
    db = mini_dir.parent / ".regulink" / "regulink.db"
    assert str(db) in res.output and db.exists()
    assert (db.parent / ".gitignore").read_text() == "*\n"
    q = runner.invoke(
        cli, ["--seeds", str(mini_dir), "query", "--json", "MATCH (n:Entity) RETURN count(n) AS n"]
    )
    assert q.exit_code == 0, q.output
    assert json.loads(q.output) == [{"n": len(regulink.load_facts([mini_dir]).entities)}]


def test_invalid_facts_exit_1_and_change_nothing(tmp_path, runner, loaded, mini_dir):
    facts = regulink.load_facts([MINI])
    text = (mini_dir / "relations.yaml").read_text().replace("type: leads", "type: leadz", 1)
    (mini_dir / "relations.yaml").write_text(text)
    res = runner.invoke(cli, ["--seeds", str(mini_dir), "load", "--db", str(loaded)])
    assert res.exit_code == 1
    assert "relations.yaml:" in res.output and "leadz" in res.output
    assert "Traceback" not in res.output
    with FalkorLiteStore(loaded) as store:
        assert dump_graph(store) == expected_graph(facts)


def test_query_formats(runner, loaded):
    q = "MATCH (n:Regulator) RETURN n.id AS id, n.aliases AS aliases ORDER BY id"
    facts = regulink.load_facts([MINI])
    regs = sorted(e.id for e in facts.entities.values() if e.kind == "regulator")

    res = runner.invoke(cli, ["--seeds", str(MINI), "query", "--db", str(loaded), q, "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["id"] for r in rows] == regs
    assert rows[[r["id"] for r in rows].index("gamma-fma")]["aliases"] == list(
        facts.entities["gamma-fma"].aliases
    )

    res = runner.invoke(cli, ["--seeds", str(MINI), "query", "--db", str(loaded), q, "--csv"])
    assert res.exit_code == 0, res.output
    table = list(csv.reader(io.StringIO(res.output)))
    assert table[0] == ["id", "aliases"] and [r[0] for r in table[1:]] == regs

    res = runner.invoke(cli, ["--seeds", str(MINI), "query", "--db", str(loaded), q])
    assert res.exit_code == 0, res.output
    assert all(r in res.output for r in regs) and f"{len(regs)} rows" in res.output


def test_query_params_and_file(tmp_path, runner, loaded):
    f = tmp_path / "q.cypher"
    f.write_text(
        "// a comment line\nMATCH (n:Entity {jurisdiction: $j}) RETURN n.id AS id ORDER BY id\n"
    )
    res = runner.invoke(
        cli,
        [
            "--seeds",
            str(MINI),
            "query",
            "--db",
            str(loaded),
            "-f",
            str(f),
            "--param",
            "j=CH",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    facts = regulink.load_facts([MINI])
    assert [r["id"] for r in json.loads(res.output)] == sorted(
        e.id for e in facts.entities.values() if e.jurisdiction == "CH"
    )
    res = runner.invoke(
        cli,
        [
            "--seeds",
            str(MINI),
            "query",
            "--db",
            str(loaded),
            "RETURN $n + 1 AS x",
            "-p",
            "n=41",
            "--json",
        ],
    )
    assert json.loads(res.output) == [{"x": 42}]


def test_query_write_needs_the_flag(runner, loaded):
    q = "MATCH (n:Entity {id: 'beta-fsa'}) SET n.name = 'Changed' RETURN n.name AS name"
    res = runner.invoke(cli, ["--seeds", str(MINI), "query", "--db", str(loaded), q])
    assert res.exit_code == 1 and "--write" in res.output and "Traceback" not in res.output
    with FalkorLiteStore(loaded) as store:
        assert store.run("MATCH (n {id: 'beta-fsa'}) RETURN n.name").rows != [["Changed"]]
    res = runner.invoke(
        cli, ["--seeds", str(MINI), "query", "--db", str(loaded), q, "--write", "--json"]
    )
    assert res.exit_code == 0, res.output
    with FalkorLiteStore(loaded) as store:
        assert store.run("MATCH (n {id: 'beta-fsa'}) RETURN n.name").rows == [["Changed"]]


def test_query_errors_are_clear(runner, loaded):
    res = runner.invoke(
        cli, ["--seeds", str(MINI), "query", "--db", str(loaded), "MATCH (n RETURN n"]
    )
    assert res.exit_code == 1 and "Invalid input" in res.output
    assert ("Traceback" not in res.output and res.exception is None) or isinstance(
        res.exception, SystemExit
    )
    res = runner.invoke(
        cli, ["--seeds", str(MINI), "query", "--db", str(loaded), "RETURN 1", "-p", "oops"]
    )
    assert res.exit_code == 2 and "NAME=VALUE" in res.output
    res = runner.invoke(cli, ["--seeds", str(MINI), "query", "--db", str(loaded)])
    assert res.exit_code == 2 and "exactly one" in res.output
    res = runner.invoke(
        cli, ["--seeds", str(MINI), "query", "--db", str(loaded), "--saved", "no-such-query"]
    )
    assert res.exit_code == 2 and "cross-border-projects" in res.output
    res = runner.invoke(
        cli, ["--seeds", str(MINI), "query", "--db", str(loaded), "--saved", "partners-by-year"]
    )
    assert res.exit_code == 2 and "--param entity=" in res.output
    res = runner.invoke(
        cli, ["--seeds", str(MINI), "query", "--db", str(loaded), "--neo4j", "bolt://x", "RETURN 1"]
    )
    assert res.exit_code == 2 and "not both" in res.output


def test_query_timeout_option(runner, loaded):
    res = runner.invoke(
        cli,
        [
            "--seeds",
            str(MINI),
            "query",
            "--db",
            str(loaded),
            "--timeout",
            "0.3",
            "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*)",
        ],
    )
    assert res.exit_code == 1 and "timeout" in res.output


def test_query_on_a_store_never_loaded(tmp_path, runner):
    new = tmp_path / "new.db"
    res = runner.invoke(cli, ["query", "--db", str(new), "RETURN 1"])
    assert res.exit_code == 1 and "regulink load" in res.output and str(new) in res.output
    assert "Traceback" not in res.output
    assert not new.exists() and list(tmp_path.iterdir()) == []  # no empty database left


def test_query_warns_when_the_store_holds_other_facts(runner, loaded, mini_dir):
    q = ["query", "--db", str(loaded), "MATCH (n:Entity) RETURN count(n) AS n", "--json"]
    fresh = runner.invoke(cli, ["--seeds", str(MINI), *q])
    assert fresh.exit_code == 0 and "warning" not in fresh.output
    assert json.loads(fresh.output) == [{"n": len(regulink.load_facts([MINI]).entities)}]
    # the files change after the load: the answer is the store's, with one warning line
    rel = mini_dir / "relations.yaml"
    rel.write_text(
        rel.read_text().replace("The fixture authority started Kite.", "A changed note.")
    )
    stale = runner.invoke(cli, ["--seeds", str(mini_dir), *q])
    assert stale.exit_code == 0, stale.output
    assert json.loads(stale.stdout) == json.loads(fresh.output)
    warning = stale.stderr.strip().splitlines()
    assert len(warning) == 1 and "loaded from other facts than the files now hold" in warning[0]
    assert "regulink load" in warning[0]
    # loading the new files makes it go away
    assert (
        runner.invoke(cli, ["--seeds", str(mini_dir), "load", "--db", str(loaded)]).exit_code == 0
    )
    again = runner.invoke(cli, ["--seeds", str(mini_dir), *q])
    assert again.exit_code == 0 and again.stderr == ""


def test_saved_list_and_run(runner, loaded):
    res = runner.invoke(cli, ["query", "--list"])
    assert res.exit_code == 0
    for name in saved_queries():
        assert name in res.output
    res = runner.invoke(
        cli,
        [
            "--seeds",
            str(MINI),
            "query",
            "--db",
            str(loaded),
            "--saved",
            "entities-by-jurisdiction",
            "-p",
            "jurisdiction=SG",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    facts = regulink.load_facts([MINI])
    assert sorted(r["id"] for r in json.loads(res.output)) == sorted(
        e.id for e in facts.entities.values() if e.jurisdiction == "SG"
    )


def test_saved_queries_name_only_vocabulary_labels_and_types():
    import re

    from regulink.graph.schema import load_schema

    s = load_schema()
    labels = {k.label for k in s.kinds.values()} | {"Entity", "Source", "RegulinkMeta"}
    types = {t.cypher_type for t in s.relation_types.values()}
    for q in saved_queries().values():
        for label in re.findall(r"\(\w*:(\w+)", q.cypher):
            assert label in labels, (q.name, label)
        for group in re.findall(r"\[\w*:([\w|]+)", q.cypher):
            assert set(group.split("|")) <= types, (q.name, group)


@pytest.mark.parametrize(
    "procedure",
    [
        "CALL db.idx.fulltext.createNodeIndex('Entity', 'name')",
        "CALL db.idx.fulltext.drop('Entity')",
    ],
)
def test_write_procedures_are_refused_without_write(runner, loaded, procedure):
    """Issue 14: these passed regulink's old keyword check; the server's read-only mode is
    what refuses them now (on Neo4j: tests/test_store_bolt.py)."""
    with FalkorLiteStore(loaded) as store:
        before = store.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
    res = runner.invoke(cli, ["--seeds", str(MINI), "query", "--db", str(loaded), procedure])
    assert res.exit_code == 1 and "read-only unless --write" in res.output
    with FalkorLiteStore(loaded) as store:
        after = store.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
        assert after.rows == before.rows
        assert dump_graph(store) == expected_graph(regulink.load_facts([MINI]))
