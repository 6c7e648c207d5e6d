"""The saved analysis base: analyze, brokers and partners answer from it without reading the
facts, and never from one that no longer matches the files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import regulink
from regulink.cli.main import cli


def run(d, *args):
    return CliRunner().invoke(cli, ["--seeds", str(d), *args], catch_exceptions=False)


def test_second_call_answers_from_the_saved_base(cache_dir, mini_dir, monkeypatch):
    first = run(mini_dir, "analyze", "--json", "--top", "3")
    assert first.exit_code == 0
    assert list(cache_dir.glob("*.analysis.npz"))
    facts = regulink.load_facts([mini_dir])
    expected_partners = regulink.partners(facts, "gamma-fma")

    def refuse(*_a, **_k):
        raise AssertionError("the facts were read")

    monkeypatch.setattr(regulink.api, "load_facts", refuse, raising=False)
    again = run(mini_dir, "analyze", "--json", "--top", "3")
    assert again.exit_code == 0 and json.loads(again.stdout) == json.loads(first.stdout)
    r = run(mini_dir, "partners", "gamma-fma", "--json")
    assert json.loads(r.stdout) == expected_partners
    r = run(mini_dir, "brokers", "SG", "CH", "--exclude", "delta-bank", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["rules"]["exclude"] == ["delta-bank"]
    # a name that is not an exact id needs the search over the facts
    with pytest.raises(AssertionError, match="the facts were read"):
        run(mini_dir, "partners", "GFMA")


def test_a_changed_file_or_a_broken_entry_is_never_trusted(cache_dir, mini_dir):
    assert run(mini_dir, "analyze", "--json").exit_code == 0
    (entry,) = cache_dir.glob("*.analysis.npz")
    entry.write_bytes(b"not an npz file")
    r = run(mini_dir, "analyze", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout) == regulink.analyze(regulink.load_facts([mini_dir]))
    assert regulink.api.analysis_base([mini_dir]) is not None  # rebuilt and saved again
    f = next(p for p in sorted(mini_dir.rglob("*.yaml")) if "partners_with" in p.read_text())
    f.write_text(f.read_text().replace("type: partners_with", "type: signed_mou_with"))
    r = run(mini_dir, "analyze", "--json")
    assert json.loads(r.stdout)["growth"]["by_type"]["2021"] == {"signed_mou_with": 1}


@pytest.mark.parametrize("trial", range(6))
def test_a_flipped_bit_in_the_saved_base_is_caught(cache_dir, mini_dir, trial):
    import random

    want = run(mini_dir, "analyze", "--json").stdout
    (entry,) = cache_dir.glob("*.analysis.npz")
    data = bytearray(entry.read_bytes())
    rng = random.Random(trial)
    i = rng.randrange(len(data))
    data[i] ^= 1 << rng.randrange(8)
    entry.write_bytes(bytes(data))
    r = CliRunner().invoke(cli, ["--seeds", str(mini_dir), "analyze", "--json"])
    assert r.exit_code == 0 and r.stdout == want  # the facts' answer, never the damaged one
    assert "failed its integrity check" in r.stderr
