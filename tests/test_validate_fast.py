"""The validation fast paths give exactly what the record-by-record path gives."""

from __future__ import annotations

import pytest

from regulink.loaders import validate as V
from tests.conftest import MINI
from tests.test_generate import _module


def _slow(monkeypatch) -> None:
    # Turn both fast paths off: every record goes through _Run.fields alone.
    monkeypatch.setattr(V._Run, "add_batch", lambda self, doc, section, items: False)
    monkeypatch.setattr(V._Run, "fast_fields", lambda self, record, rec: None)


def _both(monkeypatch, paths):
    fast = V.check(paths)
    with monkeypatch.context() as m:
        _slow(m)
        slow = V.check(paths)
    return fast, slow


def test_generated_facts_are_identical(monkeypatch, tmp_path):
    out = _module("generate").generate(tmp_path, relations=1_500, seed=3).out
    (fast, fp), (slow, sp) = _both(monkeypatch, [out])
    assert fp == sp == []
    assert fast == slow


def test_mini_world_is_identical(monkeypatch):
    (fast, fp), (slow, sp) = _both(monkeypatch, [MINI])
    assert fp == sp == []
    assert fast == slow


ODD = """\
sources:
  - {id: s1, kind: news, publisher: "  P  ", title: T, date: 2023}
entities:
  - {id: a, kind: regulator, name: " A ", aliases: [" x ", y], jurisdiction: SG}
  - {id: b, kind: project, name: B, jurisdiction: INT, url: " https://b.example/ "}
  - {id: c, kind: project, name: C, jurisdiction: INT, short_name: ~, aliases: []}
relations:
  - {type: leads, from: a, to: b, start: 2021, end: 2022-03, sources: [s1]}
  - {type: partners_with, from: b, to: a, start: 2023-01-31, sources: [s1, s1]}
  - {type: hosts, from: a, to: c, sources: [s1], role: "  host ", note: n}
"""


def test_odd_but_valid_values_are_identical(monkeypatch, write):
    f = write("odd.yaml", ODD)
    (fast, fp), (slow, sp) = _both(monkeypatch, [f])
    assert fp == sp == []
    assert fast == slow
    assert fast.entities["a"].name == "A" and fast.entities["a"].aliases == ("x", "y")
    assert fast.relations[0].start == "2021"


@pytest.mark.parametrize(
    "bad",
    [
        "  - {type: leads, from: a, to: b, start: true, sources: [s1]}\n",
        "  - {type: leads, from: a, to: b, start: 2021.0, sources: [s1]}\n",
        "  - {type: leads, from: a, to: a, sources: [s1]}\n",
        "  - {type: leads, from: a, to: b, sources: [s1]}\n"
        "  - {type: leads, from: a, to: b, sources: [s1]}\n",
        "  - {type: leads, from: a, to: b, start: 2022, end: 2021, sources: [s1]}\n",
        "  - {type: leads, from: a, to: b, sources: [1]}\n",
        "  - {type: leads, from: a, to: b, sources: [s1], note: '   '}\n",
        "  - {type: leads, from: a, to: b, sources: [s1], role: [x]}\n",
        "  - {type: leads, from: a, to: zz, sources: [s9]}\n",
    ],
)
def test_problems_are_identical(monkeypatch, write, bad):
    f = write("bad.yaml", ODD + bad)
    (fast, fp), (slow, sp) = _both(monkeypatch, [f])
    assert fp and fp == sp
    assert fast == slow
