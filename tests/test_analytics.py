"""Network analytics: known answers on hand-built graphs, brute-force cross-checks, the CLI
contract on the mini world and the API, and robust properties on the bundled seeds."""

from __future__ import annotations

import json
import math
import random

import networkx as nx
import pytest

import regulink
from regulink.graph.analytics import (
    analyze, brokers, centrality, communities, growth, jurisdiction_brokers,
    jurisdiction_matrix, likely_partners, to_markdown,
)


def snapshot(G):
    edges = G.edges(data=True, keys=True) if G.is_multigraph() else G.edges(data=True)
    return (list(G.nodes(data=True)), list(edges))


def relation_graph() -> nx.MultiDiGraph:
    """Two regulator clusters (SG, CH) joined only through one INT hub, plus a tail."""
    G = nx.MultiDiGraph()
    people = {"sg1": "SG", "sg2": "SG", "sg3": "SG", "ch1": "CH", "ch2": "CH", "ch3": "CH",
              "hub": "INT", "tail": "JP"}
    for n, j in people.items():
        G.add_node(n, name=n.upper(), kind="regulator" if n != "hub" else "programme",
                   jurisdiction=j)
    for u, v, t, start in [("sg1", "sg2", "partners_with", "2020"),
                           ("sg2", "sg3", "partners_with", "2021-05"),
                           ("sg1", "sg3", "partners_with", None),
                           ("ch1", "ch2", "partners_with", "2021"),
                           ("ch2", "ch3", "partners_with", "2023"),
                           ("ch1", "ch3", "partners_with", "2023-01-02"),
                           ("sg1", "hub", "member_of", "2023"),
                           ("ch1", "hub", "member_of", "2023"),
                           ("hub", "sg1", "leads", None),
                           ("tail", "ch3", "signed_mou_with", "2024")]:
        G.add_edge(u, v, key=f"{t}:{u}:{v}", type=t, start=start, end=None, sources=("s",),
                   symmetric=t in ("partners_with", "signed_mou_with"))
    return G


# --- known answers -----------------------------------------------------------------------

def test_centrality_known_answers_and_sampling():
    G = relation_graph()
    c = centrality(G, top=3)
    assert c["betweenness_exact"] and c["betweenness_samples"] is None
    # The hub and its two neighbours carry every SG-CH path.
    assert {r["id"] for r in c["betweenness"]} == {"hub", "sg1", "ch1"}
    exact = nx.betweenness_centrality(nx.Graph(G.to_undirected()))
    assert c["betweenness"][0]["score"] == pytest.approx(max(exact.values()), abs=1e-6)
    assert c["degree"][0] == {"id": "ch1", "name": "CH1", "kind": "regulator",
                              "jurisdiction": "CH", "score": 3}
    sampled = centrality(G, top=None, exact_max=3, samples=4, seed=7)
    assert not sampled["betweenness_exact"] and sampled["betweenness_samples"] == 4
    assert sampled == centrality(G, top=None, exact_max=3, samples=4, seed=7)
    assert len(sampled["degree"]) == G.number_of_nodes()


def test_pagerank_follows_direction_and_eigenvector_matches_networkx():
    D = nx.MultiDiGraph([("a", "sink"), ("b", "sink"), ("c", "sink"), ("sink", "d")])
    assert centrality(D)["pagerank"][0]["id"] == "d"  # everything flows into d via sink
    K = nx.karate_club_graph()
    ours = {r["id"]: r["score"] for r in centrality(K, top=None)["eigenvector"]}
    theirs = nx.eigenvector_centrality_numpy(K, weight=None)
    assert all(ours[n] == pytest.approx(theirs[n], abs=1e-5) for n in K)
    big = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=1)  # the sparse solver path
    ours = {r["id"]: r["score"] for r in centrality(big, top=None)["eigenvector"]}
    theirs = nx.eigenvector_centrality_numpy(big)
    assert all(ours[n] == pytest.approx(theirs[n], abs=1e-5) for n in big)


def test_communities_find_the_two_clusters():
    G = relation_graph()
    c = communities(G)
    groups = [set(x["members"]) for x in c["communities"]]
    assert {"sg1", "sg2", "sg3"} in [g & {"sg1", "sg2", "sg3"} for g in groups]
    assert not any({"sg2", "ch2"} <= g for g in groups)
    assert sum(len(g) for g in groups) + c["singletons"] == G.number_of_nodes()
    sg = next(x for x in c["communities"] if "sg2" in x["members"])
    assert next(iter(sg["jurisdictions"])) == "SG"
    assert c == communities(G)  # fixed seed: the same answer every time
    empty = communities(nx.empty_graph(3))
    assert (empty["count"], empty["singletons"], empty["communities"]) == (0, 3, [])


def test_brokers_find_the_bridge_we_placed():
    G = relation_graph()
    b = brokers(G)
    pairs = {(x["a"]["id"], x["b"]["id"]): x["cut_off"] for x in b["bridges"]}
    assert pairs == {("ch1", "hub"): 4, ("hub", "sg1"): 3, ("ch3", "tail"): 1}
    cuts = {x["id"]: (x["pieces"], x["cut_off"]) for x in b["articulation_points"]}
    assert cuts == {"hub": (2, 3), "ch1": (2, 3), "sg1": (2, 2), "ch3": (2, 1)}
    assert b["bridges"][0]["a"]["id"] == "ch1"  # biggest cut first


def _brute_force_cuts(H):
    size = {n: len(c) for c in nx.connected_components(H) for n in c}
    bridges = {}
    for u, v in nx.bridges(H):
        K = H.copy()
        K.remove_edge(u, v)
        bridges[tuple(sorted((u, v), key=str))] = min(len(nx.node_connected_component(K, u)),
                                                      len(nx.node_connected_component(K, v)))
    cuts = {}
    for a in nx.articulation_points(H):
        K = H.copy()
        K.remove_node(a)
        pieces = [len(c) for c in nx.connected_components(K.subgraph(
            nx.node_connected_component(H, a) - {a}))]
        cuts[a] = (len(pieces), size[a] - 1 - max(pieces))
    return bridges, cuts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_brokers_agree_with_brute_force_on_random_graphs(seed):
    rng = random.Random(seed)
    H = nx.Graph()
    H.add_nodes_from(range(60))
    for _ in range(70):  # sparse: many bridges and cut points, several components
        u, v = rng.sample(range(60), 2)
        H.add_edge(u, v)
    b = brokers(H, top=None)
    bridges, cuts = _brute_force_cuts(H)
    assert {(x["a"]["id"], x["b"]["id"]): x["cut_off"] for x in b["bridges"]} == bridges
    assert {x["id"]: (x["pieces"], x["cut_off"]) for x in b["articulation_points"]} == cuts


def test_jurisdiction_brokers_match_path_counting():
    G = relation_graph()
    r = jurisdiction_brokers(G, "SG", "CH", top=None)
    assert (r["pairs"], r["direct"], r["entities"]) == (9, 0, {"SG": 3, "CH": 3})
    shares = {x["id"]: x["share"] for x in r["brokers"]}
    # Every SG-CH shortest path runs sg* -> sg1 -> hub -> ch1 -> ch*.
    assert shares["hub"] == 1.0
    assert shares["sg1"] == pytest.approx(6 / 9, abs=1e-4)  # not when sg1 is the end
    assert shares["ch1"] == pytest.approx(6 / 9, abs=1e-4)
    # Brute force on the same graph: fraction of shortest paths through each node.
    H = nx.Graph(G.to_undirected())
    count = dict.fromkeys(H, 0.0)
    for s in ("sg1", "sg2", "sg3"):
        for t in ("ch1", "ch2", "ch3"):
            paths = list(nx.all_shortest_paths(H, s, t))
            for p in paths:
                for n in p[1:-1]:
                    count[n] += 1 / len(paths)
    assert shares == {n: round(c / 9, 4) for n, c in count.items() if c}
    with pytest.raises(ValueError):
        jurisdiction_brokers(G, "SG", "SG")


def test_jurisdiction_brokers_sample_large_jurisdictions():
    G = nx.Graph()
    for i in range(50):
        G.add_node(f"a{i}", jurisdiction="SG")
        G.add_edge(f"a{i}", "hub")
    G.add_node("hub", jurisdiction="INT")
    G.add_node("b", jurisdiction="CH")
    G.add_edge("hub", "b")
    r = jurisdiction_brokers(G, "SG", "CH", max_sources=10)
    assert r["sampled"] and r["pairs"] == 10
    assert r["brokers"][0]["id"] == "hub" and r["brokers"][0]["share"] == 1.0


def test_matrix_counts_direct_and_shared_links():
    G = relation_graph()
    m = jurisdiction_matrix(G)
    pairs = {(p["a"], p["b"]): (p["direct"], p["shared"], p["through"]) for p in m["pairs"]}
    # sg1 <-> hub twice (member_of and leads), ch1 -> hub once; the hub joins CH and SG.
    assert pairs == {("INT", "SG"): (2, 0, []), ("CH", "INT"): (1, 0, []),
                     ("CH", "SG"): (0, 1, ["hub"]), ("CH", "JP"): (1, 0, [])}
    n = len(m["jurisdictions"])
    assert all(m["links"][i][j] == m["links"][j][i] for i in range(n) for j in range(n))
    only_regulators = jurisdiction_matrix(G, via_kinds={"regulator"})
    assert all(p["shared"] == 0 for p in only_regulators["pairs"])


def test_likely_partners_agree_with_networkx_adamic_adar():
    G = nx.karate_club_graph()
    ours = likely_partners(G, top=15)["predictions"]
    theirs = sorted(nx.adamic_adar_index(G), key=lambda t: (-t[2], str(t[0]), str(t[1])))
    assert [p["score"] for p in ours] == [round(s, 4) for _, _, s in theirs[:15]]
    aa = {frozenset((u, v)): s for u, v, s in theirs}
    assert all(p["score"] == round(aa[frozenset((p["a"]["id"], p["b"]["id"]))], 4)
               for p in ours)
    for p in ours:  # never an existing link; the shared neighbours really are shared
        assert not G.has_edge(p["a"]["id"], p["b"]["id"])
        assert all(G.has_edge(w, p["a"]["id"]) and G.has_edge(w, p["b"]["id"])
                   for w in p["shared"])
    one = likely_partners(G, entity=0, top=None)["predictions"]
    expected = {v: s for _, v, s in nx.adamic_adar_index(
        G, [(0, v) for v in G if v != 0 and not G.has_edge(0, v)]) if s > 0}
    assert {p["b"]["id"]: p["score"] for p in one} == {
        v: round(s, 4) for v, s in expected.items()}


def test_growth_counts_relations_per_start_year():
    g = growth(relation_graph())
    assert g["by_year"] == {"2020": 1, "2021": 2, "2022": 0, "2023": 4, "2024": 1}
    assert g["cumulative"]["2024"] == 8 and g["undated"] == 2
    assert g["by_type"]["2023"] == {"member_of": 2, "partners_with": 2}
    assert growth(nx.Graph()) == {"by_year": {}, "cumulative": {}, "by_type": {},
                                  "undated": 0}


def test_no_analytic_mutates_its_input():
    G = relation_graph()
    before = snapshot(G)
    analyze(G, top=3)
    jurisdiction_brokers(G, "SG", "CH")
    likely_partners(G, entity="sg2")
    assert snapshot(G) == before
    U = nx.Graph(nx.karate_club_graph())
    before = snapshot(U)
    analyze(U)
    assert snapshot(U) == before


def test_markdown_report_has_every_section():
    md = to_markdown(analyze(relation_graph(), top=3), title="Test")
    heads = [line for line in md.splitlines() if line.startswith("#")]
    assert heads == ["# Test", "## Centrality", "### Degree", "### Pagerank",
                     "### Betweenness", "### Eigenvector", "## Communities", "## Brokers",
                     "## Jurisdictions", "## Likely next partners", "## Growth"]
    assert "| CH1 (ch1, CH) – HUB (hub, INT) | 4 |" in md


# --- CLI on the mini world, then the API -------------------------------------------------

def test_analyze_prints_a_summary_and_writes_a_report(run_mini, mini, tmp_path):
    out = tmp_path / "report.md"
    r = run_mini("analyze", "--top", "2", "--report", str(out))
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[:4] == [
        "9 entities, 10 relations (10 linked pairs), 1 component (largest 9, 0 isolated)",
        "",
        "Centrality (betweenness exact)",
        "  degree:      AMA 4, Project Kite Policymaker Group 4",
    ]
    assert "Brokers: 3 bridges, 3 articulation points" in lines
    assert "  bridge AMA – Jo Tan (cuts off 1)" in lines
    assert "  INT–SG: 3 direct, 0 shared" in lines
    assert lines[-6:] == ["New relations per year (3 undated)", "  2021:    1 #",
                          "  2022:    3 ###", "  2023:    3 ###", "",
                          f"report written to {out}"]
    api_result = regulink.analyze(mini, top=2)
    assert out.read_text(encoding="utf-8") == regulink.report_markdown(api_result)


def test_analyze_json_equals_the_api(run_mini, mini):
    r = run_mini("analyze", "--json", "--top", "3", "--as-of", "2023-06")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data == regulink.analyze(mini, top=3, as_of="2023-06")
    assert list(data) == ["graph", "centrality", "communities", "brokers", "matrix",
                          "partners", "growth"]
    assert data["graph"]["relations"] == 7  # three relations start after June 2023


def test_brokers_between_jurisdictions(run_mini, mini):
    r = run_mini("brokers", "sg", "CH")
    assert r.exit_code == 0
    assert r.stdout == (
        "SG (3) – CH (1): 3 connected pairs, 0 direct relations\n"
        "  1. Project Kite Policymaker Group [kite-policy-group] (programme, INT): "
        "100% of shortest paths\n"
        "  2. AMA [alpha-ma] (central_bank, SG): 33% of shortest paths\n")
    api = regulink.brokers(mini, "SG", "CH")
    assert [(b["id"], b["share"]) for b in api["brokers"]] == [
        ("kite-policy-group", 1.0), ("alpha-ma", 0.3333)]
    r = run_mini("brokers", "--json", "--top", "1")
    assert json.loads(r.stdout) == regulink.brokers(mini, top=1)


@pytest.mark.parametrize("args, message", [
    (["brokers", "SG"], "give two jurisdictions (e.g. SG CH), or none"),
    (["brokers", "SG", "XX"], "unknown jurisdiction 'XX'"),
    (["brokers", "SG", "sg"], "give two different jurisdictions"),
    (["analyze", "--as-of", "soon"], "'soon' is not a date"),
    (["analyze", "--top", "0"], "--top"),
])
def test_analysis_usage_mistakes_exit_2(run_mini, args, message):
    r = run_mini(*args)
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.stderr


def test_report_to_an_unwritable_place_exits_2(run_mini, tmp_path):
    r = run_mini("analyze", "--report", str(tmp_path / "missing-dir" / "r.md"))
    assert r.exit_code == 2
    assert "cannot write" in r.stderr


# --- the bundled seeds (still growing: only properties that must always hold) ------------

def test_seed_analysis_is_consistent():
    facts = regulink.load_facts()
    r = regulink.analyze(facts, top=5)
    g = r["graph"]
    assert g["entities"] == len(facts.entities) and g["relations"] == len(facts.relations)
    for m in ("degree", "pagerank", "betweenness", "eigenvector"):
        scores = [x["score"] for x in r["centrality"][m]]
        assert len(scores) == min(5, g["entities"]) and scores == sorted(scores, reverse=True)
        assert all(x["id"] in facts.entities for x in r["centrality"][m])
    assert math.isclose(sum(x["score"] for x in regulink.analyze(facts, top=10_000)
                            ["centrality"]["pagerank"]), 1.0, abs_tol=1e-4)
    assert r["communities"]["count"] >= 1 and 0 < r["communities"]["modularity"] < 1
    gr = r["growth"]
    assert sum(gr["by_year"].values()) + gr["undated"] == g["relations"]
    for p in r["partners"]["predictions"]:
        assert p["a"]["id"] != p["b"]["id"] and p["shared"]
    jurs = sorted({e.jurisdiction for e in facts.entities.values()})
    a, b = jurs[0], jurs[-1]
    between = regulink.brokers(facts, a, b)
    assert all(0 < x["share"] <= 1 for x in between["brokers"])
    assert r == regulink.analyze(facts, top=5)  # deterministic


# --- the batched Brandes behind betweenness and jurisdiction brokers ---------------------

@pytest.mark.parametrize("G", [
    nx.karate_club_graph(),
    nx.gnm_random_graph(120, 150, seed=4),            # several components
    nx.barbell_graph(6, 4),
    nx.Graph([(1, 2)]),
], ids=["karate", "sparse-random", "barbell", "one-edge"])
def test_batched_betweenness_equals_networkx(G):
    from regulink.graph.analytics._brandes import betweenness
    ours, theirs = betweenness(G), nx.betweenness_centrality(G)
    assert all(ours[n] == pytest.approx(theirs[n], abs=1e-12) for n in G)


def test_sampled_betweenness_is_deterministic_and_close():
    from regulink.graph.analytics._brandes import betweenness
    G = nx.connected_watts_strogatz_graph(300, 6, 0.2, seed=2)
    exact = betweenness(G)
    a, b = betweenness(G, k=150, seed=1), betweenness(G, k=150, seed=1)
    assert a == b
    top = sorted(exact, key=exact.get, reverse=True)[:5]
    assert all(a[n] == pytest.approx(exact[n], rel=0.5) for n in top)
    major, minor = (int(x) for x in nx.__version__.split(".")[:2])
    if (major, minor) >= (3, 5):  # networkx 3.5 changed how sampled scores are scaled
        theirs = nx.betweenness_centrality(G, k=150, seed=1)
        assert all(a[n] == pytest.approx(theirs[n], abs=1e-12) for n in G)
