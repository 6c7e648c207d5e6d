"""Backtest of ``regulink partners`` against the Adamic-Adar baseline it replaced.

    python benchmarks/partners_backtest.py                 # the bundled seeds, N = 1, 2, 3
    python benchmarks/partners_backtest.py --years 2 --json

For each N: hide every relation that began in the last N years of the facts (start year
after ``last year - N``), predict from what is left, and compare each actor's top ten with
what then happened. Relations without a start cannot be placed in time: they stay in what is
left (as a user would have them).

*What happened* is the same for every method: pairs of actors (kinds flagged ``actor``)
that came to work together through the hidden relations (a new relation between them, or a
project or programme both joined) and did not before. An actor is evaluated when it has at
least one such new partner and at least one link before the cut.

Methods:

- ``partners``: ``regulink.partners`` with its defaults (substantive relations; actors only;
  never a pair already working together; Adamic-Adar on the collaboration graph);
- ``same rules, plain neighbours``: the same candidates and exclusions, but Adamic-Adar over
  the neighbours shared in the relation graph itself rather than the collaboration graph
  (what the collaboration graph adds);
- ``baseline``: Adamic-Adar as ``analyze`` suggested partners before issue 11: on every
  relation (structural ones too), any kind of entity, excluding only direct links
  (``networkx.adamic_adar_index``);
- ``baseline, actors``: the same, candidates restricted to actors (to tell the kind rule
  apart from the rest).

Reported per method: precision@10 (hits among the top ten, over ten, averaged over the
evaluated actors), recall@10 (hits over new partners), and the share of actors with at
least one hit.
"""

from __future__ import annotations

import argparse
import json
import sys

import networkx as nx
import numpy as np

import regulink
from regulink.graph.analytics.prediction import collaboration
from regulink.graph.compact import analysis_graph
from regulink.graph.model import FactBase
from regulink.graph.schema import load_schema

K = 10


def _start_year(r) -> int | None:
    return int(r.start[:4]) if r.start else None


def working_pairs(facts: FactBase) -> set[frozenset]:
    """Pairs of actors working together (linked, or sharing a project or programme)."""
    C = analysis_graph(facts)
    actor = C.kind_in(load_schema().actor_kinds)
    P = collaboration(C).tocoo()
    keep = actor[P.row] & actor[P.col]
    return {
        frozenset((C.ids[u], C.ids[v]))
        for u, v in zip(P.row[keep].tolist(), P.col[keep].tolist(), strict=False)
    }


def baseline(facts: FactBase, actors_only: bool):
    """The pre-issue-11 suggestion: Adamic-Adar on every relation, any kind."""
    G = nx.Graph(regulink.to_networkx(facts).to_undirected())
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    actor_kinds = load_schema().actor_kinds

    def predict(u: str) -> list[str]:
        if u not in G or not G[u]:
            return []
        cand = [
            v
            for v in G
            if v != u
            and not G.has_edge(u, v)
            and (not actors_only or G.nodes[v]["kind"] in actor_kinds)
        ]
        scores = [(v, s) for _u, v, s in nx.adamic_adar_index(G, [(u, v) for v in cand]) if s > 0]
        scores.sort(key=lambda x: (-x[1], x[0]))
        return [v for v, _s in scores[:K]]

    return predict


def plain_neighbours(facts: FactBase):
    """The partners rule (actors, never already working together) scored over shared
    neighbours in the substantive relation graph instead of the collaboration graph."""
    C = analysis_graph(facts)
    A = C.adjacency.copy()
    A.data[:] = 1.0
    deg = np.diff(A.indptr)
    weight = np.where(deg >= 2, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
    actor = C.kind_in(load_schema().actor_kinds)

    def predict(u: str) -> list[str]:
        i = C.index[u]
        score = np.asarray((A[[i]].multiply(weight) @ A).todense()).ravel()
        ok = actor & (score > 1e-12)
        ok[collaboration(C, np.array([i])).indices] = False
        ok[i] = False
        cand = np.flatnonzero(ok)
        cand = cand[np.lexsort((C.id_rank[cand], -np.round(score[cand], 9)))][:K]
        return [C.ids[j] for j in cand.tolist()]

    return predict


def backtest(facts: FactBase, years: int) -> dict:
    last = max(y for r in facts.relations if (y := _start_year(r)) is not None)
    cut = last - years
    before = FactBase(
        facts.entities,
        [r for r in facts.relations if (y := _start_year(r)) is None or y <= cut],
        facts.sources,
        facts.files,
    )
    then, now = working_pairs(before), working_pairs(facts)
    new = now - then
    actor_kinds = load_schema().actor_kinds
    linked_before = analysis_graph(before)
    evaluated = sorted(
        u
        for u in {x for p in new for x in p}
        if facts.entities[u].kind in actor_kinds
        and u in linked_before.index
        and linked_before.degree[linked_before.index[u]] > 0
    )
    truth = {u: {v for p in new if u in p for v in p if v != u} for u in evaluated}
    methods = {
        "partners": lambda u: [p["id"] for p in regulink.partners(before, u, top=K)],
        "same rules, plain neighbours": plain_neighbours(before),
        "baseline": baseline(before, actors_only=False),
        "baseline, actors": baseline(before, actors_only=True),
    }
    out = {
        "years": years,
        "cut": f"relations starting after {cut} hidden",
        "hidden": len(facts.relations) - len(before.relations),
        "new_pairs": len(new),
        "evaluated": len(evaluated),
        "methods": {},
    }
    for name, predict in methods.items():
        prec, rec, hit, examples = [], [], [], {}
        for u in evaluated:
            got = predict(u)
            hits = [v for v in got if v in truth[u]]
            prec.append(len(hits) / K)
            rec.append(len(hits) / len(truth[u]))
            hit.append(bool(hits))
            if hits:
                examples[u] = hits
        kinds: dict = {}
        for u in evaluated:
            for v in predict(u):
                k = facts.entities[v].kind
                kinds[k] = kinds.get(k, 0) + 1
        out["methods"][name] = {
            "precision_at_10": round(float(np.mean(prec)), 4) if prec else None,
            "recall_at_10": round(float(np.mean(rec)), 4) if rec else None,
            "actors_with_a_hit": round(float(np.mean(hit)), 4) if hit else None,
            "predicted_kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
            "hits": dict(sorted(examples.items())[:8]),
        }
    return out


def table(results: list[dict]) -> str:
    rows = [
        "| hidden: last N years | relations hidden | new actor pairs | actors evaluated | "
        "method | precision@10 | recall@10 | actors with a hit |",
        "| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        for name, m in r["methods"].items():
            rows.append(
                f"| {r['years']} | {r['hidden']} | {r['new_pairs']} | "
                f"{r['evaluated']} | {name} | {m['precision_at_10']} | "
                f"{m['recall_at_10']} | {m['actors_with_a_hit']} |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", default="1,2,3", help="comma-separated N")
    ap.add_argument("--seeds", nargs="*", default=None, help="fact files (default: bundled)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    facts = regulink.load_facts(args.seeds)
    results = [backtest(facts, int(n)) for n in args.years.split(",")]
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
