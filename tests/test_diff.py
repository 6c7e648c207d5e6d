"""regulink diff: two versions of the facts (paths or git revisions), and one fact set at two
dates. Versions are built by editing a copy of the mini world; revisions in a real git
repository made for the test."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import MINI

import regulink
from regulink.errors import ValidationFailed
from regulink.graph.model import Entity, FactBase, Relation, Source
from regulink.loaders.factsets import GitError


def _edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


@pytest.fixture
def edited(mini_dir):
    """The mini world with one entity renamed, one relation's end changed, one relation
    added and one removed, and one source added."""
    rels = mini_dir / "relations.yaml"
    _edit(rels, "    start: 2022-11\n    end: 2023-09\n", "    start: 2022-11\n    end: 2023-12\n")
    _edit(
        rels,
        "  - type: partners_with\n    from: gamma-fma\n    to: delta-bank\n"
        "    start: 2021\n    sources: [fx-lark]\n",
        "",
    )
    _edit(
        rels,
        "relations:\n",
        "relations:\n  - type: funds\n    from: delta-bank\n"
        "    to: project-kite\n    start: 2024\n    sources: [fx-new]\n",
    )
    _edit(
        rels,
        "sources:\n",
        "sources:\n  - id: fx-new\n    kind: news\n    publisher: P\n    title: New\n",
    )
    _edit(
        mini_dir / "entities.yaml",
        "name: Alpha Monetary Authority",
        "name: Alpha Monetary Authority (renamed)",
    )
    return mini_dir


def test_same_facts_are_the_same():
    d = regulink.diff(MINI, MINI)
    assert d["same"] is True
    assert all(
        not d[s][k]
        for s in ("entities", "relations", "sources")
        for k in ("added", "removed", "changed")
    )


def test_versions_differ_with_places(edited):
    d = regulink.diff(MINI, edited)
    assert d["same"] is False
    rels, ents, srcs = d["relations"], d["entities"], d["sources"]
    (added,) = rels["added"]
    assert (added["type"], added["from"], added["to"]) == ("funds", "delta-bank", "project-kite")
    assert (
        added["where"]
        == f"{edited / 'relations.yaml'}:{_line_of(edited / 'relations.yaml', 'type: funds')}"
    )
    (removed,) = rels["removed"]
    assert removed["key"] == "partners_with:delta-bank:gamma-fma:2021"
    assert (
        removed["where"] == f"{MINI / 'relations.yaml'}:"
        f"{_line_of(MINI / 'relations.yaml', 'type: partners_with')}"
    )
    (changed,) = rels["changed"]
    assert changed["key"] == "participates_in:alpha-ma:project-lark:2022-11"
    assert changed["fields"] == {"end": {"old": "2023-09", "new": "2023-12"}}
    (renamed,) = ents["changed"]
    assert renamed["fields"]["name"]["new"] == "Alpha Monetary Authority (renamed)"
    assert renamed["where"].endswith(
        f"entities.yaml:{_line_of(edited / 'entities.yaml', 'id: alpha-ma')}"
    )
    assert [s["id"] for s in srcs["added"]] == ["fx-new"]
    assert not ents["added"] and not ents["removed"]


def test_cli_exit_codes_and_text(edited, run_mini):
    same = run_mini("diff", str(MINI), str(MINI))
    assert same.exit_code == 0 and "relations: 0 added, 0 removed, 0 changed" in same.output
    res = run_mini("diff", str(MINI), str(edited))
    assert res.exit_code == 1
    assert "relations: 1 added, 1 removed, 1 changed" in res.output
    assert "  + " in res.output and "delta-bank funds project-kite (2024)" in res.output
    assert "end: '2023-09' → '2023-12'" in res.output
    as_json = run_mini("diff", str(MINI), str(edited), "--json")
    assert as_json.exit_code == 1
    assert (
        json.loads(as_json.output)["relations"]["changed"][0]["fields"]["end"]["new"] == "2023-12"
    )


def test_a_version_that_does_not_validate_exits_2(edited, run_mini):
    _edit(edited / "relations.yaml", "type: funds", "type: fundz")
    res = run_mini("diff", str(MINI), str(edited))
    assert res.exit_code == 2
    assert "relations.yaml:2:11: unknown relation type 'fundz'" in res.output
    with pytest.raises(ValidationFailed):
        regulink.diff(MINI, edited)


def test_usage_errors(run_mini):
    assert run_mini("diff", str(MINI)).exit_code == 2
    res = run_mini("diff", "--from", "2022")
    assert res.exit_code == 2 and "both --from and --to" in res.output
    res = run_mini("diff", "--from", "2022", "--to", "2021")
    assert res.exit_code == 2 and "before" in res.output
    res = run_mini("diff", str(MINI), str(MINI), "--from", "2020", "--to", "2021")
    assert res.exit_code == 2


# --- git revisions -----------------------------------------------------------------------


def _git(repo, *args):
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path):
    """A git repository whose facts/ folder holds the mini world, committed twice: the
    original (tag v1) and the edited version (tag v2)."""
    root = tmp_path / "repo"
    facts = root / "facts"
    shutil.copytree(MINI, facts)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "v1")
    _git(root, "tag", "v1")
    _edit(facts / "entities.yaml", "name: Alpha Monetary Authority", "name: Alpha MA")
    _git(root, "commit", "-qam", "v2")
    _git(root, "tag", "v2")
    return root


def test_git_revisions(repo):
    d = regulink.diff(repo / "facts", git="v1..v2")
    assert (d["old"], d["new"], d["same"]) == ("v1", "v2", False)
    (changed,) = d["entities"]["changed"]
    line = _line_of(repo / "facts" / "entities.yaml", "id: alpha-ma")
    assert changed["where"] == f"facts/entities.yaml:{line}"
    assert regulink.diff(repo / "facts", git="v2..")["same"] is True  # v2 = the work tree
    _edit(repo / "facts" / "relations.yaml", "start: 2021\n", "start: 2020\n")
    d = regulink.diff(repo / "facts", git="v2")
    assert d["new"] == "work tree"
    assert [r["start"] for r in d["relations"]["added"]] == ["2020"]
    assert d["relations"]["added"][0]["where"].startswith("facts/relations.yaml:")


def test_git_errors(repo, tmp_path, run_mini):
    with pytest.raises(GitError, match="unknown revision 'nope'"):
        regulink.diff(repo / "facts", git="nope..v2")
    outside = tmp_path / "outside"
    shutil.copytree(MINI, outside)
    with pytest.raises(GitError, match="not in a git repository"):
        regulink.diff(outside, git="v1..v2")
    res = run_mini("diff", "--git", "v1..v2", str(repo / "facts"))
    assert res.exit_code == 1 and "facts/entities.yaml:" in res.output


# --- dates (issue 11, item 4) ------------------------------------------------------------


@pytest.fixture(scope="module")
def history() -> FactBase:
    ents = {
        "sg-a": Entity("sg-a", "central_bank", "SG Authority", "SGA", (), "SG"),
        "ch-b": Entity("ch-b", "regulator", "CH Regulator", "CHB", (), "CH"),
        "proj": Entity(
            "proj", "project", "Project P", None, (), "INT", start="2021-01", end="2023-06"
        ),
        "org": Entity("org", "international_org", "Org", None, (), "INT"),
    }
    src = Source("s", "press_release", "Pub", "Title", "2021-01-05", "https://pub.example/s")
    return FactBase(
        ents,
        [
            Relation("launched", "sg-a", "proj", "2021-01", None, None, None, ("s",)),
            Relation("participates_in", "ch-b", "proj", "2022-03", None, None, None, ("s",)),
            Relation("member_of", "ch-b", "org", "2019", "2022-09", None, None, ("s",)),
            Relation(
                "partners_with", "sg-a", "ch-b", None, None, None, None, ("s",), symmetric=True
            ),
        ],
        {"s": src},
    )


def test_dates_began_and_ended(history):
    d = regulink.diff_dates(history, "2021", "2023")
    assert (d["from"], d["to"]) == ("2021", "2023")
    assert [(r["type"], r["date"]) for r in d["began"]] == [("participates_in", "2022-03")]
    ended = {r["type"]: r for r in d["ended"]}
    assert set(ended) == {"member_of", "participates_in", "launched"}
    # The participation and the launch end with the project: derived ends.
    assert (
        ended["participates_in"]["end_derived"] and ended["participates_in"]["ended_with"] == "proj"
    )
    assert ended["member_of"]["date"] == "2022-09" and not ended["member_of"]["end_derived"]
    assert ended["member_of"]["sources"][0]["url"] == "https://pub.example/s"
    # grouped by the acting entity's jurisdiction, then kind
    assert [(r["jurisdiction"], r["kind"]) for r in d["ended"]] == [
        ("CH", "regulator"),
        ("CH", "regulator"),
        ("SG", "central_bank"),
    ]


def test_dates_an_event_began_on_its_day(history):
    d = regulink.diff_dates(history, "2020", "2021-01")
    assert [(r["type"], r["event"], r["date"]) for r in d["began"]] == [
        ("launched", True, "2021-01")
    ]
    assert regulink.diff_dates(history, "2021-01", "2021-12")["began"] == []


def test_cli_dates_text_and_json(run_mini, mini):
    res = run_mini("diff", "--from", "2022", "--to", "2023", "--json")
    assert res.exit_code == 0
    doc = json.loads(res.output)
    assert set(doc) == {"from", "to", "began", "ended"}
    assert doc == regulink.diff_dates(mini, "2022", "2023")
    # The mini world: alpha-ma's participation in Lark ended 2023-09.
    assert any(r["key"] == "participates_in:alpha-ma:project-lark:2022-11" for r in doc["ended"])
    text = run_mini("diff", "--from", "2022", "--to", "2023")
    assert text.exit_code == 0
    assert "Between 2022 and 2023:" in text.output
    assert "participates in" in text.output and "ended" in text.output
