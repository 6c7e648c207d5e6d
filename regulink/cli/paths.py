"""The ``path`` command: how is A connected to B, and on what evidence?"""

from __future__ import annotations

import click

from regulink import api
from regulink.cli.common import (
    State,
    UsageFailure,
    emit_json,
    handle_errors,
    json_option,
    pass_state,
    safe,
    semantics_options,
    vocabulary_names,
)
from regulink.errors import NoPath
from regulink.graph.hops import MAX_PATHS, describe_dates
from regulink.graph.schema import load_schema

__all__ = ["COMMANDS"]


def _source_line(src: dict) -> str:
    bits = [b for b in (src["title"], src["publisher"], src["date"]) if b]
    line = " · ".join(bits) or src["id"]
    return f"{line} <{src['url']}>" if src.get("url") else line


def _labeller(facts, index):
    """``label(entity id)`` from the facts if read, else from the path index."""
    if facts is not None:

        def label(entity_id: str) -> str:
            return f"{facts.entities[entity_id].display} [{entity_id}]"

        return label
    return lambda entity_id: f"{index.display(entity_id)} [{entity_id}]"


def _hop_line(j: int, h: dict, label, names) -> list[str]:
    schema = load_schema()
    rt = schema.relation_types[h["type"]]
    reading = rt.reading(h["direction"] == "forward")
    ended = names(h["ended_with"]) if h["end_derived"] else None
    dates = describe_dates(h["start"], h["end"], event=h["event"], ended_with=ended)
    lines = [f"  {j}. {label(h['from'])} {reading} {label(h['to'])} ({dates})"]
    if h["class"] == "structural":
        obj = h["to"] if h["direction"] == "forward" else h["from"]  # the relation's TO end
        lines.append(f"     structural link: via {rt.via or rt.label} {names(obj)}")
    if h["note"]:
        lines.append(f"     note: {h['note']}")
    for s in h["sources"]:
        lines.append(f"     source: {_source_line(s)}")
    return lines


def _path_text(result: dict, label, names) -> str:
    paths = result["paths"]
    lines = [
        f"{label(result['from'])} -> {label(result['to'])}: "
        f"{len(paths)} path{'s' if len(paths) != 1 else ''}"
    ]
    if any(p["structural_fallback"] for p in paths):
        lines.append(
            "No substantive link joins them: the fewest structural links were "
            "admitted, and are marked."
        )
    for i, p in enumerate(paths, 1):
        lines.append("")
        lines.append(
            f"Path {i} ({p['length']} hop{'s' if p['length'] != 1 else ''}, cost {p['cost']:g})"
        )
        for j, h in enumerate(p["hops"], 1):
            lines += _hop_line(j, h, label, names)
    if result["also"]:
        bits = [
            f"{x['reading']} " + ", ".join(names(e) for e in x["entities"]) for x in result["also"]
        ]
        lines += ["", "Also: both " + "; both ".join(bits)]
    return "\n".join(lines)


@click.command()
@click.argument("from_", metavar="FROM")
@click.argument("to")
@click.option(
    "--all",
    "all_shortest",
    is_flag=True,
    help=f"Every path with the fewest hops (at most {MAX_PATHS}), cheapest first.",
)
@click.option(
    "-k",
    "k",
    type=click.IntRange(min=1, max=MAX_PATHS),
    default=None,
    help=f"The k cheapest simple paths (at most {MAX_PATHS}).",
)
@click.option(
    "--max-hops", type=click.IntRange(min=1), default=None, help="Ignore paths longer than this."
)
@click.option(
    "--types",
    callback=vocabulary_names("relation type", lambda s: s.relation_types),
    metavar="T1,T2",
    help="Only these relation types.",
)
@click.option(
    "--exclude-types",
    callback=vocabulary_names("relation type", lambda s: s.relation_types),
    metavar="T1,T2",
    help="Never these relation types.",
)
@click.option(
    "--exclude-kinds",
    callback=vocabulary_names("kind", lambda s: s.kinds),
    metavar="K1,K2",
    help="Never pass through entities of these kinds.",
)
@click.option("--via", metavar="ENTITY", help="The path must pass through this entity.")
@semantics_options
@click.option(
    "--directed",
    is_flag=True,
    help="Walk each relation only from its 'from' end to its 'to' end (symmetric ones both ways).",
)
@json_option
@pass_state
@handle_errors
def path(
    state: State,
    from_: str,
    to: str,
    all_shortest: bool,
    k: int | None,
    max_hops: int | None,
    types,
    exclude_types,
    exclude_kinds,
    via: str | None,
    directed: bool,
    as_json: bool,
    **semantics,
) -> None:
    """How is FROM connected to TO, and on what evidence?

    FROM and TO are ids, names, abbreviations or aliases. Prints the cheapest path hop by
    hop: each relation read in the direction of travel, its dates, evidence note and
    sources, then the standing bodies both ends belong to. Paths use substantive links
    (joint projects, partnerships, MoUs...); structural ones (memberships, locations, roles)
    only when nothing else joins the two, marked, or on equal terms with --structural.
    Entering an entity linked to d others costs 1 + log2(d), so paths prefer specific
    intermediaries to hubs. With --as-of every hop is in force on that day (the last day of
    a year or month). Exit 1 when no path exists.

    \b
    Examples:
      regulink path MAS FINMA
      regulink path HKMA MAS --avoid-hubs 30 --exclude BIS
      regulink path MAS FINMA -k 3 --exclude-kinds person
      regulink path "Project Guardian" BIS --as-of 2023 --json
    """
    if all_shortest and k is not None:
        raise UsageFailure("--all and -k exclude each other: choose one")
    # The saved path index answers any query whose entities are named exactly, without
    # reading the facts; otherwise, or on a first call, the facts are read (and indexed).
    index = api.path_index(state.seeds)
    options = dict(all_shortest=all_shortest, k=k, via=via, directed=directed, **semantics)
    facts = None
    if index is None or not api.index_answers(index, from_, to, **options):
        facts = state.facts()
        if index is None:
            index = api.path_index(state.seeds, facts=facts)
    label = _labeller(facts, index)
    try:
        result = api.path(
            facts,
            from_,
            to,
            max_hops=max_hops,
            types=types,
            exclude_types=exclude_types,
            exclude_kinds=exclude_kinds,
            index=index,
            **options,
        )
    except ValueError as exc:  # e.g. FROM and TO name the same entity
        raise UsageFailure(str(exc)) from None
    except NoPath as exc:
        names = f"{label(exc.source)} and {label(exc.target)}"
        msg = f"no path between {names}"
        if exc.filtered:
            msg += " with these options"
            if exc.unfiltered is not None:
                msg += (
                    f"; without them there is one of {exc.unfiltered} "
                    f"hop{'s' if exc.unfiltered != 1 else ''}"
                )
            else:
                msg += "; they are not connected even without them"
        raise click.ClickException(safe(msg)) from None
    if as_json:
        emit_json(result)
        return
    click.echo(safe(_path_text(result, label, index.display)))


COMMANDS = [path]
