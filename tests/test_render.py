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
from click.testing import CliRunner

import regulink
from browser.payloads import XSS_NAME, write_xss_world
from browser.synthetic import synthetic_facts
from regulink.cli.main import cli
from regulink.graph.render import PHYSICS_MAX_NODES, RenderError, build_page, select
from regulink.graph.render.clusters import COLLAPSE_AUTO_NODES
from regulink.graph.render.layout import force_layout
from regulink.graph.render.page import script_json, vis_assets

from conftest import MINI

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
    assert (page.nodes, page.edges) == (G.number_of_nodes(), G.number_of_edges())
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert {e["id"] for e in data["edges"]} == {k for _u, _v, k in G.edges(keys=True)}
    assert len(data["info"]) == page.nodes and len(data["rels"]) == page.edges
    # Every cited source travels with the page, so the evidence is readable offline.
    cited = {s for r in data["rels"].values() for s in r["sources"]}
    assert cited == set(data["sources"])


def test_page_is_self_contained(seeds):
    html = build_page(seeds).html
    js, css = vis_assets()
    assert js[:2000] in html  # vis-network inlined, not linked
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html, re.I)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_edges_carry_dates_direction_and_evidence(mini):
    data = page_data(build_page(mini).html)
    rel = next(r for r in data["rels"].values() if r["type"] == "participates_in"
               and r["end"] == "2023-09")
    assert (rel["start"], rel["lo"], rel["hi"]) == ("2022-11", "2022-11-01", "2023-09-30")
    assert rel["status"] == "completed" and rel["sources"]
    arrows = {e["id"]: e["arrows"] for e in data["edges"]}
    symmetric = [k for k, r in data["rels"].items() if r["symmetric"]]
    directed = [k for k, r in data["rels"].items() if not r["symmetric"]]
    assert all(arrows[k] == "" for k in symmetric) and all(arrows[k] == "to" for k in directed)


def test_parallel_relations_are_drawn_apart(write):
    # Three relations between the same two entities, in both directions: the first stays
    # straight, the others bend to different sides so none hides another.
    f = write("pair.yaml", """
        entities:
          - {id: a, kind: regulator, name: A, jurisdiction: SG}
          - {id: b, kind: regulator, name: B, jurisdiction: JP}
        relations:
          - {type: partners_with, from: a, to: b, sources: [s]}
          - {type: signed_mou_with, from: b, to: a, sources: [s]}
          - {type: leads, from: a, to: b, sources: [s]}
        sources:
          - {id: s, kind: news, publisher: P, title: T}
        """)
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
    for needle in ("<img src=x", "<svg onload", "<b onmouseover", "<i onclick",
                   "<iframe src=javascript", "<a href=javascript", "window.__xss=9</script>"):
        assert needle not in html, needle
    # Exactly the page's own script elements, nothing a payload opened or closed.
    assert html.count("</script>") == 3
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
    data = page_data(build_page(seeds, focus="MAS", color_by="community").html)
    assert sum(e["count"] for e in data["legend"]["colours"]) == len(data["nodes"])


def test_focus_keeps_the_neighbourhood(mini):
    G = nx.MultiDiGraph(regulink.to_networkx(mini)).to_undirected()
    for hops in (0, 1, 2):
        page = build_page(mini, focus="AMA", hops=hops)
        want = nx.single_source_shortest_path_length(G, "alpha-ma", cutoff=hops)
        assert {n["id"] for n in page_data(page.html)["nodes"]} == set(want)
    assert page_data(page.html)["focus"] == "alpha-ma"


def test_path_is_highlighted_in_its_context(mini):
    page = build_page(mini, path=("BFSA", "Project Lark"), hops=0)
    data = page_data(page.html)
    path = data["path"]
    assert path["nodes"][0] == "beta-fsa" and path["nodes"][-1] == "project-lark"
    assert len(path["edges"]) == len(path["nodes"]) - 1
    red = {e["id"] for e in data["edges"] if e.get("color") == "#d62728"}
    assert red == set(path["edges"])
    assert {n["id"] for n in data["nodes"]} == set(path["nodes"])  # hops=0: the path alone


def test_filters_as_of_kinds_types(mini):
    G = regulink.to_networkx(mini, as_of="2022")
    assert build_page(mini, as_of="2022").edges == G.number_of_edges()
    page = build_page(mini, kinds=["regulator", "central_bank"])
    assert {d["kind"] for d in page_data(page.html)["info"].values()} <= {"regulator",
                                                                          "central_bank"}
    page = build_page(mini, types=["member_of"])
    assert {r["type"] for r in page_data(page.html)["rels"].values()} == {"member_of"}


@pytest.mark.parametrize("color_by", ["kind", "jurisdiction", "community"])
@pytest.mark.parametrize("size_by", ["degree", "pagerank", "betweenness"])
def test_colour_and_size_measures_have_a_legend(seeds, color_by, size_by):
    data = page_data(build_page(seeds, color_by=color_by, size_by=size_by).html)
    legend = data["legend"]
    assert legend["color_by"] == color_by and legend["size"]["by"] == size_by
    assert sum(e["count"] for e in legend["colours"]) == len(data["nodes"])
    colours = {e["color"] for e in legend["colours"]}
    assert all((n["color"] if isinstance(n["color"], str) else n["color"]["background"])
               in colours for n in data["nodes"])
    sizes = [n["size"] for n in data["nodes"]]
    assert min(sizes) < max(sizes)


@pytest.mark.parametrize("kwargs, message", [
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
])
def test_impossible_options_raise_render_error(mini, kwargs, message):
    with pytest.raises(RenderError, match=message):
        build_page(mini, **kwargs)


def test_unknown_entity_raises_entity_not_found(mini):
    with pytest.raises(regulink.EntityNotFound):
        build_page(mini, focus="zzzzzzzzzzzzzz")


# ---------- no mutation, layout, Jupyter ----------

def test_rendering_leaves_the_facts_and_graph_alone(mini):
    before = copy.deepcopy(mini)
    view = select(mini)
    snapshot = (dict(view.graph.nodes(data=True)),
                [(u, v, k, dict(d)) for u, v, k, d in view.graph.edges(keys=True, data=True)])
    snapshot = copy.deepcopy(snapshot)
    from regulink.graph.render import render_view
    render_view(view, mini)
    render_view(view, mini, collapse="community")
    assert mini == before
    assert (dict(view.graph.nodes(data=True)),
            [(u, v, k, dict(d)) for u, v, k, d in view.graph.edges(keys=True, data=True)]
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
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == \
        G.number_of_edges()
    groups = data["groups"]
    assert groups["by"] == "community" and data["physics"] is False
    members = [m for c in groups["clusters"] for m in c["members"]]
    assert len(members) == len(set(members))  # no entity in two clusters
    alone = set(G) - set(members)
    assert len(alone) <= 1  # only an entity Louvain leaves on its own could stay out
    assert [c["id"] for c in groups["clusters"]] == [f"group:{i}"
                                                   for i in range(len(groups["clusters"]))]
    assert all(len(c["members"]) >= 2 and c["node"]["id"] == c["id"] and c["label"]
               for c in groups["clusters"])
    # Links: one per pair of units, their counts summing to the relations between units.
    unit = units(data)
    between = sum(1 for u, v in G.edges() if unit[u] != unit[v]
                  and not (unit[u] == u and unit[v] == v))
    pairs = [frozenset((link["from"], link["to"])) for link in groups["links"]]
    assert len(pairs) == len(set(pairs))
    assert sum(link["count"] for link in groups["links"]) == between
    inside = sum(1 for u, v in G.edges() if unit[u] == unit[v] != u)
    assert sum(c["internal"] for c in groups["clusters"]) == inside
    assert data["visible"] == {"nodes": len(alone), "edges": sum(
        1 for u, v in G.edges() if u in alone and v in alone),
        "clusters": len(groups["clusters"]), "links": len(groups["links"])}
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
    assert at["groups"] is None and at["visible"]["clusters"] == 0
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
        (len(c["members"]) for c in clusters), reverse=True)


def test_path_and_focus_entities_are_never_collapsed(seeds):
    page = build_page(seeds, path=("FINMA", "Project Guardian"), hops=2, collapse="community")
    data = page_data(page.html)
    members = {m for c in data["groups"]["clusters"] for m in c["members"]}
    assert data["path"]["nodes"] and not members & set(data["path"]["nodes"])
    assert data["visible"]["nodes"] >= len(data["path"]["nodes"])
    focused = page_data(build_page(seeds, focus="MAS", hops=2, collapse="jurisdiction").html)
    assert focused["focus"] not in {m for c in focused["groups"]["clusters"]
                                    for m in c["members"]}
    # Small neighbourhoods and paths are not collapsed unless asked.
    assert page_data(build_page(seeds, focus="MAS", hops=2).html)["groups"] is None


def test_a_page_too_big_to_open_is_refused_with_a_way_out(monkeypatch, mini):
    from regulink.graph.render import view as view_module

    monkeypatch.setattr(view_module, "PAGE_MAX_RELATIONS", 3)
    with pytest.raises(RenderError, match=r"too many for one page: .*\(at most 3 relations"):
        build_page(mini)
    assert build_page(mini, focus="AMA", hops=0).nodes == 1  # a narrower view still works
    # filters count before the graph is built: a type with few relations fits on a page
    few = min({r.type for r in mini.relations},
              key=lambda t: sum(r.type == t for r in mini.relations))
    assert sum(r.type == few for r in mini.relations) <= 3
    assert build_page(mini, types=[few]).edges == sum(r.type == few for r in mini.relations)
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
    r = run("render", "-o", str(out), "--focus", "AMA", "--hops", "2",
            "--color-by", "jurisdiction", "--size-by", "pagerank", "--title", "Kite")
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
    r = run("render", "-o", "-", "--path", "BFSA", "Project Lark", "--kinds",
            "regulator,central_bank,project,programme,international_org", "--types",
            "member_of", "--types", "leads,participates_in,builds_on,launched")
    assert r.exit_code == 0, r.output
    assert page_data(r.stdout)["path"]["nodes"][0] == "beta-fsa"


@pytest.mark.parametrize("args, message", [
    (["--kinds", "regulatr"], "did you mean 'regulator'"),
    (["--as-of", "soon"], "not a date"),
    (["--color-by", "size"], "Invalid value"),
    (["--focus", "AMA", "--path", "AMA", "BFSA"], "exclude each other"),
    (["--path", "AMA", "DNB", "--types", "leads"], "no path"),
    (["--focus", "AMA", "--kinds", "project"], "filtered out"),
    (["-o", "/nonexistent-dir/x.html"], "cannot write"),
    (["-o", "-", "--open"], "needs a file"),
    (["--collapse", "kinds"], "Invalid value"),
])
def test_cli_usage_mistakes_exit_2_without_traceback(args, message):
    r = run("render", *args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and "Traceback" not in r.output + r.stderr
