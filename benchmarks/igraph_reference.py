"""The igraph reference for ``regulink analyze``: the same metrics from a prebuilt graph file.

    python benchmarks/igraph_reference.py prepare FACTS_DIR GRAPH.pkl   # once, not timed
    python benchmarks/igraph_reference.py run GRAPH.pkl                 # timed, end to end

``prepare`` writes the graph ``regulink analyze`` analyses by default (substantive relations,
see ``regulink.graph.semantics``) as two igraph graphs in one pickle: the undirected simple
graph (edge ``weight`` = relations behind a link; vertex ``id``, ``name``, ``kind``,
``jurisdiction``) and the directed simple graph PageRank walks (symmetric relations both
ways). The file holds exactly what the metrics need, so ``run`` does no preparation
``regulink`` does not also do: it is the best case for a user who keeps an igraph graph.

``run`` loads the file and computes what igraph offers of ``analyze``: components, degree,
PageRank, betweenness (exact up to 5,000 entities, else 256 sampled sources, the same
seeded sample), eigenvector centrality, Leiden communities (modularity, two iterations,
seeded) with their modularity, bridges and articulation points, each metric's top ten by
id. It prints one JSON line with the time of each step. What regulink adds beyond this
(the communities' descriptions, the pieces each cut leaves, the jurisdiction matrix,
likely partners, growth, reading and filtering the facts) is not in the reference.
"""

from __future__ import annotations

import json
import pickle
import random
import sys
import time

EXACT_MAX, SAMPLES, SEED, TOP = 5000, 256, 42, 10


def prepare(facts_dir: str, out: str) -> dict:
    import igraph
    import numpy as np

    from regulink.graph.compact import analysis_graph
    from regulink.loaders.validate import load_facts

    C = analysis_graph(load_facts([facts_dir]))
    u, v, w = C.links
    g = igraph.Graph(n=C.n, edges=np.column_stack([u, v]))
    g.es["weight"] = w.tolist()
    g.vs["id"] = C.ids
    g.vs["name"] = C.names
    g.vs["kind"] = [C.kind_names[k] for k in C.kind.tolist()]
    g.vs["jurisdiction"] = [C.jurisdiction_names[j] for j in C.jurisdiction.tolist()]
    with open(out, "wb") as fh:
        pickle.dump({"undirected": g, "directed": C.digraph}, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return {"entities": C.n, "links": g.ecount(), "arcs": C.digraph.ecount()}


def run(path: str) -> dict:
    t0 = time.perf_counter()
    import igraph
    import numpy as np

    times = {}

    def step(name: str, t: float) -> float:
        now = time.perf_counter()
        times[name] = round(now - t, 3)
        return now

    t = step("import", t0)
    with open(path, "rb") as fh:
        graphs = pickle.load(fh)
    g, d = graphs["undirected"], graphs["directed"]
    ids = g.vs["id"]
    t = step("load", t)
    order = np.argsort(np.array([str(x) for x in ids]), kind="stable")
    rank = np.empty(len(ids), np.int64)
    rank[order] = np.arange(len(ids))

    def top(scores) -> list:
        s = np.asarray(scores, float)
        return [ids[i] for i in np.lexsort((rank, -s))[:TOP].tolist()]

    sizes = np.bincount(g.connected_components().membership)
    t = step("components", t)
    out = {"degree": top(g.degree())}
    t = step("degree", t)
    out["pagerank"] = top(d.pagerank(directed=True))
    t = step("pagerank", t)
    n = g.vcount()
    src = sorted(random.Random(SEED).sample(range(n), SAMPLES)) if n > EXACT_MAX else None
    out["betweenness"] = top(g.betweenness(directed=False, sources=src))
    t = step("betweenness", t)
    out["eigenvector"] = top(g.eigenvector_centrality(weights=None))
    t = step("eigenvector", t)
    igraph.set_random_number_generator(random.Random(SEED))
    part = g.community_leiden(objective_function="modularity", weights="weight", n_iterations=2)
    modularity = g.modularity(part.membership, weights="weight")
    t = step("leiden", t)
    bridges, cuts = g.bridges(), g.articulation_points()
    step("bridges", t)
    times["total"] = round(time.perf_counter() - t0, 3)
    return {
        "times": times,
        "entities": n,
        "components": len(sizes),
        "modularity": round(modularity, 4),
        "bridges": len(bridges),
        "articulation_points": len(cuts),
        "top": out,
    }


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "prepare":
        print(json.dumps(prepare(argv[1], argv[2])))
        return 0
    if len(argv) == 2 and argv[0] == "run":
        print(json.dumps(run(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
