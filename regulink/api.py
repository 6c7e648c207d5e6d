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

__all__ = [
    "ValidationReport",
    "validate",
    "load_facts",
    "stats",
    "find",
    "show",
    "to_networkx",
    "bundled_seeds_dir",
    "default_seed_paths",
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
