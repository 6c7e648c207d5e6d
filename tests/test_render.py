"""The explorer page, checked in Python: what goes into it, escaping, options, CLI.

What the page *does* in a browser is tested in tests/browser/ (real headless Chromium).
"""

from __future__ import annotations

import copy
import html as htmlmod
import json
import re
from collections import Counter

import networkx as nx
import pytest
from browser.payloads import XSS_NAME, write_xss_world
from browser.synthetic import synthetic_facts
from click.testing import CliRunner
from conftest import MINI

import regulink
from regulink.cli.main import cli
from regulink.graph.render import PHYSICS_MAX_NODES, RenderError, build_page, select
from regulink.graph.render.clusters import COLLAPSE_AUTO_NODES
from regulink.graph.render.layout import force_layout
from regulink.graph.render.page import script_json, vis_assets
from regulink.graph.schema import load_schema

DATA_RE = re.compile(r'<script type="application/json" id="regulink-data">(.*?)</script>', re.S)


def page_data(html: str) -> dict:
    m = DATA_RE.search(html)
    assert m, "no data block"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def seeds():
    return regulink.load_facts()


@pytest.fixture
def xss(tmp_path):
    return regulink.load_facts([write_xss_world(tmp_path / "xss")])


# ---------- content ----------


def test_page_has_every_entity_and_relation_of_the_graph(seeds):
    page = build_page(seeds)
    G = regulink.to_networkx(seeds)
    data = page_data(page.html)
    # The page holds everything (the page can show structural relations and other dates);
    # it draws the substantive relations and the entities they join.
    assert (page.entities, page.relations) == (G.number_of_nodes(), G.number_of_edges())
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert {e["id"] for e in data["edges"]} == {k for _u, _v, k in G.edges(keys=True)}
    assert len(data["info"]) == page.entities and len(data["rels"]) == page.relations
    structural = load_schema().structural_types
    substantive = [(u, v) for u, v, t in G.edges(data="type") if t not in structural]
    assert page.edges == len(substantive) == data["drawn"]["edges"]
    assert page.nodes == len({n for e in substantive for n in e})
    # Every cited source travels with the page, so the evidence is readable offline.
    cited = {s for r in data["rels"].values() for s in r["sources"]}
    assert cited == set(data["sources"])


def test_page_is_self_contained(seeds):
    html = build_page(seeds).html
    js, _css = vis_assets()
    assert js[:2000] in html  # vis-network inlined, not linked
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, re.I)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_edges_carry_dates_direction_and_evidence(mini):
    data = page_data(build_page(mini).html)
    rel = next(
        r for r in data["rels"].values() if r["type"] == "participates_in" and r["end"] == "2023-09"
    )
    assert (rel["start"], rel["lo"], rel["hi"]) == ("2022-11", "2022-11-01", "2023-09-30")
    assert (rel["cls"], rel["event"], rel["end_derived"], rel["undated"]) == (
        "substantive",
        False,
        False,
        False,
    )
    launched = next(r for r in data["rels"].values() if r["type"] == "launched")
    assert launched["event"] is True
    member = next(r for r in data["rels"].values() if r["type"] == "member_of")
    assert member["cls"] == "structural"
    assert rel["status"] == "completed" and rel["sources"]
    arrows = {e["id"]: e["arrows"] for e in data["edges"]}
    symmetric = [k for k, r in data["rels"].items() if r["symmetric"]]
    directed = [k for k, r in data["rels"].items() if not r["symmetric"]]
    assert all(arrows[k] == "" for k in symmetric) and all(arrows[k] == "to" for k in directed)


def test_parallel_relations_are_drawn_apart(write):
    # Three relations between the same two entities, in both directions: the first stays
    # straight, the others bend to different sides so none hides another.
    f = write(
        "pair.yaml",
        """
        entities:
          - {id: a, kind: regulator, name: A, jurisdiction: SG}
          - {id: b, kind: regulator, name: B, jurisdiction: JP}
        relations:
          - {type: partners_with, from: a, to: b, sources: [s]}
          - {type: signed_mou_with, from: b, to: a, sources: [s]}
          - {type: leads, from: a, to: b, sources: [s]}
        sources:
          - {id: s, kind: news, publisher: P, title: T}
        """,
    )
    edges = page_data(build_page(regulink.load_facts([f])).html)["edges"]
    assert len(edges) == 3
    bends = [e.get("smooth") for e in edges]
    assert bends[0] is None
    assert all(b and b["enabled"] for b in bends[1:])

    def side(e):  # which side of the a-b line the curve bulges to, as seen from a to b
        cw = e["smooth"]["type"] == "curvedCW"
        return cw if e["from"] == "a" else not cw

    assert side(edges[1]) != side(edges[2])


def test_labels_are_abbreviations_and_aliases_are_searchable(mini):
    data = page_data(build_page(mini).html)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels["alpha-ma"] == "AMA" and labels["project-kite"] == "Project Kite"
    assert data["info"]["gamma-fma"]["aliases"] == ["Autorité Gamma des Marchés"]
    assert data["info"]["alpha-ma"]["jurisdiction_name"] == "Singapore"


# ---------- escaping ----------


def test_fact_text_never_appears_as_markup(xss):
    page = build_page(xss, title="<script>window.__xss=9</script>")
    html = page.html
    for needle in (
        "<img src=x",
        "<svg onload",
        "<b onmouseover",
        "<i onclick",
        "<iframe src=javascript",
        "<a href=javascript",
        "window.__xss=9</script>",
    ):
        assert needle not in html, needle
    # Exactly the page's own script elements, nothing a payload opened or closed.
    assert html.count("</script>") == 9  # data, vis-network and our seven scripts
    assert "&lt;script&gt;window.__xss=9&lt;/script&gt;" in html  # the title, escaped
    data = page_data(html)
    assert data["info"]["evil-reg"]["name"] == XSS_NAME  # intact as data
    assert data["title"] == "<script>window.__xss=9</script>"


def test_script_json_escapes_everything_that_could_end_a_script():
    text = script_json({"a": "</script><!-- & \u2028\u2029"})
    assert not set("<>&") & set(text) and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text)["a"] == "</script><!-- & \u2028\u2029"


def test_only_web_links_reach_the_page(xss):
    facts = copy.deepcopy(xss)
    facts.sources["evil-source"].url = "javascript:window.__xss=10"
    facts.entities["good-bank"].url = "data:text/html,<script>1</script>"
    data = page_data(build_page(facts).html)
    assert data["sources"]["evil-source"]["url"] is None
    assert data["info"]["good-bank"]["url"] is None


# ---------- options ----------


def test_community_legend_counts_what_a_focused_page_shows(seeds):
    page = build_page(seeds, focus="MAS", color_by="community")
    data = page_data(page.html)
    assert sum(e["count"] for e in data["legend"]["colours"]) == page.nodes


def _substantive(facts):
    structural = load_schema().structural_types
    G = nx.MultiDiGraph(regulink.to_networkx(facts))
    G.remove_edges_from(
        [(u, v, k) for u, v, k, t in G.edges(keys=True, data="type") if t in structural]
    )
    return G.to_undirected()


def test_focus_draws_the_neighbourhood_and_holds_one_ring_more(mini):
    G = _substantive(mini)
    for hops in (0, 1, 2):
        page = build_page(mini, focus="AMA", hops=hops)
        view = select(mini, focus="AMA", hops=hops)
        want = nx.single_source_shortest_path_length(G, "alpha-ma", cutoff=hops)
        ring = nx.single_source_shortest_path_length(G, "alpha-ma", cutoff=hops + 1)
        assert set(view.drawn.nodes) == set(want) and page.nodes == len(want)
        assert {n["id"] for n in page_data(page.html)["nodes"]} == set(ring)
    assert page_data(page.html)["focus"] == "alpha-ma"


def test_path_is_highlighted_in_its_context(mini):
    page = build_page(mini, path=("BFSA", "Project Lark"), hops=0)
    data = page_data(page.html)
    path = data["path"]
    assert path["nodes"][0] == "beta-fsa" and path["nodes"][-1] == "project-lark"
    assert len(path["edges"]) == len(path["nodes"]) - 1
    view = select(mini, path=("BFSA", "Project Lark"), hops=0)
    assert set(view.drawn.nodes) == set(path["nodes"])  # hops=0: the path alone
    # The same path as regulink path (the page's script draws it red).
    answer = regulink.path(mini, "BFSA", "Project Lark")["paths"][0]
    assert path["nodes"] == ["beta-fsa"] + [h["to"] for h in answer["hops"]]


def test_filters_as_of_kinds_types(mini):
    page = build_page(mini, as_of="2022")
    # As at 2022-12-31: launched (2022), Lark (2022-11), partners (2021), and the undated
    # substantive ones; member_of starts 2023-10 and is structural anyway.
    data = page_data(page.html)
    t = "2022-12-31"
    want = {
        k
        for k, r in data["rels"].items()
        if r["cls"] == "substantive"
        and (r["lo"] is None or r["lo"] <= t)
        and (r["hi"] is None or r["hi"] >= t)
    }
    assert page.edges == len(want) == 6
    assert data["settings"]["as_of"] == "2022"
    page = build_page(mini, kinds=["regulator", "central_bank"])
    assert {d["kind"] for d in page_data(page.html)["info"].values()} <= {
        "regulator",
        "central_bank",
    }
    page = build_page(mini, types=["member_of"])
    assert {r["type"] for r in page_data(page.html)["rels"].values()} == {"member_of"}


@pytest.mark.parametrize("color_by", ["kind", "jurisdiction", "community"])
@pytest.mark.parametrize("size_by", ["degree", "pagerank", "betweenness"])
def test_colour_and_size_measures_have_a_legend(seeds, color_by, size_by):
    data = page_data(build_page(seeds, color_by=color_by, size_by=size_by).html)
    legend = data["legend"]
    assert legend["color_by"] == color_by and legend["size"]["by"] == size_by
    assert sum(e["count"] for e in legend["colours"]) == data["drawn"]["nodes"]
    colours = {e["color"] for e in legend["colours"]}
    assert all(
        (n["color"] if isinstance(n["color"], str) else n["color"]["background"]) in colours
        for n in data["nodes"]
    )
    sizes = [n["size"] for n in data["nodes"]]
    assert min(sizes) < max(sizes)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kinds": ["regulatr"]}, "did you mean 'regulator'"),
        ({"types": ["member"]}, "unknown relation type"),
        ({"as_of": "2023-13"}, "invalid date"),
        ({"hops": -1}, "hops"),
        ({"focus": "AMA", "path": ("AMA", "BFSA")}, "not both"),
        ({"focus": "AMA", "kinds": ["project"]}, "filtered out"),
        ({"path": ("AMA", "AMA")}, "two different"),
        ({"path": ("AMA", "DNB"), "types": ["leads"]}, "no path"),
        ({"color_by": "size"}, "color_by"),
        ({"size_by": "kind"}, "size_by"),
    ],
)
def test_impossible_options_raise_render_error(mini, kwargs, message):
    with pytest.raises(RenderError, match=message):
        build_page(mini, **kwargs)


def test_unknown_entity_raises_entity_not_found(mini):
    with pytest.raises(regulink.EntityNotFound):
        build_page(mini, focus="zzzzzzzzzzzzzz")


# ---------- what is drawn: classes, time, exclusions (issue 11) ----------


def test_structural_relations_are_drawn_only_when_asked(mini):
    structural = load_schema().structural_types
    keys = {r.key: r.type for r in mini.relations}
    plain = select(mini)
    assert {keys[k] for k in plain.drawn.edges}.isdisjoint(structural)
    assert plain.drawn.left_out["structural"] == sum(t in structural for t in keys.values())
    assert "structural relations hidden: use --structural" in build_page(mini).note
    wide = select(mini, structural=True)
    assert set(wide.drawn.edges) == set(keys) and "structural" not in wide.drawn.left_out


def test_as_of_draws_what_is_in_force_and_says_what_it_left_out(seeds):
    from regulink.graph.semantics import relation_mask

    page = build_page(seeds, as_of="2019")
    mask = relation_mask(seeds, as_of="2019")  # substantive, in force at 2019-12-31
    drawn = [r for r, ok in zip(seeds.relations, mask, strict=False) if ok]
    assert page.edges == len(drawn) and page.nodes == len(
        {e for r in drawn for e in (r.from_, r.to)}
    )
    in_force = relation_mask(seeds, as_of="2019", structural=True)
    assert (
        f"{len(seeds.relations) - int(in_force.sum())} relations not in force at "
        "2019-12-31" in page.note
    )
    assert f"{len(seeds.entities) - page.nodes} entities without a drawn relation" in page.note
    # The page says it too, where the reader looks.
    assert page_data(page.html)["drawn"]["note"] == page.note


def test_a_focus_with_nothing_in_force_says_why(seeds, tmp_path):
    page = build_page(seeds, focus="Project Agora", as_of="2019")
    assert page.nodes == 1 and page.edges == 0
    assert page.warnings and "not in force at 2019-12-31" in page.warnings[0]
    assert page_data(page.html)["warnings"] == list(page.warnings)
    r = CliRunner().invoke(
        cli,
        ["render", "--focus", "Project Agora", "--as-of", "2019", "-o", str(tmp_path / "a.html")],
    )
    assert r.exit_code == 0 and "warning: " in r.stderr and "shows it alone" in r.stderr


def test_dated_only_exclude_and_avoid_hubs(mini):
    undated = {r.key for r in mini.relations if r.start is None and r.end is None}
    dated = select(mini, dated_only=True)
    assert undated and not undated & set(dated.drawn.edges)
    assert dated.drawn.left_out["undated"] == len(undated)  # counted before the class
    page = build_page(mini, exclude=["DNB"])
    assert "delta-bank" not in page_data(page.html)["info"]
    # A path page shows regulink path's answer under the same options.
    for kwargs in ({}, {"exclude": ["Project Lark"]}, {"avoid_hubs": 2}, {"structural": True}):
        try:
            want = regulink.path(mini, "GFMA", "AMA", **kwargs)["paths"][0]
        except regulink.NoPath:
            with pytest.raises(RenderError):
                build_page(mini, path=("GFMA", "AMA"), **kwargs)
            continue
        data = page_data(build_page(mini, path=("GFMA", "AMA"), **kwargs).html)
        assert data["path"]["nodes"] == ["gamma-fma"] + [h["to"] for h in want["hops"]]


def test_kind_colours_are_fixed_and_distinct(seeds):
    def colours(page):
        data = page_data(page.html)
        return {
            d["kind"]: data["nodes"][i]["color"]
            for i, d in enumerate(data["info"][n["id"]] for n in data["nodes"])
            if isinstance(data["nodes"][i]["color"], str)
        }

    full, focused = colours(build_page(seeds)), colours(build_page(seeds, focus="BIS"))
    assert full and all(full[k] == c for k, c in focused.items() if k in full)
    kinds = {k["name"]: k["color"] for k in page_data(build_page(seeds).html)["kinds"]}

    def rgb(c):
        return [int(c[i : i + 2], 16) for i in (1, 3, 5)]

    far = sum(
        (a - b) ** 2 for a, b in zip(rgb(kinds["regulator"]), rgb(kinds["programme"]), strict=False)
    )
    assert far**0.5 > 150  # not two near-identical blues
    assert len(set(kinds.values())) == len(kinds)


def test_cli_semantics_options(tmp_path):
    out = tmp_path / "s.html"
    r = run(
        "render",
        "-o",
        str(out),
        "--as-of",
        "2023",
        "--structural",
        "--dated-only",
        "--exclude",
        "Jo Tan",
        "--avoid-hubs",
        "3",
    )
    assert r.exit_code == 0, r.output
    data = page_data(out.read_text("utf-8"))
    assert data["settings"] == {
        "as_of": "2023",
        "structural": True,
        "dated_only": True,
        "avoid_hubs": 3,
        "roots": [],
        "hops": 1,
    }
    assert "jo-tan" not in data["info"] and "not drawn: " in r.stderr


# ---------- no mutation, layout, Jupyter ----------


def test_rendering_leaves_the_facts_and_graph_alone(mini):
    before = copy.deepcopy(mini)
    view = select(mini)
    snapshot = (
        dict(view.graph.nodes(data=True)),
        [(u, v, k, dict(d)) for u, v, k, d in view.graph.edges(keys=True, data=True)],
    )
    snapshot = copy.deepcopy(snapshot)
    from regulink.graph.render import render_view

    render_view(view, mini)
    render_view(view, mini, collapse="community")
    assert mini == before
    assert (
        dict(view.graph.nodes(data=True)),
        [(u, v, k, dict(d)) for u, v, k, d in view.graph.edges(keys=True, data=True)],
    ) == snapshot


def test_big_graphs_get_precomputed_positions_and_no_physics():
    facts = synthetic_facts(PHYSICS_MAX_NODES + 50)
    data = page_data(build_page(facts).html)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    small = page_data(build_page(synthetic_facts(30)).html)
    assert small["physics"] is True and not any("x" in n for n in small["nodes"])


# ---------- big pages open collapsed ----------


@pytest.fixture(scope="module")
def big():
    """Just above the threshold: the page opens collapsed by community (auto)."""
    facts = synthetic_facts(COLLAPSE_AUTO_NODES + 100)
    return facts, page_data(build_page(facts).html)


def units(data: dict) -> dict:
    """Entity -> what stands for it when the page opens: its cluster, or itself."""
    unit = {n["id"]: n["id"] for n in data["nodes"]}
    for c in data["groups"]["clusters"]:
        unit.update(dict.fromkeys(c["members"], c["id"]))
    return unit


def test_big_pages_open_collapsed_into_clusters_that_partition_the_entities(big):
    facts, data = big
    G = regulink.to_networkx(facts)
    # Every entity and relation is still in the page, drawn or not.
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()
    groups = data["groups"]
    assert groups["by"] == "community" and data["physics"] is False
    members = [m for c in groups["clusters"] for m in c["members"]]
    assert len(members) == len(set(members))  # no entity in two clusters
    alone = set(G) - set(members)
    assert len(alone) <= 1  # only an entity Louvain leaves on its own could stay out
    assert [c["id"] for c in groups["clusters"]] == [
        f"group:{i}" for i in range(len(groups["clusters"]))
    ]
    assert all(
        len(c["members"]) >= 2 and c["node"]["id"] == c["id"] and c["label"]
        for c in groups["clusters"]
    )
    # Links: one per pair of units, their counts summing to the relations between units.
    unit = units(data)
    between = sum(
        1 for u, v in G.edges() if unit[u] != unit[v] and not (unit[u] == u and unit[v] == v)
    )
    pairs = [frozenset((link["from"], link["to"])) for link in groups["links"]]
    assert len(pairs) == len(set(pairs))
    assert sum(link["count"] for link in groups["links"]) == between
    inside = sum(1 for u, v in G.edges() if unit[u] == unit[v] != u)
    assert sum(c["internal"] for c in groups["clusters"]) == inside
    # Members wait around their cluster's centre, ready to be drawn.
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    for c in groups["clusters"][:5]:
        xs = [pos[m][0] for m in c["members"]]
        cx = c["node"]["x"]
        assert min(xs) <= cx <= max(xs)
        assert max(abs(x - cx) for x in xs) < 40 * len(c["members"]) ** 0.5


def test_the_threshold_and_the_option_decide_what_collapses(monkeypatch):
    from regulink.graph.render import clusters as clusters_module

    monkeypatch.setattr(clusters_module, "COLLAPSE_AUTO_NODES", 400)
    assert page_data(build_page(synthetic_facts(401)).html)["groups"]["by"] == "community"
    at = page_data(build_page(synthetic_facts(400)).html)
    assert at["groups"] is None
    assert page_data(build_page(synthetic_facts(401), collapse="none").html)["groups"] is None
    small = build_page(synthetic_facts(60), collapse="community")
    assert small.collapsed_by == "community" and small.clusters > 1
    assert page_data(small.html)["physics"] is False  # positions come from the grouping
    with pytest.raises(RenderError, match="collapse must be one of"):
        build_page(synthetic_facts(10), collapse="kind")


def test_jurisdiction_clusters_group_by_jurisdiction(seeds):
    page = build_page(seeds, collapse="jurisdiction")
    data = page_data(page.html)
    G = regulink.to_networkx(seeds)
    jur = dict(G.nodes(data="jurisdiction"))
    clusters = data["groups"]["clusters"]
    assert page.collapsed_by == "jurisdiction" and page.clusters == len(clusters)
    for c in clusters:
        assert {jur[m] for m in c["members"]} == {c["key"]}
        assert c["label"] == f"{c['key']} · {len(c['members'])}"
    count = Counter(jur.values())
    # Jurisdictions with two or more entities are clusters; one alone stays an entity.
    assert sorted(c["key"] for c in clusters) == sorted(j for j, k in count.items() if k >= 2)
    assert [len(c["members"]) for c in clusters] == sorted(
        (len(c["members"]) for c in clusters), reverse=True
    )


def test_path_and_focus_entities_are_never_collapsed(seeds):
    page = build_page(seeds, path=("FINMA", "Project Guardian"), hops=2, collapse="community")
    data = page_data(page.html)
    members = {m for c in data["groups"]["clusters"] for m in c["members"]}
    assert data["path"]["nodes"] and not members & set(data["path"]["nodes"])
    focused = page_data(build_page(seeds, focus="MAS", hops=2, collapse="jurisdiction").html)
    assert focused["focus"] not in {m for c in focused["groups"]["clusters"] for m in c["members"]}
    # Small neighbourhoods and paths are not collapsed unless asked.
    assert page_data(build_page(seeds, focus="MAS", hops=2).html)["groups"] is None


def test_a_page_too_big_to_open_is_refused_with_a_way_out(monkeypatch, mini):
    from regulink.graph.render import view as view_module

    monkeypatch.setattr(view_module, "PAGE_MAX_RELATIONS", 3)
    with pytest.raises(RenderError, match=r"too many for one page: .*\(at most 3 relations"):
        build_page(mini)
    assert build_page(mini, focus="DNB", hops=0).nodes == 1  # a narrower view still works
    # filters count before the graph is built: a type with few relations fits on a page
    few = min(
        {r.type for r in mini.relations}, key=lambda t: sum(r.type == t for r in mini.relations)
    )
    assert sum(r.type == few for r in mini.relations) <= 3
    assert build_page(mini, types=[few]).relations == sum(r.type == few for r in mini.relations)
    r = run("render", "-o", "-")
    assert r.exit_code == 2 and "--focus ENTITY" in r.stderr and "Traceback" not in r.stderr


def test_layout_is_deterministic_and_spreads_nodes():
    G = nx.barabasi_albert_graph(400, 2, seed=3)
    a, b = force_layout(G, seed=5), force_layout(G, seed=5)
    assert a == b
    xy = list(a.values())
    # No pile-up: nodes are not all on top of each other.
    assert len({(round(x), round(y)) for x, y in xy}) > 390


def test_jupyter_display_is_an_isolated_iframe(mini):
    page = regulink.render(mini)
    out = page._repr_html_()
    assert out.startswith("<iframe") and 'sandbox="allow-scripts' in out
    assert "allow-same-origin" not in out
    srcdoc = re.search(r'srcdoc="(.*)"></iframe>', out, re.S).group(1)
    assert "<" not in srcdoc and htmlmod.unescape(srcdoc) == page.html


def test_write(tmp_path, mini):
    page = regulink.render(mini, title="Mini")
    p = page.write(tmp_path / "m.html")
    assert p.read_text("utf-8") == page.html and "<title>Mini</title>" in page.html


# ---------- CLI ----------


def run(*args):
    return CliRunner().invoke(cli, ["--seeds", str(MINI), *args], catch_exceptions=False)


def test_cli_writes_the_page(tmp_path):
    out = tmp_path / "x.html"
    r = run(
        "render",
        "-o",
        str(out),
        "--focus",
        "AMA",
        "--hops",
        "2",
        "--color-by",
        "jurisdiction",
        "--size-by",
        "pagerank",
        "--title",
        "Kite",
    )
    assert r.exit_code == 0, r.output
    assert "entities" in r.stderr and out.exists()
    data = page_data(out.read_text("utf-8"))
    assert data["focus"] == "alpha-ma" and data["title"] == "Kite"


def test_cli_collapse(tmp_path):
    out = tmp_path / "j.html"
    r = run("render", "-o", str(out), "--collapse", "jurisdiction")
    assert r.exit_code == 0, r.output
    data = page_data(out.read_text("utf-8"))
    assert data["groups"]["by"] == "jurisdiction"
    assert f"opens as {len(data['groups']['clusters'])} jurisdiction groups" in r.stderr
    r = run("render", "-o", "-", "--collapse", "none")
    assert page_data(r.stdout)["groups"] is None


def test_cli_stdout_and_path(tmp_path):
    r = run(
        "render",
        "-o",
        "-",
        "--path",
        "BFSA",
        "Project Lark",
        "--kinds",
        "regulator,central_bank,project,programme,international_org",
        "--types",
        "member_of",
        "--types",
        "leads,participates_in,builds_on,launched",
    )
    assert r.exit_code == 0, r.output
    assert page_data(r.stdout)["path"]["nodes"][0] == "beta-fsa"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--kinds", "regulatr"], "did you mean 'regulator'"),
        (["--as-of", "soon"], "not a date"),
        (["--color-by", "size"], "Invalid value"),
        (["--focus", "AMA", "--path", "AMA", "BFSA"], "exclude each other"),
        (["--path", "AMA", "DNB", "--types", "leads"], "no path"),
        (["--focus", "AMA", "--kinds", "project"], "filtered out"),
        (["-o", "/nonexistent-dir/x.html"], "cannot write"),
        (["-o", "-", "--open"], "needs a file"),
        (["--collapse", "kinds"], "Invalid value"),
    ],
)
def test_cli_usage_mistakes_exit_2_without_traceback(args, message):
    r = run("render", *args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and "Traceback" not in r.output + r.stderr
