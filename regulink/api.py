"""The Python API: one function per CLI verb, taking paths or facts, returning data.

The CLI (:mod:`regulink.cli`) only parses options, calls one of these and formats the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable

from regulink.errors import Problem
from regulink.graph.build import to_networkx
from regulink.graph.model import FactBase
from regulink.graph.search import Match, SearchIndex
from regulink.graph.summary import describe, stats
from regulink.loaders.seeds import bundled_seeds_dir, default_seed_paths
from regulink.loaders.validate import check, load_facts
from regulink.store_api import LoadReport, load, open_store, query, saved_queries

__all__ = [
    "ValidationReport",
    "validate",
    "load_facts",
    "stats",
    "find",
    "show",
    "to_networkx",
    "path",
    "analyze",
    "report_markdown",
    "brokers",
    "render",
    "bundled_seeds_dir",
    "default_seed_paths",
    "LoadReport",
    "open_store",
    "load",
    "query",
    "saved_queries",
]

Paths = Iterable[str | os.PathLike] | None


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """What ``validate`` found: the files read, every problem, and the facts if valid."""

    files: tuple[str, ...]
    problems: list[Problem]
    facts: FactBase | None

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(paths: Paths = None) -> ValidationReport:
    """Check fact files and folders (default: the bundled seeds) and report every problem."""
    facts, problems = check(default_seed_paths() if paths is None else paths)
    return ValidationReport(facts.files, problems, None if problems else facts)


def find(facts: FactBase, text: str, *, limit: int = 10) -> list[Match]:
    """Entities matching ``text`` by id, name, abbreviation or alias, best first."""
    return SearchIndex(facts).find(text, limit=limit)


def show(facts: FactBase, entity: str) -> dict:
    """One entity (by id, name, abbreviation or alias) with all its relations and sources.

    Raises ``EntityNotFound`` or ``AmbiguousEntity`` when ``entity`` names none or several.
    """
    ent = SearchIndex(facts).resolve(entity)
    return describe(facts, ent.id)


# --- paths and analytics (issue 5) -------------------------------------------------------

def _source_brief(facts: FactBase, source_id: str) -> dict:
    s = facts.sources.get(source_id)
    if s is None:  # a hand-built graph may cite sources the facts do not hold
        return {"id": source_id, "title": None, "publisher": None, "date": None, "url": None}
    return {"id": s.id, "title": s.title, "publisher": s.publisher, "date": s.date,
            "url": s.url}


def _check_vocabulary(values, known, what: str) -> None:
    unknown = sorted(set(values or ()) - set(known))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")


def path(facts: FactBase, from_: str, to: str, *, all_shortest: bool = False,
         k: int | None = None,
         max_hops: int | None = None, types: Iterable[str] | None = None,
         exclude_types: Iterable[str] | None = None,
         exclude_kinds: Iterable[str] | None = None, via: str | None = None,
         as_of: str | None = None, directed: bool = False) -> dict:
    """How ``from_`` is connected to ``to``, hop by hop, with each hop's sources.

    ``from_``, ``to`` and ``via`` are ids, names, abbreviations or aliases. Default: one
    shortest path over the undirected graph; ``all_shortest=True`` every shortest path (at most
    100); ``k=N`` the N shortest simple paths. Returns ``{"from", "to", "paths": [{"length",
    "hops": [{"from", "to", "type", "direction", "start", "end", "sources": [{"id", "title",
    "publisher", "date", "url"}], "note"}]}]}``.

    Raises ``EntityNotFound``/``AmbiguousEntity`` for a name, ``NoPath`` when nothing joins
    them under the filters (its ``unfiltered`` says whether something would without them),
    ``ValueError`` for an unknown type or kind or contradictory options.
    """
    from regulink.graph.paths import find_paths
    from regulink.graph.schema import load_schema

    schema = load_schema()
    types = list(types) if types else None
    _check_vocabulary(types, schema.relation_types, "relation type")
    _check_vocabulary(exclude_types, schema.relation_types, "relation type")
    _check_vocabulary(exclude_kinds, schema.kinds, "kind")
    if all_shortest and k is not None:
        raise ValueError("choose either all shortest paths or k paths, not both")
    index = SearchIndex(facts)
    a, b = index.resolve(from_).id, index.resolve(to).id
    v = index.resolve(via).id if via is not None else None
    G = to_networkx(facts)
    mode = "all" if all_shortest else "k" if k is not None else "shortest"
    found = find_paths(G, a, b, mode=mode, k=k or 1, max_hops=max_hops, via=v, types=types,
                       exclude_types=exclude_types, exclude_kinds=exclude_kinds,
                       as_of=as_of, directed=directed)
    return {"from": a, "to": b, "paths": [
        {"length": len(hops), "hops": [
            {"from": h["from"], "to": h["to"], "type": h["type"], "direction": h["direction"],
             "start": h["start"], "end": h["end"],
             "sources": [_source_brief(facts, s) for s in h["sources"]], "note": h["note"]}
            for h in hops]}
        for hops in found]}


def analyze(facts: FactBase, *, top: int = 10, as_of: str | None = None,
            seed: int = 42) -> dict:
    """Centrality, communities, brokers, the jurisdiction matrix, likely next partners and
    growth of the relation graph (only relations in force at ``as_of`` if given).

    See :func:`regulink.graph.analytics.analyze` for the shape; ``report_markdown`` turns the
    result into a Markdown document.
    """
    from regulink.graph import analytics

    return analytics.analyze(to_networkx(facts, as_of=as_of), top=top, seed=seed)


def report_markdown(result: dict, *, title: str = "Network analysis") -> str:
    """An ``analyze`` result as a Markdown report."""
    from regulink.graph import analytics

    return analytics.to_markdown(result, title=title)


def brokers(facts: FactBase, a: str | None = None, b: str | None = None, *, top: int = 10,
            as_of: str | None = None) -> dict:
    """Who holds the network together.

    Without jurisdictions: bridges and articulation points (see
    :func:`regulink.graph.analytics.brokers`). With two jurisdiction codes ``a`` and ``b``
    (``"SG"``, ``"CH"``): the entities on most shortest paths between their entities (see
    :func:`regulink.graph.analytics.jurisdiction_brokers`). Raises ``ValueError`` for an
    unknown code, a single one, or the same one twice.
    """
    from regulink.graph import analytics
    from regulink.graph.schema import load_schema

    G = to_networkx(facts, as_of=as_of)
    if a is None and b is None:
        return analytics.brokers(G, top=top)
    if a is None or b is None:
        raise ValueError("give two jurisdictions, or none")
    a, b = a.upper(), b.upper()
    _check_vocabulary([a, b], load_schema().jurisdictions, "jurisdiction")
    return analytics.jurisdiction_brokers(G, a, b, top=top)


def render(facts: FactBase, *, focus: str | None = None, hops: int = 1,
           path: tuple[str, str] | None = None, color_by: str = "kind",
           size_by: str = "degree", as_of: str | None = None,
           kinds: Iterable[str] | None = None, types: Iterable[str] | None = None,
           title: str | None = None):
    """The interactive explorer: a :class:`~regulink.graph.render.Page` (one offline HTML file).

    ``page.write("regulink.html")`` saves it; in Jupyter the page displays inline. Options as
    for ``regulink render`` (see :func:`regulink.graph.render.build_page`). Raises
    ``RenderError`` (a ``ValueError``) for an option that cannot be honoured, and
    ``EntityNotFound`` / ``AmbiguousEntity`` for a name.
    """
    from regulink.graph.render import build_page

    return build_page(facts, focus=focus, hops=hops, path=path, color_by=color_by,
                      size_by=size_by, as_of=as_of,
                      kinds=list(kinds) if kinds is not None else None,
                      types=list(types) if types is not None else None, title=title)
