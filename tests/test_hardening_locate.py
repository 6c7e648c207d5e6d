"""Placing problems without a second full parse (issue 14, bounded work): the quick locator
reads the usual layout from the text and must agree with the careful parser wherever it
answers, and fall back to it wherever it cannot be sure."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
import yaml_rs

from regulink import validate
from regulink.loaders import locate
from regulink.loaders.locate import QuickLocator, compose
from tests.conftest import FIXTURES, MINI

ROOT = Path(__file__).parent.parent
FILES = (
    sorted(glob.glob(str(ROOT / "seeds" / "*.yaml")))
    + sorted(map(str, MINI.glob("*.yaml")))
    + [str(FIXTURES / "layouts" / "tricky.yaml")]
)


def _paths(data: dict):
    for sec, items in data.items():
        yield (sec,), False
        yield (sec,), True
        if not isinstance(items, list):
            continue
        for i, rec in enumerate(items):
            yield (sec, i), False
            if isinstance(rec, dict):
                for k, v in rec.items():
                    yield (sec, i, k), False
                    yield (sec, i, k), True
                    if isinstance(v, list):
                        for j in range(len(v)):
                            yield (sec, i, k, j), False
                yield (sec, i, "no-such-field"), False


@pytest.mark.parametrize("path", FILES, ids=lambda p: Path(p).name)
def test_quick_positions_agree_with_the_careful_parse(path):
    text = Path(path).read_text(encoding="utf-8")
    data = yaml_rs.loads(text, parse_datetime=False)
    quick = QuickLocator(text, {k: len(v) for k, v in data.items() if isinstance(v, list)})
    tree, _ = compose(text)
    answered = 0
    for p, key in _paths(data):
        got = quick.locate(p, key=key)
        if got is not None:
            answered += 1
            assert got == tree.locate(p, key=key), (p, key)
    assert answered > 0.9 * sum(1 for _ in _paths(data))  # the usual layout is read


@pytest.mark.parametrize(
    "text",
    [
        "relations: [{type: a}]\n",  # a flow section
        "relations:\n  -\n    type: a\n",  # the record on its own line
        "relations:\n  - {type: a,\tto: b}\n",  # tabs
        "relations:\r  - {type: a}\r",  # old Mac line breaks
    ],
)
def test_unusual_layouts_are_left_to_the_careful_parse(text):
    data = yaml_rs.loads(text, parse_datetime=False)
    quick = QuickLocator(text, {k: len(v) for k, v in data.items() if isinstance(v, list)})
    assert quick.locate(("relations", 0, "type")) is None


def test_a_late_error_is_placed_without_composing_the_file(write, monkeypatch):
    rows = "".join(
        f"  - {{type: leads, from: a, to: b, start: {1900 + i % 100}, sources: [s1], id: r{i}}}\n"
        for i in range(2000)
    )
    f = write(
        "late.yaml",
        "sources:\n  - {id: s1, kind: news, publisher: P, title: T}\n"
        "entities:\n  - {id: a, kind: regulator, name: A, jurisdiction: SG}\n"
        "  - {id: b, kind: project, name: B, jurisdiction: INT}\nrelations:\n"
        + rows
        + "  - {type: leads, from: a, to: nowhere, sources: [s1]}\n",
    )
    composed = []
    real = locate.compose
    monkeypatch.setattr(locate, "compose", lambda *a, **k: composed.append(1) or real(*a, **k))
    assert [str(p) for p in validate([f]).problems] == [f"{f}:2007:32: unknown entity 'nowhere'"]
    assert composed == []


def test_a_file_too_large_for_the_memory_left_is_refused_with_the_way_around(tmp_path):
    """Under a memory cap the parser would abort the process (a Rust panic, no message);
    the file is refused first, naming the limit and how to get around it."""
    import subprocess
    import sys

    rows = "".join(
        f"  - {{type: leads, from: e{i % 997}, to: p{i % 991}, start: 2020, "
        f"sources: [s1], note: {'x' * 120}}}\n"
        for i in range(60_000)
    )
    f = tmp_path / "huge.yaml"
    f.write_text("relations:\n" + rows)  # ~12 MB: ~170 MB to parse
    code = (
        "import resource, sys\nfrom regulink.cli.main import cli\n"
        "used = int(open('/proc/self/statm').read().split()[0]) * 4096\n"
        "resource.setrlimit(resource.RLIMIT_AS, (used + 120_000_000, "
        "resource.RLIM_INFINITY))\n"
        "cli(['validate', sys.argv[1]])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(f)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"REGULINK_CACHE": "0", "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 1, out.stderr[-2000:]
    (line, summary) = out.stderr.splitlines()
    assert line.startswith(
        f"{f}:0:0: too large to read here: this 12 MB file needs about "
        "0.2 GB to parse (14 times its size) and "
    )
    assert line.endswith(
        "GB is left under the address-space limit (ulimit -v) of "
        f"{line.split(' of ')[-1].split()[0]} GB; split it into smaller fact "
        "files in one folder (each file is parsed on its own)"
    )
    assert summary == "Error: 1 problem in 1 of 1 file"


_VALUES = [
    "plain",
    "People's Bank",
    "'single ''q'''",
    '"dq \\" x, y: z"',
    "'it''s'",
    "2020",
    "O'Brien",
    "[1, 2]",
    "{a: 1}",
]


def _random_section(rng) -> str:
    lines = ["relations:"]
    for _ in range(rng.randint(1, 6)):
        keys = rng.sample(
            ["type", "from", "to", "note", "role", "sources", "status"], rng.randint(1, 6)
        )
        if rng.random() < 0.6:  # flow style, sometimes over several lines
            parts = [
                f"{k}: [s1, {rng.choice(['s2', '"s3"'])}]"
                if k == "sources"
                else f"{k}: {rng.choice(_VALUES)}"
                for k in keys
            ]
            lines.append("  - {" + rng.choice([", ", ",\n     ", " ,  "]).join(parts) + "}")
        else:  # block style, with block lists
            for n, k in enumerate(keys):
                pre = "  - " if n == 0 else "    "
                if k == "sources":
                    lines.append(f"{pre}{k}:")
                    lines += ["      - s1"] * rng.randint(1, 3)
                else:
                    lines.append(f"{pre}{k}: {rng.choice(_VALUES)}")
        if rng.random() < 0.2:
            lines.append("  # a comment")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(4))
def test_random_layouts_agree_with_the_careful_parse(seed):
    import random

    rng = random.Random(seed)
    answered = 0
    for _ in range(60):
        text = _random_section(rng)
        try:
            data = yaml_rs.loads(text, parse_datetime=False)
        except yaml_rs.YAMLDecodeError:
            continue
        tree, found = compose(text)
        if found:
            continue
        quick = QuickLocator(text, {k: len(v) for k, v in data.items()})
        for p, key in _paths(data):
            got = quick.locate(p, key=key)
            if got is not None:
                answered += 1
                assert got == tree.locate(p, key=key), (text, p, key)
    assert answered > 200
