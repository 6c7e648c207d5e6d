"""Graph stores: the embedded FalkorDB Lite store and Neo4j over Bolt, one interface.

See :mod:`regulink.loaders.store.base` for the graph model, :mod:`.falkor` and :mod:`.bolt`
for the backends, :mod:`.saved` for the saved analyst queries.
"""

from regulink.loaders.store.base import (
    DEFAULT_BATCH,
    GRAPH_NAME,
    Group,
    QueryResult,
    Statement,
    Store,
    graph_groups,
    graph_meta,
    graph_statements,
    group_statements,
)
from regulink.loaders.store.bolt import Neo4jStore
from regulink.loaders.store.falkor import FalkorLiteStore, default_db_path
from regulink.loaders.store.saved import SavedQuery, saved_queries, saved_query

__all__ = [
    "DEFAULT_BATCH",
    "GRAPH_NAME",
    "FalkorLiteStore",
    "Group",
    "Neo4jStore",
    "QueryResult",
    "SavedQuery",
    "Statement",
    "Store",
    "default_db_path",
    "graph_groups",
    "graph_meta",
    "graph_statements",
    "group_statements",
    "saved_queries",
    "saved_query",
]
