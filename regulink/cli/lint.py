"""``regulink lint``: the curator's checks on valid facts (warnings; --strict fails on any)."""

from __future__ import annotations

from pathlib import Path

import click

from regulink import api
from regulink.cli.common import State, emit_json, handle_errors, json_option, pass_state, safe
from regulink.graph.lint import RULES

__all__ = ["COMMANDS"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding.")
@click.option(
    "--rule",
    "rules",
    multiple=True,
    type=click.Choice(RULES),
    metavar="NAME",
    help=f"Run only this rule (repeatable): {', '.join(RULES)}.",
)
@json_option
@pass_state
@handle_errors
def lint(
    state: State, paths: tuple[Path, ...], strict: bool, rules: tuple[str, ...], as_json: bool
) -> None:
    """Check valid fact files against the curation rules, as FILE:LINE:COL: message [rule].

    Finds relations left undated although their source is dated, notes of four words or
    fewer, source URLs on mirrors or with tracking parameters, likely duplicate entities,
    redundant parallel relations, entities linked only through a place, kinds their names
    contradict, and INT used for an unknown jurisdiction. A reviewed finding is silenced by
    "# lint: ignore[RULE]" on the line it points at.

    PATHS are files or folders (default: --seeds, REGULINK_SEEDS, or the bundled seeds).
    Exit status: 0 (findings are warnings), 1 with --strict and any finding or when the
    files are not valid, 2 usage error.

    \b
    Example:
      regulink lint seeds/ --strict
      regulink lint my-facts.yaml --rule short-note --json
    """
    report = api.lint(list(paths) or state.seeds, select=rules or None)
    if as_json:
        emit_json(
            {
                "files": len(report.files),
                "findings": [f.as_dict() for f in report.findings],
                "by_rule": report.by_rule(),
            }
        )
    else:
        for finding in report.findings:
            click.echo(safe(str(finding)))
        n = len(report.findings)
        counts = ", ".join(f"{rule} {k}" for rule, k in report.by_rule().items())
        click.echo(
            f"{n} finding{'s' if n != 1 else ''} in {len(report.files)} files"
            + (f" ({counts})" if counts else ""),
            err=True,
        )
    if strict and report.findings:
        raise click.exceptions.Exit(1)


COMMANDS = [lint]
