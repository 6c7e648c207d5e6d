"""Commands on the facts themselves: validate, stats, find, show."""

from __future__ import annotations

from pathlib import Path

import click

from regulink import api
from regulink.cli.common import (
    State,
    cell,
    console,
    emit_json,
    handle_errors,
    json_option,
    limit_option,
    pass_state,
    problems_exit,
    safe,
    table,
)
from regulink.graph.hops import describe_dates
from regulink.graph.search import Match

__all__ = ["COMMANDS"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@pass_state
def validate(state: State, paths: tuple[Path, ...]) -> None:
    """Check fact files and report every problem as FILE:LINE:COL: message.

    PATHS are files or folders (default: --seeds, REGULINK_SEEDS, or the bundled seeds).
    Exit status: 0 valid, 1 problems found, 2 usage error.

    \b
    Example:
      regulink validate seeds/ my-facts.yaml
    """
    report = api.validate(list(paths) or state.seeds)
    if not report.ok or report.facts is None:  # valid facts come with no problems
        problems_exit(report.problems, len(report.files))
    s = api.stats(report.facts)
    click.echo(
        f"OK: {len(report.files)} files, {s['entities']} entities, "
        f"{s['relations']} relations, {s['sources']} sources"
    )


@click.command()
@json_option
@pass_state
@handle_errors
def stats(state: State, as_json: bool) -> None:
    """Count entities, relations and sources, by kind and by relation type.

    \b
    Example:
      regulink stats --json
    """
    s = api.stats(state.facts())
    if as_json:
        emit_json(s)
        return
    out = console()
    out.print(
        f"{s['entities']} entities, {s['relations']} relations, {s['sources']} sources, "
        f"{s['jurisdictions']} jurisdictions, {s['files']} files"
    )
    dated = s["relations_dated"]
    share = f" ({dated / s['relations']:.0%})" if s["relations"] else ""
    out.print(
        f"relations dated: {dated}{share}; without a source: "
        f"{s['relations_without_source']}; without a source URL: "
        f"{s['relations_without_url']}"
    )
    kinds = table("kind", "entities", title="Entities by kind")
    for k, n in s["by_kind"].items():
        kinds.add_row(cell(k), str(n))
    types = table("type", "relations", title="Relations by type")
    for t, n in s["by_type"].items():
        types.add_row(cell(t), str(n))
    out.print(kinds)
    out.print(types)


@click.command()
@click.argument("text")
@json_option
@limit_option(10)
@pass_state
@handle_errors
def find(state: State, text: str, as_json: bool, limit: int) -> None:
    """Find entities by id, name, abbreviation or alias (typos and accents forgiven).

    \b
    Example:
      regulink find "FSTB"
      regulink find "swiss national bank" --json
    """
    hits: list[Match] = api.find(state.facts(), text, limit=limit)
    if not hits:
        raise click.ClickException(f"nothing matches {safe(repr(text))}")
    if as_json:
        emit_json([h.as_dict() for h in hits])
        return
    t = table("id", "name", "kind", "jurisdiction", "score", "matched")
    for h in hits:
        t.add_row(
            cell(h.id),
            cell(h.name),
            cell(h.kind),
            cell(h.jurisdiction),
            f"{h.score:g}",
            cell(h.matched),
        )
    console().print(t)


def _source_line(src: dict) -> str:
    bits = [src["title"], src["publisher"]]
    if src.get("date"):
        bits.append(src["date"])
    line = " · ".join(bits)
    return f"{line} <{src['url']}>" if src.get("url") else line


@click.command()
@click.argument("entity")
@json_option
@pass_state
@handle_errors
def show(state: State, entity: str, as_json: bool) -> None:
    """Show one entity and all its relations (both directions), dates and sources.

    ENTITY is an id, name, abbreviation or alias.

    \b
    Example:
      regulink show MAS
    """
    d = api.show(state.facts(), entity)
    if as_json:
        emit_json(d)
        return
    out = console()
    title = f"{d['name']}" + (f" ({d['short_name']})" if d["short_name"] else "")
    out.print(
        f"[bold]{cell(title)}[/bold]  " + cell(f"{d['id']} · {d['kind']} · {d['jurisdiction']}")
    )
    if d["aliases"]:
        out.print("aliases: " + cell(", ".join(d["aliases"])))
    if d["url"]:
        out.print(cell(d["url"]))
    if d["description"]:
        out.print(cell(d["description"]))
    t = table("relation", "entity", "dates", "evidence", title=f"{len(d['relations'])} relations")
    for r in d["relations"]:
        o = r["other"]
        ended = None
        if r["end_derived"]:  # the end of this entity or of the other one
            ended = (o["short_name"] or o["name"]) if r["ended_with"] == o["id"] else title
        dates = describe_dates(r["start"], r["end"], event=r["event"], ended_with=ended)
        label = r["reading"] + (f" ({r['role']})" if r["role"] else "")
        if r["class"] == "structural":
            label += " · structural"
        evidence = [r["note"]] if r["note"] else []
        evidence += ["— " + _source_line(s) for s in r["sources"]]
        t.add_row(
            cell(label),
            cell(f"{o['short_name'] or o['name']} [{o['id']}]"),
            cell(dates),
            cell("\n".join(evidence)),
        )
    out.print(t)


COMMANDS = [validate, stats, find, show]
