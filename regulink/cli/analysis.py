"""Commands on the graph's shape: analyze, brokers, partners."""

from __future__ import annotations

import re
from pathlib import Path

import click

from regulink import api
from regulink.cli.common import (
    State,
    UsageFailure,
    emit_json,
    handle_errors,
    json_option,
    pass_state,
    semantics_options,
    vocabulary_names,
)
from regulink.graph.schema import load_schema

__all__ = ["COMMANDS"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _say(text: str) -> None:
    # Until the shared safe() lands in cli/common.py: no control character from the facts
    # (an escape sequence in a name, say) reaches the terminal as such.
    click.echo(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def _rules_line(rules: dict) -> str | None:
    bits = [
        "structural links included" if rules["structural"] else None,
        f"as of {rules['as_of']}" if rules["as_of"] else None,
        "dated relations only" if rules["dated_only"] else None,
        "excluding " + ", ".join(rules["exclude"]) if rules["exclude"] else None,
        f"no entity linked to more than {rules['avoid_hubs']} others"
        if rules["avoid_hubs"]
        else None,
    ]
    said = [b for b in bits if b]
    return "Rules: " + "; ".join(said) if said else None


def _top_option(default: int = 10):
    return click.option(
        "--top",
        "-n",
        "top",
        type=click.IntRange(min=1),
        default=default,
        show_default=True,
        help="Rows per list.",
    )


def _fmt(score) -> str:
    return f"{score:.3g}" if isinstance(score, float) else str(score)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _analysis_text(r: dict) -> str:
    g = r["graph"]
    rules = _rules_line(r["rules"])
    out = ([rules] if rules else []) + [
        "Substantive relations only unless --structural; degree = distinct entities linked.",
        f"{_plural(g['entities'], 'entity', 'entities')}, "
        f"{_plural(g['relations'], 'relation')} ({g['links']} linked pairs), "
        f"{_plural(g['components'], 'component')} (largest {g['largest_component']}, "
        f"{g['isolated']} isolated)",
        "",
    ]
    c = r["centrality"]
    how = (
        "exact"
        if c["betweenness_exact"]
        else f"{c['betweenness_samples']} sampled sources, seed {c['betweenness_seed']}"
    )
    out.append(f"Centrality (betweenness {how})")
    for m in ("degree", "pagerank", "betweenness", "eigenvector"):
        out.append(f"  {m + ':':<13}" + ", ".join(f"{x['name']} {_fmt(x['score'])}" for x in c[m]))
    cm = r["communities"]
    out += [
        "",
        f"Communities: {cm['count']} (Leiden, modularity {cm['modularity']}), "
        f"{cm['singletons']} isolated",
    ]
    for i, x in enumerate(cm["communities"], 1):
        jur = ", ".join(f"{k} {n}" for k, n in x["jurisdictions"].items())
        kinds = ", ".join(f"{k} {n}" for k, n in x["kinds"].items())
        out.append(
            f"  {i}. {x['size']} entities · {jur} · {kinds} · " + ", ".join(map(str, x["members"]))
        )
    b = r["brokers"]
    out += [
        "",
        f"Brokers: {_plural(b['bridge_count'], 'bridge')}, "
        f"{_plural(b['articulation_count'], 'articulation point')}",
    ]
    for x in b["bridges"]:
        out.append(f"  bridge {x['a']['name']} – {x['b']['name']} (cuts off {x['cut_off']})")
    for x in b["articulation_points"]:
        out.append(
            f"  articulation point {x['name']} ({x['pieces']} pieces, cuts off {x['cut_off']})"
        )
    out += [
        "",
        "Jurisdiction pairs (unordered; direct: linked entity pairs; shared: entities "
        "linked to both)",
    ]
    for p in r["matrix"]["pairs"]:
        through = f" through {', '.join(map(str, p['through']))}" if p["through"] else ""
        out.append(f"  {p['a']}–{p['b']}: {p['direct']} direct, {p['shared']} shared{through}")
    out += ["", "Likely next partners (actors not yet working together; Adamic-Adar)"]
    for p in r["partners"]["predictions"]:
        out.append(
            f"  {p['a']['name']} – {p['b']['name']} {_fmt(p['score'])} "
            f"(because of: {', '.join(map(str, p['because']))})"
        )
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
@semantics_options
@click.option(
    "--report",
    "report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the analysis as a Markdown report to this file.",
)
@pass_state
@handle_errors
def analyze(state: State, as_json: bool, top: int, report: Path | None, **semantics) -> None:
    """Centrality, communities, brokers, jurisdiction links, likely partners, growth.

    All on one graph of substantive relations (joint projects, partnerships, MoUs...);
    --structural adds memberships, locations and roles. Degree is the number of distinct
    entities linked. Betweenness is exact up to 5,000 entities, else sampled (seeded).

    \b
    Examples:
      regulink analyze --top 5
      regulink analyze --as-of 2023 --report analysis.md
      regulink analyze --avoid-hubs 50 --exclude BIS --json
    """
    facts, base = _inputs(state, semantics["exclude"])
    result = _call(api.analyze, facts, top=top, base=base, **semantics)
    if report is not None:
        as_of = semantics.get("as_of")
        title = "Network analysis" + (f" as of {as_of}" if as_of else "")
        try:
            report.write_text(api.report_markdown(result, title=title), encoding="utf-8")
        except OSError as exc:
            raise UsageFailure(f"cannot write {report}: {exc.strerror}") from None
    if as_json:
        emit_json(result)
        return
    _say(_analysis_text(result))
    if report is not None:
        click.echo(f"\nreport written to {report}")


@click.command()
@click.argument("jurisdictions", nargs=-1, metavar="[A B]")
@json_option
@_top_option()
@semantics_options
@pass_state
@handle_errors
def brokers(
    state: State, jurisdictions: tuple[str, ...], as_json: bool, top: int, **semantics
) -> None:
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
            raise UsageFailure(
                f"unknown jurisdiction {j!r}: use an ISO 3166-1 alpha-2 code "
                "such as 'SG', or EU / INT"
            )
    if len(codes) == 2 and codes[0] == codes[1]:
        raise UsageFailure("give two different jurisdictions")
    facts, base = _inputs(state, semantics["exclude"])
    result = _call(api.brokers, facts, *codes, top=top, base=base, **semantics)
    if as_json:
        emit_json(result)
        return
    rules = _rules_line(result["rules"])
    if rules:
        _say(rules)
    if not codes:
        _say(
            f"{_plural(result['bridge_count'], 'bridge')}, "
            f"{_plural(result['articulation_count'], 'articulation point')}"
        )
        for x in result["bridges"]:
            _say(
                f"  bridge {x['a']['name']} [{x['a']['id']}] – {x['b']['name']} "
                f"[{x['b']['id']}] (cuts off {x['cut_off']})"
            )
        for x in result["articulation_points"]:
            _say(
                f"  articulation point {x['name']} [{x['id']}] ({x['pieces']} pieces, "
                f"cuts off {x['cut_off']})"
            )
        return
    a, b = result["a"], result["b"]
    ents = result["entities"]
    _say(
        f"{a} ({ents[a]}) – {b} ({ents[b]}): {_plural(result['pairs'], 'connected pair')}"
        f", {_plural(result['direct'], 'direct link')}"
        + (" (sampled)" if result["sampled"] else "")
    )
    if not result["brokers"]:
        _say("  no entity lies between them")
    for i, x in enumerate(result["brokers"], 1):
        _say(
            f"  {i}. {x['name']} [{x['id']}] ({x['kind']}, {x['jurisdiction']}): "
            f"{x['share']:.0%} of shortest paths"
        )


@click.command()
@click.argument("entity")
@json_option
@_top_option()
@click.option(
    "--kinds",
    callback=vocabulary_names("kind", lambda s: s.kinds),
    metavar="K1,K2",
    help="Only candidates of these kinds (default: every actor kind: authorities, firms, bodies).",
)
@semantics_options
@pass_state
@handle_errors
def partners(state: State, entity: str, as_json: bool, top: int, kinds, **semantics) -> None:
    """Likely next partners of ENTITY, with the shared neighbours behind each.

    Candidates are actors (authorities, firms, bodies; never documents, places, events or
    projects) not yet working with ENTITY: no relation joins them and they share no project
    or programme. They are ranked by Adamic-Adar over the neighbours they share in that
    collaboration graph: a shared specific partner counts more than a shared hub.

    \b
    Examples:
      regulink partners SFC
      regulink partners MAS --top 5 --json
      regulink partners HKMA --as-of 2022 --kinds central_bank,regulator
    """
    facts, base = _inputs(state, [entity, *semantics["exclude"]])
    result = _call(api.partners, facts, entity, top=top, kinds=kinds, base=base, **semantics)
    if as_json:
        emit_json(result)
        return
    if not result:
        _say(
            f"no likely partner for {entity}: nothing it shares with an actor it does not "
            "already work with"
        )
        return
    for i, x in enumerate(result, 1):
        _say(
            f"{i:>2}. {x['name']} [{x['id']}] ({x['kind']}, {x['jurisdiction']}) {_fmt(x['score'])}"
        )
        _say(f"    because of: {', '.join(x['because'])}")


def _inputs(state: State, names) -> tuple:
    """``(facts, base)``: the saved analysis base when it answers alone (every name an exact
    id), so the facts are never read; else the facts, and a base of them saved for next
    time."""
    base = api.analysis_base(state.seeds)
    if base is not None and all(n in base.index for n in names):
        return None, base
    facts = state.facts()
    return facts, api.analysis_base(state.seeds, facts=facts)


def _call(fn, *args, **kwargs):
    """The API call, its ValueErrors (an option that cannot be honoured) as usage errors."""
    kwargs["exclude"] = list(kwargs.get("exclude") or ()) or None
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise UsageFailure(str(exc)) from None


COMMANDS = [analyze, brokers, partners]
