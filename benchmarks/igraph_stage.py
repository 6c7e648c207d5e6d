"""The benchmark suite's ``igraph`` stage: ``regulink analyze`` beside an igraph script that
computes the same metrics from a prebuilt graph file (issue 16). See benchmarks/README.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["analyze_parts", "analyze_vs_igraph", "compare_table"]


def _secs(x) -> str:
    if x is None:
        return "—"
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s" if x < 100 else f"{x:.0f} s"


REFERENCE = str(Path(__file__).resolve().parent / "igraph_reference.py")


def analyze_parts(d: str) -> dict:
    """Where ``analyze``'s time goes, in process: each step timed on its own."""
    from regulink import api
    from regulink.graph import analytics as A
    from regulink.graph.analytics.centrality import betweenness, eigenvector, pagerank

    times: dict = {}
    t = time.perf_counter()

    def step(name: str, fn):
        nonlocal t
        out = fn()
        now = time.perf_counter()
        times[name] = round(now - t, 3)
        t = now
        return out

    base = step("read the saved analysis base", lambda: api.analysis_base([d]))
    C = step("apply the rules (compact graph)", lambda: base.graph())
    step("igraph graphs", lambda: (C.graph, C.digraph, C.components))
    step("degree", lambda: C.degree)
    step("pagerank", lambda: pagerank(C))
    k = None if C.n <= 5000 else 256
    step("betweenness", lambda: betweenness(C, k=k, seed=42))
    step("eigenvector", lambda: eigenvector(C))
    comm = step("leiden + descriptions", lambda: A.communities(C, top=10, members=5))
    step("bridges + cut sizes", lambda: A.brokers(C))
    step("jurisdiction matrix", lambda: A.jurisdiction_matrix(C, top=10))
    step("likely partners", lambda: A.likely_partners(C))
    step("growth", lambda: A.growth(C))
    jur = C.jurisdiction_names
    a, b = sorted(jur, key=lambda j: -int((C.jurisdiction == jur.index(j)).sum()))[:2]
    step(f"brokers {a} {b}", lambda: A.jurisdiction_brokers(C, a, b))
    return {"times": times, "modularity": comm["modularity"], "entities": C.n, "relations": C.m}


def _louvain(graph: str) -> dict:
    """networkx's Louvain (the communities before issue 16) on the reference's graph."""
    import pickle

    import networkx as nx

    with open(graph, "rb") as fh:
        g = pickle.load(fh)["undirected"]
    G = nx.Graph()
    G.add_nodes_from(range(g.vcount()))
    G.add_weighted_edges_from(
        (e.source, e.target, w) for e, w in zip(g.es, g.es["weight"], strict=False)
    )
    t = time.perf_counter()
    parts = nx.community.louvain_communities(G, weight="weight", seed=42)
    q = nx.community.modularity(G, parts, weight="weight")
    return {"seconds": round(time.perf_counter() - t, 2), "modularity": round(q, 4)}


def _spread(values: list) -> dict:
    values = sorted(v for v in values if v is not None)
    if not values:
        return {"min": None, "median": None}
    return {"min": values[0], "median": values[len(values) // 2]}


def analyze_vs_igraph(
    d: Path,
    env: dict,
    work: Path,
    *,
    run,
    stage,
    regulink: list[str],
    rounds: int = 3,
    timeout: float | None = None,
    louvain: bool = False,
) -> dict:
    """``regulink analyze --json`` and the igraph reference script, end to end, interleaved
    ``rounds`` times; min and median of each, and their ratios. ``run`` and ``stage`` are
    run.py's ``measure`` (a command's wall, CPU and peak RSS) and ``_stage`` (a child
    stage); ``regulink`` the CLI's command line."""
    # analyze reads the saved analysis base, as any call after the first; the reference its
    # prebuilt graph file
    fill = stage("fill", d, env)
    graph = work / "reference.pkl"
    prep = run(
        [sys.executable, REFERENCE, "prepare", str(d), str(graph)], env=env, stdout=subprocess.PIPE
    )
    if prep.get("rc"):
        raise RuntimeError(f"igraph reference prepare failed:\n{prep['stderr']}")
    runs: dict = {"regulink": [], "igraph": []}
    load = [os.getloadavg()[0]]
    for _ in range(rounds):
        m = run([*regulink, "--seeds", str(d), "analyze", "--json"], env=env, timeout=timeout)
        runs["regulink"].append({k: m.get(k) for k in ("wall", "cpu", "rss_mb", "rc")})
        m = run(
            [sys.executable, REFERENCE, "run", str(graph)],
            env=env,
            timeout=timeout,
            stdout=subprocess.PIPE,
        )
        reported = json.loads(m["stdout"]) if m.get("rc") == 0 else None
        runs["igraph"].append(
            {**{k: m.get(k) for k in ("wall", "cpu", "rss_mb", "rc")}, "reported": reported}
        )
        load.append(os.getloadavg()[0])
    out: dict = {
        "rounds": rounds,
        "runs": runs,
        "load_average": load,
        "fill": fill,
        "graph_file_mb": round(graph.stat().st_size / 1e6, 1),
    }
    for side in runs:
        for key in ("wall", "cpu", "rss_mb"):
            out.setdefault(side, {})[key] = _spread([r[key] for r in runs[side]])
    for key in ("wall", "cpu", "rss_mb"):
        a, b = out["regulink"][key], out["igraph"][key]
        out.setdefault("ratio", {})[key] = {
            s: round(a[s] / b[s], 2) if a[s] and b[s] else None for s in ("min", "median")
        }
    out["parts"] = stage("analyze_parts", d, env)
    out["reference_parts"] = next(
        (r["reported"] for r in reversed(runs["igraph"]) if r["reported"]), None
    )
    if louvain:
        out["louvain"] = _louvain(str(graph))
    return out


def compare_table(results: list[dict]) -> str:
    """``analyze`` beside the igraph reference: min / median of three interleaved runs."""
    rows = [
        "| relations | `regulink analyze` min / median | igraph script min / median | "
        "ratio (median; min) | CPU ratio (median) | peak RSS regulink / igraph (ratio) | "
        "load average |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        c = r.get("igraph")
        if not c:
            continue
        a, b, q = c["regulink"], c["igraph"], c["ratio"]
        la = c["load_average"]
        rows.append(
            f"| {r['relations']:,} | {_secs(a['wall']['min'])} / {_secs(a['wall']['median'])} | "
            f"{_secs(b['wall']['min'])} / {_secs(b['wall']['median'])} | "
            f"{q['wall']['median']}×; {q['wall']['min']}× | {q['cpu']['median']}× | "
            f"{a['rss_mb']['median']:.0f} / {b['rss_mb']['median']:.0f} MiB "
            f"({q['rss_mb']['median']}×) | {min(la):.1f}–{max(la):.1f} |"
        )
    return "\n".join(rows) if len(rows) > 2 else ""
