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
    """The typed (msgspec) path's result and the record-by-record path's; the column path
    without msgspec must give the typed path's result too."""
    fast = V.check(paths)
    with monkeypatch.context() as m:
        m.setattr(V.structs, "convert", lambda items, raw: None)
        columns = V.check(paths)
    assert columns == fast
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
        # what msgspec types refuse or let through for the checks to judge
        "  - {type: leads, from: a, to: b, sources: [s1], from_: a}\n",
        "  - {type: leads, from: a, to: b, sources: [s1], symmetric: true}\n",
        "  - {type: leads, from: a, to: b, sources: []}\n",
        '  - {type: leads, from: a, to: b, sources: [s1], note: "bad \\x1b]0;x\\x07"}\n',
        "  - {type: leads, from: a, to: b, sources: [s1], note: ''}\n",
        "  - {type: leads, from: a, to: b, sources: [s1], status: 3}\n",
        "  - {type: leadz, from: a, to: b, sources: [s1]}\n",
        "  - {type: leads, from: A, to: b, sources: [s1]}\n",
        "  - just text\n",
    ],
)
def test_problems_are_identical(monkeypatch, write, bad):
    f = write("bad.yaml", ODD + bad)
    (fast, fp), (slow, sp) = _both(monkeypatch, [f])
    assert fp and fp == sp
    assert fast == slow


ODD_TEXT = """\
sources:
  - {id: s1, kind: news, publisher: P, title: "Two\\nlines", date: 2023-02}
entities:
  - {id: a, kind: regulator, name: A, aliases: ["  spaced  ", "中文"], jurisdiction: SG,
     start: 2001, end: 2020}
  - {id: b, kind: project, name: "B\\tC", jurisdiction: INT, description: " lead"}
relations:
  - {type: leads, from: a, to: b, start: 2021, sources: [s1], note: "one\\ntwo"}
"""


def test_text_the_typed_path_doubts_is_checked_value_by_value(monkeypatch, write):
    f = write("odd.yaml", ODD_TEXT)
    (fast, fp), (slow, sp) = _both(monkeypatch, [f])
    assert fp == sp == []
    assert fast == slow
    assert fast.entities["a"].aliases == ("spaced", "中文")
    assert fast.entities["a"].start == "2001"
    assert fast.entities["b"].description == "lead"
    assert fast.relations[0].note == "one\ntwo"
