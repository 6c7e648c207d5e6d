"""The Python API: one function per CLI verb, taking paths or facts, returning data.

The CLI (:mod:`regulink.cli`) only parses options, calls one of these and formats the result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from regulink.errors import Problem
from regulink.graph.model import FactBase
from regulink.loaders.seeds import bundled_seeds_dir, default_seed_paths

if TYPE_CHECKING:
    from regulink.graph.analysis_base import AnalysisBase
    from regulink.graph.lint import LintReport
    from regulink.graph.pathindex import PathIndex
    from regulink.graph.search import Match
    from regulink.graph.summary import stats
    from regulink.loaders.validate import load_facts
    from regulink.store_api import (
        LoadReport,
        load,
        load_files,
        open_store,
        query,
        saved_queries,
    )

# Every CLI run imports this module, and ``regulink path`` must answer in well under a
# second at scale: the heavier modules (YAML validation, fuzzy search, the graph stores,
# numpy, networkx) are imported by the functions that use them, and the names this module
# re-exports from them on first access.
_REEXPORTED = {
    "load_facts": "regulink.loaders.validate",
    "stats": "regulink.graph.summary",
    "LoadReport": "regulink.store_api",
    "load": "regulink.store_api",
    "load_files": "regulink.store_api",
    "open_store": "regulink.store_api",
    "query": "regulink.store_api",
    "saved_queries": "regulink.store_api",
}


def __getattr__(name: str):
    module = _REEXPORTED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "LoadReport",
    "ValidationReport",
    "analysis_base",
    "analyze",
    "brokers",
    "bundled_seeds_dir",
    "default_seed_paths",
    "diff",
    "diff_dates",
    "draft",
    "draft_index",
    "export",
    "find",
    "import_csv",
    "index_answers",
    "lint",
    "load",
    "load_facts",
    "load_files",
    "open_store",
    "partners",
    "path",
    "path_index",
    "query",
    "render",
    "report_markdown",
    "saved_queries",
    "schema",
    "show",
    "stats",
    "to_networkx",
    "validate",
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
    from regulink.loaders.validate import check

    facts, problems = check(default_seed_paths() if paths is None else paths)
    return ValidationReport(facts.files, problems, None if problems else facts)


def lint(paths: Paths = None, *, select: Iterable[str] | None = None) -> LintReport:
    """Lint fact files and folders (default: the bundled seeds) against the curation rules.

    Returns every finding (:class:`regulink.graph.lint.Finding`, ``FILE:LINE:COL: message
    [rule]``) in file order; ``select`` runs only the named rules. Raises ValidationFailed
    when the files are not valid facts (validate first: lint only reads valid facts).
    """
    from regulink.errors import ValidationFailed
    from regulink.graph.lint import LintReport, locate
    from regulink.graph.lint import lint as run
    from regulink.loaders.validate import check
    from regulink.loaders.yaml_files import read_file

    facts, problems = check(default_seed_paths() if paths is None else paths)
    if problems:
        raise ValidationFailed(problems)
    issues = run(facts, select=select)
    # The files are read again only to place findings (validation keeps no positions).
    docs = [read_file(Path(f)) for f in facts.files] if issues else []
    return LintReport(facts.files, locate(issues, docs))


def find(facts: FactBase, text: str, *, limit: int = 10) -> list[Match]:
    """Entities matching ``text`` by id, name, abbreviation or alias, best first."""
    from regulink.graph.search import SearchIndex

    return SearchIndex(facts).find(text, limit=limit)


def show(facts: FactBase, entity: str) -> dict:
    """One entity (by id, name, abbreviation or alias) with all its relations and sources.

    Raises ``EntityNotFound`` or ``AmbiguousEntity`` when ``entity`` names none or several.
    """
    from regulink.graph.search import SearchIndex
    from regulink.graph.summary import describe

    ent = SearchIndex(facts).resolve(entity)
    return describe(facts, ent.id)


def to_networkx(facts: FactBase, **options):
    """The facts as a :class:`networkx.MultiDiGraph` (see
    :func:`regulink.graph.build.to_networkx`); networkx is imported on first use, so that
    commands that never need it start faster."""
    from regulink.graph.build import to_networkx as build

    return build(facts, **options)


# --- paths and analytics (issue 5) -------------------------------------------------------


def _check_vocabulary(values, known, what: str) -> None:
    unknown = sorted(set(values or ()) - set(known))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)}")


def path(
    facts: FactBase | None,
    from_: str,
    to: str,
    *,
    all_shortest: bool = False,
    k: int | None = None,
    max_hops: int | None = None,
    types: Iterable[str] | None = None,
    exclude_types: Iterable[str] | None = None,
    exclude_kinds: Iterable[str] | None = None,
    via: str | None = None,
    as_of: str | None = None,
    directed: bool = False,
    structural: bool = False,
    dated_only: bool = False,
    exclude: Iterable[str] | None = None,
    avoid_hubs: int | None = None,
    index: PathIndex | None = None,
) -> dict:
    """How ``from_`` is connected to ``to``, hop by hop, with each hop's evidence.

    ``from_``, ``to``, ``via`` and each of ``exclude`` are ids, names, abbreviations or
    aliases. The rules (:mod:`regulink.graph.routing`): substantive relations only, unless
    nothing substantive joins the two, when the fewest structural links are admitted and
    marked (``structural=True`` admits them on equal terms); the cheapest path wins, where
    entering an entity linked to *d* others costs ``1 + log2(d)``, so specific
    intermediaries beat hubs; with ``as_of`` every hop is in force on that instant (the last
    day of the period a partial date names). Default: the one cheapest path;
    ``all_shortest=True`` every path with the fewest hops (at most 100), cheapest first;
    ``k=N`` the N cheapest simple paths (N at most 100). ``exclude`` entities are never
    passed through; ``avoid_hubs=N`` passes through none linked to more than N others;
    ``dated_only`` leaves out undated relations.

    Returns ``{"from", "to", "rules", "paths": [{"length", "cost", "structural_fallback",
    "hops": [{"from", "to", "type", "direction", "class", "event", "start", "end",
    "end_derived", "ended_with", "undated", "via"?, "sources": [{"id", "title",
    "publisher", "date", "url"}], "note"}]}], "also": [{"type", "direction", "reading",
    "entities": [ids]}]}``; ``also`` lists the standing bodies both ends belong to.

    ``index``: a :class:`~regulink.graph.pathindex.PathIndex` of the same facts (see
    :func:`path_index`). With it, ``facts`` may be None when :func:`index_answers` says the
    index alone answers (every entity named exactly).

    Raises ``EntityNotFound``/``AmbiguousEntity`` for a name, ``NoPath`` when nothing joins
    them under the options (its ``unfiltered`` says whether something would without them),
    ``ValueError`` for an unknown type or kind or contradictory options.
    """
    from regulink.graph.hops import MAX_PATHS
    from regulink.graph.pathindex import PathIndex
    from regulink.graph.routing import Query, Router
    from regulink.graph.schema import load_schema

    schema = load_schema()
    types = list(types) if types else None
    _check_vocabulary(types, schema.relation_types, "relation type")
    _check_vocabulary(exclude_types, schema.relation_types, "relation type")
    _check_vocabulary(exclude_kinds, schema.kinds, "kind")
    if all_shortest and k is not None:
        raise ValueError("choose either all shortest paths or k paths, not both")
    if k is not None and not 1 <= k <= MAX_PATHS:
        raise ValueError(f"k must be between 1 and {MAX_PATHS}")
    if avoid_hubs is not None and avoid_hubs < 1:
        raise ValueError("avoid_hubs must be at least 1")
    names = [from_, to, *([via] if via is not None else []), *(exclude or ())]
    looked_up = [index.lookup(n) for n in names] if index is not None else []
    found_ids = [i for i in looked_up if i is not None]
    if index is None or len(found_ids) != len(names):  # or a name it does not know exactly
        if facts is None:
            raise ValueError("this query needs the facts, not only a path index")
        from regulink.graph.search import SearchIndex

        search = SearchIndex(facts)
        found_ids = [search.resolve(n).id for n in names]
        if index is None:
            index = PathIndex.from_facts(facts)
    a, b = found_ids[0], found_ids[1]
    v = found_ids[2] if via is not None else None
    if a == b:
        raise ValueError("a path needs two different entities")
    if {a, b} & set(found_ids[2 + (via is not None) :]):
        raise ValueError("an end of the path cannot be excluded")
    q = Query(
        types=frozenset(types) if types else None,
        exclude_types=frozenset(exclude_types or ()),
        exclude_kinds=frozenset(exclude_kinds or ()),
        exclude=frozenset(found_ids[2 + (via is not None) :]),
        structural=structural,
        as_of=as_of,
        dated_only=dated_only,
        avoid_hubs=avoid_hubs,
        max_hops=max_hops,
        directed=directed,
    )
    router = Router(index)
    if v is None and not all_shortest and k is None:
        routes = [router.cheapest(a, b, q)]
    else:
        from regulink.graph.paths import find_routes  # networkx: only for these questions

        routes = find_routes(
            router, a, b, q=q, mode="all" if all_shortest else "k", k=k or 1, via=v
        )
    brief = index.sources
    return {
        "from": a,
        "to": b,
        "rules": {
            "structural": structural,
            "as_of": as_of,
            "dated_only": dated_only,
            "exclude": sorted(q.exclude),
            "avoid_hubs": avoid_hubs,
        },
        "paths": [
            {
                "length": len(r.hops),
                "cost": r.cost,
                "structural_fallback": r.fallback,
                "hops": [
                    {
                        **{key: h[key] for key in h if key not in ("key", "sources")},
                        "sources": [brief(s) for s in h["sources"]],
                    }
                    for h in r.hops
                ],
            }
            for r in routes
        ],
        "also": router.shared(a, b, q),
    }


@overload
def path_index(paths: Paths = None, *, facts: FactBase) -> PathIndex: ...
@overload
def path_index(paths: Paths = None, *, facts: None = None) -> PathIndex | None: ...
def path_index(paths: Paths = None, *, facts: FactBase | None = None) -> PathIndex | None:
    """The saved path index of the fact files at ``paths`` (default: the bundled seeds),
    if one was saved for them as they are now; else, given ``facts`` read from those files,
    a new index of them, saved for next time (see :mod:`regulink.loaders.path_cache`).

    ``None`` when there is no valid saved index and no ``facts``, or when the caches are
    turned off (``REGULINK_CACHE=0``) and no ``facts`` are given.
    """
    from regulink.graph.pathindex import PathIndex
    from regulink.loaders.path_cache import default_path_cache

    def build(cache, files, stamp, facts: FactBase):
        index = PathIndex.from_facts(facts)
        if cache is not None:
            cache.put(files, facts, stamp, index)
        return index

    return _saved_or_built(paths, default_path_cache(), facts, build)


def _saved_or_built(
    paths: Paths, cache, facts: FactBase | None, build: Callable[[Any, Any, Any, FactBase], Any]
):
    """The entry ``cache`` holds for the fact files at ``paths`` as they are now; else,
    given the ``facts`` read from them, ``build(cache or None, files, stamp, facts)``, which saves
    what it builds; else ``None``."""
    from regulink.loaders.validate import fact_files

    files, missing = fact_files(default_seed_paths() if paths is None else paths)
    stamp = None
    if cache is not None and files and not missing:
        stamp = cache.stamp(files)
        found = cache.get(files)
        if found is not None or facts is None:
            return found
    if facts is None:
        return None
    return build(cache if stamp is not None else None, files, stamp, facts)


def index_answers(
    index: PathIndex,
    from_: str,
    to: str,
    *,
    via: str | None = None,
    exclude: Iterable[str] | None = None,
    **_options,
) -> bool:
    """Whether :func:`path` can answer from ``index`` alone: every entity it names (ends,
    ``via``, ``exclude``) named exactly (an id, or a name, abbreviation or alias as typed,
    of one entity: see :meth:`~regulink.graph.pathindex.PathIndex.lookup`). The index holds
    the relations' classes and effective dates, so every other option is answerable."""
    names = [from_, to, *([via] if via is not None else []), *(exclude or ())]
    return all(index.lookup(n) is not None for n in names)


def analysis_base(paths: Paths = None, *, facts: FactBase | None = None) -> AnalysisBase | None:
    """The saved analysis base of the fact files at ``paths`` (default: the bundled seeds):
    the facts as arrays, every analytic's starting point (see
    :mod:`regulink.graph.analysis_base`), if one was saved for them as they are now; else,
    given ``facts`` read from those files, a new one, saved for next time (see
    :mod:`regulink.loaders.analysis_cache`). ``None`` when there is none and no ``facts``,
    or when the caches are off (``REGULINK_CACHE=0``) and no ``facts`` are given."""
    from regulink.graph.analysis_base import AnalysisBase
    from regulink.loaders.analysis_cache import default_analysis_cache

    def build(cache, files, stamp, facts: FactBase):
        base = AnalysisBase.from_facts(facts)
        if cache is not None:
            cache.put(files, base, stamp)
        return base

    return _saved_or_built(paths, default_analysis_cache(), facts, build)


def _ids(facts: FactBase | None, base: AnalysisBase, names: Iterable[str]) -> list[str]:
    """Entity ids for names: exact ids from the base, anything else through the search."""
    names = list(names)
    known = base.index
    if all(n in known for n in names):
        return names
    if facts is None:
        raise ValueError("these names need the facts, not only a saved analysis base")
    from regulink.graph.search import SearchIndex

    search = SearchIndex(facts)
    return [n if n in known else search.resolve(n).id for n in names]


def _analysis_graph(
    facts: FactBase | None,
    base: AnalysisBase | None,
    *,
    structural: bool = False,
    as_of: str | None = None,
    dated_only: bool = False,
    exclude: Iterable[str] | None = None,
    avoid_hubs: int | None = None,
    keep: Collection[str] = (),
):
    """The one graph a request's analytics share (see
    :func:`regulink.graph.compact.analysis_graph`) and the rules it was built under
    (``exclude``: names or ids, echoed as ids)."""
    from regulink.graph.analysis_base import AnalysisBase

    if avoid_hubs is not None and avoid_hubs < 1:
        raise ValueError("avoid_hubs must be at least 1")
    if base is None:
        if facts is None:
            raise ValueError("give the facts or a saved analysis base")
        base = AnalysisBase.from_facts(facts)
    ids = _ids(facts, base, exclude or ())
    G = base.graph(
        structural=structural,
        as_of=as_of,
        dated_only=dated_only,
        exclude=ids,
        avoid_hubs=avoid_hubs,
        keep=keep,
    )
    return G, {
        "structural": structural,
        "as_of": as_of,
        "dated_only": dated_only,
        "exclude": sorted(set(ids)),
        "avoid_hubs": avoid_hubs,
    }


def analyze(
    facts: FactBase | None,
    *,
    top: int = 10,
    as_of: str | None = None,
    seed: int = 42,
    structural: bool = False,
    dated_only: bool = False,
    exclude: Iterable[str] | None = None,
    avoid_hubs: int | None = None,
    base: AnalysisBase | None = None,
) -> dict:
    """Centrality, communities, brokers, the jurisdiction matrix, likely next partners and
    growth of the relation graph, all on one graph built once.

    By default only substantive relations count; ``structural=True`` admits structural ones
    (memberships, locations, roles); ``as_of`` keeps what was in force on that instant (the
    last day of a partial date), ``dated_only`` leaves out undated relations, ``exclude``
    (names or ids) leaves out entities, and ``avoid_hubs=N`` every entity linked to more
    than N others. "Degree" is the number of distinct entities linked.

    See :func:`regulink.graph.analytics.analyze` for the shape (plus ``rules``: the options
    in force); ``report_markdown`` turns the result into a Markdown document. ``base``: a
    saved :func:`analysis_base` of the same facts (then ``facts`` may be None when every
    name in ``exclude`` is an exact id).
    """
    from regulink.graph import analytics

    G, rules = _analysis_graph(
        facts,
        base,
        structural=structural,
        as_of=as_of,
        dated_only=dated_only,
        exclude=exclude,
        avoid_hubs=avoid_hubs,
    )
    return {**analytics.analyze(G, top=top, seed=seed), "rules": rules}


def report_markdown(result: dict, *, title: str = "Network analysis") -> str:
    """An ``analyze`` result as a Markdown report."""
    from regulink.graph import analytics

    return analytics.to_markdown(result, title=title)


def brokers(
    facts: FactBase | None,
    a: str | None = None,
    b: str | None = None,
    *,
    top: int = 10,
    as_of: str | None = None,
    structural: bool = False,
    dated_only: bool = False,
    exclude: Iterable[str] | None = None,
    avoid_hubs: int | None = None,
    base: AnalysisBase | None = None,
) -> dict:
    """Who holds the network together.

    Without jurisdictions: bridges and articulation points (see
    :func:`regulink.graph.analytics.brokers`). With two jurisdiction codes ``a`` and ``b``
    (``"SG"``, ``"CH"``): the entities on most shortest paths between their entities (see
    :func:`regulink.graph.analytics.jurisdiction_brokers`). The graph follows the same
    rules as :func:`analyze` (and ``base`` likewise). Raises ``ValueError`` for an unknown
    code, a single one, or the same one twice.
    """
    from regulink.graph import analytics
    from regulink.graph.schema import load_schema

    if (a is None) != (b is None):
        raise ValueError("give two jurisdictions, or none")
    if a is not None and b is not None:
        a, b = a.upper(), b.upper()
        _check_vocabulary([a, b], load_schema().jurisdictions, "jurisdiction")
        if a == b:
            raise ValueError("choose two different jurisdictions")
    G, rules = _analysis_graph(
        facts,
        base,
        structural=structural,
        as_of=as_of,
        dated_only=dated_only,
        exclude=exclude,
        avoid_hubs=avoid_hubs,
    )
    found = (
        analytics.brokers(G, top=top)
        if a is None or b is None
        else analytics.jurisdiction_brokers(G, a, b, top=top)
    )
    return {**found, "rules": rules}


def partners(
    facts: FactBase | None,
    entity: str,
    *,
    top: int = 10,
    as_of: str | None = None,
    structural: bool = False,
    dated_only: bool = False,
    exclude: Iterable[str] | None = None,
    avoid_hubs: int | None = None,
    kinds: Iterable[str] | None = None,
    base: AnalysisBase | None = None,
) -> list[dict]:
    """The actors most likely to start working with ``entity`` (a name or id), best first.

    Candidates are actors only (kinds flagged ``actor`` in the schema, or ``kinds``), never
    one already linked to ``entity`` directly or through a shared project or programme;
    each comes with the shared neighbours that justify it (see
    :func:`regulink.graph.analytics.partners`). Returns ``[{"id", "name", "kind",
    "jurisdiction", "score", "because": [ids]}]``. The graph follows the same rules as
    :func:`analyze` (and ``base`` likewise); ``entity`` itself is never excluded.
    """
    from regulink.graph import analytics
    from regulink.graph.analysis_base import AnalysisBase
    from regulink.graph.schema import load_schema

    kinds = list(kinds) if kinds else None
    _check_vocabulary(kinds, load_schema().kinds, "kind")
    if base is None and facts is not None:
        base = AnalysisBase.from_facts(facts)
    if base is None:
        raise ValueError("give the facts or a saved analysis base")
    (ent,) = _ids(facts, base, [entity])
    G, _ = _analysis_graph(
        facts,
        base,
        structural=structural,
        as_of=as_of,
        dated_only=dated_only,
        exclude=exclude,
        avoid_hubs=avoid_hubs,
        keep=[ent],
    )
    if ent not in G.index:
        return []  # not alive on the as-of instant
    return analytics.partners(G, ent, top=top, kinds=kinds)


def render(
    facts: FactBase,
    *,
    focus: str | None = None,
    hops: int = 1,
    path: tuple[str, str] | None = None,
    color_by: str = "kind",
    size_by: str = "degree",
    as_of: str | None = None,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    title: str | None = None,
    collapse: str = "auto",
    structural: bool = False,
    dated_only: bool = False,
    exclude: Iterable[str] = (),
    avoid_hubs: int | None = None,
):
    """The interactive explorer: a :class:`~regulink.graph.render.Page` (one offline HTML file).

    ``page.write("regulink.html")`` saves it; in Jupyter the page displays inline. Options as
    for ``regulink render`` (see :func:`regulink.graph.render.build_page`). Raises
    ``RenderError`` (a ``ValueError``) for an option that cannot be honoured, and
    ``EntityNotFound`` / ``AmbiguousEntity`` for a name.
    """
    from regulink.graph.render import build_page

    return build_page(
        facts,
        focus=focus,
        hops=hops,
        path=path,
        color_by=color_by,
        size_by=size_by,
        as_of=as_of,
        kinds=list(kinds) if kinds is not None else None,
        types=list(types) if types is not None else None,
        title=title,
        collapse=collapse,
        structural=structural,
        dated_only=dated_only,
        exclude=list(exclude or ()),
        avoid_hubs=avoid_hubs,
    )


# --- interchange (issue 17) ------------------------------------------------------------


def export(
    facts: FactBase,
    format: str,
    path: str | os.PathLike,
    *,
    focus: str | None = None,
    hops: int = 1,
    as_of: str | None = None,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    structural: bool = False,
):
    """Write a selection of ``facts`` to ``path`` for another tool; returns an
    :class:`~regulink.loaders.export.ExportReport` (files written, what they hold).

    ``format``: a key of :data:`regulink.loaders.export.FORMATS` (``csv`` and ``neo4j-admin``
    write a folder).
    The selection options are ``render``'s: ``focus``/``hops``, ``as_of``, ``kinds``,
    ``types``, and ``structural`` to keep structural relations (left out by default).
    Raises ``SelectionError`` (a ``ValueError``) for an option that cannot be honoured,
    ``EntityNotFound``/``AmbiguousEntity`` for ``focus``, ``ExportError`` when the file
    cannot be written.
    """
    from regulink.loaders.export import export as write

    return write(
        facts,
        format,
        path,
        focus=focus,
        hops=hops,
        as_of=as_of,
        kinds=list(kinds) if kinds is not None else None,
        types=list(types) if types is not None else None,
        structural=structural,
    )


SCHEMA_FORMATS = ("json-schema",)


def schema(format: str = "json-schema") -> dict:
    """The schema of fact files in ``format``, generated from the vocabulary.

    ``"json-schema"`` (the only one): a JSON Schema (see :mod:`regulink.graph.jsonschema`)
    for editors (the ``yaml-language-server`` modeline) and any JSON Schema validator.
    """
    if format not in SCHEMA_FORMATS:
        raise ValueError(f"unknown schema format {format!r}; known: {', '.join(SCHEMA_FORMATS)}")
    from regulink.graph.jsonschema import json_schema

    return json_schema()


def diff(old: Paths = None, new: Paths = None, *, git: str | None = None) -> dict:
    """Compare two versions of the facts: ``old`` and ``new`` fact files or folders, or with
    ``git="REV1..REV2"`` the fact files at ``old`` (default: the bundled seeds) in two git
    revisions (``REV1..`` or ``REV1``: against the work tree).

    Returns :func:`regulink.graph.diff.compare`'s result with ``"old"`` and ``"new"`` (what
    was compared); every record carries its ``"where"``, ``FILE:LINE``. Raises
    ``ValidationFailed`` if a version has problems, ``GitError`` for a bad revision.
    """
    from regulink.graph.diff import compare
    from regulink.loaders.factsets import git_factsets, read_factset

    def as_list(p):
        return [p] if isinstance(p, (str, os.PathLike)) else list(p)

    if git is not None:
        if new is not None:
            raise ValueError("with git, give the fact paths once (old), not two versions")
        a, b = git_factsets(git, as_list(default_seed_paths() if old is None else old))
    else:
        if old is None or new is None:
            raise ValueError("give two versions to compare (old and new), or git=REV1..REV2")
        a = read_factset(as_list(old), label=" ".join(map(str, as_list(old))))
        b = read_factset(as_list(new), label=" ".join(map(str, as_list(new))))
    return {
        "old": a.label,
        "new": b.label,
        **compare(a.facts, b.facts, old_where=a.where, new_where=b.where),
    }


def diff_dates(facts: FactBase, from_: str, to: str) -> dict:
    """What began and what ended between two dates in one fact set, on effective dates
    (see :func:`regulink.graph.diff.between`): ``{"from", "to", "began": [relation],
    "ended": [relation]}``, each relation with its sources. Raises ``ValueError`` for a
    malformed date or ``to`` before ``from_``."""
    from regulink.graph.diff import between

    return between(facts, from_, to)


def import_csv(
    relations: str | os.PathLike,
    output: str | os.PathLike,
    *,
    entities: str | os.PathLike | None = None,
    paths: Paths = None,
):
    """Turn a spreadsheet of relations (and optionally one of new entities) into a new fact
    file ``output`` that validates together with the facts at ``paths`` (default: the
    bundled seeds); see :mod:`regulink.loaders.csv_import` for the columns.

    Returns an :class:`~regulink.loaders.csv_import.ImportReport` (``written`` is False when
    everything was in the facts already). Raises ``ValidationFailed`` with every problem as
    ``FILE.csv:ROW:COL: message``; nothing is written then.
    """
    from regulink.loaders.csv_import import import_csv as run

    return run(
        relations, output, entities=entities, paths=default_seed_paths() if paths is None else paths
    )


# --- drafting facts from an article (issue 18) -------------------------------------------


def draft_index(paths: Paths = None, *, facts: FactBase | None = None):
    """The name matcher (:class:`~regulink.loaders.draft.gazetteer.Gazetteer`) of the fact
    files at ``paths`` (default: the bundled seeds), saved beside the fact cache once built
    and reused while the files are unchanged (checked like the fact cache: key, owner,
    content hashes). ``None`` when none is saved and no ``facts`` are given; with ``facts``
    (read from those files) a new one, saved for next time unless ``REGULINK_CACHE=0``."""
    from regulink.loaders.draft.gazetteer import Gazetteer, default_draft_cache

    def build(cache, files, stamp, facts: FactBase):
        if cache is not None:
            cache.put(files, facts, stamp)
            found = cache.get(files)
            if found is not None:
                return found
        return Gazetteer.from_facts(facts)

    return _saved_or_built(paths, default_draft_cache(), facts, build)


def draft(
    article: str | os.PathLike | bytes,
    *,
    facts: FactBase | None = None,
    index=None,
    url: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    title: str | None = None,
) -> dict:
    """Propose facts from an article (a file path, or its bytes) for a person to review.

    Plain text, or HTML with its boilerplate stripped. Known entities are found by every
    name, abbreviation and alias the facts give them (``index``, see :func:`draft_index`,
    else built from ``facts``, else the bundled seeds'); new organisation-like names are
    proposed with a guessed kind and jurisdiction; relations between entities of one
    sentence are proposed from the cue phrases of ``graph/cues.yaml``, dated as the text
    dates them (``date``, the article's date, places "on Oct. 30" in its year).

    Returns ``{"source": {...}, "entities": [{"id", "text", "line", "column", "known", ...}],
    "relations": [{"type", "from", "to", "start", "evidence": {"line", "column",
    "sentence"}, "known", "cue", "note"}], "candidates": [...], "yaml": str}``: ``yaml`` is
    a fact file of the proposals, each commented as a draft. Nothing is written anywhere.

    Raises ``ArticleError`` for an article that cannot be read (empty, binary, too large)
    and ``ValueError`` for a ``date`` that is not YYYY, YYYY-MM or YYYY-MM-DD.
    """
    from regulink.graph.dates import parse_partial_date
    from regulink.loaders.draft import draft_facts
    from regulink.loaders.draft.output import to_yaml
    from regulink.loaders.draft.reading import read_article, read_bytes

    if date is not None and parse_partial_date(date) is None:
        raise ValueError(f"{date!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(article, bytes):
        text, name = read_bytes(article), "the given text"
    else:
        text, name = read_article(article), os.fspath(article)
    if index is None:
        if facts is None:
            index = draft_index()
            if index is None:
                from regulink.loaders.validate import load_facts

                index = draft_index(facts=load_facts())
        else:
            from regulink.loaders.draft.gazetteer import Gazetteer

            index = Gazetteer.from_facts(facts)
    result = draft_facts(text, index, url=url, date=date, publisher=publisher, title=title)
    result["yaml"] = to_yaml(result, article=name)
    return result
