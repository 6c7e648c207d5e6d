"""The ``regulink`` command group and its global options."""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import sys
from pathlib import Path

import click

from regulink import __version__
from regulink.cli.common import State

__all__ = ["cli", "main"]

# Each module exports COMMANDS; one line here per command family.
_COMMAND_MODULES = [
    "regulink.cli.facts",
    "regulink.cli.store",
    "regulink.cli.paths",
    "regulink.cli.analysis",
    "regulink.cli.render",
    "regulink.cli.interchange",
    "regulink.cli.lint",
    "regulink.cli.draft",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--seeds",
    "seeds",
    multiple=True,
    envvar="REGULINK_SEEDS",
    type=click.Path(exists=True, path_type=Path),
    help="Fact file or folder to use instead of the bundled seeds (repeatable; "
    "env REGULINK_SEEDS, separated by ':').",
)
@click.version_option(__version__, prog_name="regulink")
@click.pass_context
def cli(ctx: click.Context, seeds: tuple[Path, ...]) -> None:
    """regulink: who is connected to whom among regulators, and on what evidence.

    \b
    Examples:
      regulink validate            # check the bundled seeds
      regulink stats
      regulink find FINMA
      regulink show "Project Guardian"
    """
    ctx.obj = State(seeds=list(seeds) or None)


for _name in _COMMAND_MODULES:
    for _command in importlib.import_module(_name).COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """The ``regulink`` program: :func:`cli`, then an exit without the interpreter's teardown.

    After a large command, that teardown only frees the facts object by object (half a
    second at a million relations) for the operating system to reclaim at once anyway. The
    exit is otherwise the usual one: output flushed, exit handlers run, the same status.
    """
    try:
        cli()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)
