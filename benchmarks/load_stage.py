"""The benchmark suite's ``loadx`` stage: ``regulink load`` into a new embedded store beside
the yaml-rs parse floor of the same files, interleaved round by round (issue 16). See
benchmarks/README.md.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["load_vs_floor"]


def load_vs_floor(
    d: Path,
    env: dict,
    *,
    run: Callable[..., dict],
    stage: Callable[..., dict],
    regulink: list[str],
    rounds: int = 3,
    timeout: float | None = None,
) -> dict:
    """``rounds`` times: the floor in a fresh process, then ``regulink load`` with the fact
    cache off into a new database. Each round's wall and CPU times, their ratio, and the
    min and median of each."""
    nocache = {**env, "REGULINK_CACHE": "0"}
    out: dict = {"rounds": []}
    for _ in range(rounds):
        floor = stage("floor", d, env)
        with tempfile.TemporaryDirectory(prefix="regulink-loadx-") as tmp:
            m = run(
                [*regulink, "--seeds", str(d), "load", "--db", str(Path(tmp) / "g.db"), "--json"],
                env=nocache,
                timeout=timeout,
                stdout=subprocess.PIPE,
            )
        if m.get("wall") is None or m["rc"] != 0:
            out["error"] = m.get("stderr", "timed out")[-500:]
            return out
        store = json.loads(m["stdout"])["seconds"]
        out["rounds"].append(
            {
                "floor": round(floor["seconds"], 3),
                "floor_cpu": round(floor["cpu"], 3),
                "load": round(m["wall"], 3),
                "load_cpu": round(m["cpu"], 3),
                "store_part": store,
                "rss_mb": round(m["rss_mb"]),
                "ratio": round(m["wall"] / floor["seconds"], 2),
            }
        )
    rs = out["rounds"]
    for key in ("floor", "load", "ratio"):
        vals = [r[key] for r in rs]
        out[key] = {"min": min(vals), "median": statistics.median(vals)}
    return out
