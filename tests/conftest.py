"""Shared fixtures: the synthetic mini world and a helper to write fact files."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch) -> Path:
    """A private, switched-on fact cache (and path index) folder for one test."""
    d = tmp_path / "cache"
    monkeypatch.setenv("REGULINK_CACHE_DIR", str(d))
    monkeypatch.delenv("REGULINK_CACHE", raising=False)
    return d


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A private copy of the mini world, safe to edit."""
    dst = tmp_path / "mini"
    shutil.copytree(MINI, dst)
    return dst


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text) -> Path: a fact file with dedented text (bytes written as given)."""

    def _write(name: str, text: str | bytes) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return p

    return _write


@pytest.fixture(scope="session")
def mini():
    """The mini world's validated facts (read-only: tests that edit copy ``mini_dir``)."""
    import regulink

    return regulink.load_facts([MINI])


@pytest.fixture
def run_mini():
    """``run_mini(*args)``: the CLI on the mini world, through CliRunner."""
    from click.testing import CliRunner

    from regulink.cli.main import cli

    def _run(*args: str):
        return CliRunner().invoke(cli, ["--seeds", str(MINI), *args], catch_exceptions=False)

    return _run


# A real Neo4j 5 server (session) and an empty store on it: see tests/neo4j_server.py.
from neo4j_server import neo4j_server, neo4j_store  # noqa: E402,F401
