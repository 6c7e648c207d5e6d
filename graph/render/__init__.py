"""The interactive HTML explorer: one self-contained, offline page per graph view.

>>> import regulink
>>> page = build_page(regulink.load_facts(), focus="MAS", hops=1)
>>> page.nodes > 1 and page.html.startswith("<!DOCTYPE html>")
True
"""

from regulink.graph.render.clusters import COLLAPSE, COLLAPSE_AUTO_NODES
from regulink.graph.render.page import PHYSICS_MAX_NODES, Page, build_page, render_view
from regulink.graph.render.style import COLOR_BY, SIZE_BY
from regulink.graph.render.view import RenderError, View, select

__all__ = [
    "COLLAPSE",
    "COLLAPSE_AUTO_NODES",
    "COLOR_BY",
    "PHYSICS_MAX_NODES",
    "SIZE_BY",
    "Page",
    "RenderError",
    "View",
    "build_page",
    "render_view",
    "select",
]
