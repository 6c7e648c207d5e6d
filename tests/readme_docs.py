"""The README's generated parts: the command reference and examples from real runs.

README.md holds `cog <https://cog.readthedocs.io/>`_ blocks that call these functions, as
sqlite-utils does for its CLI reference. ``./setup.sh test`` runs
``cog -I tests --check --diff README.md``, which fails when the README has drifted from the
CLI; ``.venv/bin/cog -I tests -r README.md`` rewrites the blocks.

Output is made deterministic: a fixed terminal width, the fact cache off (a run must not
depend on, or write to, the user's cache), and ``REGULINK_SEEDS`` ignored.

>>> "Usage: regulink path" in help_text("path")
True
"""

from __future__ import annotations

import shlex

from click.testing import CliRunner

from regulink.cli.main import cli

__all__ = ["command_reference", "example", "help_text"]

# the CLI's own max_content_width, so the reference reads as a wide terminal shows it
WIDTH = 100
_ENV = {
    "REGULINK_CACHE": "0",
    "REGULINK_SEEDS": None,
    "COLUMNS": str(WIDTH),
    "NO_COLOR": "1",
    "FORCE_COLOR": None,
}


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(
        cli, args, prog_name="regulink", env=_ENV, terminal_width=WIDTH, catch_exceptions=False
    )
    if result.exit_code != 0:
        raise RuntimeError(
            f"regulink {shlex.join(args)} exited {result.exit_code}:\n{result.output}"
        )
    return result.output


def help_text(command: str | None = None) -> str:
    """``regulink [COMMAND] --help``, as the terminal shows it."""
    return _run([command, "--help"] if command else ["--help"])


def _block(lang: str, text: str) -> str:
    # rich pads table captions to the width: trailing spaces would only be noise in the README
    lines = "\n".join(line.rstrip() for line in text.rstrip().splitlines())
    return f"```{lang}\n{lines}\n```\n"


def command_reference() -> str:
    """Markdown: ``regulink --help`` and every command's ``--help``, in name order."""
    parts = ["### `regulink --help`\n", _block("text", help_text())]
    for name in sorted(cli.commands):
        parts += [f"\n### `regulink {name} --help`\n", _block("text", help_text(name))]
    return "".join(parts)


def example(command: str) -> str:
    """Markdown: a console block with ``$ regulink COMMAND`` and what it printed."""
    args = shlex.split(command)
    return _block("console", f"$ regulink {command}\n{_run(args)}")
