"""The compact path index: same answers as the networkx search, saved and reused by
``regulink path`` without reading the facts, and never reused for changed files."""

from __future__ import annotations

import itertools
import json
import math
import os
import random

import networkx as nx
import pytest
from click.testing import CliRunner

import regulink
from regulink.cli.main import cli
from regulink.errors import NoPath
from regulink.graph.build import to_networkx
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.graph.pathindex import PathIndex
from regulink.graph.routing import Query, Router
from regulink.loaders import cache as C
from regulink.loaders import validate as V
from regulink.loaders.path_cache import PathCache

KINDS = ["regulator", "central_bank", "project", "company", "person"]
TYPES = ["member_of", "participates_in", "leads", "partners_with", "works_for"]


def random_facts(n: int, m: int, seed: int) -> FactBase:
    """A sparse random world (parallel relations, symmetric ones; the last ten entities
    have no relation at all, so some pairs are never connected)."""
    rng = random.Random(seed)
    ents = {
        f"e{i}": Entity(f"e{i}", KINDS[rng.randrange(5)], f"E{i}", None, (), "SG") for i in range(n)
    }
    rels = []
    for j in range(m):
        a, b = rng.sample(range(n - 10), 2)
        t = TYPES[rng.randrange(5)]
        rels.append(
            Relation(
                t,
                f"e{a}",
                f"e{b}",
                f"20{10 + rng.randrange(15)}",
                None,
                None,
                None,
                tuple(f"s{k}" for k in range(rng.randrange(1, 4))),
                id=f"r{j}",
                symmetric=t == "partners_with",
            )
        )
    srcs = {f"s{k}": Source(f"s{k}", "report", "P", f"T{k}", "2024", None) for k in range(3)}
    return FactBase(ents, rels, srcs, ("random",))


FILTERS = [
    {},
    {"types": ["member_of", "partners_with", "leads"]},
    {"exclude_types": ["works_for"]},
    {"exclude_kinds": ["person", "company"]},
    {"types": ["participates_in", "leads"], "exclude_kinds": ["regulator"]},
]


def reference(facts: FactBase, a: str, b: str, filters: dict) -> float | None:
    """The cheapest cost from a to b by networkx, built here from the rule alone: every
    relation the filters keep (structural ones on equal terms), entities of excluded kinds
    left out unless an end, and entering an entity costs 1 + log2(distinct neighbours)."""
    H = nx.Graph()
    kinds = set(filters.get("exclude_kinds", ()))
    ok = {e for e, x in facts.entities.items() if x.kind not in kinds} | {a, b}
    for r in facts.relations:
        if ("types" in filters and r.type not in filters["types"]) or r.type in filters.get(
            "exclude_types", ()
        ):
            continue
        if r.from_ in ok and r.to in ok and r.from_ != r.to:
            H.add_edge(r.from_, r.to)
    if a not in H or b not in H or not nx.has_path(H, a, b):
        return None
    return nx.dijkstra_path_length(H, a, b, weight=lambda u, v, d: 1 + math.log2(H.degree(v)))


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_index_finds_the_cheapest_path_that_networkx_finds(filters):
    facts = random_facts(300, 700, seed=7)
    index = PathIndex.from_facts(facts)
    rng = random.Random(1)
    found = missing = 0
    for _ in range(150):
        a, b = (f"e{i}" for i in rng.sample(range(300), 2))
        want = reference(facts, a, b, filters)
        if want is None:
            with pytest.raises(NoPath):
                index.shortest(a, b, structural=True, **filters)
            missing += 1
            continue
        route = Router(index).cheapest(
            a, b, Query(structural=True, **{k: frozenset(v) for k, v in filters.items()})
        )
        hops = route.hops
        assert route.cost == pytest.approx(want, abs=0.01)
        assert hops == index.shortest(a, b, structural=True, **filters)
        # a chain from a to b that respects the filters
        assert hops[0]["from"] == a and hops[-1]["to"] == b
        assert all(x["to"] == y["from"] for x, y in itertools.pairwise(hops))
        for h in hops:
            assert "types" not in filters or h["type"] in filters["types"]
            assert h["type"] not in filters.get("exclude_types", ())
        inner = [h["to"] for h in hops[:-1]]
        assert not any(facts.entities[e].kind in filters.get("exclude_kinds", ()) for e in inner)
        found += 1
    assert found > 20 and missing > 3  # both outcomes were really exercised


def test_max_hops_and_bad_arguments():
    facts = random_facts(300, 420, seed=7)
    index, G = PathIndex.from_facts(facts), to_networkx(facts)
    a, b = (
        "e0",
        next(
            e
            for e in facts.entities
            if e != "e0"
            and nx.has_path(G.to_undirected(), "e0", e)
            and nx.shortest_path_length(G.to_undirected(), "e0", e) == 3
        ),
    )
    assert len(index.shortest(a, b, max_hops=3)) == 3
    with pytest.raises(NoPath) as exc:
        index.shortest(a, b, max_hops=2)
    assert exc.value.filtered and exc.value.unfiltered == 3
    with pytest.raises(ValueError, match="not a node"):
        index.shortest("e0", "nobody")
    with pytest.raises(ValueError, match="two different"):
        index.shortest("e0", "e0")


def test_the_answer_depends_on_the_facts_not_on_the_relations_order():
    facts = random_facts(200, 500, seed=3)
    shuffled = FactBase(
        facts.entities,
        random.Random(9).sample(facts.relations, len(facts.relations)),
        facts.sources,
        facts.files,
    )
    one, two = PathIndex.from_facts(facts), PathIndex.from_facts(shuffled)
    rng = random.Random(2)
    for _ in range(60):
        a, b = (f"e{i}" for i in rng.sample(range(200), 2))
        try:
            assert one.shortest(a, b) == two.shortest(a, b)
        except NoPath:
            with pytest.raises(NoPath):
                two.shortest(a, b)


# --- saved indexes -----------------------------------------------------------------------


def _files(mini_dir):
    return sorted(mini_dir.glob("*.yaml"))


def test_a_saved_index_answers_as_the_one_built_from_facts(cache_dir, mini_dir):
    facts = regulink.load_facts([mini_dir])
    built = PathIndex.from_facts(facts)
    cache = PathCache()
    cache.put(_files(mini_dir), facts, cache.stamp(_files(mini_dir)), built)
    saved = cache.get(_files(mini_dir))
    assert saved is not None
    ids = list(facts.entities)
    compared = 0
    for a in ids:
        for b in ids:
            if a == b:
                continue
            try:
                want = built.shortest(a, b)
            except NoPath:
                with pytest.raises(NoPath):
                    saved.shortest(a, b)
                continue
            assert saved.shortest(a, b) == want
            compared += 1
            for h in want:
                for s in h["sources"]:
                    assert saved.sources(s) == built.sources(s)
    assert compared > 50
    assert all(saved.display(e) == facts.entities[e].display for e in ids)


def test_a_changed_file_makes_the_saved_index_unusable(cache_dir, mini_dir):
    facts = regulink.load_facts([mini_dir])
    cache = PathCache()
    cache.put(_files(mini_dir), facts, cache.stamp(_files(mini_dir)))
    assert cache.get(_files(mini_dir)) is not None
    f = mini_dir / "entities.yaml"
    st = f.stat()
    text = f.read_text()
    at = text.index("name: ") + len("name: ")
    f.write_text(text[:at] + "X" + text[at + 1 :])  # same size, same time: only the content
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.get(_files(mini_dir)) is None


def test_clearing_the_fact_cache_drops_the_path_indexes_too(cache_dir, mini_dir):
    facts = regulink.load_facts([mini_dir])
    cache = PathCache()
    cache.put(_files(mini_dir), facts, cache.stamp(_files(mini_dir)))
    assert C.FactCache().clear() == 1  # the fact entry load_facts wrote
    assert cache.get(_files(mini_dir)) is None and not list(cache_dir.glob("*.sqlite"))


def test_a_file_changed_since_the_stamp_is_not_saved(cache_dir, mini_dir):
    facts = regulink.load_facts([mini_dir])
    cache = PathCache()
    stamp = cache.stamp(_files(mini_dir))
    (mini_dir / "entities.yaml").write_text((mini_dir / "entities.yaml").read_text() + "\n")
    cache.put(_files(mini_dir), facts, stamp)
    assert cache.get(_files(mini_dir)) is None


def _refuse_facts(monkeypatch):
    def refuse(*a, **kw):
        raise AssertionError("the facts were read although the path index should answer")

    monkeypatch.setattr(V, "check", refuse)
    monkeypatch.setattr(C.FactCache, "get", refuse)


def test_cli_path_reuses_the_index_without_reading_the_facts(cache_dir, mini_dir, monkeypatch):
    args = ["--seeds", str(mini_dir), "path", "alpha-ma", "project-kite", "--json"]
    first = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert len(list(cache_dir.glob("facts-*.paths.sqlite"))) == 1
    with monkeypatch.context() as m:
        _refuse_facts(m)
        again = CliRunner().invoke(cli, args, catch_exceptions=False)
        text = CliRunner().invoke(cli, args[:-1], catch_exceptions=False)
    assert again.exit_code == 0 and again.output == first.output
    want = regulink.path(regulink.load_facts([mini_dir]), "alpha-ma", "project-kite")
    assert json.loads(again.output) == want
    assert text.exit_code == 0 and text.output.startswith("AMA [alpha-ma] -> ")


def test_cli_path_answers_every_option_from_the_index_but_fuzzy_names(
    cache_dir, mini_dir, monkeypatch
):
    runner = CliRunner()
    base = ["--seeds", str(mini_dir), "path"]
    assert runner.invoke(cli, [*base, "alpha-ma", "project-kite"]).exit_code == 0
    extras = (
        ["--all"],
        ["-k", "2"],
        ["--as-of", "2024"],
        ["--structural", "--dated-only"],
        ["--via", "kite-policy-group"],
        ["--exclude", "BFSA", "--avoid-hubs", "3"],
    )
    with monkeypatch.context() as m:
        _refuse_facts(m)
        saved = [
            runner.invoke(
                cli, [*base, "alpha-ma", "project-kite", *x, "--json"], catch_exceptions=False
            )
            for x in extras
        ]
        with pytest.raises(AssertionError, match="facts were read"):  # needs fuzzy search
            runner.invoke(
                cli, [*base, "Alpha Monetary Authorty", "project-kite"], catch_exceptions=False
            )
        # an exact abbreviation is looked up in the index
        by_name = runner.invoke(
            cli, [*base, "AMA", "project-kite", "--json"], catch_exceptions=False
        )
    by_id = runner.invoke(cli, [*base, "alpha-ma", "project-kite", "--json"])
    assert by_name.exit_code == 0 and by_name.output == by_id.output
    monkeypatch.setenv("REGULINK_CACHE", "0")  # the same answers from the facts
    for x, got in zip(extras, saved, strict=False):
        fresh = runner.invoke(cli, [*base, "alpha-ma", "project-kite", *x, "--json"])
        assert (got.exit_code, got.output) == (fresh.exit_code, fresh.output), x


def test_switched_off_cache_saves_no_index(cache_dir, mini_dir, monkeypatch):
    monkeypatch.setenv("REGULINK_CACHE", "0")
    res = CliRunner().invoke(cli, ["--seeds", str(mini_dir), "path", "alpha-ma", "project-kite"])
    assert res.exit_code == 0
    assert not cache_dir.exists() or not list(cache_dir.glob("*.paths.sqlite"))


def test_lookup_agrees_with_the_search_wherever_it_answers(cache_dir, mini_dir):
    """The index's exact lookup names the entity the full search resolves, never another;
    where it has no answer (fuzzy, ambiguous), the caller falls back to the search."""
    from regulink.errors import AmbiguousEntity, EntityNotFound
    from regulink.graph.search import SearchIndex

    for facts in (regulink.load_facts([mini_dir]), regulink.load_facts()):
        search = SearchIndex(facts)
        built = PathIndex.from_facts(facts)
        texts = {
            t
            for e in facts.entities.values()
            for t in (e.id, e.name, e.short_name, *e.aliases)
            if t
        }
        texts |= {t.upper() for t in texts} | {"Alpha Monetary Authorty", "nothing at all"}
        answered = 0
        for text in sorted(texts):
            got = built.lookup(text)
            try:
                want = search.resolve(text).id
            except (AmbiguousEntity, EntityNotFound):
                assert got is None, text
                continue
            assert got in (None, want), text
            answered += got is not None
        assert answered > len(facts.entities)  # most names are answered exactly
