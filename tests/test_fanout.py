"""Validation on several processes gives exactly what one process gives: the same facts in
the same order, and for a set with problems the same located problems (it falls back)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from regulink.errors import ValidationFailed
from regulink.loaders import fanout
from regulink.loaders import validate as V
from tests.test_generate import _module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    return _module("generate").generate(out, relations=6_000, seed=5).out


def _check(monkeypatch, paths, workers: int):
    monkeypatch.setenv("REGULINK_WORKERS", str(workers))
    return V.check(paths)


def _spy(monkeypatch) -> list:
    """Records each fan-out's outcome: the facts, or None when it fell back."""
    seen: list = []
    real = V._check_fanned

    def spy(chunks):
        got = real(chunks)
        seen.append(got)
        return got

    monkeypatch.setattr(V, "_check_fanned", spy)
    return seen


def _files(d: Path) -> list[Path]:
    return sorted(d.glob("*.yaml"))


def test_fanned_out_facts_equal_one_process(monkeypatch, generated):
    seen = _spy(monkeypatch)
    fanned, fp = _check(monkeypatch, [generated], 3)
    assert seen and seen[-1] is not None  # the helpers' fragments were merged
    one, op = _check(monkeypatch, [generated], 1)
    assert len(seen) == 1  # one process: no fan-out at all
    assert fp == op == []
    assert fanned == one
    assert list(fanned.entities) == list(one.entities)
    assert fanned.files == one.files


def _copy(src: Path, dst: Path) -> list[Path]:
    dst.mkdir()
    for f in _files(src):
        (dst / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return _files(dst)


def _same_problems(monkeypatch, d: Path) -> list:
    seen = _spy(monkeypatch)
    _, fanned = _check(monkeypatch, [d], 2)
    assert seen == [None]  # it fell back to one process
    _, one = _check(monkeypatch, [d], 1)
    assert fanned == one and fanned
    return fanned


def test_a_problem_in_a_helpers_chunk_is_reported_as_one_process_does(
    monkeypatch, generated, tmp_path
):
    files = _copy(generated, tmp_path / "set")
    last = files[-1]  # checked by a helper
    text = last.read_text(encoding="utf-8")
    last.write_text(text.replace("kind: regulator", "kind: regulater", 1), encoding="utf-8")
    problems = _same_problems(monkeypatch, tmp_path / "set")
    assert any("regulater" in p.message and p.file == str(last) for p in problems)


def test_an_id_defined_in_two_chunks_is_reported_as_one_process_does(
    monkeypatch, generated, tmp_path
):
    files = _copy(generated, tmp_path / "set")
    first_id = V.check([files[0]])[0].entities.popitem()[0]
    extra = tmp_path / "set" / "zz-extra.yaml"
    extra.write_text(
        f"entities:\n  - {{id: {first_id}, kind: regulator, name: Twice, jurisdiction: SG}}\n",
        encoding="utf-8",
    )
    problems = _same_problems(monkeypatch, tmp_path / "set")
    assert any(f"duplicate entity id {first_id!r}" in p.message for p in problems)


def test_a_reference_no_chunk_defines_is_reported_as_one_process_does(
    monkeypatch, generated, tmp_path
):
    _copy(generated, tmp_path / "set")
    facts = V.check([generated])[0]
    src = next(iter(facts.sources))
    (tmp_path / "set" / "zz-extra.yaml").write_text(
        "relations:\n"
        f"  - {{type: partners_with, from: {next(iter(facts.entities))}, to: nobody-here,"
        f" sources: [{src}]}}\n",
        encoding="utf-8",
    )
    problems = _same_problems(monkeypatch, tmp_path / "set")
    assert any("unknown entity 'nobody-here'" in p.message for p in problems)


def test_a_helper_that_cannot_run_costs_only_the_fallback(monkeypatch, generated):
    # a real child that fails at once: the interpreter path points at a program that exits 1
    monkeypatch.setattr(sys, "executable", "/bin/false")
    seen = _spy(monkeypatch)
    facts, problems = _check(monkeypatch, [generated], 2)
    assert seen == [None]
    assert problems == []
    monkeypatch.undo()
    assert facts == _check(monkeypatch, [generated], 1)[0]


def test_load_facts_raises_the_same_error_either_way(monkeypatch, generated, tmp_path):
    files = _copy(generated, tmp_path / "set")
    files[-1].write_text(
        files[-1].read_text(encoding="utf-8").replace("type: ", "type: x", 1), encoding="utf-8"
    )
    errors = []
    for workers in (2, 1):
        monkeypatch.setenv("REGULINK_WORKERS", str(workers))
        with pytest.raises(ValidationFailed) as exc:
            V.load_facts([tmp_path / "set"], cache=False)
        errors.append([str(p) for p in exc.value.problems])
    assert errors[0] == errors[1]


def test_plan_keeps_small_sets_in_one_process(monkeypatch, generated):
    monkeypatch.delenv("REGULINK_WORKERS", raising=False)
    assert fanout.plan(_files(generated)) == 1  # well under MIN_BYTES
    monkeypatch.setattr(fanout, "MIN_BYTES", 1)
    assert fanout.plan(_files(generated)) == min(
        len(_files(generated)), fanout.MAX_WORKERS, len(__import__("os").sched_getaffinity(0))
    )
    monkeypatch.setenv("REGULINK_WORKERS", "not a number")
    assert fanout.plan(_files(generated)) == 1


def test_split_keeps_files_in_order_and_gives_the_first_chunk_more(tmp_path):
    files = []
    for i in range(20):
        f = tmp_path / f"f{i:02}.yaml"
        f.write_bytes(b"x" * 1000)
        files.append(f)
    chunks = fanout.split(files, 2)
    assert [f for c in chunks for f in c] == files
    # this process's share is 1 : 1/HELPER_COST of the bytes
    share = 1 / (1 + 1 / fanout.HELPER_COST)
    assert len(chunks[0]) == round(share * 20)
    three = fanout.split(files, 3)
    assert [f for c in three for f in c] == files and len(three) == 3
    assert len(three[0]) > len(three[1]) >= len(three[2]) - 1
