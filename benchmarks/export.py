"""Time each export format on a synthetic fact set (issue 17's closing measurement).

Every relation is exported (``structural=True``), so the numbers are for the whole set.
Beside each of our writers, where one exists, the plain library route for the same output
is timed in the same run and the ratio given: node-link JSON by networkx
(``json.dumps(nx.node_link_data(G))``), and GEXF and GraphML of the same attributes by
networkx's own writers (ours stream the file instead of building the document in memory).
Both wall-clock and CPU seconds are recorded: the machine is shared.

Run ``python benchmarks/export.py --relations 100k`` (the set is generated once into
``--data``, default ``/tmp/regulink-bench``); ``--out FILE`` appends the results as a JSON
line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).parent))
from generate import SIZES, generate

import regulink
from regulink.graph.plain import plain_graph
from regulink.loaders.export import FORMATS


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir())
    return path.stat().st_size


def _timed(fn) -> tuple[float, float]:
    """Wall-clock and CPU seconds: the machine is shared, so CPU time is the steadier one."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--relations", "-n", default="100k")
    ap.add_argument("--data", default="/tmp/regulink-bench", type=Path)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--out", type=Path, help="append the results here as one JSON line")
    args = ap.parse_args(argv)
    n = SIZES.get(args.relations.lower()) or int(args.relations)
    data = args.data / f"export-{n}"
    if not (data / ".complete").exists():
        shutil.rmtree(data, ignore_errors=True)
        generate(data, relations=n)
        (data / ".complete").touch()
    t0 = time.perf_counter()
    facts = regulink.load_facts([data], cache=False)
    load = time.perf_counter() - t0
    print(
        f"{n:,} relations, {len(facts.entities):,} entities, {len(facts.sources):,} "
        f"sources; loaded in {load:.1f} s",
        flush=True,
    )
    out = Path(tempfile.mkdtemp(prefix="regulink-export-bench-"))
    results = {
        "relations": n,
        "entities": len(facts.entities),
        "load_s": round(load, 2),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "formats": {},
    }
    try:
        for fmt in args.formats.split(","):
            target = out / f"x.{fmt}"
            wall, cpu = _timed(
                lambda fmt=fmt, target=target: regulink.export(facts, fmt, target, structural=True)
            )
            row = {
                "seconds": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "mb": round(_size(target) / 1e6, 1),
            }
            results["formats"][fmt] = row
            print(
                f"  {fmt:<12} {wall:7.2f} s wall {cpu:7.2f} s CPU  {row['mb']:8.1f} MB", flush=True
            )
        # The same attributes, written by networkx's own writers (graph building included,
        # as ours includes preparing the attributes).
        baselines = {
            "json": lambda: (out / "nx.json").write_text(
                json.dumps(
                    nx.node_link_data(regulink.to_networkx(facts), edges="links"), default=list
                )
            ),
            "gexf": lambda: nx.write_gexf(plain_graph(facts, timeline=True), out / "nx.gexf"),
            "graphml": lambda: nx.write_graphml(
                regulink.to_networkx(facts, plain=True), out / "nx.graphml"
            ),
        }
        for fmt, fn in baselines.items():
            if fmt in results["formats"]:
                wall, cpu = _timed(fn)
                ours = results["formats"][fmt]["cpu_s"]
                results["formats"][fmt]["networkx_cpu_s"] = round(cpu, 2)
                print(
                    f"  {fmt:<12} networkx alone {wall:.2f} s wall {cpu:.2f} s CPU: "
                    f"ours/networkx (CPU) {ours / cpu:.2f}",
                    flush=True,
                )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
