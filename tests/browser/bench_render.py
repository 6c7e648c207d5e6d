"""Time-to-interactive of the explorer page at several sizes, in headless Chromium.

Not a test (timings depend on the machine): run it by hand and copy the table into the
README's "Interactive explorer" section.

    .venv/bin/python -m tests.browser.bench_render            # 500, 2000, 5000 nodes
    .venv/bin/python -m tests.browser.bench_render 300 1000   # other sizes

For each size: Python build time (layout included), file size, and time-to-interactive in
the browser, from navigation start until the page sets ``regulink.ready`` (layout done and
first frame drawn, or physics stabilised and stopped), median of three loads.
"""

from __future__ import annotations

import statistics
import sys
import time

from regulink.graph.render import PHYSICS_MAX_NODES, build_page

from .harness import launch, visit
from .synthetic import synthetic_facts

__all__ = ["measure", "main"]


def measure(browser, n: int, runs: int = 3) -> dict:
    facts = synthetic_facts(n)
    t = time.perf_counter()
    page = build_page(facts)
    build = time.perf_counter() - t
    ttis = []
    for _ in range(runs):
        with visit(browser, page.html) as v:
            v.wait_ready(timeout_ms=600_000)
            ttis.append(v.page.evaluate("() => window.regulink.readyAt") / 1000)
            problems = v.problems()
            # Interactive means answering: time selecting (and highlighting) the first entity,
            # the synthetic world's biggest hub.
            t0 = v.page.evaluate("""() => { const t = performance.now();
                const ids = window.regulink.nodes.getIds();
                window.regulink.selectNode(ids[0]); return performance.now() - t; }""")
    return {"nodes": page.nodes, "edges": page.edges, "build_s": build,
            "mb": len(page.html.encode()) / 1e6, "tti_s": statistics.median(ttis),
            "select_ms": t0, "physics": n <= PHYSICS_MAX_NODES, "problems": problems}


def main(sizes: list[int]) -> None:
    print("| nodes | relations | layout | build (Python) | file | time-to-interactive | "
          "select+highlight |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    with launch() as browser:
        for n in sizes:
            r = measure(browser, n)
            print(f"| {r['nodes']:,} | {r['edges']:,} | "
                  f"{'browser physics' if r['physics'] else 'precomputed'} | "
                  f"{r['build_s']:.1f} s | {r['mb']:.1f} MB | {r['tti_s']:.1f} s | "
                  f"{r['select_ms']:.0f} ms |", flush=True)
            if r["problems"]:
                print("   problems:", r["problems"][:5], flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 2000, 5000])
