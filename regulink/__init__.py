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
    find,
    load_facts,
    path,
    render,
    report_markdown,
    show,
    stats,
    to_networkx,
    validate,
)
from regulink.errors import (
    AmbiguousEntity,
    EntityNotFound,
    Problem,
    RegulinkError,
    StoreError,
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
    "AmbiguousEntity",
    "NoPath",
    "EntityNotFound",
    "Problem",
    "RegulinkError",
    "StoreError",
    "ValidationFailed",
]
__version__ = "0.1.0"
