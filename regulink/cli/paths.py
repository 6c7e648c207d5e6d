"""The ``path`` command: how is A connected to B, and on what evidence?"""

from __future__ import annotations


import click

from regulink import api
from regulink.cli.common import (
    State, UsageFailure, as_of_option, emit_json, handle_errors, json_option, pass_state,
    vocabulary_names,
)
from regulink.errors import NoPath
from regulink.graph.schema import load_schema

__all__ = ["COMMANDS"]



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


def _labeller(facts, index):
    """``label(entity id)`` from the facts if read, else from the path index."""
    if facts is not None:
        return lambda entity_id: _label(facts, entity_id)
    return lambda entity_id: f"{index.display(entity_id)} [{entity_id}]"


@click.command()
@click.argument("from_", metavar="FROM")
@click.argument("to")
@click.option("--all", "all_shortest", is_flag=True, help="All shortest paths (at most 100).")
@click.option("-k", "k", type=click.IntRange(min=1), default=None,
              help="The k shortest simple paths.")
@click.option("--max-hops", type=click.IntRange(min=1), default=None,
              help="Ignore paths longer than this.")
@click.option("--types", callback=vocabulary_names("relation type", lambda s: s.relation_types),
              metavar="T1,T2", help="Only these relation types.")
@click.option("--exclude-types",
              callback=vocabulary_names("relation type", lambda s: s.relation_types),
              metavar="T1,T2", help="Never these relation types.")
@click.option("--exclude-kinds", callback=vocabulary_names("kind", lambda s: s.kinds),
              metavar="K1,K2", help="Never pass through entities of these kinds.")
@click.option("--via", metavar="ENTITY", help="The path must pass through this entity.")
@as_of_option
@click.option("--directed", is_flag=True,
              help="Walk each relation only from its 'from' end to its 'to' end "
                   "(symmetric ones both ways).")
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
    # The saved path index answers the common query (ids, one shortest path) without
    # reading the facts; anything else, or a first call, reads them (and saves the index).
    index = api.path_index(state.seeds)
    options = dict(all_shortest=all_shortest, k=k, via=via, as_of=as_of, directed=directed)
    facts = None
    if index is None or not api.index_answers(index, from_, to, **options):
        facts = state.facts()
        if index is None:
            index = api.path_index(state.seeds, facts=facts)
    label = _labeller(facts, index)
    failure = None
    try:
        result = api.path(facts, from_, to, max_hops=max_hops, types=types,
                          exclude_types=exclude_types, exclude_kinds=exclude_kinds,
                          index=index, **options)
    except (ValueError, NoPath) as exc:
        failure = exc
    if isinstance(failure, ValueError):  # e.g. FROM and TO name the same entity
        raise UsageFailure(str(failure))
    if isinstance(failure, NoPath):
        names = f"{label(failure.source)} and {label(failure.target)}"
        msg = f"no path between {names}"
        if failure.filtered:
            msg += " with these options"
            if failure.unfiltered is not None:
                msg += (f"; without them there is one of {failure.unfiltered} "
                        f"hop{'s' if failure.unfiltered != 1 else ''}")
            else:
                msg += "; they are not connected even without them"
        raise click.ClickException(msg)
    if as_json:
        emit_json(result)
        return
    schema = load_schema()
    paths = result["paths"]
    lines = [f"{label(result['from'])} -> {label(result['to'])}: "
             f"{len(paths)} path{'s' if len(paths) != 1 else ''}"]
    for i, p in enumerate(paths, 1):
        lines.append("")
        lines.append(f"Path {i} ({p['length']} hop{'s' if p['length'] != 1 else ''})")
        for j, h in enumerate(p["hops"], 1):
            reading = schema.relation_types[h["type"]].reading(h["direction"] == "forward")
            lines.append(f"  {j}. {label(h['from'])} {reading} "
                         f"{label(h['to'])} ({_dates(h['start'], h['end'])})")
            if h["note"]:
                lines.append(f"     note: {h['note']}")
            for s in h["sources"]:
                lines.append(f"     source: {_source_line(s)}")
    click.echo("\n".join(lines))


COMMANDS = [path]
