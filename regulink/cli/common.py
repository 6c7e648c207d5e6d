"""What every command shares: the state object, reusable options and output helpers.

Library errors become ``click.ClickException`` here and only here.
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

from regulink import api
from regulink.errors import AmbiguousEntity, EntityNotFound, RegulinkError, ValidationFailed
from regulink.graph.dates import parse_partial_date
from regulink.graph.model import FactBase
from regulink.graph.schema import load_schema

__all__ = [
    "State", "pass_state", "json_option", "limit_option", "handle_errors", "UsageFailure",
    "emit_json", "console", "table", "problems_exit", "vocabulary_names", "as_of_option",
    "semantics_options",
]


class UsageFailure(click.ClickException):
    """A mistake in what the user asked for (unknown entity, bad option value): exit 2."""

    exit_code = 2


@dataclass
class State:
    """Per-invocation settings from the global options, and the facts once loaded."""

    seeds: list[Path] | None = None
    _facts: FactBase | None = field(default=None, repr=False)

    def facts(self) -> FactBase:
        if self._facts is None:
            self._facts = api.load_facts(self.seeds)
        return self._facts


pass_state = click.make_pass_decorator(State, ensure=True)

json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print JSON (stable shape, see README) instead of a table.")


def limit_option(default: int) -> Callable:
    return click.option("--limit", "-n", type=click.IntRange(min=1), default=default,
                        show_default=True, help="Show at most this many results.")


def vocabulary_names(what: str, known_of: Callable) -> Callable:
    """A click callback: ``a,b`` (or the option repeated) to a list of known names, else exit 2.

    ``known_of(schema)`` gives the allowed names, so option values can only ever be words of
    the vocabulary.
    """

    def parse(ctx, param, value):
        if not value:
            return None
        values = value if isinstance(value, (tuple, list)) else (value,)
        known = list(known_of(load_schema()))
        names = [n.strip() for v in values for n in v.split(",") if n.strip()]
        for n in names:
            if n not in known:
                from regulink.graph.search import suggest

                hint = suggest(n, known)
                raise click.BadParameter(
                    f"unknown {what} {n!r}"
                    + (f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""))
        return names
    return parse


def _as_of(ctx, param, value):
    if value is None:
        return None
    parsed = parse_partial_date(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return parsed


as_of_option = click.option("--as-of", "as_of", callback=_as_of, metavar="DATE",
                            help="Only relations in force on this day (YYYY-MM-DD; a year or "
                                 "month means its last day).")


def semantics_options(fn: Callable) -> Callable:
    """The options every answer shares (see regulink.graph.semantics): which relations
    and entities it may use. They reach the command as keyword arguments ``structural``,
    ``as_of``, ``dated_only``, ``exclude`` (a tuple) and ``avoid_hubs``."""
    for option in reversed([
        click.option("--structural", is_flag=True,
                     help="Use structural links (memberships, locations, roles) on equal "
                          "terms; by default only substantive ones, structural ones as a "
                          "last resort."),
        as_of_option,
        click.option("--dated-only", is_flag=True, help="Leave out undated relations."),
        click.option("--exclude", "exclude", multiple=True, metavar="ENTITY",
                     help="Never pass through this entity (repeatable)."),
        click.option("--avoid-hubs", "avoid_hubs", type=click.IntRange(min=1), default=None,
                     metavar="N", help="Never pass through an entity linked to more than N "
                                       "others."),
    ]):
        fn = option(fn)
    return fn


def console(*, stderr: bool = False) -> "Console":
    # Wide enough for URLs; no colour codes when output is piped or captured.
    from rich.console import Console  # rich is imported by the commands that print tables

    return Console(stderr=stderr, width=max(100, Console().width), highlight=False,
                   soft_wrap=False)


def table(*columns: str, title: str | None = None) -> "Table":
    from rich.table import Table

    t = Table(title=title, show_lines=False, header_style="bold", title_justify="left")
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, indent=2, ensure_ascii=False))


def problems_exit(problems, nfiles: int) -> None:
    """Print located problems (one per line) and a count, then exit 1."""
    for p in problems:
        click.echo(str(p), err=True)
    files = len({p.file for p in problems})
    n = len(problems)
    raise click.ClickException(
        f"{n} problem{'s' if n != 1 else ''} in {files} of {nfiles} "
        f"file{'s' if nfiles != 1 else ''}")


def _candidates(matches) -> str:
    return "\n".join(f"  {m.id:<28} {m.name} ({m.kind}, {m.jurisdiction})" for m in matches)


def handle_errors(fn: Callable) -> Callable:
    """Turn regulink's errors into clean CLI exits (no traceback for a user mistake)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationFailed as exc:
            problems_exit(exc.problems, len({p.file for p in exc.problems}))
        except EntityNotFound as exc:
            msg = f"no entity matches {exc.text!r}"
            if exc.suggestions:
                msg += "; did you mean:\n" + _candidates(exc.suggestions)
            raise UsageFailure(msg) from None
        except AmbiguousEntity as exc:
            raise UsageFailure(f"{exc.text!r} is ambiguous; use one of these ids:\n"
                               + _candidates(exc.candidates)) from None
        except RegulinkError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            sys.stderr.close()
    return wrapper
