"""The cypher and neo4j-admin exports, read back by a real Neo4j 5.

cypher: the script runs statement by statement on the test server (``neo4j_server``, see
tests/neo4j_server.py), then the graph is counted and sampled, hard text included; running
it again changes nothing. neo4j-admin: ``neo4j-admin database import full`` (the server's
own AdminTool, from the same jars) loads the files into a fresh Neo4j home, and a server
started on that home for the test is counted and sampled the same way.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import MINI

import regulink
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.selection import select_facts

ROOT = Path(__file__).resolve().parent.parent
TRICKY = 'O\'Brien "Ops" \\ C:\\new\\path\nline two\r\n 🦄𝔘 semi; colon \x07 end\u2028 // */'  # noqa: RUF001  (look-alikes on purpose)


def _facts() -> FactBase:
    mini = regulink.load_facts([MINI])
    extra = FactBase(
        {"ob": Entity("ob", "regulator", TRICKY, "O'B", ('Ali"as', "🦄"), "SG", None, TRICKY)},
        [
            Relation(
                "partners_with",
                "ob",
                "alpha-ma",
                "2020",
                None,
                TRICKY,
                None,
                ("sx",),
                TRICKY,
                symmetric=True,
            )
        ],
        {"sx": Source("sx", "news", TRICKY, "T'itle \\", None, "https://x.example/'q'")},
    )
    return FactBase(
        {**mini.entities, **extra.entities},
        [*mini.relations, *extra.relations],
        {**mini.sources, **extra.sources},
        mini.files,
    )


def _check_graph(run, facts: FactBase) -> None:
    """Counts by label and type, and a sample of properties, as the facts say."""
    [[n]] = run("MATCH (n:Entity) RETURN count(n)")
    assert n == len(facts.entities)
    [[n]] = run("MATCH (n:Source) RETURN count(n)")
    assert n == len(facts.sources)
    [[n]] = run("MATCH ()-[r]->() RETURN count(r)")
    assert n == len(facts.relations)
    [[labels, name, desc, aliases]] = run(
        "MATCH (n:Entity {id: 'ob'}) RETURN labels(n), n.name, n.description, n.aliases"
    )
    assert sorted(labels) == ["Entity", "Regulator"]
    assert name == TRICKY and desc == TRICKY and aliases == ['Ali"as', "🦄"]
    [[rtype, note, role, sources, key, cls]] = run(
        "MATCH (:Entity {id: 'ob'})-[r]-(:Entity {id: 'alpha-ma'}) "
        "RETURN type(r), r.note, r.role, r.sources, r.key, r.class"
    )
    assert (rtype, note, role, sources) == ("PARTNERS_WITH", TRICKY, TRICKY, ["sx"])
    assert cls == "substantive"  # as 'regulink load' writes it
    assert key == facts.relations[-1].key
    [[title, url]] = run("MATCH (s:Source {id: 'sx'}) RETURN s.title, s.url")
    assert (title, url) == ("T'itle \\", "https://x.example/'q'")
    lark = next(r for r in facts.relations if r.key.startswith("participates_in:alpha-ma"))
    [[start, end]] = run(
        "MATCH (:Entity {id: 'alpha-ma'})-[r:PARTICIPATES_IN]->(:Entity {id: 'project-lark'}) "
        "RETURN r.start, r.end"
    )
    assert (start, end) == (lark.start, lark.end)


def test_cypher_script_recreates_the_graph(tmp_path, neo4j_store):
    facts = _facts()
    out = tmp_path / "graph.cypher"
    report = regulink.export(facts, "cypher", out, structural=True)
    assert report.relations == len(facts.relations)
    statements = [
        line for line in out.read_text("utf-8").split("\n") if line and not line.startswith("//")
    ]
    assert all(s.endswith(";") for s in statements)

    def run(cypher):
        return neo4j_store.run(cypher).rows

    for s in statements:
        neo4j_store.run(s, write=True)
    _check_graph(run, facts)
    for s in statements:  # MERGE: a second run adds nothing
        neo4j_store.run(s, write=True)
    _check_graph(run, facts)


def test_cypher_export_of_a_selection(tmp_path, neo4j_store):
    facts = regulink.load_facts([MINI])
    out = tmp_path / "sel.cypher"
    regulink.export(facts, "cypher", out, as_of="2023-06")
    for line in out.read_text("utf-8").splitlines():
        if line and not line.startswith("//"):
            neo4j_store.run(line, write=True)
    chosen = select_facts(facts, as_of="2023-06")
    [[n]] = neo4j_store.run("MATCH ()-[r]->() RETURN count(r)").rows
    assert n == len(chosen.relations) and 0 < n < len(facts.relations)


# --- neo4j-admin --------------------------------------------------------------------------


def _lib() -> Path:
    libs = sorted((ROOT / ".neo4j").glob("lib-*/.complete"))
    if not libs or shutil.which("java") is None:
        pytest.skip("no Neo4j jars in .neo4j/ (./setup.sh neo4j start resolves them) or no java")
    return libs[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_neo4j_admin_import(tmp_path, neo4j_server):
    facts = _facts()
    folder = tmp_path / "import"
    regulink.export(facts, "neo4j-admin", folder, structural=True)
    lib = _lib()
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    port = _free_port()
    (home / "conf" / "neo4j.conf").write_text(
        "server.default_listen_address=127.0.0.1\n"
        f"server.bolt.listen_address=127.0.0.1:{port}\n"
        "server.http.enabled=false\nserver.https.enabled=false\n"
        "dbms.security.auth_enabled=false\ndbms.usage_report.enabled=false\n"
        "server.memory.pagecache.size=64m\n"
    )
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    java = ["java", "-Xmx384m", "-cp", f"{lib}/*"]
    done = subprocess.run(
        [
            *java,
            "org.neo4j.cli.AdminTool",
            "database",
            "import",
            "full",
            f"--nodes={folder / 'entities.csv'}",
            f"--nodes={folder / 'sources.csv'}",
            f"--relationships={folder / 'relations.csv'}",
            "--multiline-fields=true",
            f"--report-file={tmp_path / 'import.report'}",
            "neo4j",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    server = subprocess.Popen(
        [
            *java,
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={home}",
            f"--config-dir={home / 'conf'}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        from neo4j import GraphDatabase
        from neo4j.exceptions import ServiceUnavailable

        with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=None) as driver:
            deadline = time.monotonic() + 180
            while True:
                try:
                    driver.verify_connectivity()
                    break
                except ServiceUnavailable:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)

            def run(cypher):
                return [list(r.values()) for r in driver.execute_query(cypher).records]

            _check_graph(run, facts)
    finally:
        server.terminate()
        server.wait(timeout=60)
