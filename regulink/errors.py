"""The one exception hierarchy of regulink.

Library code raises these; only the CLI turns them into ``click.ClickException``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AmbiguousEntity",
    "ArticleError",
    "EntityNotFound",
    "NoPath",
    "Problem",
    "QueryError",
    "QueryTimeout",
    "ReadOnlyViolation",
    "RegulinkError",
    "StoreBusy",
    "StoreDamaged",
    "StoreError",
    "StoreUnavailable",
    "ValidationFailed",
]


class RegulinkError(Exception):
    """Base class of every error regulink raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in a fact file.

    ``line`` and ``col`` are 1-based; 0 means "the whole file" (e.g. it cannot be read).
    """

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class ValidationFailed(RegulinkError):
    """The fact files have problems; ``problems`` lists every one, in file order."""

    def __init__(self, problems: list[Problem], files: int | None = None):
        self.problems = problems
        #: How many fact files were read (``None`` if unknown): the "of N files" in summaries.
        self.files = files
        n = len(problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} found")


class EntityNotFound(RegulinkError):
    """No entity matches the text; ``suggestions`` holds the nearest ones (may be empty)."""

    def __init__(self, text: str, suggestions: list | None = None):
        self.text = text
        self.suggestions = suggestions or []
        super().__init__(f"no entity matches {text!r}")


class AmbiguousEntity(RegulinkError):
    """Several entities match the text about equally well; ``candidates`` lists them."""

    def __init__(self, text: str, candidates: list):
        self.text = text
        self.candidates = candidates
        super().__init__(f"{text!r} is ambiguous: {len(candidates)} entities match")


class StoreError(RegulinkError):
    """A graph store could not be reached or refused an operation."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or opened: server down, bad credentials, unknown database."""


class StoreDamaged(StoreUnavailable):
    """The store's database file cannot be read; ``path`` names it. ``regulink load``
    rebuilds it from the facts after moving the damaged file aside."""

    def __init__(self, message: str, path: str):
        super().__init__(message)
        self.path = path


class StoreBusy(StoreError):
    """Another load holds the store's lock and did not finish in time."""


class QueryError(StoreError):
    """The store rejected a query (syntax, unknown function, bad parameter...)."""


class ReadOnlyViolation(QueryError):
    """A query tried to write without ``write=True`` (``--write`` on the command line)."""


class QueryTimeout(QueryError):
    """A query ran longer than its timeout and was stopped."""


class NoPath(RegulinkError):
    """No path joins the two entities under the filters.

    ``unfiltered`` is the hop count of a shortest path when every filter is dropped (``None``
    when the entities are not connected at all, or when there were no filters).
    """

    def __init__(self, source: str, target: str, *, filtered: bool, unfiltered: int | None = None):
        self.source, self.target = source, target
        self.filtered, self.unfiltered = filtered, unfiltered
        msg = f"no path from {source!r} to {target!r}"
        if filtered:
            msg += " with these filters"
            if unfiltered is not None:
                msg += (
                    f" (one of {unfiltered} hop{'s' if unfiltered != 1 else ''} exists "
                    "without them)"
                )
            else:
                msg += " (and none without them either)"
        super().__init__(msg)


class ArticleError(RegulinkError):
    """An article that cannot be drafted from: empty, not text, too large, unreadable."""
