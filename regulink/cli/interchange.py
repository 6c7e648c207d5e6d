"""Moving facts in and out: ``export``, ``import``, ``schema`` and ``diff``."""

from __future__ import annotations

import click

from regulink import api
from regulink.cli.common import (
    State,
    UsageFailure,
    as_of_option,
    emit_json,
    handle_errors,
    json_option,
    kinds_option,
    pass_state,
    safe,
    types_option,
)
from regulink.loaders.export import FORMATS

__all__ = ["COMMANDS"]


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


@click.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="gexf (Gephi, with a timeline), graphml, json (node-link), csv (a folder "
    "of entities/relations/sources), cypher (a script for any Neo4j), "
    "neo4j-admin (a folder for 'neo4j-admin database import'), ftm "
    "(FollowTheMoney JSON lines).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="PATH",
    help="The file to write (a folder for csv and neo4j-admin).",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Only the neighbourhood of this entity (id, name, abbreviation).",
)
@click.option(
    "--hops", type=click.IntRange(min=0), default=1, show_default=True, help="How far from --focus."
)
@as_of_option
@kinds_option()
@types_option("Only relations of these types (structural ones with --structural).")
@click.option(
    "--structural",
    is_flag=True,
    help="Keep structural relations (membership, location, employment...) too; "
    "by default only substantive ones are exported.",
)
@pass_state
@handle_errors
def export(
    state: State,
    fmt: str,
    output: str,
    focus: str | None,
    hops: int,
    as_of: str | None,
    kinds: list[str] | None,
    types: list[str] | None,
    structural: bool,
) -> None:
    """Write the facts (or a selection, as for render) for Gephi, Neo4j, spreadsheets or
    FollowTheMoney tools.

    \b
    Examples:
      regulink export -f gexf -o regulink.gexf           # open in Gephi; Timeline plays it
      regulink export -f csv -o out/ --kinds regulator,central_bank,project
      regulink export -f cypher -o graph.cypher --structural && cypher-shell -f graph.cypher
      regulink export -f neo4j-admin -o import/ --as-of 2023
      regulink export -f ftm -o regulink.ftm.json --focus MAS --hops 2
    """
    from regulink.graph.selection import SelectionError

    try:
        report = api.export(
            state.facts(),
            fmt,
            output,
            focus=focus,
            hops=hops,
            as_of=as_of,
            kinds=kinds,
            types=types,
            structural=structural,
        )
    except SelectionError as exc:
        raise UsageFailure(safe(exc)) from None
    click.echo(
        safe(
            f"wrote {', '.join(report.files)}: {_n(report.entities, 'entity', 'entities')}, "
            f"{_n(report.relations, 'relation')}, {_n(report.sources, 'source')}"
        ),
        err=True,
    )


@click.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(api.SCHEMA_FORMATS),
    default="json-schema",
    show_default=True,
    help="The schema language.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of printing.")
@handle_errors
def schema(fmt: str, output: str | None) -> None:
    """Print the JSON Schema of fact files, generated from the vocabulary.

    Editors complete and check fact files as you type when a file's first line names it:
    "# yaml-language-server: $schema=PATH" (the seeds name graph/regulink.schema.json).

    \b
    Examples:
      regulink schema --format json-schema -o regulink.schema.json
      check-jsonschema --schemafile regulink.schema.json my-facts.yaml
    """
    from regulink.graph.jsonschema import dumps

    text = dumps(api.schema(fmt))
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageFailure(safe(f"cannot write {output}: {exc.strerror or exc}")) from None
    click.echo(safe(f"wrote {output}"), err=True)


def _entity_line(rec: dict) -> str:
    return f"{rec['id']}  {rec['name']} ({rec['kind']}, {rec['jurisdiction']})"


def _relation_line(rec: dict) -> str:
    dates = (
        "–".join(d or "" for d in (rec["start"], rec["end"]))
        if rec["end"]
        else rec["start"] or "undated"
    )
    return f"{rec['from']} {rec['type']} {rec['to']} ({dates})"


def _source_line(rec: dict) -> str:
    return f'{rec["id"]}  "{rec["title"]}" ({rec["publisher"]})'


_LINES = {"entities": _entity_line, "relations": _relation_line, "sources": _source_line}


def _value(v) -> str:
    return "(none)" if v is None or v == [] else repr(v)


def _print_versions(result: dict) -> None:
    click.echo(safe(f"{result['old']} → {result['new']}"))
    for section, line in _LINES.items():
        part = result[section]
        counts = ", ".join(f"{len(part[k])} {k}" for k in ("added", "removed", "changed"))
        click.echo(safe(f"{section}: {counts}"))
        for rec in part["added"]:
            click.echo(safe(f"  + {rec['where']}  {line(rec)}"))
        for rec in part["removed"]:
            click.echo(safe(f"  - {rec['where']}  {line(rec)}"))
        for ch in part["changed"]:
            fields = "; ".join(
                f"{f}: {_value(v['old'])} → {_value(v['new'])}" for f, v in ch["fields"].items()
            )
            click.echo(safe(f"  ~ {ch['where']}  {line(ch['record'])}: {fields}"))


def _print_dates(result: dict) -> None:
    click.echo(
        safe(
            f"Between {result['from']} and {result['to']}: "
            f"{len(result['began'])} began, {len(result['ended'])} ended"
        )
    )
    for what in ("began", "ended"):
        group = None
        click.echo(f"\n{what}" if result[what] else f"\n{what}: nothing")
        for r in result[what]:
            if (r["jurisdiction"], r["kind"]) != group:
                group = (r["jurisdiction"], r["kind"])
                click.echo(safe(f"  {r['jurisdiction']} · {r['kind']}"))
            when = f"on {r['date']}" if r["event"] and what == "began" else r["date"]
            why = f" ({r['ended_with']} ended)" if r["end_derived"] and what == "ended" else ""
            tag = " · structural" if r["class"] == "structural" else ""
            click.echo(
                safe(f"    {when:<13} {r['from_name']} {r['label']} {r['to_name']}{why}{tag}")
            )
            for src in r["sources"]:
                bits = [
                    b
                    for b in (
                        src["publisher"],
                        src["title"] and f'"{src["title"]}"',
                        src["date"],
                        src["url"],
                    )
                    if b
                ]
                click.echo(safe(f"        — {', '.join(bits) or src['id']}"))


@click.command()
@click.argument("versions", nargs=-1, metavar="[OLD NEW | PATH...]")
@click.option(
    "--git",
    "git_range",
    metavar="REV1..REV2",
    help="Compare the fact files at PATH... (default: the seeds) in two git "
    "revisions; REV1.. compares REV1 with the work tree.",
)
@click.option(
    "--from",
    "from_",
    metavar="DATE",
    help="Date mode: what began and ended in the facts after this date ...",
)
@click.option(
    "--to",
    "to",
    metavar="DATE",
    help="... and up to this one (YYYY, YYYY-MM or YYYY-MM-DD: a period means its last day).",
)
@json_option
@pass_state
@handle_errors
def diff(
    state: State,
    versions: tuple[str, ...],
    git_range: str | None,
    from_: str | None,
    to: str | None,
    as_json: bool,
) -> None:
    """Compare two versions of the facts, or one fact set at two dates.

    Versions: OLD and NEW are fact files or folders (or, with --git, revisions of PATH...).
    Lists entities, relations and sources added (+), removed (-) and changed (~), each with
    its FILE:LINE; a relation is identified by its type, ends and start (or its id). Exit
    status: 0 the same, 1 different, 2 a bad argument or a version that does not validate.

    Dates: --from D1 --to D2 lists the relations that began and those that ended between
    the two dates in the facts (--seeds), on their effective dates (a participation ends
    when its project does), grouped by the jurisdiction and kind of who acts, with sources.

    \b
    Examples:
      regulink diff old-seeds/ seeds/
      regulink diff --git main..HEAD                 # what a branch changes in the seeds
      regulink diff --git HEAD.. seeds/ --json       # uncommitted edits, for a script
      regulink diff --from 2022 --to 2023            # what began and ended during 2023
    """
    from regulink.errors import ValidationFailed
    from regulink.loaders.factsets import GitError

    if from_ is not None or to is not None:
        if from_ is None or to is None:
            raise UsageFailure("date mode needs both --from and --to")
        if versions or git_range:
            raise UsageFailure(
                "--from/--to compare one fact set (--seeds) at two dates; "
                "give no versions and no --git"
            )
        try:
            result = api.diff_dates(state.facts(), from_, to)
        except ValueError as exc:
            raise UsageFailure(safe(exc)) from None
        if as_json:
            emit_json(result)
        else:
            _print_dates(result)
        return
    try:
        if git_range is not None:
            paths = list(versions) or state.seeds or None
            result = api.diff(paths, git=git_range)
        elif len(versions) != 2:
            raise UsageFailure(
                "give two versions to compare (OLD NEW), --git REV1..REV2, or --from DATE --to DATE"
            )
        else:
            result = api.diff(versions[0], versions[1])
    except ValidationFailed as exc:
        for p in exc.problems:
            click.echo(safe(str(p)), err=True)
        raise UsageFailure(
            f"a version does not validate ({_n(len(exc.problems), 'problem')})"
        ) from None
    except GitError as exc:
        raise UsageFailure(safe(exc)) from None
    if as_json:
        emit_json(result)
    else:
        _print_versions(result)
    if not result["same"]:
        raise SystemExit(1)


@click.group(name="import")
def import_() -> None:
    """Bring facts in from other formats (CSV spreadsheets)."""


@import_.command(name="csv")
@click.argument("relations", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--entities",
    type=click.Path(exists=True, dir_okay=False),
    metavar="CSV",
    help="New entities that the relations name (name, kind, jurisdiction, ...).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="NEW.yaml",
    help="The fact file to write (a new file; put it beside the seeds to use it).",
)
@pass_state
@handle_errors
def import_csv(state: State, relations: str, entities: str | None, output: str) -> None:
    """Turn spreadsheet rows into a fact file that validates, or write nothing.

    RELATIONS columns: from, to, type, source_url (required); start, end, source_title,
    publisher, date, note, role, status, source_kind. from/to name entities as 'find' does
    (id, name, abbreviation, alias) or as defined in --entities. One URL is one source.
    Every problem is reported at once as FILE.csv:ROW:COL. Rows already in the facts are
    skipped, so importing the same file twice adds nothing.

    \b
    Examples:
      regulink import csv links.csv -o seeds/imported-links.yaml
      regulink import csv links.csv --entities new-bodies.csv -o seeds/new.yaml
    """
    report = api.import_csv(relations, output, entities=entities, paths=state.seeds)
    for note in report.notes:
        click.echo(safe(f"note: {note}"), err=True)
    if not report.written:
        click.echo("nothing new to import: every row is in the facts already", err=True)
        return
    click.echo(
        safe(
            f"wrote {report.output}: {_n(report.entities, 'entity', 'entities')}, "
            f"{_n(report.relations, 'relation')}, {_n(report.sources, 'source')}"
        ),
        err=True,
    )


COMMANDS = [export, schema, diff, import_]
