"""The fact-base cache: reused while the files are unchanged, never for invalid facts."""

from __future__ import annotations

import os

import pytest

from regulink import ValidationFailed
from regulink.loaders import cache as C
from regulink.loaders import validate as V


def _no_validation(monkeypatch):
    def refuse(*a, **kw):
        raise AssertionError("validated again although the cache should have answered")

    monkeypatch.setattr(V, "check", refuse)


def test_second_load_comes_from_the_cache(cache_dir, mini_dir, monkeypatch):
    fresh = V.load_facts([mini_dir])
    assert len(list(cache_dir.glob("facts-*.pickle"))) == 1
    with monkeypatch.context() as m:
        _no_validation(m)
        cached = V.load_facts([mini_dir])
    assert cached == fresh and cached is not fresh


def test_an_edit_invalidates(cache_dir, mini_dir):
    V.load_facts([mini_dir])
    f = mini_dir / "entities.yaml"
    f.write_text(f.read_text() + "  - {id: zz-new, kind: project, name: Z, jurisdiction: SG}\n")
    assert "zz-new" in V.load_facts([mini_dir]).entities


def test_same_size_and_time_but_other_content_is_caught(cache_dir, mini_dir):
    V.load_facts([mini_dir])
    f = mini_dir / "entities.yaml"
    st = f.stat()
    text = f.read_text()
    at = text.index("name: ") + len("name: ")
    f.write_text(text[:at] + "X" + text[at + 1 :])  # one letter: same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    facts = V.load_facts([mini_dir])
    assert any(e.name.startswith("X") for e in facts.entities.values())


def test_invalid_facts_are_never_cached(cache_dir, write):
    f = write("bad.yaml", "entities:\n  - {id: a, kind: nope, name: A, jurisdiction: SG}\n")
    for _ in range(2):
        with pytest.raises(ValidationFailed):
            V.load_facts([f])
    assert not list(cache_dir.glob("facts-*.pickle"))


def test_switched_off_and_custom_schema_skip_the_cache(cache_dir, mini_dir, monkeypatch):
    from regulink.graph.schema import load_schema

    V.load_facts([mini_dir], schema=load_schema())
    V.load_facts([mini_dir], cache=False)
    monkeypatch.setenv("REGULINK_CACHE", "0")
    V.load_facts([mini_dir])
    assert not cache_dir.exists()


def test_a_corrupt_entry_is_ignored_and_replaced(cache_dir, mini_dir):
    fresh = V.load_facts([mini_dir])
    (entry,) = cache_dir.glob("facts-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert V.load_facts([mini_dir]) == fresh
    assert V.load_facts([mini_dir]) == fresh


def test_old_entries_are_pruned(tmp_path):
    cache = C.FactCache(tmp_path / "c")
    from regulink.graph.model import FactBase

    for i in range(C.KEEP + 3):
        f = tmp_path / f"f{i}.yaml"
        f.write_text("entities: []\n")
        cache.put([f], FactBase(), cache.stamp([f]))
    assert len(list((tmp_path / "c").glob("facts-*.pickle"))) == C.KEEP
    assert cache.clear() == C.KEEP


def test_a_file_changed_during_validation_is_not_cached(tmp_path):
    from regulink.graph.model import FactBase

    cache = C.FactCache(tmp_path / "c")
    f = tmp_path / "f.yaml"
    f.write_text("entities: []\n")
    stamp = cache.stamp([f])
    f.write_text("entities: []\nsources: []\n")
    cache.put([f], FactBase(), stamp)
    assert cache.get([f]) is None
