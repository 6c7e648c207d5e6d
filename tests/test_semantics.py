"""The time rules of graph/semantics.py: which ends bound a relation, and the vectorised
timeline against the one-relation reading on random fact bases."""

from __future__ import annotations

import random

import pytest

import regulink
from regulink.errors import NoPath
from regulink.graph.dates import bounds
from regulink.graph.model import Entity, FactBase, Relation
from regulink.graph.schema import load_schema
from regulink.graph.semantics import Timeline, effective_dates


def world(rels, lives) -> FactBase:
    schema = load_schema()
    names = sorted({e for r in rels for e in r[1:3]})
    ents = {
        n: Entity(
            n,
            "project" if n.startswith("p") else "regulator",
            n.upper(),
            None,
            (),
            "SG",
            start=lives.get(n, (None, None))[0],
            end=lives.get(n, (None, None))[1],
        )
        for n in names
    }
    return FactBase(
        ents,
        [
            Relation(
                t, a, b, s, e, None, None, ("s",), symmetric=schema.relation_types[t].symmetric
            )
            for t, a, b, s, e in rels
        ],
        {},
        ("hand-built",),
    )


def test_a_successor_builds_on_a_concluded_predecessor_while_it_lasts():
    fb = world(
        [
            ("builds_on", "p2", "p1", None, None),
            ("leads", "a", "p2", "2024", None),
            ("leads", "b", "p1", "2020", None),
        ],
        {"p1": ("2020", "2021-06"), "p2": ("2024", None)},
    )
    got = effective_dates(fb.relations[0], fb.entities)
    assert (got["start"], got["end"], got["end_derived"]) == ("2024", None, False)
    # as of 2025 the predecessor has ended: the chain a-p2-p1 still stands, b-p1 does not
    r = regulink.path(fb, "a", "p1", as_of="2025")
    assert [h["to"] for h in r["paths"][0]["hops"]] == ["p2", "p1"]
    with pytest.raises(NoPath):
        regulink.path(fb, "b", "p2", as_of="2025")


def test_an_event_lasts_for_the_life_of_its_object_only():
    # the authority that launched the project was wound up; the launch still links them
    fb = world([("launched", "a", "p", "2020", None)], {"a": (None, "2021"), "p": ("2020", None)})
    got = effective_dates(fb.relations[0], fb.entities)
    assert (got["end"], got["end_derived"]) == (None, False)
    fb = world([("launched", "a", "p", "2020", None)], {"p": ("2020", "2022")})
    got = effective_dates(fb.relations[0], fb.entities)
    assert (got["end"], got["ended_with"]) == ("2022", "p")


def test_an_end_before_the_relations_own_start_is_not_its_end():
    # results announced after the project concluded: the announcement is not cut short
    fb = world([("announced", "a", "p", "2023-10", None)], {"p": ("2021", "2023-09-28")})
    got = effective_dates(fb.relations[0], fb.entities)
    assert (got["start"], got["end"], got["end_derived"]) == ("2023-10", None, False)


def test_the_timeline_reads_every_relation_as_effective_dates_does():
    rng = random.Random(3)
    types = list(load_schema().relation_types)
    dates = [None, "2019", "2020-06", "2021-02-03", "2022", "2023-11"]
    names = [f"e{i}" for i in range(30)]
    lives = {
        n: tuple(sorted(rng.sample([d for d in dates if d], 2), key=lambda d: bounds(d)[0]))
        if rng.random() < 0.4
        else (None, None)
        for n in names
    }
    rels = []
    for _ in range(400):
        a, b = rng.sample(names, 2)
        s = rng.choice(dates)
        e = rng.choice([None, "2024", "2025-01"])
        rels.append((rng.choice(types), a, b, s, e))
    fb = world(rels, lives)
    t = Timeline.from_facts(fb)
    for i, r in enumerate(fb.relations):
        want = effective_dates(r, fb.entities)
        start, end, derived = t.dates(i)
        assert (start, end, derived) == (want["start"], want["end"], want["end_derived"]), r
        lo = bounds(want["start"])[0].toordinal() if want["start"] else None
        assert lo is None or t.start_lo[i] == lo
