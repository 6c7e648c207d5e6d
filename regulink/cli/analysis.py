"""Commands on the graph's shape: analyze, brokers."""

from __future__ import annotations

from pathlib import Path

import click

from regulink import api
from regulink.cli.common import (
    State, UsageFailure, as_of_option, emit_json, handle_errors, json_option, pass_state,
    vocabulary_names,
)
from regulink.graph.schema import load_schema

__all__ = ["COMMANDS"]



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


COMMANDS = [analyze, brokers]
