"""The installed ``regulink`` program: the same output and exit status as the command group,
with the interpreter's teardown skipped (see regulink.cli.main.main)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = shutil.which("regulink", path=str(Path(sys.executable).parent))


pytestmark = pytest.mark.skipif(PROGRAM is None, reason="regulink is not installed here")


def _run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(PROGRAM), *args], capture_output=True, text=True, timeout=120, **kw)


def test_output_is_flushed_and_success_is_zero():
    out = _run("stats", "--json")
    assert out.returncode == 0
    assert out.stdout.rstrip().endswith("}")  # the whole document, flushed before the exit


def test_a_usage_error_keeps_its_status_and_message():
    out = _run("show", "no-such-entity-anywhere")
    assert out.returncode == 2
    assert "no entity matches" in out.stderr and "Traceback" not in out.stderr


def test_a_closed_pipe_is_not_a_traceback():
    head = subprocess.Popen(["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    out = subprocess.run(
        [str(PROGRAM), "find", "bank", "--limit", "500"],
        stdout=head.stdin,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert head.stdin is not None
    head.stdin.close()
    head.wait(timeout=60)
    assert "Traceback" not in out.stderr
