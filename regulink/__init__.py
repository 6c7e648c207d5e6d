"""regulink: a cross-jurisdiction regulator relationship graph explorer.

Curated YAML facts (entities, relations, sources) are validated into a
:class:`~regulink.graph.model.FactBase`, which becomes a networkx graph for analytics.

>>> import regulink
>>> facts = regulink.load_facts()          # the bundled seeds
>>> regulink.stats(facts)["entities"] > 0
True
"""

from regulink.api import (
    ValidationReport,
    analyze,
    brokers,
    bundled_seeds_dir,
    default_seed_paths,
    diff,
    diff_dates,
    draft,
    export,
    find,
    import_csv,
    lint,
    partners,
    path,
    render,
    report_markdown,
    schema,
    show,
    to_networkx,
    validate,
)
from regulink.errors import (
    AmbiguousEntity,
    EntityNotFound,
    NoPath,
    Problem,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    RegulinkError,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    ValidationFailed,
)

__all__ = [
    "AmbiguousEntity",
    "EntityNotFound",
    "LoadReport",
    "NoPath",
    "Problem",
    "QueryError",
    "QueryTimeout",
    "ReadOnlyViolation",
    "RegulinkError",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "ValidationFailed",
    "ValidationReport",
    "analyze",
    "brokers",
    "bundled_seeds_dir",
    "default_seed_paths",
    "diff",
    "diff_dates",
    "draft",
    "export",
    "find",
    "import_csv",
    "lint",
    "load",
    "load_facts",
    "open_store",
    "partners",
    "path",
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
__version__ = "0.1.0"


def __getattr__(name: str):
    # The API's re-exports of heavier modules (load_facts, stats, the store functions) are
    # imported on first use: see regulink.api.
    from regulink import api

    if name in api._REEXPORTED:
        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
