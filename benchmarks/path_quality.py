"""How often does a default path explain nothing? Paths between key authorities, measured.

For the N entities of a fact set with most relations among regulators, central banks and
government bodies (this measurement's choice of "authorities"), every pair's default path is
found three ways: the old rule (fewest hops over every relation), fewest hops over
substantive relations only, and regulink's rule (:mod:`regulink.graph.routing`: substantive
first, hub-aware cost). For each it reports how many paths

- use a structural link (membership, location, role...),
- pass through an international organisation or a place,
- pass through one of the five busiest entities (the hubs),

and the mean hop count. Run: ``.venv/bin/python benchmarks/path_quality.py [--top 15]``;
``--json`` prints the numbers as JSON (docs/answers.md quotes them).
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter

import numpy as np

import regulink
from regulink.errors import NoPath
from regulink.graph.pathindex import PathIndex
from regulink.graph.routing import Query, Router
from regulink.graph.schema import load_schema

AUTHORITY_KINDS = ("regulator", "central_bank", "government_body")
THROUGH_KINDS = ("international_org", "place")


def measure(facts, top: int = 15) -> dict:
    index = PathIndex.from_facts(facts)
    router = Router(index)
    structural = load_schema().structural_types
    degree = Counter()
    for r in facts.relations:
        degree[r.from_] += 1
        degree[r.to] += 1
    hubs = {e for e, _ in degree.most_common(5)}
    keys = sorted(
        (e.id for e in facts.entities.values() if e.kind in AUTHORITY_KINDS),
        key=lambda e: (-degree[e], e),
    )[:top]
    every = np.ones(2 * len(facts.relations), bool)
    substantive = ~router.structural[index.relations]
    out = {}
    for rule in ("old", "substantive_fewest_hops", "new"):
        n = with_structural = through = via_hub = hops = unjoined = fallback = 0
        busiest = []  # per path: the largest degree among its intermediaries
        cost = 0.0  # the hub-aware cost (sum of log2 degree of intermediaries)
        for a, b in itertools.combinations(keys, 2):
            pa, pb = index.position(a), index.position(b)
            if rule != "new":
                nodes = index._bfs(pa, pb, every if rule == "old" else substantive, None)
                if nodes is None:
                    unjoined += 1
                    continue
                ids = [index.ids[x] for x in nodes]
                allowed = every if rule == "old" else substantive
                types = [_type(index, u, v, allowed) for u, v in itertools.pairwise(nodes)]
            else:
                try:
                    route = router.cheapest(a, b, Query())
                except NoPath:
                    unjoined += 1
                    continue
                ids = [route.hops[0]["from"]] + [h["to"] for h in route.hops]
                types = [h["type"] for h in route.hops]
                fallback += route.fallback
            inner = ids[1:-1]
            n += 1
            hops += len(ids) - 1
            with_structural += any(t in structural for t in types)
            through += any(facts.entities[e].kind in THROUGH_KINDS for e in inner)
            via_hub += any(e in hubs for e in inner)
            busiest.append(max((degree[e] for e in inner), default=0))
            cost += sum(np.log2(max(degree[e], 1)) for e in inner)
        out[rule] = {
            "pairs": n,
            "not_joined": unjoined,
            "with_structural_link": with_structural,
            "through_org_or_place": through,
            "through_top5_hub": via_hub,
            "structural_fallback": fallback,
            "mean_hops": round(hops / n, 2) if n else None,
            "median_busiest_intermediary": float(np.median(busiest)) if n else None,
            "mean_log2_degree_sum": round(cost / n, 2) if n else None,
        }
    return {"authorities": keys, "hubs": sorted(hubs), **out}


def _type(index, u: int, v: int, allowed: np.ndarray) -> str:
    # the first relation joining the two that the rule allows: any of them will do
    lo, hi = int(index.indptr[u]), int(index.indptr[u + 1])
    slots = lo + np.flatnonzero(index.neighbours[lo:hi] == v)
    slot = int(slots[allowed[slots]][0])
    return index.type_names[index.rel_types[index.relations[slot]]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(regulink.load_facts(), args.top)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(result['authorities'])} authorities: {', '.join(result['authorities'])}")
    print(f"hubs (five busiest entities): {', '.join(result['hubs'])}")
    for rule in ("old", "substantive_fewest_hops", "new"):
        r = result[rule]
        print(
            f"{rule}: {r['pairs']} paths ({r['not_joined']} pairs not joined); "
            f"{r['with_structural_link']} use a structural link, "
            f"{r['through_org_or_place']} pass through an international org or a place, "
            f"{r['through_top5_hub']} through a top-5 hub; {r['structural_fallback']} "
            f"structural as a last resort; mean {r['mean_hops']} hops; the busiest "
            f"intermediary has {r['median_busiest_intermediary']:g} relations (median); "
            f"sum of log2(relations) over intermediaries {r['mean_log2_degree_sum']} (mean)"
        )


if __name__ == "__main__":
    main()
