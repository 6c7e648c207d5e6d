"""The ``draft`` command: propose facts from an article for review."""

from __future__ import annotations

from pathlib import Path

import click

from regulink import api
from regulink.cli.common import State, emit_json, handle_errors, json_option, pass_state, safe
from regulink.graph.dates import parse_partial_date

__all__ = ["COMMANDS"]


def _date(ctx, param, value):
    if value is None:
        return None
    if parse_partial_date(value) is None:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


@click.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The article's canonical URL (for its source entry).")
@click.option(
    "--date",
    callback=_date,
    metavar="DATE",
    help="The article's date (YYYY-MM-DD): relative dates such as 'on Oct. 30' "
    "are placed against it.",
)
@click.option("--publisher", help="Who published the article.")
@click.option("--title", help="The article's title (default: its first line).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the draft fact file here instead of printing it.",
)
@json_option
@pass_state
@handle_errors
def draft(
    state: State,
    article: Path,
    url: str | None,
    date: str | None,
    publisher: str | None,
    title: str | None,
    output: Path | None,
    as_json: bool,
) -> None:
    """Propose facts from an article (plain text or HTML) for a person to review.

    Prints a fact file in which every proposal is commented as a draft: known entities
    referenced by id, new organisation-like names with guessed kind and jurisdiction,
    candidate relations with their date, evidence and a note, and a source entry for the
    article. It never writes into the seeds; nothing it proposes is verified.

    \b
    Examples:
      regulink draft story.txt --date 2023-10-30 --publisher Cointelegraph -o draft.yaml
      regulink draft page.html --url https://example.org/story --json
    """
    index = api.draft_index(state.seeds)
    if index is None:
        index = api.draft_index(state.seeds, facts=state.facts())
    result = api.draft(article, index=index, url=url, date=date, publisher=publisher, title=title)
    if as_json:
        emit_json({k: result[k] for k in ("source", "entities", "relations")})
    elif output is not None:
        output.write_text(result["yaml"], encoding="utf-8")
    else:
        click.echo(safe(result["yaml"]), nl=False)
    if output is not None or not as_json:
        proposed = sum(1 for r in result["relations"] if not r["known"])
        click.echo(
            safe(
                f"{len({e['id'] for e in result['entities'] if e['known'] and e['id']})} known "
                f"entities mentioned, {len(result['candidates'])} new candidates, {proposed} "
                f"relations proposed, {len(result['relations']) - proposed} already known"
                + (f"; written to {output}" if output else "")
            ),
            err=True,
        )


COMMANDS = [draft]
