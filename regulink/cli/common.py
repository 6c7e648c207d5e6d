"""What every command shares: the state object, reusable options and output helpers.

Library errors become ``click.ClickException`` here and only here.
"""

from __future__ import annotations

import functools
import gc
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

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
    "State",
    "UsageFailure",
    "as_of_option",
    "cell",
    "console",
    "emit_json",
    "handle_errors",
    "json_option",
    "kinds_option",
    "limit_option",
    "pass_state",
    "problems_exit",
    "safe",
    "semantics_options",
    "table",
    "types_option",
    "vocabulary_names",
]

# What must not reach a terminal as is: C0 controls but tab and newline (CR rewrites a line,
# ESC starts a sequence that can set the title or clear the screen), DEL, C1 controls (CSI,
# OSC...), bidirectional overrides, and lone surrogates (a file name that is not UTF-8).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escaped(m: re.Match) -> str:
    c = ord(m[0])
    if 0xDC80 <= c <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{c - 0xDC00:02x}"
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def safe(text: object) -> str:
    r"""``text`` as it may be printed to a terminal: control characters shown as escapes.

    >>> safe("MAS\x1b]0;pwned\x07 \u202eevil")
    'MAS\\x1b]0;pwned\\x07 \\u202eevil'
    >>> safe("two\nlines\tkept")
    'two\nlines\tkept'
    """
    text = str(text)
    return _UNSAFE.sub(_escaped, text) if _UNSAFE.search(text) else text


def cell(text: object) -> str:
    """``text`` for a rich table or print: :func:`safe`, and rich markup escaped, so a name
    such as ``[bold red]x[/]`` prints as typed instead of styling (or crashing) the output."""
    from rich.markup import escape

    return escape(safe("" if text is None else text))


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
            was_enabled = gc.isenabled()
            gc.disable()
            try:
                self._facts = api.load_facts(self.seeds)
            finally:
                # The facts live as long as the command, and they hold no reference cycles:
                # moved out of the cyclic collector's sight, they are not walked again and
                # again while the command runs (0.9 s at 1M relations for the first walk
                # alone). Reference counting still frees them as usual.
                gc.freeze()
                if was_enabled:
                    gc.enable()
        return self._facts


pass_state = click.make_pass_decorator(State, ensure=True)

json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON (stable shape, see README) instead of a table.",
)


def limit_option(default: int) -> Callable:
    return click.option(
        "--limit",
        "-n",
        type=click.IntRange(min=1),
        default=default,
        show_default=True,
        help="Show at most this many results.",
    )


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
                    + (f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else "")
                )
        return names

    return parse


def _as_of(ctx, param, value):
    if value is None:
        return None
    parsed = parse_partial_date(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return parsed


as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=_as_of,
    metavar="DATE",
    help="Only relations in force on this day (YYYY-MM-DD; a year or month means its last day).",
)


def kinds_option(
    help: str = "Only entities of these kinds (comma-separated or repeated).",
) -> Callable:
    """``--kinds K,K`` (or repeated): names of the vocabulary's kinds only."""
    return click.option(
        "--kinds",
        multiple=True,
        callback=vocabulary_names("kind", lambda s: s.kinds),
        metavar="K,K",
        help=help,
    )


def types_option(
    help: str = "Only relations of these types (comma-separated or repeated).",
) -> Callable:
    """``--types T,T`` (or repeated): names of the vocabulary's relation types only."""
    return click.option(
        "--types",
        multiple=True,
        callback=vocabulary_names("relation type", lambda s: s.relation_types),
        metavar="T,T",
        help=help,
    )


def semantics_options(fn: Callable) -> Callable:
    """The options every answer shares (see regulink.graph.semantics): which relations
    and entities it may use. They reach the command as keyword arguments ``structural``,
    ``as_of``, ``dated_only``, ``exclude`` (a tuple) and ``avoid_hubs``."""
    for option in reversed(
        [
            click.option(
                "--structural",
                is_flag=True,
                help="Use structural links (memberships, locations, roles) on equal "
                "terms; by default only substantive ones, structural ones as a "
                "last resort.",
            ),
            as_of_option,
            click.option("--dated-only", is_flag=True, help="Leave out undated relations."),
            click.option(
                "--exclude",
                "exclude",
                multiple=True,
                metavar="ENTITY",
                help="Never pass through this entity (repeatable).",
            ),
            click.option(
                "--avoid-hubs",
                "avoid_hubs",
                type=click.IntRange(min=1),
                default=None,
                metavar="N",
                help="Never pass through an entity linked to more than N others.",
            ),
        ]
    ):
        fn = option(fn)
    return fn


def console(*, stderr: bool = False) -> Console:
    # Wide enough for URLs; no colour codes when output is piped or captured.
    from rich.console import Console  # rich is imported by the commands that print tables

    return Console(stderr=stderr, width=max(100, Console().width), highlight=False, soft_wrap=False)


def table(*columns: str, title: str | None = None) -> Table:
    from rich.table import Table

    t = Table(
        title=None if title is None else cell(title),
        show_lines=False,
        header_style="bold",
        title_justify="left",
    )
    for c in columns:
        t.add_column(cell(c), overflow="fold")
    return t


def emit_json(obj: Any) -> None:
    # json escapes C0 controls but not DEL, C1 or bidi overrides; as \uXXXX the JSON means
    # the same and the terminal sees no control character.
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    click.echo(_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text))


def problems_exit(problems, nfiles: int) -> NoReturn:
    """Print located problems (one per line) and a count, then exit 1."""
    for p in problems:
        click.echo(safe(p), err=True)
    files = len({p.file for p in problems})
    nfiles = max(nfiles, files)
    n = len(problems)
    raise click.ClickException(
        f"{n} problem{'s' if n != 1 else ''} in {files} of {nfiles} "
        f"file{'s' if nfiles != 1 else ''}"
    )


def _candidates(matches) -> str:
    return "\n".join(safe(f"  {m.id:<28} {m.name} ({m.kind}, {m.jurisdiction})") for m in matches)


def _seeds_hint() -> str:
    """Where the facts came from, when the user replaced the bundled seeds: an entity that
    "does not exist" is often one that is only in the seeds they replaced."""
    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(State) if ctx is not None else None
    if state is None or not state.seeds:
        return ""
    named = ", ".join(str(p) for p in state.seeds)
    return (
        f"\n(facts read from {named}, given by --seeds or REGULINK_SEEDS, instead of the "
        "bundled seeds; name them too to search both)"
    )


def handle_errors(fn: Callable) -> Callable:
    """Turn regulink's errors into clean CLI exits (no traceback for a user mistake)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationFailed as exc:
            problems_exit(exc.problems, exc.files or 0)
        except EntityNotFound as exc:
            msg = f"no entity matches {safe(repr(exc.text))}"
            if exc.suggestions:
                msg += "; did you mean:\n" + _candidates(exc.suggestions)
            raise UsageFailure(msg + _seeds_hint()) from None
        except AmbiguousEntity as exc:
            raise UsageFailure(
                f"{safe(repr(exc.text))} is ambiguous; use one of these ids:\n"
                + _candidates(exc.candidates)
            ) from None
        except RegulinkError as exc:
            raise click.ClickException(safe(exc)) from None
        except BrokenPipeError:
            sys.stderr.close()

    return wrapper
