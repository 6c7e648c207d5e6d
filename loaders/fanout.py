"""Validating a large fact set on several cores.

Most of a large load's time is validation's first pass (parse each file, check each record on
its own), and that pass needs nothing from other files. So a large set is cut into chunks of
consecutive files, each checked in its own process, and the cross-file pass runs once on the
merged facts, which are the same, in the same order, as one process makes.

Only clean chunks are merged. If any chunk has a problem, or the chunks disagree (an id
defined in two of them, a reference none of them defines), or a helper process cannot run,
the caller validates the whole set again in one process, which alone locates and reports
every problem, in order. Problems are the rare case, and that run is the one a small set
always takes.

A helper is a plain ``python -m regulink.loaders.fanout FILE...`` child that writes its
fragment to standard output as a pickle: no multiprocessing start method that re-imports the
caller's ``__main__``, and a child that fails only costs the fallback.

``REGULINK_WORKERS`` sets the number of processes (``1``: never fan out); by default, one per
available core, at most :data:`MAX_WORKERS`, and only for sets of :data:`MIN_BYTES` or more.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from regulink.graph.model import FactBase

__all__ = ["MAX_WORKERS", "MIN_BYTES", "Fragment", "helper_env", "plan", "split"]

#: Below this many bytes of YAML a second process saves little (its start-up and the transfer
#: of its facts): measured on two cores, `regulink validate` 11 MB 0.94 s -> 0.84 s, 22 MB
#: 1.82 s -> 1.47 s, 226 MB 18.1 s -> 13.2 s.
MIN_BYTES = 16 * 1024 * 1024
MAX_WORKERS = 4
#: How much more a byte of YAML costs in a helper than here, so that both finish together: a
#: helper also pickles its facts, and this process then reads them back (at 1M relations,
#: 1.3 s of pickling after 8.7 s of checking, 1.1 s to read back); 1.4 measured best of the
#: values tried from 1.05 to 1.4.
HELPER_COST = 1.4


@dataclass(slots=True)
class Fragment:
    """What a clean chunk hands back: its facts, their relation keys (for the duplicate
    check across chunks) and every entity and source id its relations name."""

    facts: FactBase
    rel_keys: list[str]
    entity_refs: set[str]
    source_refs: set[str]


def plan(files: list[Path], *, workers: int | None = None) -> int:
    """How many processes should validate ``files``: 1 means one, the usual way."""
    if workers is None:
        raw = os.environ.get("REGULINK_WORKERS", "").strip()
        if raw:
            try:
                workers = int(raw)
            except ValueError:
                workers = 1
    if workers is None:
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cores = os.cpu_count() or 1
        workers = min(cores, MAX_WORKERS)
        size = 0
        for f in files:
            with contextlib.suppress(OSError):
                size += f.stat().st_size
        if size < MIN_BYTES:
            return 1
    return max(1, min(workers, len(files)))


def split(files: list[Path], n: int, *, helper_cost: float | None = None) -> list[list[Path]]:
    """``files`` cut into at most ``n`` runs of consecutive files, the first (checked in this
    process) a little larger than the others: a helper also pickles what it found, and
    this process reads that back, so equal shares would leave this one waiting.

    >>> [len(c) for c in split([Path(f"/no/{i}") for i in range(5)], 2)]
    [3, 2]
    """
    sizes = []
    for f in files:
        try:
            sizes.append(f.stat().st_size or 1)
        except OSError:
            sizes.append(1)
    total = sum(sizes)
    cost = HELPER_COST if helper_cost is None else helper_cost
    shares = [1.0] + [1 / cost] * (n - 1)
    ends = [sum(shares[: k + 1]) / sum(shares) * total for k in range(n)]
    chunks: list[list[Path]] = [[]]
    done = 0
    for f, size in zip(files, sizes, strict=True):
        # a new chunk once this file's middle passes the current chunk's end
        if chunks[-1] and len(chunks) < n and done + size / 2 > ends[len(chunks) - 1]:
            chunks.append([])
        chunks[-1].append(f)
        done += size
    return chunks


def helper_env() -> dict[str, str]:
    """The environment of a helper process: one process itself (no helpers of its own), and
    regulink found where this process found it, installed or not."""
    env = dict(os.environ, REGULINK_WORKERS="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env


class Helper:
    """One child process validating a chunk; :meth:`result` waits for its fragment."""

    def __init__(self, files: list[Path]):
        env = helper_env()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "regulink.loaders.fanout", *map(str, files)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )

    def result(self) -> Fragment | None:
        """The chunk's fragment, or ``None`` if it has a problem or the child failed."""
        if self.proc.stdout is None:
            return None
        data = self.proc.stdout.read()
        if self.proc.wait() != 0 or not data:
            return None
        try:
            got = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        return got if isinstance(got, Fragment) else None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdout is not None:
                self.proc.stdout.close()
        self.proc.wait()


def _main(argv: list[str]) -> int:
    from regulink.loaders.validate import first_pass

    frag = first_pass([Path(a) for a in argv])
    out = sys.stdout.buffer
    out.write(pickle.dumps(frag, protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()
    return 0


if __name__ == "__main__":
    code = _main(sys.argv[1:])
    # No interpreter teardown: freeing the chunk's facts one by one (a second at a million
    # relations) would only compete for a core with the process reading them.
    os._exit(code)
