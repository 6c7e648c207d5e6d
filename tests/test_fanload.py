"""`regulink load` on several cores (regulink.loaders.fanload): the same graph, digest and
counts as a load of the whole fact base in one process; invalid facts change nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import regulink
from regulink.errors import ValidationFailed
from regulink.loaders import fanload
from regulink.loaders.store import FalkorLiteStore
from regulink.loaders.store.base import fingerprint
from regulink.loaders.validate import load_facts
from tests.test_generate import _module
from tests.test_store_support import dump_graph, expected_graph


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    return _module("generate").generate(out, relations=4_000, seed=11).out


def _spy(monkeypatch) -> list:
    seen: list = []
    real = fanload.load_chunks

    def spy(chunks, store, **kw):
        got = real(chunks, store, **kw)
        seen.append((len(chunks), got is not None))
        return got

    monkeypatch.setattr(fanload, "load_chunks", spy)
    return seen


def _load(monkeypatch, paths, db: Path, workers: int):
    monkeypatch.setenv("REGULINK_WORKERS", str(workers))
    monkeypatch.setenv("REGULINK_CACHE", "0")
    with FalkorLiteStore(db) as store:
        report = regulink.api.load_files(paths, store)
        return report, dump_graph(store), store.meta()


def test_the_graph_digest_and_counts_are_those_of_one_process(monkeypatch, generated, tmp_path):
    seen = _spy(monkeypatch)
    fanned, graph, meta = _load(monkeypatch, [generated], tmp_path / "a.db", 3)
    assert seen == [(3, True)]  # three chunks, loaded without falling back
    one, graph1, meta1 = _load(monkeypatch, [generated], tmp_path / "b.db", 1)
    assert len(seen) == 1  # one process: the usual load
    facts = load_facts([generated], cache=False)
    assert graph == graph1 == expected_graph(facts)
    assert fanned.fingerprint == one.fingerprint == fingerprint(facts) == meta["fingerprint"]
    assert (fanned.entities, fanned.relations, fanned.sources) == (
        len(facts.entities),
        len(facts.relations),
        len(facts.sources),
    )
    assert meta["relations"] == meta1["relations"] == len(facts.relations)


def test_loading_the_same_facts_again_is_unchanged(monkeypatch, generated, tmp_path):
    first, _, _ = _load(monkeypatch, [generated], tmp_path / "a.db", 2)
    again, _, _ = _load(monkeypatch, [generated], tmp_path / "a.db", 2)
    assert first.changed and not again.changed


def _copy(src: Path, dst: Path) -> list[Path]:
    dst.mkdir()
    for f in sorted(src.glob("*.yaml")):
        (dst / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return sorted(dst.glob("*.yaml"))


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_problem_in_any_chunk_changes_nothing_and_is_reported_whole(
    monkeypatch, generated, tmp_path, where
):
    good, _, _ = _load(monkeypatch, [generated], tmp_path / "g.db", 2)
    files = _copy(generated, tmp_path / "set")
    bad = files[0] if where == "first" else files[-1]
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("kind: regulator", "kind: regulater", 1),
        encoding="utf-8",
    )
    seen = _spy(monkeypatch)
    with pytest.raises(ValidationFailed) as exc:
        _load(monkeypatch, [tmp_path / "set"], tmp_path / "g.db", 2)
    assert seen == [(2, False)]
    monkeypatch.setenv("REGULINK_WORKERS", "1")
    with pytest.raises(ValidationFailed) as one:
        load_facts([tmp_path / "set"], cache=False)
    assert [str(p) for p in exc.value.problems] == [str(p) for p in one.value.problems]
    with FalkorLiteStore(tmp_path / "g.db") as store:
        assert store.meta()["fingerprint"] == good.fingerprint  # the previous graph, whole


def test_chunks_that_disagree_fall_back_to_the_report(monkeypatch, generated, tmp_path):
    files = _copy(generated, tmp_path / "set")
    facts = load_facts([generated], cache=False)
    first_id = next(iter(facts.entities))
    # defined again in the last file (another chunk): a duplicate only the cross-check sees
    (tmp_path / "set" / "zz.yaml").write_text(
        f"entities:\n  - {{id: {first_id}, kind: regulator, name: Twice, jurisdiction: SG}}\n",
        encoding="utf-8",
    )
    assert files
    seen = _spy(monkeypatch)
    with pytest.raises(ValidationFailed) as exc:
        _load(monkeypatch, [tmp_path / "set"], tmp_path / "x.db", 2)
    assert seen == [(2, False)]
    assert any(f"duplicate entity id {first_id!r}" in p.message for p in exc.value.problems)
    assert not (tmp_path / "x.db").exists()  # the store was never used


def test_a_helper_that_fails_costs_only_the_usual_load(monkeypatch, generated, tmp_path):
    monkeypatch.setattr(sys, "executable", "/bin/false")  # a real child that exits at once
    report, graph, _ = _load(monkeypatch, [generated], tmp_path / "a.db", 2)
    monkeypatch.undo()
    assert graph == expected_graph(load_facts([generated], cache=False))
    assert report.relations == len(load_facts([generated], cache=False).relations)


def test_numbering_counts_every_node_sent_before():
    blocks = [[(True, ["a", "b"]), (False, ["s1", "s2"])], [(True, ["c"]), (False, ["s3"])]]
    assert fanload.numbering(blocks) == {"a": 0, "b": 1, "c": 4}


def test_agree_catches_each_kind_of_disagreement():
    base = {
        "entities": ["a"],
        "sources": ["s"],
        "entity_refs": {"a"},
        "source_refs": {"s"},
        "rel_keys": fanload.key_hashes(["k1"]),
    }
    other = {**base, "entities": ["b"], "sources": ["t"], "rel_keys": fanload.key_hashes(["k2"])}
    assert fanload.agree([base, other])
    assert not fanload.agree([base, {**other, "entities": ["a"]}])  # an id twice
    assert not fanload.agree([base, {**other, "sources": ["s"]}])
    assert not fanload.agree([base, {**other, "entity_refs": {"zz"}}])  # defined nowhere
    assert not fanload.agree([base, {**other, "source_refs": {"zz"}}])
    assert not fanload.agree(
        [base, {**other, "rel_keys": fanload.key_hashes(["k1"])}]
    )  # stated twice
    assert not fanload.agree(
        [{**base, "rel_keys": fanload.key_hashes(["k1", "k1"])}]
    )  # twice in one chunk
