"""Malformed and hostile fact files (issue 14): each refused as FILE:LINE:COL: message, exit 1,
no traceback, every problem at once; and the validation fixes of issue 11 item 7."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from regulink import load_facts
from regulink.cli.main import cli
from regulink.errors import EntityNotFound
from regulink.graph.search import resolve
from tests.conftest import MINI
from tests.test_validate import HEAD, problems


def refused(*paths: Path) -> str:
    """Run `regulink validate` and check it refused cleanly; return its stderr."""
    r = CliRunner().invoke(cli, ["validate", *map(str, paths)])
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    return r.stderr


@pytest.mark.parametrize("sources", ["[[s1]]", "[{id: s1}]"])
def test_nested_values_in_sources_are_located_problems(write, sources):
    f = write(
        "nested.yaml",
        HEAD + f"relations:\n  - {{type: leads, from: a, to: b, sources: {sources}}}\n",
    )
    (msg,) = problems(f)
    assert msg.startswith(f"{f}:7:") and "sources: each item must be text" in msg
    refused(f)


@pytest.mark.parametrize("value", ['"alpha\\n"', '"a--b"', '"-a"', '"a-"'])
def test_ids_are_full_matched(write, value):
    f = write(
        "ids.yaml", HEAD + f"  - {{id: {value}, kind: regulator, name: X, jurisdiction: SG}}\n"
    )
    (msg,) = problems(f)
    assert msg.startswith(f"{f}:6:10: invalid id")


def test_trailing_newline_in_dates_is_refused(write):
    f = write(
        "nl.yaml",
        HEAD + '  - {id: c, kind: regulator, name: C, jurisdiction: SG, start: "2023-05-01\\n"}\n',
    )
    assert problems(f) == [
        f"{f}:6:64: invalid date '2023-05-01\\n': use YYYY, YYYY-MM or "
        "YYYY-MM-DD (a real calendar date)"
    ]


@pytest.mark.parametrize(
    "text", ['"A\\e]0;owned\\a"', '"A\\x1b[2J"', '"A\\u009b31m"', '"A\\u202eB"', '"A\\rB"']
)
def test_control_characters_in_text_are_refused(write, text):
    f = write(
        "ctl.yaml", HEAD + f"  - {{id: c, kind: regulator, name: {text}, jurisdiction: SG}}\n"
    )
    (msg,) = problems(f)
    assert msg.startswith(f"{f}:6:") and "control character" in msg
    err = refused(f)
    assert "\x1b" not in err and "\x9b" not in err and "\u202e" not in err


def test_control_characters_in_lists_and_urls_are_refused(write):
    f = write(
        "ctl2.yaml",
        HEAD + "  - {id: c, kind: regulator, name: C, jurisdiction: SG, "
        'aliases: ["ok", "x\\e[31m"], url: "https://x.org/\\e[2J"}\n',
    )
    assert len(problems(f)) == 2


@pytest.mark.parametrize("notation", ["0x7E7", "0o3747", "+2023", "02023", "2_023", "0b11"])
def test_integer_notations_are_not_dates(write, notation):
    f = write(
        "hex.yaml",
        HEAD + f"  - {{id: c, kind: regulator, name: C, jurisdiction: SG, start: {notation}}}\n",
    )
    assert problems(f)[0] == (
        f"{f}:6:64: number written as {notation!r}: write plain "
        "decimal digits (a year as 2023), or quote it if it is text"
    )
    refused(f)


def test_a_number_notation_does_not_hide_the_files_other_problems(write):
    f = write(
        "hex2.yaml",
        HEAD + "  - {id: c, kind: regulator, name: C, jurisdiction: SG, "
        "start: 0x7E7}\n  - {id: a--b, kind: regulator, name: D, "
        "jurisdiction: SG}\n",
    )
    msgs = problems(f)
    assert [m.split(":")[1] for m in msgs] == ["6", "7"]


def test_mixed_key_types_are_named_and_placed(write):
    f = write("keys.yaml", HEAD + "extra:\n  1: a\n  true: b\n")
    (msg,) = problems(f)
    assert msg == (
        f"{f}:8:3: duplicate key: 'true' and '1' (at 7:3) are the same key to "
        "YAML (True); quote keys that are text"
    )


def test_scalar_anchors_and_aliases_work_and_other_errors_are_placed(write):
    f = write(
        "anchor.yaml",
        HEAD + "  - {id: c, kind: regulator, name: &n Cee, "
        "short_name: *n, jurisdiction: SG}\n"
        "  - {id: D, kind: regulator, name: D, jurisdiction: SG}\n",
    )
    assert problems(f) == [
        f"{f}:7:10: invalid id 'D': use lowercase letters, digits and "
        "single hyphens (e.g. 'bank-of-england')"
    ]
    ok = write(
        "anchor-ok.yaml",
        HEAD + "  - {id: c, kind: regulator, name: &n Cee, short_name: *n, jurisdiction: SG}\n",
    )
    assert load_facts([ok], cache=False).entities["c"].short_name == "Cee"


def test_string_amplification_through_aliases_is_bounded_by_characters(write):
    big = "x" * 200_000
    lines = [
        HEAD.rstrip("\n"),
        f"  - {{id: c, kind: regulator, name: &big {big}, jurisdiction: SG}}",
    ]
    lines += [
        f"  - {{id: e{i}, kind: regulator, name: *big, jurisdiction: SG}}" for i in range(40)
    ]  # 8 MB of replayed text from a 0.2 MB file
    f = write("amp.yaml", "\n".join(lines) + "\n")
    (msg,) = problems(f)
    assert msg.startswith(f"{f}:") and "alias expansion exceeds 1,000,000 characters" in msg
    refused(f)


def test_silently_skipped_files_are_reported(tmp_path, write):
    d = tmp_path / "facts"
    write("facts/ok.yaml", HEAD)
    os.mkfifo(d / "pipe.yaml")
    (d / "gone.yaml").symlink_to(d / "nowhere.yaml")
    locked = d / "locked"
    locked.mkdir()
    (locked / "x.yaml").write_text(HEAD)
    locked.chmod(0)
    try:
        msgs = problems(d)
    finally:
        locked.chmod(0o755)
    assert f"{d / 'gone.yaml'}:0:0: broken symbolic link: its target does not exist" in msgs
    assert f"{d / 'pipe.yaml'}:0:0: not a regular file (a FIFO): fact files are plain files" in msgs
    if os.geteuid() != 0:  # root reads any folder
        assert f"{locked}:0:0: cannot read folder: Permission denied" in msgs


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_file_name_that_is_not_utf8_works_everywhere(tmp_path, cache_dir):
    d = tmp_path / "facts"
    d.mkdir()
    name = os.fsdecode(b"caf\xe9.yaml")
    (d / name).write_text(HEAD)
    r = CliRunner().invoke(cli, ["--seeds", str(d), "stats"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["--seeds", str(d), "show", "a"])  # cached now
    assert r.exit_code == 0, r.output
    (d / name).write_text(HEAD + "  - {id: Q, kind: regulator, name: Q, jurisdiction: SG}\n")
    r = CliRunner().invoke(cli, ["--seeds", str(d), "stats"])
    assert r.exit_code == 1 and "caf\\xe9.yaml:6:10: invalid id 'Q'" in r.stderr
    assert "Traceback" not in r.output


def test_duplicate_relations_say_what_is_the_same(write):
    f = write(
        "dup.yaml",
        HEAD + "relations:\n"
        "  - {id: r1, type: leads, from: a, to: b, sources: [s1]}\n"
        "  - {id: r1, type: leads, from: b, to: a, start: 2020, sources: [s1]}\n"
        "  - {type: leads, from: a, to: b, start: 2021, sources: [s1]}\n"
        "  - {type: leads, from: a, to: b, start: 2021, end: 2022, sources: [s1]}\n",
    )
    assert [m.split(": ", 1)[1] for m in problems(f)] == [
        f"duplicate relation id 'r1' (first used at {f}:7:5); ids are unique",
        f"duplicate relation: the same type 'leads', ends 'a' and 'b' and start 2021 as "
        f"{f}:9:5; merge the two or give each an id",
    ]


# -- issue 11 item 7 ---------------------------------------------------------------------------


def test_an_entity_with_a_bad_kind_is_reported_once_not_at_every_reference(write):
    f = write(
        "kind.yaml",
        HEAD + "  - {id: c, kind: bank, name: C, jurisdiction: SG}\n"
        "relations:\n  - {type: leads, from: a, to: c, sources: [s1]}\n"
        "  - {type: leads, from: c, to: b, sources: [s1]}\n",
    )
    assert problems(f) == [f"{f}:6:19: unknown kind 'bank'"]


def test_end_before_start_is_reported_on_a_relation_without_sources(write):
    f = write(
        "dates.yaml",
        HEAD + "relations:\n  - {type: leads, from: a, to: b, start: 2023, end: 2021}\n",
    )
    msgs = problems(f)
    assert f"{f}:7:53: end 2021 is before start 2023" in msgs
    assert any("missing required field 'sources'" in m for m in msgs)


def test_stats_and_validate_count_files_alike(write, tmp_path):
    write("two/ok.yaml", HEAD)
    bad = write("two/bad.yaml", "relations:\n  - {type: leads, from: a, to: zz, sources: [s1]}\n")
    d = bad.parent
    v = CliRunner().invoke(cli, ["validate", str(d)])
    s = CliRunner().invoke(cli, ["--seeds", str(d), "stats"])
    assert v.exit_code == s.exit_code == 1
    assert (
        v.stderr.splitlines()[-1] == s.stderr.splitlines()[-1] == "Error: 1 problem in 1 of 2 files"
    )


def test_unknown_entity_under_seeds_says_the_bundled_seeds_were_replaced(write):
    r = CliRunner().invoke(cli, ["--seeds", str(MINI), "show", "Monetary Authority of Singapore"])
    assert r.exit_code == 2
    assert "given by --seeds or REGULINK_SEEDS, instead of the bundled seeds" in r.stderr
    r = CliRunner().invoke(cli, ["show", "zzzzqqq"], env={"REGULINK_SEEDS": str(MINI)})
    assert "instead of the bundled seeds" in r.stderr
    r = CliRunner().invoke(cli, ["show", "zzzzqqq"])
    assert r.exit_code == 2 and "bundled seeds" not in r.stderr


@pytest.mark.parametrize("text", ["Bank of Nowhere", "Nonexistent Settlements Authority"])
def test_a_name_that_matches_nothing_is_not_ambiguous(text):
    facts = load_facts([MINI], cache=False)
    with pytest.raises(EntityNotFound):
        resolve(facts, text)
    r = CliRunner().invoke(cli, ["--seeds", str(MINI), "show", text])
    assert r.exit_code == 2 and r.stderr.startswith(f"Error: no entity matches {text!r}")


@pytest.mark.parametrize("byte", [b"\x00", b"\x1b", b"\x7f"])
def test_raw_control_bytes_are_located_problems(write, byte):
    f = write(
        "raw.yaml",
        HEAD.encode() + b"  - {id: c, kind: regulator, name: a" + byte + b"b, jurisdiction: SG}\n",
    )
    (msg,) = problems(f)
    assert msg.startswith(f"{f}:6:") and ("not allowed" in msg)
    err = refused(f)
    assert byte.decode() not in err
