"""The benchmark generator writes valid, deterministic, realistically shaped fact sets."""

from __future__ import annotations

import collections
import importlib.util
import sys
from pathlib import Path

import pytest

from regulink.loaders.validate import check

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _module(name: str):
    # benchmarks/ is a folder of scripts, not a package: load the file itself.
    spec = importlib.util.spec_from_file_location(f"regulink_bench_{name}", BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gen():
    return _module("generate")


@pytest.fixture(scope="module")
def small(gen, tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    return gen.generate(out, relations=2_000, seed=7)


def test_output_validates_with_the_requested_size(small):
    facts, problems = check([small.out])
    assert problems == []
    assert len(facts.relations) == small.relations == 2_000
    assert len(facts.entities) == small.entities
    assert len(facts.sources) == small.sources
    assert len(facts.files) == small.files >= 4


def test_same_seed_same_bytes_other_seed_other_bytes(gen, small, tmp_path):
    again = gen.generate(tmp_path / "again", relations=2_000, seed=7)
    other = gen.generate(tmp_path / "other", relations=2_000, seed=8)
    names = sorted(p.name for p in small.out.glob("*.yaml"))
    assert names == sorted(p.name for p in again.out.glob("*.yaml"))
    for name in names:
        assert (small.out / name).read_bytes() == (again.out / name).read_bytes()
    assert any((small.out / n).read_bytes() != (other.out / n).read_bytes() for n in names)


def test_shape_is_realistic(small):
    facts, _ = check([small.out])
    kinds = collections.Counter(e.kind for e in facts.entities.values())
    for kind in ("central_bank", "regulator", "financial_institution", "project", "person"):
        assert kinds[kind] > 0, kind
    assert len({e.jurisdiction for e in facts.entities.values()}) >= 20

    participants = collections.Counter(
        r.to
        for r in facts.relations
        if r.type == "participates_in" and facts.entities[r.to].kind == "project"
    )
    assert participants and max(participants.values()) <= 40

    degree = collections.Counter()
    for r in facts.relations:
        degree[r.from_] += 1
        degree[r.to] += 1
    firms = sorted(
        (degree[e.id] for e in facts.entities.values() if e.kind == "financial_institution"),
        reverse=True,
    )
    # heavy tail: the busiest firm has many times the median firm's relations
    assert firms[0] >= 10 * max(1, firms[len(firms) // 2])

    years = {int(r.start[:4]) for r in facts.relations if r.start}
    assert min(years) >= 2011 and max(years) <= 2025 and len(years) >= 10
    cited = collections.Counter(s for r in facts.relations for s in r.sources)
    assert max(cited.values()) > 5  # sources are shared across relations
    assert any(r.end for r in facts.relations)


def test_generate_refuses_a_tiny_size(gen, tmp_path):
    with pytest.raises(ValueError):
        gen.generate(tmp_path, relations=10)


def test_benchmark_suite_smoke_run(tmp_path):
    # The whole suite on the smallest size, quickly: every stage runs and the table renders.
    # (The naive loader is left out here: its embedded server alone takes seconds to start.)
    import subprocess

    out = tmp_path / "results.jsonl"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes",
            "1k",
            "--quick",
            "--pairs",
            "2",
            "--naive-budget",
            "0",
            "--data",
            str(tmp_path / "data"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| 1,000 |" in proc.stdout
    import json

    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["validate"]["relations"] == 1_000 and row["path"]["pairs"] == 2
    assert row["floor"]["seconds"] > 0 and row["load"]["edges"] == 1_000
