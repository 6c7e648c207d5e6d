"""Every analytic at once, as one dict, and that dict as a Markdown report.

Examples
--------
>>> import networkx as nx
>>> G = nx.path_graph(4)
>>> r = analyze(G, top=2)
>>> r["graph"]
{'entities': 4, 'relations': 3, 'links': 3, 'components': 1, 'largest_component': 4, 'isolated': 0}
>>> [b["cut_off"] for b in r["brokers"]["bridges"]]
[2, 1]
>>> to_markdown(r).splitlines()[0]
'# Network analysis'
"""

from __future__ import annotations

import numpy as np

from regulink.graph.analytics._common import as_compact
from regulink.graph.analytics.brokers import brokers
from regulink.graph.analytics.centrality import centrality
from regulink.graph.analytics.communities import communities
from regulink.graph.analytics.growth import growth
from regulink.graph.analytics.matrix import jurisdiction_matrix
from regulink.graph.analytics.prediction import likely_partners

__all__ = ["analyze", "to_markdown"]

MEASURES = ("degree", "pagerank", "betweenness", "eigenvector")


def analyze(G, *, top: int = 10, seed: int = 42) -> dict:
    """Run every analytic on ``G`` (not modified) and gather the results.

    Parameters
    ----------
    G : networkx.Graph or CompactGraph
        Usually the :class:`~regulink.graph.compact.CompactGraph` of the facts; built once
        (from a networkx graph if given one) and shared by every analytic.
    top : int
        Rows per list (entities per measure, communities, bridges, pairs...).
    seed : int
        Seed of every randomised step (Leiden, sampled betweenness).

    Returns
    -------
    dict
        ``graph`` (sizes), ``centrality``, ``communities``, ``brokers``, ``matrix``,
        ``partners`` and ``growth``: the results of the functions of the same names in
        :mod:`regulink.graph.analytics`. "Degree" is the number of distinct entities linked.
    """
    C = as_compact(G)
    sizes = np.bincount(C.components) if C.n else np.zeros(0, np.int64)
    return {
        "graph": {
            "entities": C.n,
            "relations": C.m,
            "links": len(C.links[0]),
            "components": len(sizes),
            "largest_component": int(sizes.max(initial=0)),
            "isolated": int((sizes == 1).sum()),
        },
        "centrality": centrality(C, top=top, seed=seed),
        "communities": communities(C, seed=seed, top=top, members=5),
        "brokers": brokers(C, top=top),
        "matrix": jurisdiction_matrix(C, top=top),
        "partners": likely_partners(C, top=top),
        "growth": growth(C),
    }


def _md_escape(text) -> str:
    return str(text).replace("|", "\\|")


def _table(header: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in rows]
    return [*out, ""]


def _who(r: dict) -> str:
    return f"{r['name']} ({r['id']}, {r['jurisdiction']})"


def to_markdown(report: dict, *, title: str = "Network analysis") -> str:
    """A Markdown document of an :func:`analyze` result: one section per analytic."""
    g = report["graph"]
    lines = [
        f"# {title}",
        "",
        f"{g['entities']} entities, {g['relations']} relations ({g['links']} linked "
        f"pairs), {g['components']} components; the largest holds "
        f"{g['largest_component']} entities, {g['isolated']} are isolated.",
        "",
    ]
    c = report["centrality"]
    lines += ["## Centrality", ""]
    lines += ["Degree is the number of distinct entities an entity is linked to.", ""]
    if not c["betweenness_exact"]:
        lines += [
            f"Betweenness is estimated from {c['betweenness_samples']} sampled "
            f"sources (seed {c['betweenness_seed']}).",
            "",
        ]
    for m in MEASURES:
        lines += [f"### {m.capitalize()}", ""]
        lines += _table(
            ["#", "entity", "kind", "score"],
            [[i, _who(r), r["kind"], r["score"]] for i, r in enumerate(c[m], 1)],
        )
    cm = report["communities"]
    lines += [
        "## Communities",
        "",
        f"{cm['count']} communities (Leiden, modularity {cm['modularity']}), "
        f"{cm['singletons']} isolated entities.",
        "",
    ]
    lines += _table(
        ["#", "size", "jurisdictions", "kinds", "best connected"],
        [
            [
                i,
                x["size"],
                ", ".join(f"{k} {n}" for k, n in x["jurisdictions"].items()),
                ", ".join(f"{k} {n}" for k, n in x["kinds"].items()),
                ", ".join(map(str, x["members"])),
            ]
            for i, x in enumerate(cm["communities"], 1)
        ],
    )
    b = report["brokers"]
    lines += [
        "## Brokers",
        "",
        f"{b['bridge_count']} bridges and {b['articulation_count']} articulation "
        "points; those cutting off most entities:",
        "",
    ]
    lines += _table(
        ["bridge", "cut off"],
        [[f"{_who(x['a'])} – {_who(x['b'])}", x["cut_off"]] for x in b["bridges"]],
    )
    lines += _table(
        ["articulation point", "pieces", "cut off"],
        [[_who(x), x["pieces"], x["cut_off"]] for x in b["articulation_points"]],
    )
    lines += ["## Jurisdictions", ""]
    lines += _table(
        ["pair", "direct", "shared", "through"],
        [
            [f"{p['a']}–{p['b']}", p["direct"], p["shared"], ", ".join(map(str, p["through"]))]
            for p in report["matrix"]["pairs"]
        ],
    )
    lines += [
        "## Likely next partners",
        "",
        "Actors not yet working together (no relation, no shared project or "
        "programme), ranked by Adamic-Adar over the neighbours they share.",
        "",
    ]
    lines += _table(
        ["pair", "score", "because of"],
        [
            [f"{_who(p['a'])} – {_who(p['b'])}", p["score"], ", ".join(map(str, p["because"]))]
            for p in report["partners"]["predictions"]
        ],
    )
    gr = report["growth"]
    lines += ["## Growth", "", f"New relations per year ({gr['undated']} undated).", ""]
    lines += _table(
        ["year", "new", "total"], [[y, n, gr["cumulative"][y]] for y, n in gr["by_year"].items()]
    )
    return "\n".join(lines).rstrip() + "\n"
