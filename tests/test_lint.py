"""``regulink lint``: each rule on a small hand-built fact file with known findings, the CLI
contract (output, exit codes, --strict, --json, --rule), and the bundled seeds held clean."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from regulink import api
from regulink.cli.main import cli
from regulink.errors import ValidationFailed

# One clean world: two regulators that sign an MoU, with a dated press release.
CLEAN = """\
sources:
  - {id: pr, kind: press_release, publisher: Alpha, title: MoU signed, date: 2024-03-01, url: "https://alpha.example/news/mou"}
  - {id: site, kind: website, publisher: Body, title: Members, date: 2025-01-01, url: "https://body.example/members"}
entities:
  - {id: alpha, kind: regulator, name: Alpha Securities Authority, jurisdiction: SG}
  - {id: beta, kind: regulator, name: Beta Markets Commission, jurisdiction: GB}
  - {id: body, kind: international_org, name: Standards Body, jurisdiction: INT}
relations:
  - {type: signed_mou_with, from: alpha, to: beta, start: 2024-03-01, sources: [pr], note: "Alpha's release says both signed a fintech MoU."}
  - {type: member_of, from: alpha, to: body, sources: [site], note: "The body's members page lists Alpha as a member."}
"""  # noqa: E501  (a fact file as curators write it: a record a line)


@pytest.fixture
def run():
    def _run(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return _run


def rules_at(report) -> list[tuple[int, int, str]]:
    return [(f.line, f.col, f.rule) for f in report.findings]


def test_clean_file_has_no_findings_and_website_dates_do_not_date_memberships(write):
    report = api.lint([write("clean.yaml", CLEAN)])
    assert report.ok and report.findings == []


def test_undated_relation_with_dated_source(write):
    f = write("f.yaml", CLEAN.replace("start: 2024-03-01, ", ""))
    report = api.lint([f])
    assert rules_at(report) == [(9, 5, "undated-relation")]
    assert "'pr' is dated 2024-03-01" in report.findings[0].message


def test_short_note_points_at_the_note(write):
    f = write(
        "f.yaml", CLEAN.replace("The body's members page lists Alpha as a member.", "Member.")
    )
    report = api.lint([f])
    assert rules_at(report) == [(10, 69, "short-note")]
    assert report.findings[0].message.startswith("note has 1 word:")


@pytest.mark.parametrize(
    "url,expect",
    [
        (
            "https://web.archive.org/web/2024/https://alpha.example/news/mou",
            "copy on web.archive.org",
        ),
        ("https://alpha.example/news/mou?utm_source=x&id=3&fbclid=y", "fbclid, utm_source"),
        ("https://staging.alpha.example/news/mou", "copy on staging.alpha.example"),
    ],
)
def test_source_url_mirrors_and_tracking(write, url, expect):
    f = write("f.yaml", CLEAN.replace("https://alpha.example/news/mou", url))
    report = api.lint([f])
    assert rules_at(report) == [(2, 95, "source-url")]
    assert expect in report.findings[0].message


def test_duplicate_entities_same_jurisdiction_only(write):
    extra = (
        "  - {id: alpha2, kind: regulator, name: Alpha Securities Authority., "
        "jurisdiction: SG}\n"
        "  - {id: alpha-gb, kind: regulator, name: Alpha Securities Authority, "
        "jurisdiction: GB}\n"
        "  - {id: a3, kind: regulator, name: Other, aliases: [Alfa Securities Authority], "
        "jurisdiction: SG}\n"
    )
    f = write("f.yaml", CLEAN.replace("relations:\n", extra + "relations:\n"))
    found = api.lint([f]).findings
    assert [(x.line, x.rule) for x in found] == [
        (8, "duplicate-entity"),
        (10, "duplicate-entity"),
        (10, "duplicate-entity"),
    ]
    assert f"'alpha2' looks like 'alpha' at {f}:5:5" in found[0].message
    assert "both named 'alpha securities authority'" in found[0].message
    assert "'alpha securities authority' ~ 'alfa securities authority' (94)" in found[1].message


def test_redundant_parallel_relations(write):
    extra = (
        "  - {type: partners_with, from: alpha, to: beta, start: 2024-03-01, sources: [pr], "
        'note: "The release calls them partners in fintech."}\n'
        "  - {type: supports, from: beta, to: alpha, start: 2024-03-01, sources: [pr], "
        'note: "The release says Beta backs Alpha\'s sandbox."}\n'
        "  - {type: funds, from: beta, to: alpha, start: 2024-03-01, sources: [pr], "
        'note: "The release says Beta pays for the joint sandbox."}\n'
        "  - {type: part_of, from: body, to: beta, sources: [site], "
        'note: "The page calls the body a unit of Beta."}\n'
        "  - {type: builds_on, from: body, to: beta, sources: [site], "
        'note: "The page says the body extends Beta\'s work."}\n'
    )
    f = write("f.yaml", CLEAN + extra)
    found = api.lint([f]).findings
    assert [(x.line, x.col, x.rule) for x in found] == [
        (13, 12, "redundant-relation"),
        (15, 12, "redundant-relation"),
    ]
    assert "4 relations link 'alpha' and 'beta'" in found[0].message
    assert f"'builds_on' repeats 'part_of' at {f}:14:5" in found[1].message


def test_entity_linked_only_through_a_place(write):
    extra = (
        "  - {type: located_in, from: firm, to: city, sources: [site], "
        'note: "The page gives the firm an office in the city."}\n'
    )
    ents = (
        "  - {id: city, kind: place, name: Some City, jurisdiction: SG}\n"
        "  - {id: firm, kind: company, name: Firm Ltd, jurisdiction: SG}\n"
    )
    f = write("f.yaml", CLEAN.replace("relations:\n", ents + "relations:\n") + extra)
    assert rules_at(api.lint([f])) == [(9, 5, "place-only")]
    # once the firm does something, the place is no longer its only link
    more = (
        "  - {type: partners_with, from: firm, to: alpha, start: 2024-03-01, sources: [pr], "
        'note: "The release names the firm as Alpha\'s partner."}\n'
    )
    f2 = write("g.yaml", CLEAN.replace("relations:\n", ents + "relations:\n") + extra + more)
    assert api.lint([f2]).ok


def test_kind_name_mismatch_and_unknown_jurisdiction(write):
    ents = (
        "  - {id: dci, kind: central_bank, name: Digital Currency Institute, jurisdiction: CN}\n"
        "  - {id: pat, kind: person, name: Pat Doe, jurisdiction: INT}\n"
    )
    f = write("f.yaml", CLEAN.replace("relations:\n", ents + "relations:\n"))
    found = api.lint([f]).findings
    assert [(x.line, x.col, x.rule) for x in found] == [
        (8, 21, "kind-name"),
        (9, 58, "unknown-jurisdiction"),
    ]
    assert "not central_bank or regulator" in found[0].message


def test_ignore_comment_silences_only_its_rule(write):
    body = CLEAN.replace("start: 2024-03-01, ", "")
    line = body.splitlines()[8]
    silenced = body.replace(line, line + "  # lint: ignore[undated-relation]")
    assert api.lint([write("a.yaml", silenced)]).ok
    other = body.replace(line, line + "  # lint: ignore[short-note]")
    assert rules_at(api.lint([write("b.yaml", other)])) == [(9, 5, "undated-relation")]


def test_invalid_files_raise_validation_failed(write):
    f = write("bad.yaml", "relations:\n  - {type: leads, from: a, to: b, sources: [s]}\n")
    with pytest.raises(ValidationFailed):
        api.lint([f])


# ---------------------------------------------------------------- the CLI
def test_cli_warnings_exit_0_and_strict_exits_1(run, write):
    f = write("f.yaml", CLEAN.replace("start: 2024-03-01, ", ""))
    r = run("lint", str(f))
    assert r.exit_code == 0
    assert r.stdout.splitlines() == [
        f"{f}:9:5: relation has no date, but its source 'pr' is dated 2024-03-01: give the "
        "date the source states for this fact [undated-relation]"
    ]
    assert r.stderr == "1 finding in 1 files (undated-relation 1)\n"
    assert run("lint", "--strict", str(f)).exit_code == 1
    assert run("lint", "--strict", str(write("c.yaml", CLEAN))).exit_code == 0


def test_cli_json_and_rule_selection(run, write):
    f = write(
        "f.yaml",
        CLEAN.replace("start: 2024-03-01, ", "").replace(
            "The body's members page lists Alpha as a member.", "Member."
        ),
    )
    data = json.loads(run("lint", "--json", str(f)).stdout)
    assert data["by_rule"] == {"undated-relation": 1, "short-note": 1}
    assert data["findings"][1] == {
        "file": str(f),
        "line": 10,
        "col": 69,
        "message": data["findings"][1]["message"],
        "rule": "short-note",
    }
    r = run("lint", "--rule", "short-note", str(f))
    assert [line.rsplit(" ", 1)[-1] for line in r.stdout.splitlines()] == ["[short-note]"]
    assert run("lint", "--rule", "nonsense", str(f)).exit_code == 2


def test_cli_invalid_files_exit_1_with_located_problems(run, write):
    f = write("bad.yaml", "relations:\n  - {type: leads, from: a, to: b, sources: [s]}\n")
    r = run("lint", str(f))
    assert r.exit_code == 1
    assert f"{f}:2:25: unknown entity 'a'" in r.stderr
    assert "Traceback" not in r.output


def test_cli_escapes_control_characters(run, write):
    ents = (
        '  - {id: dci, kind: central_bank, name: "Digital \\x1b[31m Institute", jurisdiction: CN}\n'
    )
    f = write("f.yaml", CLEAN.replace("relations:\n", ents + "relations:\n"))
    r = run("lint", str(f))
    # validation now refuses control characters in text (issue 14): the problem is
    # reported, escaped, and nothing raw reaches the terminal
    assert "\x1b" not in r.output and "\\x1b" in r.output


# ---------------------------------------------------------------- the bundled seeds
def test_bundled_seeds_pass_strict(run):
    r = run("lint", "--strict")
    assert r.exit_code == 0, r.stdout
    assert r.stdout == ""
    assert api.lint().ok


# ------------------------------------------------------------ positions: fast path = careful path
BLOCK = """\
# a comment
entities:
  - id: alpha   # trailing comment
    kind: regulator
    name: "Alpha: the authority"
    aliases:
      - Alpha A
      - "note: not a key"
    jurisdiction: SG
  - {id: beta, kind: regulator, name: Beta, jurisdiction: GB}
relations:
  - type: partners_with
    from: alpha
    to: beta
    sources: [s]
    note: >
      A folded note that spans
      two lines.
  - {type: leads, from: alpha, to: beta, sources: [s], note: "Says \\"leads\\", note: twice."}
sources:
  - {id: s, kind: news, publisher: P, title: "T, with: colon", url: "https://x.org/a"}
"""


@pytest.mark.parametrize("which", ["seeds", "block"])
def test_fast_positions_match_the_careful_parser(which, write):
    from pathlib import Path

    from regulink.graph.lint import _ItemIndex
    from regulink.loaders.seeds import default_seed_paths
    from regulink.loaders.yaml_files import fact_files, read_file

    paths = fact_files(default_seed_paths())[0] if which == "seeds" else [write("b.yaml", BLOCK)]
    checked = 0
    for path in paths:
        doc = read_file(Path(path))
        index = _ItemIndex.of(doc, doc.text.splitlines())
        assert index is not None, path
        for section, items in doc.data.items():
            for i, rec in enumerate(items):
                assert index.find((section, i)) == doc.locate((section, i))
                for field in ("id", "type", "kind", "name", "note", "url", "jurisdiction"):
                    if field in rec:
                        fast = index.find((section, i, field))
                        assert fast is not None, (path, section, i, field)
                        assert fast == doc.locate((section, i, field)), (path, section, i, field)
                        checked += 1
    assert checked > (1500 if which == "seeds" else 10)


def test_fast_position_of_a_missing_field_is_its_record(write):
    from pathlib import Path

    from regulink.graph.lint import _ItemIndex
    from regulink.loaders.yaml_files import read_file

    doc = read_file(Path(write("m.yaml", BLOCK)))
    index = _ItemIndex.of(doc, doc.text.splitlines())
    assert index.find(("entities", 1, "note")) == doc.locate(("entities", 1, "note")) == (10, 5)
