"""Commands on the graph's shape: path, analyze, brokers."""

from __future__ import annotations

from pathlib import Path

import click

from regulink import api
from regulink.cli.common import (
    State, UsageFailure, emit_json, handle_errors, json_option, pass_state,
)
from regulink.graph.dates import parse_partial_date
from regulink.graph.paths import NoPath
from regulink.graph.schema import load_schema
from regulink.graph.search import suggest

__all__ = ["COMMANDS"]


def _vocabulary_list(what: str, known_of):
    """A click callback turning ``a,b`` into a list of known names, else exit 2."""

    def parse(ctx, param, value):
        if not value:
            return None
        known = list(known_of(load_schema()))
        names = [v.strip() for v in value.split(",") if v.strip()]
        for n in names:
            if n not in known:
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
                            help="Only relations in force at this date (YYYY, YYYY-MM or "
                                 "YYYY-MM-DD).")


def _dates(start: str | None, end: str | None) -> str:
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"since {start}"
    if end:
        return f"until {end}"
    return "undated"


def _source_line(src: dict) -> str:
    bits = [b for b in (src["title"], src["publisher"], src["date"]) if b]
    line = " · ".join(bits) or src["id"]
    return f"{line} <{src['url']}>" if src.get("url") else line


def _label(facts, entity_id: str) -> str:
    e = facts.entities[entity_id]
    return f"{e.display} [{e.id}]"


@click.command()
@click.argument("from_", metavar="FROM")
@click.argument("to")
@click.option("--all", "all_shortest", is_flag=True, help="All shortest paths (at most 100).")
@click.option("-k", "k", type=click.IntRange(min=1), default=None,
              help="The k shortest simple paths.")
@click.option("--max-hops", type=click.IntRange(min=1), default=None,
              help="Ignore paths longer than this.")
@click.option("--types", callback=_vocabulary_list("relation type", lambda s: s.relation_types),
              metavar="T1,T2", help="Only these relation types.")
@click.option("--exclude-types",
              callback=_vocabulary_list("relation type", lambda s: s.relation_types),
              metavar="T1,T2", help="Never these relation types.")
@click.option("--exclude-kinds", callback=_vocabulary_list("kind", lambda s: s.kinds),
              metavar="K1,K2", help="Never pass through entities of these kinds.")
@click.option("--via", metavar="ENTITY", help="The path must pass through this entity.")
@as_of_option
@click.option("--directed", is_flag=True,
              help="Follow relations only from FROM side to TO side (symmetric: both).")
@json_option
@pass_state
@handle_errors
def path(state: State, from_: str, to: str, all_shortest: bool, k: int | None,
         max_hops: int | None, types, exclude_types, exclude_kinds, via: str | None,
         as_of: str | None, directed: bool, as_json: bool) -> None:
    """How is FROM connected to TO, and on what evidence?

    FROM and TO are ids, names, abbreviations or aliases. Prints the shortest path over
    the undirected graph hop by hop: each relation read in the direction of travel, its
    dates, evidence note and sources. Exit 1 when no path exists.

    \b
    Examples:
      regulink path MAS FINMA
      regulink path MAS FINMA -k 3 --exclude-kinds person
      regulink path "Project Guardian" BIS --as-of 2023 --json
    """
    if all_shortest and k is not None:
        raise UsageFailure("--all and -k exclude each other: choose one")
    facts = state.facts()
    try:
        result = api.path(facts, from_, to, all_shortest=all_shortest, k=k, max_hops=max_hops,
                          types=types, exclude_types=exclude_types,
                          exclude_kinds=exclude_kinds, via=via, as_of=as_of,
                          directed=directed)
    except ValueError as exc:  # e.g. FROM and TO name the same entity
        raise UsageFailure(str(exc)) from None
    except NoPath as exc:
        names = f"{_label(facts, exc.source)} and {_label(facts, exc.target)}"
        msg = f"no path between {names}"
        if exc.filtered:
            msg += " with these options"
            if exc.unfiltered is not None:
                msg += (f"; without them there is one of {exc.unfiltered} "
                        f"hop{'s' if exc.unfiltered != 1 else ''}")
            else:
                msg += "; they are not connected even without them"
        raise click.ClickException(msg) from None
    if as_json:
        emit_json(result)
        return
    schema = load_schema()
    paths = result["paths"]
    lines = [f"{_label(facts, result['from'])} -> {_label(facts, result['to'])}: "
             f"{len(paths)} path{'s' if len(paths) != 1 else ''}"]
    for i, p in enumerate(paths, 1):
        lines.append("")
        lines.append(f"Path {i} ({p['length']} hop{'s' if p['length'] != 1 else ''})")
        for j, h in enumerate(p["hops"], 1):
            reading = schema.relation_types[h["type"]].reading(h["direction"] == "forward")
            lines.append(f"  {j}. {_label(facts, h['from'])} {reading} "
                         f"{_label(facts, h['to'])} ({_dates(h['start'], h['end'])})")
            if h["note"]:
                lines.append(f"     note: {h['note']}")
            for s in h["sources"]:
                lines.append(f"     source: {_source_line(s)}")
    click.echo("\n".join(lines))


COMMANDS = [path]
