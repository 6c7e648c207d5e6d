"""Caches that cannot lie (issue 14): any changed byte in a fact-cache entry or a path index
is caught by the entry's keyed hash, the entry is rebuilt with one warning line, and the
answer is the one the facts give: never a wrong answer, never a traceback."""

from __future__ import annotations

import random
import shutil

import pytest
from click.testing import CliRunner

from regulink.cli.main import cli
from regulink.loaders import cache as C

SUFFIXES = (".pickle", ".paths.sqlite")


def _run(seeds, *args):
    r = CliRunner().invoke(cli, ["--seeds", str(seeds), *args])
    assert "Traceback" not in r.output
    return r


def _commands(seeds):
    return [
        ("show", "alpha-ma"),
        ("path", "alpha-ma", "omega-settlements"),
        ("path", "Gamma Financial Market Authority", "delta-bank", "--json"),
    ]


def _answers(seeds):
    return [_run(seeds, *c).stdout for c in _commands(seeds)]


def _entry(cache_dir, suffix):
    (entry,) = cache_dir.glob(f"facts-*{suffix}")
    return entry


def _warm(seeds, cache_dir):
    want = _answers(seeds)
    assert all(want), want
    for suffix in SUFFIXES:
        _entry(cache_dir, suffix)
    return want


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "failed its integrity check" in line]


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("trial", range(12))
def test_random_bit_flips_are_caught(cache_dir, mini_dir, suffix, trial):
    want = _warm(mini_dir, cache_dir)
    entry = _entry(cache_dir, suffix)
    data = bytearray(entry.read_bytes())
    rng = random.Random(f"{suffix}{trial}")
    for _ in range(rng.choice((1, 1, 3))):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    entry.write_bytes(bytes(data))
    results = [_run(mini_dir, *c) for c in _commands(mini_dir)]
    assert [r.stdout for r in results] == want
    # exactly one warning, from the first command that read the entry; it is then rebuilt
    assert sum(len(_warnings(r.stderr)) for r in results) == 1
    assert _answers(mini_dir) == want and _entry(cache_dir, suffix).exists()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_in_place_edits_are_caught(cache_dir, mini_dir, suffix):
    want = _warm(mini_dir, cache_dir)
    entry = _entry(cache_dir, suffix)
    pristine = entry.read_bytes()
    edits = [
        # the attacks of the issue: a changed name, id or relation type, same length
        lambda b: b.replace(b"Alpha Monetary Authority", b"Alpha Monetary Authoritx"),
        lambda b: b.replace(b"omega-settlements", b"omega-settlementz"),
        lambda b: b.replace(b"member_of", b"funded_by", 1),
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b + b"\0",  # grown
        lambda b: b"",  # emptied
        lambda b: bytes(random.Random(1).randbytes(len(b))),  # random
    ]
    for edit in edits:
        changed = edit(pristine)
        if changed == pristine:
            continue
        entry.write_bytes(changed)
        results = [_run(mini_dir, *c) for c in _commands(mini_dir)]
        assert [r.stdout for r in results] == want
        assert sum(len(_warnings(r.stderr)) for r in results) == 1
        pristine = _entry(cache_dir, suffix).read_bytes()  # rebuilt: take the new one


def test_an_entry_copied_under_another_key_is_not_trusted(cache_dir, mini_dir, tmp_path):
    _warm(mini_dir, cache_dir)
    other = tmp_path / "other"
    shutil.copytree(mini_dir, other)
    (other / "entities.yaml").write_text(
        (other / "entities.yaml")
        .read_text()
        .replace("Alpha Monetary Authority", "Alpha Monetary Authority Two")
    )
    want = _answers(other)
    (a, b) = sorted(cache_dir.glob("facts-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
    b.write_bytes(a.read_bytes())  # the first set's entry under the second set's key
    r = _run(other, "show", "alpha-ma")
    assert r.stdout == want[0] and len(_warnings(r.stderr)) == 1


def test_seal_and_verify_round_trip(tmp_path, capsys):
    entry = tmp_path / "facts-0123abcd.pickle"
    tmp = tmp_path / "x"
    tmp.write_bytes(b"payload")
    C.seal(tmp, entry)
    tmp.rename(entry)
    assert C.verify(entry)
    entry.write_bytes(entry.read_bytes().replace(b"payload", b"paylaod"))
    assert not C.verify(entry) and not entry.exists()
    assert capsys.readouterr().err.count("failed its integrity check") == 1
