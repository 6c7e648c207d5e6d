"""The explorer page: one self-contained HTML file built from a :class:`~.view.View`.

pyvis assembles the vis-network node and edge records and options; our own template (not
pyvis's, which loads Bootstrap and tom-select from CDNs and writes fact text into the page as
HTML) lays out the page. All fact text travels in one JSON block, escaped so that nothing in
it can close the script element, and the page's script puts it on screen with
``textContent`` only, so a name such as ``<img src=x onerror=alert(1)>`` stays text.

Examples
--------
>>> from regulink.graph.model import Entity, FactBase, Relation, Source
>>> fb = FactBase(
...     entities={"a": Entity("a", "regulator", "<b>A</b>", None, (), "SG"),
...               "b": Entity("b", "project", "B", None, (), "INT")},
...     relations=[Relation("participates_in", "a", "b", "2023", None, None, None, ("s",))],
...     sources={"s": Source("s", "news", "P", "T", None, None)})
>>> page = build_page(fb)
>>> page.nodes, page.edges
(2, 1)
>>> "<b>A</b>" in page.html, "\\\\u003cb\\\\u003eA" in page.html
(False, True)
"""

from __future__ import annotations

import html
import json
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from regulink.graph.model import FactBase
from regulink.graph.render.clusters import COLLAPSE, Grouping, collapse_mode, group
from regulink.graph.render.layout import force_layout
from regulink.graph.render.scope import left_out_text
from regulink.graph.render.style import (
    COLOR_BY,
    SIZE_BY,
    kind_colours,
    node_colours,
    node_sizes,
)
from regulink.graph.render.view import (
    PAGE_MAX_RELATIONS,
    RenderError,
    View,
    check_page_size,
    select,
)
from regulink.graph.schema import load_schema
from regulink.graph.search import normalize
from regulink.graph.semantics import STRUCTURAL_PENALTY, WEIGHT_SCALE, hub_cost, tiebreak

__all__ = [
    "PAGE_MAX_RELATIONS",
    "PHYSICS_MAX_NODES",
    "Page",
    "build_page",
    "render_view",
    "vis_assets",
]

#: Up to this many nodes the browser lays the graph out (vis-network physics, stopped once
#: stable); above it, positions are computed in Python and physics stays off. Measured with
#: tests/browser/bench_render.py: see the README's "Interactive explorer" section.
PHYSICS_MAX_NODES = 300
#: Stabilisation steps in the browser: 200 give a settled picture of the seeds (~220
#: entities) in about 3 s on a 2-core machine; 600 took 6 s for no visible gain.
PHYSICS_ITERATIONS = 200

PATH_COLOUR = "#d62728"
EDGE_COLOUR = "#9aa5b1"
CLUSTER_BORDER = "#243b53"


class _IdList(list):
    """A list (as pyvis keeps it) that answers ``in`` from a set."""

    def __init__(self):
        super().__init__()
        self._members: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item) -> bool:
        return item in self._members


class _Network(Network):
    """pyvis's Network with constant-time node look-ups.

    Its ``add_edge`` checks both ends with ``in self.get_nodes()``, a list: quadratic, 1.5 s
    of a 5,000-entity page. A view of the node map answers the same question at once. Its
    ``add_node`` checks ``in self.node_ids``, a list too: 34 s of a 50,000-entity page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.node_ids = _IdList()

    def get_nodes(self):
        return self.node_map.keys()


@dataclass(frozen=True, slots=True)
class Page:
    """A rendered explorer page: ``html`` is the whole file, ``seconds`` the time it took.

    As the last expression of a notebook cell it displays inline.
    """

    html: str
    title: str
    nodes: int
    edges: int
    seconds: float
    #: Cluster nodes the page opens with, and what they group (``None``: not collapsed).
    clusters: int = 0
    collapsed_by: str | None = None
    #: Entities and relations the page holds (``nodes``/``edges``: those it draws first).
    entities: int = 0
    relations: int = 0
    #: What the first picture leaves out and why; why it may look empty.
    note: str = ""
    warnings: tuple[str, ...] = ()

    def write(self, path: str | Path) -> Path:
        """Write the page (UTF-8) and return its path."""
        p = Path(path)
        p.write_text(self.html, encoding="utf-8")
        return p

    def _repr_html_(self) -> str:
        # An iframe keeps the page's script and styles away from the notebook's own; sandboxed
        # without same-origin, the page cannot reach the notebook even if something slipped.
        return (
            '<iframe class="regulink-explorer" style="width:100%;height:640px;border:1px '
            'solid #ddd" sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"'
            f' title="{html.escape(self.title)}" srcdoc="{html.escape(self.html)}"></iframe>'
        )

    def __repr__(self) -> str:
        return (
            f"<Page {self.title!r}: {self.nodes} of {self.entities} entities, "
            f"{self.edges} of {self.relations} relations drawn>"
        )


@cache
def vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as bundled inside the installed pyvis (newest version there).

    Read from the package, never fetched: the page must work on a machine with no network.
    """
    lib = resources.files("pyvis") / "templates" / "lib"
    versions = sorted(
        (d for d in lib.iterdir() if d.name.startswith("vis-")),
        key=lambda d: tuple(int(x) for x in d.name[4:].split(".") if x.isdigit()),
    )
    if not versions:
        raise RenderError("vis-network is missing from the installed pyvis package")
    d = versions[-1]
    return (
        (d / "vis-network.min.js").read_text("utf-8"),
        (d / "vis-network.css").read_text("utf-8"),
    )


@cache
def _template() -> jinja2.Template:
    here = resources.files("regulink.graph.render") / "assets"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string((here / "explorer.html").read_text("utf-8"))


#: The page's own scripts, in load order: pure helpers, the core, the tools built on it.
_SCRIPTS = ("search.js", "paths.js", "explorer.js", "panel.js", "tools.js", "exports.js", "view.js")


@cache
def _own_assets() -> tuple[tuple[str, ...], str]:
    here = resources.files("regulink.graph.render") / "assets"
    return (
        tuple((here / f).read_text("utf-8") for f in _SCRIPTS),
        (here / "explorer.css").read_text("utf-8"),
    )


def script_json(obj) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` at all.

    >>> script_json({"n": "</script><img src=x>"})
    '{"n": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(code: str) -> str:
    # A script element ends at the first "</script", whatever JS string it sits in.
    return code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _web_url(url: str | None) -> str | None:
    # Only http(s) links reach the page: a javascript: URL in a fact file must never be live.
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def _check_choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise RenderError(f"{option} must be one of {', '.join(allowed)}, not {value!r}")


def _groups_data(grouping: Grouping, colours: dict) -> dict:
    """The clusters as the page needs them: a ready vis-network node for each, the links."""
    clusters = []
    for c in grouping.clusters:
        # Its members' commonest colour; a dark ring tells a cluster from an entity.
        colour = Counter(colours[n] for n in c.members).most_common(1)[0][0]
        # Drawn at half the width its members take when expanded, so the collapsed picture
        # keeps the proportions (area grows with the member count) of the expanded one; the
        # label grows with it, readable when the whole page is in view.
        size = round(max(18.0, c.radius / 2), 1)
        clusters.append(
            {
                "id": c.id,
                "label": c.label,
                "key": c.key,
                "members": list(c.members),
                "internal": c.internal,
                "node": {
                    "id": c.id,
                    "label": c.label,
                    "shape": "dot",
                    "size": size,
                    "x": c.centre[0],
                    "y": c.centre[1],
                    "borderWidth": 3,
                    "color": {"background": colour, "border": CLUSTER_BORDER},
                    "font": {"size": round(max(16.0, size / 2), 1)},
                },
            }
        )
    return {"by": grouping.by, "clusters": clusters, "links": grouping.links}


def _vis_options(physics: bool, n: int) -> dict:
    options = {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {
                "size": 14,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "width": 1,
            "color": {"color": EDGE_COLOUR, "highlight": "#333333", "hover": "#333333"},
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
            "smooth": False,
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": n > 1000,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
        },
        "physics": {"enabled": physics},
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 90,
                "springConstant": 0.06,
                "avoidOverlap": 0.3,
            },
            "stabilization": {
                "enabled": True,
                "iterations": PHYSICS_ITERATIONS,
                "updateInterval": 25,
                "fit": True,
            },
        }
    return options


def _colour_keys(
    G: nx.MultiDiGraph, base: nx.MultiDiGraph, color_by: str, legend: list[dict], colours: dict
) -> dict:
    """Each entity's legend entry key, so the page can count what it draws per colour."""
    if color_by in ("kind", "jurisdiction"):
        return dict(G.nodes(data=color_by))
    key_of = {e["color"]: e["key"] for e in legend}
    return {n: key_of.get(colours[n]) for n in G}


def _path_weights(G: nx.MultiDiGraph) -> dict:
    """What the page's path search weighs with, from graph/semantics.py: the hub cost of
    every degree an entity may have here, the scale and the structural penalty (each
    entity's tiebreak travels in its info). Integers, so the page's sums are exact."""
    most = max((len(set(G.predecessors(n)) | set(G.successors(n))) for n in G), default=0)
    return {
        "hub": [hub_cost(d) for d in range(most + 1)],
        "scale": WEIGHT_SCALE,
        "penalty": STRUCTURAL_PENALTY,
    }


def render_view(
    view: View,
    facts: FactBase,
    *,
    color_by: str = "kind",
    size_by: str = "degree",
    title: str | None = None,
    description: str = "",
    collapse: str = "auto",
) -> Page:
    """Build the page for ``view`` (see :func:`build_page` for the options)."""
    started = time.perf_counter()
    _check_choice("collapse", collapse, COLLAPSE)
    G, base = view.graph, view.base
    check_page_size(G.number_of_edges(), G.number_of_nodes())
    schema = load_schema()
    colours, colour_legend = node_colours(base if color_by == "community" else G, color_by)
    colour_keys = _colour_keys(G, base, color_by, colour_legend, colours)
    sizes, size_legend = node_sizes(base, size_by)
    drawn_set = view.drawn.nodes if view.drawn is not None else frozenset(G)
    # The legend counts what is drawn first; the page recounts as its controls change.
    shown = Counter(colours[node] for node in drawn_set)
    colour_legend = [dict(e, count=shown[e["color"]]) for e in colour_legend]
    n = G.number_of_nodes()
    keep = set(view.path_nodes) | ({view.focus} if view.focus else set())
    mode = collapse_mode(collapse, n)
    # The path and the focus are what the page is about: never inside a cluster.
    grouping = group(G, mode, keep=keep) if mode != "none" and n else None
    physics = n <= PHYSICS_MAX_NODES and grouping is None
    if grouping is not None:
        # Only the small graph of clusters is laid out; members fill discs around them.
        positions = grouping.positions
    else:
        positions = {} if physics else force_layout(G, scale=120.0 * n**0.5)

    # pyvis only ever sees plain values we copy out of our graph: its from_nx would rewrite
    # the caller's node attributes (size, title...), add_node/add_edge do not touch G.
    net = _Network(directed=True)
    info, rels = {}, {}
    for node, d in G.nodes(data=True):
        radius, measure = sizes.get(node, (8.0, 0))
        extra: dict[str, Any] = (
            {"x": positions[node][0], "y": positions[node][1]} if node in positions else {}
        )
        if node == view.focus:  # the page's script rings the path's entities itself
            extra["borderWidth"] = 4
            extra["color"] = {"background": colours[node], "border": PATH_COLOUR}
        else:
            extra["color"] = colours[node]
        # Hubs get bigger labels, readable when the whole graph is in view; small nodes'
        # labels appear as one zooms in (vis-network's drawThreshold).
        net.add_node(
            node,
            label=d["short_name"] or d["name"],
            shape="dot",
            size=radius,
            font={"size": round(max(14.0, radius * 0.9), 1)},
            **extra,
        )
        names = [node, d["name"], *([d["short_name"]] if d["short_name"] else []), *d["aliases"]]
        info[node] = {
            "name": d["name"],
            "short_name": d["short_name"],
            "kind": d["kind"],
            "jurisdiction": d["jurisdiction"],
            "jurisdiction_name": schema.jurisdictions.get(d["jurisdiction"], d["jurisdiction"]),
            "aliases": list(d["aliases"]),
            "url": _web_url(d["url"]),
            "description": d["description"],
            "measure": measure,
            "tb": tiebreak(node),
            "start": d["start"],
            "end": d["end"],
            "colour_key": colour_keys.get(node),
            # graph/search.py's normalize, so the page folds names exactly as the CLI does.
            "fold": [normalize(x) for x in names],
        }
    used_sources: set[str] = set()
    seen_pairs: dict[frozenset, int] = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        style: dict[str, Any] = {}
        # Straight edges are fast, but two relations between the same entities would draw
        # as one line: bend the 2nd, 3rd... alternately to either side, further each time.
        k = seen_pairs.get(frozenset((u, v)), 0)
        seen_pairs[frozenset((u, v))] = k + 1
        if k:
            # curvedCW is relative to the edge's direction: flip it for edges drawn v -> u so
            # that "either side" means the same two sides for both directions.
            clockwise = (k % 2 == 1) == (str(u) < str(v))
            style["smooth"] = {
                "enabled": True,
                "roundness": round(0.2 * ((k + 1) // 2), 2),
                "type": "curvedCW" if clockwise else "curvedCCW",
            }
        if d["cls"] == "structural":
            style["dashes"] = [4, 4]
        net.add_edge(u, v, id=key, arrows="" if d["symmetric"] else "to", **style)
        rels[key] = {
            "type": d["type"],
            "start": d["start"],
            "end": d["end"],
            "eff_start": d["eff_start"],
            "eff_end": d["eff_end"],
            "lo": d["lo"],
            "hi": d["hi"],
            "end_derived": d["end_derived"],
            "ended_with": d["ended_with"],
            "undated": d["undated"],
            "cls": d["cls"],
            "event": d["event"],
            "role": d["role"],
            "status": d["status"],
            "note": d["note"],
            "sources": list(d["sources"]),
            "symmetric": d["symmetric"],
        }
        used_sources.update(d["sources"])
    nodes, edges, _heading, _h, _w, _options = net.get_network_data()
    groups = _groups_data(grouping, colours) if grouping is not None else None

    sources = {}
    for sid in sorted(used_sources):
        s = facts.sources.get(sid)
        if s is not None:
            sources[sid] = {
                "kind": s.kind,
                "publisher": s.publisher,
                "title": s.title,
                "date": s.date,
                "url": _web_url(s.url),
            }
    kinds_present = set(nx.get_node_attributes(G, "kind").values())
    types_present = set(nx.get_edge_attributes(G, "type").values())
    jur_present = sorted(set(nx.get_node_attributes(G, "jurisdiction").values()))
    years = sorted({int(x[:4]) for r in rels.values() for x in (r["lo"], r["hi"]) if x})
    title = title or "regulink explorer"
    drawn = view.drawn
    note = left_out_text(drawn.left_out, as_of=view.as_of) if drawn else ""
    data = {
        "title": title,
        "description": description,
        "physics": physics,
        "options": _vis_options(physics, n),
        "nodes": nodes,
        "edges": edges,
        "info": info,
        "rels": rels,
        "sources": sources,
        "kinds": [
            {"name": k, "label": k.replace("_", " "), "color": c}
            for k, c in kind_colours().items()
            if k in kinds_present
        ],
        "types": [
            {
                "name": t,
                "label": rt.label,
                "inverse": rt.inverse,
                "structural": rt.structural,
                "event": rt.event,
                "via": rt.via,
            }
            for t, rt in schema.relation_types.items()
            if t in types_present
        ],
        "jurisdictions": [{"code": j, "name": schema.jurisdictions.get(j, j)} for j in jur_present],
        "years": [years[0], years[-1]] if years else None,
        "legend": {"color_by": color_by, "colours": colour_legend, "size": size_legend},
        "focus": view.focus,
        # Clusters the page opens with (null: none); "nodes" and "edges" above hold every
        # entity and relation all the same.
        "groups": groups,
        "path": {"nodes": list(view.path_nodes), "edges": [k for *_e, k in view.path_edges]},
        # How the page was made: the controls start here, the script draws from them.
        "settings": {
            "as_of": view.as_of,
            "structural": view.structural,
            "dated_only": view.dated_only,
            "avoid_hubs": view.avoid_hubs,
            "roots": list(view.roots),
            "hops": view.hops,
        },
        "drawn": {
            "nodes": len(drawn_set),
            "edges": len(drawn.edges) if drawn else len(edges),
            "note": note,
        },
        "warnings": list(view.warnings),
        "weights": _path_weights(G),
    }
    vis_js, vis_css = vis_assets()
    own_js, own_css = _own_assets()
    page = _template().render(
        title=title,
        css=Markup(vis_css + "\n" + own_css),
        vis_js=Markup(_inline_script(vis_js)),
        app_js=[Markup(_inline_script(js)) for js in own_js],
        data=Markup(script_json(data)),
    )
    return Page(
        page,
        title,
        len(drawn_set),
        data["drawn"]["edges"],
        time.perf_counter() - started,
        clusters=len(groups["clusters"]) if groups else 0,
        collapsed_by=grouping.by if grouping else None,
        entities=len(nodes),
        relations=len(edges),
        note=note,
        warnings=tuple(view.warnings),
    )


def build_page(
    facts: FactBase,
    *,
    focus: str | None = None,
    hops: int = 1,
    path: tuple[str, str] | None = None,
    color_by: str = "kind",
    size_by: str = "degree",
    as_of: str | None = None,
    kinds: Collection[str] | None = None,
    types: Collection[str] | None = None,
    title: str | None = None,
    collapse: str = "auto",
    structural: bool = False,
    dated_only: bool = False,
    exclude: Collection[str] = (),
    avoid_hubs: int | None = None,
) -> Page:
    """The explorer page for ``facts``.

    Parameters
    ----------
    focus, hops : the neighbourhood of one entity (id, name, abbreviation or alias), ``hops``
        relations deep; with ``path`` (two entities), ``hops`` is the context around the path.
        Such a page holds one ring of entities more than it draws, for "Expand".
    path : highlight the cheapest hub-aware path between two entities, in its context.
    color_by : ``"kind"``, ``"jurisdiction"`` or ``"community"`` (Leiden).
    size_by : ``"degree"``, ``"pagerank"`` or ``"betweenness"``.
    as_of : draw only what is in force at this partial date (the last day of its period);
        the page's timeline starts there and can move.
    structural : draw structural relations too (membership, location...); by default only
        substantive ones are drawn (the page can show the others).
    dated_only : leave undated relations out of the drawing.
    exclude : entities (names as on the command line) left out of the page and its paths.
    avoid_hubs : paths avoid intermediaries linked to more than this many entities.
    kinds, types : only entities of these kinds, relations of these types.
    title : the page's title.
    collapse : ``"community"`` or ``"jurisdiction"`` open the page with one cluster node per
        Leiden community or jurisdiction (double-click, search or "Expand all" open them);
        ``"none"`` draws every entity; ``"auto"`` (default) is ``"community"`` above
        :data:`~.clusters.COLLAPSE_AUTO_NODES` entities in the page, else ``"none"``. The
        path's entities and the focus are never collapsed.

    Raises
    ------
    RenderError, EntityNotFound, AmbiguousEntity
        For an option that cannot be honoured (see :func:`~.view.select`).
    """
    _check_choice("color_by", color_by, COLOR_BY)
    _check_choice("size_by", size_by, SIZE_BY)
    _check_choice("collapse", collapse, COLLAPSE)
    view = select(
        facts,
        as_of=as_of,
        kinds=kinds,
        types=types,
        focus=focus,
        hops=hops,
        path=path,
        structural=structural,
        dated_only=dated_only,
        exclude=list(exclude or ()),
        avoid_hubs=avoid_hubs,
    )

    def label(entity_id: str) -> str:
        return facts.entities[entity_id].display

    bits = []
    if view.focus:
        bits.append(f"within {hops} hop{'s' if hops != 1 else ''} of {label(view.focus)}")
    if view.path_nodes:
        bits.append(f"path {label(view.path_nodes[0])} → {label(view.path_nodes[-1])}")
    if as_of:
        bits.append(f"as of {as_of}")
    if kinds:
        bits.append("kinds: " + ", ".join(sorted(kinds)))
    if types:
        bits.append("types: " + ", ".join(sorted(types)))
    if exclude:
        bits.append("without " + ", ".join(exclude))
    return render_view(
        view,
        facts,
        color_by=color_by,
        size_by=size_by,
        title=title,
        description="; ".join(bits),
        collapse=collapse,
    )
