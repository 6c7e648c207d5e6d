"""The embedded store under abuse (issue 14): damaged database files, planted registries,
servers killed mid-command, loads racing; each with a clear message and nothing left behind."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_store_support import MINI, dump_graph, expected_graph

import regulink
from regulink.errors import StoreDamaged, StoreError
from regulink.loaders.store import FalkorLiteStore

DAMAGE = {
    "empty": lambda b: b"",
    "truncated": lambda b: b[: len(b) // 2],
    "random": lambda b: os.urandom(len(b)),
    "header only": lambda b: b[:9],
}


@pytest.fixture
def mini_facts():
    return regulink.load_facts([MINI])


def _cli(*args: str, tmpdir: Path) -> subprocess.CompletedProcess:
    """regulink in a process of its own, with a private TMPDIR to see what it leaves there."""
    env = {**os.environ, "TMPDIR": str(tmpdir), "REGULINK_CACHE": "0"}
    env.pop("REGULINK_SEEDS", None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from regulink.cli.main import cli; cli()",
            "--seeds",
            str(MINI),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _leftovers(tmpdir: Path) -> list[str]:
    """What stays in TMPDIR once every command has ended: regulink's run folder may stay,
    empty; nothing else."""
    out = []
    for p in tmpdir.iterdir():
        if p.name == f"regulink-{os.getuid()}":
            out += [f"{p.name}/{c.name}" for c in p.iterdir()]
        else:
            out.append(p.name)
    return out


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_database_file_is_named_and_load_rebuilds_it(tmp_path, damage, mini_facts):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    db = tmp_path / "g.db"
    assert _cli("load", "--db", str(db), tmpdir=tmpdir).returncode == 0
    db.write_bytes(DAMAGE[damage](db.read_bytes()))
    damaged = db.read_bytes()

    r = _cli("query", "--db", str(db), "MATCH (n) RETURN count(n)", tmpdir=tmpdir)
    assert r.returncode == 1
    assert r.stderr.startswith(f"Error: the embedded database file {db} is damaged: ")
    assert "Run `regulink load` to rebuild it from the facts" in r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr
    assert db.read_bytes() == damaged  # a query changes nothing
    assert _leftovers(tmpdir) == []

    r = _cli("load", "--db", str(db), tmpdir=tmpdir)
    assert r.returncode == 0, r.stderr
    (aside,) = tmp_path.glob("g.db.damaged-*")
    assert aside.read_bytes() == damaged  # kept, never deleted
    assert f"warning: the damaged database file was moved to {aside}" in r.stderr
    with FalkorLiteStore(db) as s:
        assert dump_graph(s) == expected_graph(mini_facts)
    assert _leftovers(tmpdir) == []


def test_the_api_raises_store_damaged(tmp_path):
    db = tmp_path / "g.db"
    db.write_bytes(b"REDIS0011garbage")
    with pytest.raises(StoreDamaged) as err, FalkorLiteStore(db) as s:
        s.has_graph()
    assert err.value.path == str(db)


def test_a_planted_registry_deletes_and_kills_nothing(tmp_path, mini_facts):
    db = tmp_path / "g.db"
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    bystander = subprocess.Popen(["sleep", "120"])
    pidfile = tmp_path / "planted.pid"
    pidfile.write_text(str(bystander.pid))
    try:
        for named in (victim, pidfile):
            Path(str(db) + ".settings").write_text(
                json.dumps(
                    {
                        "pidfile": str(named),
                        "unixsocket": str(tmp_path / "gone.socket"),
                        "dbdir": str(tmp_path),
                        "dbfilename": db.name,
                    }
                )
            )
            code = (
                "import sys, regulink\nfrom regulink.loaders.store import FalkorLiteStore\n"
                "s = FalkorLiteStore(sys.argv[1])\n"
                "regulink.load(regulink.load_facts([sys.argv[2]]), s)\n"
                "print(s.meta()['relations'])\n"
            )  # exits without close: atexit cleans up
            out = subprocess.run(
                [sys.executable, "-c", code, str(db), str(MINI)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert out.returncode == 0, out.stderr
            assert int(out.stdout) == len(mini_facts.relations)
            time.sleep(0.3)
            assert victim.read_text() == "keep me"
            assert pidfile.exists()
            assert bystander.poll() is None, "an unrelated process was killed"
    finally:
        bystander.kill()
        bystander.wait()


@pytest.mark.parametrize("when", ["between queries", "at exit"])
def test_a_server_killed_mid_command_gives_no_traceback_at_exit(tmp_path, mini_facts, when):
    db = tmp_path / "g.db"
    with FalkorLiteStore(db) as s:
        regulink.load(mini_facts, s)
    code = (
        "import os, signal, sys\nfrom regulink.loaders.store import FalkorLiteStore\n"
        "from regulink.errors import StoreError\n"
        "s = FalkorLiteStore(sys.argv[1])\n"
        "s.run('MATCH (n) RETURN count(n)')\n"
        "os.kill(s.server_pid, signal.SIGKILL)\n"
        "if sys.argv[2] == 'between queries':\n"
        "    try:\n        s.run('MATCH (n) RETURN count(n)')\n"
        "    except StoreError as e:\n        print('stopped:', type(e).__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db), when], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0
    assert "Traceback" not in out.stderr and "Exception ignored" not in out.stderr, out.stderr
    if when == "between queries":
        assert out.stdout.startswith("stopped: ")
    assert _server_folders_of(tmp_path) == []  # the dead server's folder went too


def _server_folders_of(tmp_path: Path) -> list[Path]:
    from regulink.loaders.store.embedded_server import run_dir

    return [
        d
        for d in run_dir().glob("server-*")
        if str(tmp_path) in (d / "redis.config").read_text(errors="replace")
    ]


def test_changed_is_decided_under_the_load_lock(tmp_path, mini_facts):
    db = tmp_path / "g.db"
    with FalkorLiteStore(db) as s:
        regulink.load(mini_facts, s)
    lock = os.open(str(db) + ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)  # a load in progress
    result = {}
    store = FalkorLiteStore(db)
    t = threading.Thread(
        target=lambda: result.setdefault(
            "report", regulink.load(mini_facts, store, lock_timeout=60)
        )
    )
    t.start()
    try:
        time.sleep(1.0)  # the second load is now waiting for the lock
        with FalkorLiteStore(db) as other:  # the first load finishes with other facts
            other.run("MATCH (m:RegulinkMeta) SET m.fingerprint = 'another load'", write=True)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    t.join(60)
    store.close()
    assert result["report"].changed, "it replaced another load's graph"


def test_a_store_error_after_a_kill_is_clean(tmp_path, mini_facts):
    db = tmp_path / "g.db"
    s = FalkorLiteStore(db)
    regulink.load(mini_facts, s)
    os.kill(s.server_pid, signal.SIGKILL)
    with pytest.raises(StoreError):
        s.run("MATCH (n) RETURN count(n)")
    s.close()
    assert _server_folders_of(tmp_path) == []


def test_a_process_with_another_tmpdir_joins_the_same_server(tmp_path, mini_facts):
    db = tmp_path / "g.db"
    other_tmp = tmp_path / "tmp"
    other_tmp.mkdir()
    code = (
        "import sys\nfrom regulink.loaders.store import FalkorLiteStore\n"
        "s = FalkorLiteStore(sys.argv[1])\nprint(s.server_pid, flush=True)\n"
        "sys.stdin.readline()\ns.close()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(other_tmp)},
    )
    try:
        pid = int(holder.stdout.readline())
        with FalkorLiteStore(db) as s:
            assert s.server_pid == pid  # joined, not a second server on one file
    finally:
        holder.communicate("\n", timeout=60)
