"""Time-to-interactive of the explorer page at several sizes, in headless Chromium.

Not a test (timings depend on the machine): run it by hand and copy the table into the
README's "Interactive explorer" section.

    .venv/bin/python -m tests.browser.bench_render                  # 500, 2,000, 5,000 entities
    .venv/bin/python -m tests.browser.bench_render 300 1000         # other sizes
    .venv/bin/python -m tests.browser.bench_render --collapse none 5000 10000

For each size: Python build time (layout included), file size, and time-to-interactive in
the browser, from navigation start until the page sets ``regulink.ready`` (layout done and
first frame drawn, or physics stabilised and stopped), median of three loads. The harness
hands the page to Chromium through Playwright, which takes about 0.3 s a megabyte on the
2-core machine; "after arrival" leaves that out (ready minus the last byte's arrival), as
opening a local file would. Then the time to select the biggest hub (expanding its cluster
if need be) and, on collapsed pages, to expand the biggest cluster (until drawn). Then the
in-page path search: ``regulink.findPath`` between 20 random pairs, median and slowest,
computing only (``regulink.lastPathMs``) and with the page brought up to date (path
restyled, its entities drawn, counters, panel; the canvas repaints at the next frame).
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time

from regulink.graph.render import build_page

from .harness import launch, visit
from .synthetic import synthetic_facts

__all__ = ["main", "measure"]

_TIMES = """() => ({ready: window.regulink.readyAt,
    arrived: performance.getEntriesByType('navigation')[0].responseEnd})"""
# Expanding is synchronous; the new members are on screen at the next frame drawn.
_EXPAND = """cid => new Promise(done => {
    const r = window.regulink, t = performance.now();
    r.network.once('afterDrawing', () => done(performance.now() - t));
    r.expand(cid); })"""
_SELECT = """() => { const t = performance.now();
    window.regulink.selectNode('e0'); return performance.now() - t; }"""
_PATHS = """pairs => pairs.map(([a, b]) => { const t = performance.now();
    window.regulink.findPath(a, b);
    return [window.regulink.lastPathMs, performance.now() - t]; })"""


def measure(browser, n: int, collapse: str = "auto", runs: int = 3) -> dict:
    facts = synthetic_facts(n)
    t = time.perf_counter()
    page = build_page(facts, collapse=collapse)
    build = time.perf_counter() - t
    ttis, after, expand_ms = [], [], None
    for i in range(runs):
        with visit(browser, page.html) as v:
            v.wait_ready(timeout_ms=900_000)
            times = v.page.evaluate(_TIMES)
            ttis.append(times["ready"] / 1000)
            after.append((times["ready"] - times["arrived"]) / 1000)
            if i == runs - 1:
                if page.clusters:
                    expand_ms = v.page.evaluate(_EXPAND, "group:0")
                # Interactive means answering: select the synthetic world's biggest hub (on a
                # collapsed page its cluster is expanded first).
                select_ms = v.page.evaluate(_SELECT)
                rng = random.Random(n)
                ids = sorted(facts.entities)
                timed = v.page.evaluate(_PATHS, [rng.sample(ids, 2) for _ in range(20)])
                path_ms = sorted(t[0] for t in timed)
                shown_ms = sorted(t[1] for t in timed)
                problems = v.problems()
    biggest = 0
    if page.clusters:
        data = json.loads(re.search(r'id="regulink-data">(.*?)</script>', page.html, re.S).group(1))
        biggest = len(data["groups"]["clusters"][0]["members"])
    return {
        "nodes": page.entities,
        "edges": page.relations,
        "build_s": build,
        "mb": len(page.html.encode()) / 1e6,
        "tti_s": statistics.median(ttis),
        "after_s": statistics.median(after),
        "select_ms": select_ms,
        "clusters": page.clusters,
        "biggest": biggest,
        "expand_ms": expand_ms,
        "physics": page.clusters == 0 and page.nodes <= 300,
        "problems": problems,
        "path_ms": statistics.median(path_ms),
        "path_max_ms": path_ms[-1],
        "shown_ms": statistics.median(shown_ms),
        "shown_max_ms": shown_ms[-1],
    }


def main(sizes: list[int], collapse: str = "auto") -> None:
    print(
        "| entities | relations | opens as | build (Python) | file | time-to-interactive "
        "| after arrival | select hub | expand biggest cluster | path found (median / max) "
        "| path found and drawn |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with launch() as browser:
        for n in sizes:
            r = measure(browser, n, collapse)
            shape = (
                f"{r['clusters']} clusters"
                if r["clusters"]
                else "browser physics"
                if r["physics"]
                else "all, precomputed"
            )
            expand = (
                f"{r['expand_ms'] / 1000:.1f} s ({r['biggest']:,} entities)"
                if r["expand_ms"] is not None
                else "–"
            )
            print(
                f"| {r['nodes']:,} | {r['edges']:,} | {shape} | {r['build_s']:.1f} s | "
                f"{r['mb']:.1f} MB | {r['tti_s']:.1f} s | {r['after_s']:.1f} s | "
                f"{r['select_ms'] / 1000:.1f} s | {expand} | "
                f"{r['path_ms']:.0f} / {r['path_max_ms']:.0f} ms | "
                f"{r['shown_ms']:.0f} / {r['shown_max_ms']:.0f} ms |",
                flush=True,
            )
            if r["problems"]:
                print("   problems:", r["problems"][:5], flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    mode = "auto"
    if "--collapse" in args:
        i = args.index("--collapse")
        mode = args[i + 1]
        del args[i : i + 2]
    main([int(a) for a in args] or [500, 2000, 5000], mode)
