"""Values computed in a forked child, and the cases where this process computes them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time

from regulink.loaders.forked import Forked, can_fork


def _fresh(code: str) -> str:
    """Run ``code`` in a new, single-threaded interpreter; its standard output."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return out.stdout.strip()


def test_the_value_comes_from_another_process():
    got = _fresh(
        """
        import os
        from regulink.loaders.forked import Forked, can_fork
        with Forked(os.getpid) as job:
            print(can_fork(), job.result() != os.getpid(), job.pid)
        """
    )
    assert got == "True True 0"  # forked, computed there, and the child reaped


def test_a_child_that_fails_costs_only_the_computation_here():
    got = _fresh(
        """
        import os
        from regulink.loaders.forked import Forked
        parent = os.getpid()
        def value():
            if os.getpid() != parent:
                raise RuntimeError("only in the child")
            return 42
        print(Forked(value).result())
        """
    )
    assert got == "42"


def test_closing_stops_a_child_whose_result_is_not_wanted():
    got = _fresh(
        """
        import os, time
        from regulink.loaders.forked import Forked
        job = Forked(lambda: time.sleep(60))
        pid = job.pid
        t = time.monotonic()
        job.close()
        try:
            os.kill(pid, 0)
            gone = False
        except ProcessLookupError:
            gone = True
        print(pid > 0, gone, time.monotonic() - t < 5)
        """
    )
    assert got == "True True True"


def test_a_process_with_threads_computes_here():
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not can_fork()
        job = Forked(os.getpid)
        assert job.pid == 0
        assert job.result() == os.getpid()
    finally:
        stop.set()
        t.join()


def test_the_result_is_the_functions_value_either_way():
    start = time.monotonic()
    with Forked(lambda: {"a": [1, 2, 3]}) as job:
        assert job.result() == {"a": [1, 2, 3]}
    assert time.monotonic() - start < 30
