"""The ``regulink`` command group and its global options."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from regulink import __version__
from regulink.cli.common import State

__all__ = ["cli"]

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
