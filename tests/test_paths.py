"""Path-finding: hand-built graphs with known answers, the CLI contract on the mini world,
then the same through the API, and robust checks on the bundled seeds."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

import regulink
from regulink.cli.main import cli
from regulink.graph.paths import NoPath, PathFilters, filtered_graph, find_paths

URL = "https://alpha.example/news/kite-group"
GROUP_SRC = ("Kite policymaker group formed · Alpha Monetary Authority · 2023-10-30 "
             f"<{URL}>")


def edge(G, u, v, type_="partners_with", *, start=None, end=None, symmetric=None, key=None):
    sym = type_ == "partners_with" if symmetric is None else symmetric
    G.add_edge(u, v, key=key or f"{type_}:{u}:{v}", type=type_, start=start, end=end,
               sources=(f"s-{u}-{v}",), note=None, symmetric=sym)


def ladder() -> nx.MultiDiGraph:
    """a-b-c-d in a line, plus a longer detour a-x-y-d and a spur d-e."""
    G = nx.MultiDiGraph()
    for u, v in [("a", "b"), ("b", "c"), ("c", "d"), ("a", "x"), ("x", "y"), ("y", "d"),
                 ("d", "e")]:
        edge(G, u, v)
    nx.set_node_attributes(G, "regulator", "kind")
    G.nodes["b"]["kind"] = "person"
    return G


def nodes_of(path: list[dict]) -> list[str]:
    return [path[0]["from"]] + [h["to"] for h in path]


# --- graph/paths.py on hand-built graphs -------------------------------------------------

def test_shortest_all_and_k_paths_on_a_known_graph():
    G = ladder()
    assert [nodes_of(p) for p in find_paths(G, "a", "d", mode="all")] == [
        ["a", "b", "c", "d"], ["a", "x", "y", "d"]]
    k = find_paths(G, "a", "e", mode="k", k=5)
    assert [nodes_of(p) for p in k] == [["a", "b", "c", "d", "e"], ["a", "x", "y", "d", "e"]]
    assert len(find_paths(G, "a", "d")) == 1


def test_filters_kinds_types_hops_and_via():
    G = ladder()
    # b is a person: excluding people forces the detour.
    (p,) = find_paths(G, "a", "d", exclude_kinds={"person"})
    assert nodes_of(p) == ["a", "x", "y", "d"]
    # ...but an excluded kind may still be an end.
    assert nodes_of(find_paths(G, "b", "d", exclude_kinds={"person"})[0]) == ["b", "c", "d"]
    (p,) = find_paths(G, "a", "e", via="y")
    assert nodes_of(p) == ["a", "x", "y", "d", "e"]
    with pytest.raises(NoPath) as exc:
        find_paths(G, "a", "e", max_hops=3)
    assert exc.value.filtered and exc.value.unfiltered == 4
    with pytest.raises(NoPath) as exc:
        find_paths(G, "a", "d", types={"leads"})
    assert exc.value.unfiltered == 3


def test_direction_of_travel_and_directed_mode():
    G = nx.MultiDiGraph()
    edge(G, "mas", "guardian", "launched")
    edge(G, "fsa", "guardian", "participates_in")
    (p,) = find_paths(G, "mas", "fsa")
    assert [(h["type"], h["direction"]) for h in p] == [
        ("launched", "forward"), ("participates_in", "backward")]
    with pytest.raises(NoPath):
        find_paths(G, "mas", "fsa", directed=True)
    # A symmetric relation may be walked either way, even when directed, and reads forward.
    edge(G, "fsa", "mas", "partners_with")
    (p,) = find_paths(G, "mas", "fsa", directed=True)
    assert [(h["from"], h["to"], h["type"], h["direction"]) for h in p] == [
        ("mas", "fsa", "partners_with", "forward")]


def test_as_of_keeps_only_relations_in_force():
    G = nx.MultiDiGraph()
    edge(G, "a", "b", start="2020", end="2021-06")
    edge(G, "b", "c", start="2019")
    edge(G, "a", "d", start="2023")
    edge(G, "d", "c", start="2023")
    assert nodes_of(find_paths(G, "a", "c", as_of="2021")[0]) == ["a", "b", "c"]
    assert nodes_of(find_paths(G, "a", "c", as_of="2024")[0]) == ["a", "d", "c"]
    with pytest.raises(NoPath):
        find_paths(G, "a", "c", as_of="2022")


def test_parallel_relations_pick_the_forward_one():
    G = nx.MultiDiGraph()
    edge(G, "g", "a", "leads", key="k1")
    edge(G, "a", "g", "member_of", key="k2")
    (p,) = find_paths(G, "a", "g")
    assert (p[0]["type"], p[0]["direction"], p[0]["key"]) == ("member_of", "forward", "k2")
    H = filtered_graph(G)
    assert sorted(H["a"]["g"]["rels"]) == [("a", "g", "k2"), ("g", "a", "k1")]


def test_not_connected_at_all_and_bad_arguments():
    G = ladder()
    G.add_node("lonely", kind="regulator")
    with pytest.raises(NoPath) as exc:
        find_paths(G, "a", "lonely")
    assert not exc.value.filtered and str(exc.value) == "no path from 'a' to 'lonely'"
    with pytest.raises(NoPath) as exc:
        find_paths(G, "a", "lonely", types={"leads"})
    assert exc.value.filtered and exc.value.unfiltered is None
    with pytest.raises(ValueError):
        find_paths(G, "a", "nowhere")
    with pytest.raises(ValueError):
        find_paths(G, "a", "a")
    with pytest.raises(ValueError):
        find_paths(G, "a", "d", mode="k", k=0)


def test_the_callers_graph_is_not_touched():
    G = ladder()
    before = (list(G.nodes(data=True)), list(G.edges(keys=True, data=True)))
    find_paths(G, "a", "e", mode="k", k=3, exclude_kinds={"person"}, as_of="2024")
    find_paths(G, "a", "e", via="y", directed=True, filters=PathFilters(directed=False))
    assert (list(G.nodes(data=True)), list(G.edges(keys=True, data=True))) == before


# --- the CLI on the mini world, then the API ---------------------------------------------

def test_path_prints_hops_with_readings_dates_and_sources(run_mini, mini):
    r = run_mini("path", "AMA", "Beta Financial Services Agency")
    assert r.exit_code == 0
    assert r.stdout == (
        "AMA [alpha-ma] -> BFSA [beta-fsa]: 1 path\n"
        "\n"
        "Path 1 (2 hops)\n"
        "  1. AMA [alpha-ma] leads Project Kite Policymaker Group [kite-policy-group] "
        "(since 2023-10-30)\n"
        f"     source: {GROUP_SRC}\n"
        "  2. Project Kite Policymaker Group [kite-policy-group] has member BFSA [beta-fsa] "
        "(since 2023-10)\n"
        f"     source: {GROUP_SRC}\n")
    api = regulink.path(mini, "alpha-ma", "beta-fsa")
    assert [(h["from"], h["to"]) for h in api["paths"][0]["hops"]] == [
        ("alpha-ma", "kite-policy-group"), ("kite-policy-group", "beta-fsa")]


def test_path_json_has_the_documented_shape(run_mini, mini):
    r = run_mini("path", "jo-tan", "project-lark", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data == {"from": "jo-tan", "to": "project-lark", "paths": [{"length": 2, "hops": [
        {"from": "jo-tan", "to": "alpha-ma", "type": "works_for", "direction": "forward",
         "start": None, "end": None, "note": None,
         "sources": [{"id": "fx-group", "title": "Kite policymaker group formed",
                      "publisher": "Alpha Monetary Authority", "date": "2023-10-30",
                      "url": URL}]},
        {"from": "alpha-ma", "to": "project-lark", "type": "participates_in",
         "direction": "forward", "start": "2022-11", "end": "2023-09", "note": None,
         "sources": [{"id": "fx-lark", "title": "Project Lark report",
                      "publisher": "Omega Bank for Settlements", "date": "2023-09",
                      "url": None}]}]}]}
    assert regulink.path(mini, "Jo Tan", "Lark") == data


def test_k_paths_are_shortest_first_and_notes_print(run_mini, mini):
    r = run_mini("path", "jo-tan", "delta-bank", "-k", "3")
    assert r.exit_code == 0
    assert r.stdout.startswith("Jo Tan [jo-tan] -> DNB [delta-bank]: 3 paths\n")
    assert "     note: The fixture authority started Kite.\n" in r.stdout
    assert "Project Kite [project-kite] built on by Project Kite Policymaker Group" in r.stdout
    lengths = [p["length"] for p in regulink.path(mini, "jo-tan", "delta-bank", k=3)["paths"]]
    assert lengths == [3, 4, 5]


def test_all_via_exclude_kinds_and_as_of(run_mini, mini):
    r = run_mini("path", "alpha-ma", "gamma-fma", "--all", "--json")
    assert [[h["to"] for h in p["hops"]] for p in json.loads(r.stdout)["paths"]] == [
        ["kite-policy-group", "gamma-fma"]]
    r = run_mini("path", "alpha-ma", "gamma-fma", "--exclude-kinds", "programme", "--json")
    assert [h["to"] for h in json.loads(r.stdout)["paths"][0]["hops"]] == [
        "project-lark", "delta-bank", "gamma-fma"]
    via = regulink.path(mini, "AMA", "BFSA", via="Project Kite")["paths"][0]["hops"]
    assert [h["to"] for h in via] == ["project-kite", "kite-policy-group", "beta-fsa"]
    # AMA left Lark in 2023-09: in 2024 the route to DNB runs through the Kite group.
    early = regulink.path(mini, "AMA", "DNB", as_of="2022-12")["paths"][0]
    late = regulink.path(mini, "AMA", "DNB", as_of="2024")["paths"][0]
    assert [h["to"] for h in early["hops"]] == ["project-lark", "delta-bank"]
    assert [h["to"] for h in late["hops"]] == ["kite-policy-group", "gamma-fma", "delta-bank"]
    # Walking partners_with from delta to gamma reads forward (symmetric).
    assert late["hops"][2]["direction"] == "forward"


def test_no_path_exits_1_and_says_whether_filters_hid_one(run_mini, mini):
    r = run_mini("path", "AMA", "BFSA", "--directed")
    assert r.exit_code == 1
    assert r.stderr == ("Error: no path between AMA [alpha-ma] and BFSA [beta-fsa] with these "
                        "options; without them there is one of 2 hops\n")
    r = run_mini("path", "jo-tan", "delta-bank", "--max-hops", "2")
    assert r.exit_code == 1
    assert "without them there is one of 3 hops" in r.stderr
    with pytest.raises(NoPath):
        regulink.path(mini, "AMA", "BFSA", directed=True)


def test_not_connected_entities_exit_1(write):
    f = write("w/e.yaml", """
        entities:
          - {id: a, kind: regulator, name: Aardvark Authority, jurisdiction: SG}
          - {id: b, kind: regulator, name: Badger Board, jurisdiction: CH}
        """)
    r = CliRunner().invoke(cli, ["--seeds", str(f), "path", "a", "b"])
    assert r.exit_code == 1
    assert r.stderr == ("Error: no path between Aardvark Authority [a] and Badger Board [b]\n")


def test_unknown_and_ambiguous_names_exit_2(run_mini, write):
    r = run_mini("path", "Alpah Monetary", "nonesuch-xyz")
    assert r.exit_code == 2
    assert "no entity matches 'nonesuch-xyz'" in r.stderr
    d = write("amb/e.yaml", """
        entities:
          - {id: fsa-jp, kind: regulator, name: Financial Services Agency, short_name: FSA,
             jurisdiction: JP}
          - {id: fsa-kr, kind: regulator, name: Financial Services Commission,
             short_name: FSA, jurisdiction: KR}
          - {id: mas, kind: central_bank, name: Monetary Authority of Singapore,
             short_name: MAS, jurisdiction: SG}
        """).parent
    r = CliRunner().invoke(cli, ["--seeds", str(d), "path", "FSA", "MAS"])
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: 'FSA' is ambiguous; use one of these ids:\n")
    assert "fsa-jp" in r.stderr and "(regulator, JP)" in r.stderr
    assert "fsa-kr" in r.stderr and "(regulator, KR)" in r.stderr


@pytest.mark.parametrize("args, message", [
    (["AMA", "BFSA", "--all", "-k", "2"], "--all and -k exclude each other"),
    (["AMA", "AMA"], "a path needs two different entities"),
    (["AMA", "BFSA", "--as-of", "2023-13"], "'2023-13' is not a date"),
    (["AMA", "BFSA", "--types", "leds"], "unknown relation type 'leds' (did you mean 'leads'?)"),
    (["AMA", "BFSA", "--exclude-kinds", "regulatr"], "unknown kind 'regulatr'"),
])
def test_usage_mistakes_exit_2_without_traceback(run_mini, args, message):
    r = run_mini("path", *args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_api_rejects_unknown_vocabulary(mini):
    with pytest.raises(ValueError, match="unknown relation type: leds"):
        regulink.path(mini, "AMA", "BFSA", types=["leds"])
    with pytest.raises(ValueError):
        regulink.path(mini, "AMA", "BFSA", all_shortest=True, k=2)


# --- the bundled seeds (still growing: only properties that must always hold) ------------

def test_seed_paths_are_chains_of_sourced_relations():
    facts = regulink.load_facts()
    G = regulink.to_networkx(facts)
    H = nx.Graph(G.to_undirected())
    giant = max(nx.connected_components(H), key=len)
    ranked = sorted(giant, key=lambda n: (-H.degree(n), n))
    a = ranked[0]
    b = next(n for n in reversed(ranked) if n != a)
    result = regulink.path(facts, a, b, k=2)
    keys = {(r.from_, r.to, r.type) for r in facts.relations}
    for p in result["paths"]:
        hops = p["hops"]
        assert p["length"] == len(hops) >= 1
        assert hops[0]["from"] == a and hops[-1]["to"] == b
        for h, nxt in zip(hops, hops[1:]):
            assert h["to"] == nxt["from"]
        for h in hops:
            ends = (h["from"], h["to"]) if h["direction"] == "forward" else (h["to"], h["from"])
            assert ends + (h["type"],) in keys or ends[::-1] + (h["type"],) in keys
            assert h["sources"] and all(s["title"] and s["publisher"] for s in h["sources"])
    assert result["paths"][0]["length"] == nx.shortest_path_length(H, a, b)


def test_via_from_the_cli_and_an_unknown_via(run_mini):
    r = run_mini("path", "AMA", "BFSA", "--via", "Project Kite", "--json")
    assert r.exit_code == 0
    hops = json.loads(r.stdout)["paths"][0]["hops"]
    assert [(h["from"], h["type"], h["direction"]) for h in hops] == [
        ("alpha-ma", "launched", "forward"),
        ("project-kite", "builds_on", "backward"),
        ("kite-policy-group", "member_of", "backward")]
    r = run_mini("path", "AMA", "BFSA", "--via", "nonesuch-xyz")
    assert r.exit_code == 2 and "no entity matches 'nonesuch-xyz'" in r.stderr
