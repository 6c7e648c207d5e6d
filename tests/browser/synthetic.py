"""Synthetic fact bases of any size, shaped like the real one, for benchmarks and tests.

Entities get kinds and jurisdictions in realistic proportions; relations attach new entities
preferentially to well-connected ones (as members flock to the BIS or the FSB), so degree is
skewed as in the seeds. Deterministic for a given seed.

>>> fb = synthetic_facts(50, seed=1)
>>> len(fb.entities), len(fb.relations) >= 49
(50, True)
"""

from __future__ import annotations

import random

from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.schema import load_schema

__all__ = ["synthetic_facts"]

_KINDS = [
    "regulator",
    "central_bank",
    "government_body",
    "international_org",
    "financial_institution",
    "company",
    "project",
    "framework",
    "programme",
    "person",
]
_TYPES = [
    "member_of",
    "participates_in",
    "partners_with",
    "launched",
    "regulates",
    "supervises",
    "issued",
    "works_for",
]


def synthetic_facts(n: int, *, seed: int = 1, edges_per_node: float = 2.0) -> FactBase:
    """``n`` entities and about ``edges_per_node * n`` relations, each with one source."""
    rng = random.Random(seed)
    schema = load_schema()
    jurs = [*[j for j in schema.jurisdictions if len(j) == 2][:40], "EU", "INT"]
    entities = {}
    for i in range(n):
        kind = rng.choice(_KINDS)
        eid = f"e{i}"
        entities[eid] = Entity(
            eid,
            kind,
            f"Entity {i} {kind.replace('_', ' ')}",
            f"E{i}" if i % 3 == 0 else None,
            (f"alias {i}",) if i % 5 == 0 else (),
            rng.choice(jurs),
        )
    sources = {
        "s1": Source(
            "s1",
            "report",
            "Synthetic Publisher",
            "Synthetic report",
            "2024-01-01",
            "https://example.org/report",
        )
    }
    relations, seen, targets = [], set(), []
    ids = list(entities)
    for i, eid in enumerate(ids):
        if i:
            k = max(1, round(edges_per_node + rng.uniform(-1, 1)))
            for _ in range(k):
                other = rng.choice(targets) if targets else ids[0]
                if other == eid:
                    continue
                rtype = rng.choice(_TYPES)
                sym = schema.relation_types[rtype].symmetric
                a, b = sorted((eid, other)) if sym else (eid, other)
                key = (rtype, a, b)
                if key in seen:
                    continue
                seen.add(key)
                start = str(rng.randint(2005, 2025))
                relations.append(
                    Relation(
                        rtype, a, b, start, None, None, None, ("s1",), note=None, symmetric=sym
                    )
                )
                targets.extend((eid, other))
        targets.append(eid)
    return FactBase(entities=entities, relations=relations, sources=sources)
