"""The ``render`` command: write the interactive explorer page."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import click

from regulink.cli.common import (
    State,
    UsageFailure,
    handle_errors,
    kinds_option,
    pass_state,
    safe,
    semantics_options,
    types_option,
)

__all__ = ["COMMANDS"]

_COLOR_BY = ("kind", "jurisdiction", "community")
_SIZE_BY = ("degree", "pagerank", "betweenness")
_COLLAPSE = ("auto", "community", "jurisdiction", "none")


@click.command()
@click.option(
    "-o",
    "--output",
    default="regulink.html",
    show_default=True,
    metavar="FILE",
    help="Where to write the page ('-' for standard output).",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Show only the neighbourhood of this entity (id, name, abbreviation).",
)
@click.option(
    "--hops",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="How far from --focus (or around --path) to show.",
)
@click.option(
    "--path",
    "path_ends",
    nargs=2,
    metavar="FROM TO",
    help="Highlight a shortest path between two entities, shown in its context.",
)
@click.option(
    "--color-by",
    type=click.Choice(_COLOR_BY),
    default="kind",
    show_default=True,
    help="Colour nodes by kind, jurisdiction or Leiden community.",
)
@click.option(
    "--size-by",
    type=click.Choice(_SIZE_BY),
    default="degree",
    show_default=True,
    help="Size nodes by degree, PageRank or betweenness.",
)
@semantics_options
@kinds_option()
@types_option()
@click.option(
    "--collapse",
    type=click.Choice(_COLLAPSE),
    default="auto",
    show_default=True,
    help="Open with one expandable node per Leiden community or jurisdiction; "
    "auto: by community on pages too big to open fast, else none.",
)
@click.option("--title", help="The page's title.")
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the page in the default web browser."
)
@pass_state
@handle_errors
def render(
    state: State,
    output: str,
    focus: str | None,
    hops: int,
    path_ends: tuple[str, str] | None,
    color_by: str,
    size_by: str,
    as_of: str | None,
    kinds: list[str] | None,
    types: list[str] | None,
    structural: bool,
    dated_only: bool,
    exclude: tuple[str, ...],
    avoid_hubs: int | None,
    collapse: str,
    title: str | None,
    open_browser: bool,
) -> None:
    """Write the interactive explorer: one self-contained HTML file that works offline.

    Search, paths between any two entities, hide and expand, a timeline, filters, details
    with sources, a shareable link and exports, in any browser; no network needed, so it
    can be emailed. Draws substantive relations only unless --structural; with --as-of,
    only what is in force then (the page says what it left out).

    \b
    Examples:
      regulink render -o regulink.html
      regulink render --focus MAS --hops 2 --color-by jurisdiction -o mas.html
      regulink render --path FINMA "Project Guardian" --open
      regulink render --collapse jurisdiction -o by-country.html
      regulink render --as-of 2019 --structural -o 2019.html
    """
    from regulink import api
    from regulink.graph.render import RenderError

    if focus is not None and path_ends:
        raise UsageFailure("--focus and --path exclude each other: choose one")
    if output == "-" and open_browser:
        raise UsageFailure("--open needs a file: give -o FILE")
    try:
        page = api.render(
            state.facts(),
            focus=focus,
            hops=hops,
            path=path_ends or None,
            color_by=color_by,
            size_by=size_by,
            as_of=as_of,
            kinds=kinds,
            types=types,
            title=title,
            collapse=collapse,
            structural=structural,
            dated_only=dated_only,
            exclude=list(exclude),
            avoid_hubs=avoid_hubs,
        )
    except RenderError as exc:
        raise UsageFailure(str(exc)) from None
    if output == "-":
        sys.stdout.write(page.html)
        for warning in page.warnings:
            click.echo(safe(f"warning: {warning}"), err=True)
        return
    target = Path(output)
    try:
        page.write(target)
    except OSError as exc:
        raise UsageFailure(f"cannot write {output}: {exc.strerror or exc}") from None
    size = target.stat().st_size
    grouped = f"; opens as {page.clusters} {page.collapsed_by} groups" if page.collapsed_by else ""
    click.echo(
        safe(
            f"wrote {target}: {page.nodes} of {page.entities} entities and "
            f"{page.edges} of {page.relations} relations drawn, {size / 1e6:.1f} MB"
            f"{grouped}"
        ),
        err=True,
    )
    if page.note:
        click.echo(safe(f"not drawn: {page.note}"), err=True)
    for warning in page.warnings:
        click.echo(safe(f"warning: {warning}"), err=True)
    if open_browser and not webbrowser.open(target.resolve().as_uri()):
        click.echo(safe(f"could not open a browser; open {target.resolve()} yourself"), err=True)


COMMANDS = [render]
