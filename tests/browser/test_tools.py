"""The questions asked inside the page: path, hide, expand, timeline, shareable state,
exports, colours, search, keyboard, in real headless Chromium with the network cut off.

Every test ends by checking that the page made no request but itself and logged no error.
Answers are compared with what Python (``regulink path``, ``regulink render``) gives for the
same question, never with numbers written here.
"""

from __future__ import annotations

import base64
import csv
import io
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import regulink
from regulink import api
from regulink.errors import NoPath
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.render import build_page, select
from regulink.graph.search import normalize
from regulink.graph.semantics import relation_mask

from .harness import PAGE_URL, assert_clean, visit
from .payloads import CSV_NAME, XSS_NAME, write_xss_world
from .synthetic import synthetic_facts

READY_MS = 180_000


@pytest.fixture(scope="module")
def seeds():
    return regulink.load_facts()


@pytest.fixture(scope="module")
def seeds_html(seeds):
    return build_page(seeds).html


def js(v, code: str, arg=None):
    return v.page.evaluate(code, arg)


def path_of(v, a: str, b: str):
    """The page's answer: (entity sequence, cost), or None."""
    return js(
        v,
        """([a, b]) => { const h = window.regulink.findPath(a, b);
        if (!h) return null; const p = window.regulink.path(); return [p.nodes, p.cost]; }""",
        [a, b],
    )


def cli_path(facts, a: str, b: str, **options):
    try:
        p = api.path(facts, a, b, **options)["paths"][0]
    except NoPath:
        return None
    return [[a] + [h["to"] for h in p["hops"]], p["cost"]]


def hub_world() -> FactBase:
    """a and b: two hops through a hub h (linked to 40 others), four through a chain of
    specific partners x, y, z; p and q joined only by a membership of o."""
    ids = ["a", "b", "x", "y", "z", "h", "p", "q", "o"] + [f"m{i}" for i in range(40)]
    ents = {k: Entity(k, "regulator", f"Body {k.upper()}", k.upper(), (), "SG") for k in ids}
    ents["o"] = Entity("o", "international_org", "Standing Org", "ORG", (), "INT")

    def rel(t, u, v, start="2020"):
        return Relation(t, u, v, start, None, None, None, ("s",), symmetric=t == "partners_with")

    rels = [
        rel("partners_with", u, v)
        for u, v in [("a", "x"), ("x", "y"), ("y", "z"), ("z", "b"), ("a", "h"), ("h", "b")]
    ]
    rels += [rel("partners_with", "h", f"m{i}") for i in range(40)]
    rels += [rel("member_of", "p", "o"), rel("member_of", "q", "o")]
    src = {"s": Source("s", "report", "Publisher", "Report", "2020", "https://example.org/r")}
    return FactBase(entities=ents, relations=rels, sources=src)


def test_a_path_avoids_the_hub_reroutes_when_hidden_and_labels_structural_links(browser):
    facts = hub_world()
    page = build_page(facts)
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        assert path_of(v, "a", "b") == cli_path(facts, "a", "b")
        assert path_of(v, "a", "b")[0] == ["a", "x", "y", "z", "b"]  # not through the hub
        panel = v.page.locator("#panel")
        assert panel.locator("ol.hops li.hop").count() == 4
        assert "partners with" in panel.text_content()
        red = set(
            js(
                v,
                "() => window.regulink.edges.get().filter(e => e.color === '#d62728')"
                ".map(e => e.id)",
            )
        )
        assert red == {h["key"] for h in js(v, "() => window.regulink.path().hops")}
        # Hide y: the path reroutes through the hub, as regulink path --exclude y says.
        js(v, "() => window.regulink.hide('y')")
        assert (
            js(v, "() => window.regulink.path().nodes")
            == cli_path(facts, "a", "b", exclude=["y"])[0]
            == ["a", "h", "b"]
        )
        item = v.page.locator("#hidden-list li").first
        assert item.get_attribute("title") == "Body Y" and item.text_content().startswith("Y")
        # Next path, then undo the hiding: back to the chain.
        second = js(v, "() => window.regulink.nextPath()")
        assert second is None or [h["to"] for h in second] != ["h", "b"]
        js(v, "() => window.regulink.undo()")
        assert js(v, "() => window.regulink.hidden()") == []
        assert js(v, "() => window.regulink.path().nodes") == ["a", "x", "y", "z", "b"]
        # Only a membership joins p and q: the path uses it, marked and labelled.
        p = js(v, "() => window.regulink.findPath('p', 'q')")
        assert [h["to"] for h in p] == ["o", "q"] and all(h["class"] == "structural" for h in p)
        assert js(v, "() => window.regulink.path().structural") is True
        assert "via membership of ORG" in panel.text_content()
        assert path_of(v, "p", "q") == cli_path(facts, "p", "q")
        js(v, "() => window.regulink.clearPath()")
        assert js(v, "() => window.regulink.path()") is None
        assert_clean(v)


def test_the_same_paths_as_regulink_path_for_20_random_pairs(browser, seeds, seeds_html):
    ids = sorted(seeds.entities)
    rng = random.Random(20)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(20)]
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        # Twenty random pairs, and two authorities that share standing bodies.
        for a, b in [*pairs, ("hkma", "mas")]:
            assert path_of(v, a, b) == cli_path(seeds, a, b), (a, b)
            # "also: both member of ...": the standing bodies both ends share, as the CLI.
            if path_of(v, a, b):
                also = {
                    (x["type"], x["direction"], x["entity"])
                    for x in js(v, "() => window.regulink.path().also")
                }
                assert also == {
                    (x["type"], x["direction"], e)
                    for x in api.path(seeds, a, b)["also"]
                    for e in x["entities"]
                }, (a, b)
        # The alternatives too: "next path" walks regulink path -k 3's list.
        a, b = pairs[0]
        want = [
            [[a] + [h["to"] for h in p["hops"]], p["cost"]]
            for p in api.path(seeds, a, b, k=3)["paths"]
        ]
        got = js(
            v,
            """([a, b]) => { const out = []; let h = window.regulink.findPath(a, b);
            while (h && out.length < 3) { const p = window.regulink.path();
              out.push([p.nodes, p.cost]); h = window.regulink.nextPath(); }
            return out; }""",
            [a, b],
        )
        assert got == want
        assert_clean(v)


def test_expand_brings_in_the_ring_the_page_holds(browser, seeds):
    page = build_page(seeds, focus="MAS", hops=1)
    view = select(seeds, focus="MAS", hops=1)
    G = view.graph
    drawn = set(view.drawn.nodes)
    substantive = [(u, w) for u, w, c in G.edges(data="cls") if c == "substantive"]
    beyond = {
        n: {w for u, w in substantive if u == n} | {u for u, w in substantive if w == n}
        for n in drawn
    }
    target = max(sorted(drawn - {"mas"}), key=lambda n: len(beyond[n] - drawn))
    want = beyond[target] - drawn
    assert want  # the page holds a ring more than it draws
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        assert set(js(v, "() => window.regulink.nodes.getIds()")) == set(G)
        assert "one ring of entities more" in v.page.locator("#legend").text_content()
        added = js(v, "id => window.regulink.expand(id)", target)
        assert set(added) == want
        shown = set(
            js(v, "() => window.regulink.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
        )
        assert shown == drawn | want
        js(v, "() => window.regulink.undo()")
        shown = set(
            js(v, "() => window.regulink.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
        )
        assert shown == drawn
        # Hide a kind, then show everything again.
        js(v, "() => window.regulink.hideKind('project')")
        kinds = {
            seeds.entities[n].kind
            for n in js(
                v, "() => window.regulink.nodes.get({filter: n => !n.hidden}).map(n => n.id)"
            )
        }
        assert "project" not in kinds
        js(v, "() => window.regulink.showAll()")
        assert (
            set(js(v, "() => window.regulink.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))
            == drawn
        )
        assert_clean(v)


def test_the_timeline_draws_what_render_as_of_draws(browser, seeds, seeds_html):
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        previous = None
        for date in ("2016", "2020-06", "2023"):
            js(v, "d => window.regulink.setAsOf(d)", date)
            page = build_page(seeds, as_of=date)
            c = js(v, "() => window.regulink.visibleCounts()")
            assert (c["nodes"], c["edges"]) == (page.nodes, page.edges), date
            assert (
                js(v, "() => window.regulink.leftOut()") == select(seeds, as_of=date).drawn.left_out
            )
            label = v.page.locator("#time-label").text_content()
            instant = regulink.graph.semantics.instant(date).isoformat()
            assert label == f"in force at {instant}"
            if previous:
                was = relation_mask(seeds, as_of=previous)
                now = relation_mask(seeds, as_of=date)
                step = js(v, "() => window.regulink.lastStep")
                assert (step["began"], step["ended"]) == (
                    int((now & ~was).sum()),
                    int((was & ~now).sum()),
                )
                assert (
                    f"{step['began']} began, {step['ended']} ended"
                    in v.page.locator("#time-counter").text_content()
                )
            previous = date
        # The slider and play/pause drive the same function.
        v.page.locator("#timeline").fill("2018")
        assert js(v, "() => window.regulink.core.user.instant") == "2018-12-31"
        v.page.locator("#play").click()
        v.page.wait_for_function("() => window.regulink.core.user.instant !== '2018-12-31'")
        v.page.locator("#play").click()  # pause
        assert v.page.locator("#play").get_attribute("aria-label") == "Play the timeline"
        v.page.locator("#all-dates").click()
        c = js(v, "() => window.regulink.visibleCounts()")
        assert (c["nodes"], c["edges"]) == (build_page(seeds).nodes, build_page(seeds).edges)
        assert_clean(v)


def test_the_view_survives_a_reload_and_a_copied_link(browser, seeds, seeds_html):
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        v.page.locator('#filter-kind input[value="person"]').uncheck()
        js(v, "() => window.regulink.hide('bis')")
        js(v, "() => window.regulink.setAsOf('2023')")
        js(v, "() => window.regulink.setStructural(true)")
        js(v, "() => window.regulink.findPath('finma', 'banque-de-france')")
        js(v, "() => window.regulink.nextPath()")
        js(v, "() => window.regulink.selectNode('mas')")
        js(v, "() => window.regulink.saveState()")

        def state():
            return js(
                v,
                """() => { const r = window.regulink, u = r.core.user;
                return {hidden: r.hidden(), asOf: u.asOf, structural: u.structural,
                  path: r.path() && [r.path().nodes, r.path().index], selected: r.selected,
                  person: document.querySelector('#filter-kind input[value="person"]').checked,
                  counts: r.visibleCounts()}; }""",
            )

        before = state()
        url = v.page.url
        assert before["path"][1] == 1 and before["selected"] == "mas"
        v.page.reload()
        v.wait_ready(READY_MS)
        v.page.wait_for_function("() => window.regulink.selected === 'mas'")
        assert state() == before
        assert_clean(v)
    # The same file, opened from the copied link in a fresh browser context.
    with visit(browser, seeds_html) as v:
        v.page.goto("about:blank")
        v.page.goto(url)
        v.wait_ready(READY_MS)
        v.page.wait_for_function("() => window.regulink.selected === 'mas'")
        assert js(v, "() => window.regulink.path().nodes") == before["path"][0]
        assert js(v, "() => window.regulink.hidden()") == ["bis"]
        assert_clean(v)


def test_exports_png_svg_and_csv(browser, seeds_html):
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        url = js(v, "() => window.regulink.exportPNG()")
        assert url.startswith("data:image/png;base64,")
        png = base64.b64decode(url.split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width > 100 and height > 100
        # Not a blank picture: many pixels are neither white nor transparent.
        inked = js(
            v,
            """u => new Promise(done => { const i = new Image(); i.onload = () => {
            const c = document.createElement('canvas'); c.width = i.width; c.height = i.height;
            const x = c.getContext('2d'); x.drawImage(i, 0, 0);
            const d = x.getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let k = 0; k < d.length; k += 4) if (d[k] + d[k + 1] + d[k + 2] < 600) n++;
            done(n); }; i.src = u; })""",
            url,
        )
        assert inked > 1000
        with v.page.expect_download() as dl:
            v.page.locator("#export-png").click()
        assert Path(dl.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        svg = ET.fromstring(js(v, "() => window.regulink.exportSVG()"))
        circles = svg.findall(".//{http://www.w3.org/2000/svg}circle")
        assert len(circles) == js(v, "() => window.regulink.visibleCounts().nodes")
        out = js(v, "() => window.regulink.exportCSV()")
        rows = list(csv.reader(io.StringIO(out["relations"])))
        assert len(rows) - 1 == js(v, "() => window.regulink.visibleCounts().edges")
        assert len(list(csv.reader(io.StringIO(out["entities"])))) - 1 == js(
            v, "() => window.regulink.visibleCounts().nodes"
        )
        assert_clean(v)


def test_a_kind_has_the_same_colour_on_every_page(browser, seeds):
    def colours(html):
        with visit(browser, html) as v:
            v.wait_ready(READY_MS)
            got = js(
                v,
                """() => { const r = window.regulink, out = {};
                r.data.nodes.forEach(n => { const c = n.color.background || n.color;
                  out[r.data.info[n.id].kind] = c; }); return out; }""",
            )
            legend = js(
                v,
                """() => Array.from(document.querySelectorAll('#legend .legend-list li'))
                .filter(li => !li.hidden).map(li => [li.textContent.replace(/ \\(\\d+\\)$/, ''),
                  li.querySelector('.dot').style.backgroundColor])""",
            )
            assert_clean(v)
            return got, dict(legend)

    full, full_legend = colours(build_page(seeds).html)
    focus, focus_legend = colours(build_page(seeds, focus="BIS", hops=1).html)
    shared = set(full) & set(focus)
    assert len(shared) >= 3 and all(full[k] == focus[k] for k in shared)
    assert all(full_legend[k] == focus_legend[k] for k in set(full_legend) & set(focus_legend))


def test_search_folds_as_the_cli_and_forgives_typos(browser, seeds, seeds_html):
    names = [
        x for e in seeds.entities.values() for x in (e.id, e.name, e.short_name, *e.aliases) if x
    ]
    names += [
        "Straße",
        "ẞ",
        "ΟΔΟΣ",
        "Ǆemal",
        "İstanbul",
        "Bankacılık",  # noqa: RUF001  (look-alikes on purpose)
        "Ｆｕｌｌ　ｗｉｄｔｈ",  # noqa: RUF001  (look-alikes on purpose)
        "naïve_café",
        "x—y",
        "ᏣᎳᎩ ꮳꮃꭹ",
        "ᲀᲇ",
    ]
    with visit(browser, seeds_html) as v:
        v.wait_ready(READY_MS)
        folded = js(v, "xs => xs.map(x => window.regulink.fold(x))", names)
        assert folded == [normalize(x) for x in names]
        box = v.page.locator("#search")
        for typed, want in (
            ("Finnma", "finma"),
            ("Fimna", "finma"),
            ("finma", "finma"),
            ("Eidgenössische Finanzmarktaufsicht", "finma"),
            ("新加坡金融管理局", "mas"),
        ):
            box.fill(typed)
            first = v.page.locator("#search-results li.result").first
            first.wait_for()
            assert first.get_attribute("data-id") == want, typed
            if typed != "Fimna":
                # The CLI's first hit too. (For "Fimna" graph/search.py's scorer ranks
                # Finansinspektionen, FSA, FSB... and not FINMA; the page compares words.)
                assert want == api.find(seeds, typed)[0].id
        # Keyboard: next and previous result, Enter chooses, Escape empties the box.
        box.fill("Project")
        v.page.locator("#search-results li.result").first.wait_for()
        ids = [
            li.get_attribute("data-id") for li in v.page.locator("#search-results li.result").all()
        ]
        box.press("ArrowDown")
        box.press("ArrowDown")
        box.press("ArrowUp")
        assert v.page.locator("#search-results li.active").get_attribute("data-id") == ids[1]
        box.press("Enter")
        v.page.wait_for_function(f"() => window.regulink.selected === {ids[1]!r}")
        # A selection made elsewhere empties the box.
        js(v, "() => window.regulink.selectNode('mas')")
        assert box.input_value() == ""
        box.fill("fimna")
        box.press("Escape")
        assert box.input_value() == "" and v.page.locator("#search-results").is_hidden()
        v.page.locator("body").press("/")
        assert js(v, "() => document.activeElement.id") == "search"
        # The path's From and To boxes use the same search.
        v.page.locator("#path-from").fill("Finnma")
        v.page.locator("#path-from").press("Enter")
        v.page.locator("#path-to").fill("Banque de France")
        v.page.locator("#path-to").press("Enter")
        assert js(v, "() => window.regulink.path().nodes")[
            :: len(js(v, "() => window.regulink.path().nodes")) - 1
        ] == ["finma", "banque-de-france"]
        assert_clean(v)


def test_controls_have_accessible_names_and_counters_tell_the_truth(browser, seeds):
    page = build_page(seeds, collapse="community")
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        js(v, "() => window.regulink.selectNode('mas')")
        nameless = js(
            v,
            """() => Array.from(document.querySelectorAll(
            'button, input, [role=combobox], [role=listbox]')).filter(x => !(
            x.getAttribute('aria-label') || x.textContent.trim() ||
            (x.labels && x.labels.length && x.labels[0].textContent.trim()) ||
            (x.closest('label') && x.closest('label').textContent.trim())))
            .map(x => x.outerHTML)""",
        )
        assert nameless == []
        c = js(v, "() => window.regulink.visibleCounts()")
        text = v.page.locator("#counts").text_content()
        assert c["clusters"] and f"{c['clusters']} groups, {c['links']} group links" in text
        assert f"{c['nodes']} of {c['totalNodes']} entities" in text
        assert_clean(v)


def test_injected_markup_stays_text_in_every_new_control(browser, tmp_path):
    facts = regulink.load_facts([write_xss_world(tmp_path / "xss")])
    page = build_page(facts, structural=True)
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        hops = js(v, "() => window.regulink.findPath('good-bank', 'plain-project')")
        assert [h["to"] for h in hops] == ["evil-reg", "plain-project"]
        panel = v.page.locator("#panel")
        text = panel.text_content()
        assert "<script>window.__xss=6</script> note" in text and "</script><script>" in text
        legend = v.page.locator("#legend .path-note").text_content()
        assert "</script><script>window.__xss=2</script>" in legend
        js(v, "() => window.regulink.hide('evil-reg')")
        assert (
            "</script><script>window.__xss=2</script>"
            in v.page.locator("#hidden-list").text_content()
        )
        js(v, "() => window.regulink.undo()")
        js(v, "() => window.regulink.setAsOf('2023')")
        assert v.page.locator("#time-label").text_content() == "in force at 2023-12-31"
        v.page.locator("#path-from").fill("img src")
        v.page.locator("#path-from-results li.result").first.wait_for()
        assert v.page.locator("#path-from-results .result-name").first.text_content() == XSS_NAME
        v.page.locator("#path-from").press("Escape")
        js(v, "() => window.regulink.setAsOf(null)")
        out = js(v, "() => window.regulink.exportCSV()")
        ents = {r[0]: r for r in csv.reader(io.StringIO(out["entities"]))}
        assert ents["evil-reg"][1] == XSS_NAME  # text, as it is
        assert ents["formula-firm"][1] == "'" + CSV_NAME  # defused for spreadsheets
        assert ents["formula-firm"][2] == "'@SUM(A1:A9)"
        for line in (out["entities"] + out["relations"]).splitlines():
            for cell in next(csv.reader([line])):
                assert not cell or cell[0] not in "=+-@\t\r", cell
        with v.page.expect_download() as dl:
            v.page.locator("#export-csv").click()
        with open(dl.value.path(), encoding="utf-8-sig", newline="") as fh:
            saved = fh.read()
        assert saved in (out["entities"], out["relations"])
        svg = js(v, "() => window.regulink.exportSVG()")
        assert "<img" not in svg and "<script" not in svg
        v.page.wait_for_timeout(300)
        assert js(v, "() => typeof window.__xss") == "undefined"
        injected = js(
            v,
            "() => document.querySelectorAll('#panel img, #panel script, "
            "#panel iframe, #hidden-list img, #legend img, #filters img, "
            "#filters svg').length",
        )
        assert injected == 0
        assert_clean(v)


def test_a_5000_entity_page_answers_paths_and_the_timeline(browser):
    facts = synthetic_facts(5000)
    page = build_page(facts)
    ids = sorted(facts.entities)
    rng = random.Random(5)
    with visit(browser, page.html) as v:
        v.wait_ready(READY_MS)
        for a, b in [tuple(rng.sample(ids, 2)) for _ in range(3)]:
            assert path_of(v, a, b) == cli_path(facts, a, b), (a, b)
        js(v, "() => window.regulink.clearPath()")  # a path draws its structural links too
        js(v, "() => window.regulink.setAsOf('2015')")
        v.page.locator("#expand-all").click()  # opens collapsed: count every entity drawn
        c = js(v, "() => window.regulink.visibleCounts()")
        want = build_page(facts, as_of="2015")
        assert (c["nodes"], c["edges"]) == (want.nodes, want.edges)
        assert_clean(v)
        assert PAGE_URL in v.requests
