"""Commands on the graph stores: load, query."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
from pathlib import Path

import click

from regulink import api, store_api
from regulink.cli.common import (
    State,
    UsageFailure,
    cell,
    console,
    emit_json,
    handle_errors,
    pass_state,
    safe,
    table,
)
from regulink.errors import QueryError, RegulinkError

__all__ = ["COMMANDS"]

_PARAM_NAME = re.compile(r"^[A-Za-z_]\w*$")
# Show a progress bar only for loads of at least this many rows (smaller ones take < 1 s).
_PROGRESS_MIN_ROWS = 5000


def store_options(fn):
    """--db / --neo4j and the Neo4j connection settings (each with its conventional env var)."""
    opts = [
        click.option(
            "--db",
            "db",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Embedded database file (env REGULINK_DB; default: "
            ".regulink/regulink.db beside the seeds).",
        ),
        click.option(
            "--neo4j",
            "neo4j_uri",
            envvar="NEO4J_URI",
            metavar="URI",
            help="Use Neo4j at bolt://, neo4j:// or neo4j+s:// URI instead (env NEO4J_URI).",
        ),
        click.option(
            "--username",
            envvar="NEO4J_USERNAME",
            metavar="USER",
            help="Neo4j user (env NEO4J_USERNAME).",
        ),
        click.option(
            "--password",
            envvar="NEO4J_PASSWORD",
            metavar="PASSWORD",
            help="Neo4j password (env NEO4J_PASSWORD).",
        ),
        click.option(
            "--database",
            envvar="NEO4J_DATABASE",
            metavar="NAME",
            help="Neo4j database (env NEO4J_DATABASE; default: the server's).",
        ),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def _open(state: State, db, neo4j_uri, username, password, database, *, create=True):
    ctx = click.get_current_context()
    if db is not None and neo4j_uri:
        if ctx.get_parameter_source("neo4j_uri") == click.core.ParameterSource.ENVIRONMENT:
            neo4j_uri = None  # an explicit --db beats NEO4J_URI from the environment
        else:
            raise UsageFailure("choose one store: --db PATH or --neo4j URI, not both")
    return api.open_store(
        db=db,
        neo4j=neo4j_uri,
        seeds=state.seeds,
        username=username,
        password=password,
        database=database,
        create=create,
    )


def _warn_notes(store) -> None:
    for note in getattr(store, "notes", []):
        click.echo(safe(f"warning: {note}"), err=True)


def _warn_if_stale(state: State, store) -> None:
    """One line on stderr when the store holds other facts than the files."""
    try:
        why = store_api.stale(store, state.facts())
    except RegulinkError as exc:
        why = f"cannot tell whether the store holds the facts of the files: {exc}".split("\n")[0]
    if why:
        click.echo(safe(f"warning: {why}"), err=True)


@click.command()
@store_options
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Rows per write: per UNWIND statement (default 2000), or at most per "
    "bulk call on the embedded store (default: 32 MB calls).",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=300,
    show_default=True,
    help="Seconds to wait for another load of the same store to finish.",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was loaded as JSON.")
@pass_state
@handle_errors
def load(
    state: State,
    db,
    neo4j_uri,
    username,
    password,
    database,
    batch_size: int | None,
    lock_timeout: float,
    as_json: bool,
) -> None:
    """Load the validated facts into a graph store, replacing the graph there.

    The embedded store (FalkorDB Lite) is the default; --neo4j URI loads into Neo4j 5.
    Invalid facts change nothing. The load is atomic (a failed or interrupted load leaves
    the previous graph whole) and idempotent; two loads of one store never interleave.

    \b
    Examples:
      regulink load
      regulink load --db /tmp/graph.db
      NEO4J_URI=neo4j://localhost NEO4J_USERNAME=neo4j NEO4J_PASSWORD=... regulink load
    """
    # Validated before the store is first used: invalid facts never reach it. A large set
    # going into the embedded store is validated and written on several cores.
    with _open(state, db, neo4j_uri, username, password, database) as store:
        with contextlib.ExitStack() as stack:
            bar: list = []

            def progress(done: int, total: int) -> None:
                if total < _PROGRESS_MIN_ROWS or not sys.stderr.isatty():
                    return
                if not bar:
                    from rich.progress import Progress

                    shown = stack.enter_context(
                        Progress(console=console(stderr=True), transient=True)
                    )
                    bar.extend([shown, shown.add_task(f"loading into {store.backend} store")])
                bar[0].update(bar[1], completed=done, total=total)

            report = api.load_files(
                state.seeds,
                store,
                batch_size=batch_size,
                lock_timeout=lock_timeout,
                progress=progress,
            )
        _warn_notes(store)
    if as_json:
        emit_json(report.as_dict())
        return
    click.echo(
        safe(
            f"Loaded {report.entities} entities, {report.relations} relations, "
            f"{report.sources} sources into the {report.store} store at {report.location} "
            f"in {report.seconds:.2f} s"
            + ("" if report.changed else " (unchanged since the last load)")
        )
    )


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def _params(pairs: tuple[str, ...]) -> dict:
    out = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not _PARAM_NAME.match(name.strip()):
            raise UsageFailure(f"--param wants NAME=VALUE, got {pair!r}")
        from regulink.loaders.store.saved import parse_value

        out[name.strip()] = parse_value(value)
    return out


def _list_saved() -> None:
    t = table("name", "parameters", "what it lists", title="Saved queries")
    for q in api.saved_queries().values():
        params = ", ".join(
            p.name + ("" if p.required else f"={json.dumps(p.default)}") for p in q.params
        )
        t.add_row(cell(q.name), cell(params), cell(q.description))
    console().print(t)


@click.command()
@click.argument("cypher", required=False)
@click.option(
    "--param",
    "-p",
    "param_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter ($NAME); VALUE is read as JSON if it parses, else text.",
)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from a .cypher file ('-' for stdin).",
)
@click.option("--saved", metavar="NAME", help="Run a saved query (see --list).")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and exit.")
@click.option("--json", "fmt", flag_value="json", help="Print a JSON list of row objects.")
@click.option("--csv", "fmt", flag_value="csv", help="Print CSV with a header row.")
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop the query after this many seconds.",
)
@store_options
@pass_state
@handle_errors
def query(
    state: State,
    cypher,
    param_pairs,
    file,
    saved,
    list_saved,
    fmt,
    write,
    timeout,
    db,
    neo4j_uri,
    username,
    password,
    database,
) -> None:
    """Run a Cypher query on the graph store (read-only unless --write).

    \b
    Examples:
      regulink query "MATCH (n:Regulator) RETURN n.id, n.name ORDER BY n.id"
      regulink query "MATCH (n:Entity {jurisdiction: \\$j}) RETURN n.name" --param j=SG --csv
      regulink query --saved cross-border-projects --json
      regulink query --list
    """
    if list_saved:
        _list_saved()
        return
    given = [x for x in (cypher is not None, file is not None, saved is not None) if x]
    if len(given) != 1:
        raise UsageFailure(
            "give exactly one of: a CYPHER argument, -f FILE, --saved NAME (or --list)"
        )
    params = _params(param_pairs)
    if saved is not None:
        try:
            from regulink.loaders.store import saved_query

            q = saved_query(saved)
            params = q.bind(params)
        except QueryError as exc:
            raise UsageFailure(str(exc)) from None
        cypher = q.cypher
    elif file is not None:
        cypher = file.read()
    with _open(state, db, neo4j_uri, username, password, database, create=False) as store:
        result = api.query(store, cypher, params, write=write, timeout=timeout)
        _warn_notes(store)
        _warn_if_stale(state, store)
    if fmt == "json":
        emit_json(result.records())
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.columns)
        w.writerows([_cell(v) for v in row] for row in result.rows)
        # CSV is for programs; only a terminal gets its control characters escaped
        click.echo(safe(buf.getvalue()) if sys.stdout.isatty() else buf.getvalue(), nl=False)
    else:
        if result.columns:
            t = table(*result.columns)
            for row in result.rows:
                t.add_row(*(cell(_cell(v)) for v in row))
            console().print(t)
        n = len(result.rows)
        summary = f"{n} row{'s' if n != 1 else ''}"
        if result.counters:
            summary += "; " + ", ".join(
                f"{k.replace('_', ' ')}: {v}" for k, v in result.counters.items()
            )
        click.echo(safe(summary), err=True)


COMMANDS = [load, query]
