"""Network analytics: known answers on hand-built graphs, brute-force cross-checks, the CLI
contract on the mini world and the API, and robust properties on the bundled seeds."""

from __future__ import annotations

import json
import math
import random

import networkx as nx
import numpy as np
import pytest

import regulink
from regulink.graph.analytics import (
    analyze,
    brokers,
    centrality,
    communities,
    growth,
    jurisdiction_brokers,
    jurisdiction_matrix,
    likely_partners,
    partners,
    to_markdown,
)
from regulink.graph.analytics.centrality import betweenness, eigenvector, pagerank
from regulink.graph.analytics.communities import membership
from regulink.graph.compact import analysis_graph, as_compact
from regulink.graph.schema import load_schema


def snapshot(G):
    edges = G.edges(data=True, keys=True) if G.is_multigraph() else G.edges(data=True)
    return (list(G.nodes(data=True)), list(edges))


def relation_graph() -> nx.MultiDiGraph:
    """Two regulator clusters (SG, CH) joined only through one INT hub, plus a tail."""
    G = nx.MultiDiGraph()
    people = {
        "sg1": "SG",
        "sg2": "SG",
        "sg3": "SG",
        "ch1": "CH",
        "ch2": "CH",
        "ch3": "CH",
        "hub": "INT",
        "tail": "JP",
    }
    for n, j in people.items():
        G.add_node(
            n, name=n.upper(), kind="regulator" if n != "hub" else "programme", jurisdiction=j
        )
    for u, v, t, start in [
        ("sg1", "sg2", "partners_with", "2020"),
        ("sg2", "sg3", "partners_with", "2021-05"),
        ("sg1", "sg3", "partners_with", None),
        ("ch1", "ch2", "partners_with", "2021"),
        ("ch2", "ch3", "partners_with", "2023"),
        ("ch1", "ch3", "partners_with", "2023-01-02"),
        ("sg1", "hub", "member_of", "2023"),
        ("ch1", "hub", "member_of", "2023"),
        ("hub", "sg1", "leads", None),
        ("tail", "ch3", "signed_mou_with", "2024"),
    ]:
        G.add_edge(
            u,
            v,
            key=f"{t}:{u}:{v}",
            type=t,
            start=start,
            end=None,
            sources=("s",),
            symmetric=t in ("partners_with", "signed_mou_with"),
        )
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
    assert c["degree"][0] == {
        "id": "ch1",
        "name": "CH1",
        "kind": "regulator",
        "jurisdiction": "CH",
        "score": 3,
    }
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
        bridges[tuple(sorted((u, v), key=str))] = min(
            len(nx.node_connected_component(K, u)), len(nx.node_connected_component(K, v))
        )
    cuts = {}
    for a in nx.articulation_points(H):
        K = H.copy()
        K.remove_node(a)
        pieces = [
            len(c)
            for c in nx.connected_components(K.subgraph(nx.node_connected_component(H, a) - {a}))
        ]
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
    # sg1 <-> hub by two relations (member_of and leads) is one linked pair: pairs are
    # counted unordered and once; the hub joins CH and SG.
    assert pairs == {
        ("INT", "SG"): (1, 0, []),
        ("CH", "INT"): (1, 0, []),
        ("CH", "SG"): (0, 1, ["hub"]),
        ("CH", "JP"): (1, 0, []),
    }
    n = len(m["jurisdictions"])
    assert all(m["links"][i][j] == m["links"][j][i] for i in range(n) for j in range(n))
    only_regulators = jurisdiction_matrix(G, via_kinds={"regulator"})
    assert all(p["shared"] == 0 for p in only_regulators["pairs"])


def test_partners_are_adamic_adar_when_every_entity_is_an_actor(monkeypatch):
    # No joint undertakings: the collaboration graph is the graph itself, so the scores are
    # networkx's Adamic-Adar.
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, "regulator", "kind")
    ours = likely_partners(G, top=15)["predictions"]
    theirs = sorted(nx.adamic_adar_index(G), key=lambda t: (-t[2], str(t[0]), str(t[1])))
    assert [p["score"] for p in ours] == [round(s, 4) for _, _, s in theirs[:15]]
    aa = {frozenset((u, v)): s for u, v, s in theirs}
    assert all(p["score"] == round(aa[frozenset((p["a"]["id"], p["b"]["id"]))], 4) for p in ours)
    for p in ours:  # never an existing link; the shared neighbours really are shared
        assert not G.has_edge(p["a"]["id"], p["b"]["id"])
        assert all(
            G.has_edge(w, p["a"]["id"]) and G.has_edge(w, p["b"]["id"]) for w in p["because"]
        )
    from regulink.graph.analytics import prediction

    monkeypatch.setattr(prediction, "_BLOCK", 7)  # the scan in blocks finds the same pairs
    assert likely_partners(G, top=15)["predictions"] == ours
    one = partners(G, 0, top=None)
    expected = {
        v: s
        for _, v, s in nx.adamic_adar_index(
            G, [(0, v) for v in G if v != 0 and not G.has_edge(0, v)]
        )
        if s > 0
    }
    assert {p["id"]: p["score"] for p in one} == {v: round(s, 4) for v, s in expected.items()}


def partner_world():
    """Two central banks in one project (already working together), a regulator that
    partners with one of them and with a third bank, and a document all of them issued."""
    from regulink.graph.model import Entity, FactBase, Relation

    kinds = {
        "cb1": "central_bank",
        "cb2": "central_bank",
        "cb3": "central_bank",
        "reg": "regulator",
        "proj": "project",
        "doc": "framework",
        "city": "place",
    }
    ents = {k: Entity(k, v, k.upper(), None, (), "SG") for k, v in kinds.items()}

    def rel(t, a, b, start="2020"):
        return Relation(t, a, b, start, None, None, None, ("s",), symmetric=t == "partners_with")

    rels = [
        rel("participates_in", "cb1", "proj"),
        rel("participates_in", "cb2", "proj"),
        rel("partners_with", "reg", "cb1"),
        rel("partners_with", "reg", "cb3"),
        rel("partners_with", "reg", "cb2", "2024"),
        rel("issued", "cb1", "doc"),
        rel("issued", "cb2", "doc"),
        rel("issued", "cb3", "doc"),
        rel("located_in", "cb1", "city"),
        rel("located_in", "cb3", "city"),
    ]
    return FactBase(ents, rels)


def test_partners_exclude_documents_and_co_participants():
    facts = partner_world()
    got = regulink.partners(facts, "cb1")
    # cb2 shares the project with cb1: already working together, never predicted; the
    # document and the project are not actors; reg is linked directly.
    assert [p["id"] for p in got] == ["cb3"]
    assert got[0]["because"] == ["doc", "reg"]  # both linked to three: ties by id
    assert set(got[0]) == {"id", "name", "kind", "jurisdiction", "score", "because"}
    # As of 2023 reg did not yet partner with cb2: cb2 is predicted (through cb1, its
    # co-participant); once the 2024 partnership counts, it is linked and never predicted.
    before = {p["id"] for p in regulink.partners(facts, "reg", as_of="2023")}
    assert before == {"cb2"} and "cb2" not in {p["id"] for p in regulink.partners(facts, "reg")}
    # Structural links (the shared city) count only with structural=True.
    assert regulink.partners(facts, "cb1", structural=True)[0]["because"] == ["city", "doc", "reg"]
    # A hub left out no longer justifies anything; the subject itself is never left out.
    assert [p["because"] for p in regulink.partners(facts, "cb1", exclude=["doc"])] == [["reg"]]
    assert regulink.partners(facts, "cb1", avoid_hubs=1) == []


def test_partners_cli(run_mini, mini):
    r = run_mini("partners", "GFMA")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[:2] == [
        " 1. AMA [alpha-ma] (central_bank, SG) 0.721",
        "    because of: delta-bank",
    ]
    r = run_mini("partners", "gamma-fma", "--json", "--structural", "--top", "1")
    assert json.loads(r.stdout) == regulink.partners(mini, "gamma-fma", structural=True, top=1)
    # with memberships admitted, AMA and GFMA share the policymaker group: never predicted
    assert "alpha-ma" not in {
        p["id"] for p in regulink.partners(mini, "gamma-fma", structural=True)
    }
    r = run_mini("partners", "no such body")
    assert r.exit_code == 2 and "no entity matches" in r.stderr


def test_growth_counts_relations_per_start_year():
    g = growth(relation_graph())
    assert g["by_year"] == {"2020": 1, "2021": 2, "2022": 0, "2023": 4, "2024": 1}
    assert g["cumulative"]["2024"] == 8 and g["undated"] == 2
    assert g["by_type"]["2023"] == {"member_of": 2, "partners_with": 2}
    assert growth(nx.Graph()) == {"by_year": {}, "cumulative": {}, "by_type": {}, "undated": 0}


def test_no_analytic_mutates_its_input():
    G = relation_graph()
    before = snapshot(G)
    analyze(G, top=3)
    jurisdiction_brokers(G, "SG", "CH")
    partners(G, "sg2")
    assert snapshot(G) == before
    U = nx.Graph(nx.karate_club_graph())
    before = snapshot(U)
    analyze(U)
    assert snapshot(U) == before


def test_markdown_report_has_every_section():
    md = to_markdown(analyze(relation_graph(), top=3), title="Test")
    heads = [line for line in md.splitlines() if line.startswith("#")]
    assert heads == [
        "# Test",
        "## Centrality",
        "### Degree",
        "### Pagerank",
        "### Betweenness",
        "### Eigenvector",
        "## Communities",
        "## Brokers",
        "## Jurisdictions",
        "## Likely next partners",
        "## Growth",
    ]
    assert "| CH1 (ch1, CH) – HUB (hub, INT) | 4 |" in md


# --- CLI on the mini world, then the API -------------------------------------------------


def test_analyze_prints_a_summary_and_writes_a_report(run_mini, mini, tmp_path):
    out = tmp_path / "report.md"
    r = run_mini("analyze", "--top", "2", "--report", str(out))
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    # Substantive relations only: the two memberships and the employment are left out, so
    # the person and one regulator stand alone.
    assert lines[:5] == [
        "Substantive relations only unless --structural; degree = distinct entities linked.",
        "9 entities, 7 relations (7 linked pairs), 3 components (largest 7, 2 isolated)",
        "",
        "Centrality (betweenness exact)",
        "  degree:      AMA 3, Project Lark 3",
    ]
    assert "Brokers: 4 bridges, 3 articulation points" in lines
    assert "  bridge AMA – Project Lark (cuts off 3)" in lines
    assert "  INT–SG: 3 direct, 0 shared" in lines
    assert "  AMA – GFMA 0.721 (because of: delta-bank)" in lines
    assert lines[-6:] == [
        "New relations per year (2 undated)",
        "  2021:    1 #",
        "  2022:    3 ###",
        "  2023:    1 #",
        "",
        f"report written to {out}",
    ]
    r = run_mini("analyze", "--structural", "--top", "2")
    assert (
        "9 entities, 10 relations (10 linked pairs), 1 component (largest 9, 0 isolated)"
        in r.stdout
        and r.stdout.startswith("Rules: structural links included")
    )
    api_result = regulink.analyze(mini, top=2)
    assert out.read_text(encoding="utf-8") == regulink.report_markdown(api_result)


def test_analyze_json_equals_the_api(run_mini, mini):
    r = run_mini("analyze", "--json", "--top", "3", "--as-of", "2023-06")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data == regulink.analyze(mini, top=3, as_of="2023-06")
    assert list(data) == [
        "graph",
        "centrality",
        "communities",
        "brokers",
        "matrix",
        "partners",
        "growth",
        "rules",
    ]
    # In force on 2023-06-30, substantive: the 2023-10 lead is later; the rest holds.
    assert data["graph"]["relations"] == 6
    # one instant: AMA's part in Lark ended 2023-09, so as of 2023-10 it no longer counts,
    # while AMA's lead of the group (from 2023-10-30) does
    later = analysis_graph(mini, as_of="2023-10")
    ama, lark, group = (later.index[x] for x in ("alpha-ma", "project-lark", "kite-policy-group"))
    assert later.m == 6 and later.adjacency[ama, lark] == 0 and later.adjacency[ama, group] == 1
    assert regulink.analyze(mini, dated_only=True)["graph"]["relations"] == 5


def test_brokers_between_jurisdictions(run_mini, mini):
    r = run_mini("brokers", "sg", "CH")
    assert r.exit_code == 0
    # substantive links only: SG reaches CH through Project Lark and DNB's partnership
    assert r.stdout == (
        "SG (3) – CH (1): 2 connected pairs, 0 direct links\n"
        "  1. DNB [delta-bank] (central_bank, FR): 100% of shortest paths\n"
        "  2. Project Lark [project-lark] (project, INT): 100% of shortest paths\n"
        "  3. AMA [alpha-ma] (central_bank, SG): 50% of shortest paths\n"
    )
    api = regulink.brokers(mini, "SG", "CH", structural=True)
    assert [(b["id"], b["share"]) for b in api["brokers"]] == [
        ("kite-policy-group", 1.0),
        ("alpha-ma", 0.3333),
    ]
    hubless = regulink.brokers(mini, "SG", "CH", structural=True, exclude=["kite-policy-group"])
    assert [b["id"] for b in hubless["brokers"]][:2] == ["delta-bank", "project-lark"]
    r = run_mini("brokers", "--json", "--top", "1")
    assert json.loads(r.stdout) == regulink.brokers(mini, top=1)


@pytest.mark.parametrize(
    "args, message",
    [
        (["brokers", "SG"], "give two jurisdictions (e.g. SG CH), or none"),
        (["brokers", "SG", "XX"], "unknown jurisdiction 'XX'"),
        (["brokers", "SG", "sg"], "give two different jurisdictions"),
        (["analyze", "--as-of", "soon"], "'soon' is not a date"),
        (["analyze", "--top", "0"], "--top"),
        (["analyze", "--avoid-hubs", "0"], "--avoid-hubs"),
        (["brokers", "--exclude", "nobody at all"], "no entity matches"),
        (["partners", "AMA", "--kinds", "planet"], "unknown kind 'planet'"),
    ],
)
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
    assert g["entities"] == len(facts.entities)
    structural = load_schema().structural_types
    assert g["relations"] == sum(r.type not in structural for r in facts.relations)
    for m in ("degree", "pagerank", "betweenness", "eigenvector"):
        scores = [x["score"] for x in r["centrality"][m]]
        assert len(scores) == min(5, g["entities"]) and scores == sorted(scores, reverse=True)
        assert all(x["id"] in facts.entities for x in r["centrality"][m])
    # each score is rounded to 6 digits: the sum is 1 within half a millionth per entity
    assert math.isclose(
        sum(x["score"] for x in regulink.analyze(facts, top=10_000)["centrality"]["pagerank"]),
        1.0,
        abs_tol=g["entities"] * 5e-7,
    )
    assert r["communities"]["count"] >= 1 and 0 < r["communities"]["modularity"] < 1
    gr = r["growth"]
    assert sum(gr["by_year"].values()) + gr["undated"] == g["relations"]
    for p in r["partners"]["predictions"]:
        assert p["a"]["id"] != p["b"]["id"] and p["because"]
    jurs = sorted({e.jurisdiction for e in facts.entities.values()})
    a, b = jurs[0], jurs[-1]
    between = regulink.brokers(facts, a, b)
    assert all(0 < x["share"] <= 1 for x in between["brokers"])
    assert r == regulink.analyze(facts, top=5)  # deterministic


# --- each metric against networkx on random graphs, within stated tolerances -------------

RANDOM = [
    nx.karate_club_graph(),
    nx.gnm_random_graph(120, 150, seed=4),  # several components
    nx.barbell_graph(6, 4),
    nx.Graph([(1, 2)]),
    nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=1),
]  # the sparse eigensolver
RANDOM_IDS = ["karate", "sparse-random", "barbell", "one-edge", "watts-strogatz-400"]


@pytest.mark.parametrize("G", RANDOM, ids=RANDOM_IDS)
def test_exact_betweenness_equals_networkx(G):
    ours, theirs = betweenness(G), nx.betweenness_centrality(G)
    assert ours == pytest.approx([theirs[n] for n in G], abs=1e-12)


@pytest.mark.parametrize("G", RANDOM, ids=RANDOM_IDS)
def test_pagerank_and_eigenvector_equal_networkx(G):
    # PageRank: igraph's PRPACK solves the linear system; networkx's power iteration, run
    # to tol 1e-12, agrees within 1e-8 per entity.
    D = nx.DiGraph(G)
    ref = nx.pagerank(D, weight=None, tol=1e-12, max_iter=10_000)
    assert pagerank(D) == pytest.approx([ref[n] for n in D], abs=1e-8)
    # Eigenvector: both solve the symmetric eigenproblem; 1e-6 on the principal component.
    if nx.is_connected(G) and len(G) > 2:
        ref = nx.eigenvector_centrality_numpy(G)
        assert eigenvector(G) == pytest.approx([ref[n] for n in G], abs=1e-6)


def test_jurisdiction_brokers_agree_with_networkx_subset_betweenness():
    G = nx.gnm_random_graph(80, 140, seed=3)
    jur = {n: ("SG", "CH", "INT")[n % 3] for n in G}
    nx.set_node_attributes(G, jur, "jurisdiction")
    r = jurisdiction_brokers(G, "SG", "CH", top=None)
    A = [n for n in G if jur[n] == "SG"]
    B = [n for n in G if jur[n] == "CH"]
    # networkx halves the subset sums on an undirected graph; each (a, b) pair counts once
    ref = nx.betweenness_centrality_subset(G, A, B, normalized=False)
    expected = {n: round(2 * s / r["pairs"], 4) for n, s in ref.items() if s > 1e-12}
    assert {x["id"]: x["share"] for x in r["brokers"]} == expected


def test_sampled_betweenness_is_deterministic_and_close():
    G = nx.connected_watts_strogatz_graph(300, 6, 0.2, seed=2)
    exact = betweenness(G)
    a, b = betweenness(G, k=150, seed=1), betweenness(G, k=150, seed=1)
    assert a.tolist() == b.tolist()
    top = np.argsort(-exact)[:5]
    assert a[top] == pytest.approx(exact[top], rel=0.5)
    major, minor = (int(x) for x in nx.__version__.split(".")[:2])
    if (major, minor) >= (3, 5):  # networkx 3.5 changed how sampled scores are scaled
        theirs = nx.betweenness_centrality(G, k=150, seed=1)
        assert a == pytest.approx([theirs[n] for n in G], abs=1e-12)


def test_leiden_is_deterministic_and_beats_louvain_modularity():
    G = nx.connected_watts_strogatz_graph(500, 6, 0.3, seed=5)
    labels, q = membership(G, seed=3)
    again, q2 = membership(G, seed=3)
    assert labels.tolist() == again.tolist() and q == q2
    parts = [set(np.flatnonzero(labels == c).tolist()) for c in np.unique(labels)]
    assert q == pytest.approx(nx.community.modularity(G, parts), abs=1e-9)
    louvain = nx.community.louvain_communities(G, seed=3)
    assert q >= nx.community.modularity(G, louvain) - 1e-9
    # Leiden's guarantee: every community is connected
    assert all(nx.is_connected(G.subgraph(p)) for p in parts)


def test_compact_graph_from_facts_equals_the_networkx_route():
    facts = regulink.load_facts()
    direct = analysis_graph(facts, structural=True)
    via_nx = as_compact(regulink.to_networkx(facts))
    assert direct.ids == via_nx.ids
    assert (direct.adjacency != via_nx.adjacency).nnz == 0
    assert analyze(direct, top=5) == analyze(via_nx, top=5)


def test_notebook_01_dates_a_hop_that_has_only_an_end(capsys):
    # Issue 11: the notebook printed "(undated)" for a relation that has an end date.
    from pathlib import Path

    import nbformat

    nb = nbformat.read(
        Path(__file__).parent.parent / "notebooks" / "01-explore-entities-and-paths.ipynb",
        as_version=4,
    )
    cell = next(c.source for c in nb.cells if "def show_path" in c.source)
    namespace = {"facts": regulink.load_facts(), "regulink": regulink}
    exec(cell.split("\nshow_path(")[0], namespace)  # the helper, without its call
    hop = {
        "from": "mas",
        "to": "bis",
        "type": "partners_with",
        "direction": "forward",
        "event": False,
        "start": None,
        "end": "2023-09",
        "end_derived": False,
        "sources": [],
    }
    namespace["show_path"]({"paths": [{"length": 1, "hops": [hop]}]})
    out = capsys.readouterr().out
    assert "(until 2023-09)" in out and "undated" not in out
