"""Terminal-safe output (issue 14): no control character reaches the terminal from data, and
rich markup in data prints as typed, in every human-readable output."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from regulink.cli.common import cell, safe
from regulink.cli.main import cli
from tests.conftest import MINI

# What a hostile value may carry: an OSC title change, a screen clear, a C1 CSI, a bidi
# override, a carriage return, and rich markup (a bare close tag crashes rich).
HOSTILE = "A\x1b]0;owned\x07B\x1b[2JC\x9b31mD\u202eE\rF[/][bold red]G"
MARKUP = "Bank [/] of [bold red]Markup[/bold red]"


def _clean(text: str) -> None:
    for c in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
        assert c not in text, repr(c)


def test_safe_escapes_every_control_character_visibly():
    out = safe(HOSTILE)
    _clean(out)
    assert out == ("A\\x1b]0;owned\\x07B\\x1b[2JC\\x9b31mD\\u202eE\\x0dF[/][bold red]G")
    assert safe("tab\tand\nnewline") == "tab\tand\nnewline"
    assert safe(os.fsdecode(b"caf\xe9")) == "caf\\xe9"
    assert cell("[/]") == "\\[/]"


@pytest.fixture
def markup_facts(write):
    return write(
        "markup.yaml",
        f"""\
        sources:
          - {{id: s1, kind: news, publisher: "[bold]P[/bold]", title: "T [/]"}}
        entities:
          - {{id: mk, kind: regulator, name: "{MARKUP}", short_name: "[/]",
             jurisdiction: SG}}
          - {{id: other, kind: project, name: Other, jurisdiction: SG}}
        relations:
          - {{type: leads, from: mk, to: other, sources: [s1], note: "[red]n[/red]"}}
        """,
    )


@pytest.mark.parametrize("command", [("find", "Markup"), ("show", "mk"), ("stats",)])
def test_rich_markup_in_facts_prints_as_typed(markup_facts, command):
    r = CliRunner().invoke(cli, ["--seeds", str(markup_facts), *command])
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    if command[0] in ("find", "show"):
        flat = "".join(c for c in r.stdout if c not in "│┃ \n")
        assert "Bank[/]of[boldred]Markup[/boldred]" in flat


def test_validate_escapes_a_hostile_file_name(write):
    f = write(
        "bad\x1b]0;owned\x07.yaml",
        "entities:\n  - {id: X, kind: regulator, name: X, jurisdiction: SG}\n",
    )
    r = CliRunner().invoke(cli, ["validate", str(f)])
    assert r.exit_code == 1
    _clean(r.stderr)
    assert "bad\\x1b]0;owned\\x07.yaml:2:10: invalid id 'X'" in r.stderr


def test_show_and_find_escape_a_hostile_query_text():
    r = CliRunner().invoke(cli, ["--seeds", str(MINI), "show", "zz\x1b]0;t\x07zz"])
    assert r.exit_code == 2
    _clean(r.stderr)
    r = CliRunner().invoke(cli, ["--seeds", str(MINI), "find", "qq\x1b[2Jqq"])
    _clean(r.stderr)


@pytest.fixture
def hostile_store(tmp_path):
    db = tmp_path / "g.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--seeds", str(MINI), "load", "--db", str(db)]).exit_code == 0
    r = runner.invoke(
        cli,
        [
            "--seeds",
            str(MINI),
            "query",
            "--db",
            str(db),
            "--write",
            "CREATE (:Hostile {name: $v})",
            "--param",
            "v=" + json.dumps(HOSTILE),
        ],
    )
    assert r.exit_code == 0, r.output
    return db


def test_query_tables_escape_control_characters_and_markup(hostile_store):
    r = CliRunner().invoke(
        cli,
        [
            "--seeds",
            str(MINI),
            "query",
            "--db",
            str(hostile_store),
            "MATCH (h:Hostile) RETURN h.name AS `[bold]x`",
        ],
    )
    assert r.exit_code == 0, r.output
    _clean(r.stdout)
    flat = r.stdout.replace("│", "").replace(" ", "").replace("\n", "")
    assert "\\x1b]0;owned\\x07" in flat and "[/][boldred]G" in flat
    assert "[bold]x" in r.stdout  # the column name, as typed


def test_query_json_escapes_c1_and_bidi_but_stays_the_same_json(hostile_store):
    r = CliRunner().invoke(
        cli,
        [
            "--seeds",
            str(MINI),
            "query",
            "--db",
            str(hostile_store),
            "--json",
            "MATCH (h:Hostile) RETURN h.name AS name",
        ],
    )
    assert r.exit_code == 0, r.output
    _clean(r.stdout)
    assert json.loads(r.stdout) == [{"name": HOSTILE}]


def test_path_prints_markup_as_typed_and_escapes_a_hostile_argument(markup_facts):
    r = CliRunner().invoke(cli, ["--seeds", str(markup_facts), "path", "mk", "other"])
    assert r.exit_code == 0, r.output
    assert f"{'[/]'} [mk] leads Other [other]" in r.stdout and "note: [red]n[/red]" in r.stdout
    r = CliRunner().invoke(cli, ["--seeds", str(markup_facts), "path", HOSTILE, "other"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    _clean(r.output)
