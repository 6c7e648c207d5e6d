"""Path-finding: hand-built graphs with known answers, the CLI contract on the mini world,
then the same through the API, and robust checks on the bundled seeds."""

from __future__ import annotations

import itertools
import json
import math
import random

import networkx as nx
import pytest
from click.testing import CliRunner

import regulink
from regulink.cli.main import cli
from regulink.errors import NoPath
from regulink.graph.dates import bounds
from regulink.graph.model import Entity, FactBase, Relation
from regulink.graph.schema import load_schema

URL = "https://alpha.example/news/kite-group"
GROUP_SRC = f"Kite policymaker group formed · Alpha Monetary Authority · 2023-10-30 <{URL}>"


def world(relations, *, kinds=None, lives=None) -> FactBase:
    """A hand-built fact base: ``relations`` are ``(type, from, to)`` or
    ``(type, from, to, start, end)``; every entity a regulator unless ``kinds`` says."""
    schema = load_schema()
    names = sorted({e for r in relations for e in r[1:3]})
    kinds, lives = kinds or {}, lives or {}
    ents = {
        n: Entity(
            n,
            kinds.get(n, "regulator"),
            n.upper(),
            None,
            (),
            "SG",
            start=lives.get(n, (None, None))[0],
            end=lives.get(n, (None, None))[1],
        )
        for n in names
    }
    rels = []
    for r in relations:
        t, u, v, start, end = (*r, None, None)[:5] if len(r) == 3 else r
        rels.append(
            Relation(
                t,
                u,
                v,
                start,
                end,
                None,
                None,
                (f"s-{u}-{v}",),
                symmetric=schema.relation_types[t].symmetric,
            )
        )
    return FactBase(ents, rels, {}, ("hand-built",))


def ladder(**extra) -> FactBase:
    """a-b-c-d in a line, plus a longer detour a-x-y-d and a spur d-e; b is a person."""
    pairs = [("a", "b"), ("b", "c"), ("c", "d"), ("a", "x"), ("x", "y"), ("y", "d"), ("d", "e")]
    return world(
        [("partners_with", u, v, "2020", None) for u, v in pairs], kinds={"b": "person"}, **extra
    )


def nodes_of(path: dict) -> list[str]:
    return [path["hops"][0]["from"]] + [h["to"] for h in path["hops"]]


def hub_world() -> FactBase:
    """a and b share a hub h (linked to 60 others) two hops apart, and are joined by a chain
    of specific partners four hops apart; both are members of the standing body g."""
    rels = [("partners_with", "a", "h", "2020", None), ("partners_with", "h", "b", "2020", None)]
    rels += [("partners_with", "h", f"m{i}", "2020", None) for i in range(60)]
    rels += [
        ("partners_with", u, v, "2020", None)
        for u, v in [("a", "x"), ("x", "y"), ("y", "z"), ("z", "b")]
    ]
    rels += [("member_of", "a", "g"), ("member_of", "b", "g")]
    return world(rels, kinds={"g": "international_org"})


# --- the rules on hand-built fact bases, through the API -----------------------------------


def test_all_and_k_paths_on_a_known_graph():
    fb = ladder()
    assert sorted(nodes_of(p) for p in regulink.path(fb, "a", "d", all_shortest=True)["paths"]) == [
        ["a", "b", "c", "d"],
        ["a", "x", "y", "d"],
    ]
    k = regulink.path(fb, "a", "e", k=5)["paths"]
    assert sorted(nodes_of(p) for p in k) == [["a", "b", "c", "d", "e"], ["a", "x", "y", "d", "e"]]
    assert [p["cost"] for p in k] == sorted(p["cost"] for p in k)
    # the first of the k cheapest is the one cheapest path
    assert nodes_of(k[0]) == nodes_of(regulink.path(fb, "a", "e")["paths"][0])


def test_a_hub_is_avoided_for_specific_intermediaries():
    fb = hub_world()
    (p,) = regulink.path(fb, "a", "b")["paths"]
    assert nodes_of(p) == ["a", "x", "y", "z", "b"]  # not a-h-b, though shorter
    # the rule: 1 + log2(degree) per entity entered; h has degree 62
    hub_cost = (1 + math.log2(62)) + 1 + math.log2(2)
    assert p["cost"] < hub_cost
    assert nodes_of(regulink.path(fb, "a", "b", exclude=["Y"])["paths"][0]) == ["a", "h", "b"]
    assert nodes_of(regulink.path(fb, "a", "b", max_hops=2)["paths"][0]) == ["a", "h", "b"]
    # no hub and no y: only the shared membership of g is left, as a marked last resort
    (p,) = regulink.path(fb, "a", "b", exclude=["y"], avoid_hubs=10)["paths"]
    assert p["structural_fallback"] and nodes_of(p) == ["a", "g", "b"]


def test_structural_links_only_as_a_labelled_last_resort():
    fb = world(
        [
            ("member_of", "a", "g"),
            ("member_of", "b", "g"),
            ("partners_with", "a", "c", "2021", None),
        ],
        kinds={"g": "international_org"},
    )
    r = regulink.path(fb, "a", "b")
    (p,) = r["paths"]
    assert p["structural_fallback"] and nodes_of(p) == ["a", "g", "b"]
    assert [h["class"] for h in p["hops"]] == ["structural", "structural"]
    assert p["hops"][0]["via"] == load_schema().relation_types["member_of"].via
    # on equal terms it is an ordinary answer
    (p,) = regulink.path(fb, "a", "b", structural=True)["paths"]
    assert not p["structural_fallback"] and nodes_of(p) == ["a", "g", "b"]
    # a substantive path, however long, wins over a structural shortcut
    fb2 = world(
        [
            ("member_of", "a", "g"),
            ("member_of", "b", "g"),
            ("partners_with", "a", "c"),
            ("partners_with", "c", "d"),
            ("partners_with", "d", "b"),
        ],
        kinds={"g": "international_org"},
    )
    (p,) = regulink.path(fb2, "a", "b")["paths"]
    assert nodes_of(p) == ["a", "c", "d", "b"]
    assert {h["class"] for h in p["hops"]} == {"substantive"}


def test_shared_standing_bodies_are_listed_beside_the_path():
    r = regulink.path(hub_world(), "a", "b")
    assert r["also"] == [
        {"type": "member_of", "direction": "forward", "reading": "member of", "entities": ["g"]}
    ]


def test_as_of_every_hop_holds_on_the_same_day():
    # a-b ended 2023-09-28, b-c began 2023-10-30: both "in 2023", never together.
    fb = world(
        [
            ("partners_with", "a", "b", "2022", "2023-09-28"),
            ("partners_with", "b", "c", "2023-10-30", None),
        ]
    )
    with pytest.raises(NoPath) as exc:
        regulink.path(fb, "a", "c", as_of="2023")
    assert exc.value.filtered and exc.value.unfiltered == 2
    with pytest.raises(NoPath):
        regulink.path(fb, "a", "c", as_of="2023-09")
    fb2 = world(
        [
            ("partners_with", "a", "b", "2022", "2024"),
            ("partners_with", "b", "c", "2023-10-30", None),
        ]
    )
    assert nodes_of(regulink.path(fb2, "a", "c", as_of="2023")["paths"][0]) == ["a", "b", "c"]
    # "as of 2023-10" is 2023-10-31: the second link has begun
    assert regulink.path(fb2, "a", "c", as_of="2023-10")["paths"][0]["length"] == 2


def test_a_participation_ends_when_its_project_ends():
    fb = world(
        [("participates_in", "a", "p", "2020", None), ("participates_in", "b", "p", "2021", None)],
        kinds={"p": "project"},
        lives={"p": ("2020", "2022-06")},
    )
    (p,) = regulink.path(fb, "a", "b")["paths"]
    h = p["hops"][0]
    assert (h["end"], h["end_derived"], h["ended_with"]) == ("2022-06", True, "p")
    with pytest.raises(NoPath):
        regulink.path(fb, "a", "b", as_of="2023")
    with pytest.raises(NoPath):  # as of 2022 means 2022-12-31: the project had ended
        regulink.path(fb, "a", "b", as_of="2022")
    assert regulink.path(fb, "a", "b", as_of="2022-06")["paths"][0]["length"] == 2


def test_undated_relations_are_flagged_and_can_be_left_out():
    fb = world(
        [
            ("partners_with", "a", "b"),
            ("partners_with", "b", "c", "2020", None),
            ("partners_with", "a", "x", "2020", None),
            ("partners_with", "x", "y", "2020", None),
            ("partners_with", "y", "c", "2020", None),
        ]
    )
    (p,) = regulink.path(fb, "a", "c")["paths"]
    assert nodes_of(p) == ["a", "b", "c"] and p["hops"][0]["undated"]
    (p,) = regulink.path(fb, "a", "c", dated_only=True)["paths"]
    assert nodes_of(p) == ["a", "x", "y", "c"]
    assert not any(h["undated"] for h in p["hops"])


def test_filters_kinds_types_hops_and_via():
    fb = ladder()
    (p,) = regulink.path(fb, "a", "d", exclude_kinds=["person"])["paths"]
    assert nodes_of(p) == ["a", "x", "y", "d"]
    # ...but an excluded kind may still be an end.
    assert nodes_of(regulink.path(fb, "b", "d", exclude_kinds=["person"])["paths"][0]) == [
        "b",
        "c",
        "d",
    ]
    (p,) = regulink.path(fb, "a", "e", via="y")["paths"]
    assert nodes_of(p) == ["a", "x", "y", "d", "e"]
    with pytest.raises(NoPath) as exc:
        regulink.path(fb, "a", "e", max_hops=3)
    assert exc.value.filtered and exc.value.unfiltered == 4
    with pytest.raises(NoPath) as exc:
        regulink.path(fb, "a", "d", types=["leads"])
    assert exc.value.unfiltered == 3


def test_direction_of_travel_events_and_directed_mode():
    fb = world(
        [
            ("launched", "mas", "guardian", "2022-05-31", None),
            ("participates_in", "fsa", "guardian", "2023", None),
        ],
        kinds={"guardian": "project"},
    )
    (p,) = regulink.path(fb, "mas", "fsa")["paths"]
    assert [(h["type"], h["direction"], h["event"]) for h in p["hops"]] == [
        ("launched", "forward", True),
        ("participates_in", "backward", False),
    ]
    with pytest.raises(NoPath):
        regulink.path(fb, "mas", "fsa", directed=True)
    fb = world(
        [
            ("launched", "mas", "guardian"),
            ("participates_in", "fsa", "guardian"),
            ("partners_with", "fsa", "mas"),
        ],
        kinds={"guardian": "project"},
    )
    (p,) = regulink.path(fb, "mas", "fsa", directed=True)["paths"]
    assert [(h["from"], h["to"], h["type"], h["direction"]) for h in p["hops"]] == [
        ("mas", "fsa", "partners_with", "forward")
    ]


def test_parallel_relations_pick_the_forward_one():
    fb = world([("leads", "g", "a"), ("participates_in", "a", "g")])
    (p,) = regulink.path(fb, "a", "g")["paths"]
    assert (p["hops"][0]["type"], p["hops"][0]["direction"]) == ("participates_in", "forward")


def test_not_connected_at_all_and_bad_arguments():
    fb = ladder()
    fb.entities["lonely"] = Entity("lonely", "regulator", "Lonely", None, (), "SG")
    with pytest.raises(NoPath) as exc:
        regulink.path(fb, "a", "lonely")
    assert not exc.value.filtered and str(exc.value) == "no path from 'a' to 'lonely'"
    with pytest.raises(NoPath) as exc:
        regulink.path(fb, "a", "lonely", types=["leads"])
    assert exc.value.filtered and exc.value.unfiltered is None
    with pytest.raises(ValueError):
        regulink.path(fb, "a", "a")
    with pytest.raises(ValueError, match="between 1 and 100"):
        regulink.path(fb, "a", "d", k=101)
    with pytest.raises(ValueError, match="excluded"):
        regulink.path(fb, "a", "d", exclude=["d"])


def test_the_callers_facts_are_not_touched():
    fb = ladder()
    before = (dict(fb.entities), list(fb.relations))
    regulink.path(fb, "a", "e", k=3, exclude_kinds=["person"], as_of="2024")
    regulink.path(fb, "a", "e", via="y", directed=True)
    assert (dict(fb.entities), list(fb.relations)) == before


# --- the CLI on the mini world, then the API ---------------------------------------------


def test_path_prints_hops_with_readings_dates_and_sources(run_mini, mini):
    r = run_mini("path", "AMA", "Beta Financial Services Agency")
    assert r.exit_code == 0
    cost = regulink.path(mini, "alpha-ma", "beta-fsa")["paths"][0]["cost"]
    assert r.stdout == (
        "AMA [alpha-ma] -> BFSA [beta-fsa]: 1 path\n"
        "No substantive link joins them: the fewest structural links were admitted, and are "
        "marked.\n"
        "\n"
        f"Path 1 (2 hops, cost {cost:g})\n"
        "  1. AMA [alpha-ma] leads Project Kite Policymaker Group [kite-policy-group] "
        "(since 2023-10-30)\n"
        f"     source: {GROUP_SRC}\n"
        "  2. Project Kite Policymaker Group [kite-policy-group] has member BFSA [beta-fsa] "
        "(since 2023-10)\n"
        "     structural link: via membership of Project Kite Policymaker Group\n"
        f"     source: {GROUP_SRC}\n"
    )
    api = regulink.path(mini, "alpha-ma", "beta-fsa")
    assert [(h["from"], h["to"], h["class"]) for h in api["paths"][0]["hops"]] == [
        ("alpha-ma", "kite-policy-group", "substantive"),
        ("kite-policy-group", "beta-fsa", "structural"),
    ]


def test_path_json_has_the_documented_shape(run_mini, mini):
    r = run_mini("path", "jo-tan", "project-lark", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    (p,) = data["paths"]
    assert set(data) == {"from", "to", "rules", "paths", "also"}
    assert (data["from"], data["to"], p["length"], p["structural_fallback"]) == (
        "jo-tan",
        "project-lark",
        2,
        True,
    )
    assert p["cost"] > 0 and data["also"] == []
    assert data["rules"] == {
        "structural": False,
        "as_of": None,
        "dated_only": False,
        "exclude": [],
        "avoid_hubs": None,
    }
    assert p["hops"] == [
        {
            "from": "jo-tan",
            "to": "alpha-ma",
            "type": "works_for",
            "direction": "forward",
            "class": "structural",
            "event": False,
            "via": "a role at",
            "start": None,
            "end": None,
            "end_derived": False,
            "ended_with": None,
            "undated": True,
            "note": None,
            "sources": [
                {
                    "id": "fx-group",
                    "title": "Kite policymaker group formed",
                    "publisher": "Alpha Monetary Authority",
                    "date": "2023-10-30",
                    "url": URL,
                }
            ],
        },
        {
            "from": "alpha-ma",
            "to": "project-lark",
            "type": "participates_in",
            "direction": "forward",
            "class": "substantive",
            "event": False,
            "start": "2022-11",
            "end": "2023-09",
            "end_derived": False,
            "ended_with": None,
            "undated": False,
            "note": None,
            "sources": [
                {
                    "id": "fx-lark",
                    "title": "Project Lark report",
                    "publisher": "Omega Bank for Settlements",
                    "date": "2023-09",
                    "url": None,
                }
            ],
        },
    ]
    assert regulink.path(mini, "Jo Tan", "Lark") == data


def test_k_paths_are_cheapest_first_and_notes_print(run_mini, mini):
    r = run_mini("path", "jo-tan", "delta-bank", "-k", "3")
    assert r.exit_code == 0
    assert r.stdout.startswith("Jo Tan [jo-tan] -> DNB [delta-bank]: 3 paths\n")
    assert "     note: The fixture authority started Kite.\n" in r.stdout
    costs = [p["cost"] for p in regulink.path(mini, "jo-tan", "delta-bank", k=3)["paths"]]
    assert costs == sorted(costs) and len(costs) == 3
    r = run_mini("path", "jo-tan", "delta-bank", "-k", "101")
    assert r.exit_code == 2 and "101 is not in the range 1<=x<=100" in r.stderr


def test_all_via_exclude_kinds_and_as_of(run_mini, mini):
    # the shared policymaker group is structural: the substantive route through Lark wins
    r = run_mini("path", "alpha-ma", "gamma-fma", "--all", "--json")
    assert [[h["to"] for h in p["hops"]] for p in json.loads(r.stdout)["paths"]] == [
        ["project-lark", "delta-bank", "gamma-fma"]
    ]
    r = run_mini("path", "alpha-ma", "gamma-fma", "--structural", "--json")
    assert [h["to"] for h in json.loads(r.stdout)["paths"][0]["hops"]] == [
        "kite-policy-group",
        "gamma-fma",
    ]
    via = regulink.path(mini, "AMA", "BFSA", via="Project Kite")["paths"][0]["hops"]
    assert [h["to"] for h in via] == ["project-kite", "kite-policy-group", "beta-fsa"]
    # AMA left Lark in 2023-09: by 2024 the only route to DNB is through the Kite group.
    early = regulink.path(mini, "AMA", "DNB", as_of="2022-12")["paths"][0]
    late = regulink.path(mini, "AMA", "DNB", as_of="2024", structural=True)["paths"][0]
    assert [h["to"] for h in early["hops"]] == ["project-lark", "delta-bank"]
    assert [h["to"] for h in late["hops"]] == ["kite-policy-group", "gamma-fma", "delta-bank"]
    # Walking partners_with from gamma to delta reads forward (symmetric).
    assert late["hops"][2]["direction"] == "forward"


def test_no_path_exits_1_and_says_whether_filters_hid_one(run_mini, mini):
    r = run_mini("path", "AMA", "BFSA", "--directed")
    assert r.exit_code == 1
    assert r.stderr == (
        "Error: no path between AMA [alpha-ma] and BFSA [beta-fsa] with these "
        "options; without them there is one of 2 hops\n"
    )
    r = run_mini("path", "jo-tan", "delta-bank", "--max-hops", "2")
    assert r.exit_code == 1
    assert "without them there is one of 3 hops" in r.stderr
    with pytest.raises(NoPath):
        regulink.path(mini, "AMA", "BFSA", directed=True)


def test_not_connected_entities_exit_1(write):
    f = write(
        "w/e.yaml",
        """
        entities:
          - {id: a, kind: regulator, name: Aardvark Authority, jurisdiction: SG}
          - {id: b, kind: regulator, name: Badger Board, jurisdiction: CH}
        """,
    )
    r = CliRunner().invoke(cli, ["--seeds", str(f), "path", "a", "b"])
    assert r.exit_code == 1
    assert r.stderr == ("Error: no path between Aardvark Authority [a] and Badger Board [b]\n")


def test_unknown_and_ambiguous_names_exit_2(run_mini, write):
    r = run_mini("path", "Alpah Monetary", "nonesuch-xyz")
    assert r.exit_code == 2
    assert "no entity matches 'nonesuch-xyz'" in r.stderr
    d = write(
        "amb/e.yaml",
        """
        entities:
          - {id: fsa-jp, kind: regulator, name: Financial Services Agency, short_name: FSA,
             jurisdiction: JP}
          - {id: fsa-kr, kind: regulator, name: Financial Services Commission,
             short_name: FSA, jurisdiction: KR}
          - {id: mas, kind: central_bank, name: Monetary Authority of Singapore,
             short_name: MAS, jurisdiction: SG}
        """,
    ).parent
    r = CliRunner().invoke(cli, ["--seeds", str(d), "path", "FSA", "MAS"])
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: 'FSA' is ambiguous; use one of these ids:\n")
    assert "fsa-jp" in r.stderr and "(regulator, JP)" in r.stderr
    assert "fsa-kr" in r.stderr and "(regulator, KR)" in r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["AMA", "BFSA", "--all", "-k", "2"], "--all and -k exclude each other"),
        (["AMA", "AMA"], "a path needs two different entities"),
        (["AMA", "BFSA", "--as-of", "2023-13"], "'2023-13' is not a date"),
        (
            ["AMA", "BFSA", "--types", "leds"],
            "unknown relation type 'leds' (did you mean 'leads'?)",
        ),
        (["AMA", "BFSA", "--exclude-kinds", "regulatr"], "unknown kind 'regulatr'"),
    ],
)
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


def reference_graph(facts) -> nx.Graph:
    """The substantive graph, built independently of regulink's index, with each node's
    cost of entering it per the rule: 1 + log2(number of distinct neighbours)."""
    rts = load_schema().relation_types
    H = nx.Graph()
    H.add_edges_from(
        (r.from_, r.to) for r in facts.relations if not rts[r.type].structural and r.from_ != r.to
    )
    for n in H:
        H.nodes[n]["cost"] = 1 + math.log2(H.degree(n))
    return H


def test_seed_paths_are_cheapest_chains_of_sourced_substantive_relations():
    facts = regulink.load_facts()
    H = reference_graph(facts)
    giant = sorted(max(nx.connected_components(H), key=len))
    rng = random.Random(11)
    keys = {(r.from_, r.to, r.type) for r in facts.relations}
    for _ in range(25):
        a, b = rng.sample(giant, 2)
        result = regulink.path(facts, a, b, k=2)
        for p in result["paths"]:
            hops = p["hops"]
            assert p["length"] == len(hops) >= 1 and not p["structural_fallback"]
            assert hops[0]["from"] == a and hops[-1]["to"] == b
            for h, nxt in itertools.pairwise(hops):
                assert h["to"] == nxt["from"]
            for h in hops:
                ends = (h["from"], h["to"]) if h["direction"] == "forward" else (h["to"], h["from"])
                assert (*ends, h["type"]) in keys or (*ends[::-1], h["type"]) in keys
                assert h["class"] == "substantive"
                assert h["sources"] and all(s["title"] and s["publisher"] for s in h["sources"])
        best = nx.dijkstra_path_length(H, a, b, weight=lambda u, v, d: H.nodes[v]["cost"])
        assert result["paths"][0]["cost"] == pytest.approx(best, abs=0.01)


def test_via_from_the_cli_and_an_unknown_via(run_mini):
    r = run_mini("path", "AMA", "BFSA", "--via", "Project Kite", "--json")
    assert r.exit_code == 0
    hops = json.loads(r.stdout)["paths"][0]["hops"]
    assert [(h["from"], h["type"], h["direction"]) for h in hops] == [
        ("alpha-ma", "launched", "forward"),
        ("project-kite", "builds_on", "backward"),
        ("kite-policy-group", "member_of", "backward"),
    ]
    r = run_mini("path", "AMA", "BFSA", "--via", "nonesuch-xyz")
    assert r.exit_code == 2 and "no entity matches 'nonesuch-xyz'" in r.stderr


def test_seed_paths_as_of_a_date_hold_together_on_that_day():
    facts = regulink.load_facts()
    day = "2023-12-31"
    lo, hi = (lambda d: bounds(d)[0]), (lambda d: bounds(d)[1])
    r = regulink.path(facts, "FINMA", "Banque de France", as_of="2023", exclude_types=["member_of"])
    for p in r["paths"]:
        assert "project-mariana" not in [h["to"] for h in p["hops"]]  # ended 2023-09-28
    rng = random.Random(5)
    ids = sorted(facts.entities)
    checked = 0
    for _ in range(60):
        a, b = rng.sample(ids, 2)
        try:
            (p,) = regulink.path(facts, a, b, as_of="2023")["paths"]
        except NoPath:
            continue
        checked += 1
        for h in p["hops"]:
            assert h["start"] is None or lo(h["start"]) <= bounds(day)[0], h
            assert h["end"] is None or hi(h["end"]) >= bounds(day)[0], h
    assert checked > 10
