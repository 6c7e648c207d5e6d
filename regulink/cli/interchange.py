"""Moving facts in and out: ``export``, ``import``, ``schema`` and ``diff``."""

from __future__ import annotations

import re

import click

from regulink import api
from regulink.cli.common import (
    State, UsageFailure, as_of_option, handle_errors, pass_state, vocabulary_names,
)
from regulink.loaders.export import FORMATS

__all__ = ["COMMANDS"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _safe(text: str) -> str:
    # Until regulink.cli.common.safe lands: no control character from a file name or a
    # fact reaches the terminal raw.
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(list(FORMATS)), required=True,
              help="gexf (Gephi, with a timeline), graphml, json (node-link), csv (a folder "
                   "of entities/relations/sources), cypher (a script for any Neo4j), "
                   "neo4j-admin (a folder for 'neo4j-admin database import'), ftm "
                   "(FollowTheMoney JSON lines).")
@click.option("-o", "--output", required=True, metavar="PATH",
              help="The file to write (a folder for csv and neo4j-admin).")
@click.option("--focus", metavar="ENTITY",
              help="Only the neighbourhood of this entity (id, name, abbreviation).")
@click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True,
              help="How far from --focus.")
@as_of_option
@click.option("--kinds", multiple=True, callback=vocabulary_names("kind", lambda s: s.kinds),
              metavar="K,K", help="Only entities of these kinds (comma-separated or repeated).")
@click.option("--types", multiple=True,
              callback=vocabulary_names("relation type", lambda s: s.relation_types),
              metavar="T,T", help="Only relations of these types (a structural type named "
                                  "here is kept without --structural).")
@click.option("--structural", is_flag=True,
              help="Keep structural relations (membership, location, employment...) too; "
                   "by default only substantive ones are exported.")
@pass_state
@handle_errors
def export(state: State, fmt: str, output: str, focus: str | None, hops: int,
           as_of: str | None, kinds: list[str] | None, types: list[str] | None,
           structural: bool) -> None:
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
        report = api.export(state.facts(), fmt, output, focus=focus, hops=hops, as_of=as_of,
                            kinds=kinds, types=types, structural=structural)
    except SelectionError as exc:
        raise UsageFailure(str(exc)) from None
    click.echo(_safe(f"wrote {', '.join(report.files)}: {_n(report.entities, 'entity', 'entities')}, "
                     f"{_n(report.relations, 'relation')}, {_n(report.sources, 'source')}"),
               err=True)


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(api.SCHEMA_FORMATS),
              default="json-schema", show_default=True, help="The schema language.")
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
        raise UsageFailure(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(_safe(f"wrote {output}"), err=True)


COMMANDS = [export, schema]
