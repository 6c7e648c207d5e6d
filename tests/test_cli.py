"""The CLI contract: exact output shapes and exit codes, then the same through the API."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import regulink
from regulink.cli.main import cli
from tests.conftest import MINI


@pytest.fixture
def run():
    def _run(*args: str, env: dict | None = None):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return _run


def test_validate_ok_prints_summary(run):
    r = run("validate", str(MINI))
    assert r.exit_code == 0
    assert r.stdout == "OK: 2 files, 9 entities, 10 relations, 3 sources\n"


def test_validate_reports_located_problems_and_exits_1(run, write):
    f = write(
        "bad.yaml",
        "entities:\n  - {id: x, kind: bank, name: X, jurisdiction: SG}\n"
        "  - {id: y, kind: project, name: Y, jurisdiction: ZZ}\n",
    )
    r = run("validate", str(f))
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"{f}:2:19: unknown kind 'bank'",
        f"{f}:3:51: unknown jurisdiction 'ZZ': use an ISO 3166-1 alpha-2 code such as "
        "'SG', or EU / INT for supranational bodies",
        "Error: 2 problems in 1 of 1 file",
    ]
    assert r.stdout == ""
    assert not regulink.validate([f]).ok


def test_validate_usage_error_exits_2(run, tmp_path):
    r = run("validate", str(tmp_path / "missing.yaml"))
    assert r.exit_code == 2
    assert "does not exist" in r.stderr


def test_invalid_seeds_make_other_commands_exit_1_without_traceback(run, write):
    f = write("bad.yaml", "relations:\n  - {type: leads, from: a, to: b, sources: [s]}\n")
    r = run("--seeds", str(f), "stats")
    assert r.exit_code == 1
    assert f"{f}:2:25: unknown entity 'a'" in r.stderr
    assert "Traceback" not in r.output


def test_stats_json_contract(run):
    r = run("--seeds", str(MINI), "stats", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert list(data)[:6] == [
        "entities",
        "relations",
        "sources",
        "by_kind",
        "by_type",
        "jurisdictions",
    ]
    assert (data["entities"], data["relations"], data["sources"]) == (9, 10, 3)
    assert data["by_kind"] == {
        "regulator": 2,
        "central_bank": 2,
        "international_org": 1,
        "project": 2,
        "programme": 1,
        "person": 1,
    }
    assert data["by_type"]["member_of"] == 2
    assert data["jurisdictions"] == 5  # SG JP CH FR INT
    assert data["relations_without_source"] == 0
    assert data["relations_without_url"] == 4  # the relations citing only fx-kite / fx-lark
    mini = regulink.load_facts([MINI])
    assert data["relations_dated"] == sum(1 for r in mini.relations if r.start or r.end) > 0
    assert data == regulink.stats(regulink.load_facts([MINI]))


def test_stats_table(run):
    r = run("--seeds", str(MINI), "stats")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == (
        "9 entities, 10 relations, 3 sources, 5 jurisdictions, 2 files"
    )
    dated = regulink.stats(regulink.load_facts([MINI]))["relations_dated"]
    assert r.stdout.splitlines()[1].startswith(f"relations dated: {dated} ({dated / 10:.0%});")
    assert "central_bank" in r.stdout and "participates_in" in r.stdout


def test_find_json_contract_best_first(run):
    r = run("--seeds", str(MINI), "find", "GFMA", "--json")
    assert r.exit_code == 0
    hits = json.loads(r.stdout)
    assert hits[0] == {
        "id": "gamma-fma",
        "name": "Gamma Financial Market Authority",
        "kind": "regulator",
        "jurisdiction": "CH",
        "score": 100.0,
    }
    assert all(set(h) == {"id", "name", "kind", "jurisdiction", "score"} for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("autorite gamma des marches", "gamma-fma"),  # accents and case folded
        ("Gama Financial Markt Authority", "gamma-fma"),  # typos
        ("alpha ma", "alpha-ma"),  # alias
        ("project-lark", "project-lark"),  # id
        ("OBS", "omega-settlements"),  # abbreviation
    ],
)
def test_find_tolerant_matching(run, text, expected):
    r = run("--seeds", str(MINI), "find", text, "--json", "--limit", "3")
    assert r.exit_code == 0
    assert json.loads(r.stdout)[0]["id"] == expected
    assert regulink.find(regulink.load_facts([MINI]), text)[0].id == expected


def test_find_nothing_exits_1(run):
    r = run("--seeds", str(MINI), "find", "zzzzqqq")
    assert r.exit_code == 1
    assert r.stderr == "Error: nothing matches 'zzzzqqq'\n"


def test_show_json_both_directions_with_inverse_labels(run):
    r = run("--seeds", str(MINI), "show", "Project Lark", "--json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)
    assert d["id"] == "project-lark" and d["aliases"] == ["Lark"]
    readings = {(x["reading"], x["other"]["id"], x["direction"]) for x in d["relations"]}
    assert readings == {
        ("has participant", "alpha-ma", "backward"),
        ("has participant", "delta-bank", "backward"),
        ("led by", "omega-settlements", "backward"),
    }
    led = next(x for x in d["relations"] if x["type"] == "leads")
    assert [s["id"] for s in led["sources"]] == ["fx-lark", "fx-group"]
    assert led["sources"][1]["url"] == "https://alpha.example/news/kite-group"
    alpha = next(x for x in d["relations"] if x["other"]["id"] == "alpha-ma")
    assert (alpha["start"], alpha["end"], alpha["status"]) == ("2022-11", "2023-09", "completed")
    assert d == regulink.show(regulink.load_facts([MINI]), "project-lark")


def test_show_symmetric_relation_reads_same_both_ways(run):
    for who, other in (("gamma-fma", "delta-bank"), ("delta-bank", "gamma-fma")):
        d = json.loads(run("--seeds", str(MINI), "show", who, "--json").stdout)
        rel = next(x for x in d["relations"] if x["type"] == "partners_with")
        assert (rel["reading"], rel["other"]["id"]) == ("partners with", other)


def test_show_table_lists_sources(run):
    r = run("--seeds", str(MINI), "show", "AMA")
    assert r.exit_code == 0
    assert (
        r.stdout.splitlines()[0] == "Alpha Monetary Authority (AMA)  alpha-ma · central_bank · SG"
    )
    # rich wraps the cell; the role stays beside the inverse reading
    assert "employs (deputy" in r.stdout and "Jo Tan [jo-tan]" in r.stdout
    # the cell wraps where rich likes: read the text without the table's borders
    flat = re.sub(r"[│\s]", "", r.stdout)
    assert "https://alpha.example/news/kite-group" in flat
    # events read "on DATE", states "since DATE"; structural relations say so
    assert "launchedProjectKiteon2022" in flat and "since2023-10-30" in flat
    assert "structural" in r.stdout
    rels = {
        x["other"]["id"]: x for x in regulink.show(regulink.load_facts([MINI]), "AMA")["relations"]
    }
    assert (rels["jo-tan"]["class"], rels["jo-tan"]["undated"]) == ("structural", True)
    assert (rels["project-kite"]["event"], rels["project-kite"]["class"]) == (True, "substantive")


def test_show_unknown_exits_2_with_suggestions(run):
    r = run("--seeds", str(MINI), "show", "Omicron Settle")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[:2] == [
        "Error: no entity matches 'Omicron Settle'; did you mean:",
        "  omega-settlements            Omega Bank for Settlements (international_org, INT)",
    ]
    r = run("--seeds", str(MINI), "show", "zzzzqqq")
    assert r.exit_code == 2
    assert r.stderr == (
        "Error: no entity matches 'zzzzqqq'\n"
        f"(facts read from {MINI}, given by --seeds or REGULINK_SEEDS, instead "
        "of the bundled seeds; name them too to search both)\n"
    )


def test_show_ambiguous_exits_2_listing_candidates(run):
    r = run("--seeds", str(MINI), "show", "Project")
    assert r.exit_code == 2
    assert r.stderr.startswith("Error: 'Project' is ambiguous; use one of these ids:")
    assert "project-kite" in r.stderr and "project-lark" in r.stderr
    with pytest.raises(regulink.AmbiguousEntity):
        regulink.show(regulink.load_facts([MINI]), "Project")


def test_seeds_env_var_and_repeatable_option(run, tmp_path):
    r = run("stats", "--json", env={"REGULINK_SEEDS": str(MINI)})
    assert json.loads(r.stdout)["entities"] == 9
    r = run(
        "--seeds",
        str(MINI / "entities.yaml"),
        "--seeds",
        str(MINI / "relations.yaml"),
        "stats",
        "--json",
    )
    assert json.loads(r.stdout)["relations"] == 10


@pytest.mark.parametrize("command", ["validate", "stats", "find", "show"])
def test_every_command_has_help_with_an_example(run, command):
    r = run(command, "--help")
    assert r.exit_code == 0
    assert "Example" in r.stdout


def test_an_exact_name_is_not_ambiguous_with_names_that_only_look_like_it(write):
    f = write(
        "near.yaml",
        """\
        entities:
          - {id: jura-1, kind: project, name: Project Jura 37521, jurisdiction: INT}
          - {id: jura-3, kind: project, name: Project Jura 37523, jurisdiction: INT}
          - {id: jura-8, kind: project, name: Project Jura 37528, jurisdiction: INT}
        """,
    )
    facts = regulink.load_facts([f])
    assert regulink.show(facts, "Project Jura 37523")["id"] == "jura-3"
    with pytest.raises(regulink.AmbiguousEntity):  # a fuzzy guess still is ambiguous
        regulink.show(facts, "Project Jura 3752")


@pytest.mark.parametrize("typo", ["Finnma", "Fimna", "finma"])
def test_find_tolerates_typos_as_the_page_does(typo):
    # a shorter name inside the query ("FI" in "Fimna") is no match; a same-length typo is
    facts = regulink.load_facts()
    assert regulink.find(facts, typo, limit=3)[0].id == "finma"
