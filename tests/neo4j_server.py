"""The real Neo4j 5 server that the Neo4j tests run against, as pytest fixtures.

``neo4j_server`` (session): a :class:`Neo4jServer` (``uri``, ``username``, ``password``,
``certificate``). It is, in order:

1. the server named by ``REGULINK_TEST_NEO4J_URI`` (with ``REGULINK_TEST_NEO4J_USERNAME`` and
   ``REGULINK_TEST_NEO4J_PASSWORD``), e.g. one started from ``tests/neo4j/compose.yaml``;
   the tests wipe its graph, so never point it at a database you care about;
2. the checkout's local server (``./setup.sh neo4j start``) if it is running;
3. else that server, started here and stopped at the end of the session.

If none can be had, the Neo4j tests fail under ``./setup.sh test`` and in CI
(``REGULINK_REQUIRE_NEO4J`` or ``CI`` set), and are skipped with the reason otherwise.

``neo4j_store`` (function): a :class:`~regulink.loaders.store.Neo4jStore` on that server with
an empty graph.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["Neo4jServer", "neo4j_server", "neo4j_store", "start_local", "stop_local", "wipe"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Neo4jServer:
    """Where a Neo4j server answers, and as whom to connect."""

    uri: str
    username: str
    password: str
    #: The server's self-signed TLS certificate (the local server only), for the TLS URIs.
    certificate: Path | None = None

    def store(self, **kwargs):
        from regulink.loaders.store import Neo4jStore

        return Neo4jStore(self.uri, username=self.username, password=self.password, **kwargs)

    def uri_as(self, scheme: str) -> str:
        """The same server under another URI scheme, e.g. ``neo4j+ssc``."""
        return scheme + "://" + self.uri.split("://", 1)[1]

    def env(self) -> dict[str, str]:
        """The three variables ``./setup.sh neo4j start`` prints, for a CLI run."""
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USERNAME": self.username,
            "NEO4J_PASSWORD": self.password,
        }


def _parse_exports(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.startswith("export ") and "=" in line:
            k, _, v = line[len("export ") :].partition("=")
            out[k] = v
    return out


def _setup(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "setup.sh"), "neo4j", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _local(env: dict[str, str]) -> Neo4jServer:
    cert = ROOT / ".neo4j" / "server" / "certificates" / "bolt" / "public.crt"
    return Neo4jServer(
        env["NEO4J_URI"],
        env["NEO4J_USERNAME"],
        env["NEO4J_PASSWORD"],
        cert if cert.exists() else None,
    )


def start_local(*, env: dict | None = None) -> tuple[Neo4jServer, bool]:
    """The checkout's local server, started if it is not running; and whether it was started
    here. Raises ``RuntimeError`` with the script's last lines if it cannot start."""
    status = _setup("status", timeout=30)
    if status.returncode == 0:
        return _local(_parse_exports(status.stdout)), False
    started = subprocess.run(
        [str(ROOT / "setup.sh"), "neo4j", "start"],
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    exports = _parse_exports(started.stdout)
    if started.returncode != 0 or "NEO4J_URI" not in exports:
        raise RuntimeError(
            "could not start the local Neo4j (./setup.sh neo4j start): "
            + " | ".join(started.stderr.strip().splitlines()[-5:])
        )
    return _local(exports), True


def stop_local() -> None:
    """Stop the checkout's local server."""
    _setup("stop", timeout=120)


def _required() -> bool:
    return bool(os.environ.get("REGULINK_REQUIRE_NEO4J") or os.environ.get("CI"))


@pytest.fixture(scope="session")
def neo4j_server():
    """A real Neo4j 5 server (see the module's docstring)."""
    uri = os.environ.get("REGULINK_TEST_NEO4J_URI")
    if uri:
        yield Neo4jServer(
            uri,
            os.environ.get("REGULINK_TEST_NEO4J_USERNAME", "neo4j"),
            os.environ.get("REGULINK_TEST_NEO4J_PASSWORD", ""),
        )
        return
    try:
        server, started = start_local()
    except RuntimeError as exc:
        if _required():
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        if started:
            stop_local()


def wipe(store) -> None:
    """Delete every node of the graph (the test server's only)."""
    store.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS", write=True)


@pytest.fixture
def neo4j_store(neo4j_server):
    """A store on the test server with an empty graph."""
    store = neo4j_server.store()
    wipe(store)
    yield store
    store.close()
