"""regulink: a cross-jurisdiction regulator relationship graph explorer.

Curated YAML facts (entities, relations, sources) are validated into a
:class:`~regulink.graph.model.FactBase`, which becomes a networkx graph for analytics.

>>> import regulink
>>> facts = regulink.load_facts()          # the bundled seeds
>>> regulink.stats(facts)["entities"] > 0
True
"""

from regulink.api import (
    LoadReport,
    ValidationReport,
    analyze,
    brokers,
    bundled_seeds_dir,
    default_seed_paths,
    find,
    load,
    load_facts,
    open_store,
    path,
    query,
    render,
    report_markdown,
    saved_queries,
    show,
    stats,
    to_networkx,
    validate,
)
from regulink.errors import (
    AmbiguousEntity,
    EntityNotFound,
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
from regulink.graph.paths import NoPath

__all__ = [
    "ValidationReport",
    "bundled_seeds_dir",
    "default_seed_paths",
    "find",
    "load_facts",
    "show",
    "stats",
    "to_networkx",
    "validate",
    "path",
    "analyze",
    "brokers",
    "report_markdown",
    "render",
    "LoadReport",
    "open_store",
    "load",
    "query",
    "saved_queries",
    "AmbiguousEntity",
    "NoPath",
    "EntityNotFound",
    "Problem",
    "RegulinkError",
    "StoreError",
    "StoreUnavailable",
    "StoreBusy",
    "QueryError",
    "ReadOnlyViolation",
    "QueryTimeout",
    "ValidationFailed",
]
__version__ = "0.1.0"
