"""The explorer page in real headless Chromium, with the network cut off.

No timing assertions: the 2-core CI machine may be slow, so waits are generous and only
behaviour is checked. Time-to-interactive is measured by bench_render.py instead.
"""

from __future__ import annotations

import pytest

import regulink
from regulink.graph.render import build_page, select
from regulink.graph.render.clusters import COLLAPSE_AUTO_NODES
from regulink.graph.schema import load_schema

from .harness import assert_clean, visit
from .payloads import XSS_NAME, write_xss_world
from .synthetic import synthetic_facts

READY_MS = 180_000


@pytest.fixture(scope="module")
def seeds():
    return regulink.load_facts()


@pytest.fixture(scope="module")
def seeds_html(seeds):
    return build_page(seeds).html


def clean(v) -> None:
    assert_clean(v)


def counts(v) -> dict:
    return v.page.evaluate("() => window.regulink.visibleCounts()")


def hidden(v, what: str) -> set:
    return set(
        v.page.evaluate(
            f"() => window.regulink.{what}.get({{filter: x => x.hidden === true}}).map(x => x.id)"
        )
    )


def test_page_loads_offline_with_every_node_and_edge(browser, seeds, seeds_html):
    G = regulink.to_networkx(seeds)
    view = select(seeds)
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        c = counts(v)
        # Draws what Python says it draws (substantive relations and their ends), holds all.
        assert (c["nodes"], c["edges"]) == (len(view.drawn.nodes), len(view.drawn.edges))
        assert (c["totalNodes"], c["totalEdges"]) == (G.number_of_nodes(), G.number_of_edges())
        assert hidden(v, "nodes") == set(G) - view.drawn.nodes
        assert v.page.evaluate("() => window.regulink.leftOut()") == view.drawn.left_out
        text = v.page.locator("#counts").text_content()
        assert f"{c['nodes']} of {G.number_of_nodes()} entities" in text
        # vis-network itself holds them all (not just our DataSets), with positions.
        drawn = v.page.evaluate("() => Object.keys(window.regulink.network.getPositions()).length")
        assert drawn == len(view.drawn.nodes)
        assert v.page.locator("#loading").is_hidden()
        assert v.page.locator("#legend .legend-list li").count() >= 5
        # Physics stopped after stabilisation: nothing keeps moving.
        before = v.page.evaluate("() => window.regulink.network.getPositions()")
        v.page.wait_for_timeout(700)
        after = v.page.evaluate("() => window.regulink.network.getPositions()")
        assert before == after
        clean(v)


def test_search_finds_and_focuses_by_abbreviation_and_alias(browser, seeds, seeds_html):
    finma = regulink.find(seeds, "FINMA")[0]
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        box = v.page.locator("#search")
        box.fill("FINMA")
        v.page.locator("#search-results li.result").first.wait_for()
        assert (
            v.page.locator("#search-results li.result").first.get_attribute("data-id") == finma.id
        )
        box.press("Enter")
        v.page.wait_for_function(f"() => window.regulink.selected === {finma.id!r}")
        assert v.page.evaluate("() => window.regulink.network.getSelectedNodes()")[0] == finma.id
        assert v.page.locator("#panel .panel-title").text_content() == finma.name
        # An alias, typed without its accents, finds its entity too.
        ent = next(
            e for e in seeds.entities.values() if any(a.isascii() and len(a) > 4 for a in e.aliases)
        )
        alias = next(a for a in ent.aliases if a.isascii() and len(a) > 4)
        box.fill(alias.lower())
        box.press("Enter")
        v.page.wait_for_function(f"() => window.regulink.selected === {ent.id!r}")
        clean(v)


def _shown(v) -> tuple[set, set]:
    return (
        set(v.page.evaluate("() => window.regulink.nodes.getIds()")) - hidden(v, "nodes"),
        set(v.page.evaluate("() => window.regulink.edges.getIds()")) - hidden(v, "edges"),
    )


def test_filters_draw_what_python_draws(browser, seeds, seeds_html):
    """Each control draws what `regulink render` with the same option draws."""
    schema = load_schema()
    kinds = [k for k in schema.kinds if k != "person"]
    types = [t for t in schema.relation_types if t != "participates_in"]
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        v.page.locator('#filter-kind input[value="person"]').uncheck()
        want = select(seeds, kinds=kinds).drawn
        assert _shown(v) == (set(want.nodes), set(want.edges))
        v.page.locator("#reset").click()
        v.page.locator('#filter-type input[value="participates_in"]').uncheck()
        want = select(seeds, types=types).drawn
        assert _shown(v) == (set(want.nodes), set(want.edges))
        v.page.locator("#reset").click()
        v.page.locator("#structural").check()
        want = select(seeds, structural=True).drawn
        assert _shown(v) == (set(want.nodes), set(want.edges))
        v.page.locator("#dated-only").check()
        want = select(seeds, structural=True, dated_only=True).drawn
        assert _shown(v) == (set(want.nodes), set(want.edges))
        clean(v)


def _click_node(v, node_id: str, *, hover_only: bool = False) -> None:
    x, y = _node_xy(v, node_id)
    v.page.mouse.move(x, y)
    if not hover_only:
        v.page.mouse.click(x, y)


def test_click_highlights_the_neighbourhood_and_hover_shows_a_tooltip(browser, seeds, seeds_html):
    G = regulink.to_networkx(seeds).to_undirected(as_view=True)
    hub = max(G.nodes, key=lambda n: (len(G[n]), n))
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        v.page.evaluate(
            "id => window.regulink.network.focus(id, {scale: 1.5, animation: false,"
            " locked: false})",
            hub,
        )
        _click_node(v, hub, hover_only=True)
        tip = v.page.locator("#tooltip")
        tip.wait_for(state="visible")
        assert seeds.entities[hub].name in tip.text_content()
        _click_node(v, hub)
        v.page.wait_for_function(f"() => window.regulink.selected === {hub!r}")
        dimmed = set(
            v.page.evaluate("() => window.regulink.nodes.getIds().filter(window.regulink.isDimmed)")
        )
        assert dimmed == set(G.nodes) - set(G[hub]) - {hub}
        assert v.page.locator("#panel .panel-title").text_content() == seeds.entities[hub].name
        relations = v.page.locator("#panel ul.relations li").count()
        assert relations == regulink.to_networkx(seeds).degree(hub)
        # Evidence of a relation: its sources, as links.
        v.page.locator("#panel button.more").first.click()
        assert v.page.locator("#panel ul.sources li").count() >= 1
        # Escape clears the selection.
        v.page.keyboard.press("Escape")
        v.page.wait_for_function("() => window.regulink.selected === null")
        clean(v)


def test_injected_markup_stays_text(browser, tmp_path):
    facts = regulink.load_facts([write_xss_world(tmp_path / "xss")])
    page = build_page(facts, title="<img src=x onerror=window.__xss=11>")
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        box = v.page.locator("#search")
        box.fill("img src")
        v.page.locator("#search-results li.result").first.wait_for()
        assert v.page.locator("#search-results .result-name").first.text_content() == XSS_NAME
        box.press("Enter")
        v.page.wait_for_function("() => window.regulink.selected === 'evil-reg'")
        panel = v.page.locator("#panel")
        assert panel.locator(".panel-title").text_content() == XSS_NAME
        assert "<svg onload=window.__xss=3>" in panel.text_content()
        assert "<b onmouseover=window.__xss=4>bold?</b>" in panel.text_content()
        panel.locator("button.more").first.click()
        text = panel.text_content()
        assert "<script>window.__xss=6</script> note" in text and "<i onclick" in text
        # Still, not animated, so the pointer lands on the node.
        v.page.evaluate(
            "() => window.regulink.network.focus('evil-reg', "
            "{scale: 1.5, animation: false, locked: false})"
        )
        _click_node(v, "evil-reg", hover_only=True)
        v.page.locator("#tooltip").wait_for(state="visible")
        assert v.page.title() == "<img src=x onerror=window.__xss=11>"
        v.page.wait_for_timeout(300)  # give any onerror/onload a chance to fire
        assert v.page.evaluate("() => typeof window.__xss") == "undefined"
        injected = v.page.evaluate(
            "() => document.querySelectorAll('#panel img, #panel svg, #panel script, "
            "#panel iframe, #tooltip img, #tooltip svg, #topbar img, #legend img').length"
        )
        assert injected == 0
        clean(v)


def test_path_page_highlights_the_path(browser, seeds):
    page = build_page(seeds, path=("FINMA", "Project Guardian"))
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        data = v.page.evaluate("() => window.regulink.data.path")
        assert len(data["nodes"]) >= 2
        red = v.page.evaluate("""() => window.regulink.edges.get()
            .filter(e => e.color === '#d62728').map(e => e.id)""")
        assert set(red) == set(data["edges"])
        assert "→" in v.page.locator("#legend .path-note").text_content()
        clean(v)


def test_displays_inline_in_jupyter(browser, seeds):
    page = build_page(seeds, focus="MAS", hops=1)
    notebook = f"<!DOCTYPE html><html><body><h1>notebook</h1>{page._repr_html_()}</body></html>"
    with visit(browser, notebook) as v:
        v.page.wait_for_function("() => document.querySelector('iframe') !== null")
        frame = v.page.frames[1]
        frame.wait_for_function(
            "() => window.regulink && window.regulink.ready === true", timeout=READY_MS
        )
        assert frame.evaluate("() => window.regulink.visibleCounts().nodes") == page.nodes
        clean(v)


def test_a_2000_node_page_becomes_interactive(browser):
    facts = synthetic_facts(2000)
    page = build_page(facts)
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        c = counts(v)
        assert (c["nodes"], c["edges"], c["clusters"]) == (page.nodes, page.edges, 0)
        assert v.page.evaluate("() => window.regulink.data.physics") is False
        print(
            f"2,000 nodes interactive after "
            f"{v.page.evaluate('() => window.regulink.readyAt') / 1000:.1f} s"
        )
        v.page.evaluate("() => window.regulink.selectNode('e1500')")
        selected = v.page.evaluate("() => window.regulink.network.getSelectedNodes()")
        assert "e1500" in selected and len(selected) > 1  # the node and its neighbours
        assert v.page.locator("#expand-all").is_hidden()
        clean(v)


@pytest.fixture(scope="module")
def big():
    """A page just above the threshold, so it opens collapsed by community."""
    facts = synthetic_facts(COLLAPSE_AUTO_NODES + 500)
    page = build_page(facts)
    G = regulink.to_networkx(facts)
    return facts, page, G


def drawn(v) -> tuple[set, set]:
    """Ids of the nodes and edges in the page's DataSets (what vis-network draws)."""
    return (
        set(v.page.evaluate("() => window.regulink.nodes.getIds()")),
        set(v.page.evaluate("() => window.regulink.edges.getIds()")),
    )


def _expected(G, clusters: list, expanded: set) -> tuple[set, set, dict]:
    """What should be drawn with ``expanded`` clusters open: nodes, relations, link counts."""
    unit = {n: n for n in G}
    for c in clusters:
        if c["id"] not in expanded:
            unit.update(dict.fromkeys(c["members"], c["id"]))
    nodes = set(unit.values())
    relations, links = set(), {}
    for u, v, k in G.edges(keys=True):
        a, b = unit[u], unit[v]
        if (a, b) == (u, v):
            relations.add(k)
        elif a != b:
            key = "|".join(sorted((a, b)))
            links[key] = links.get(key, 0) + 1
    return nodes, relations, links


def test_a_big_page_opens_collapsed_and_clusters_expand(browser, big):
    facts, page, G = big
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        data = v.page.evaluate("() => window.regulink.data.groups")
        clusters = data["clusters"]
        assert page.collapsed_by == "community" and len(clusters) == page.clusters > 1
        # Opens collapsed: one node per cluster (plus any entity alone), links between them.
        nodes, relations, links = _expected(G, clusters, set())
        shown_nodes, shown_edges = drawn(v)
        assert shown_nodes == nodes
        assert shown_edges == relations | set(links)
        assert v.page.evaluate("() => window.regulink.links()") == links
        c = counts(v)
        assert c["clusters"] == len(clusters) and c["links"] == len(links)
        assert (c["totalNodes"], c["totalEdges"]) == (G.number_of_nodes(), G.number_of_edges())
        # Double-click a cluster: its members and their relations appear, the cluster goes.
        target = clusters[1]
        v.page.evaluate(
            "id => window.regulink.network.focus(id, {scale: 1, animation: false, locked: false})",
            target["id"],
        )
        x, y = _node_xy(v, target["id"])
        v.page.mouse.dblclick(x, y)
        v.page.wait_for_function(f"() => window.regulink.isExpanded({target['id']!r})")
        nodes, relations, links = _expected(G, clusters, {target["id"]})
        shown_nodes, shown_edges = drawn(v)
        assert set(target["members"]) <= shown_nodes and target["id"] not in shown_nodes
        assert shown_nodes == nodes and shown_edges == relations | set(links)
        assert v.page.evaluate("() => window.regulink.links()") == links
        inside = {
            k for u, w, k in G.edges(keys=True) if u in target["members"] and w in target["members"]
        }
        assert inside and inside <= shown_edges
        # Search reaches into a collapsed cluster: expands it, selects and shows the entity.
        other = clusters[3]
        member = other["members"][-1]
        box = v.page.locator("#search")
        box.fill(facts.entities[member].name)
        box.press("Enter")
        v.page.wait_for_function(f"() => window.regulink.selected === {member!r}")
        assert v.page.evaluate(f"() => window.regulink.isExpanded({other['id']!r})")
        assert member in v.page.evaluate("() => window.regulink.network.getSelectedNodes()")
        assert v.page.locator("#panel .panel-title").text_content() == facts.entities[member].name
        # Its relations are listed, whatever is collapsed at their other end.
        assert v.page.locator("#panel ul.relations li").count() == G.degree(member)
        # Collapse all: back to the first picture, links as counted in Python.
        v.page.locator("#collapse-all").click()
        nodes, relations, links = _expected(G, clusters, set())
        assert drawn(v) == (nodes, relations | set(links))
        assert v.page.evaluate("() => window.regulink.links()") == {
            "|".join(sorted((link["from"], link["to"]))): link["count"] for link in data["links"]
        }
        # Expand all: every entity and relation, no cluster, no link.
        v.page.locator("#expand-all").click()
        assert drawn(v) == (set(G), {k for *_e, k in G.edges(keys=True)})
        assert counts(v)["clusters"] == 0 and counts(v)["links"] == 0
        clean(v)


def _node_xy(v, node_id: str) -> tuple[float, float]:
    return v.page.evaluate(
        """id => {
        const n = window.regulink.network;
        const p = n.canvasToDOM(n.getPositions([id])[id]);
        const r = document.getElementById('graph').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""",
        node_id,
    )


def test_filters_on_a_collapsed_page(browser, seeds):
    page = build_page(seeds, collapse="jurisdiction")
    G = regulink.to_networkx(seeds)
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        clusters = v.page.evaluate("() => window.regulink.data.groups.clusters")
        sg = next(c for c in clusters if c["key"] == "SG")
        # Unticking a jurisdiction hides its cluster, and the links to it.
        v.page.locator('#filter-jurisdiction input[value="SG"]').uncheck()
        assert sg["id"] in hidden(v, "nodes")
        off = hidden(v, "nodes")
        assert {k for k in hidden(v, "edges") if "|" in k} == {
            k for k in drawn(v)[1] if "|" in k and set(k.split("|")) & off
        }
        assert {k for k in drawn(v)[1] if "|" in k and sg["id"] in k.split("|")} <= hidden(
            v, "edges"
        )
        v.page.locator('#filter-jurisdiction input[value="SG"]').check()
        # A kind filter applies to members as they are expanded.
        v.page.locator('#filter-kind input[value="person"]').uncheck()
        v.page.evaluate(f"() => window.regulink.expand({sg['id']!r})")
        want = select(seeds, kinds=[k for k in load_schema().kinds if k != "person"]).drawn
        members = set(sg["members"])
        assert members - hidden(v, "nodes") == members & want.nodes
        alone = set(G) - {m for c in clusters for m in c["members"]}
        assert counts(v)["nodes"] == len((members | alone) & want.nodes)
        clean(v)


@pytest.mark.parametrize(
    "kwargs", [{"kinds": ["event"]}, {"types": ["funds"]}], ids=["empty", "no-relations"]
)
def test_degenerate_pages_load_cleanly(browser, kwargs):
    from conftest import MINI

    page = build_page(regulink.load_facts([MINI]), **kwargs)
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        assert counts(v)["nodes"] == page.nodes
        assert v.page.locator("#timeline").is_disabled()  # no dated relations to move over
        clean(v)
