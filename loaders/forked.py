"""Computing a value in a forked copy of this process while this one goes on.

A large load has work that needs the facts but nothing else, such as their digest. A forked
child has the facts already (the pages are shared, copied only when written), so it can
compute such a value on another core with nothing sent to it, and only the small result
comes back through a pipe.

Forking is safe only while this process runs a single thread (a lock held by another
thread would stay locked forever in the child), so elsewhere, and where there is no
``fork``, the value is computed in this process when it is asked for: the same value, later.

Examples
--------
>>> with Forked(lambda: sum(range(10))) as job:
...     job.result()
45
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable

__all__ = ["Forked", "can_fork"]


def can_fork() -> bool:
    """Whether a fork is safe here: Linux, and one thread in the whole process (threads of
    C libraries included, which ``threading`` does not count)."""
    if not hasattr(os, "fork"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class Forked[T]:
    """``fn()`` started in a forked child; :meth:`result` waits for it.

    If the child cannot be started, or fails, :meth:`result` calls ``fn`` here. Leaving the
    ``with`` block (or :meth:`close`) stops a child whose result was not asked for.
    """

    def __init__(self, fn: Callable[[], T]):
        self.fn = fn
        self.pid = 0
        self.fd = -1
        if not can_fork():
            return
        r, w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return
        if pid == 0:  # the child: compute, write, and leave without any clean-up of ours
            code = 1
            try:
                os.close(r)
                data = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(w, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self.pid, self.fd = pid, r

    def result(self) -> T:
        if not self.pid:
            return self.fn()
        with os.fdopen(self.fd, "rb") as fh:
            data = fh.read()
        self.fd = -1
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status != 0 or not data:
            return self.fn()
        return pickle.loads(data)

    def close(self) -> None:
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
