"""Commands on the graph's shape: path, analyze, brokers."""

from __future__ import annotations

from pathlib import Path

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


def _top_option(default: int = 10):
    return click.option("--top", "-n", "top", type=click.IntRange(min=1), default=default,
                        show_default=True, help="Rows per list.")


def _fmt(score) -> str:
    return f"{score:.3g}" if isinstance(score, float) else str(score)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _analysis_text(r: dict) -> str:
    g = r["graph"]
    out = [f"{_plural(g['entities'], 'entity', 'entities')}, "
           f"{_plural(g['relations'], 'relation')} ({g['links']} linked pairs), "
           f"{_plural(g['components'], 'component')} (largest {g['largest_component']}, "
           f"{g['isolated']} isolated)", ""]
    c = r["centrality"]
    how = "exact" if c["betweenness_exact"] else f"{c['betweenness_samples']} samples"
    out.append(f"Centrality (betweenness {how})")
    for m in ("degree", "pagerank", "betweenness", "eigenvector"):
        out.append(f"  {m + ':':<13}" + ", ".join(f"{x['name']} {_fmt(x['score'])}"
                                                 for x in c[m]))
    cm = r["communities"]
    out += ["", f"Communities: {cm['count']} (Louvain, modularity {cm['modularity']}), "
                f"{cm['singletons']} isolated"]
    for i, x in enumerate(cm["communities"], 1):
        jur = ", ".join(f"{k} {n}" for k, n in x["jurisdictions"].items())
        kinds = ", ".join(f"{k} {n}" for k, n in x["kinds"].items())
        out.append(f"  {i}. {x['size']} entities · {jur} · {kinds} · "
                   + ", ".join(map(str, x["members"])))
    b = r["brokers"]
    out += ["", f"Brokers: {_plural(b['bridge_count'], 'bridge')}, "
                f"{_plural(b['articulation_count'], 'articulation point')}"]
    for x in b["bridges"]:
        out.append(f"  bridge {x['a']['name']} – {x['b']['name']} (cuts off {x['cut_off']})")
    for x in b["articulation_points"]:
        out.append(f"  articulation point {x['name']} ({x['pieces']} pieces, "
                   f"cuts off {x['cut_off']})")
    out += ["", "Jurisdiction pairs (direct relations, shared neighbours)"]
    for p in r["matrix"]["pairs"]:
        through = f" through {', '.join(map(str, p['through']))}" if p["through"] else ""
        out.append(f"  {p['a']}–{p['b']}: {p['direct']} direct, {p['shared']} shared{through}")
    out += ["", "Likely next partners (Adamic-Adar)"]
    for p in r["partners"]["predictions"]:
        out.append(f"  {p['a']['name']} – {p['b']['name']} {_fmt(p['score'])} "
                   f"(shared: {', '.join(map(str, p['shared']))})")
    gr = r["growth"]
    out += ["", f"New relations per year ({gr['undated']} undated)"]
    quiet: list[str] = []  # a run of years without new relations prints as one line

    def flush() -> None:
        if quiet:
            span = quiet[0] if len(quiet) == 1 else f"{quiet[0]}-{quiet[-1]}"
            out.append(f"  {span}: 0")
            quiet.clear()
    for y, n in gr["by_year"].items():
        if n == 0:
            quiet.append(y)
            continue
        flush()
        out.append(f"  {y}: {n:>4} {'#' * min(n, 60)}")
    flush()
    return "\n".join(out)


@click.command()
@json_option
@_top_option()
@as_of_option
@click.option("--report", "report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the analysis as a Markdown report to this file.")
@pass_state
@handle_errors
def analyze(state: State, as_json: bool, top: int, as_of: str | None,
            report: Path | None) -> None:
    """Centrality, communities, brokers, jurisdiction links, likely partners, growth.

    \b
    Examples:
      regulink analyze --top 5
      regulink analyze --as-of 2023 --report analysis.md
      regulink analyze --json
    """
    result = api.analyze(state.facts(), top=top, as_of=as_of)
    if report is not None:
        title = "Network analysis" + (f" as of {as_of}" if as_of else "")
        try:
            report.write_text(api.report_markdown(result, title=title), encoding="utf-8")
        except OSError as exc:
            raise UsageFailure(f"cannot write {report}: {exc.strerror}") from None
    if as_json:
        emit_json(result)
        return
    click.echo(_analysis_text(result))
    if report is not None:
        click.echo(f"\nreport written to {report}")


@click.command()
@click.argument("jurisdictions", nargs=-1, metavar="[A B]")
@json_option
@_top_option()
@as_of_option
@pass_state
@handle_errors
def brokers(state: State, jurisdictions: tuple[str, ...], as_json: bool, top: int,
            as_of: str | None) -> None:
    """Who holds the network together.

    With two jurisdictions (ISO codes, or EU / INT): the entities on most shortest paths
    between their entities. Without: the bridges and articulation points whose removal
    cuts off most entities.

    \b
    Examples:
      regulink brokers SG CH
      regulink brokers --top 5 --json
    """
    if len(jurisdictions) not in (0, 2):
        raise UsageFailure("give two jurisdictions (e.g. SG CH), or none")
    codes = [j.upper() for j in jurisdictions]
    known = load_schema().jurisdictions
    for j in codes:
        if j not in known:
            raise UsageFailure(f"unknown jurisdiction {j!r}: use an ISO 3166-1 alpha-2 code "
                               "such as 'SG', or EU / INT")
    if len(codes) == 2 and codes[0] == codes[1]:
        raise UsageFailure("give two different jurisdictions")
    result = api.brokers(state.facts(), *codes, top=top, as_of=as_of)
    if as_json:
        emit_json(result)
        return
    if not codes:
        click.echo(f"{_plural(result['bridge_count'], 'bridge')}, "
                   f"{_plural(result['articulation_count'], 'articulation point')}")
        for x in result["bridges"]:
            click.echo(f"  bridge {x['a']['name']} [{x['a']['id']}] – {x['b']['name']} "
                       f"[{x['b']['id']}] (cuts off {x['cut_off']})")
        for x in result["articulation_points"]:
            click.echo(f"  articulation point {x['name']} [{x['id']}] ({x['pieces']} pieces, "
                       f"cuts off {x['cut_off']})")
        return
    a, b = result["a"], result["b"]
    ents = result["entities"]
    click.echo(f"{a} ({ents[a]}) – {b} ({ents[b]}): {_plural(result['pairs'], 'connected pair')}"
               f", {_plural(result['direct'], 'direct relation')}"
               + (" (sampled)" if result["sampled"] else ""))
    if not result["brokers"]:
        click.echo("  no entity lies between them")
    for i, x in enumerate(result["brokers"], 1):
        click.echo(f"  {i}. {x['name']} [{x['id']}] ({x['kind']}, {x['jurisdiction']}): "
                   f"{x['share']:.0%} of shortest paths")


COMMANDS = [path, analyze, brokers]
